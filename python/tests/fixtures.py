"""Small model descriptions and helpers shared by the tests."""

from __future__ import annotations

import copy
from typing import Any, Sequence

import numpy as np

from ht_mlir.tree import DimensionTree, transfer_shapes

# 4H = 8 rows as 2 x 4 (gate in the slowest part of mode 0), I = 6 columns as 3 x 2.
HT_W_IH = {
    "format": "ht", "row_modes": [2, 4], "col_modes": [3, 2],
    "tree": "(1,0)", "leaf_ranks": [2, 3], "node_ranks": [1],
}

TINY_LSTM: dict[str, Any] = {
    "kind": "lstm", "input_size": 6, "hidden_size": 2, "form": "stacked",
    "gate_activation": "sigmoid", "bias": True, "batch": 2, "seq_len": 3,
    "weights": {"W_ih": HT_W_IH, "W_hh": {"format": "dense"}},
}

TINY_LINEAR: dict[str, Any] = {
    "kind": "linear", "in_features": 12, "out_features": 6, "bias": True, "batch": None,
    "weights": {"W": {
        "format": "ht", "row_modes": [1, 2, 3], "col_modes": [2, 3, 2],
        "tree": "(0,(1,2))", "leaf_ranks": [1, 2, 2], "node_ranks": [1, 2],
    }},
}


def variant(desc: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of ``desc`` with top-level fields replaced."""
    result = copy.deepcopy(desc)
    result.update(changes)
    return result


def random_factors(
    rng: np.random.Generator,
    row_modes: Sequence[int],
    col_modes: Sequence[int],
    tree: DimensionTree,
    leaf_ranks: Sequence[int],
    node_ranks: Sequence[int],
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Random leaves (by mode) and transfers (preorder) of the given shapes."""
    leaves = [rng.normal(size=(m, n, r)) for m, n, r in zip(row_modes, col_modes, leaf_ranks)]
    transfers = [rng.normal(size=shape) for shape in transfer_shapes(tree, leaf_ranks, node_ranks)]
    return leaves, transfers
