"""The PyTorch modules and exporter against the float64 reference (skipped without torch)."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

try:
    import torch
except ImportError:  # the README's set-up installs python3-torch
    torch = None

from ht_mlir import reference
from ht_mlir.reference_run import run_reference

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

if torch is not None:
    from ht_mlir import nn as htnn
    from ht_mlir import torch_export


def max_error(got, want):
    return float(np.max(np.abs(np.asarray(got, dtype=np.float64) - want))) if np.size(want) else 0.0


@unittest.skipIf(torch is None, "python3-torch is not installed")
class HTMatrixTest(unittest.TestCase):
    def test_dense_matches_reference_on_every_tree_shape(self):
        torch.manual_seed(0)
        layouts = [
            htnn.ht_layout([2, 1], [1, 2], 1, tree="(0,1)"),
            htnn.ht_layout([2, 3, 2], [3, 1, 2], 2, tree="(2,(0,1))"),
            htnn.ht_layout([2, 2, 2, 2], [1, 3, 2, 2], 3, tree="((3,1),(0,2))"),
            htnn.ht_layout([2, 1, 2, 3, 1], [2, 2, 1, 1, 3], leaf_ranks=[2, 1, 2, 3, 1],
                           node_ranks=[1, 2, 3, 2], tree="(((0,1),2),(3,4))"),
        ]
        for layout in layouts:
            with self.subTest(tree=layout["tree"]):
                rows, cols = int(np.prod(layout["row_modes"])), int(np.prod(layout["col_modes"]))
                matrix = htnn.HTLinear(cols, rows, layout).double().W
                want = reference.ht_to_dense(
                    layout["row_modes"], layout["col_modes"], layout["tree"],
                    [leaf.detach().numpy() for leaf in matrix.leaves],
                    [b.detach().numpy() for b in matrix.transfers])
                self.assertLess(max_error(matrix.dense().detach().numpy(), want), 1e-14)

    def test_semantics_worked_example(self):
        linear = htnn.HTLinear(2, 2, htnn.ht_layout([2, 1], [1, 2], 1, tree="(0,1)"), bias=False)
        with torch.no_grad():
            linear.W.leaves[0].copy_(torch.tensor([[[1.0]], [[2.0]]]))
            linear.W.leaves[1].copy_(torch.tensor([[[3.0], [4.0]]]))
            linear.W.transfers[0].fill_(5.0)
        self.assertEqual(linear.W.dense().tolist(), [[15.0, 20.0], [30.0, 40.0]])

    def test_bad_layouts_name_the_field(self):
        cases = [
            (lambda: htnn.HTLinear(12, 6, htnn.ht_layout([2, 2], [3, 4], 2)),
             "weights.W.row_modes: product is 4, expected 6 (rows)"),
            (lambda: htnn.HTLinear(12, 6, htnn.ht_layout([2, 3], [3, 4], 2, tree="((0,1),2)")),
             "weights.W.tree"),
            (lambda: htnn.ht_layout([2, 3], [3, 4]), "give either rank or both leaf_ranks and node_ranks"),
            (lambda: htnn.HTLSTM(4, 2, form="diagonal"), "form: expected one of stacked, per_gate, fused"),
            (lambda: htnn.HTLSTM(4, 2, form="fused", w_ih=htnn.ht_layout([2, 4], [2, 2], 1)),
             "w_ih: not a weight of the fused form"),
            (lambda: htnn.HTLSTM(4, 2, gate_activation="relu"), "gate_activation: expected one of"),
        ]
        for make, message in cases:
            with self.subTest(message=message), self.assertRaises(ValueError) as caught:
                make()
            self.assertIn(message, str(caught.exception))


def lstm_configurations():
    """(name, module) for every form, dense and HT recurrent weights, both activations."""
    w_ih_stacked = htnn.ht_layout([4, 2, 1], [3, 2, 2], 2, tree="((0,1),2)")
    w_hh = htnn.ht_layout([4, 2], [1, 2], 2)
    w_ih_gate = htnn.ht_layout([2, 1], [6, 2], 3)
    w_fused = htnn.ht_layout([2, 4], [7, 2], 3, tree="(1,0)")
    yield "stacked", htnn.HTLSTM(12, 2, form="stacked", w_ih=w_ih_stacked)
    yield "stacked-ht-w_hh", htnn.HTLSTM(12, 2, form="stacked", w_ih=w_ih_stacked, w_hh=w_hh)
    yield "per_gate-hard", htnn.HTLSTM(12, 2, form="per_gate", w_ih=w_ih_gate, gate_activation="hard_sigmoid")
    yield "fused-no-bias", htnn.HTLSTM(12, 2, form="fused", w=w_fused, bias=False)
    yield "dense", htnn.HTLSTM(12, 2)


@unittest.skipIf(torch is None, "python3-torch is not installed")
class HTLSTMTest(unittest.TestCase):
    def test_forward_matches_float64_reference_of_its_export(self):
        torch.manual_seed(1)
        for name, module in lstm_configurations():
            with self.subTest(name=name):
                # float32 numbers, like the weights: the reference rounds to float32
                x, h0, c0 = (torch.randn(*shape).double() for shape in ((5, 3, 12), (3, 2), (3, 2)))
                desc, arrays = torch_export.describe(module)
                want = run_reference(desc, arrays, [x.numpy(), h0.numpy(), c0.numpy()])
                output, (h_n, c_n) = module.double()(x, (h0, c0))
                for got, expected in zip((output, h_n, c_n), want):
                    self.assertLess(max_error(got.detach().numpy(), expected), 1e-12)

    def test_accepts_nn_lstm_state_shapes(self):
        torch.manual_seed(3)
        module = htnn.HTLSTM(5, 3).double()
        x = torch.randn(4, 2, 5, dtype=torch.float64)
        h0, c0 = torch.randn(2, 3, dtype=torch.float64), torch.randn(2, 3, dtype=torch.float64)
        output, (h_n, c_n) = module(x, (h0, c0))
        layered_output, (layered_h, layered_c) = module(x, (h0[None], c0[None]))
        self.assertEqual(list(layered_h.shape), [1, 2, 3])
        self.assertEqual(list(layered_c.shape), [1, 2, 3])
        self.assertTrue(torch.equal(layered_output, output))
        self.assertTrue(torch.equal(layered_h[0], h_n) and torch.equal(layered_c[0], c_n))
        for bad in ((h0[None, None], c0[None, None]), (h0, c0[None]), (h0[:1], c0[:1])):
            with self.assertRaises(ValueError) as caught:
                module(x, bad)
            self.assertIn("expected both [2, 3] or, as nn.LSTM's, [1, 2, 3]", str(caught.exception))

    def test_dense_htlstm_is_torch_lstm(self):
        torch.manual_seed(2)
        lstm = torch.nn.LSTM(5, 3).double()
        module = htnn.HTLSTM(5, 3).double()
        with torch.no_grad():
            module.weights["W_ih"].weight.copy_(lstm.weight_ih_l0)
            module.weights["W_hh"].weight.copy_(lstm.weight_hh_l0)
            module.b_ih.copy_(lstm.bias_ih_l0)
            module.b_hh.copy_(lstm.bias_hh_l0)
        x = torch.randn(4, 2, 5, dtype=torch.float64)
        want, (h_want, c_want) = lstm(x)
        got, (h_got, c_got) = module(x)
        self.assertLess(float((got - want).abs().max()), 1e-14)
        self.assertLess(float((h_got - h_want[0]).abs().max()), 1e-14)
        self.assertLess(float((c_got - c_want[0]).abs().max()), 1e-14)

    def test_training_reduces_the_loss(self):
        torch.manual_seed(3)
        module = htnn.HTLSTM(12, 2, w_ih=htnn.ht_layout([4, 2], [4, 3], 2))
        x, target = torch.randn(6, 8, 12), torch.randn(8, 2) * 0.5
        optimizer = torch.optim.Adam(module.parameters(), lr=0.05)
        losses = []
        for _ in range(30):
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(module(x)[1][0], target)
            loss.backward()
            optimizer.step()
            losses.append(float(loss))
        self.assertLess(losses[-1], 0.5 * losses[0])
        self.assertTrue(all(p.grad is not None for p in module.parameters()))


@unittest.skipIf(torch is None, "python3-torch is not installed")
class HTGRUTest(unittest.TestCase):
    def test_dense_htgru_is_torch_gru(self):
        torch.manual_seed(5)
        gru = torch.nn.GRU(5, 3).double()
        module = htnn.HTGRU(5, 3).double()
        with torch.no_grad():
            module.weights["W_ih"].weight.copy_(gru.weight_ih_l0)
            module.weights["W_hh"].weight.copy_(gru.weight_hh_l0)
            module.b_ih.copy_(gru.bias_ih_l0)
            module.b_hh.copy_(gru.bias_hh_l0)
        x, h0 = torch.randn(4, 2, 5, dtype=torch.float64), torch.randn(1, 2, 3, dtype=torch.float64)
        want, h_want = gru(x, h0)
        got, h_got = module(x, h0)
        self.assertEqual(list(h_got.shape), [1, 2, 3])  # nn.GRU's state shape comes back
        self.assertLess(float((got - want).abs().max()), 1e-14)
        self.assertLess(float((h_got - h_want).abs().max()), 1e-14)
        _, h_plain = module(x, h0[0])
        self.assertEqual(list(h_plain.shape), [2, 3])
        with self.assertRaises(ValueError) as caught:
            module(x, h0[:, :1])
        self.assertIn("h0 has shape [1, 1, 3], expected [2, 3] or, as nn.GRU's, [1, 2, 3]",
                      str(caught.exception))

    def test_forward_matches_float64_reference_of_its_export(self):
        torch.manual_seed(6)
        layout = htnn.ht_layout
        modules = {
            "stacked HT": htnn.HTGRU(12, 2, w_ih=layout([3, 2], [4, 3], 2), w_hh=layout([3, 2], [2, 1], 1)),
            "per_gate HT, no bias": htnn.HTGRU(12, 2, form="per_gate", w_ih=layout([1, 2], [4, 3], 2),
                                               bias=False),
        }
        for name, module in modules.items():
            with self.subTest(name=name):
                x, h0 = torch.randn(5, 3, 12).double(), torch.randn(3, 2).double()
                desc, arrays = torch_export.describe(module)
                self.assertEqual(desc["kind"], "gru")
                want = run_reference(desc, arrays, [x.numpy(), h0.numpy()])
                output, h_n = module.double()(x, h0)
                for got, expected in zip((output, h_n), want):
                    self.assertLess(max_error(got.detach().numpy(), expected), 1e-12)
                rebuilt = htnn.from_description(desc)
                self.assertIsInstance(rebuilt, htnn.HTGRU)
                self.assertEqual(rebuilt.description(), module.description())

    def test_bad_arguments_name_what_is_wrong(self):
        with self.assertRaises(ValueError) as caught:
            htnn.HTGRU(4, 2, form="fused")
        self.assertIn("form: expected one of stacked, per_gate (a GRU has no fused form)",
                      str(caught.exception))
        with self.assertRaises(ValueError) as caught:
            htnn.HTGRU(4, 2)(torch.randn(3, 2, 5))
        self.assertIn("x has shape [3, 2, 5], expected [T, B, 4]", str(caught.exception))


@unittest.skipIf(torch is None, "python3-torch is not installed")
class ExportTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)

    def path(self, name):
        return os.path.join(self.folder.name, name)

    def test_torch_lstm_and_linear_export_their_weights(self):
        lstm = torch.nn.LSTM(5, 3)
        desc, arrays = torch_export.describe(lstm, seq_len=4)
        self.assertEqual(desc["seq_len"], 4)
        self.assertEqual(desc["weights"], {"W_ih": {"format": "dense"}, "W_hh": {"format": "dense"}})
        np.testing.assert_array_equal(arrays["W_ih"], lstm.weight_ih_l0.detach().numpy())
        np.testing.assert_array_equal(arrays["b_hh"], lstm.bias_hh_l0.detach().numpy())
        linear = torch.nn.Linear(6, 4, bias=False)
        desc, arrays = torch_export.describe(linear, batch=2)
        self.assertEqual((desc["in_features"], desc["out_features"], desc["bias"]), (6, 4, False))
        self.assertEqual(set(arrays), {"W"})

    def test_gru_state_dicts_export_as_grus(self):
        gru = torch.nn.GRU(5, 3, num_layers=2, bidirectional=True)
        path = self.path("gru.pt")
        torch.save(gru.state_dict(), path)
        desc, arrays = torch_export.load_checkpoint(path, batch_first=True)
        self.assertEqual((desc["kind"], desc["num_layers"], desc["bidirectional"], desc["batch_first"]),
                         ("gru", 2, True, True))
        self.assertEqual(arrays["W_ih_l1_reverse"].shape, (9, 6))
        np.testing.assert_array_equal(arrays["b_hh_reverse"], gru.bias_hh_l0_reverse.detach().numpy())
        bad = {"weight_ih_l0": torch.zeros(10, 5), "weight_hh_l0": torch.zeros(10, 2)}
        torch.save(bad, path)
        with self.assertRaises(ValueError) as caught:
            torch_export.load_checkpoint(path)
        self.assertIn("are neither an LSTM's [4H, I] and [4H, H] nor a GRU's [3H, I] and [3H, H]",
                      str(caught.exception))

    def test_unsupported_modules_are_refused(self):
        cases = [
            (torch.nn.LSTM(4, 3, proj_size=2), "nn.LSTM with proj_size=2"),
            (torch.nn.RNN(4, 2), "cannot export a RNN: expected ht_mlir.nn.HTLSTM, ht_mlir.nn.HTGRU"),
        ]
        for module, message in cases:
            with self.subTest(message=message), self.assertRaises(ValueError) as caught:
                torch_export.export(module, self.path("out.mlir"))
            self.assertIn(message, str(caught.exception))
            self.assertFalse(os.path.exists(self.path("out.mlir")))

    def test_save_and_load_keep_the_module(self):
        torch.manual_seed(4)
        module = htnn.HTLSTM(12, 2, form="per_gate", w_ih=htnn.ht_layout([2, 1], [6, 2], 3))
        htnn.save(module, self.path("model.pt"))
        loaded = htnn.load(self.path("model.pt"))
        self.assertEqual(loaded.description(), module.description())
        for (name, a), (_, b) in zip(module.state_dict().items(), loaded.state_dict().items()):
            self.assertTrue(torch.equal(a, b), name)

    def run_cli(self, *args):
        env = dict(os.environ, PYTHONPATH=PYTHON_DIR)
        return subprocess.run([sys.executable, "-m", "ht_mlir.torch_export", *args],
                              env=env, capture_output=True, text=True, check=False)

    def test_cli_exports_checkpoints_and_state_dicts(self):
        module = htnn.HTLinear(12, 6, htnn.ht_layout([2, 3], [3, 4], 2))
        htnn.save(module, self.path("linear.pt"))
        torch.save(torch.nn.LSTM(5, 3).state_dict(), self.path("lstm.pt"))
        result = self.run_cli(self.path("linear.pt"), "-o", self.path("linear.mlir"), "--batch", "4")
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(self.path("linear.mlir"), encoding="utf-8") as file:
            self.assertIn("@forward(%x: tensor<4x12xf32>) -> tensor<4x6xf32>", file.read())
        torch.save(torch.nn.LSTM(5, 3, num_layers=2, bidirectional=True).state_dict(),
                   self.path("deep.pt"))
        result = self.run_cli(self.path("deep.pt"), "-o", self.path("deep.mlir"))
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(self.path("deep.mlir"), encoding="utf-8") as file:
            text = file.read()
        self.assertIn("%h0: tensor<4x?x3xf32>", text)
        self.assertEqual(text.count("ht.lstm stacked"), 4)
        self.assertEqual(text.count(" reverse :"), 2)
        result = self.run_cli(self.path("deep.pt"), "-o", self.path("deep-bf.mlir"), "--batch-first")
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(self.path("deep-bf.mlir"), encoding="utf-8") as file:
            self.assertEqual(file.read().count(" batch_first :"), 4)
        self.assertNotIn("does not say whether", result.stderr)
        torch.save(torch.nn.Linear(3, 2).state_dict(), self.path("lin.pt"))
        result = self.run_cli(self.path("lin.pt"), "-o", self.path("lin.mlir"), "--batch-first")
        self.assertEqual(result.returncode, 1)
        self.assertIn("batch_first is for an nn.LSTM / nn.GRU state_dict, not a linear layer", result.stderr)
        result = self.run_cli(self.path("lstm.pt"), "-o", self.path("lstm.mlir"), "--seq-len", "7",
                              "--json", self.path("lstm.json"), "--npz", self.path("lstm.npz"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("does not say whether the LSTM was batch_first; the exported model takes "
                      "time-major input [T, B, I]", result.stderr)
        with open(self.path("lstm.mlir"), encoding="utf-8") as file:
            self.assertIn("%x: tensor<7x?x5xf32>", file.read())
        self.assertTrue(os.path.exists(self.path("lstm.json")) and os.path.exists(self.path("lstm.npz")))

    def test_cli_exports_a_whole_model_with_its_head(self):
        model = torch.nn.Module()
        model.lstm, model.head = torch.nn.LSTM(4, 2, batch_first=True), torch.nn.Linear(2, 3)
        torch.save(model.state_dict(), self.path("whole.pt"))
        result = self.run_cli(self.path("whole.pt"), "-o", self.path("whole.mlir"), "--batch-first",
                              "--head-output", "softmax", "--json", self.path("whole.json"))
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(self.path("whole.json"), encoding="utf-8") as file:
            desc = json.load(file)
        self.assertEqual(desc["head"], {"out_features": 3, "over": "last", "output": "softmax",
                                        "bias": True, "weights": {"W_head": {"format": "dense"}}})
        self.assertTrue(desc["batch_first"])
        with open(self.path("whole.mlir"), encoding="utf-8") as file:
            text = file.read()
        self.assertIn("@forward(%x: tensor<?x?x4xf32>) -> tensor<?x3xf32>", text)
        self.assertIn("linalg.softmax", text)
        # The two modules named explicitly: the same export.
        result = self.run_cli(self.path("whole.pt"), "-o", self.path("named.mlir"), "--batch-first",
                              "--rnn", "lstm", "--head", "head", "--head-output", "softmax")
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(self.path("named.mlir"), encoding="utf-8") as file:
            self.assertEqual(file.read(), text)

    def test_recurrent_classifier_matches_its_reference(self):
        torch.manual_seed(8)
        module = htnn.RecurrentClassifier(torch.nn.GRU(5, 3, batch_first=True, bidirectional=True),
                                          htnn.HTLinear(6, 4, htnn.ht_layout([2, 2], [2, 3], 2)),
                                          over="all", output="softmax").double()
        x = torch.randn(2, 7, 5).double()  # float32 numbers, as the reference rounds to
        desc, arrays = torch_export.describe(module)
        (want,) = run_reference(desc, arrays, [x.numpy()])
        self.assertLess(max_error(module(x).detach().numpy(), want), 1e-12)
        self.assertEqual(sorted(k for k in arrays if "head" in k),
                         ["W_head.leaf0", "W_head.leaf1", "W_head.transfer0", "b_head"])
        for args, message in [((torch.nn.RNN(5, 3), torch.nn.Linear(3, 2)), "rnn: expected an nn.LSTM"),
                              ((torch.nn.LSTM(5, 3), torch.nn.Linear(4, 2)),
                               "head takes 4 features; expected 3"),
                              ((torch.nn.LSTM(5, 3), torch.nn.Linear(3, 2), "first"),
                               "over: expected one of last, all")]:
            with self.subTest(message=message), self.assertRaises(ValueError) as caught:
                over = args[2] if len(args) > 2 else "last"
                htnn.RecurrentClassifier(args[0], args[1], over=over)
            self.assertIn(message, str(caught.exception))

    def test_cli_errors_are_one_line_and_leave_no_output(self):
        with open(self.path("junk.pt"), "w", encoding="utf-8") as file:
            file.write("not a checkpoint")
        torch.save(torch.nn.LSTM(4, 3, proj_size=2).state_dict(), self.path("deep.pt"))
        torch.save({"conv.weight": torch.zeros(2)}, self.path("conv.pt"))
        torch.save({"conv": torch.zeros(2)}, self.path("unknown.pt"))
        two_heads = torch.nn.Module()
        two_heads.lstm, two_heads.fc1, two_heads.fc2 = (
            torch.nn.LSTM(4, 2), torch.nn.Linear(2, 3), torch.nn.Linear(3, 3))
        torch.save(two_heads.state_dict(), self.path("two_heads.pt"))
        narrow = torch.nn.Module()
        narrow.gru, narrow.head = torch.nn.GRU(4, 2, bidirectional=True), torch.nn.Linear(2, 3)
        torch.save(narrow.state_dict(), self.path("narrow.pt"))
        embedded = torch.nn.Module()
        embedded.norm, embedded.lstm, embedded.head = (
            torch.nn.LayerNorm(4), torch.nn.LSTM(4, 2), torch.nn.Linear(2, 3))
        torch.save(embedded.state_dict(), self.path("embedded.pt"))
        torch.save(htnn.HTLinear(12, 6, htnn.ht_layout([2, 3], [3, 4], 2)).state_dict(),
                   self.path("htstate.pt"))
        torch.save(torch.nn.LSTM(4, 2), self.path("pickled.pt"))
        cases = [
            (self.path("junk.pt"), "not a readable torch.save file of tensors"),
            (self.path("deep.pt"), "the state_dict has a projection (weight_hr_l*, nn.LSTM proj_size)"),
            (self.path("conv.pt"), "unrecognised state_dict keys ['conv.weight']"),
            (self.path("unknown.pt"), "unrecognised state_dict keys ['conv']"),
            (self.path("two_heads.pt"), "with recurrent layers ['lstm'] and linear layers "
                                        "['fc1', 'fc2']; the exporter takes one nn.LSTM / nn.GRU "
                                        "and one nn.Linear head: name the linear head module "
                                        "(--rnn PREFIX --head PREFIX"),
            (self.path("narrow.pt"), "the head 'head' takes 2 features; expected 4, the recurrent "
                                     "layers' output (2 directions * hidden_size 2)"),
            (self.path("embedded.pt"), "the state_dict has keys ['norm.bias', 'norm.weight'] outside 'lstm' "
                                       "(recurrent) and 'head' (head)"),
            (self.path("htstate.pt"), "save the module with ht_mlir.nn.save"),
            (self.path("pickled.pt"), "a pickled module? save its state_dict()"),
            (self.path("missing.pt"), "No such file or directory"),
        ]
        cases.append((self.path("two_heads.pt"), "'fc3' is not a linear head module of this "
                      "state_dict (those are ['fc1', 'fc2'])", "--head", "fc3"))
        for checkpoint, message, *options in cases:
            with self.subTest(message=message):
                result = self.run_cli(checkpoint, "-o", self.path("out.mlir"), *options)
                self.assertEqual(result.returncode, 1)
                self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
                self.assertIn("error: ", result.stderr)
                self.assertIn(message, result.stderr)
                self.assertFalse(os.path.exists(self.path("out.mlir")))


if __name__ == "__main__":
    unittest.main()


def hsvd_library_available():
    if torch is None:
        return False
    from ht_mlir import hsvd
    try:
        hsvd._load_library()
    except OSError:
        return False
    return True


@unittest.skipUnless(hsvd_library_available(), "python3-torch or build/lib/libHTHSVD.so is missing")
class CompressTest(unittest.TestCase):
    def test_full_rank_compression_keeps_the_lstm(self):
        torch.manual_seed(5)
        lstm = torch.nn.LSTM(48, 8).double()
        module, bound = htnn.compress_lstm(lstm, [4, 2, 4], [4, 3, 4])
        self.assertEqual(bound, 0.0)
        x = torch.randn(5, 2, 48, dtype=torch.float64)
        got, (h_n, _) = module.double()(x)
        want, (h_want, _) = lstm(x)
        # The factors are float32 parameters: exact up to their rounding.
        self.assertLess(float((got - want).abs().max()), 1e-6)
        self.assertLess(float((h_n - h_want[0]).abs().max()), 1e-6)

    def test_truncated_error_is_the_bound(self):
        from ht_mlir.hsvd import hsvd
        rng = np.random.default_rng(6)
        matrix = rng.standard_normal((32, 48))
        for max_rank in (1, 2, 3):
            result = hsvd(matrix, [4, 2, 4], [4, 3, 4], tree="(0,(1,2))", max_rank=max_rank)
            approximation = reference.ht_to_dense(
                result.layout["row_modes"], result.layout["col_modes"], result.layout["tree"],
                result.leaves, result.transfers)
            error = np.linalg.norm(approximation - matrix) / np.linalg.norm(matrix)
            self.assertAlmostEqual(error, result.relative_error_bound, places=9)
            self.assertLessEqual(max(result.layout["leaf_ranks"]), max_rank)
            self.assertEqual(result.layout["tree"], "(0, (1, 2))")

    def test_budget_is_never_exceeded_and_buys_accuracy(self):
        from ht_mlir.hsvd import hsvd
        rng = np.random.default_rng(8)
        matrix = rng.standard_normal((32, 48))
        previous = 2.0
        for budget in (60, 120, 300, 900):
            result = hsvd(matrix, [4, 2, 4], [4, 3, 4], max_parameters=budget)
            parameters = sum(leaf.size for leaf in result.leaves) + sum(
                transfer.size for transfer in result.transfers)
            self.assertLessEqual(parameters, budget)
            self.assertLess(result.relative_error_bound, previous)
            previous = result.relative_error_bound
        by_ratio = hsvd(matrix, [4, 2, 4], [4, 3, 4], ratio=32 * 48 / 300)
        self.assertEqual(by_ratio.layout, hsvd(matrix, [4, 2, 4], [4, 3, 4], max_parameters=300).layout)

    def test_compress_lstm_within_a_budget(self):
        torch.manual_seed(9)
        lstm = torch.nn.LSTM(48, 8)
        module, bound = htnn.compress_lstm(lstm, [4, 2, 4], [4, 3, 4], ratio=8.0)
        w = module.weights["W_ih"]
        parameters = sum(t.numel() for t in list(w.leaves) + list(w.transfers))
        self.assertLessEqual(parameters, 32 * 48 // 8)
        self.assertGreater(bound, 0.0)

    def test_bad_arguments_name_what_is_wrong(self):
        from ht_mlir.hsvd import hsvd
        cases = [
            (dict(row_modes=[2, 3], col_modes=[2, 2]), "row modes [2, 3] multiply to 6, expected 4"),
            (dict(row_modes=[2, 2], col_modes=[2, 2, 1]), "col_modes [2, 2, 1] has 3 modes, expected 2"),
            (dict(row_modes=[2, 2], col_modes=[2, 2], tree="((0,1),2)"), "tree ((0, 1), 2) is over 3 modes"),
            (dict(row_modes=[2, 2], col_modes=[2, 2], max_rank=0), "max_rank=0; a rank is at least 1"),
            (dict(row_modes=[2, 2], col_modes=[2, 2], tolerance=1.5), "tolerance 1.5 must be a relative error"),
            (dict(row_modes=[2, 2], col_modes=[2, 2], max_parameters=8),
             "a budget of 8 parameters is below the smallest HT matrix"),
            (dict(row_modes=[2, 2], col_modes=[2, 2], max_parameters=0), "max_parameters=0; expected a budget >= 1"),
            (dict(row_modes=[2, 2], col_modes=[2, 2], ratio=-1.0), "ratio=-1.0; expected a compression ratio > 0"),
            (dict(row_modes=[2, 2], col_modes=[2, 2], ratio=2.0, max_parameters=9),
             "max_parameters and ratio both set a budget"),
        ]
        for arguments, message in cases:
            with self.subTest(message=message), self.assertRaises(ValueError) as caught:
                hsvd(np.ones((4, 4)), **arguments)
            self.assertIn(message, str(caught.exception))


@unittest.skipIf(torch is None, "python3-torch is not installed")
class StackedModulesTest(unittest.TestCase):
    """HTLSTM and HTGRU with several layers, both directions, batch-first input."""

    @staticmethod
    def copy_from_torch(module, torch_module):
        with torch.no_grad():
            for name, matrix in module.weights.items():
                matrix.weight.copy_(getattr(torch_module, htnn._torch_name(name)))
            for name, parameter in module.named_parameters():
                if name.startswith("b_"):
                    parameter.copy_(getattr(torch_module, htnn._torch_name(name)))

    def test_dense_stacks_are_torch_modules(self):
        torch.manual_seed(9)
        for torch_class, ht_class in ((torch.nn.LSTM, htnn.HTLSTM), (torch.nn.GRU, htnn.HTGRU)):
            for options in (dict(num_layers=2, bidirectional=True, batch_first=True),
                            dict(num_layers=3), dict(bidirectional=True, bias=False)):
                with self.subTest(module=ht_class.__name__, **options):
                    reference_module = torch_class(5, 3, **options).double()
                    module = ht_class(5, 3, **options).double()
                    self.copy_from_torch(module, reference_module)
                    cells = options.get("num_layers", 1) * (2 if options.get("bidirectional") else 1)
                    x = torch.randn(2, 4, 5, dtype=torch.float64)
                    states = [torch.randn(cells, 2 if options.get("batch_first") else 4, 3,
                                          dtype=torch.float64) for _ in range(2)]
                    hx = tuple(states) if ht_class is htnn.HTLSTM else states[0]
                    want, want_states = reference_module(x, hx)
                    got, got_states = module(x, hx)
                    self.assertLess(float((got - want).abs().max()), 1e-13)
                    for g, w in zip(got_states if ht_class is htnn.HTLSTM else [got_states],
                                    want_states if ht_class is htnn.HTLSTM else [want_states]):
                        self.assertEqual(g.shape, w.shape)
                        self.assertLess(float((g - w).abs().max()), 1e-13)

    def test_ht_stack_matches_the_reference_of_its_export(self):
        torch.manual_seed(10)
        layout = htnn.ht_layout
        module = htnn.HTGRU(12, 2, num_layers=2, bidirectional=True, batch_first=True,
                            w_hh=layout([3, 2], [2, 1], 2),
                            layouts={"W_ih": layout([3, 2], [4, 3], 2),
                                     "W_ih_l1_reverse": layout([2, 3], [2, 2], 1)}).double()
        desc, arrays = torch_export.describe(module)
        self.assertEqual((desc["num_layers"], desc["bidirectional"], desc["batch_first"]),
                         (2, True, True))
        self.assertEqual(desc["weights"]["W_ih_l1"], {"format": "dense"})
        self.assertEqual(desc["weights"]["W_hh_l1_reverse"]["format"], "ht")
        x = torch.randn(3, 5, 12).double()
        h0 = torch.randn(4, 3, 2).double()
        want = run_reference(desc, arrays, [x.numpy(), h0.numpy()])
        output, h_n = module(x, h0)
        for got, expected in zip((output, h_n), want):
            self.assertLess(max_error(got.detach().numpy(), expected), 1e-12)
        rebuilt = htnn.from_description(desc)
        self.assertEqual(rebuilt.description(), module.description())
        path = os.path.join(tempfile.mkdtemp(), "stack.pt")
        htnn.save(module, path)
        loaded = htnn.load(path).double()
        self.assertTrue(torch.equal(loaded(x, h0)[0], output))

    def test_compress_every_layer_and_w_hh(self):
        torch.manual_seed(11)
        gru = torch.nn.GRU(12, 4, num_layers=2, bidirectional=True)
        modes = {"W_ih": ([3, 4], [4, 3]), "W_hh": ([3, 4], [2, 2]),
                 "W_ih_l1_reverse": ([3, 4], [4, 2])}
        module, bounds = htnn.compress(gru, modes)  # full rank: exact
        self.assertEqual(set(bounds), set(modes))
        self.assertTrue(all(bound < 1e-6 for bound in bounds.values()))
        self.assertIsInstance(module.weights["W_hh"], htnn.HTMatrix)
        self.assertIsInstance(module.weights["W_hh_l1"], htnn.DenseMatrix)
        x = torch.randn(5, 2, 12)
        with torch.no_grad():
            want, _ = gru(x)
            got, _ = module(x)
        self.assertLess(float((got - want).abs().max()), 1e-5)
        truncated, bounds = htnn.compress(gru, {"W_ih_l1": ([3, 4], [4, 2])}, max_rank=1)
        self.assertGreater(bounds["W_ih_l1"], 0.1)
        with self.assertRaises(ValueError) as caught:
            htnn.compress(gru, {"W_ih_l2": ([3, 4], [4, 3])})
        self.assertIn("modes: 'W_ih_l2' is not a weight of this model (its weights: W_ih, W_hh, "
                      "W_ih_reverse", str(caught.exception))
        with self.assertRaises(ValueError) as caught:
            htnn.compress(gru, {"W_hh": ([3, 3], [2, 2])})
        self.assertIn("W_hh: ", str(caught.exception))

    def test_bad_states_and_layouts_name_what_is_wrong(self):
        module = htnn.HTLSTM(5, 3, num_layers=2)
        x = torch.randn(4, 2, 5)
        with self.assertRaises(ValueError) as caught:
            module(x, (torch.zeros(2, 3), torch.zeros(2, 3)))
        self.assertIn("h0 and c0 have shapes [2, 3] and [2, 3], expected both as nn.LSTM's, "
                      "[2, 2, 3] (num_layers * directions, batch, hidden_size)", str(caught.exception))
        with self.assertRaises(ValueError) as caught:
            htnn.HTLSTM(5, 3, layouts={"W_ih_l1": None})
        self.assertIn("layouts: 'W_ih_l1' is not a weight of this model", str(caught.exception))
        with self.assertRaises(ValueError) as caught:
            htnn.HTLSTM(5, 3, num_layers=2, w_ih=htnn.ht_layout([4, 3], [5, 1], 2))
        self.assertIn("weights.W_ih_l1.col_modes: product is 5, expected 3", str(caught.exception))
