"""Model descriptions: the JSON file read by the exporter, parsed and validated.

A description is a JSON object. An LSTM (semantics sections 4 and 5)::

    {"kind": "lstm", "input_size": I, "hidden_size": H,
     "form": "stacked" | "per_gate" | "fused",
     "gate_activation": "sigmoid" | "hard_sigmoid",   (optional, default "sigmoid")
     "reverse": true | false,                         (optional, default false: steps run T-1 down to 0)
     "num_layers": L, "bidirectional": true | false,  (optional, default 1 and false)
     "batch_first": true | false,                     (optional, default false: x is [T, B, I])
     "bias": true | false,                            (optional, default true)
     "batch": int | null, "seq_len": int | null,      (optional, default null = dynamic)
     "weights": {NAME: WEIGHT, ...}}

with the weight names of its form: ``stacked``: ``W_ih`` [4H x I], ``W_hh`` [4H x H];
``per_gate``: ``W_ih_i``, ``W_ih_f``, ``W_ih_g``, ``W_ih_o`` [H x I] each, ``W_hh``
[4H x H]; ``fused``: ``W`` [4H x (I+H)] applied to ``[x_t, h_{t-1}]``. With several
layers or both directions (PyTorch's ``num_layers`` and ``bidirectional``) every layer
and direction has its own weights and biases, named as PyTorch names them: the suffix
``_l{k}`` for layer ``k >= 1`` and ``_reverse`` for the backward direction
(``W_ih_l1_reverse``); layer ``k >= 1`` reads the ``D * H`` outputs of the layer
below (``D`` = 2 directions, or 1). Such a model's states are ``[L * D, B, H]`` and its
output ``[T, B, D * H]`` (forward then backward halves). A GRU (PyTorch's ``nn.GRU``,
gates r, z, n) is described as an LSTM with ``"kind": "gru"``, the forms ``stacked``
(``W_ih`` [3H x I], ``W_hh`` [3H x H]) and ``per_gate`` (``W_ih_r``, ``W_ih_z``,
``W_ih_n`` [H x I] each, ``W_hh``), biases [3H], no ``gate_activation`` and one state
``h0``. An LSTM or GRU may end in a linear head (PyTorch's "recurrent layers +
``nn.Linear``" classifier), which makes ``@forward`` take ``x`` alone (the states start
at zero, as PyTorch's do when none are given) and return the head's output ``y``::

    "head": {"out_features": M,
             "over": "last" | "all",             (optional, default "last": the output's
                                                  last step, PyTorch's output[-1] or, batch-
                                                  first, output[:, -1]; "all": every step)
             "output": "logits" | "softmax" | "argmax",
                                                 (optional, default "logits"; argmax: the
                                                  int32 index of the largest logit)
             "bias": true | false,               (optional, default true)
             "weights": {"W_head": WEIGHT}}      ([M x D * H], dense or HT; bias b_head [M])

A linear layer::

    {"kind": "linear", "in_features": N, "out_features": M,
     "bias": true | false, "batch": int | null, "weights": {"W": WEIGHT}}

A WEIGHT is ``{"format": "dense"}`` or ``{"format": "ht", "row_modes": [...],
"col_modes": [...], "tree": "((0,1),(2,3))", "leaf_ranks": [...], "node_ranks": [...]}``
with ``node_ranks`` per internal node in preorder (root first, and 1).

Arrays (the ``.npz`` file), all float32 once exported:

- dense weight ``NAME``: ``NAME`` of shape [rows, cols];
- HT weight ``NAME``: ``NAME.leaf0`` .. ``NAME.leaf{d-1}`` of shape [m_k, n_k, r_k], by
  mode, and ``NAME.transfer0`` .. ``NAME.transfer{d-2}`` of shape [r_left, r_right, r_t],
  internal nodes in preorder;
- biases: ``b_ih`` and ``b_hh`` [4H] for an LSTM ([3H] for a GRU), ``b`` [M] for a linear
  layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np

from .tree import DimensionTree, parse_tree, transfer_shapes

LSTM_FORMS = ("stacked", "per_gate", "fused")
GRU_FORMS = ("stacked", "per_gate")
GATE_ACTIVATIONS = ("sigmoid", "hard_sigmoid")
GATES = ("i", "f", "g", "o")
GRU_GATES = ("r", "z", "n")
RECURRENT_KINDS = ("lstm", "gru")
HEAD_OVER = ("last", "all")
HEAD_OUTPUTS = ("logits", "softmax", "argmax")
HEAD_NAMES = ("W_head", "b_head")


@dataclass(frozen=True)
class HTLayout:
    """Mode sizes, tree and ranks of an HT weight: everything but the numbers."""

    row_modes: tuple[int, ...]
    col_modes: tuple[int, ...]
    tree: DimensionTree
    leaf_ranks: tuple[int, ...]
    node_ranks: tuple[int, ...]

    def leaf_shapes(self) -> list[tuple[int, int, int]]:
        return list(zip(self.row_modes, self.col_modes, self.leaf_ranks))

    def transfer_shapes(self) -> list[tuple[int, int, int]]:
        return transfer_shapes(self.tree, self.leaf_ranks, self.node_ranks)


@dataclass(frozen=True)
class WeightSpec:
    """One weight matrix of a model; ``ht`` is ``None`` for a dense weight."""

    name: str
    rows: int
    cols: int
    ht: HTLayout | None = None

    def leaf_arrays(self) -> dict[str, tuple[int, ...]]:
        """``.npz`` key -> shape of the leaves of an HT weight, by mode."""
        assert self.ht is not None, "a dense weight has no leaves"
        return {f"{self.name}.leaf{k}": shape for k, shape in enumerate(self.ht.leaf_shapes())}

    def transfer_arrays(self) -> dict[str, tuple[int, ...]]:
        """``.npz`` key -> shape of the transfers of an HT weight, in preorder."""
        assert self.ht is not None, "a dense weight has no transfers"
        return {f"{self.name}.transfer{i}": shape for i, shape in enumerate(self.ht.transfer_shapes())}

    def array_shapes(self) -> dict[str, tuple[int, ...]]:
        """``.npz`` key -> shape of every array this weight is stored in."""
        if self.ht is None:
            return {self.name: (self.rows, self.cols)}
        return {**self.leaf_arrays(), **self.transfer_arrays()}


@dataclass(frozen=True)
class BiasSpec:
    """One bias vector of a model."""

    name: str
    size: int


@dataclass(frozen=True)
class HeadSpec:
    """The linear head of a recurrent model; its weight and bias are the model's
    ``W_head`` and ``b_head``."""

    out_features: int
    over: str = "last"
    output: str = "logits"


@dataclass(frozen=True)
class Model:
    """A validated model description.

    ``output_size`` is ``hidden_size`` for an LSTM or GRU and ``out_features`` for a
    linear layer. ``weights`` and ``biases`` are in the operand order of the emitted op.
    ``form`` and ``seq_len`` are ``None`` for a linear layer.
    """

    kind: str
    input_size: int
    output_size: int
    weights: tuple[WeightSpec, ...]
    biases: tuple[BiasSpec, ...]
    batch: int | None
    seq_len: int | None = None
    form: str | None = None
    gate_activation: str = "sigmoid"
    reverse: bool = False
    num_layers: int = 1
    bidirectional: bool = False
    batch_first: bool = False
    head: HeadSpec | None = None

    @property
    def recurrent(self) -> bool:
        return self.kind in RECURRENT_KINDS

    @property
    def gates(self) -> tuple[str, ...]:
        """The gates, in the order their rows are stacked."""
        return GRU_GATES if self.kind == "gru" else GATES

    @property
    def state_names(self) -> tuple[str, ...]:
        """The initial states ``@forward`` takes after ``x``."""
        return ("h0",) if self.kind == "gru" else ("h0", "c0")

    @property
    def directions(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def stacked_states(self) -> bool:
        """Whether the states are ``[L * D, B, H]`` (several layers or directions)."""
        return self.num_layers * self.directions > 1

    def cells(self) -> list[tuple[int, bool, str]]:
        """(layer, reverse, name suffix) of every layer and direction, in state order."""
        return [(layer, bool(direction), cell_suffix(layer, bool(direction)))
                for layer in range(self.num_layers) for direction in range(self.directions)]

    def cell_weights(self, suffix: str) -> tuple[tuple[WeightSpec, ...], tuple[BiasSpec, ...]]:
        """The weights and biases of one layer and direction, in operand order."""
        return (tuple(w for w in self.weights
                      if suffix_of(w.name) == suffix and w.name not in HEAD_NAMES),
                tuple(b for b in self.biases
                      if suffix_of(b.name) == suffix and b.name not in HEAD_NAMES))

    def head_weights(self) -> tuple[WeightSpec, BiasSpec | None]:
        """``W_head`` and ``b_head`` (``None`` without a bias) of a model with a head."""
        assert self.head is not None, "this model has no head"
        weight = next(w for w in self.weights if w.name == "W_head")
        bias = next((b for b in self.biases if b.name == "b_head"), None)
        return weight, bias

    def array_shapes(self) -> dict[str, tuple[int, ...]]:
        """Every ``.npz`` key the model needs, with its shape, in operand order."""
        shapes: dict[str, tuple[int, ...]] = {}
        for weight in self.weights:
            shapes.update(weight.array_shapes())
        for bias in self.biases:
            shapes[bias.name] = (bias.size,)
        return shapes


def _check_fields(obj: Any, where: str, required: Sequence[str], optional: Sequence[str] = ()) -> None:
    if not isinstance(obj, Mapping):
        raise ValueError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    for field in required:
        if field not in obj:
            raise ValueError(f"{where}: missing field '{field}'")
    allowed = set(required) | set(optional)
    for field in obj:
        if field not in allowed:
            raise ValueError(f"{where}: unknown field '{field}' (allowed: {', '.join(sorted(allowed))})")


def _positive_int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{where}: expected a positive integer, got {value!r}")
    return value


def _optional_positive_int(value: Any, where: str) -> int | None:
    return None if value is None else _positive_int(value, where)


def _boolean(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{where}: expected true or false, got {value!r}")
    return value


def _choice(value: Any, where: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise ValueError(f"{where}: expected one of {', '.join(choices)}, got {value!r}")
    return value


def _int_list(value: Any, where: str, length: int | None = None) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise ValueError(f"{where}: expected a list of positive integers, got {value!r}")
    if length is not None and len(value) != length:
        raise ValueError(f"{where}: has {len(value)} entries, expected {length}")
    return tuple(_positive_int(item, f"{where}[{index}]") for index, item in enumerate(value))


class _Size(NamedTuple):
    """An expected matrix size and how it follows from the description (for messages)."""

    value: int
    meaning: str


def _parse_ht_layout(obj: Mapping[str, Any], where: str, rows: _Size, cols: _Size) -> HTLayout:
    row_modes = _int_list(obj["row_modes"], f"{where}.row_modes")
    num_modes = len(row_modes)
    if num_modes < 2:
        raise ValueError(f"{where}.row_modes: has {num_modes} modes, expected at least 2")
    col_modes = _int_list(obj["col_modes"], f"{where}.col_modes", num_modes)
    for field, modes, size in (("row_modes", row_modes, rows), ("col_modes", col_modes, cols)):
        product = int(np.prod(modes))
        if product != size.value:
            raise ValueError(f"{where}.{field}: product is {product}, expected {size.value} ({size.meaning})")
    if not isinstance(obj["tree"], str):
        raise ValueError(f"{where}.tree: expected a string such as \"((0,1),(2,3))\", got {obj['tree']!r}")
    try:
        tree = parse_tree(obj["tree"], num_modes)
    except ValueError as error:
        raise ValueError(f"{where}.tree: {error}") from None
    leaf_ranks = _int_list(obj["leaf_ranks"], f"{where}.leaf_ranks", num_modes)
    node_ranks = _int_list(obj["node_ranks"], f"{where}.node_ranks", num_modes - 1)
    if node_ranks[0] != 1:
        raise ValueError(f"{where}.node_ranks: the root's rank (first entry) is {node_ranks[0]}, expected 1")
    return HTLayout(row_modes, col_modes, tree, leaf_ranks, node_ranks)


_HT_FIELDS = ("format", "row_modes", "col_modes", "tree", "leaf_ranks", "node_ranks")


def _parse_weight(name: str, obj: Any, rows: _Size, cols: _Size) -> WeightSpec:
    where = f"weights.{name}"
    _check_fields(obj, where, ["format"], _HT_FIELDS)
    if _choice(obj["format"], f"{where}.format", ("dense", "ht")) == "dense":
        _check_fields(obj, where, ["format"])
        return WeightSpec(name, rows.value, cols.value)
    _check_fields(obj, where, _HT_FIELDS)
    return WeightSpec(name, rows.value, cols.value, _parse_ht_layout(obj, where, rows, cols))


def parse_weight(name: str, obj: Any, rows: int, cols: int) -> WeightSpec:
    """Validate one weight description (``{"format": "dense"}`` or an HT layout) of a
    ``rows`` x ``cols`` matrix; raise ``ValueError`` naming the bad field."""
    return _parse_weight(name, obj, _Size(rows, "rows"), _Size(cols, "columns"))


def _recurrent_weight_sizes(kind: str, form: str, inputs: int, hidden: int
                            ) -> dict[str, tuple[_Size, _Size]]:
    """Weight names of an LSTM or GRU form, in operand order, with their (rows, cols)."""
    gates = GRU_GATES if kind == "gru" else GATES
    gates_rows = _Size(len(gates) * hidden, f"{len(gates)} * hidden_size")
    recurrent = (gates_rows, _Size(hidden, "hidden_size"))
    if form == "stacked":
        return {"W_ih": (gates_rows, _Size(inputs, "input_size")), "W_hh": recurrent}
    if form == "per_gate":
        gate_shape = (_Size(hidden, "hidden_size"), _Size(inputs, "input_size"))
        return {**{f"W_ih_{gate}": gate_shape for gate in gates}, "W_hh": recurrent}
    return {"W": (gates_rows, _Size(inputs + hidden, "input_size + hidden_size"))}


def cell_suffix(layer: int, reverse: bool) -> str:
    """PyTorch's name suffix of a layer and direction: ``""``, ``_l1``, ``_reverse``, ..."""
    return ("" if layer == 0 else f"_l{layer}") + ("_reverse" if reverse else "")


def suffix_of(name: str) -> str:
    """The layer/direction suffix of a weight or bias name (``"_l1_reverse"``, or ``""``)."""
    match = re.search(r"(_l[1-9][0-9]*)?(_reverse)?$", name)
    return match.group(0) if match else ""


def _parse_recurrent(desc: Mapping[str, Any]) -> Model:
    kind = desc["kind"]
    optional = ["reverse", "num_layers", "bidirectional", "batch_first", "bias", "batch", "seq_len",
                "head"]
    if kind == "lstm":
        optional.append("gate_activation")
    _check_fields(desc, "model", ["kind", "input_size", "hidden_size", "form", "weights"], optional)
    inputs = _positive_int(desc["input_size"], "input_size")
    hidden = _positive_int(desc["hidden_size"], "hidden_size")
    if kind == "gru" and desc["form"] == "fused":
        raise ValueError("form: a GRU has no fused form (its reset gate scales the recurrent "
                         "product alone); expected one of stacked, per_gate")
    form = _choice(desc["form"], "form", GRU_FORMS if kind == "gru" else LSTM_FORMS)
    layers = _positive_int(desc.get("num_layers", 1), "num_layers")
    bidirectional = _boolean(desc.get("bidirectional", False), "bidirectional")
    reverse = _boolean(desc.get("reverse", False), "reverse")
    if reverse and (bidirectional or layers > 1):
        raise ValueError(f"reverse: a one-layer, one-direction {kind.upper()} only (a "
                         "bidirectional model runs both directions itself)")
    directions = 2 if bidirectional else 1
    sizes: dict[str, tuple[_Size, _Size]] = {}
    for layer in range(layers):
        layer_inputs = inputs if layer == 0 else directions * hidden
        for direction in range(directions):
            suffix = cell_suffix(layer, bool(direction))
            for name, shape in _recurrent_weight_sizes(kind, form, layer_inputs, hidden).items():
                if layer > 0:
                    shape = tuple(_Size(size.value, size.meaning.replace(
                        "input_size", f"{directions} * hidden_size")) for size in shape)
                sizes[name + suffix] = shape
    _check_fields(desc["weights"], "weights", list(sizes))
    weights = tuple(_parse_weight(name, desc["weights"][name], *shape) for name, shape in sizes.items())
    bias = _boolean(desc.get("bias", True), "bias")
    gate_rows = (3 if kind == "gru" else 4) * hidden
    biases = tuple(BiasSpec(name + suffix, gate_rows)
                   for layer in range(layers) for direction in range(directions)
                   for suffix in [cell_suffix(layer, bool(direction))]
                   for name in ("b_ih", "b_hh")) if bias else ()
    head = None
    if "head" in desc:
        head, head_weight, head_bias = _parse_head(desc["head"], directions * hidden)
        if reverse:
            raise ValueError("head: a model with a head runs forward (use bidirectional for "
                             "both directions)")
        weights += (head_weight,)
        biases += (head_bias,) if head_bias else ()
    return Model(
        kind=kind,
        input_size=inputs,
        output_size=hidden,
        weights=weights,
        biases=biases,
        num_layers=layers,
        bidirectional=bidirectional,
        batch_first=_boolean(desc.get("batch_first", False), "batch_first"),
        batch=_optional_positive_int(desc.get("batch"), "batch"),
        seq_len=_optional_positive_int(desc.get("seq_len"), "seq_len"),
        form=form,
        gate_activation=_choice(desc.get("gate_activation", "sigmoid"), "gate_activation", GATE_ACTIVATIONS),
        reverse=reverse,
        head=head,
    )


def _parse_head(obj: Any, features: int) -> tuple[HeadSpec, WeightSpec, BiasSpec | None]:
    _check_fields(obj, "head", ["out_features", "weights"], ["over", "output", "bias"])
    outputs = _positive_int(obj["out_features"], "head.out_features")
    _check_fields(obj["weights"], "head.weights", ["W_head"])
    weight = _parse_weight("W_head", obj["weights"]["W_head"], _Size(outputs, "head.out_features"),
                           _Size(features, "directions * hidden_size"))
    spec = HeadSpec(outputs, _choice(obj.get("over", "last"), "head.over", HEAD_OVER),
                    _choice(obj.get("output", "logits"), "head.output", HEAD_OUTPUTS))
    bias = BiasSpec("b_head", outputs) if _boolean(obj.get("bias", True), "head.bias") else None
    return spec, weight, bias


def _parse_linear(desc: Mapping[str, Any]) -> Model:
    _check_fields(desc, "model", ["kind", "in_features", "out_features", "weights"], ["bias", "batch"])
    inputs = _positive_int(desc["in_features"], "in_features")
    outputs = _positive_int(desc["out_features"], "out_features")
    _check_fields(desc["weights"], "weights", ["W"])
    rows, cols = _Size(outputs, "out_features"), _Size(inputs, "in_features")
    weight = _parse_weight("W", desc["weights"]["W"], rows, cols)
    bias = _boolean(desc.get("bias", True), "bias")
    return Model(
        kind="linear",
        input_size=inputs,
        output_size=outputs,
        weights=(weight,),
        biases=(BiasSpec("b", outputs),) if bias else (),
        batch=_optional_positive_int(desc.get("batch"), "batch"),
    )


def parse_model(desc: Mapping[str, Any]) -> Model:
    """Validate a description (the parsed JSON); raise ``ValueError`` naming the bad field."""
    if not isinstance(desc, Mapping):
        raise ValueError(f"model: expected a JSON object, got {type(desc).__name__}")
    kind = desc.get("kind")
    if kind in RECURRENT_KINDS:
        return _parse_recurrent(desc)
    if kind == "linear":
        return _parse_linear(desc)
    raise ValueError(f"kind: expected one of lstm, gru, linear, got {kind!r}")


def check_arrays(model: Model, arrays: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Validate the ``.npz`` arrays against ``model``; return them as float32, in operand order.

    Weights are rounded to float32 here because that is what the compiled model stores;
    the reference evaluates these same rounded numbers in float64.
    """
    expected = model.array_shapes()
    for key, shape in expected.items():
        if key not in arrays:
            raise ValueError(f"weights: missing array '{key}' (expected shape {list(shape)})")
    for key in arrays:
        if key not in expected:
            raise ValueError(f"weights: unexpected array '{key}' (this model does not use it)")
    checked: dict[str, np.ndarray] = {}
    for key, shape in expected.items():
        array = np.asarray(arrays[key])
        if array.shape != shape:
            raise ValueError(f"weights: array '{key}' has shape {list(array.shape)}, expected {list(shape)}")
        if array.dtype.kind not in "fiu":
            raise ValueError(f"weights: array '{key}' has dtype {array.dtype}, expected a real number type")
        with np.errstate(over="ignore"):
            checked[key] = array.astype(np.float32)
        if not np.all(np.isfinite(checked[key])):
            raise ValueError(f"weights: array '{key}' has values that are not finite as float32")
    return checked
