"""MLIR text of a model in the ``ht`` dialect, weights as ``dense_resource`` blobs.

The module holds one ``func.func @forward`` with ``llvm.emit_c_interface``. Each dense
array becomes ``arith.constant dense_resource<KEY>``; each HT weight becomes one
``ht.constant`` of its leaves and transfers. A blob key is the ``.npz`` key with ``.``
replaced by ``_`` (``W_ih.leaf0`` -> ``W_ih_leaf0``): plain identifiers need no quoting
anywhere in MLIR, and the fixed weight names cannot collide after the replacement.
"""

from __future__ import annotations

from typing import Iterator, Mapping, NamedTuple, Sequence

import numpy as np

from .model import HTLayout, Model, WeightSpec, suffix_of
from .tree import format_tree

# SSA names of the weight and bias values, by model array name.
_VALUE_NAMES = {
    "W_ih": "%wih", "W_hh": "%whh", "W": "%w",
    "W_ih_i": "%wi", "W_ih_f": "%wf", "W_ih_g": "%wg", "W_ih_o": "%wo",
    "W_ih_r": "%wr", "W_ih_z": "%wz", "W_ih_n": "%wn",
    "b_ih": "%bih", "b_hh": "%bhh", "b": "%b",
    "W_head": "%whead", "b_head": "%bhead",
}


def blob_key(array_name: str) -> str:
    """Resource key of an ``.npz`` array."""
    return array_name.replace(".", "_")


def encode_blob(array: np.ndarray) -> str:
    """``"0x"`` + 4-byte little-endian alignment (4) + little-endian float32 bytes, in hex."""
    data = np.ascontiguousarray(array, dtype="<f4").tobytes()
    return "0x" + (4).to_bytes(4, "little").hex().upper() + data.hex().upper()


def tensor_type(shape: Sequence[int | None]) -> str:
    """``tensor<2x?x3xf32>``; ``None`` is a dynamic size."""
    return "tensor<" + "".join("?x" if size is None else f"{size}x" for size in shape) + "f32>"


def _int_list(values: Sequence[int]) -> str:
    return "[" + ", ".join(str(value) for value in values) + "]"


def matrix_type(layout: HTLayout) -> str:
    """The ``!ht.matrix<...>`` type of an HT weight."""
    return (
        f"!ht.matrix<{_int_list(layout.row_modes)} x {_int_list(layout.col_modes)}, "
        f"tree = {format_tree(layout.tree)}, leaf_ranks = {_int_list(layout.leaf_ranks)}, "
        f"node_ranks = {_int_list(layout.node_ranks)}, f32>"
    )


def weight_type(weight: WeightSpec) -> str:
    """Operand type of a weight: a ranked tensor if dense, else its `!ht.matrix` type."""
    return tensor_type((weight.rows, weight.cols)) if weight.ht is None else matrix_type(weight.ht)


def _resource(key: str, shape: Sequence[int]) -> str:
    return f"dense_resource<{blob_key(key)}> : {tensor_type(shape)}"


def _weight_constant(weight: WeightSpec) -> str:
    value = _value_name(weight.name)
    if weight.ht is None:
        return f"{value} = arith.constant {_resource(weight.name, (weight.rows, weight.cols))}"
    leaves = [_resource(key, shape) for key, shape in weight.leaf_arrays().items()]
    transfers = [_resource(key, shape) for key, shape in weight.transfer_arrays().items()]
    return (
        f"{value} = ht.constant leaves [{', '.join(leaves)}] "
        f"transfers [{', '.join(transfers)}] : {matrix_type(weight.ht)}"
    )


def _value_name(name: str) -> str:
    """The SSA name of a weight or bias: its base's, plus its layer/direction suffix."""
    suffix = suffix_of(name)
    return _VALUE_NAMES[name[:len(name) - len(suffix)]] + suffix


def _recurrent_op(model: Model, results: Sequence[str], operands: Sequence[str],
                  operand_types: Sequence[str], result_types: Sequence[str], suffix: str,
                  reverse: bool) -> str:
    """One layer and direction: an ``ht.lstm`` or ``ht.gru``."""
    weights, biases = model.cell_weights(suffix)
    op = (f"{', '.join(results)} = ht.{model.kind} {model.form} {', '.join(operands)} "
          f"weights({', '.join(_value_name(w.name) for w in weights)})")
    types = list(operand_types) + [weight_type(w) for w in weights]
    if biases:
        op += f" biases({', '.join(_value_name(b.name) for b in biases)})"
        types += [tensor_type((b.size,)) for b in biases]
    if model.gate_activation != "sigmoid":
        op += f" gate_activation = {model.gate_activation}"
    if reverse:
        op += " reverse"
    if model.batch_first:
        op += " batch_first"
    return op + f" : ({', '.join(types)}) -> ({', '.join(result_types)})"


def _sequence_type(model: Model, features: int) -> str:
    """``[T, B, features]``, or ``[B, T, features]`` batch-first."""
    steps, batch = model.seq_len, model.batch
    return tensor_type((batch, steps, features) if model.batch_first else (steps, batch, features))


class _Body(NamedTuple):
    """``@forward``'s arguments (``"%x: tensor<...>"``), its lines before the return, and
    the values it returns with their types."""

    arguments: list[str]
    lines: list[str]
    results: list[tuple[str, str]]


def _zero_states(model: Model, state_type: str) -> list[str]:
    """``%h0`` (and ``%c0``) as zeros of ``state_type`` with ``x``'s batch: a model with a
    head takes ``x`` alone, as PyTorch's modules start from zero states."""
    x_type = _sequence_type(model, model.input_size)
    lines = []
    sizes = ""
    if model.batch is None:
        lines += [f"%batch_dim = arith.constant {0 if model.batch_first else 1} : index",
                  f"%batch_x = tensor.dim %x, %batch_dim : {x_type}"]
        sizes = "%batch_x"
    lines += ["%zero = arith.constant 0.0 : f32",
              f"%states_empty = tensor.empty({sizes}) : {state_type}",
              f"%h0 = linalg.fill ins(%zero : f32) outs(%states_empty : {state_type}) -> {state_type}"]
    if "c0" in model.state_names:
        lines.append(f"%c0 = linalg.fill ins(%zero : f32) outs(%states_empty : {state_type}) "
                     f"-> {state_type}")
    return lines


def _state_arguments(model: Model, state_type: str) -> tuple[list[str], list[str]]:
    """The states as arguments, or (with a head) as zeros made in the body."""
    if model.head is not None:
        return [], _zero_states(model, state_type)
    return [f"%{name}: {state_type}" for name in model.state_names], []


def _stacked_recurrent_body(model: Model) -> _Body:
    """Several layers or directions: states ``[L * D, B, H]`` sliced per layer and
    direction, each layer an ``ht.lstm`` (``ht.gru``) per direction (the directions'
    outputs concatenated), the final states stacked again."""
    batch, hidden = model.batch, model.output_size
    cells = model.cells()
    width = model.directions * hidden
    x_type = _sequence_type(model, model.input_size)
    state_type = tensor_type((len(cells), batch, hidden))
    slice_type = tensor_type((batch, hidden))
    cell_out_type = _sequence_type(model, hidden)
    states = [name[0] for name in model.state_names]  # "h", "c"
    state_arguments, lines = _state_arguments(model, state_type)
    # The batch read off each state: each slice then ties its state's size to x's
    # (what the C API checks).
    lines.append("%c1 = arith.constant 1 : index")
    batch_sizes = {}
    for state in states:
        lines.append(f"%batch_{state} = tensor.dim %{state}0, %c1 : {state_type}")
        batch_sizes[state] = f"%batch_{state}" if batch is None else str(batch)
    batch_size = batch_sizes["h"]
    layer_input, layer_type = "%x", x_type
    finals = []
    for layer in range(model.num_layers):
        outputs = []
        for index, (cell_layer, reverse, suffix) in enumerate(cells):
            if cell_layer != layer:
                continue
            for state in states:
                lines.append(f"%{state}0_{index} = tensor.extract_slice %{state}0[{index}, 0, 0] "
                             f"[1, {batch_sizes[state]}, {hidden}] [1, 1, 1] : {state_type} to {slice_type}")
            names = [f"%out_{index}"] + [f"%{state}T_{index}" for state in states]
            lines.append(_recurrent_op(
                model, names, [layer_input] + [f"%{state}0_{index}" for state in states],
                [layer_type] + [slice_type] * len(states),
                [cell_out_type] + [slice_type] * len(states), suffix, reverse))
            outputs.append(names[0])
            finals.append(index)
        if len(outputs) == 1:
            layer_input, layer_type = outputs[0], cell_out_type
        else:
            layer_type = _sequence_type(model, width)
            lines.append(f"%y_{layer} = tensor.concat dim(2) {', '.join(outputs)} : "
                         f"({', '.join([cell_out_type] * len(outputs))}) -> {layer_type}")
            layer_input = f"%y_{layer}"
    for state in states:
        stack = f"%{state}_stack"
        lines.append(f"{stack}0 = tensor.empty({'%batch_h' if batch is None else ''}) : {state_type}")
        for step, index in enumerate(finals):
            target = f"{stack}{step}"
            written = f"{stack}{step + 1}" if step + 1 < len(finals) else f"%{state}n"
            lines.append(f"{written} = tensor.insert_slice %{state}T_{index} into {target}[{index}, 0, 0] "
                         f"[1, {batch_size}, {hidden}] [1, 1, 1] : {slice_type} into {state_type}")
    results = [(layer_input, layer_type)] + [(f"%{state}n", state_type) for state in states]
    return _Body([f"%x: {x_type}"] + state_arguments, lines, results)


def _recurrent_body(model: Model) -> _Body:
    """An LSTM or GRU: the output sequence, then the final states."""
    if model.stacked_states:
        return _stacked_recurrent_body(model)
    batch, hidden = model.batch, model.output_size
    states = [name[0] for name in model.state_names]
    state_type = tensor_type((batch, hidden))
    x_type = _sequence_type(model, model.input_size)
    state_arguments, lines = _state_arguments(model, state_type)
    result_types = [_sequence_type(model, hidden)] + [state_type] * len(states)
    results = ["%out"] + [f"%{state}T" for state in states]
    operands = ["%x"] + [f"%{state}0" for state in states]
    lines.append(_recurrent_op(model, results, operands, [x_type] + [state_type] * len(states),
                               result_types, "", model.reverse))
    return _Body([f"%x: {x_type}"] + state_arguments, lines, list(zip(results, result_types)))


def _head(model: Model, body: _Body) -> _Body:
    """The linear head over the recurrent output: ``y`` replaces every result."""
    assert model.head is not None
    head = model.head
    weight, bias = model.head_weights()
    output, output_type = body.results[0]
    features = model.directions * model.output_size
    lines = list(body.lines)
    batch, steps = model.batch, model.seq_len
    time_dim = 1 if model.batch_first else 0
    if head.over == "last":
        # The last step's [B, D * H] slice of the output (output[-1], or output[:, -1]).
        if steps is None:
            lines += [f"%time_dim = arith.constant {time_dim} : index",
                      f"%steps = tensor.dim {output}, %time_dim : {output_type}",
                      "%one = arith.constant 1 : index",
                      "%last = arith.subi %steps, %one : index"]
            last = "%last"
        else:
            last = str(steps - 1)
        if batch is None:
            lines += [f"%batch_out = arith.constant {1 - time_dim} : index",
                      f"%batch_size = tensor.dim {output}, %batch_out : {output_type}"]
        batch_size = "%batch_size" if batch is None else str(batch)
        offsets = [last, "0", "0"] if time_dim == 0 else ["0", last, "0"]
        sizes = ["1", batch_size, str(features)] if time_dim == 0 else [batch_size, "1", str(features)]
        features_type = tensor_type((batch, features))
        lines.append(f"%features = tensor.extract_slice {output}[{', '.join(offsets)}] "
                     f"[{', '.join(sizes)}] [1, 1, 1] : {output_type} to {features_type}")
        features_value = "%features"
        leading: tuple[int | None, ...] = (batch,)
    else:
        features_value, features_type = output, output_type
        leading = (batch, steps) if model.batch_first else (steps, batch)
    y_type = tensor_type((*leading, head.out_features))
    operands = f"{features_value}, {_value_name(weight.name)}"
    types = [features_type, weight_type(weight)]
    if bias is not None:
        operands += f" bias {_value_name(bias.name)}"
        types.append(tensor_type((bias.size,)))
    lines.append(f"%logits = ht.linear {operands} : {', '.join(types)} -> {y_type}")
    result = "%logits"
    if head.output == "softmax":
        dynamic = [f"%logits_dim{dim}" for dim, size in enumerate(leading) if size is None]
        for dim, size in enumerate(leading):
            if size is None:
                lines += [f"%logits_index{dim} = arith.constant {dim} : index",
                          f"%logits_dim{dim} = tensor.dim %logits, %logits_index{dim} : {y_type}"]
        lines += [f"%probabilities_empty = tensor.empty({', '.join(dynamic)}) : {y_type}",
                  f"%probabilities = linalg.softmax dimension({len(leading)}) ins(%logits : {y_type}) "
                  f"outs(%probabilities_empty : {y_type}) -> {y_type}"]
        result = "%probabilities"
    elif head.output == "argmax":
        return _Body(body.arguments, lines + _argmax(y_type, leading),
                     [("%classes#1", _int_type(leading))])
    return _Body(body.arguments, lines, [(result, y_type)])


def _int_type(shape: Sequence[int | None]) -> str:
    return tensor_type(shape).replace("f32>", "i32>")


def _argmax(y_type: str, leading: Sequence[int | None]) -> list[str]:
    """``%classes#1``: the index of the largest logit along the last axis, as i32 (the
    first of equal ones, as torch.argmax), one reduction over ``%logits``."""
    rank = len(leading) + 1
    dims = ", ".join(f"d{dim}" for dim in range(rank))
    kept = ", ".join(f"d{dim}" for dim in range(rank - 1))
    dynamic = []
    lines = []
    for dim, size in enumerate(leading):
        if size is None:
            lines += [f"%classes_index{dim} = arith.constant {dim} : index",
                      f"%classes_dim{dim} = tensor.dim %logits, %classes_index{dim} : {y_type}"]
            dynamic.append(f"%classes_dim{dim}")
    best_type, index_type = tensor_type(leading), _int_type(leading)
    sizes = ", ".join(dynamic)
    iterators = ", ".join(['"parallel"'] * (rank - 1) + ['"reduction"'])
    lines += [
        "%lowest = arith.constant 0xFF800000 : f32",
        "%first = arith.constant 0 : i32",
        f"%best_empty = tensor.empty({sizes}) : {best_type}",
        f"%best_init = linalg.fill ins(%lowest : f32) outs(%best_empty : {best_type}) -> {best_type}",
        f"%index_empty = tensor.empty({sizes}) : {index_type}",
        f"%index_init = linalg.fill ins(%first : i32) outs(%index_empty : {index_type}) -> {index_type}",
        f"%classes:2 = linalg.generic {{indexing_maps = [affine_map<({dims}) -> ({dims})>, "
        f"affine_map<({dims}) -> ({kept})>, affine_map<({dims}) -> ({kept})>], "
        f"iterator_types = [{iterators}]}} ins(%logits : {y_type}) "
        f"outs(%best_init, %index_init : {best_type}, {index_type}) {{",
        "^bb0(%value: f32, %best: f32, %best_index: i32):",
        f"  %class = linalg.index {rank - 1} : index",
        "  %class_i32 = arith.index_cast %class : index to i32",
        "  %greater = arith.cmpf ogt, %value, %best : f32",
        "  %new_best = arith.select %greater, %value, %best : f32",
        "  %new_index = arith.select %greater, %class_i32, %best_index : i32",
        "  linalg.yield %new_best, %new_index : f32, i32",
        f"}} -> ({best_type}, {index_type})",
    ]
    return lines


def _linear_body(model: Model) -> _Body:
    """A linear layer: ``y`` of ``x``."""
    (weight,) = model.weights
    x_type = tensor_type((model.batch, model.input_size))
    y_type = tensor_type((model.batch, model.output_size))
    operands = f"%x, {_VALUE_NAMES[weight.name]}"
    types = [x_type, weight_type(weight)]
    for bias in model.biases:
        operands += f" bias {_VALUE_NAMES[bias.name]}"
        types.append(tensor_type((bias.size,)))
    op = f"%y = ht.linear {operands} : {', '.join(types)} -> {y_type}"
    return _Body([f"%x: {x_type}"], [op], [("%y", y_type)])


def module_text(model: Model, arrays: Mapping[str, np.ndarray]) -> Iterator[str]:
    """The module as lines (without newlines); ``arrays`` are checked by ``check_arrays``.

    A generator, so that a large dense weight is hex-encoded one blob at a time.
    """
    body = _recurrent_body(model) if model.recurrent else _linear_body(model)
    if model.head is not None:
        body = _head(model, body)
    values, types = zip(*body.results)
    result_types = types[0] if len(types) == 1 else f"({', '.join(types)})"
    signature = f"@forward({', '.join(body.arguments)}) -> {result_types}"
    tail = body.lines + [f"return {', '.join(values)} : {', '.join(types)}"]
    constants = [_weight_constant(weight) for weight in model.weights]
    constants += [
        f"{_value_name(b.name)} = arith.constant {_resource(b.name, (b.size,))}" for b in model.biases
    ]
    yield "module {"
    yield f"  func.func {signature} attributes {{llvm.emit_c_interface}} {{"
    for line in constants + tail:
        yield f"    {line}"
    yield "  }"
    yield "}"
    yield "{-#"
    yield "  dialect_resources: {"
    yield "    builtin: {"
    keys = list(model.array_shapes())
    for index, key in enumerate(keys):
        separator = "," if index + 1 < len(keys) else ""
        yield f'      "{blob_key(key)}": "{encode_blob(arrays[key])}"{separator}'
    yield "    }"
    yield "  }"
    yield "#-}"
