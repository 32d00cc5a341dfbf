"""PyTorch modules of HT layers that follow ``docs/Semantics.md`` exactly.

``HTLinear`` computes ``Y = X·Wᵀ + b``; ``HTLSTM`` and ``HTGRU`` are PyTorch's
``nn.LSTM`` and ``nn.GRU`` (semantics sections 4, 4a and 5: any ``num_layers``,
``bidirectional``, ``batch_first``, PyTorch's state shapes) in the weight forms of the
exporter: ``stacked`` (``W_ih`` [G·H x I], ``W_hh`` [G·H x H], G = 4 gates i, f, g, o or 3
gates r, z, n), ``per_gate`` (one [H x I] input matrix per gate, ``W_hh``) and, for the
LSTM, ``fused`` (``W`` [4H x (I+H)] applied to ``[x_t, h_{t-1}]``). Each weight is an
:class:`HTMatrix` (trainable leaves and transfers) or a plain dense matrix, named as in
model descriptions (``W_ih``, ``W_hh_l1_reverse``, ...). ``RecurrentClassifier`` puts a
linear head after either; :func:`compress` turns a trained dense ``nn.LSTM`` / ``nn.GRU``
into one of them by HSVD.

A module is fully described by its JSON model description (:mod:`ht_mlir.model`):
``module.description()`` gives it, :func:`from_description` rebuilds the module,
and :func:`save` / :func:`load` keep both with the parameters in one file that
``python3 -m ht_mlir.torch_export`` compiles to MLIR.

The forward pass rebuilds each HT weight's dense matrix from its factors (one
small einsum per internal node) and multiplies by it; this is exact, differentiable
and fast for training. The compiler, not this module, picks contraction orders.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import numpy as np
import torch
from torch import nn

from .model import (GATE_ACTIVATIONS, GATES, GRU_FORMS, GRU_GATES, LSTM_FORMS, WeightSpec,
                    cell_suffix, parse_model, parse_weight, suffix_of)
from .tree import Child, balanced_tree, format_tree

CHECKPOINT_FORMAT = "ht_mlir.nn/1"


def ht_layout(
    row_modes: Sequence[int],
    col_modes: Sequence[int],
    rank: int | None = None,
    *,
    tree: str | None = None,
    leaf_ranks: Sequence[int] | None = None,
    node_ranks: Sequence[int] | None = None,
) -> dict[str, Any]:
    """An HT weight description: every rank ``rank`` (the root's 1) or explicit
    ``leaf_ranks`` and ``node_ranks``; the balanced tree unless ``tree`` is given."""
    num_modes = len(row_modes)
    if (rank is None) == (leaf_ranks is None or node_ranks is None):
        raise ValueError("give either rank or both leaf_ranks and node_ranks")
    if rank is not None:
        leaf_ranks = [rank] * num_modes
        node_ranks = [1] + [rank] * (num_modes - 2)
    return {
        "format": "ht",
        "row_modes": list(row_modes),
        "col_modes": list(col_modes),
        "tree": tree if tree is not None else format_tree(balanced_tree(num_modes)),
        "leaf_ranks": list(leaf_ranks),
        "node_ranks": list(node_ranks),
    }


class HTMatrix(nn.Module):
    """A trainable HT matrix: ``leaves[k]`` is ``U_k`` [m_k, n_k, r_k] (by mode) and
    ``transfers[i]`` is ``B_i`` [r_left, r_right, r_i] (internal nodes in preorder).

    Initialised so that the matrix entries have variance ``1/cols`` (each leaf entry
    ``1/n_k``, each transfer entry ``1/(r_left*r_right)``), like the exporter's
    random weights.
    """

    def __init__(self, spec: WeightSpec) -> None:
        super().__init__()
        assert spec.ht is not None
        self.spec = spec
        layout = spec.ht
        self.leaves = nn.ParameterList(
            nn.Parameter(torch.randn(shape) * shape[1] ** -0.5) for shape in layout.leaf_shapes()
        )
        self.transfers = nn.ParameterList(
            nn.Parameter(torch.randn(shape) * (shape[0] * shape[1]) ** -0.5)
            for shape in layout.transfer_shapes()
        )
        self._nodes = layout.tree.internal_nodes()
        order = layout.tree.leaf_order()
        self._leaf_order = order
        self._to_mode_order = [order.index(mode) for mode in range(len(order))]

    def _frame(self, child: Child) -> torch.Tensor:
        """Node frame ``[rows, cols, rank]``, the left child's modes slowest."""
        if child.kind == "leaf":
            return self.leaves[child.index]
        left, right = (self._frame(c) for c in self._nodes[child.index])
        # Transfer into the left frame first, then the right: contracting the
        # two frames first (torch's left-to-right einsum) builds their outer
        # product, 60 GB at the UCF11 shape's rank 16.
        with_transfer = torch.einsum("ija,abp->ijbp", left, self.transfers[child.index])
        combined = torch.einsum("ijbp,klb->ikjlp", with_transfer, right)
        return combined.reshape(left.shape[0] * right.shape[0], left.shape[1] * right.shape[1], -1)

    def dense(self) -> torch.Tensor:
        """The ``[rows, cols]`` matrix of semantics section 2."""
        layout = self.spec.ht
        num_modes = len(self._leaf_order)
        root = self._frame(Child("node", 0))[:, :, 0]
        tensor = root.reshape(
            [layout.row_modes[k] for k in self._leaf_order] + [layout.col_modes[k] for k in self._leaf_order]
        )
        tensor = tensor.permute(self._to_mode_order + [num_modes + axis for axis in self._to_mode_order])
        return tensor.reshape(self.spec.rows, self.spec.cols)

    def load_factors(self, leaves: Sequence[np.ndarray], transfers: Sequence[np.ndarray]) -> None:
        """Sets the factors (shapes as the layout says), e.g. from :func:`ht_mlir.hsvd.hsvd`."""
        with torch.no_grad():
            for parameter, value in zip(list(self.leaves) + list(self.transfers), [*leaves, *transfers]):
                if tuple(parameter.shape) != tuple(np.shape(value)):
                    raise ValueError(f"factor has shape {list(np.shape(value))}, expected {list(parameter.shape)}")
                parameter.copy_(torch.as_tensor(np.asarray(value), dtype=parameter.dtype))

    def description(self) -> dict[str, Any]:
        layout = self.spec.ht
        return {
            "format": "ht",
            "row_modes": list(layout.row_modes),
            "col_modes": list(layout.col_modes),
            "tree": format_tree(layout.tree),
            "leaf_ranks": list(layout.leaf_ranks),
            "node_ranks": list(layout.node_ranks),
        }

    def arrays(self) -> dict[str, np.ndarray]:
        """The ``.npz`` arrays of this weight (float32)."""
        arrays = {f"{self.spec.name}.leaf{k}": leaf for k, leaf in enumerate(self.leaves)}
        arrays.update({f"{self.spec.name}.transfer{i}": b for i, b in enumerate(self.transfers)})
        return {key: _to_numpy(value) for key, value in arrays.items()}


class DenseMatrix(nn.Module):
    """A plain ``[rows, cols]`` weight, initialised with variance ``1/cols``."""

    def __init__(self, spec: WeightSpec) -> None:
        super().__init__()
        self.spec = spec
        self.weight = nn.Parameter(torch.randn(spec.rows, spec.cols) * spec.cols**-0.5)

    def dense(self) -> torch.Tensor:
        return self.weight

    def description(self) -> dict[str, Any]:
        return {"format": "dense"}

    def arrays(self) -> dict[str, np.ndarray]:
        return {self.spec.name: _to_numpy(self.weight)}


def _matrix(name: str, rows: int, cols: int, layout: Mapping[str, Any] | None) -> nn.Module:
    spec = parse_weight(name, dict(layout) if layout is not None else {"format": "dense"}, rows, cols)
    return HTMatrix(spec) if spec.ht is not None else DenseMatrix(spec)


def _to_numpy(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().to("cpu", torch.float32).numpy().copy()


def _uniform_bias(size: int, hidden: int) -> nn.Parameter:
    bound = 1.0 / math.sqrt(hidden)
    return nn.Parameter(torch.empty(size).uniform_(-bound, bound))


class HTLinear(nn.Module):
    """``Y = X·Wᵀ + b`` with ``W`` an HT matrix (or dense, given ``layout=None``)."""

    def __init__(self, in_features: int, out_features: int, layout: Mapping[str, Any] | None,
                 bias: bool = True) -> None:
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.W = _matrix("W", out_features, in_features, layout)
        self.b = _uniform_bias(out_features, in_features) if bias else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.linear(x, self.W.dense(), self.b)

    def description(self, batch: int | None = None) -> dict[str, Any]:
        return {"kind": "linear", "in_features": self.in_features, "out_features": self.out_features,
                "bias": self.b is not None, "batch": batch, "weights": {"W": self.W.description()}}

    def arrays(self) -> dict[str, np.ndarray]:
        arrays = self.W.arrays()
        if self.b is not None:
            arrays["b"] = _to_numpy(self.b)
        return arrays


def _hard_sigmoid(z: torch.Tensor) -> torch.Tensor:
    return torch.clamp(0.2 * z + 0.5, 0.0, 1.0)


Layout = Mapping[str, Any] | None


class _RecurrentLayers(nn.Module):
    """What HTLSTM and HTGRU share: layers and directions (PyTorch's ``num_layers`` and
    ``bidirectional``, weights and biases named with its suffixes ``_l1``, ``_reverse``),
    ``batch_first``, the states' shapes, the description and the arrays."""

    kind = ""
    gates: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()

    def __init__(self, input_size: int, hidden_size: int, form: str, bias: bool,
                 num_layers: int, bidirectional: bool, batch_first: bool,
                 default_layouts: Mapping[str, Layout], layouts: Mapping[str, Layout] | None
                 ) -> None:
        super().__init__()
        if form not in self.forms:
            note = " (a GRU has no fused form)" if self.kind == "gru" else ""
            raise ValueError(f"form: expected one of {', '.join(self.forms)}{note}, got {form!r}")
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size),
                            ("num_layers", num_layers)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name}: expected a positive integer, got {value!r}")
        self.input_size, self.hidden_size, self.form = input_size, hidden_size, form
        self.num_layers, self.bidirectional, self.batch_first = num_layers, bidirectional, batch_first
        directions = 2 if bidirectional else 1
        shapes = {}
        for layer, reverse in self._cells():
            inputs = input_size if layer == 0 else directions * hidden_size
            for base, shape in self._weight_shapes(inputs).items():
                shapes[base + cell_suffix(layer, reverse)] = (base, shape)
        layouts = dict(layouts or {})
        for name in layouts:
            if name not in shapes:
                raise ValueError(f"layouts: '{name}' is not a weight of this model (its weights: "
                                 f"{', '.join(shapes)})")
        self.weights = nn.ModuleDict({
            name: _matrix(name, rows, cols, layouts.get(name, default_layouts.get(base)))
            for name, (base, (rows, cols)) in shapes.items()})
        self.has_bias = bias
        size = len(self.gates) * hidden_size
        for layer, reverse in self._cells():
            for name in ("b_ih", "b_hh"):
                # Registered as b_ih, b_hh_l1_reverse, ...: the description's names.
                setattr(self, name + cell_suffix(layer, reverse),
                        _uniform_bias(size, hidden_size) if bias else None)

    def _cells(self) -> list[tuple[int, bool]]:
        return [(layer, bool(direction)) for layer in range(self.num_layers)
                for direction in range(2 if self.bidirectional else 1)]

    def _weight_shapes(self, inputs: int) -> dict[str, tuple[int, int]]:
        rows, hidden = len(self.gates) * self.hidden_size, self.hidden_size
        if self.form == "fused":
            return {"W": (rows, inputs + hidden)}
        if self.form == "per_gate":
            shapes = {f"W_ih_{gate}": (hidden, inputs) for gate in self.gates}
        else:
            shapes = {"W_ih": (rows, inputs)}
        return {**shapes, "W_hh": (rows, hidden)}

    def bias(self, name: str) -> torch.Tensor | None:
        """The bias ``name`` (``"b_ih"``, ``"b_hh_l1_reverse"``, ...) or ``None``."""
        return getattr(self, name)

    def input_and_recurrent(self, suffix: str = "") -> tuple[torch.Tensor, torch.Tensor]:
        """The dense ``W_ih`` and ``W_hh`` of one layer and direction, in any form."""
        if self.form == "fused":
            fused = self.weights["W" + suffix].dense()
            inputs = fused.shape[1] - self.hidden_size
            return fused[:, :inputs], fused[:, inputs:]
        if self.form == "per_gate":
            w_ih = torch.cat([self.weights[f"W_ih_{g}{suffix}"].dense() for g in self.gates])
        else:
            w_ih = self.weights["W_ih" + suffix].dense()
        return w_ih, self.weights["W_hh" + suffix].dense()

    def _states(self, hx: Sequence[torch.Tensor] | None, x: torch.Tensor, count: int
                ) -> tuple[list[torch.Tensor], str]:
        """The initial states as ``[L * D, B, H]``, and the shape the final ones take:
        ``"stacked"`` (``[L * D, B, H]``, PyTorch's) or, for one layer and direction given
        ``[B, H]`` states or none, ``"plain"`` (``[B, H]``)."""
        cells, batch, hidden = len(self._cells()), x.shape[1], self.hidden_size
        if hx is None:
            # Zeros; one layer and direction answers [B, H] states, as it always has.
            return ([x.new_zeros(cells, batch, hidden) for _ in range(count)],
                    "plain" if cells == 1 else "stacked")
        shapes = [list(state.shape) for state in hx]
        if all(shape == [cells, batch, hidden] for shape in shapes):
            return list(hx), "stacked"
        if cells == 1 and all(shape == [batch, hidden] for shape in shapes):
            return [state[None] for state in hx], "plain"
        names = " and ".join(("h0", "c0")[:count])
        plain = f"[{batch}, {hidden}] or, " if cells == 1 else ""
        raise ValueError(
            f"{names} {'have shapes' if count > 1 else 'has shape'} "
            f"{' and '.join(str(s) for s in shapes)}, expected {'both ' if count > 1 else ''}"
            f"{plain}as nn.{self.kind.upper()}'s, [{cells}, {batch}, {hidden}] "
            f"(num_layers * directions, batch, hidden_size)")

    def _run(self, x: torch.Tensor, states: list[torch.Tensor]
             ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Every layer and direction over time-major ``x``; the output and the final
        states, ``[L * D, B, H]`` each."""
        finals: list[list[torch.Tensor]] = [[] for _ in states]
        layer_input = x
        for layer in range(self.num_layers):
            outputs = []
            for index, (cell_layer, reverse) in enumerate(self._cells()):
                if cell_layer != layer:
                    continue
                out, cell_finals = self._cell(cell_suffix(layer, reverse), layer_input,
                                              [state[index] for state in states], reverse)
                outputs.append(out)
                for final, value in zip(finals, cell_finals):
                    final.append(value)
            layer_input = torch.cat(outputs, dim=2)
        return layer_input, [torch.stack(final) for final in finals]

    def _cell(self, suffix: str, x: torch.Tensor, states: list[torch.Tensor], reverse: bool
              ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        raise NotImplementedError

    def _forward(self, x: torch.Tensor, hx: Sequence[torch.Tensor] | None, count: int
                 ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        if x.dim() != 3 or x.shape[2] != self.input_size:
            layout = "[B, T, " if self.batch_first else "[T, B, "
            raise ValueError(f"x has shape {list(x.shape)}, expected {layout}{self.input_size}]")
        if self.batch_first:
            x = x.transpose(0, 1)
        states, given = self._states(hx, x, count)
        output, finals = self._run(x, states)
        if self.batch_first:
            output = output.transpose(0, 1)
        if given == "plain":
            finals = [final[0] for final in finals]
        return output, finals

    def description(self, seq_len: int | None = None, batch: int | None = None) -> dict[str, Any]:
        desc: dict[str, Any] = {"kind": self.kind, "input_size": self.input_size,
                                "hidden_size": self.hidden_size, "form": self.form}
        if self.kind == "lstm":
            desc["gate_activation"] = self.gate_activation
        if self.num_layers > 1:
            desc["num_layers"] = self.num_layers
        if self.bidirectional:
            desc["bidirectional"] = True
        if self.batch_first:
            desc["batch_first"] = True
        desc.update({"bias": self.has_bias, "batch": batch, "seq_len": seq_len,
                     "weights": {name: matrix.description() for name, matrix in self.weights.items()}})
        return desc

    def arrays(self) -> dict[str, np.ndarray]:
        arrays: dict[str, np.ndarray] = {}
        for matrix in self.weights.values():
            arrays.update(matrix.arrays())
        if self.has_bias:
            for layer, reverse in self._cells():
                for name in ("b_ih", "b_hh"):
                    arrays[name + cell_suffix(layer, reverse)] = _to_numpy(
                        self.bias(name + cell_suffix(layer, reverse)))
        return arrays


class HTLSTM(_RecurrentLayers):
    """PyTorch's ``nn.LSTM`` (semantics sections 4-5, gates i, f, g, o) with HT weights.

    ``form="stacked"``: ``w_ih`` lays out ``W_ih`` [4H x I], ``w_hh`` ``W_hh``;
    ``form="per_gate"``: ``w_ih`` lays out each gate's [H x I] matrix;
    ``form="fused"``: ``w`` lays out ``[W_ih | W_hh]`` [4H x (I+H)].
    A layout of ``None`` makes that weight dense (see :func:`ht_layout`). ``num_layers``,
    ``bidirectional`` and ``batch_first`` are ``nn.LSTM``'s; ``w_ih`` / ``w`` then lay out
    every layer's matrix that they fit, and ``layouts`` sets any weight by its name
    (``"W_ih_l1"``, ``"W_hh_reverse"``, ...; ``None`` for dense). States are ``nn.LSTM``'s
    ``[num_layers * directions, B, H]``; one layer and direction also takes ``[B, H]``.
    """

    kind, gates, forms = "lstm", GATES, LSTM_FORMS

    def __init__(self, input_size: int, hidden_size: int, *, form: str = "stacked",
                 w_ih: Layout = None, w_hh: Layout = None, w: Layout = None, bias: bool = True,
                 gate_activation: str = "sigmoid", num_layers: int = 1,
                 bidirectional: bool = False, batch_first: bool = False,
                 layouts: Mapping[str, Layout] | None = None) -> None:
        if gate_activation not in GATE_ACTIVATIONS:
            raise ValueError(
                f"gate_activation: expected one of {', '.join(GATE_ACTIVATIONS)}, got {gate_activation!r}")
        unused = {"w": w} if form != "fused" else {"w_ih": w_ih, "w_hh": w_hh}
        for name, value in unused.items():
            if value is not None:
                raise ValueError(f"{name}: not a weight of the {form} form")
        defaults = {"W_ih": w_ih, "W_hh": w_hh, "W": w, **{f"W_ih_{g}": w_ih for g in GATES}}
        self.gate_activation = gate_activation
        super().__init__(input_size, hidden_size, form, bias, num_layers, bidirectional,
                         batch_first, defaults, layouts)

    def _cell(self, suffix, x, states, reverse):
        h, c = states
        w_ih, w_hh = self.input_and_recurrent(suffix)
        projected = x @ w_ih.t()  # all time steps at once
        if self.has_bias:
            projected = projected + self.bias("b_ih" + suffix) + self.bias("b_hh" + suffix)
        gate = torch.sigmoid if self.gate_activation == "sigmoid" else _hard_sigmoid
        outputs: list[torch.Tensor] = [x.new_zeros(0)] * x.shape[0]
        for step in (reversed(range(x.shape[0])) if reverse else range(x.shape[0])):
            z_i, z_f, z_g, z_o = (projected[step] + h @ w_hh.t()).chunk(4, dim=-1)
            c = gate(z_f) * c + gate(z_i) * torch.tanh(z_g)
            h = gate(z_o) * torch.tanh(c)
            outputs[step] = h
        output = torch.stack(outputs) if outputs else x.new_zeros(0, x.shape[1], self.hidden_size)
        return output, [h, c]

    def forward(self, x: torch.Tensor, hx: tuple[torch.Tensor, torch.Tensor] | None = None
                ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        if hx is not None and (not isinstance(hx, (tuple, list)) or len(hx) != 2):
            raise ValueError("hx must be a pair (h0, c0)")
        output, (h_n, c_n) = self._forward(x, hx, 2)
        return output, (h_n, c_n)


class HTGRU(_RecurrentLayers):
    """PyTorch's ``nn.GRU`` (gates r, z, n; ``b_hn`` inside the reset product) with HT
    weights.

    ``form="stacked"``: ``w_ih`` lays out ``W_ih`` [3H x I], ``w_hh`` ``W_hh`` [3H x H];
    ``form="per_gate"``: ``w_ih`` lays out each gate's [H x I] matrix. A layout of ``None``
    makes that weight dense. ``num_layers``, ``bidirectional``, ``batch_first`` and
    ``layouts`` are as for :class:`HTLSTM`.
    """

    kind, gates, forms = "gru", GRU_GATES, GRU_FORMS

    def __init__(self, input_size: int, hidden_size: int, *, form: str = "stacked",
                 w_ih: Layout = None, w_hh: Layout = None, bias: bool = True,
                 num_layers: int = 1, bidirectional: bool = False, batch_first: bool = False,
                 layouts: Mapping[str, Layout] | None = None) -> None:
        defaults = {"W_ih": w_ih, "W_hh": w_hh, **{f"W_ih_{g}": w_ih for g in GRU_GATES}}
        super().__init__(input_size, hidden_size, form, bias, num_layers, bidirectional,
                         batch_first, defaults, layouts)

    def _cell(self, suffix, x, states, reverse):
        (h,) = states
        w_ih, w_hh = self.input_and_recurrent(suffix)
        projected = x @ w_ih.t()  # all time steps at once
        if self.has_bias:
            projected = projected + self.bias("b_ih" + suffix)
        outputs: list[torch.Tensor] = [x.new_zeros(0)] * x.shape[0]
        for step in (reversed(range(x.shape[0])) if reverse else range(x.shape[0])):
            recurrent = h @ w_hh.t()
            if self.has_bias:
                recurrent = recurrent + self.bias("b_hh" + suffix)
            a_r, a_z, a_n = projected[step].chunk(3, dim=-1)
            b_r, b_z, b_n = recurrent.chunk(3, dim=-1)
            r, z = torch.sigmoid(a_r + b_r), torch.sigmoid(a_z + b_z)
            n = torch.tanh(a_n + r * b_n)
            h = (1 - z) * n + z * h
            outputs[step] = h
        output = torch.stack(outputs) if outputs else x.new_zeros(0, x.shape[1], self.hidden_size)
        return output, [h]

    def forward(self, x: torch.Tensor, h0: torch.Tensor | None = None
                ) -> tuple[torch.Tensor, torch.Tensor]:
        output, (h_n,) = self._forward(x, None if h0 is None else [h0], 1)
        return output, h_n


class RecurrentClassifier(nn.Module):
    """Recurrent layers followed by a linear head: the model class the exporter compiles
    as one library, ``@forward(x) -> y``.

    ``rnn`` is an ``nn.LSTM`` or ``nn.GRU`` (any ``num_layers``, ``bidirectional``,
    ``batch_first``) or an :class:`HTLSTM` / :class:`HTGRU`; ``head`` an ``nn.Linear`` or
    :class:`HTLinear` over its ``directions * hidden_size`` outputs. ``over="last"`` applies
    the head to the output's last step (``output[-1]``, or ``output[:, -1]`` batch-first),
    ``"all"`` to every step; ``output="softmax"`` returns probabilities instead of logits,
    ``"argmax"`` the index of the largest logit (int32 once compiled).
    The states start at zero, as PyTorch's do when none are given.
    """

    def __init__(self, rnn: nn.Module, head: nn.Module, *, over: str = "last",
                 output: str = "logits") -> None:
        super().__init__()
        if not isinstance(rnn, (nn.LSTM, nn.GRU, HTLSTM, HTGRU)):
            raise ValueError(f"rnn: expected an nn.LSTM, nn.GRU, HTLSTM or HTGRU, got "
                             f"{type(rnn).__name__}")
        if not isinstance(head, (nn.Linear, HTLinear)):
            raise ValueError(f"head: expected an nn.Linear or HTLinear, got {type(head).__name__}")
        if over not in ("last", "all"):
            raise ValueError(f"over: expected one of last, all, got {over!r}")
        if output not in ("logits", "softmax", "argmax"):
            raise ValueError(f"output: expected one of logits, softmax, argmax, got {output!r}")
        directions = 2 if getattr(rnn, "bidirectional", False) else 1
        if head.in_features != directions * rnn.hidden_size:
            raise ValueError(f"head takes {head.in_features} features; expected "
                             f"{directions * rnn.hidden_size}, the recurrent output's width")
        self.rnn, self.head, self.over, self.output = rnn, head, over, output

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        sequence = self.rnn(x)[0]
        if self.over == "last":
            sequence = sequence[:, -1] if getattr(self.rnn, "batch_first", False) else sequence[-1]
        y = self.head(sequence)
        if self.output == "argmax":
            return y.argmax(dim=-1)
        return torch.softmax(y, dim=-1) if self.output == "softmax" else y


def from_description(desc: Mapping[str, Any]) -> HTLinear | HTLSTM | HTGRU:
    """A freshly initialised module for a (validated) JSON model description."""
    model = parse_model(desc)
    weights = desc["weights"]

    def layout(name: str) -> Mapping[str, Any] | None:
        return weights[name] if weights[name]["format"] == "ht" else None

    if model.kind == "linear":
        return HTLinear(model.input_size, model.output_size, layout("W"), bias=bool(model.biases))
    if model.reverse or model.head:
        raise ValueError("reverse and head: not attributes of an ht_mlir.nn module (a reversed "
                         "layer is half of a bidirectional one; a head: "
                         "ht_mlir.nn.RecurrentClassifier)")
    options = dict(form=model.form, bias=bool(model.cell_weights("")[1]),
                   num_layers=model.num_layers, bidirectional=model.bidirectional,
                   batch_first=model.batch_first,
                   layouts={spec.name: layout(spec.name) for spec in model.weights})
    if model.kind == "gru":
        return HTGRU(model.input_size, model.output_size, **options)
    return HTLSTM(model.input_size, model.output_size, gate_activation=model.gate_activation,
                  **options)


_TORCH_NAMES = {"W_ih": "weight_ih", "W_hh": "weight_hh", "b_ih": "bias_ih", "b_hh": "bias_hh"}


def _torch_name(name: str) -> str:
    """PyTorch's parameter name of a description weight or bias (``W_ih_l1_reverse`` ->
    ``weight_ih_l1_reverse``)."""
    suffix = suffix_of(name)
    layer = suffix.split("_reverse")[0]
    return (_TORCH_NAMES[name[:len(name) - len(suffix)]] + (layer or "_l0")
            + ("_reverse" if suffix.endswith("_reverse") else ""))


def compress(module: nn.LSTM | nn.GRU, modes: Mapping[str, tuple[Sequence[int], Sequence[int]]],
             *, tree: str | None = None, max_rank: int | None = None, tolerance: float = 0.0,
             max_parameters: int | None = None, ratio: float | None = None
             ) -> tuple[HTLSTM | HTGRU, dict[str, float]]:
    """A dense ``nn.LSTM`` or ``nn.GRU`` (any ``num_layers``, ``bidirectional``,
    ``batch_first``) as an :class:`HTLSTM` / :class:`HTGRU` in which every weight named in
    ``modes`` holds its HSVD (the compiler's, as ``ht-compress`` computes it) with those
    ``(row_modes, col_modes)``, and every other weight and bias is copied. Weights are
    named as in model descriptions: ``W_ih``, ``W_hh``, ``W_ih_l1``, ``W_hh_reverse``, ...
    ``max_parameters`` or ``ratio`` is a budget per compressed matrix. Returns the module
    and each compressed weight's relative error bound. Fine-tune it like any module,
    then export it."""
    from .hsvd import hsvd  # the compiled library is only needed here

    if not isinstance(module, (nn.LSTM, nn.GRU)):
        raise ValueError(f"compress takes an nn.LSTM or nn.GRU, got {type(module).__name__}")
    if getattr(module, "proj_size", 0):
        raise ValueError("compress takes an nn.LSTM without projections (proj_size=0)")
    kind = HTGRU if isinstance(module, nn.GRU) else HTLSTM
    options = dict(bias=module.bias, num_layers=module.num_layers,
                   bidirectional=module.bidirectional, batch_first=module.batch_first)
    shell = kind(module.input_size, module.hidden_size, **options)  # the names and shapes
    for name in modes:
        if name not in shell.weights:
            raise ValueError(f"modes: '{name}' is not a weight of this model (its weights: "
                             f"{', '.join(shell.weights)})")
    factors, layouts, bounds = {}, {}, {}
    for name, (row_modes, col_modes) in modes.items():
        dense = getattr(module, _torch_name(name)).detach().double().cpu().numpy()
        try:
            result = hsvd(dense, row_modes, col_modes, tree=tree, max_rank=max_rank,
                          tolerance=tolerance, max_parameters=max_parameters, ratio=ratio)
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
        factors[name], layouts[name] = result, result.layout
        bounds[name] = result.relative_error_bound
    compressed = kind(module.input_size, module.hidden_size, layouts=layouts, **options)
    with torch.no_grad():
        for name, matrix in compressed.weights.items():
            if name in factors:
                matrix.load_factors(factors[name].leaves, factors[name].transfers)
            else:
                matrix.weight.copy_(getattr(module, _torch_name(name)))
        if module.bias:
            for parameter, _ in compressed.named_parameters():
                if parameter.startswith("b_"):
                    compressed.bias(parameter).copy_(getattr(module, _torch_name(parameter)))
    return compressed, bounds


def compress_lstm(lstm: nn.LSTM, row_modes: Sequence[int], col_modes: Sequence[int], *,
                  tree: str | None = None, max_rank: int | None = None,
                  tolerance: float = 0.0, max_parameters: int | None = None,
                  ratio: float | None = None) -> tuple[HTLSTM, float]:
    """:func:`compress` of an ``nn.LSTM``'s first ``W_ih`` alone (the published HT-LSTM:
    ``W_hh`` and the biases stay dense); returns the module and the HSVD's relative error
    bound. ``max_parameters`` or ``ratio`` (a target compression ratio of ``W_ih``) is a
    budget for its HT form: the ranks are chosen for the least error within it."""
    if not isinstance(lstm, nn.LSTM):
        raise ValueError(f"compress_lstm takes an nn.LSTM, got {type(lstm).__name__} "
                         "(ht_mlir.nn.compress takes GRUs)")
    module, bounds = compress(lstm, {"W_ih": (row_modes, col_modes)}, tree=tree,
                              max_rank=max_rank, tolerance=tolerance,
                              max_parameters=max_parameters, ratio=ratio)
    return module, bounds["W_ih"]


def save(module: HTLinear | HTLSTM | HTGRU, path: str) -> None:
    """Write the module's description and parameters to ``path`` (``torch.save``)."""
    torch.save({"format": CHECKPOINT_FORMAT, "description": module.description(),
                "state": module.state_dict()}, path)


def load(path: str) -> HTLinear | HTLSTM | HTGRU:
    """The module :func:`save` wrote to ``path``."""
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(f"{path}: not an ht_mlir.nn checkpoint (written by ht_mlir.nn.save)")
    module = from_description(checkpoint["description"])
    module.load_state_dict(checkpoint["state"])
    return module
