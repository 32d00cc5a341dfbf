"""The UCF11-shape HT-LSTM in PyTorch and compiled by ht-mlir, timed in one run.

    PYTHONPATH=python /usr/bin/python3 bench/torch_compare.py --bin build/bin [--threads 1]

One sequence of 16 frames (I = 57,600), batch 1, H = 256, W_ih in HT form (modes
[16, 4, 4, 4] x [8, 20, 20, 18], rank 4), W_hh dense. Times, as medians:

- torch dense: torch.nn.LSTM with W_ih rebuilt once (the uncompressed model);
- torch HTLSTM: ht_mlir.nn.HTLSTM.forward (rebuilds W_ih each call, then GEMMs),
  what a PyTorch user of an HT layer runs;
- torch einsum: the input projection as one torch.einsum over the input and the
  factors (torch 1.13 contracts left to right), then the LSTM loop;
- ht-mlir: the exported model through `ht-run --benchmark` (the default
  pipeline, single-threaded vector code).

bench/performance.py is the full comparison (ranks, batches, NumPy, roofline).

All run on the same inputs and weights and their outputs are compared first.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))
from ht_mlir import nn as htnn  # noqa: E402
from ht_mlir import torch_export  # noqa: E402

T, B, I, H = 16, 1, 57600, 256


def median_ms(run, repeats: int) -> float:
    run()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def lstm_loop(projected: torch.Tensor, w_hh: torch.Tensor, b_hh: torch.Tensor) -> torch.Tensor:
    h = c = projected.new_zeros(B, H)
    for step in range(T):
        z_i, z_f, z_g, z_o = (projected[step] + h @ w_hh.t() + b_hh).chunk(4, dim=-1)
        c = torch.sigmoid(z_f) * c + torch.sigmoid(z_i) * torch.tanh(z_g)
        h = torch.sigmoid(z_o) * torch.tanh(c)
    return h


def einsum_projection(model: htnn.HTLSTM, x: torch.Tensor) -> torch.Tensor:
    """x · W_ihᵀ + b_ih as one einsum over the factors (tree ((0,1),(2,3)))."""
    w = model.weights["W_ih"]
    u0, u1, u2, u3 = w.leaves
    b0, b1, b2 = w.transfers
    xs = x.reshape(T * B, 8, 20, 20, 18)
    # rows r; modes (i_k, j_k, a_k); B1 joins a0 a1 -> p; B2 joins a2 a3 -> q; B0 joins p q.
    out = torch.einsum("rjklm,ajx,bky,clz,dmw,xyp,zwq,pqs->rabcd",
                       xs, u0, u1, u2, u3, b1, b2, b0)
    return out.reshape(T, B, 4 * H) + model.b_ih


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="folder with ht-run")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (ht-mlir runs on one)")
    parser.add_argument("--repeats", type=int, default=11)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    model = htnn.HTLSTM(I, H, w_ih=htnn.ht_layout([16, 4, 4, 4], [8, 20, 20, 18], 4, tree="((0,1),(2,3))"))
    model.eval()
    x = torch.randn(T, B, I)
    dense = torch.nn.LSTM(I, H)
    with torch.no_grad():
        w_ih, w_hh = model.input_and_recurrent()
        dense.weight_ih_l0.copy_(w_ih)
        dense.weight_hh_l0.copy_(w_hh)
        dense.bias_ih_l0.copy_(model.b_ih)
        dense.bias_hh_l0.copy_(model.b_hh)

    with tempfile.TemporaryDirectory() as work, torch.no_grad():
        model_path = os.path.join(work, "model.mlir")
        torch_export.export(model, model_path)
        np.save(os.path.join(work, "x.npy"), x.numpy())
        np.save(os.path.join(work, "h.npy"), np.zeros((B, H), np.float32))
        command = [os.path.join(args.bin, "ht-run"), model_path, "--input", os.path.join(work, "x.npy"),
                   "--input", os.path.join(work, "h.npy"), "--input", os.path.join(work, "h.npy"),
                   "--output-dir", os.path.join(work, "out"), "--benchmark", str(args.repeats)]
        report = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        compiled_ms = float(re.search(r"median ([0-9.]+) ms", report).group(1))
        compiled_h = np.load(os.path.join(work, "out", "result1.npy"))

        want = model(x)[1][0]
        checks = {
            "torch dense": dense(x)[1][0][0],
            "torch einsum": lstm_loop(einsum_projection(model, x), w_hh, model.b_hh),
            "ht-mlir": torch.from_numpy(compiled_h),
        }
        for name, got in checks.items():
            error = float((got - want).abs().max())
            print(f"{name:13s} max |h_T - HTLSTM's| = {error:.1e}")

        timings = {
            "torch dense": median_ms(lambda: dense(x), args.repeats),
            "torch HTLSTM": median_ms(lambda: model(x), args.repeats),
            "torch einsum": median_ms(lambda: lstm_loop(einsum_projection(model, x), w_hh, model.b_hh),
                                      args.repeats),
            "ht-mlir": compiled_ms,
        }
    print(f"T = {T}, B = {B}, I = {I}, H = {H}, rank 4; torch threads: {args.threads}; "
          f"medians of {args.repeats}")
    for name, ms in timings.items():
        print(f"{name:13s} {ms:9.2f} ms   {ms / compiled_ms:6.2f}x ht-mlir's time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
