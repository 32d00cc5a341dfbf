"""ht_mlir.compress_sweep: the candidates, the budgets and the metric callback."""

from __future__ import annotations

import unittest

import numpy as np

from ht_mlir import compress_sweep
from ht_mlir import hsvd as hsvd_module


def hsvd_library_available() -> bool:
    try:
        hsvd_module._load_library()
    except OSError:
        return False
    return True


class HelpersTest(unittest.TestCase):
    def test_factorize_evenly_matches_the_compiler(self):
        self.assertEqual(compress_sweep.factorize_evenly(57600, 4), [20, 20, 12, 12])
        self.assertEqual(compress_sweep.factorize_evenly(1024, 4), [8, 8, 4, 4])
        self.assertEqual(compress_sweep.factorize_evenly(7, 2), [7, 1])

    def test_left_deep_is_the_tensor_train_shape(self):
        self.assertEqual(compress_sweep.left_deep(2), "(0, 1)")
        self.assertEqual(compress_sweep.left_deep(4), "(((0, 1), 2), 3)")


@unittest.skipUnless(hsvd_library_available(), "build/lib/libHTHSVD.so is missing")
class SweepTest(unittest.TestCase):
    def test_every_method_within_every_budget_and_scored(self):
        rng = np.random.default_rng(3)
        matrix = rng.standard_normal((16, 32))
        seen = []

        def metric(method, budget, approximation):
            seen.append((method, budget))
            self.assertEqual(approximation.shape, matrix.shape)
            return float(np.abs(approximation - matrix).max())

        points = compress_sweep.sweep(matrix, [4, 4], [4, 8], [60, 200, 400], metric=metric)
        self.assertEqual(len(seen), len(points))
        for point in points:
            self.assertLessEqual(point.parameters, point.budget)
            self.assertIsNotNone(point.metric)
        # The SVD of rank 1 costs 48: it fits 60; the HT matrices' smallest is 16 + 32 + 1.
        self.assertEqual({p.method for p in points if p.budget == 60}, set(compress_sweep.METHODS))
        # More budget, less error, for each method.
        for method in compress_sweep.METHODS:
            errors = [p.relative_error for p in points if p.method == method]
            self.assertEqual(errors, sorted(errors, reverse=True))

    def test_exact_structure_is_found_by_ht_not_by_the_svd(self):
        # kron(A, B): HT rank 1 with modes [4, 4] x [4, 8], matrix rank 16.
        rng = np.random.default_rng(4)
        matrix = np.kron(rng.standard_normal((4, 4)), rng.standard_normal((4, 8)))
        points = compress_sweep.sweep(matrix, [4, 4], [4, 8], [60])
        errors = {p.method: p.relative_error for p in points}
        self.assertLess(errors["HT balanced"], 1e-9)
        self.assertGreater(errors["truncated SVD"], 0.1)


if __name__ == "__main__":
    unittest.main()
