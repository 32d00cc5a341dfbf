"""Float64 reference implementation of the numerical contract (docs/Semantics.md).

Written from the semantics page alone and kept deliberately naive: every compiled
result of the project is compared against these functions, so clarity beats speed.
Everything is evaluated in float64 on the dense matrices the HT factors represent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .tree import Child, DimensionTree, parse_tree, transfer_shapes


def _as_tree(tree: DimensionTree | str, num_modes: int) -> DimensionTree:
    return parse_tree(tree, num_modes) if isinstance(tree, str) else tree


def ht_to_dense(
    row_modes: Sequence[int],
    col_modes: Sequence[int],
    tree: DimensionTree | str,
    leaves: Sequence[np.ndarray],
    transfers: Sequence[np.ndarray],
) -> np.ndarray:
    """Dense ``[M, N]`` matrix represented by HT factors (semantics section 2).

    ``leaves[k]`` is ``U_k`` of shape ``[m_k, n_k, r_k]`` (by mode); ``transfers[i]`` is
    ``B_i`` of shape ``[r_left, r_right, r_i]`` for internal node ``i`` in preorder.
    """
    num_modes = len(row_modes)
    tree = _as_tree(tree, num_modes)
    if len(col_modes) != num_modes or tree.num_modes != num_modes:
        raise ValueError(
            f"{len(row_modes)} row modes, {len(col_modes)} column modes and "
            f"{tree.num_modes} tree leaves must agree"
        )
    if len(leaves) != num_modes or len(transfers) != num_modes - 1:
        raise ValueError(
            f"expected {num_modes} leaves and {num_modes - 1} transfers, "
            f"got {len(leaves)} and {len(transfers)}"
        )
    leaf_frames = [np.asarray(u, dtype=np.float64) for u in leaves]
    for mode, frame in enumerate(leaf_frames):
        if frame.ndim != 3 or frame.shape[:2] != (row_modes[mode], col_modes[mode]):
            raise ValueError(
                f"leaf {mode} has shape {list(frame.shape)}, "
                f"expected [{row_modes[mode]}, {col_modes[mode]}, rank]"
            )
    nodes = tree.internal_nodes()

    def frame(child: Child) -> np.ndarray:
        """Node frame ``U_t`` as ``[rows, cols, rank]``, left child's modes slowest."""
        if child.kind == "leaf":
            return leaf_frames[child.index]
        left, right = (frame(c) for c in nodes[child.index])
        transfer = np.asarray(transfers[child.index], dtype=np.float64)
        expected = (left.shape[2], right.shape[2])
        if transfer.ndim != 3 or transfer.shape[:2] != expected:
            raise ValueError(
                f"transfer {child.index} has shape {list(transfer.shape)}, "
                f"expected [{expected[0]}, {expected[1]}, rank]"
            )
        combined = np.einsum("ija,klb,abp->ikjlp", left, right, transfer)
        return combined.reshape(
            left.shape[0] * right.shape[0], left.shape[1] * right.shape[1], transfer.shape[2]
        )

    root = frame(Child("node", 0))
    if root.shape[2] != 1:
        raise ValueError(f"the root transfer's last dimension is {root.shape[2]}, expected 1")
    # Axis a of the root frame holds mode order[a]; move every mode back to its place.
    order = tree.leaf_order()
    to_mode_order = list(np.argsort(order))
    tensor = root[:, :, 0].reshape([row_modes[k] for k in order] + [col_modes[k] for k in order])
    tensor = tensor.transpose(to_mode_order + [num_modes + axis for axis in to_mode_order])
    return tensor.reshape(int(np.prod(row_modes)), int(np.prod(col_modes)))


@dataclass(frozen=True)
class HTMatrix:
    """An HT matrix held as its factors, in the conventions of :func:`ht_to_dense`."""

    row_modes: tuple[int, ...]
    col_modes: tuple[int, ...]
    tree: DimensionTree
    leaves: tuple[np.ndarray, ...]
    transfers: tuple[np.ndarray, ...]

    def to_dense(self) -> np.ndarray:
        return ht_to_dense(self.row_modes, self.col_modes, self.tree, self.leaves, self.transfers)


Matrix = np.ndarray | HTMatrix


def as_dense(matrix: Matrix) -> np.ndarray:
    """The float64 dense form of a dense or HT matrix."""
    if isinstance(matrix, HTMatrix):
        return matrix.to_dense()
    return np.asarray(matrix, dtype=np.float64)


def parameter_count(
    row_modes: Sequence[int],
    col_modes: Sequence[int],
    tree: DimensionTree | str,
    leaf_ranks: Sequence[int],
    node_ranks: Sequence[int],
) -> int:
    """``P = sum_k m_k n_k r_k + sum_t r_l r_r r_t`` (biases not counted)."""
    tree = _as_tree(tree, len(row_modes))
    leaf_params = sum(m * n * r for m, n, r in zip(row_modes, col_modes, leaf_ranks))
    transfer_params = sum(int(np.prod(s)) for s in transfer_shapes(tree, leaf_ranks, node_ranks))
    return leaf_params + transfer_params


def compression_ratio(
    row_modes: Sequence[int],
    col_modes: Sequence[int],
    tree: DimensionTree | str,
    leaf_ranks: Sequence[int],
    node_ranks: Sequence[int],
) -> float:
    """``M * N / P``: dense entries per stored HT parameter."""
    dense_size = int(np.prod(row_modes)) * int(np.prod(col_modes))
    return dense_size / parameter_count(row_modes, col_modes, tree, leaf_ranks, node_ranks)


def ht_linear(x: np.ndarray, weight: Matrix, bias: np.ndarray | None = None) -> np.ndarray:
    """``Y = X W^T + b`` over the last axis of ``x``; leading axes are batch axes."""
    dense = as_dense(weight)
    x = np.asarray(x, dtype=np.float64)
    if x.shape[-1:] != dense.shape[1:]:
        raise ValueError(f"input has {x.shape[-1:]} features, the weight expects {dense.shape[1]}")
    y = x @ dense.T
    return y if bias is None else y + np.asarray(bias, dtype=np.float64)


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over the last axis (the largest entry subtracted first, as linalg.softmax)."""
    shifted = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return shifted / np.sum(shifted, axis=-1, keepdims=True)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function, written with tanh so that large ``|z|`` cannot overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def hard_sigmoid(z: np.ndarray) -> np.ndarray:
    """Keras' ``clip(0.2 z + 0.5, 0, 1)``, the gate function of TT-LSTM reference code."""
    return np.clip(0.2 * z + 0.5, 0.0, 1.0)


GATE_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigmoid": sigmoid,
    "hard_sigmoid": hard_sigmoid,
}


def lstm(
    x: np.ndarray,
    h0: np.ndarray,
    c0: np.ndarray,
    W_ih: Matrix,
    W_hh: Matrix,
    b_ih: np.ndarray | None = None,
    b_hh: np.ndarray | None = None,
    gate_activation: str = "sigmoid",
    reverse: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One-layer, one-direction PyTorch LSTM (semantics section 4), gate order i, f, g, o.

    ``x`` is ``[T, B, I]``, ``h0`` and ``c0`` are ``[B, H]``. Returns all hidden states
    ``[T, B, H]`` and the final ``h_T`` and ``c_T``. With ``reverse`` the steps run from
    ``T - 1`` down to 0 (PyTorch's backward direction): ``out[t]`` is still the state
    after step ``t``, and the final states are those after step 0.
    """
    if gate_activation not in GATE_ACTIVATIONS:
        choices = ", ".join(GATE_ACTIVATIONS)
        raise ValueError(f"gate_activation: expected one of {choices}, got {gate_activation!r}")
    gate = GATE_ACTIVATIONS[gate_activation]
    w_ih, w_hh = as_dense(W_ih), as_dense(W_hh)
    x = np.asarray(x, dtype=np.float64)
    h, c = np.asarray(h0, dtype=np.float64), np.asarray(c0, dtype=np.float64)
    steps, batch, inputs = x.shape
    hidden = w_hh.shape[1]
    if w_ih.shape != (4 * hidden, inputs) or w_hh.shape != (4 * hidden, hidden):
        raise ValueError(
            f"W_ih {list(w_ih.shape)} and W_hh {list(w_hh.shape)} must be "
            f"[{4 * hidden}, {inputs}] and [{4 * hidden}, {hidden}]"
        )
    if h.shape != (batch, hidden) or c.shape != (batch, hidden):
        raise ValueError(f"h0 {list(h.shape)} and c0 {list(c.shape)} must be [{batch}, {hidden}]")
    bias = np.zeros(4 * hidden)
    for b in (b_ih, b_hh):
        if b is not None:
            bias = bias + np.asarray(b, dtype=np.float64)
    out = np.empty((steps, batch, hidden))
    for t in (reversed(range(steps)) if reverse else range(steps)):
        z = x[t] @ w_ih.T + h @ w_hh.T + bias
        z_i, z_f, z_g, z_o = np.split(z, 4, axis=1)
        c = gate(z_f) * c + gate(z_i) * np.tanh(z_g)
        h = gate(z_o) * np.tanh(c)
        out[t] = h
    return out, h, c


def stack_gates(gate_weights: Sequence[Matrix]) -> np.ndarray:
    """Per-gate form to stacked form: rows ``[W_i; W_f; W_g; W_o]``."""
    if len(gate_weights) != 4:
        raise ValueError(f"expected 4 gate matrices (i, f, g, o), got {len(gate_weights)}")
    return np.concatenate([as_dense(w) for w in gate_weights], axis=0)


def split_gates(stacked: Matrix) -> list[np.ndarray]:
    """Stacked form to per-gate form: the four ``H``-row blocks in order i, f, g, o."""
    return np.split(as_dense(stacked), 4, axis=0)


def fuse_weights(W_ih: Matrix, W_hh: Matrix) -> np.ndarray:
    """Fused form ``[W_ih | W_hh]``, applied to ``[x_t, h_{t-1}]``."""
    return np.concatenate([as_dense(W_ih), as_dense(W_hh)], axis=1)


def split_fused(W: Matrix, input_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Fused form to ``(W_ih, W_hh)``: the first ``input_size`` columns act on ``x_t``."""
    dense = as_dense(W)
    return dense[:, :input_size], dense[:, input_size:]


def lstm_per_gate(
    x: np.ndarray,
    h0: np.ndarray,
    c0: np.ndarray,
    W_ih_gates: Sequence[Matrix],
    W_hh: Matrix,
    b_ih: np.ndarray | None = None,
    b_hh: np.ndarray | None = None,
    gate_activation: str = "sigmoid",
    reverse: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """LSTM whose input weight is given as four ``H x I`` matrices in order i, f, g, o."""
    return lstm(x, h0, c0, stack_gates(W_ih_gates), W_hh, b_ih, b_hh, gate_activation, reverse)


def lstm_fused(
    x: np.ndarray,
    h0: np.ndarray,
    c0: np.ndarray,
    W: Matrix,
    b_ih: np.ndarray | None = None,
    b_hh: np.ndarray | None = None,
    gate_activation: str = "sigmoid",
    reverse: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """LSTM whose weights are one ``4H x (I + H)`` matrix applied to ``[x_t, h_{t-1}]``."""
    W_ih, W_hh = split_fused(W, np.shape(x)[2])
    return lstm(x, h0, c0, W_ih, W_hh, b_ih, b_hh, gate_activation, reverse)


def gru(
    x: np.ndarray,
    h0: np.ndarray,
    W_ih: Matrix,
    W_hh: Matrix,
    b_ih: np.ndarray | None = None,
    b_hh: np.ndarray | None = None,
    reverse: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """One-layer, one-direction PyTorch GRU (semantics section 4), gate order r, z, n:
    ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``, ``h' = (1 - z) * n + z * h``.

    ``x`` is ``[T, B, I]``, ``h0`` is ``[B, H]``. Returns all hidden states ``[T, B, H]``
    and the final ``h``; ``reverse`` as for :func:`lstm`.
    """
    w_ih, w_hh = as_dense(W_ih), as_dense(W_hh)
    x = np.asarray(x, dtype=np.float64)
    h = np.asarray(h0, dtype=np.float64)
    steps, batch, inputs = x.shape
    hidden = w_hh.shape[1]
    if w_ih.shape != (3 * hidden, inputs) or w_hh.shape != (3 * hidden, hidden):
        raise ValueError(
            f"W_ih {list(w_ih.shape)} and W_hh {list(w_hh.shape)} must be "
            f"[{3 * hidden}, {inputs}] and [{3 * hidden}, {hidden}]"
        )
    if h.shape != (batch, hidden):
        raise ValueError(f"h0 {list(h.shape)} must be [{batch}, {hidden}]")
    bias_ih = np.zeros(3 * hidden) if b_ih is None else np.asarray(b_ih, dtype=np.float64)
    bias_hh = np.zeros(3 * hidden) if b_hh is None else np.asarray(b_hh, dtype=np.float64)
    out = np.empty((steps, batch, hidden))
    for t in (reversed(range(steps)) if reverse else range(steps)):
        a_r, a_z, a_n = np.split(x[t] @ w_ih.T + bias_ih, 3, axis=1)
        b_r, b_z, b_n = np.split(h @ w_hh.T + bias_hh, 3, axis=1)
        r, z = sigmoid(a_r + b_r), sigmoid(a_z + b_z)
        n = np.tanh(a_n + r * b_n)
        h = (1.0 - z) * n + z * h
        out[t] = h
    return out, h


def gru_per_gate(
    x: np.ndarray,
    h0: np.ndarray,
    W_ih_gates: Sequence[Matrix],
    W_hh: Matrix,
    b_ih: np.ndarray | None = None,
    b_hh: np.ndarray | None = None,
    reverse: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """GRU whose input weight is given as three ``H x I`` matrices in order r, z, n."""
    if len(W_ih_gates) != 3:
        raise ValueError(f"expected 3 gate matrices (r, z, n), got {len(W_ih_gates)}")
    stacked = np.concatenate([as_dense(w) for w in W_ih_gates], axis=0)
    return gru(x, h0, stacked, W_hh, b_ih, b_hh, reverse)
