"""Compiles generated HT models and compares them with the float64 reference.

For every configuration of a class (see CLASSES), this exports random weights
to MLIR with the project's exporter, runs the model on random inputs with
`ht-run` and, with --compile, through `ht-compile` plus a generated C program,
and checks every output element against ht_mlir.reference within the
tolerance of docs/Semantics.md section 6: |got - want| <= 1e-5 * max(1, max|want|).
With --threads 1,2 every run is repeated on each thread count (the library
compiled multi-threaded), and the results must be bit-identical across counts.

With --cuda DIR each configuration is also compiled with ht-compile
--target=cuda (a fatbin when a CUDA toolkit is found: ptxas checks every
kernel; PTX otherwise) into DIR/<class>-<index>/, with its inputs, the float64
reference outputs and a C program `check` calling the library's host-pointer
function and comparing within the same tolerance: the cases
scripts/gpu-check.sh runs on a GPU machine. Here, without a GPU, each `check`
is run once and must report HT_ERROR_NO_CUDA_DRIVER (or, with a driver, pass).

    check_models.py --bin BUILD/bin --work DIR --class lstm-forms [--compile]
                    [--threads 1,2]

Prints one line per configuration and exits non-zero on the first mismatch.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import subprocess
import sys
from typing import Any, Iterator

import numpy as np

from ht_mlir import export, reference_run
from ht_mlir.model import parse_model
from ht_mlir.random_model import random_weights
from ht_mlir.tree import balanced_tree, format_tree, left_deep_tree, right_deep_tree
from tolerance import compare



def random_tree(num_modes: int, rng: random.Random) -> str:
    """A random full binary tree over a random permutation of the modes."""
    parts = [str(mode) for mode in rng.sample(range(num_modes), num_modes)]
    while len(parts) > 1:
        at = rng.randrange(len(parts) - 1)
        parts[at:at + 2] = [f"({parts[at]}, {parts[at + 1]})"]
    return parts[0]


def tree_text(kind: str, num_modes: int, rng: random.Random) -> str:
    if kind == "balanced":
        return format_tree(balanced_tree(num_modes))
    if kind == "left-deep":
        return format_tree(left_deep_tree(num_modes))
    if kind == "right-deep":
        return format_tree(right_deep_tree(num_modes))
    return random_tree(num_modes, rng)


def factor(size: int, num_modes: int, rng: random.Random) -> list[int]:
    """Splits `size` into `num_modes` positive factors (some may be 1)."""
    modes = [1] * num_modes
    remaining = size
    prime = 2
    while remaining > 1:
        while remaining % prime:
            prime += 1
        modes[rng.randrange(num_modes)] *= prime
        remaining //= prime
    return modes


def ht_weight(rows: int, cols: int, num_modes: int, tree_kind: str, max_rank: int,
              rng: random.Random) -> dict[str, Any]:
    return {
        "format": "ht",
        "row_modes": factor(rows, num_modes, rng),
        "col_modes": factor(cols, num_modes, rng),
        "tree": tree_text(tree_kind, num_modes, rng),
        "leaf_ranks": [rng.randint(1, max_rank) for _ in range(num_modes)],
        "node_ranks": [1] + [rng.randint(1, max_rank) for _ in range(num_modes - 2)],
    }


def linear_configs(rng: random.Random) -> Iterator[dict[str, Any]]:
    """d = 2..6 with every tree kind, odd sizes, ranks 1..8, batch 1 and > 1."""
    tree_kinds = ["balanced", "left-deep", "right-deep", "random"]
    for num_modes, tree_kind in itertools.product(range(2, 7), tree_kinds):
        rows = rng.choice([6, 15, 21, 30, 35, 45])
        cols = rng.choice([10, 27, 33, 60, 63, 105])
        yield {
            "kind": "linear", "in_features": cols, "out_features": rows,
            "bias": rng.random() < 0.7, "batch": rng.choice([None, 1, 5]),
            "weights": {"W": ht_weight(rows, cols, num_modes, tree_kind, 8, rng)},
        }


def lstm_config(form: str, weights: dict[str, str], rng: random.Random,
                hiddens: tuple[int, ...] = (3, 5, 6),
                input_sizes: tuple[int, ...] = (12, 20, 30, 35),
                **overrides: Any) -> dict[str, Any]:
    hidden = rng.choice(hiddens)
    inputs = rng.choice(input_sizes)
    sizes = {"W_ih": (4 * hidden, inputs), "W_hh": (4 * hidden, hidden),
             "W": (4 * hidden, inputs + hidden)}
    for gate in "ifgo":
        sizes[f"W_ih_{gate}"] = (hidden, inputs)
    described = {}
    for name, kind in weights.items():
        rows, cols = sizes[name]
        described[name] = (
            {"format": "dense"} if kind == "dense"
            else ht_weight(rows, cols, rng.randint(2, 4), "random", 6, rng))
    config = {
        "kind": "lstm", "input_size": inputs, "hidden_size": hidden, "form": form,
        "gate_activation": rng.choice(["sigmoid", "hard_sigmoid"]),
        "bias": rng.random() < 0.7, "batch": None, "seq_len": None,
        "weights": described,
    }
    config.update(overrides)
    return config


def lstm_configs(rng: random.Random) -> Iterator[dict[str, Any]]:
    """Every weight form with dense and HT weights, sequence and batch 1 and > 1."""
    gates = [f"W_ih_{gate}" for gate in "ifgo"]
    cases = [
        ("stacked", {"W_ih": "ht", "W_hh": "dense"}),
        ("stacked", {"W_ih": "ht", "W_hh": "ht"}),
        ("stacked", {"W_ih": "dense", "W_hh": "dense"}),
        ("per_gate", {**{gate: "ht" for gate in gates}, "W_hh": "dense"}),
        ("per_gate", {**{gate: "ht" for gate in gates}, "W_hh": "ht"}),
        ("fused", {"W": "ht"}),
        ("fused", {"W": "dense"}),
    ]
    for (form, weights), (seq_len, batch) in itertools.product(
            cases, [(1, 1), (4, 3), (7, 1), (1, 2), (64, 2)]):
        static = rng.random() < 0.3
        # The (4, 3) and (7, 1) runs go backward in time (a bidirectional
        # layer's reverse half); the (1, 2) and (4, 3) ones take batch-first
        # input.
        yield lstm_config(form, weights, rng,
                          seq_len=seq_len if static else None,
                          batch=batch if static else None,
                          reverse=(seq_len, batch) in ((4, 3), (7, 1)),
                          batch_first=(seq_len, batch) in ((1, 2), (4, 3)),
                          _run=(seq_len, batch))


def lstm_wide_configs(rng: random.Random) -> Iterator[dict[str, Any]]:
    """Hidden sizes and batches large enough that every parallel loop has
    several iterations (recurrent column tiles, batch blocks and their
    peeled remainder, element-wise rows), dynamic sizes."""
    gates = [f"W_ih_{gate}" for gate in "ifgo"]
    cases = [
        ("stacked", {"W_ih": "ht", "W_hh": "dense"}, (5, 17)),
        ("stacked", {"W_ih": "ht", "W_hh": "ht"}, (3, 9)),
        ("per_gate", {**{gate: "ht" for gate in gates}, "W_hh": "dense"}, (4, 12)),
        ("fused", {"W": "ht"}, (2, 20)),
        ("stacked", {"W_ih": "dense", "W_hh": "dense"}, (6, 1)),
    ]
    for form, weights, run in cases:
        yield lstm_config(form, weights, rng, hiddens=(32, 40),
                          input_sizes=(96, 200), _run=run)
    # Dense input weights past 512 KiB: the reduction in cache blocks, the
    # weight in panels (30 lanes at H = 30: no multiple of a register).
    yield lstm_config("stacked", {"W_ih": "dense", "W_hh": "dense"}, rng,
                      hiddens=(30, 30), input_sizes=(1100, 1100), _run=(3, 10))
    yield lstm_config("fused", {"W": "dense"}, rng, hiddens=(32, 32),
                      input_sizes=(1100, 1100), _run=(2, 9))


def recurrent_config(kind: str, form: str, ht_weights: set[str], rng: random.Random,
                     **fields: Any) -> dict[str, Any]:
    """A model of every layer and direction ``fields`` ask for, odd sizes; a weight is
    HT when its name without the layer/direction suffix is in ``ht_weights``."""
    config = {"kind": kind, "input_size": rng.choice([7, 12, 21, 30]),
              "hidden_size": rng.choice([3, 5, 6]), "form": form,
              "bias": rng.random() < 0.7, "batch": None, "seq_len": None, **fields}
    # The weights' names and shapes, as the description parser lists them.
    dense_names = {}
    for layer in range(config.get("num_layers", 1)):
        for reverse in ([False, True] if config.get("bidirectional") else [False]):
            suffix = ("" if layer == 0 else f"_l{layer}") + ("_reverse" if reverse else "")
            gates = "rzn" if kind == "gru" else "ifgo"
            bases = (["W_ih", "W_hh"] if form == "stacked" else ["W"] if form == "fused"
                     else [f"W_ih_{g}" for g in gates] + ["W_hh"])
            dense_names.update({base + suffix: base for base in bases})
    config["weights"] = {name: {"format": "dense"} for name in dense_names}
    for spec in parse_model({k: v for k, v in config.items() if k != "_run"}).weights:
        if dense_names[spec.name] in ht_weights:
            config["weights"][spec.name] = ht_weight(spec.rows, spec.cols, rng.randint(2, 3),
                                                     "random", 5, rng)
    return config


def gru_configs(rng: random.Random) -> Iterator[dict[str, Any]]:
    """ht.gru in both forms, dense and HT weights, forward and reverse, time-major
    and batch-first, sequence and batch 1 and > 1."""
    per_gate = {"W_ih_r", "W_ih_z", "W_ih_n"}
    cases = [
        ("stacked", {"W_ih"}),
        ("stacked", {"W_ih", "W_hh"}),
        ("stacked", set()),
        ("per_gate", per_gate),
        ("per_gate", per_gate | {"W_hh"}),
    ]
    for (form, ht_weights), (seq_len, batch) in itertools.product(
            cases, [(1, 1), (4, 3), (7, 1), (5, 2)]):
        static = rng.random() < 0.3
        yield recurrent_config("gru", form, ht_weights, rng,
                               seq_len=seq_len if static else None,
                               batch=batch if static else None,
                               reverse=(seq_len, batch) in ((4, 3), (7, 1)),
                               batch_first=(seq_len, batch) in ((4, 3), (5, 2)),
                               _run=(seq_len, batch))


def stack_configs(rng: random.Random) -> Iterator[dict[str, Any]]:
    """LSTMs and GRUs of 1-3 layers, one or both directions, time-major and
    batch-first, dense and HT weights in every layer, random sizes."""
    for index in range(12):
        kind = ["lstm", "gru"][index % 2]
        form = rng.choice(["stacked", "per_gate"] + (["fused"] if kind == "lstm" else []))
        bases = {"stacked": ["W_ih", "W_hh"], "fused": ["W"],
                 "per_gate": [f"W_ih_{g}" for g in ("rzn" if kind == "gru" else "ifgo")] + ["W_hh"]}
        ht_weights = {base for base in bases[form] if rng.random() < 0.6}
        layers = [1, 2, 3][index // 2 % 3]
        bidirectional = index % 4 >= 2 or layers == 1
        static = rng.random() < 0.3
        run = (rng.choice([1, 3, 6]), rng.choice([1, 2, 4]))
        yield recurrent_config(kind, form, ht_weights, rng, num_layers=layers,
                               bidirectional=bidirectional,
                               batch_first=rng.random() < 0.5,
                               seq_len=run[0] if static else None,
                               batch=run[1] if static else None, _run=run)


def head_configs(rng: random.Random) -> Iterator[dict[str, Any]]:
    """LSTMs and GRUs (1-2 layers, one or both directions, either layout) with a linear
    head over the last step or every step, logits or softmax, dense or HT."""
    for index in range(10):
        kind = ["lstm", "gru"][index % 2]
        bidirectional = index % 3 == 1
        run = (rng.choice([1, 4, 6]), rng.choice([1, 3]))
        static = index % 4 == 3
        config = recurrent_config(kind, "stacked", {"W_ih"} if index % 2 else set(), rng,
                                  num_layers=1 + index // 5, bidirectional=bidirectional,
                                  batch_first=index % 5 in (1, 2),
                                  seq_len=run[0] if static else None,
                                  batch=run[1] if static else None, _run=run)
        features = (2 if bidirectional else 1) * config["hidden_size"]
        classes = rng.choice([2, 6, 11])
        weight = (ht_weight(classes, features, 2, "balanced", 4, rng) if index % 3 == 0
                  else {"format": "dense"})
        config["head"] = {"out_features": classes, "over": ["last", "all"][index // 2 % 2],
                          "output": ["logits", "softmax", "argmax"][index % 3],
                          "bias": index != 4, "weights": {"W_head": weight}}
        yield config


CLASSES = {
    "heads": head_configs,
    "linear": linear_configs,
    "lstm-forms": lstm_configs,
    "lstm-wide": lstm_wide_configs,
    "gru": gru_configs,
    "stacks": stack_configs,
}


def random_inputs(config: dict[str, Any], run: tuple[int, int],
                  rng: np.random.Generator) -> list[np.ndarray]:
    if config["kind"] == "linear":
        batch = config["batch"] or run[1]
        return [rng.standard_normal((batch, config["in_features"])).astype(np.float32)]
    seq_len, batch = run
    model = parse_model(config)
    x_shape = ((batch, seq_len) if config.get("batch_first") else (seq_len, batch))
    state_shape = (len(model.cells()), batch, model.output_size) if model.stacked_states \
        else (batch, model.output_size)
    # A model with a head takes x alone (its states start at zero).
    states = [] if model.head else model.state_names
    return [rng.standard_normal((*x_shape, config["input_size"])).astype(np.float32)] + [
        0.5 * rng.standard_normal(state_shape).astype(np.float32) for _ in states]


def c_program(config: dict[str, Any], inputs: list[np.ndarray], num_outputs: int,
              threads: list[int]) -> str:
    """A C program calling model_forward_with_threads on raw float files,
    in.bin -> out<threads>.bin for each thread count."""
    if config["kind"] == "linear":
        sizes = [] if config["batch"] else [str(inputs[0].shape[0])]
    else:
        # The dynamic sizes in the order x first uses them (the C API's).
        dims = (("batch", "seq_len") if config.get("batch_first") else ("seq_len", "batch"))
        sizes = [str(inputs[0].shape[index]) for index, name in enumerate(dims)
                 if not config[name]]
    return "\n".join([
        '#include "model.h"',
        "#include <stdio.h>",
        "#include <stdlib.h>",
        "int main(void) {",
        f"  static const long counts[] = {{{', '.join(str(a.size) for a in inputs)}}};",
        f"  float *in[{len(inputs)}];",
        '  FILE *f = fopen("in.bin", "rb");',
        f"  for (int i = 0; i < {len(inputs)}; ++i) {{",
        "    in[i] = malloc(sizeof(float) * counts[i]);",
        "    if (fread(in[i], sizeof(float), counts[i], f) != (size_t)counts[i]) return 3;",
        "  }",
        "  fclose(f);",
        "  long total; FILE *sizes = fopen(\"out_sizes.txt\", \"r\");",
        f"  float *out[{num_outputs}]; long out_counts[{num_outputs}];",
        f"  for (int i = 0; i < {num_outputs}; ++i) {{",
        "    if (fscanf(sizes, \"%ld\", &total) != 1) return 4;",
        "    out_counts[i] = total; out[i] = malloc(sizeof(float) * total);",
        "  }",
        "  fclose(sizes);",
        f"  static const int threads[] = {{{', '.join(str(t) for t in threads)}}};",
        f"  for (int t = 0; t < {len(threads)}; ++t) {{",
        "    int status = model_forward_with_threads(" + ", ".join(
            ["threads[t]"] + sizes + [f"in[{i}]" for i in range(len(inputs))]
            + [f"(void *)out[{i}]" for i in range(num_outputs)]) + ");",
        "    if (status != HT_OK) { fprintf(stderr, \"status %d\\n\", status); return 5; }",
        "    char name[32]; snprintf(name, sizeof name, \"out%d.bin\", threads[t]);",
        "    FILE *o = fopen(name, \"wb\");",
        f"    for (int i = 0; i < {num_outputs}; ++i) fwrite(out[i], sizeof(float), out_counts[i], o);",
        "    fclose(o);",
        "  }",
        "  return 0;",
        "}",
        "",
    ])


def same_bits(what: str, got: np.ndarray, first: np.ndarray) -> None:
    assert got.tobytes() == first.tobytes(), (
        f"{what} differs from the first thread count's result "
        f"(max |diff| {float(np.max(np.abs(got - first))):.3e})")


def cuda_program(config: dict[str, Any], inputs: list[np.ndarray],
                 want: list[np.ndarray]) -> str:
    """A C program calling model_forward (the CUDA library's host-pointer
    function) on in.bin and comparing with want.bin (float64) within the
    tolerance of docs/Semantics.md: exit 0 on a match, 1 on a mismatch, 2 with
    the status when the library returns one."""
    sizes = dynamic_sizes(config, inputs)
    outputs = []
    for index, expected in enumerate(want):
        ctype = "int32_t" if expected.dtype.kind in "iu" else "float"
        outputs.append((ctype, expected.size))
    lines = [
        '#include "model.h"',
        "#include <math.h>",
        "#include <stdio.h>",
        "#include <stdlib.h>",
        "static void *load(const char *path, long bytes) {",
        "  void *data = malloc(bytes ? bytes : 1); FILE *f = fopen(path, \"rb\");",
        "  if (!data || !f || fread(data, 1, bytes, f) != (size_t)bytes) {",
        "    fprintf(stderr, \"cannot read %s\\n\", path); exit(3); }",
        "  fclose(f); return data;",
        "}",
        "int main(void) {",
        f"  static const long in_counts[] = {{{', '.join(str(a.size) for a in inputs)}}};",
        f"  float *in[{len(inputs)}]; long in_offset = 0;",
        "  long in_total = 0;",
        f"  for (int i = 0; i < {len(inputs)}; ++i) in_total += in_counts[i];",
        "  float *all_in = load(\"in.bin\", 4 * in_total);",
        f"  for (int i = 0; i < {len(inputs)}; ++i) {{ in[i] = all_in + in_offset; in_offset += in_counts[i]; }}",
        f"  static const long out_counts[] = {{{', '.join(str(n) for _, n in outputs)}}};",
        "  long want_total = 0;",
        f"  for (int i = 0; i < {len(outputs)}; ++i) want_total += out_counts[i];",
        "  double *want = load(\"want.bin\", 8 * want_total);",
    ]
    for index, (ctype, count) in enumerate(outputs):
        lines.append(f"  {ctype} *out{index} = calloc({count}, sizeof({ctype}));")
    arguments = sizes + [f"in[{i}]" for i in range(len(inputs))] + [
        f"out{i}" for i in range(len(outputs))]
    lines += [
        f"  int32_t status = model_forward({', '.join(arguments)});",
        "  if (status != HT_OK) {",
        "    printf(\"status %d: %s (%s)\\n\", status, model_status_string(status),",
        "           model_cuda_last_error());",
        "    return 2;",
        "  }",
        "  double worst = 0; long offset = 0; int bad = 0;",
    ]
    for index, (ctype, count) in enumerate(outputs):
        lines += [
            "  {",
            "    double scale = 1;",
            f"    for (long k = 0; k < {count}; ++k) if (fabs(want[offset + k]) > scale) scale = fabs(want[offset + k]);",
            f"    for (long k = 0; k < {count}; ++k) {{",
            f"      double error = fabs((double)out{index}[k] - want[offset + k]);",
            "      if (!(error <= 1e-5 * scale)) bad = 1;",
            "      if (error / scale > worst) worst = error / scale;",
            "    }",
            f"    offset += {count};",
            "  }",
        ]
    lines += [
        "  printf(\"%s rel. error %.1e\\n\", bad ? \"MISMATCH\" : \"ok\", worst);",
        "  return bad;",
        "}",
        "",
    ]
    return "\n".join(lines)


def dynamic_sizes(config: dict[str, Any], inputs: list[np.ndarray]) -> list[str]:
    """The C API's size arguments: the dynamic sizes in the order x uses them."""
    if config["kind"] == "linear":
        return [] if config["batch"] else [str(inputs[0].shape[0])]
    dims = (("batch", "seq_len") if config.get("batch_first") else ("seq_len", "batch"))
    return [str(inputs[0].shape[index]) for index, name in enumerate(dims)
            if not config[name]]


def build_cuda_case(model: str, inputs: list[np.ndarray], want: list[np.ndarray],
                    config: dict[str, Any], case_dir: str, bin_dir: str) -> str:
    """The CUDA library, data and `check` program of one configuration; runs
    `check` once and returns what it said."""
    os.makedirs(case_dir, exist_ok=True)
    command = [os.path.join(bin_dir, "ht-compile"), "--target=cuda", model, "-o",
               os.path.join(case_dir, "libmodel.so"), "--header",
               os.path.join(case_dir, "model.h"), "--prefix", "model"]
    if not cuda_toolkit():
        command.append("--pipeline-options=format=ptx")
    subprocess.run(command, check=True)
    with open(os.path.join(case_dir, "check.c"), "w") as source:
        source.write(cuda_program(config, inputs, want))
    subprocess.run(["clang-22", "-O1", "-o", "check", "check.c", "-L.", "-lmodel", "-lm",
                    "-Wl,-rpath,$ORIGIN"], cwd=case_dir, check=True)
    with open(os.path.join(case_dir, "in.bin"), "wb") as raw:
        for array in inputs:
            raw.write(np.ascontiguousarray(array, dtype=np.float32).tobytes())
    with open(os.path.join(case_dir, "want.bin"), "wb") as raw:
        for array in want:
            raw.write(np.ascontiguousarray(array, dtype=np.float64).tobytes())
    with open(os.path.join(case_dir, "config.json"), "w") as file:
        json.dump(config, file)
    run = subprocess.run(["./check"], cwd=case_dir, capture_output=True, text=True)
    said = run.stdout.strip()
    if run.returncode == 0:
        return f"CUDA {said}"
    if run.returncode == 2 and said.startswith("status 5:"):
        return "CUDA library built (no driver here: status 5)"
    raise AssertionError(f"CUDA check in {case_dir}: exit {run.returncode}: {said} {run.stderr}")


def cuda_toolkit() -> str:
    home = os.environ.get("CUDA_HOME") or "/usr/local/cuda"
    return home if os.path.exists(os.path.join(home, "bin", "ptxas")) else ""


def prepare_case(config: dict[str, Any], work: str, seed: int
                 ) -> tuple[dict[str, Any], str, list[np.ndarray], list[np.ndarray]]:
    """Random weights, the exported model (work/model.mlir), random inputs
    and the float64 reference outputs of a configuration (its "_run" sizes
    taken out)."""
    config = dict(config)
    run = config.pop("_run", (3, 2))
    os.makedirs(work, exist_ok=True)
    weights = random_weights(config, seed=seed)
    model = os.path.join(work, "model.mlir")
    export.write_mlir(config, weights, model)
    inputs = random_inputs(config, run, np.random.default_rng(seed))
    want = reference_run.run_reference(config, weights, inputs)
    return config, model, inputs, want


def check(config: dict[str, Any], work: str, bin_dir: str, compile_too: bool,
          seed: int, variants: list[str], threads: list[int],
          cuda_dir: str | None = None) -> str:
    config, model, inputs, want = prepare_case(config, work, seed)

    paths = []
    for index, array in enumerate(inputs):
        paths.append(os.path.join(work, f"input{index}.npy"))
        np.save(paths[-1], array)
    worst = 0.0
    for number, variant in enumerate(variants):
        first: list[np.ndarray] = []
        for count in threads:
            out_dir = os.path.join(work, f"out-{number}-{count}")
            command = [os.path.join(bin_dir, "ht-run"), model, "--output-dir", out_dir,
                       f"--pipeline-options={variant}", f"--threads={count}"]
            for path in paths:
                command += ["--input", path]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            results = [np.load(os.path.join(out_dir, f"result{i}.npy"))
                       for i in range(len(want))]
            worst = max([worst] + [
                compare(f"ht-run [{variant}] --threads={count} result{i}", got, w)
                for i, (got, w) in enumerate(zip(results, want))])
            if first:
                for i, (got, one) in enumerate(zip(results, first)):
                    same_bits(f"ht-run [{variant}] --threads={count} result{i}", got, one)
            else:
                first = results
    runs = f"{len(variants)} pipelines" + (
        f" x {len(threads)} thread counts, bit-identical" if len(threads) > 1 else "")
    cuda = ""
    if cuda_dir:
        cuda = "; " + build_cuda_case(model, inputs, want, config, cuda_dir, bin_dir)
    if not compile_too:
        return f"ht-run ({runs}) rel. error {worst:.1e}{cuda}"

    compile_command = [os.path.join(bin_dir, "ht-compile"), model, "-o",
                       os.path.join(work, "libmodel.so"), "--header",
                       os.path.join(work, "model.h")]
    if threads != [1]:
        compile_command.append("--pipeline-options=threads=0")
    subprocess.run(compile_command, check=True)
    with open(os.path.join(work, "main.c"), "w") as source:
        source.write(c_program(config, inputs, len(want), threads))
    subprocess.run(["clang-22", "-O1", "-o", "main", "main.c", "-L.", "-lmodel",
                    "-Wl,-rpath,$ORIGIN"], cwd=work, check=True)
    with open(os.path.join(work, "in.bin"), "wb") as raw:
        for array in inputs:
            raw.write(np.ascontiguousarray(array, dtype=np.float32).tobytes())
    with open(os.path.join(work, "out_sizes.txt"), "w") as sizes:
        sizes.write(" ".join(str(w.size) for w in want))
    subprocess.run(["./main"], cwd=work, check=True)
    first_flat = None
    for count in threads:
        # 4-byte elements: float32, or int32 where the head gives its argmax.
        flat = np.fromfile(os.path.join(work, f"out{count}.bin"), dtype=np.uint8)
        offset = 0
        for index, expected in enumerate(want):
            dtype = np.int32 if expected.dtype.kind in "iu" else np.float32
            got = flat[offset:offset + 4 * expected.size].view(dtype).reshape(expected.shape)
            offset += 4 * expected.size
            worst = max(worst, compare(f"C API threads={count} result{index}", got,
                                       expected))
        if first_flat is None:
            first_flat = flat
        else:
            same_bits(f"C API threads={count}", flat, first_flat)
    return f"ht-run ({runs}) and C API rel. error {worst:.1e}{cuda}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="folder with ht-run and ht-compile")
    parser.add_argument("--work", required=True, help="scratch folder")
    parser.add_argument("--class", dest="config_class", required=True, choices=CLASSES)
    parser.add_argument("--compile", action="store_true",
                        help="also check ht-compile and the C API")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--variants", default="order=optimal",
                        help="';'-separated ht-to-llvm pipeline options, one "
                             "ht-run per variant")
    parser.add_argument("--cuda", metavar="DIR",
                        help="also build each configuration's CUDA library and "
                             "check program into DIR/<class>-<index>")
    parser.add_argument("--threads", default="1",
                        help="','-separated thread counts each run is made "
                             "with; results must be bit-identical across them")
    args = parser.parse_args()
    threads = [int(count) for count in args.threads.split(",")]

    rng = random.Random(args.seed)
    configs = list(CLASSES[args.config_class](rng))
    for index, config in enumerate(configs):
        label = json.dumps({k: v for k, v in config.items() if k != "weights"})
        try:
            result = check(config, os.path.join(args.work, str(index)), args.bin,
                           args.compile, seed=args.seed * 1000 + index,
                           variants=args.variants.split(";"), threads=threads,
                           cuda_dir=(os.path.join(args.cuda, f"{args.config_class}-{index}")
                                     if args.cuda else None))
        except (AssertionError, subprocess.CalledProcessError) as error:
            print(f"FAIL {index}: {error}\n  config: {json.dumps(config)}")
            return 1
        print(f"ok {index}: {result}: {label}")
    print(f"{len(configs)} configurations match the float64 reference")
    return 0


if __name__ == "__main__":
    sys.exit(main())
