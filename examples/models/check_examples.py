"""The example models of the HT-LSTM papers, and a GRU stack, from PyTorch to C.

    PYTHONPATH=python python3 examples/models/check_examples.py --bin build/bin --work DIR

Three classifiers, each an ``ht_mlir.nn.RecurrentClassifier`` with an 11-class head
over the last step (UCF11 has 11 actions):

- ``ucf11``: the HT-LSTM of Yin et al. (2020) on 160 x 120 x 3 frames (I = 57600,
  H = 256), ``W_ih`` an HT matrix of modes [16, 4, 4, 4] x [8, 20, 20, 18] and ranks 4,
  ``W_hh`` dense;
- ``fdht``: the FDHT-LSTM variant (CVPR 2021): every gate's input matrix an HT matrix
  (modes [4, 4, 4, 4] x [8, 20, 20, 18]) and ``W_hh`` in HT form too;
- ``gru``: a two-layer bidirectional ``torch.nn.GRU(1024, 64)`` with a dense head.

Each is exported (``ht_mlir.torch_export``), compiled by ``ht-compile`` into a shared
library with a C header, called from the C program ``run_model.c`` and from Python
through ``ht_mlir.compile``, and both results are compared with PyTorch's float64
forward pass within docs/Semantics.md section 6. Prints one line per model.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import numpy as np
import torch

import ht_mlir
from ht_mlir import nn as htnn
from ht_mlir import torch_export

CLASSES = 11
STEPS, BATCH = 4, 2


def models() -> dict[str, torch.nn.Module]:
    layout = htnn.ht_layout
    ucf11 = htnn.HTLSTM(57600, 256, w_ih=layout([16, 4, 4, 4], [8, 20, 20, 18], 4))
    fdht = htnn.HTLSTM(57600, 256, form="per_gate", w_ih=layout([4, 4, 4, 4], [8, 20, 20, 18], 4),
                       w_hh=layout([16, 4, 4, 4], [4, 4, 4, 4], 4))
    gru = torch.nn.GRU(1024, 64, num_layers=2, bidirectional=True)
    return {
        "ucf11": htnn.RecurrentClassifier(ucf11, torch.nn.Linear(256, CLASSES)),
        "fdht": htnn.RecurrentClassifier(fdht, torch.nn.Linear(256, CLASSES)),
        "gru": htnn.RecurrentClassifier(gru, torch.nn.Linear(128, CLASSES)),
    }


def relative_error(got: np.ndarray, want: np.ndarray) -> float:
    """max |got - want| / max(1, max |want|): docs/Semantics.md section 6 allows 1e-5."""
    return float(np.max(np.abs(got - want)) / max(1.0, float(np.max(np.abs(want)))))


def check(name: str, module: torch.nn.Module, bin_dir: str, work: str) -> str:
    folder = os.path.join(work, name)
    os.makedirs(folder, exist_ok=True)
    mlir = os.path.join(folder, "model.mlir")
    torch_export.export(module, mlir)
    inputs = module.rnn.input_size
    # float32 numbers, held in float64 for PyTorch's reference run.
    x = torch.randn(STEPS, BATCH, inputs).float()
    with torch.no_grad():
        want = module.double()(x.double()).numpy()
    module.float()

    # C: ht-compile, then run_model.c against the library.
    subprocess.run([os.path.join(bin_dir, "ht-compile"), mlir, "-o",
                    os.path.join(folder, "libmodel.so"), "--header",
                    os.path.join(folder, "model.h"), "--prefix", "model"], check=True)
    program = os.path.join(folder, "run_model")
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run_model.c")
    subprocess.run(["clang-22", "-O2", source, "-I", folder, "-L", folder, "-lmodel",
                    f"-Wl,-rpath,{folder}", "-o", program], check=True)
    x.numpy().tofile(os.path.join(folder, "x.bin"))
    subprocess.run([program, str(STEPS), str(BATCH), str(inputs), str(CLASSES),
                    os.path.join(folder, "x.bin"), os.path.join(folder, "logits.bin")], check=True)
    from_c = np.fromfile(os.path.join(folder, "logits.bin"), dtype=np.float32).reshape(want.shape)

    # Python: the same module through ht_mlir.compile, on a torch tensor.
    compiled = ht_mlir.compile(module, bin_dir=bin_dir, cache_dir=os.path.join(work, "cache"))
    from_python = compiled(x).numpy()

    errors = {"C": relative_error(from_c, want), "Python": relative_error(from_python, want)}
    for where, error in errors.items():
        if not error <= 1e-5:
            raise AssertionError(f"{name}: {where} logits differ from PyTorch's by {error:.2e}")
    return (f"{name}: C and ht_mlir.compile logits match PyTorch, rel. error "
            f"{max(errors.values()):.1e}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="folder with ht-compile")
    parser.add_argument("--work", required=True, help="scratch folder")
    args = parser.parse_args()
    torch.manual_seed(0)
    for name, module in models().items():
        try:
            print(check(name, module, args.bin, args.work), flush=True)
        except (AssertionError, subprocess.CalledProcessError) as error:
            print(f"MISMATCH: {error}", flush=True)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
