"""The LSTM reference against a scalar loop, and the three weight forms against each other."""

import math
import unittest

import numpy as np
from fixtures import random_factors

from ht_mlir.reference import (
    HTMatrix,
    fuse_weights,
    lstm,
    lstm_fused,
    lstm_per_gate,
    split_fused,
    split_gates,
    stack_gates,
)
from ht_mlir.tree import balanced_tree


def scalar_lstm(x, h0, c0, w_ih, w_hh, b_ih, b_hh, hard):
    """Element-by-element LSTM, written straight from the formulas with Python floats."""
    def gate(z):
        return min(max(0.2 * z + 0.5, 0.0), 1.0) if hard else 1.0 / (1.0 + math.exp(-z))

    steps, batch, inputs = x.shape
    hidden = h0.shape[1]
    h, c = h0.tolist(), c0.tolist()
    out = np.zeros((steps, batch, hidden))
    for t in range(steps):
        new_h, new_c = [], []
        for b in range(batch):
            def z(row):
                total = b_ih[row] + b_hh[row]
                total += sum(x[t, b, j] * w_ih[row, j] for j in range(inputs))
                total += sum(h[b][j] * w_hh[row, j] for j in range(hidden))
                return total
            hs, cs = [], []
            for u in range(hidden):
                i = gate(z(u))
                f = gate(z(hidden + u))
                g = math.tanh(z(2 * hidden + u))
                o = gate(z(3 * hidden + u))
                cell = f * c[b][u] + i * g
                cs.append(cell)
                hs.append(o * math.tanh(cell))
            new_h.append(hs)
            new_c.append(cs)
        h, c = new_h, new_c
        out[t] = h
    return out, np.array(h), np.array(c)


def random_lstm_case(rng, steps=4, batch=2, inputs=3, hidden=2):
    return dict(
        x=rng.normal(size=(steps, batch, inputs)),
        h0=rng.normal(size=(batch, hidden)),
        c0=rng.normal(size=(batch, hidden)),
        W_ih=rng.normal(size=(4 * hidden, inputs)),
        W_hh=rng.normal(size=(4 * hidden, hidden)),
        b_ih=rng.normal(size=4 * hidden),
        b_hh=rng.normal(size=4 * hidden),
    )


class ScalarLoopTest(unittest.TestCase):
    def test_sigmoid_and_hard_sigmoid(self):
        case = random_lstm_case(np.random.default_rng(5))
        for activation in ("sigmoid", "hard_sigmoid"):
            with self.subTest(activation=activation):
                got = lstm(**case, gate_activation=activation)
                want = scalar_lstm(*case.values(), hard=activation == "hard_sigmoid")
                for g, w in zip(got, want):
                    np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)

    def test_hard_sigmoid_differs_from_sigmoid(self):
        case = random_lstm_case(np.random.default_rng(6))
        out_sigmoid = lstm(**case)[0]
        out_hard = lstm(**case, gate_activation="hard_sigmoid")[0]
        self.assertGreater(np.abs(out_sigmoid - out_hard).max(), 1e-3)

    def test_no_bias_and_no_steps(self):
        case = random_lstm_case(np.random.default_rng(8), steps=0)
        out, h, c = lstm(case["x"], case["h0"], case["c0"], case["W_ih"], case["W_hh"])
        self.assertEqual(out.shape, (0, 2, 2))
        np.testing.assert_array_equal(h, case["h0"])
        np.testing.assert_array_equal(c, case["c0"])

    def test_bad_arguments_are_rejected(self):
        case = random_lstm_case(np.random.default_rng(9))
        with self.assertRaises(ValueError):
            lstm(**case, gate_activation="relu")
        with self.assertRaises(ValueError):
            lstm(**dict(case, W_ih=case["W_ih"][:, :2]))


class FormsTest(unittest.TestCase):
    def test_forms_agree_on_the_same_dense_matrices(self):
        case = random_lstm_case(np.random.default_rng(11), inputs=5, hidden=3)
        x, h0, c0 = case["x"], case["h0"], case["c0"]
        biases = (case["b_ih"], case["b_hh"])
        stacked = lstm(x, h0, c0, case["W_ih"], case["W_hh"], *biases)
        per_gate = lstm_per_gate(x, h0, c0, split_gates(case["W_ih"]), case["W_hh"], *biases)
        fused = lstm_fused(x, h0, c0, fuse_weights(case["W_ih"], case["W_hh"]), *biases)
        for form in (per_gate, fused):
            for got, want in zip(form, stacked):
                np.testing.assert_array_equal(got, want)

    def test_split_and_join_are_inverse(self):
        w = np.arange(24.0).reshape(8, 3)
        gates = split_gates(w)
        self.assertEqual([g.shape for g in gates], [(2, 3)] * 4)
        np.testing.assert_array_equal(gates[2], w[4:6])
        np.testing.assert_array_equal(stack_gates(gates), w)
        w_ih, w_hh = split_fused(fuse_weights(w, w[:, :2]), 3)
        np.testing.assert_array_equal(w_ih, w)
        np.testing.assert_array_equal(w_hh, w[:, :2])

    def test_ht_weights_in_every_form(self):
        rng = np.random.default_rng(12)
        tree = balanced_tree(2)
        inputs, hidden = 6, 2

        def ht(rows, cols):
            leaves, transfers = random_factors(rng, rows, cols, tree, (2, 2), (1,))
            return HTMatrix(rows, cols, tree, tuple(leaves), tuple(transfers))

        x = rng.normal(size=(3, 2, inputs))
        h0, c0 = np.zeros((2, hidden)), np.zeros((2, hidden))
        gates = [ht((1, hidden), (3, 2)) for _ in range(4)]
        w_hh = rng.normal(size=(4 * hidden, hidden))
        per_gate = lstm_per_gate(x, h0, c0, gates, w_hh)
        stacked = lstm(x, h0, c0, stack_gates(gates), w_hh)
        fused_ht = ht((4, hidden), (4, 2))
        fused = lstm_fused(x, h0, c0, fused_ht)
        dense_ih, dense_hh = np.split(fused_ht.to_dense(), [inputs], axis=1)
        unfused = lstm(x, h0, c0, dense_ih, dense_hh)
        for got, want in list(zip(per_gate, stacked)) + list(zip(fused, unfused)):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


if __name__ == "__main__":
    unittest.main()
