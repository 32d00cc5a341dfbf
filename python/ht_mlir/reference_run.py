"""Run the float64 reference of a model on ``.npy`` inputs; integration tests compare with it.

Usage::

    PYTHONPATH=python python3 -m ht_mlir.reference_run MODEL.json WEIGHTS.npz \\
        --input x.npy [--input h0.npy --input c0.npy] --output-dir DIR

Inputs are in the order of ``@forward``'s arguments (an LSTM without ``h0``/``c0``, a GRU
without ``h0``, starts from zeros). Outputs are written as float64 ``DIR/result0.npy``, ``result1.npy``, ... in
result order. Weights and inputs are first rounded to float32, the numbers the compiled
model sees; the arithmetic is then float64 as the numerical contract prescribes.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any, Mapping, Sequence

import numpy as np

from . import cli, reference
from .files import atomic_output, load_description, load_npy, load_npz
from .model import GATES, Model, check_arrays, parse_model


def _matrices(model: Model, arrays: Mapping[str, np.ndarray]) -> dict[str, reference.Matrix]:
    """Each weight of ``model`` as a dense array or an :class:`reference.HTMatrix`."""
    matrices: dict[str, reference.Matrix] = {}
    for weight in model.weights:
        if weight.ht is None:
            matrices[weight.name] = arrays[weight.name]
            continue
        matrices[weight.name] = reference.HTMatrix(
            weight.ht.row_modes,
            weight.ht.col_modes,
            weight.ht.tree,
            tuple(arrays[key] for key in weight.leaf_arrays()),
            tuple(arrays[key] for key in weight.transfer_arrays()),
        )
    return matrices


def _check_input(name: str, array: np.ndarray, shape: Sequence[int | None]) -> np.ndarray:
    """``array`` rounded to float32 (as float64) after checking it against ``shape``."""
    matches = array.ndim == len(shape) and all(s is None or s == n for s, n in zip(shape, array.shape))
    if not matches or array.dtype.kind not in "fiu":
        expected = "[" + ", ".join("?" if s is None else str(s) for s in shape) + "]"
        raise ValueError(f"input {name}: got {array.dtype} {list(array.shape)}, expected real {expected}")
    return array.astype(np.float32).astype(np.float64)


def _run_recurrent(
    model: Model,
    matrices: Mapping[str, reference.Matrix],
    arrays: Mapping[str, np.ndarray],
    inputs: Sequence[np.ndarray],
) -> list[np.ndarray]:
    """An LSTM's or GRU's results: the output sequence, then the final states."""
    names = ("x",) + model.state_names
    if len(inputs) not in (1, len(names)):
        raise ValueError(f"an {model.kind.upper()} takes x or {', '.join(names)} as inputs, "
                         f"got {len(inputs)} inputs")
    hidden = model.output_size
    if model.batch_first:  # the reference runs time-major; the results go back
        shape = (model.batch, model.seq_len, model.input_size)
        results = _run_recurrent(replace(model, batch_first=False), matrices, arrays,
                                 [np.swapaxes(_check_input("x", inputs[0], shape), 0, 1),
                                  *inputs[1:]])
        return [np.swapaxes(results[0], 0, 1), *results[1:]]
    x = _check_input("x", inputs[0], (model.seq_len, model.batch, model.input_size))
    cells = model.cells()
    state_shape = (len(cells), x.shape[1], hidden) if model.stacked_states else (x.shape[1], hidden)
    if len(inputs) > 1:
        states = [_check_input(name, state, state_shape)
                  for name, state in zip(model.state_names, inputs[1:])]
    else:
        states = [np.zeros(state_shape) for _ in model.state_names]
    if not model.stacked_states:
        return list(_run_cell(model, matrices, arrays, "", model.reverse, x, states))
    layer_input = x
    finals = [np.empty(state_shape) for _ in model.state_names]
    for layer in range(model.num_layers):
        outputs = []
        for index, (cell_layer, reverse, suffix) in enumerate(cells):
            if cell_layer == layer:
                out, *cell_finals = _run_cell(model, matrices, arrays, suffix, reverse,
                                              layer_input, [state[index] for state in states])
                for final, value in zip(finals, cell_finals):
                    final[index] = value
                outputs.append(out)
        layer_input = np.concatenate(outputs, axis=2)
    return [layer_input, *finals]


def _run_cell(model: Model, matrices: Mapping[str, reference.Matrix],
              arrays: Mapping[str, np.ndarray], suffix: str, reverse: bool,
              x: np.ndarray, states: Sequence[np.ndarray]):
    """One layer and direction (semantics section 4)."""
    biases = ((arrays["b_ih" + suffix], arrays["b_hh" + suffix]) if model.cell_weights(suffix)[1]
              else (None, None))
    if model.kind == "gru":
        if model.form == "stacked":
            return reference.gru(x, *states, matrices["W_ih" + suffix], matrices["W_hh" + suffix],
                                 *biases, reverse=reverse)
        return reference.gru_per_gate(
            x, *states, [matrices[f"W_ih_{gate}{suffix}"] for gate in model.gates],
            matrices["W_hh" + suffix], *biases, reverse=reverse)
    if model.form == "stacked":
        weights: tuple[Any, ...] = (matrices["W_ih" + suffix], matrices["W_hh" + suffix])
        run = reference.lstm
    elif model.form == "per_gate":
        weights = ([matrices[f"W_ih_{gate}{suffix}"] for gate in GATES], matrices["W_hh" + suffix])
        run = reference.lstm_per_gate
    else:
        weights = (matrices["W" + suffix],)
        run = reference.lstm_fused
    return run(x, *states, *weights, *biases, gate_activation=model.gate_activation,
               reverse=reverse)


def _run_with_head(model: Model, matrices: Mapping[str, reference.Matrix],
                   arrays: Mapping[str, np.ndarray], inputs: Sequence[np.ndarray]) -> np.ndarray:
    """A recurrent model with a head: zero states, then the head over the last step or
    every step of the output."""
    if len(inputs) != 1:
        raise ValueError(f"a model with a head takes x alone, got {len(inputs)} inputs")
    head = model.head
    output = _run_recurrent(replace(model, head=None), matrices, arrays, inputs)[0]
    if head.over == "last":
        output = output[:, -1] if model.batch_first else output[-1]
    y = reference.ht_linear(output, matrices["W_head"], arrays.get("b_head"))
    if head.output == "argmax":
        return np.argmax(y, axis=-1).astype(np.int32)
    return reference.softmax(y) if head.output == "softmax" else y


def run_reference(
    desc: Mapping[str, Any], weights: Mapping[str, np.ndarray], inputs: Sequence[np.ndarray]
) -> list[np.ndarray]:
    """Results of ``@forward`` for ``inputs``, in float64 and in result order."""
    model = parse_model(desc)
    arrays = check_arrays(model, weights)
    matrices = _matrices(model, arrays)
    if model.head is not None:
        return [_run_with_head(model, matrices, arrays, inputs)]
    if model.recurrent:
        return _run_recurrent(model, matrices, arrays, inputs)
    if len(inputs) != 1:
        raise ValueError(f"a linear layer takes one input x, got {len(inputs)} inputs")
    x = _check_input("x", inputs[0], (model.batch, model.input_size))
    return [reference.ht_linear(x, matrices["W"], arrays.get("b"))]


def main(argv: Sequence[str] | None = None) -> None:
    parser = cli.ArgumentParser(prog="python3 -m ht_mlir.reference_run", description=__doc__.split("\n")[0])
    parser.add_argument("model", help="model description (.json)")
    parser.add_argument("weights", help="weights (.npz)")
    parser.add_argument("--input", action="append", required=True, help=".npy input, in argument order")
    parser.add_argument("--output-dir", required=True, help="folder for result0.npy, result1.npy, ...")
    args = parser.parse_args(argv)
    inputs = [load_npy(path) for path in args.input]
    results = run_reference(load_description(args.model), load_npz(args.weights), inputs)
    os.makedirs(args.output_dir, exist_ok=True)
    for index, result in enumerate(results):
        with atomic_output(os.path.join(args.output_dir, f"result{index}.npy"), "wb") as file:
            np.save(file, result)


if __name__ == "__main__":
    raise SystemExit(cli.run(main))
