"""The compiler's hierarchical SVD for NumPy arrays and PyTorch modules.

Calls ``mlir::ht::computeHSVD`` (``lib/Compression``, the code ``ht-compress`` runs)
through the C interface of ``libHTHSVD.so`` (``include/ht-c/HSVD.h``), found at
``$HT_MLIR_HSVD_LIBRARY`` or in the build tree next to this package
(``build/lib/libHTHSVD.so``).

``compress_lstm`` turns a dense ``torch.nn.LSTM`` into an :class:`ht_mlir.nn.HTLSTM`
whose HT weights hold the HSVD factors, ready to fine-tune or export.
"""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .tree import parse_tree, transfer_shapes

_LIBRARY_NAME = "libHTHSVD.so"
_library: ctypes.CDLL | None = None


def _load_library() -> ctypes.CDLL:
    global _library
    if _library is not None:
        return _library
    path = os.environ.get("HT_MLIR_HSVD_LIBRARY") or str(
        Path(__file__).resolve().parent.parent.parent / "build" / "lib" / _LIBRARY_NAME)
    if not os.path.exists(path):
        raise OSError(f"{path} not found: build ht-mlir (./scripts/setup.sh) or set HT_MLIR_HSVD_LIBRARY")
    library = ctypes.CDLL(path)
    i64, f64 = ctypes.c_int64, ctypes.c_double
    i64p, f64p = ctypes.POINTER(i64), ctypes.POINTER(f64)
    library.htHSVD.argtypes = [f64p, i64, i64, i64, i64p, i64p, ctypes.c_char_p, i64, f64,
                               ctypes.POINTER(ctypes.c_void_p), ctypes.c_char_p, ctypes.c_size_t]
    library.htHSVD.restype = ctypes.c_int
    library.htHSVDWithBudget.argtypes = (library.htHSVD.argtypes[:9] + [i64]
                                         + library.htHSVD.argtypes[9:])
    library.htHSVDWithBudget.restype = ctypes.c_int
    library.htHSVDRanks.argtypes = [ctypes.c_void_p, i64p, i64p]
    library.htHSVDTree.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    library.htHSVDLeaf.argtypes = [ctypes.c_void_p, i64, f64p]
    library.htHSVDTransfer.argtypes = [ctypes.c_void_p, i64, f64p]
    library.htHSVDRelativeErrorBound.argtypes = [ctypes.c_void_p]
    library.htHSVDRelativeErrorBound.restype = f64
    library.htHSVDDestroy.argtypes = [ctypes.c_void_p]
    _library = library
    return library


@dataclass(frozen=True)
class HSVD:
    """The HT form of a matrix: ``layout`` is a weight description (``format: ht``)."""

    layout: dict[str, Any]
    leaves: list[np.ndarray]
    transfers: list[np.ndarray]
    relative_error_bound: float


def _int64_array(values: Sequence[int]) -> ctypes.Array:
    return (ctypes.c_int64 * len(values))(*values)


def budget_for(rows: int, cols: int, max_parameters: int | None, ratio: float | None) -> int | None:
    """The parameter budget of a ``rows`` x ``cols`` matrix: ``max_parameters``, or the
    dense size over ``ratio`` (a target compression ratio); one or neither."""
    if max_parameters is not None and ratio is not None:
        raise ValueError("max_parameters and ratio both set a budget: give one")
    if ratio is not None:
        if not ratio > 0 or ratio == float("inf"):
            raise ValueError(f"ratio={ratio}; expected a compression ratio > 0")
        max_parameters = int(rows * cols // ratio)
        if max_parameters < 1:
            raise ValueError(f"ratio={ratio} leaves a {rows} x {cols} matrix less than one parameter")
    if max_parameters is not None and max_parameters < 1:
        raise ValueError(f"max_parameters={max_parameters}; expected a budget >= 1")
    return max_parameters


def hsvd(matrix: np.ndarray, row_modes: Sequence[int], col_modes: Sequence[int], *,
         tree: str | None = None, max_rank: int | None = None, tolerance: float = 0.0,
         max_parameters: int | None = None, ratio: float | None = None) -> HSVD:
    """The HSVD of a 2-D array (computed in float64); ``ValueError`` names what does not fit.

    ``max_parameters`` (or ``ratio``, a target compression ratio) is a budget: the ranks
    are chosen for the least error within it, as ``ht-compress max-parameters=`` does."""
    dense = np.ascontiguousarray(matrix, dtype=np.float64)
    if dense.ndim != 2:
        raise ValueError(f"matrix has shape {list(dense.shape)}, expected [rows, cols]")
    if max_rank is not None and max_rank < 1:
        raise ValueError(f"max_rank={max_rank}; a rank is at least 1")
    num_modes = len(row_modes)
    if len(col_modes) != num_modes:
        raise ValueError(f"col_modes {list(col_modes)} has {len(col_modes)} modes, expected {num_modes} "
                         f"like row_modes {list(row_modes)}")
    budget = budget_for(dense.shape[0], dense.shape[1], max_parameters, ratio)
    library = _load_library()
    result = ctypes.c_void_p()
    error = ctypes.create_string_buffer(1024)
    status = library.htHSVDWithBudget(
        dense.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), dense.shape[0], dense.shape[1],
        num_modes, _int64_array(row_modes), _int64_array(col_modes),
        tree.encode() if tree is not None else None, max_rank or 0, tolerance, budget or 0,
        ctypes.byref(result), error, len(error))
    if status != 0:
        raise ValueError(error.value.decode())
    try:
        leaf_ranks = _int64_array([0] * num_modes)
        node_ranks = _int64_array([0] * (num_modes - 1))
        library.htHSVDRanks(result, leaf_ranks, node_ranks)
        tree_text = ctypes.create_string_buffer(4096)
        library.htHSVDTree(result, tree_text, len(tree_text))
        layout = {"format": "ht", "row_modes": list(row_modes), "col_modes": list(col_modes),
                  "tree": tree_text.value.decode(), "leaf_ranks": list(leaf_ranks),
                  "node_ranks": list(node_ranks)}
        leaves = []
        for mode in range(num_modes):
            leaf = np.empty((row_modes[mode], col_modes[mode], leaf_ranks[mode]))
            library.htHSVDLeaf(result, mode, leaf.ctypes.data_as(ctypes.POINTER(ctypes.c_double)))
            leaves.append(leaf)
        shapes = transfer_shapes(parse_tree(layout["tree"], num_modes), list(leaf_ranks), list(node_ranks))
        transfers = []
        for node, shape in enumerate(shapes):
            transfer = np.empty(shape)
            library.htHSVDTransfer(result, node, transfer.ctypes.data_as(ctypes.POINTER(ctypes.c_double)))
            transfers.append(transfer)
        bound = library.htHSVDRelativeErrorBound(result)
    finally:
        library.htHSVDDestroy(result)
    return HSVD(layout, leaves, transfers, bound)
