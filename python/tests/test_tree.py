"""Dimension trees: parsing, canonical text, validation messages, preorder numbering."""

import unittest

from ht_mlir.tree import (
    Child,
    balanced_tree,
    format_tree,
    left_deep_tree,
    parse_tree,
    right_deep_tree,
    transfer_shapes,
)


class ParseTest(unittest.TestCase):
    def test_canonical_text(self):
        for text, canonical in [
            ("((0,1),(2,3))", "((0, 1), (2, 3))"),
            (" ( 0 ,\n(1,( 2,3) ) ) ", "(0, (1, (2, 3)))"),
            ("((2,0),(3,1))", "((2, 0), (3, 1))"),
            ("(1,0)", "(1, 0)"),
        ]:
            with self.subTest(text=text):
                tree = parse_tree(text)
                self.assertEqual(format_tree(tree), canonical)
                self.assertEqual(parse_tree(str(tree)), tree)

    def test_leaf_order_and_modes(self):
        tree = parse_tree("((2,0),(3,1))")
        self.assertEqual(tree.leaf_order(), (2, 0, 3, 1))
        self.assertEqual(tree.num_modes, 4)

    def test_internal_nodes_are_numbered_in_preorder(self):
        # Internal node i is the i-th opening parenthesis.
        tree = parse_tree("((0,(1,2)),(3,4))")
        self.assertEqual(
            tree.internal_nodes(),
            [
                (Child("node", 1), Child("node", 3)),
                (Child("leaf", 0), Child("node", 2)),
                (Child("leaf", 1), Child("leaf", 2)),
                (Child("leaf", 3), Child("leaf", 4)),
            ],
        )
        self.assertEqual(tree.internal_nodes()[0], (("node", 1), ("node", 3)))

    def test_transfer_shapes_follow_children_ranks(self):
        tree = parse_tree("((0,1),2)")
        self.assertEqual(transfer_shapes(tree, [2, 3, 4], [1, 5]), [(5, 4, 1), (2, 3, 5)])


class ValidationTest(unittest.TestCase):
    def assert_rejected(self, text, message, num_modes=None):
        with self.assertRaises(ValueError) as caught:
            parse_tree(text, num_modes)
        self.assertIn(message, str(caught.exception))

    def test_errors_name_the_problem(self):
        cases = [
            ("", "empty tree"),
            ("   ", "empty tree"),
            ("0", "at least 2 modes"),
            ("(0)", "internal node 0 has 1 child, expected exactly 2"),
            ("((0,1),(2,3,4))", "internal node 2 has 3 children, expected exactly 2"),
            ("(0,0)", "mode 0 appears more than once"),
            ("(0,2)", "mode 2 is out of range"),
            ("(0,1", "unexpected end of tree"),
            ("(0,1))", "after the end of the tree"),
            ("(0;1)", "unexpected character ';' at position 2"),
            ("(-1,0)", "unexpected character '-'"),
            ("(0,())", "expected a mode or '('"),
            ("(0 1)", "expected ',' or ')'"),
        ]
        for text, message in cases:
            with self.subTest(text=text):
                self.assert_rejected(text, message)

    def test_leaf_count_must_match_modes(self):
        self.assert_rejected("(0,(1,2))", "tree has 3 leaves, expected 4", num_modes=4)


class BuildersTest(unittest.TestCase):
    def test_balanced(self):
        self.assertEqual(str(balanced_tree(2)), "(0, 1)")
        self.assertEqual(str(balanced_tree(4)), "((0, 1), (2, 3))")
        self.assertEqual(str(balanced_tree(5)), "(((0, 1), 2), (3, 4))")

    def test_degenerate(self):
        self.assertEqual(str(left_deep_tree(4)), "(((0, 1), 2), 3)")
        self.assertEqual(str(right_deep_tree(4)), "(0, (1, (2, 3)))")

    def test_one_mode_is_rejected(self):
        for build in (balanced_tree, left_deep_tree, right_deep_tree):
            with self.subTest(build=build.__name__), self.assertRaises(ValueError):
                build(1)


if __name__ == "__main__":
    unittest.main()
