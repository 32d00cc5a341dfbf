"""The three command-line tools, run as a user would: outputs, exit codes, error lines."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from fixtures import TINY_LINEAR, TINY_LSTM

from ht_mlir.files import load_npz
from ht_mlir.reference_run import run_reference

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_tool(module, *args):
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR)
    return subprocess.run(
        [sys.executable, "-m", f"ht_mlir.{module}", *args],
        env=env, capture_output=True, text=True, check=False,
    )


class CliTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)

    def path(self, name):
        return os.path.join(self.folder.name, name)

    def write_json(self, name, desc):
        with open(self.path(name), "w", encoding="utf-8") as file:
            json.dump(desc, file)
        return self.path(name)

    def assert_one_line_error(self, result, message):
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
        self.assertTrue(result.stderr.startswith("error: "), result.stderr)
        self.assertIn(message, result.stderr)

    def test_random_model_export_and_reference_run(self):
        model = self.write_json("lstm.json", TINY_LSTM)
        result = run_tool("random_model", model, "-o", self.path("w.npz"), "--seed", "2")
        self.assertEqual(result.returncode, 0, result.stderr)
        weights = load_npz(self.path("w.npz"))
        self.assertEqual(
            sorted(weights), ["W_hh", "W_ih.leaf0", "W_ih.leaf1", "W_ih.transfer0", "b_hh", "b_ih"]
        )

        result = run_tool("export", model, self.path("w.npz"), "-o", self.path("lstm.mlir"))
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(self.path("lstm.mlir"), encoding="utf-8") as file:
            self.assertIn("ht.lstm stacked", file.read())

        rng = np.random.default_rng(0)
        inputs = [rng.normal(size=(3, 2, 6)), rng.normal(size=(2, 2)), rng.normal(size=(2, 2))]
        args = []
        for name, array in zip(("x", "h0", "c0"), inputs):
            np.save(self.path(f"{name}.npy"), array)
            args += ["--input", self.path(f"{name}.npy")]
        out_dir = self.path("out")
        result = run_tool("reference_run", model, self.path("w.npz"), *args, "--output-dir", out_dir)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(sorted(os.listdir(out_dir)), ["result0.npy", "result1.npy", "result2.npy"])
        want = run_reference(TINY_LSTM, weights, inputs)
        for index, expected in enumerate(want):
            got = np.load(os.path.join(out_dir, f"result{index}.npy"))
            self.assertEqual(got.dtype, np.float64)
            np.testing.assert_array_equal(got, expected)

    def test_reference_run_of_a_linear_layer(self):
        model = self.write_json("linear.json", TINY_LINEAR)
        run_tool("random_model", model, "-o", self.path("w.npz"))
        np.save(self.path("x.npy"), np.ones((4, 12), np.float32))
        result = run_tool("reference_run", model, self.path("w.npz"), "--input", self.path("x.npy"),
                          "--output-dir", self.path("out"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(np.load(self.path("out/result0.npy")).shape, (4, 6))

    def test_bad_input_gives_one_error_line_and_no_file(self):
        model = self.write_json("lstm.json", TINY_LSTM)
        run_tool("random_model", model, "-o", self.path("w.npz"))
        weights = load_npz(self.path("w.npz"))
        del weights["W_hh"]
        np.savez(self.path("missing.npz"), **weights)
        output = self.path("bad.mlir")
        self.assert_one_line_error(
            run_tool("export", model, self.path("missing.npz"), "-o", output), "missing array 'W_hh'"
        )
        self.assert_one_line_error(
            run_tool("export", self.path("nope.json"), self.path("w.npz"), "-o", output), "No such file"
        )
        with open(self.path("broken.json"), "w", encoding="utf-8") as file:
            file.write("{")
        self.assert_one_line_error(
            run_tool("export", self.path("broken.json"), self.path("w.npz"), "-o", output), "not valid JSON"
        )
        self.assert_one_line_error(
            run_tool("export", model, model, "-o", output), "not a NumPy .npz archive"
        )
        self.assert_one_line_error(run_tool("export", model), "the following arguments are required")
        self.assertFalse(os.path.exists(output))
        left = sorted(os.listdir(self.folder.name))
        self.assertEqual(left, ["broken.json", "lstm.json", "missing.npz", "w.npz"])

    def test_reference_run_checks_inputs(self):
        model = self.write_json("lstm.json", TINY_LSTM)
        run_tool("random_model", model, "-o", self.path("w.npz"))
        np.save(self.path("x.npy"), np.ones((3, 4, 6)))
        result = run_tool("reference_run", model, self.path("w.npz"), "--input", self.path("x.npy"),
                          "--output-dir", self.path("out"))
        self.assert_one_line_error(result, "input x: got float64 [3, 4, 6], expected real [3, 2, 6]")


if __name__ == "__main__":
    unittest.main()
