"""HT matrices in the reference: worked example, an independent einsum, parameter counts."""

import unittest

import numpy as np
from fixtures import random_factors

from ht_mlir.reference import (
    HTMatrix,
    compression_ratio,
    ht_linear,
    ht_to_dense,
    parameter_count,
)
from ht_mlir.tree import DimensionTree, balanced_tree, left_deep_tree, parse_tree, right_deep_tree


def einsum_dense(row_modes, col_modes, tree: DimensionTree, leaves, transfers) -> np.ndarray:
    """All factors contracted in one einsum: independent of the node-frame recursion.

    Index labels: row of mode k is k, column of mode k is d+k, rank of leaf k is 2d+k,
    rank of internal node i is 3d+i. The output lists rows, then columns, in mode order.
    """
    d = len(row_modes)

    def rank_label(child):
        return 2 * d + child.index if child.kind == "leaf" else 3 * d + child.index

    operands = []
    for k, leaf in enumerate(leaves):
        operands += [leaf, [k, d + k, 2 * d + k]]
    for i, (left, right) in enumerate(tree.internal_nodes()):
        operands += [transfers[i], [rank_label(left), rank_label(right), 3 * d + i]]
    tensor = np.einsum(*operands, list(range(2 * d)))
    return tensor.reshape(int(np.prod(row_modes)), int(np.prod(col_modes)))


class WorkedExampleTest(unittest.TestCase):
    def test_semantics_page_example(self):
        leaves = [np.array([1.0, 2.0]).reshape(2, 1, 1), np.array([3.0, 4.0]).reshape(1, 2, 1)]
        transfers = [np.full((1, 1, 1), 5.0)]
        dense = ht_to_dense((2, 1), (1, 2), "(0,1)", leaves, transfers)
        np.testing.assert_array_equal(dense, [[15.0, 20.0], [30.0, 40.0]])

    def test_swapped_tree_gives_the_same_matrix(self):
        leaves = [np.array([1.0, 2.0]).reshape(2, 1, 1), np.array([3.0, 4.0]).reshape(1, 2, 1)]
        dense = ht_to_dense((2, 1), (1, 2), "(1,0)", leaves, [np.full((1, 1, 1), 5.0)])
        np.testing.assert_array_equal(dense, [[15.0, 20.0], [30.0, 40.0]])


class EinsumAgreementTest(unittest.TestCase):
    CASES = [
        # (tree, row modes, col modes, leaf ranks, node ranks in preorder)
        (balanced_tree(2), (3, 2), (2, 4), (2, 3), (1,)),
        (balanced_tree(4), (2, 3, 1, 2), (3, 2, 2, 1), (2, 3, 1, 2), (1, 3, 2)),
        (balanced_tree(5), (2, 1, 3, 2, 2), (1, 2, 2, 3, 2), (1, 2, 3, 2, 2), (1, 4, 2, 3)),
        (left_deep_tree(4), (2, 2, 3, 1), (1, 3, 2, 2), (2, 2, 3, 1), (1, 3, 2)),
        (right_deep_tree(4), (3, 1, 2, 2), (2, 2, 1, 3), (3, 1, 2, 2), (1, 2, 3)),
        (parse_tree("((2,0),(3,1))"), (2, 3, 2, 1), (3, 1, 2, 2), (2, 1, 3, 2), (1, 2, 4)),
        (parse_tree("(1,((3,0),2))"), (2, 2, 3, 2), (2, 3, 1, 2), (2, 3, 2, 1), (1, 2, 3)),
        (parse_tree("(2,(0,1))"), (4, 1, 3), (1, 3, 2), (3, 1, 2), (1, 3)),
    ]

    def test_node_frames_match_one_einsum(self):
        rng = np.random.default_rng(7)
        for tree, rows, cols, leaf_ranks, node_ranks in self.CASES:
            with self.subTest(tree=str(tree), rows=rows, cols=cols):
                leaves, transfers = random_factors(rng, rows, cols, tree, leaf_ranks, node_ranks)
                got = ht_to_dense(rows, cols, tree, leaves, transfers)
                want = einsum_dense(rows, cols, tree, leaves, transfers)
                self.assertEqual(got.shape, (np.prod(rows), np.prod(cols)))
                np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)

    def test_rank_one_factors_give_a_kronecker_product(self):
        rng = np.random.default_rng(3)
        tree = parse_tree("((1,2),0)")
        leaves = [rng.normal(size=(m, n, 1)) for m, n in [(2, 3), (3, 2), (2, 2)]]
        transfers = [np.ones((1, 1, 1)), np.ones((1, 1, 1))]
        want = np.kron(np.kron(leaves[0][..., 0], leaves[1][..., 0]), leaves[2][..., 0])
        got = ht_to_dense((2, 3, 2), (3, 2, 2), tree, leaves, transfers)
        np.testing.assert_allclose(got, want, rtol=1e-12)


class ShapeErrorTest(unittest.TestCase):
    def test_mismatched_factors_are_rejected(self):
        ones = np.ones
        cases = [
            ("leaf 1 has shape", [ones((2, 1, 1)), ones((2, 2, 1))], [ones((1, 1, 1))]),
            ("transfer 0 has shape", [ones((2, 1, 1)), ones((1, 2, 1))], [ones((2, 1, 1))]),
            ("root transfer's last dimension is 2", [ones((2, 1, 1)), ones((1, 2, 1))], [ones((1, 1, 2))]),
            ("expected 2 leaves and 1 transfers", [ones((2, 1, 1))], [ones((1, 1, 1))]),
        ]
        for message, leaves, transfers in cases:
            with self.subTest(message=message), self.assertRaises(ValueError) as caught:
                ht_to_dense((2, 1), (1, 2), "(0,1)", leaves, transfers)
            self.assertIn(message, str(caught.exception))


class CountTest(unittest.TestCase):
    def test_parameter_count_of_the_ucf11_layer(self):
        args = ((16, 4, 4, 4), (8, 20, 20, 18), "((0,1),(2,3))", (4, 4, 4, 4), (1, 4, 4))
        # Leaves 512 + 320 + 320 + 288, transfers 16 + 64 + 64.
        self.assertEqual(parameter_count(*args), 1584)
        self.assertAlmostEqual(compression_ratio(*args), 1024 * 57600 / 1584)

    def test_parameter_count_is_the_number_of_stored_values(self):
        rng = np.random.default_rng(0)
        for tree, rows, cols, leaf_ranks, node_ranks in EinsumAgreementTest.CASES:
            leaves, transfers = random_factors(rng, rows, cols, tree, leaf_ranks, node_ranks)
            stored = sum(a.size for a in leaves + transfers)
            self.assertEqual(parameter_count(rows, cols, tree, leaf_ranks, node_ranks), stored)


class LinearTest(unittest.TestCase):
    def test_ht_linear_matches_dense_with_leading_batch_axes(self):
        rng = np.random.default_rng(1)
        tree = balanced_tree(3)
        leaves, transfers = random_factors(rng, (2, 3, 1), (2, 2, 3), tree, (2, 2, 1), (1, 2))
        matrix = HTMatrix((2, 3, 1), (2, 2, 3), tree, tuple(leaves), tuple(transfers))
        x = rng.normal(size=(4, 5, 12))
        bias = rng.normal(size=6)
        want = np.einsum("abn,mn->abm", x, matrix.to_dense()) + bias
        np.testing.assert_allclose(ht_linear(x, matrix, bias), want, rtol=1e-12)
        np.testing.assert_allclose(ht_linear(x, matrix), want - bias, rtol=1e-12, atol=1e-12)

    def test_feature_mismatch_is_rejected(self):
        with self.assertRaises(ValueError):
            ht_linear(np.ones((2, 3)), np.ones((4, 5)))


if __name__ == "__main__":
    unittest.main()
