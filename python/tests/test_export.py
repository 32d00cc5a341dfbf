"""Exporter: exact MLIR text of small models, blob encoding, and refusal of bad input."""

import copy
import os
import re
import tempfile
import unittest

import numpy as np
from fixtures import TINY_LINEAR, TINY_LSTM, variant

from ht_mlir.emit import encode_blob
from ht_mlir.export import write_mlir
from ht_mlir.random_model import random_weights

UCF11_LSTM = {
    "kind": "lstm", "input_size": 57600, "hidden_size": 256, "form": "stacked",
    "gate_activation": "sigmoid", "bias": True, "batch": None, "seq_len": None,
    "weights": {
        "W_ih": {"format": "ht", "row_modes": [16, 4, 4, 4], "col_modes": [8, 20, 20, 18],
                 "tree": "((0,1),(2,3))", "leaf_ranks": [4, 4, 4, 4], "node_ranks": [1, 4, 4]},
        "W_hh": {"format": "dense"},
    },
}
UCF11_MATRIX = (
    "!ht.matrix<[16, 4, 4, 4] x [8, 20, 20, 18], tree = ((0, 1), (2, 3)), "
    "leaf_ranks = [4, 4, 4, 4], node_ranks = [1, 4, 4], f32>"
)
TINY_MATRIX = "!ht.matrix<[2, 4] x [3, 2], tree = (1, 0), leaf_ranks = [2, 3], node_ranks = [1], f32>"
LINEAR_MATRIX = (
    "!ht.matrix<[1, 2, 3] x [2, 3, 2], tree = (0, (1, 2)), leaf_ranks = [1, 2, 2], node_ranks = [1, 2], f32>"
)


def decode_blob(text: str) -> np.ndarray:
    """Inverse of the blob format, written independently: alignment word, then float32s."""
    raw = bytes.fromhex(text.removeprefix("0x"))
    assert int.from_bytes(raw[:4], "little") == 4, "alignment must be 4"
    return np.frombuffer(raw[4:], dtype="<f4")


def export_text(desc, weights=None) -> str:
    weights = random_weights(desc, seed=0) if weights is None else weights
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.mlir")
        write_mlir(desc, weights, path)
        with open(path, encoding="utf-8") as file:
            return file.read()


def code_lines(text: str) -> list[str]:
    """Stripped lines of the module before the resource section."""
    return [line.strip() for line in text.split("{-#")[0].splitlines()]


class LstmTextTest(unittest.TestCase):
    def test_ucf11_stacked_model(self):
        lines = code_lines(export_text(UCF11_LSTM))
        state = "tensor<?x256xf32>"
        results = f"tensor<?x?x256xf32>, {state}, {state}"
        leaves = ", ".join(
            f"dense_resource<W_ih_leaf{k}> : tensor<{s}xf32>"
            for k, s in enumerate(["16x8x4", "4x20x4", "4x20x4", "4x18x4"])
        )
        transfers = ", ".join(
            f"dense_resource<W_ih_transfer{i}> : tensor<{s}xf32>"
            for i, s in enumerate(["4x4x1", "4x4x4", "4x4x4"])
        )
        self.assertEqual(lines, [
            "module {",
            f"func.func @forward(%x: tensor<?x?x57600xf32>, %h0: {state}, %c0: {state}) -> ({results}) "
            "attributes {llvm.emit_c_interface} {",
            f"%wih = ht.constant leaves [{leaves}] transfers [{transfers}] : {UCF11_MATRIX}",
            "%whh = arith.constant dense_resource<W_hh> : tensor<1024x256xf32>",
            "%bih = arith.constant dense_resource<b_ih> : tensor<1024xf32>",
            "%bhh = arith.constant dense_resource<b_hh> : tensor<1024xf32>",
            "%out, %hT, %cT = ht.lstm stacked %x, %h0, %c0 weights(%wih, %whh) biases(%bih, %bhh) : "
            f"(tensor<?x?x57600xf32>, {state}, {state}, {UCF11_MATRIX}, tensor<1024x256xf32>, "
            f"tensor<1024xf32>, tensor<1024xf32>) -> ({results})",
            f"return %out, %hT, %cT : {results}",
            "}",
            "}",
        ])

    def test_static_sizes_per_gate_without_bias_and_hard_sigmoid(self):
        dense = {"format": "dense"}
        desc = variant(TINY_LSTM, form="per_gate", bias=False, gate_activation="hard_sigmoid", weights={
            "W_ih_i": dense, "W_ih_f": dense, "W_ih_g": dense, "W_ih_o": dense, "W_hh": dense})
        lines = code_lines(export_text(desc))
        self.assertEqual(
            lines[1],
            "func.func @forward(%x: tensor<3x2x6xf32>, %h0: tensor<2x2xf32>, %c0: tensor<2x2xf32>) -> "
            "(tensor<3x2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) attributes {llvm.emit_c_interface} {",
        )
        self.assertEqual(lines[2], "%wi = arith.constant dense_resource<W_ih_i> : tensor<2x6xf32>")
        self.assertEqual(lines[6], "%whh = arith.constant dense_resource<W_hh> : tensor<8x2xf32>")
        self.assertEqual(
            lines[7],
            "%out, %hT, %cT = ht.lstm per_gate %x, %h0, %c0 weights(%wi, %wf, %wg, %wo, %whh) "
            "gate_activation = hard_sigmoid : (tensor<3x2x6xf32>, tensor<2x2xf32>, tensor<2x2xf32>, "
            + ", ".join(["tensor<2x6xf32>"] * 4)
            + ", tensor<8x2xf32>) -> (tensor<3x2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>)",
        )

    def test_fused_ht_with_bias_and_hard_sigmoid(self):
        fused = {"format": "ht", "row_modes": [4, 2], "col_modes": [2, 4], "tree": "(0,1)",
                 "leaf_ranks": [2, 2], "node_ranks": [1]}
        desc = variant(TINY_LSTM, form="fused", gate_activation="hard_sigmoid", weights={"W": fused})
        lines = code_lines(export_text(desc))
        matrix = "!ht.matrix<[4, 2] x [2, 4], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>"
        self.assertEqual(
            lines[2],
            "%w = ht.constant leaves [dense_resource<W_leaf0> : tensor<4x2x2xf32>, "
            "dense_resource<W_leaf1> : tensor<2x4x2xf32>] "
            f"transfers [dense_resource<W_transfer0> : tensor<2x2x1xf32>] : {matrix}",
        )
        self.assertEqual(
            lines[5],
            "%out, %hT, %cT = ht.lstm fused %x, %h0, %c0 weights(%w) biases(%bih, %bhh) "
            "gate_activation = hard_sigmoid : (tensor<3x2x6xf32>, tensor<2x2xf32>, tensor<2x2xf32>, "
            f"{matrix}, tensor<8xf32>, tensor<8xf32>) -> "
            "(tensor<3x2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>)",
        )


class LinearTextTest(unittest.TestCase):
    def test_with_bias(self):
        lines = code_lines(export_text(TINY_LINEAR))
        self.assertEqual(
            lines[1],
            "func.func @forward(%x: tensor<?x12xf32>) -> tensor<?x6xf32> "
            "attributes {llvm.emit_c_interface} {",
        )
        self.assertTrue(
            lines[2].startswith("%w = ht.constant leaves [dense_resource<W_leaf0> : tensor<1x2x1xf32>")
        )
        self.assertEqual(lines[3], "%b = arith.constant dense_resource<b> : tensor<6xf32>")
        self.assertEqual(
            lines[4],
            f"%y = ht.linear %x, %w bias %b : tensor<?x12xf32>, {LINEAR_MATRIX}, tensor<6xf32> "
            "-> tensor<?x6xf32>",
        )
        self.assertEqual(lines[5], "return %y : tensor<?x6xf32>")

    def test_without_bias_and_static_batch(self):
        lines = code_lines(export_text(variant(TINY_LINEAR, bias=False, batch=5)))
        self.assertEqual(
            lines[3], f"%y = ht.linear %x, %w : tensor<5x12xf32>, {LINEAR_MATRIX} -> tensor<5x6xf32>"
        )
        self.assertEqual(lines[4], "return %y : tensor<5x6xf32>")


class BlobTest(unittest.TestCase):
    def test_encoding(self):
        self.assertEqual(encode_blob(np.array([1.0, 2.0])), "0x040000000000803F00000040")

    def test_resources_round_trip(self):
        weights = random_weights(TINY_LSTM, seed=3)
        text = export_text(TINY_LSTM, weights)
        resources = text.split("{-#")[1]
        self.assertTrue(resources.strip().startswith("dialect_resources: {"))
        blobs = dict(re.findall(r'"(\w+)": "(0x[0-9A-F]+)"', resources))
        referenced = re.findall(r"dense_resource<(\w+)>", text.split("{-#")[0])
        self.assertEqual(list(blobs), referenced)
        self.assertEqual(sorted(blobs), sorted(key.replace(".", "_") for key in weights))
        for key, array in weights.items():
            decoded = decode_blob(blobs[key.replace(".", "_")])
            np.testing.assert_array_equal(decoded, array.astype(np.float32).ravel())


class RefusalTest(unittest.TestCase):
    def assert_refused(self, desc, weights, message):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.mlir")
            with self.assertRaises(ValueError) as caught:
                write_mlir(desc, weights, path)
            self.assertIn(message, str(caught.exception))
            self.assertEqual(os.listdir(folder), [], "no file, partial or temporary, may be left")

    def test_bad_input_writes_nothing(self):
        weights = random_weights(TINY_LSTM, seed=0)
        missing = {k: v for k, v in weights.items() if k != "b_hh"}
        self.assert_refused(TINY_LSTM, missing, "missing array 'b_hh'")
        wrong = dict(weights, W_hh=np.zeros((2, 8), np.float32))
        self.assert_refused(TINY_LSTM, wrong, "array 'W_hh' has shape [2, 8], expected [8, 2]")
        bad_tree = copy.deepcopy(TINY_LSTM)
        bad_tree["weights"]["W_ih"]["tree"] = "(0,1,1)"
        self.assert_refused(bad_tree, weights, "weights.W_ih.tree: internal node 0 has 3 children")

    def test_existing_output_is_kept_on_error(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.mlir")
            with open(path, "w", encoding="utf-8") as file:
                file.write("old")
            with self.assertRaises(ValueError):
                write_mlir(TINY_LSTM, {}, path)
            with open(path, encoding="utf-8") as file:
                self.assertEqual(file.read(), "old")


if __name__ == "__main__":
    unittest.main()
