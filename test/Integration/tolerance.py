"""The numerical contract of docs/Semantics.md section 6, as the integration drivers check it."""

from __future__ import annotations

import numpy as np

TOLERANCE = 1e-5


def compare(name: str, got: np.ndarray, want: np.ndarray) -> float:
    """Raises AssertionError unless |got - want| <= 1e-5 * max(1, max|want|) everywhere;
    returns the largest error relative to that scale."""
    if got.shape != want.shape:
        raise AssertionError(f"{name}: shape {got.shape}, expected {want.shape}")
    scale = max(1.0, float(np.abs(want).max(initial=0.0)))
    error = float(np.abs(got.astype(np.float64) - want).max(initial=0.0))
    if error > TOLERANCE * scale:
        raise AssertionError(f"{name}: max error {error:.3e} exceeds {TOLERANCE * scale:.3e}")
    return error / scale
