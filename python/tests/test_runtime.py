"""ht_mlir.compile: models compiled by ht-compile, called from Python like their modules."""

from __future__ import annotations

import os
import tempfile
import unittest

import numpy as np

import ht_mlir
from ht_mlir import runtime

try:
    import torch
except ImportError:  # pragma: no cover - python3-torch is optional
    torch = None


def compiler_available() -> bool:
    try:
        runtime._find_compiler(None)
    except OSError:
        return False
    return True


@unittest.skipUnless(torch is not None and compiler_available(),
                     "python3-torch or build/bin/ht-compile is missing")
class RuntimeTest(unittest.TestCase):
    def setUp(self) -> None:
        self.cache = tempfile.TemporaryDirectory()
        self.addCleanup(self.cache.cleanup)

    def compile(self, model, **options):
        return ht_mlir.compile(model, cache_dir=self.cache.name, **options)

    def test_lstm_module_matches_pytorch_on_numpy_and_torch_inputs(self):
        from ht_mlir import nn as htnn
        torch.manual_seed(0)
        module = htnn.HTLSTM(24, 5, w_ih=htnn.ht_layout([4, 5], [4, 6], 2))
        compiled = self.compile(module)
        x = torch.randn(6, 3, 24)
        h0, c0 = torch.randn(3, 5), torch.randn(3, 5)
        with torch.no_grad():
            want_out, (want_h, want_c) = module(x, (h0, c0))
        out, (h_n, c_n) = compiled(x, (h0, c0))
        self.assertIsInstance(out, torch.Tensor)
        for got, want in ((out, want_out), (h_n, want_h), (c_n, want_c)):
            self.assertLess(float((got - want).abs().max()), 1e-5)
        out_np, (h_np, _) = compiled(x.numpy(), (h0.numpy(), c0.numpy()), threads=2)
        self.assertIsInstance(out_np, np.ndarray)
        self.assertEqual(out_np.tobytes(), out.numpy().tobytes())
        # nn.LSTM's [1, B, H] states and the default zero state.
        _, (h_layered, _) = compiled(x, (h0[None], c0[None]))
        self.assertEqual(list(h_layered.shape), [1, 3, 5])
        with torch.no_grad():
            _, (want_zero_h, _) = module(x)
        _, (zero_h, _) = compiled(x)
        self.assertLess(float((zero_h - want_zero_h).abs().max()), 1e-5)

    def test_torch_lstm_and_linear_and_static_sizes(self):
        torch.manual_seed(1)
        lstm = torch.nn.LSTM(7, 4)
        compiled = self.compile(lstm, seq_len=5)
        x = torch.randn(5, 2, 7)
        with torch.no_grad():
            want, (want_h, _) = lstm(x)
        out, (h_n, _) = compiled(x)
        self.assertLess(float((out - want).abs().max()), 1e-5)
        self.assertEqual(list(h_n.shape), [2, 4])
        with self.assertRaises(ValueError) as caught:
            compiled(torch.randn(6, 2, 7))
        self.assertIn("x has shape [6, 2, 7], expected [5, batch, 7]", str(caught.exception))
        linear = torch.nn.Linear(6, 3)
        compiled_linear = self.compile(linear)
        y = compiled_linear(np.ones((4, 6)))  # float64 input, converted once
        self.assertLess(float(np.abs(y - linear(torch.ones(4, 6)).detach().numpy()).max()), 1e-5)
        with self.assertRaises(ValueError) as caught:
            compiled_linear(np.ones((4, 6)), (np.ones(1), np.ones(1)))
        self.assertIn("this model takes ['x'], not a state", str(caught.exception))

    def test_stacked_bidirectional_lstm_matches_pytorch(self):
        torch.manual_seed(2)
        lstm = torch.nn.LSTM(6, 4, num_layers=2, bidirectional=True)
        compiled = self.compile(lstm)
        x = torch.randn(5, 3, 6)
        h0, c0 = torch.randn(4, 3, 4), torch.randn(4, 3, 4)
        with torch.no_grad():
            want, (want_h, want_c) = lstm(x, (h0, c0))
            want_zero, (want_zero_h, _) = lstm(x)
        out, (h_n, c_n) = compiled(x, (h0, c0))
        self.assertEqual(list(out.shape), [5, 3, 8])
        self.assertEqual(list(h_n.shape), [4, 3, 4])
        for got, expected in ((out, want), (h_n, want_h), (c_n, want_c)):
            self.assertLess(float((got - expected).abs().max()), 1e-5)
        zero_out, (zero_h, _) = compiled(x)
        self.assertLess(float((zero_out - want_zero).abs().max()), 1e-5)
        self.assertLess(float((zero_h - want_zero_h).abs().max()), 1e-5)
        with self.assertRaises(ValueError) as caught:
            compiled(x, (h0[:2], c0[:2]))
        self.assertIn("h0 has shape [2, 3, 4], expected [4, batch, 4]", str(caught.exception))

    def test_batch_first_lstm(self):
        torch.manual_seed(3)
        lstm = torch.nn.LSTM(6, 4, num_layers=2, batch_first=True)
        compiled = self.compile(lstm)
        x = torch.randn(3, 5, 6)  # [B, T, I]
        with torch.no_grad():
            want, (want_h, _) = lstm(x)
        out, (h_n, _) = compiled(x)
        self.assertEqual(list(out.shape), [3, 5, 4])
        self.assertLess(float((out - want).abs().max()), 1e-5)
        self.assertLess(float((h_n - want_h).abs().max()), 1e-5)

    def test_libraries_are_cached_by_content(self):
        linear = torch.nn.Linear(6, 3)
        first = self.compile(linear)
        second = self.compile(linear)
        self.assertEqual(first.library_path, second.library_path)
        other = self.compile(linear, pipeline_options="order=greedy")
        self.assertNotEqual(first.library_path, other.library_path)
        entries = os.listdir(self.cache.name)
        self.assertEqual(len(entries), 2)

    def test_mlir_files_and_bad_arguments(self):
        from ht_mlir import torch_export
        with tempfile.TemporaryDirectory() as work:
            path = os.path.join(work, "model.mlir")
            torch_export.export(torch.nn.Linear(6, 3), path)
            compiled = self.compile(path)
            self.assertEqual(compiled.input_names, ["x"])
            with self.assertRaises(ValueError) as caught:
                self.compile(path, batch=4)
            self.assertIn("an .mlir file has its own", str(caught.exception))
            with open(os.path.join(work, "broken.mlir"), "w") as file:
                file.write("func.func @forward(")
            with self.assertRaises(ValueError) as caught:
                self.compile(os.path.join(work, "broken.mlir"))
            self.assertIn("ht-compile failed", str(caught.exception))
        with self.assertRaises(ValueError) as caught:
            self.compile(torch.nn.Linear(6, 3), threads=-1)
        self.assertIn("threads=-1", str(caught.exception))
        with self.assertRaises(ValueError) as caught:
            compiled(np.ones((0, 6)))
        self.assertIn("batch = 0; the compiled model takes sizes from 1 to 2^31", str(caught.exception))

    def test_cuda_target(self):
        import ctypes
        lstm = torch.nn.LSTM(6, 3)
        with self.assertRaises(ValueError) as caught:
            self.compile(lstm, target="tpu")
        self.assertIn("target='tpu'; expected 'cpu' or 'cuda'", str(caught.exception))
        with self.assertRaises(ValueError) as caught:
            self.compile(lstm, target="cuda", threads=2)
        self.assertIn("threads is for target='cpu'", str(caught.exception))
        compiled = self.compile(lstm, target="cuda", pipeline_options="format=ptx")
        self.assertEqual(compiled.target, "cuda")
        self.assertEqual(compiled.input_names, ["x", "h0", "c0"])
        self.assertNotEqual(compiled.library_path, self.compile(lstm).library_path)
        with self.assertRaises(ValueError) as caught:
            compiled(np.ones((4, 2, 6), np.float32), threads=1)
        self.assertIn("this one runs on the GPU", str(caught.exception))
        try:
            ctypes.CDLL("libcuda.so.1")
            has_driver = True
        except OSError:
            has_driver = False
        if has_driver:  # pragma: no cover - the build machines have no GPU
            expected = lstm(torch.ones(4, 2, 6))[0].detach().numpy()
            output, _ = compiled(np.ones((4, 2, 6), np.float32))
            np.testing.assert_allclose(output, expected, rtol=1e-5, atol=1e-5)
        else:
            with self.assertRaises(RuntimeError) as caught:
                compiled(np.ones((4, 2, 6), np.float32))
            self.assertIn("libcuda.so.1 cannot be loaded", str(caught.exception))
            self.assertIn("(status 5): dlopen", str(caught.exception))


if __name__ == "__main__":
    unittest.main()


@unittest.skipUnless(torch is not None and compiler_available(),
                     "python3-torch or build/bin/ht-compile is missing")
class ClassifierRuntimeTest(unittest.TestCase):
    def test_argmax_and_softmax_heads(self):
        from ht_mlir import nn as htnn
        torch.manual_seed(12)
        cache = tempfile.TemporaryDirectory()
        self.addCleanup(cache.cleanup)
        x = torch.randn(3, 5, 6)
        for output in ("argmax", "softmax"):
            with self.subTest(output=output):
                module = htnn.RecurrentClassifier(torch.nn.GRU(6, 4, batch_first=True),
                                                  torch.nn.Linear(4, 7), over="all",
                                                  output=output)
                compiled = ht_mlir.compile(module, cache_dir=cache.name)
                entry = compiled.entry["outputs"][0]
                with torch.no_grad():
                    want = module(x)
                got = compiled(x)
                if output == "argmax":
                    self.assertEqual((entry["name"], entry["dtype"]), ("classes", "int32"))
                    self.assertEqual(got.dtype, torch.int32)
                    self.assertTrue(torch.equal(got.long(), want))
                else:
                    self.assertEqual((entry["name"], entry["dtype"]), ("probabilities", "float32"))
                    self.assertLess(float((got - want).abs().max()), 1e-5)
                self.assertEqual(list(got.shape)[:2], [3, 5])
