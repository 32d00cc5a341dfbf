"""PyTorch modules of HT layers that follow ``docs/Semantics.md`` exactly.

``HTLinear`` computes ``Y = X·Wᵀ + b``, ``HTGRU`` PyTorch's one-layer GRU (gates r, z,
n; forms ``stacked`` and ``per_gate``) and ``HTLSTM`` the one-layer, one-direction
LSTM of sections 4 and 5 (time-major ``x`` of shape ``[T, B, I]``; ``h0``, ``c0``,
``h_n``, ``c_n`` of shape ``[B, H]``) in the three weight forms of the exporter:
``stacked`` (``W_ih`` [4H x I], ``W_hh`` [4H x H]), ``per_gate`` (``W_ih_i`` ..
``W_ih_o`` [H x I] each, ``W_hh``) and ``fused`` (``W`` [4H x (I+H)] applied to
``[x_t, h_{t-1}]``). Each weight is an :class:`HTMatrix` (trainable leaves and
transfers) or a plain dense matrix.

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
                    parse_model, parse_weight)
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


class HTLSTM(nn.Module):
    """One-layer, one-direction LSTM (semantics sections 4-5) with HT weights.

    ``form="stacked"``: ``w_ih`` lays out ``W_ih`` [4H x I], ``w_hh`` ``W_hh``;
    ``form="per_gate"``: ``w_ih`` lays out each gate's [H x I] matrix;
    ``form="fused"``: ``w`` lays out ``[W_ih | W_hh]`` [4H x (I+H)].
    A layout of ``None`` makes that weight dense (see :func:`ht_layout`).
    """

    def __init__(self, input_size: int, hidden_size: int, *, form: str = "stacked",
                 w_ih: Mapping[str, Any] | None = None, w_hh: Mapping[str, Any] | None = None,
                 w: Mapping[str, Any] | None = None, bias: bool = True,
                 gate_activation: str = "sigmoid") -> None:
        super().__init__()
        if form not in LSTM_FORMS:
            raise ValueError(f"form: expected one of {', '.join(LSTM_FORMS)}, got {form!r}")
        if gate_activation not in GATE_ACTIVATIONS:
            raise ValueError(
                f"gate_activation: expected one of {', '.join(GATE_ACTIVATIONS)}, got {gate_activation!r}")
        unused = {"w": w} if form != "fused" else {"w_ih": w_ih, "w_hh": w_hh}
        for name, value in unused.items():
            if value is not None:
                raise ValueError(f"{name}: not a weight of the {form} form")
        self.input_size, self.hidden_size = input_size, hidden_size
        self.form, self.gate_activation = form, gate_activation
        gates = 4 * hidden_size
        if form == "stacked":
            weights = {"W_ih": _matrix("W_ih", gates, input_size, w_ih)}
        elif form == "per_gate":
            weights = {f"W_ih_{g}": _matrix(f"W_ih_{g}", hidden_size, input_size, w_ih) for g in GATES}
        else:
            weights = {"W": _matrix("W", gates, input_size + hidden_size, w)}
        if form != "fused":
            weights["W_hh"] = _matrix("W_hh", gates, hidden_size, w_hh)
        self.weights = nn.ModuleDict(weights)
        self.b_ih = _uniform_bias(gates, hidden_size) if bias else None
        self.b_hh = _uniform_bias(gates, hidden_size) if bias else None

    def input_and_recurrent(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The dense ``W_ih`` [4H x I] and ``W_hh`` [4H x H] of any form."""
        if self.form == "fused":
            fused = self.weights["W"].dense()
            return fused[:, :self.input_size], fused[:, self.input_size:]
        if self.form == "per_gate":
            w_ih = torch.cat([self.weights[f"W_ih_{g}"].dense() for g in GATES])
        else:
            w_ih = self.weights["W_ih"].dense()
        return w_ih, self.weights["W_hh"].dense()

    def forward(self, x: torch.Tensor, hx: tuple[torch.Tensor, torch.Tensor] | None = None
                ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        if x.dim() != 3 or x.shape[2] != self.input_size:
            raise ValueError(f"x has shape {list(x.shape)}, expected [T, B, {self.input_size}]")
        batch = x.shape[1]
        # States as [B, H], or as nn.LSTM's [num_layers * directions = 1, B, H]; the
        # final states come back in the shape they came in.
        layered = False
        if hx is None:
            zeros = x.new_zeros(batch, self.hidden_size)
            hx = (zeros, zeros)
        else:
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                raise ValueError("hx must be a pair (h0, c0)")
            shapes = [list(state.shape) for state in hx]
            if all(shape == [1, batch, self.hidden_size] for shape in shapes):
                layered = True
                hx = (hx[0][0], hx[1][0])
            elif not all(shape == [batch, self.hidden_size] for shape in shapes):
                raise ValueError(
                    f"h0 and c0 have shapes {shapes[0]} and {shapes[1]}, expected both "
                    f"[{batch}, {self.hidden_size}] or, as nn.LSTM's, [1, {batch}, "
                    f"{self.hidden_size}] (one layer, one direction)")
        h, c = hx
        w_ih, w_hh = self.input_and_recurrent()
        projected = x @ w_ih.t()  # all time steps at once
        if self.b_ih is not None:
            projected = projected + self.b_ih + self.b_hh
        gate = torch.sigmoid if self.gate_activation == "sigmoid" else _hard_sigmoid
        outputs = []
        for step in range(x.shape[0]):
            z_i, z_f, z_g, z_o = (projected[step] + h @ w_hh.t()).chunk(4, dim=-1)
            c = gate(z_f) * c + gate(z_i) * torch.tanh(z_g)
            h = gate(z_o) * torch.tanh(c)
            outputs.append(h)
        output = torch.stack(outputs) if outputs else x.new_zeros(0, batch, self.hidden_size)
        if layered:
            return output, (h.unsqueeze(0), c.unsqueeze(0))
        return output, (h, c)

    def description(self, seq_len: int | None = None, batch: int | None = None) -> dict[str, Any]:
        return {"kind": "lstm", "input_size": self.input_size, "hidden_size": self.hidden_size,
                "form": self.form, "gate_activation": self.gate_activation,
                "bias": self.b_ih is not None, "batch": batch, "seq_len": seq_len,
                "weights": {name: matrix.description() for name, matrix in self.weights.items()}}

    def arrays(self) -> dict[str, np.ndarray]:
        arrays: dict[str, np.ndarray] = {}
        for matrix in self.weights.values():
            arrays.update(matrix.arrays())
        if self.b_ih is not None:
            arrays["b_ih"], arrays["b_hh"] = _to_numpy(self.b_ih), _to_numpy(self.b_hh)
        return arrays


def _gru_state(state: torch.Tensor | None, x: torch.Tensor, hidden: int
                           ) -> tuple[torch.Tensor, bool]:
    """A GRU's ``h0`` as ``[B, H]``, and whether it came as nn.GRU's ``[1, B, H]``."""
    batch = x.shape[1]
    if state is None:
        return x.new_zeros(batch, hidden), False
    shape = list(state.shape)
    if shape == [1, batch, hidden]:
        return state[0], True
    if shape != [batch, hidden]:
        raise ValueError(f"h0 has shape {shape}, expected [{batch}, {hidden}] or, as nn.GRU's, "
                         f"[1, {batch}, {hidden}] (one layer, one direction)")
    return state, False


class HTGRU(nn.Module):
    """One-layer, one-direction GRU (PyTorch's ``nn.GRU``, gates r, z, n) with HT weights.

    ``form="stacked"``: ``w_ih`` lays out ``W_ih`` [3H x I], ``w_hh`` ``W_hh`` [3H x H];
    ``form="per_gate"``: ``w_ih`` lays out each gate's [H x I] matrix. A layout of ``None``
    makes that weight dense. ``x`` is time-major ``[T, B, I]``.
    """

    def __init__(self, input_size: int, hidden_size: int, *, form: str = "stacked",
                 w_ih: Mapping[str, Any] | None = None, w_hh: Mapping[str, Any] | None = None,
                 bias: bool = True) -> None:
        super().__init__()
        if form not in GRU_FORMS:
            raise ValueError(f"form: expected one of {', '.join(GRU_FORMS)} (a GRU has no fused "
                             f"form), got {form!r}")
        self.input_size, self.hidden_size, self.form = input_size, hidden_size, form
        gates = 3 * hidden_size
        if form == "stacked":
            weights = {"W_ih": _matrix("W_ih", gates, input_size, w_ih)}
        else:
            weights = {f"W_ih_{g}": _matrix(f"W_ih_{g}", hidden_size, input_size, w_ih)
                       for g in GRU_GATES}
        weights["W_hh"] = _matrix("W_hh", gates, hidden_size, w_hh)
        self.weights = nn.ModuleDict(weights)
        self.b_ih = _uniform_bias(gates, hidden_size) if bias else None
        self.b_hh = _uniform_bias(gates, hidden_size) if bias else None

    def input_and_recurrent(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The dense ``W_ih`` [3H x I] and ``W_hh`` [3H x H] of either form."""
        if self.form == "per_gate":
            w_ih = torch.cat([self.weights[f"W_ih_{g}"].dense() for g in GRU_GATES])
        else:
            w_ih = self.weights["W_ih"].dense()
        return w_ih, self.weights["W_hh"].dense()

    def forward(self, x: torch.Tensor, h0: torch.Tensor | None = None
                ) -> tuple[torch.Tensor, torch.Tensor]:
        if x.dim() != 3 or x.shape[2] != self.input_size:
            raise ValueError(f"x has shape {list(x.shape)}, expected [T, B, {self.input_size}]")
        h, layered = _gru_state(h0, x, self.hidden_size)
        w_ih, w_hh = self.input_and_recurrent()
        projected = x @ w_ih.t()  # all time steps at once
        if self.b_ih is not None:
            projected = projected + self.b_ih
        outputs = []
        for step in range(x.shape[0]):
            recurrent = h @ w_hh.t()
            if self.b_hh is not None:
                recurrent = recurrent + self.b_hh
            a_r, a_z, a_n = projected[step].chunk(3, dim=-1)
            b_r, b_z, b_n = recurrent.chunk(3, dim=-1)
            r, z = torch.sigmoid(a_r + b_r), torch.sigmoid(a_z + b_z)
            n = torch.tanh(a_n + r * b_n)
            h = (1 - z) * n + z * h
            outputs.append(h)
        output = torch.stack(outputs) if outputs else x.new_zeros(0, x.shape[1], self.hidden_size)
        return output, (h.unsqueeze(0) if layered else h)

    def description(self, seq_len: int | None = None, batch: int | None = None) -> dict[str, Any]:
        return {"kind": "gru", "input_size": self.input_size, "hidden_size": self.hidden_size,
                "form": self.form, "bias": self.b_ih is not None, "batch": batch,
                "seq_len": seq_len,
                "weights": {name: matrix.description() for name, matrix in self.weights.items()}}

    def arrays(self) -> dict[str, np.ndarray]:
        arrays: dict[str, np.ndarray] = {}
        for matrix in self.weights.values():
            arrays.update(matrix.arrays())
        if self.b_ih is not None:
            arrays["b_ih"], arrays["b_hh"] = _to_numpy(self.b_ih), _to_numpy(self.b_hh)
        return arrays


class RecurrentClassifier(nn.Module):
    """Recurrent layers followed by a linear head: the model class the exporter compiles
    as one library, ``@forward(x) -> y``.

    ``rnn`` is an ``nn.LSTM`` or ``nn.GRU`` (any ``num_layers``, ``bidirectional``,
    ``batch_first``) or an :class:`HTLSTM` / :class:`HTGRU`; ``head`` an ``nn.Linear`` or
    :class:`HTLinear` over its ``directions * hidden_size`` outputs. ``over="last"`` applies
    the head to the output's last step (``output[-1]``, or ``output[:, -1]`` batch-first),
    ``"all"`` to every step; ``output="softmax"`` returns probabilities instead of logits.
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
        if output not in ("logits", "softmax"):
            raise ValueError(f"output: expected one of logits, softmax, got {output!r}")
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
        return torch.softmax(y, dim=-1) if self.output == "softmax" else y


def from_description(desc: Mapping[str, Any]) -> HTLinear | HTLSTM | HTGRU:
    """A freshly initialised module for a (validated) JSON model description."""
    model = parse_model(desc)
    weights = desc["weights"]

    def layout(name: str) -> Mapping[str, Any] | None:
        return weights[name] if weights[name]["format"] == "ht" else None

    if model.kind == "linear":
        return HTLinear(model.input_size, model.output_size, layout("W"), bias=bool(model.biases))
    if model.stacked_states or model.reverse or model.batch_first or model.head:
        raise ValueError("ht_mlir.nn modules are one layer, one direction, time-major: "
                         "num_layers, bidirectional, reverse, batch_first and head are not theirs "
                         "(a head: ht_mlir.nn.RecurrentClassifier)")
    layouts: dict[str, Any] = {}
    if model.form == "fused":
        layouts["w"] = layout("W")
    else:
        names = [f"W_ih_{g}" for g in model.gates] if model.form == "per_gate" else ["W_ih"]
        gate_layouts = [weights[name] for name in names]
        if any(other != gate_layouts[0] for other in gate_layouts[1:]):
            raise ValueError(f"per_gate weights: {'HTGRU' if model.kind == 'gru' else 'HTLSTM'} "
                             "gives every gate the same layout")
        layouts["w_ih"], layouts["w_hh"] = layout(names[0]), layout("W_hh")
    if model.kind == "gru":
        return HTGRU(model.input_size, model.output_size, form=model.form,
                     bias=bool(model.biases), **layouts)
    return HTLSTM(model.input_size, model.output_size, form=model.form, bias=bool(model.biases),
                  gate_activation=model.gate_activation, **layouts)


def compress_lstm(lstm: nn.LSTM, row_modes: Sequence[int], col_modes: Sequence[int], *,
                  tree: str | None = None, max_rank: int | None = None,
                  tolerance: float = 0.0, max_parameters: int | None = None,
                  ratio: float | None = None) -> tuple[HTLSTM, float]:
    """A dense one-layer ``nn.LSTM`` as an :class:`HTLSTM` whose ``W_ih`` holds its HSVD
    (the compiler's, as ``ht-compress`` computes it) and whose ``W_hh`` and biases are
    copied; returns the module and the HSVD's relative error bound. ``max_parameters``
    or ``ratio`` (a target compression ratio of ``W_ih``) is a budget for ``W_ih``'s HT
    form: the ranks are chosen for the least error within it. Fine-tune it like any
    module, then export it."""
    from .hsvd import hsvd  # the compiled library is only needed here

    if lstm.num_layers != 1 or lstm.bidirectional or lstm.proj_size or lstm.batch_first:
        raise ValueError("compress_lstm takes a one-layer, one-direction, time-major nn.LSTM "
                         "without projections")
    w_ih = lstm.weight_ih_l0.detach().double().cpu().numpy()
    result = hsvd(w_ih, row_modes, col_modes, tree=tree, max_rank=max_rank, tolerance=tolerance,
                  max_parameters=max_parameters, ratio=ratio)
    module = HTLSTM(lstm.input_size, lstm.hidden_size, w_ih=result.layout, bias=lstm.bias)
    module.weights["W_ih"].load_factors(result.leaves, result.transfers)
    with torch.no_grad():
        module.weights["W_hh"].weight.copy_(lstm.weight_hh_l0)
        if lstm.bias:
            module.b_ih.copy_(lstm.bias_ih_l0)
            module.b_hh.copy_(lstm.bias_hh_l0)
    return module, result.relative_error_bound


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
