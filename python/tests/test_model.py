"""Model descriptions and weight arrays: what is accepted, and what each error says."""

import copy
import unittest

import numpy as np
from fixtures import HT_W_IH, TINY_LINEAR, TINY_LSTM, variant

from ht_mlir.model import check_arrays, parse_model
from ht_mlir.random_model import random_weights
from ht_mlir.reference_run import run_reference


def with_ht_field(field, value, desc=TINY_LSTM, weight="W_ih"):
    result = copy.deepcopy(desc)
    result["weights"][weight][field] = value
    return result


class DescriptionTest(unittest.TestCase):
    def test_array_names_and_shapes(self):
        model = parse_model(TINY_LSTM)
        self.assertEqual(
            model.array_shapes(),
            {
                "W_ih.leaf0": (2, 3, 2), "W_ih.leaf1": (4, 2, 3), "W_ih.transfer0": (3, 2, 1),
                "W_hh": (8, 2), "b_ih": (8,), "b_hh": (8,),
            },
        )

    def test_defaults(self):
        desc = copy.deepcopy(TINY_LSTM)
        for field in ("gate_activation", "bias", "batch", "seq_len"):
            del desc[field]
        model = parse_model(desc)
        self.assertEqual((model.gate_activation, model.batch, model.seq_len), ("sigmoid", None, None))
        self.assertEqual([b.name for b in model.biases], ["b_ih", "b_hh"])

    def test_form_weight_names(self):
        dense = {"format": "dense"}
        per_gate = variant(TINY_LSTM, form="per_gate", weights={
            "W_ih_i": dense, "W_ih_f": dense, "W_ih_g": dense, "W_ih_o": dense, "W_hh": dense})
        fused = variant(TINY_LSTM, form="fused", bias=False, weights={"W": dense})
        self.assertEqual(
            list(parse_model(per_gate).array_shapes()),
            ["W_ih_i", "W_ih_f", "W_ih_g", "W_ih_o", "W_hh", "b_ih", "b_hh"],
        )
        self.assertEqual(parse_model(fused).array_shapes(), {"W": (8, 8)})

    def test_layers_and_directions_name_their_weights_as_pytorch(self):
        dense = {"format": "dense"}
        names = ["W_ih", "W_hh", "W_ih_reverse", "W_hh_reverse", "W_ih_l1", "W_hh_l1",
                 "W_ih_l1_reverse", "W_hh_l1_reverse"]
        model = parse_model(variant(TINY_LSTM, num_layers=2, bidirectional=True,
                                    weights={name: dense for name in names}))
        shapes = model.array_shapes()
        # Layer 1 reads both directions' outputs: 2 * hidden_size = 4 columns.
        self.assertEqual(shapes["W_ih_l1"], (8, 4))
        self.assertEqual(shapes["W_ih_reverse"], (8, 6))
        self.assertEqual([c[2] for c in model.cells()], ["", "_reverse", "_l1", "_l1_reverse"])
        self.assertIn("b_hh_l1_reverse", shapes)
        self.assertTrue(model.stacked_states)

    def test_errors_name_the_field_and_expected_value(self):
        cases = [
            (variant(TINY_LSTM, kind="rnn"), "kind: expected one of lstm, gru, linear"),
            (variant(TINY_LSTM, kind="gru"), "model: unknown field 'gate_activation'"),
            (variant({k: v for k, v in TINY_LSTM.items() if k != "gate_activation"}, kind="gru",
                     form="fused", weights={"W": {"format": "dense"}}),
             "form: a GRU has no fused form"),
            (variant({k: v for k, v in TINY_LSTM.items() if k != "gate_activation"}, kind="gru"),
             "weights.W_ih.row_modes: product is 8, expected 6 (3 * hidden_size)"),
            (variant(TINY_LSTM, hidden_size=0), "hidden_size: expected a positive integer"),
            (variant(TINY_LSTM, batch=True), "batch: expected a positive integer"),
            (variant(TINY_LSTM, form="split"), "form: expected one of stacked, per_gate, fused"),
            (variant(TINY_LSTM, bias="yes"), "bias: expected true or false"),
            (variant(TINY_LSTM, gate_activation="relu"), "gate_activation: expected one of sigmoid"),
            (variant(TINY_LSTM, extra=1), "model: unknown field 'extra'"),
            ({k: v for k, v in TINY_LSTM.items() if k != "form"}, "model: missing field 'form'"),
            (variant(TINY_LSTM, weights={"W_ih": HT_W_IH}), "weights: missing field 'W_hh'"),
            (with_ht_field("format", "tt"), "weights.W_ih.format: expected one of dense, ht"),
            (with_ht_field("row_modes", [2, 2]),
             "weights.W_ih.row_modes: product is 4, expected 8 (4 * hidden_size)"),
            (with_ht_field("col_modes", [6, 2]),
             "weights.W_ih.col_modes: product is 12, expected 6 (input_size)"),
            (with_ht_field("col_modes", [6]), "weights.W_ih.col_modes: has 1 entries, expected 2"),
            (with_ht_field("row_modes", [8]), "weights.W_ih.row_modes: has 1 modes, expected at least 2"),
            (with_ht_field("tree", "(0,0)"), "weights.W_ih.tree: mode 0 appears more than once"),
            (with_ht_field("tree", "((0,1),2)"), "weights.W_ih.tree: tree has 3 leaves, expected 2"),
            (with_ht_field("tree", [0, 1]), "weights.W_ih.tree: expected a string"),
            (with_ht_field("leaf_ranks", [2]), "weights.W_ih.leaf_ranks: has 1 entries, expected 2"),
            (with_ht_field("leaf_ranks", [2, 0]), "weights.W_ih.leaf_ranks[1]: expected a positive integer"),
            (with_ht_field("node_ranks", [2]),
             "weights.W_ih.node_ranks: the root's rank (first entry) is 2, expected 1"),
            (with_ht_field("extra", 1), "weights.W_ih: unknown field 'extra'"),
            (with_ht_field("format", "dense"), "weights.W_ih: unknown field 'row_modes' (allowed: format)"),
            (with_ht_field("format", "sparse", TINY_LINEAR, "W"),
             "weights.W.format: expected one of dense, ht, got 'sparse'"),
            (with_ht_field("col_modes", [2, 3, 3], TINY_LINEAR, "W"), "expected 12 (in_features)"),
            (variant(TINY_LINEAR, seq_len=3), "model: unknown field 'seq_len'"),
            (variant(TINY_LSTM, num_layers=0), "num_layers: expected a positive integer"),
            (variant(TINY_LSTM, bidirectional=1), "bidirectional: expected true or false"),
            (variant(TINY_LSTM, reverse="yes"), "reverse: expected true or false"),
            (variant(TINY_LSTM, num_layers=2, reverse=True),
             "reverse: a one-layer, one-direction LSTM only"),
            (variant(TINY_LSTM, num_layers=2), "weights: missing field 'W_ih_l1'"),
            (variant(TINY_LSTM, bidirectional=True), "weights: missing field 'W_ih_reverse'"),
        ]
        for desc, message in cases:
            with self.subTest(message=message), self.assertRaises(ValueError) as caught:
                parse_model(desc)
            self.assertIn(message, str(caught.exception))


class ArraysTest(unittest.TestCase):
    def setUp(self):
        self.model = parse_model(TINY_LSTM)
        self.arrays = random_weights(TINY_LSTM, seed=0)

    def assert_rejected(self, arrays, message):
        with self.assertRaises(ValueError) as caught:
            check_arrays(self.model, arrays)
        self.assertIn(message, str(caught.exception))

    def test_valid_arrays_become_float32_in_operand_order(self):
        arrays = {key: value.astype(np.float64) for key, value in reversed(self.arrays.items())}
        checked = check_arrays(self.model, arrays)
        self.assertEqual(list(checked), list(self.model.array_shapes()))
        self.assertTrue(all(a.dtype == np.float32 for a in checked.values()))

    def test_errors_name_the_key_and_expected_value(self):
        missing = {k: v for k, v in self.arrays.items() if k != "W_ih.leaf1"}
        self.assert_rejected(missing, "missing array 'W_ih.leaf1' (expected shape [4, 2, 3])")
        self.assert_rejected(dict(self.arrays, extra=np.zeros(1)), "unexpected array 'extra'")
        wrong = dict(self.arrays, **{"W_ih.transfer0": np.zeros((2, 3, 1))})
        self.assert_rejected(wrong, "array 'W_ih.transfer0' has shape [2, 3, 1], expected [3, 2, 1]")
        complex_bias = dict(self.arrays, b_ih=np.zeros(8, dtype=complex))
        self.assert_rejected(complex_bias, "array 'b_ih' has dtype complex128")
        huge = dict(self.arrays, b_hh=np.full(8, 1e300))
        self.assert_rejected(huge, "array 'b_hh' has values that are not finite as float32")


class RandomWeightsTest(unittest.TestCase):
    def test_seeded_and_well_scaled(self):
        desc = {
            "kind": "linear", "in_features": 2400, "out_features": 64, "bias": False, "batch": None,
            "weights": {"W": {"format": "ht", "row_modes": [4, 4, 4], "col_modes": [10, 12, 20],
                              "tree": "(0,(1,2))", "leaf_ranks": [3, 4, 5], "node_ranks": [1, 6]}},
        }
        first, second = random_weights(desc, seed=4), random_weights(desc, seed=4)
        self.assertEqual(first.keys(), second.keys())
        for key in first:
            np.testing.assert_array_equal(first[key], second[key])
        self.assertFalse(np.array_equal(first["W.leaf0"], random_weights(desc, seed=5)["W.leaf0"]))
        x = np.random.default_rng(0).normal(size=(256, 2400))
        (y,) = run_reference(desc, first, [x])
        self.assertGreater(y.std(), 0.3)
        self.assertLess(y.std(), 3.0)


if __name__ == "__main__":
    unittest.main()
