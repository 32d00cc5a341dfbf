"""PyTorch models -> MLIR -> native code, checked against PyTorch's own outputs.

Each case builds a PyTorch module (ht_mlir.nn.HTLSTM in every weight form,
HTGRU, HTLinear, dense torch.nn.LSTMs and GRUs of several layers and
directions), exports it with ht_mlir.torch_export, runs it with `ht-run`,
through `ht-compile` + the C API (called with ctypes) and, for the recurrent
ones, through ht_mlir.compile (the Python runtime, on torch tensors), and
compares every output with the module's float64 forward pass within docs/Semantics.md
section 6: |got - want| <= 1e-5 * max(1, max|want|). Two more cases go through
`ht-compress`: a dense LSTM compressed at full rank must reproduce the dense
outputs, and the error ht-compress reports for a truncated matrix must match a
float64 recount.

    check_torch.py --bin BUILD/bin --work DIR

Prints one line per case; exits 1 on the first mismatch; says SKIPPED (and exits
0) when python3-torch is missing.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import subprocess
import sys
from typing import Callable

import numpy as np

try:
    import torch
except ImportError:
    print("SKIPPED: python3-torch is not installed (scripts/setup.sh installs it)")
    sys.exit(0)

import ht_mlir
from ht_mlir import nn as htnn
from ht_mlir import torch_export
from tolerance import compare



class Runner:
    def __init__(self, bin_dir: str, work: str) -> None:
        self.bin_dir, self.work = bin_dir, work

    def tool(self, name: str, *args: str) -> str:
        """Runs a tool; returns what it printed, stdout then stderr (reports)."""
        result = subprocess.run([os.path.join(self.bin_dir, name), *args], check=True,
                                capture_output=True, text=True)
        return result.stdout + result.stderr

    def ht_run(self, model: str, inputs: list[np.ndarray], tag: str) -> list[np.ndarray]:
        out_dir = os.path.join(self.work, f"{tag}-out")
        args = [model, "--output-dir", out_dir]
        for index, array in enumerate(inputs):
            path = os.path.join(self.work, f"{tag}-input{index}.npy")
            np.save(path, array)
            args += ["--input", path]
        self.tool("ht-run", *args)
        results = []
        while os.path.exists(path := os.path.join(out_dir, f"result{len(results)}.npy")):
            results.append(np.load(path))
        return results

    def c_api(self, model: str, sizes: dict[str, int], inputs: list[np.ndarray],
              output_shapes: list[tuple[int, ...]], tag: str) -> list[np.ndarray]:
        """Compiles with ht-compile and calls <tag>_forward(sizes..., inputs..., outputs...),
        the sizes in the order the library's signature lists them."""
        library = os.path.join(self.work, f"lib{tag}.so")
        signature = os.path.join(self.work, f"{tag}.json")
        self.tool("ht-compile", model, "-o", library, "--prefix", tag,
                  "--header", os.path.join(self.work, f"{tag}.h"), "--signature", signature)
        with open(signature, encoding="utf-8") as file:
            (entry_signature,) = json.load(file)["entries"]
        sizes = [sizes[name] for name in entry_signature["sizes"]]
        entry = getattr(ctypes.CDLL(library), f"{tag}_forward")
        outputs = [np.zeros(shape, dtype=np.float32) for shape in output_shapes]
        arrays = [np.ascontiguousarray(a, dtype=np.float32) for a in inputs] + outputs
        pointer = ctypes.POINTER(ctypes.c_float)
        entry.argtypes = [ctypes.c_int64] * len(sizes) + [pointer] * len(arrays)
        entry.restype = ctypes.c_int
        status = entry(*sizes, *[a.ctypes.data_as(pointer) for a in arrays])
        if status != 0:
            raise AssertionError(f"{tag}_forward returned {status}")
        return outputs


def float32_inputs(*shapes: tuple[int, ...]) -> list[torch.Tensor]:
    """Random inputs whose values are float32 numbers, held in float64."""
    return [(torch.randn(*shape) * 0.8).double() for shape in shapes]


def check_recurrent(runner: Runner, tag: str, module: torch.nn.Module, seq_len: int, batch: int,
                    static: bool = False) -> str:
    """An LSTM or GRU module through ht-run, the C API and ht_mlir.compile."""
    module = module.float()
    model = os.path.join(runner.work, f"{tag}.mlir")
    torch_export.export(module, model, seq_len=seq_len if static else None,
                        batch=batch if static else None)
    hidden = module.hidden_size
    is_gru = isinstance(module, (torch.nn.GRU, htnn.HTGRU))
    # Several layers or directions: PyTorch's stacked states [L * D, B, H].
    cells = module.num_layers * (2 if module.bidirectional else 1)
    # PyTorch's modules take [1, B, H] states for one cell, ht_mlir.nn's [B, H] too.
    torch_module = isinstance(module, (torch.nn.LSTM, torch.nn.GRU)) or cells > 1
    state = (cells, batch, hidden) if cells > 1 else (batch, hidden)
    batch_first = getattr(module, "batch_first", False)
    x_shape = (batch, seq_len, module.input_size) if batch_first else (seq_len, batch, module.input_size)
    x, *states = float32_inputs(x_shape, *[state] * (1 if is_gru else 2))
    # PyTorch's modules take [L * D, B, H] states; ht_mlir.nn's take [B, H] too.
    given = [s.reshape(cells, batch, hidden) if torch_module else s for s in states]
    with torch.no_grad():
        if is_gru:
            output, h_n = module.double()(x, given[0])
            finals = [h_n]
        else:
            output, (h_n, c_n) = module.double()(x, tuple(given))
            finals = [h_n, c_n]
    want = [output.numpy()] + [final.reshape(state).numpy() for final in finals]
    inputs = [t.float().numpy() for t in (x, *states)]
    worst = max(compare(f"{tag} ht-run result{i}", got, w)
                for i, (got, w) in enumerate(zip(runner.ht_run(model, inputs, tag), want)))
    sizes = {} if static else {"seq_len": seq_len, "batch": batch}
    got = runner.c_api(model, sizes, inputs, [w.shape for w in want], tag)
    worst = max([worst] + [compare(f"{tag} C API result{i}", g, w) for i, (g, w) in enumerate(zip(got, want))])
    # The Python runtime, called as the module is (torch tensors in, tensors out).
    compiled = ht_mlir.compile(module.float(), seq_len=seq_len if static else None,
                               batch=batch if static else None, bin_dir=runner.bin_dir,
                               cache_dir=os.path.join(runner.work, "cache"))
    given32 = [g.float() for g in given]
    if is_gru:
        output, h_n = compiled(x.float(), given32[0])
        results = [output, h_n]
    else:
        output, (h_n, c_n) = compiled(x.float(), tuple(given32))
        results = [output, h_n, c_n]
    worst = max([worst] + [compare(f"{tag} ht_mlir.compile result{i}",
                                   r.reshape(w.shape).numpy(), w)
                           for i, (r, w) in enumerate(zip(results, want))])
    return f"{tag}: ht-run, C API and ht_mlir.compile match PyTorch, rel. error {worst:.1e}"


def check_classifier(runner: Runner, tag: str, module: torch.nn.Module, x_shape: tuple[int, ...],
                     static: bool = False) -> str:
    """An ht_mlir.nn.RecurrentClassifier, x -> y, through ht-run, the C API and
    ht_mlir.compile."""
    module = module.float()
    model = os.path.join(runner.work, f"{tag}.mlir")
    batch_first = getattr(module.rnn, "batch_first", False)
    steps, batch = (x_shape[1], x_shape[0]) if batch_first else x_shape[:2]
    sizes = dict(seq_len=steps, batch=batch) if static else {}
    torch_export.export(module, model, **sizes)
    (x,) = float32_inputs(x_shape)
    with torch.no_grad():
        want = module.double()(x).numpy()
    inputs = [x.float().numpy()]
    worst = compare(f"{tag} ht-run", runner.ht_run(model, inputs, tag)[0], want)
    got = runner.c_api(model, {} if static else {"seq_len": steps, "batch": batch}, inputs,
                       [want.shape], tag)[0]
    worst = max(worst, compare(f"{tag} C API", got, want))
    compiled = ht_mlir.compile(module.float(), bin_dir=runner.bin_dir,
                               cache_dir=os.path.join(runner.work, "cache"), **sizes)
    worst = max(worst, compare(f"{tag} ht_mlir.compile", compiled(x.float()).numpy(), want))
    return f"{tag}: ht-run, C API and ht_mlir.compile match PyTorch, rel. error {worst:.1e}"


class UserClassifier(torch.nn.Module):
    """A model as users write it: batch-first LSTM, then a linear layer over the last step."""

    def __init__(self) -> None:
        super().__init__()
        self.lstm = torch.nn.LSTM(10, 12, batch_first=True)
        self.fc = torch.nn.Linear(12, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.lstm(x)[0][:, -1])


def check_user_state_dict(runner: Runner) -> str:
    """A trained user model's whole state_dict, exported by one command with --batch-first:
    same logits and same accuracy as PyTorch's."""
    torch.manual_seed(7)
    # Four classes: which quarter of the features carries the signal.
    def data(count: int) -> tuple[torch.Tensor, torch.Tensor]:
        labels = torch.randint(0, 4, (count,))
        x = 0.5 * torch.randn(count, 8, 10)
        for sample, label in enumerate(labels.tolist()):
            x[sample, :, 2 * label:2 * label + 3] += 1.0
        return x, labels
    model = UserClassifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    train_x, train_y = data(256)
    for _ in range(60):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(train_x), train_y).backward()
        optimizer.step()
    checkpoint = os.path.join(runner.work, "user.pt")
    torch.save(model.state_dict(), checkpoint)
    # One command: export and compile into a library with its C header.
    mlir = os.path.join(runner.work, "user.mlir")
    library = os.path.join(runner.work, "libuser.so")
    subprocess.run([sys.executable, "-m", "ht_mlir.torch_export", checkpoint, "--batch-first",
                    "-o", mlir, "--library", library, "--header",
                    os.path.join(runner.work, "user.h")],
                   check=True, capture_output=True, env={**os.environ, "HT_MLIR_BIN": runner.bin_dir})
    test_x, test_y = data(200)
    test_x = test_x.float()
    with torch.no_grad():
        want = model.double()(test_x.double()).numpy()
    # The library through its C API, and the checkpoint through ht_mlir.compile.
    from_c = np.zeros(want.shape, np.float32)
    entry = ctypes.CDLL(library).user_forward
    entry.restype = ctypes.c_int32
    entry.argtypes = [ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p, ctypes.c_void_p]
    x = np.ascontiguousarray(test_x.numpy())
    if entry(x.shape[0], x.shape[1], x.ctypes.data, from_c.ctypes.data) != 0:
        raise AssertionError("user_forward failed")
    compiled = ht_mlir.compile(checkpoint, batch_first=True, bin_dir=runner.bin_dir,
                               cache_dir=os.path.join(runner.work, "cache"))
    from_python = compiled(x)
    worst = max(compare("user model logits (C API)", from_c, want),
                compare("user model logits (ht_mlir.compile)", from_python, want))
    accuracy = lambda logits: float(np.mean(np.argmax(logits, axis=1) == test_y.numpy()))
    for got in (from_c, from_python):
        if accuracy(got) != accuracy(want) or accuracy(want) < 0.9:
            raise AssertionError(f"accuracy {accuracy(got):.3f} compiled vs {accuracy(want):.3f} PyTorch")
    return (f"user LSTM + Linear state_dict, batch-first: accuracy {accuracy(from_c):.3f} = PyTorch's "
            f"(C API and ht_mlir.compile), logits rel. error {worst:.1e}")


def check_linear(runner: Runner, tag: str, module: torch.nn.Module, batch: int) -> str:
    module = module.float()
    model = os.path.join(runner.work, f"{tag}.mlir")
    torch_export.export(module, model)
    (x,) = float32_inputs((batch, module.in_features))
    with torch.no_grad():
        want = module.double()(x).numpy()
    inputs = [x.float().numpy()]
    worst = compare(f"{tag} ht-run", runner.ht_run(model, inputs, tag)[0], want)
    got = runner.c_api(model, {"batch": batch}, inputs, [want.shape], tag)[0]
    worst = max(worst, compare(f"{tag} C API", got, want))
    return f"{tag}: ht-run and C API match PyTorch, rel. error {worst:.1e}"


def check_compressed_lstm(runner: Runner) -> str:
    """A dense nn.LSTM, compressed at full (numerical) rank, gives the dense outputs."""
    lstm = torch.nn.LSTM(24, 4)
    dense = os.path.join(runner.work, "dense-lstm.mlir")
    compressed = os.path.join(runner.work, "compressed-lstm.mlir")
    torch_export.export(lstm, dense)
    report = runner.tool("ht-opt", dense, "--ht-compress=weights=all num-modes=3", "-o", compressed)
    if report.count("ht-compress: ht.lstm") != 2:
        raise AssertionError(f"expected W_ih and W_hh in the report, got:\n{report}")
    with open(compressed, encoding="utf-8") as file:
        if "tensor<16x24xf32>" in file.read():
            raise AssertionError("W_ih is still dense after ht-compress")
    x, h0, c0 = float32_inputs((9, 2, 24), (2, 4), (2, 4))
    with torch.no_grad():
        output, (h_n, c_n) = lstm.double()(x, (h0.unsqueeze(0), c0.unsqueeze(0)))
    want = [output.numpy(), h_n[0].numpy(), c_n[0].numpy()]
    got = runner.ht_run(compressed, [t.float().numpy() for t in (x, h0, c0)], "compressed-lstm")
    worst = max(compare(f"compressed LSTM result{i}", g, w) for i, (g, w) in enumerate(zip(got, want)))
    return f"dense nn.LSTM compressed at full rank: matches PyTorch, rel. error {worst:.1e}"


def check_reported_error(runner: Runner) -> str:
    """ht-compress's reported error of a truncated matrix against a float64 recount.

    The compressed linear layer without bias maps the identity to W_htᵀ, so
    running it on I recovers the stored HT matrix densely."""
    # Nearly an HT matrix of ranks 2, plus noise: the truncation error is small but real.
    structured = htnn.HTLinear(48, 32, htnn.ht_layout([4, 2, 2, 2], [3, 4, 2, 2], 2), bias=False)
    linear = torch.nn.Linear(48, 32, bias=False)
    with torch.no_grad():
        linear.weight.copy_(structured.W.dense() + 0.02 * torch.randn(32, 48))
    dense = os.path.join(runner.work, "dense-linear.mlir")
    compressed = os.path.join(runner.work, "compressed-linear.mlir")
    torch_export.export(linear, dense)
    report = runner.tool("ht-opt", dense, "--ht-compress=max-rank=3 row-modes=4,2,2,2 col-modes=3,4,2,2",
                         "-o", compressed)
    match = re.search(r"relative error ([0-9.e+-]+) \(HSVD bound ([0-9.e+-]+)\)", report)
    if not match:
        raise AssertionError(f"no error in the report:\n{report}")
    reported, bound = float(match.group(1)), float(match.group(2))
    (w_ht_t,) = runner.ht_run(compressed, [np.eye(48, dtype=np.float32)], "compressed-linear")
    w = linear.weight.detach().double().numpy()
    recount = np.linalg.norm(w_ht_t.T.astype(np.float64) - w) / np.linalg.norm(w)
    if abs(recount - reported) > 2e-3 * recount or abs(bound - reported) > 2e-3 * reported:
        raise AssertionError(f"reported error {reported}, bound {bound}, float64 recount {recount}")
    return f"ht-compress max-rank=3: reported error {reported:.3e} = float64 recount {recount:.3e}"


def random_recurrent(rng: np.random.Generator, index: int) -> tuple[str, torch.nn.Module, int, int]:
    """A seeded random LSTM or GRU: 1-3 layers, one or both directions, either layout,
    odd sizes; every other one an HT module whose layer-0 W_ih and every W_hh are HT."""
    gru = index % 2 == 1
    layers, bidirectional = int(rng.integers(1, 4)), bool(rng.integers(0, 2))
    batch_first = bool(rng.integers(0, 2))
    inputs, hidden = int(rng.choice([7, 15, 21])), int(rng.choice([3, 5, 7]))
    options = dict(num_layers=layers, bidirectional=bidirectional, batch_first=batch_first)
    name = (f"random{index}_{'gru' if gru else 'lstm'}_{layers}l_{'bi' if bidirectional else 'uni'}_"
            f"{'bf' if batch_first else 'tm'}")
    if index % 4 < 2:
        module = (torch.nn.GRU if gru else torch.nn.LSTM)(inputs, hidden, **options)
        return name + "_dense", module, int(rng.integers(1, 7)), int(rng.integers(1, 4))
    gates = 3 if gru else 4
    col = {7: [7, 1], 15: [3, 5], 21: [7, 3]}[inputs]
    rank = lambda: int(rng.integers(1, 4))
    layouts = {"W_ih": htnn.ht_layout([gates, hidden], col, rank())}
    for layer in range(layers):
        for suffix in ["", "_reverse"][:2 if bidirectional else 1]:
            name_suffix = (f"_l{layer}" if layer else "") + suffix
            layouts["W_hh" + name_suffix] = htnn.ht_layout([gates, hidden], [hidden, 1], rank())
    module = (htnn.HTGRU if gru else htnn.HTLSTM)(inputs, hidden, layouts=layouts, **options)
    return name + "_ht", module, int(rng.integers(1, 7)), int(rng.integers(1, 4))


def cases(runner: Runner) -> list[Callable[[], str]]:
    layout = htnn.ht_layout
    w_ih = layout([4, 2, 2], [4, 3, 2], 3, tree="((0,1),2)")  # 4H = 16 rows, I = 24
    return [
        lambda: check_recurrent(runner, "htlstm_stacked", htnn.HTLSTM(24, 4, w_ih=w_ih), 7, 3),
        lambda: check_recurrent(runner, "htlstm_fdht", htnn.HTLSTM(
            24, 4, w_ih=w_ih, w_hh=layout([4, 4], [2, 2], 2)), 5, 2, static=True),
        lambda: check_recurrent(runner, "htlstm_per_gate", htnn.HTLSTM(
            24, 4, form="per_gate", w_ih=layout([2, 2], [6, 4], 2), gate_activation="hard_sigmoid"), 6, 2),
        lambda: check_recurrent(runner, "htlstm_fused", htnn.HTLSTM(
            24, 4, form="fused", w=layout([4, 4], [7, 4], 4, tree="(1,0)"), bias=False), 4, 3),
        lambda: check_recurrent(runner, "torch_lstm", torch.nn.LSTM(24, 4), 8, 2),
        lambda: check_recurrent(runner, "torch_lstm_2_layers", torch.nn.LSTM(24, 4, num_layers=2), 5, 3),
        lambda: check_recurrent(runner, "torch_lstm_bidirectional", torch.nn.LSTM(
            24, 5, bidirectional=True), 6, 2),
        lambda: check_recurrent(runner, "torch_lstm_3_layers_bidirectional", torch.nn.LSTM(
            7, 3, num_layers=3, bidirectional=True, bias=False), 4, 3, static=True),
        lambda: check_recurrent(runner, "torch_lstm_batch_first", torch.nn.LSTM(
            24, 4, batch_first=True), 6, 3),
        lambda: check_recurrent(runner, "torch_lstm_batch_first_2_layers_bidirectional", torch.nn.LSTM(
            9, 5, num_layers=2, bidirectional=True, batch_first=True), 5, 2),
        lambda: check_recurrent(runner, "htgru_stacked", htnn.HTGRU(
            24, 4, w_ih=layout([3, 2, 2], [4, 3, 2], 3, tree="((0,1),2)"),
            w_hh=layout([3, 4], [2, 2], 2)), 6, 3),
        lambda: check_recurrent(runner, "htgru_per_gate", htnn.HTGRU(
            24, 4, form="per_gate", w_ih=layout([2, 2], [6, 4], 2), bias=False), 5, 2, static=True),
        lambda: check_recurrent(runner, "torch_gru", torch.nn.GRU(24, 4), 7, 2),
        lambda: check_recurrent(runner, "htgru_2_layers_bidirectional_batch_first", htnn.HTGRU(
            24, 4, num_layers=2, bidirectional=True, batch_first=True,
            w_hh=layout([3, 4], [2, 2], 2), layouts={
                "W_ih": layout([3, 2, 2], [4, 3, 2], 3), "W_ih_l1": layout([3, 4], [4, 2], 2)}),
            5, 3),
        lambda: check_recurrent(runner, "htlstm_3_layers_per_gate", htnn.HTLSTM(
            24, 4, form="per_gate", num_layers=3, layouts={
                f"W_ih_{gate}": layout([2, 2], [6, 4], 2) for gate in "ifgo"}), 4, 2),
        lambda: check_recurrent(runner, "compressed_gru_stack", htnn.compress(
            torch.nn.GRU(12, 4, num_layers=2, bidirectional=True),
            {"W_ih": ([3, 4], [4, 3]), "W_hh_l1_reverse": ([3, 4], [2, 2]),
             "W_ih_l1": ([3, 4], [4, 2])}, max_rank=2)[0], 5, 2),
        lambda: check_recurrent(runner, "torch_gru_2_layers_bidirectional", torch.nn.GRU(
            11, 5, num_layers=2, bidirectional=True), 5, 3),
        lambda: check_recurrent(runner, "torch_gru_3_layers_batch_first", torch.nn.GRU(
            9, 3, num_layers=3, batch_first=True, bias=False), 4, 2, static=True),
        lambda: check_recurrent(runner, "torch_gru_batch_first_bidirectional", torch.nn.GRU(
            6, 7, bidirectional=True, batch_first=True), 3, 4),
        lambda: check_classifier(runner, "classifier_lstm_batch_first", htnn.RecurrentClassifier(
            torch.nn.LSTM(12, 6, batch_first=True), torch.nn.Linear(6, 11)), (3, 5, 12)),
        lambda: check_classifier(runner, "classifier_htlstm_hthead", htnn.RecurrentClassifier(
            htnn.HTLSTM(24, 4, w_ih=w_ih), htnn.HTLinear(4, 11, layout([11, 1], [2, 2], 2))),
            (6, 2, 24), static=True),
        lambda: check_classifier(runner, "classifier_gru_bidirectional_all_softmax",
                                 htnn.RecurrentClassifier(
            torch.nn.GRU(9, 5, num_layers=2, bidirectional=True), torch.nn.Linear(10, 3),
            over="all", output="softmax"), (4, 3, 9)),
        lambda: check_user_state_dict(runner),
        *[lambda case=random_recurrent(np.random.default_rng(100 + index), index):
          check_recurrent(runner, *case) for index in range(8)],
        lambda: check_linear(runner, "htlinear", htnn.HTLinear(24, 16, layout([2, 2, 4], [3, 4, 2], 2)), 5),
        lambda: check_compressed_lstm(runner),
        lambda: check_reported_error(runner),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="folder with ht-run, ht-compile, ht-opt")
    parser.add_argument("--work", required=True, help="scratch folder")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    torch.manual_seed(0)
    runner = Runner(args.bin, args.work)
    all_cases = cases(runner)
    for case in all_cases:
        try:
            print(case(), flush=True)
        except (AssertionError, subprocess.CalledProcessError) as error:
            detail = getattr(error, "stderr", "") or ""
            print(f"MISMATCH: {error}\n{detail}", flush=True)
            return 1
    print(f"{len(all_cases)} PyTorch cases match")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
