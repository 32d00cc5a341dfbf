"""The compiled HT-LSTM against its peers, in one process: table, plot, docs.

    scripts/bench.sh            # installs the peers' BLAS, sets it up, runs this

or, with OpenBLAS set up by hand (see docs/Performance.md):

    PYTHONPATH=python /usr/bin/python3 bench/performance.py --bin build/bin \
        [--ranks 2,4,8,16] [--repeats 7] [--markdown docs/Performance.md]

For the UCF11 shape (I = 57,600 = 8·20·20·18, H = 256, W_ih in HT form with
row modes [16, 4, 4, 4], tree ((0,1),(2,3)), W_hh dense), every rank, batch
B = 1 and 16 and sequence T = 6 and 16, on one thread, it times medians of
(and ht-mlir again on every core, bit-identical):

- ht-mlir: the model exported by ht_mlir.torch_export, compiled by
  ht-compile (default pipeline), called through its C API (ctypes);
- torch nn.LSTM: PyTorch's LSTM with the dense W_ih rebuilt once (what a
  user of the uncompressed model runs);
- numpy einsum: the hoisted input projection as one np.einsum over the input
  and the factors along the *optimal* path (ht-mlir's exact search; NumPy's
  own 'optimal' needs its memory cap lifted and minutes per shape), then the
  recurrence with float32 matmuls;
- the MAC roofline: the multiply-adds left at run time (after folding, as
  ht-report counts them, plus the recurrence) at the sgemm rate measured in
  this run.

A small dense model (I = 64, H = 32, T = 10, B = 512) is timed the same way
against torch. Every peer's output is compared with ht-mlir's first, and each
peer's BLAS rate is printed, so a handicapped BLAS is visible.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "python"))
from ht_mlir import nn as htnn  # noqa: E402
from ht_mlir import torch_export  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from torch_compare import median_ms  # noqa: E402

I, H = 57600, 256
ROW_MODES, COL_MODES, TREE = [16, 4, 4, 4], [8, 20, 20, 18], "((0,1),(2,3))"


def sgemm_gflops(matmul, make) -> float:
    a, b = make(1024), make(1024)
    seconds = median_ms(lambda: matmul(a, b), 5) / 1e3
    return 2 * 1024**3 / seconds / 1e9


def blas_info() -> str:
    match = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return f"BLAS_INFO={match.group(1)}" if match else "BLAS unknown"


class Compiled:
    """An ht-compile'd model's C API, through ctypes."""

    def __init__(self, bin_dir: str, model: str, work: str, prefix: str,
                 threads: int = 1) -> None:
        """threads=1: the default single-threaded library; otherwise the
        library compiled multi-threaded, called on `threads` threads."""
        library = os.path.join(work, f"lib{prefix}.so")
        command = [os.path.join(bin_dir, "ht-compile"), model, "-o", library,
                   "--prefix", prefix]
        if threads != 1:
            command.append(f"--pipeline-options=threads={threads}")
        subprocess.run(command, check=True)
        self.lib = ctypes.CDLL(library)
        self.forward = getattr(self.lib, f"{prefix}_forward")
        self.forward.restype = ctypes.c_int32

    def __call__(self, x: np.ndarray, h0: np.ndarray, c0: np.ndarray):
        steps, batch, _ = x.shape
        hidden = h0.shape[1]
        out = np.empty((steps, batch, hidden), np.float32)
        h_n = np.empty((batch, hidden), np.float32)
        c_n = np.empty((batch, hidden), np.float32)
        ptr = lambda a: a.ctypes.data_as(ctypes.c_void_p)  # noqa: E731
        status = self.forward(ctypes.c_int64(steps), ctypes.c_int64(batch), ptr(x), ptr(h0),
                              ptr(c0), ptr(out), ptr(h_n), ptr(c_n))
        if status != 0:
            raise RuntimeError(f"ht-mlir returned status {status}")
        return out, h_n


def team_ms(call, repeats: int) -> float:
    """median_ms of a multi-threaded call, timed after every peer: libomp's
    workers spin for 200 ms after a region (KMP_BLOCKTIME), so the next
    peer is timed only once they sleep."""
    result = median_ms(call, repeats)
    time.sleep(0.3)
    return result


def optimal_einsum_path(bin_dir: str, model: str, rows: int) -> tuple[list, float]:
    """The exact optimum's pairs as an np.einsum path, and its MACs per row."""
    report = subprocess.run([os.path.join(bin_dir, "ht-opt"), model,
                             f"--ht-report=expected-rows={rows}", "-o", os.devnull],
                            check=True, capture_output=True, text=True).stderr
    order = re.search(r"chosen order\s+(\S.*)", report).group(1)
    macs = float(re.search(r"MACs per row\s+optimal ([0-9.]+)", report).group(1))
    # Operands in the einsum below: X, U0..U3, B0..B2.
    operands = ["X", "U0", "U1", "U2", "U3", "B0", "B1", "B2"]
    path: list = ["einsum_path"]

    def visit(text: str) -> str:
        text = text.strip()
        if not text.startswith("("):
            return text
        depth = 0
        for at, char in enumerate(text):
            depth += char == "("
            depth -= char == ")"
            if char == "*" and depth == 1:
                left, right = visit(text[1:at]), visit(text[at + 1:-1])
                i, j = operands.index(left), operands.index(right)
                path.append((i, j))
                for k in sorted((i, j), reverse=True):
                    operands.pop(k)
                operands.append(f"({left}*{right})")
                return operands[-1]
        raise ValueError(f"cannot parse the order {text!r}")

    visit(order)
    return path, macs


def numpy_forward(x, factors, path, b, w_hh, b_hh):
    u0, u1, u2, u3, b0, b1, b2 = factors
    steps, batch, _ = x.shape
    xs = x.reshape(steps * batch, 8, 20, 20, 18)
    z = np.einsum("rjklm,ajx,bky,clz,dmw,pqs,xyp,zwq->rabcd", xs, u0, u1, u2, u3, b0, b1, b2,
                  optimize=path).reshape(steps, batch, 4 * H) + b
    h = np.zeros((batch, H), np.float32)
    c = np.zeros((batch, H), np.float32)
    w_hh_t = np.ascontiguousarray(w_hh.T)
    for step in range(steps):
        g = z[step] + h @ w_hh_t + b_hh
        i, f, gg, o = np.split(g, 4, axis=1)
        c = 1 / (1 + np.exp(-f)) * c + 1 / (1 + np.exp(-i)) * np.tanh(gg)
        h = 1 / (1 + np.exp(-o)) * np.tanh(c)
    return h


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=str(ROOT / "build" / "bin"))
    parser.add_argument("--ranks", default="2,4,8,16")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--markdown", help="write the results into this file")
    parser.add_argument("--plot", help="write a PNG plot here (needs matplotlib)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    numpy_peak = sgemm_gflops(lambda a, b: a @ b,
                              lambda n: np.random.rand(n, n).astype(np.float32))
    torch_peak = sgemm_gflops(torch.mm, lambda n: torch.rand(n, n))
    peak = max(numpy_peak, torch_peak)
    setup = (f"{platform.processor() or platform.machine()}, one thread (and ht-mlir on "
             f"{CORES}, the CPUs this process may use); "
             f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, "
             f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}; "
             f"torch {torch.__version__} ({blas_info()}), "
             f"numpy {np.__version__}; sgemm 1024^3: numpy {numpy_peak:.0f} GFLOP/s, "
             f"torch {torch_peak:.0f} GFLOP/s; medians of {args.repeats}")
    print(setup, flush=True)

    rows = []
    with tempfile.TemporaryDirectory() as work, torch.no_grad():
        for rank in [int(r) for r in args.ranks.split(",")]:
            model = htnn.HTLSTM(I, H, w_ih=htnn.ht_layout(ROW_MODES, COL_MODES, rank, tree=TREE))
            model.eval()
            path = os.path.join(work, f"r{rank}.mlir")
            torch_export.export(model, path)
            compiled = Compiled(args.bin, path, work, f"r{rank}")
            team = Compiled(args.bin, path, work, f"r{rank}t", threads=CORES)
            dense = torch.nn.LSTM(I, H)
            w_ih, w_hh = model.input_and_recurrent()
            dense.weight_ih_l0.copy_(w_ih)
            dense.weight_hh_l0.copy_(w_hh)
            dense.bias_ih_l0.copy_(model.b_ih)
            dense.bias_hh_l0.copy_(model.b_hh)
            w = model.weights["W_ih"]
            factors = [t.numpy() for t in list(w.leaves) + list(w.transfers)]
            for steps in (6, 16):
                for batch in (1, 16):
                    x = torch.randn(steps, batch, I)
                    xn = x.numpy()
                    zeros = np.zeros((batch, H), np.float32)
                    einsum_path, macs_per_row = optimal_einsum_path(args.bin, path, steps * batch)
                    b = model.b_ih.numpy()
                    _, h_ht = compiled(xn, zeros, zeros)
                    _, h_team = team(xn, zeros, zeros)
                    assert h_team.tobytes() == h_ht.tobytes(), "threads changed the result"
                    time.sleep(0.3)
                    h_torch = dense(x)[1][0][0].numpy()
                    h_np = numpy_forward(xn, factors, einsum_path, b, w_hh.numpy(),
                                         model.b_hh.numpy())
                    error = max(float(np.abs(h_torch - h_ht).max()), float(np.abs(h_np - h_ht).max()))
                    macs = macs_per_row * steps * batch + 4 * H * H * steps * batch
                    timing = {
                        "ht-mlir": median_ms(lambda: compiled(xn, zeros, zeros), args.repeats),
                        "torch nn.LSTM": median_ms(lambda: dense(x), args.repeats),
                        "numpy einsum": median_ms(
                            lambda: numpy_forward(xn, factors, einsum_path, b, w_hh.numpy(),
                                                  model.b_hh.numpy()), args.repeats),
                        "roofline": 2 * macs / (peak * 1e9) * 1e3,
                        THREADED: team_ms(lambda: team(xn, zeros, zeros), args.repeats),
                    }
                    rows.append((f"UCF11 rank {rank}", steps, batch, timing, error))
                    print(format_row(rows[-1]), flush=True)

        small = torch.nn.LSTM(64, 32)
        small_path = os.path.join(work, "small.mlir")
        torch_export.export(small, small_path)
        compiled = Compiled(args.bin, small_path, work, "small")
        team = Compiled(args.bin, small_path, work, "smallt", threads=CORES)
        x = torch.randn(10, 512, 64)
        xn = x.numpy()
        zeros = np.zeros((512, 32), np.float32)
        _, h_ht = compiled(xn, zeros, zeros)
        assert team(xn, zeros, zeros)[1].tobytes() == h_ht.tobytes(), "threads changed the result"
        error = float(np.abs(small(x)[1][0][0].numpy() - h_ht).max())
        macs = (64 + 32) * 4 * 32 * 10 * 512
        timing = {"ht-mlir": median_ms(lambda: compiled(xn, zeros, zeros), args.repeats),
                  "torch nn.LSTM": median_ms(lambda: small(x), args.repeats),
                  "numpy einsum": float("nan"),
                  "roofline": 2 * macs / (peak * 1e9) * 1e3,
                  THREADED: team_ms(lambda: team(xn, zeros, zeros), args.repeats)}
        rows.append(("dense I=64 H=32", 10, 512, timing, error))
        print(format_row(rows[-1]), flush=True)

    if args.markdown:
        write_markdown(args.markdown, setup, rows)
    if args.plot:
        write_plot(args.plot, rows)
    return 0


CORES = len(os.sched_getaffinity(0))
THREADED = f"ht-mlir {CORES} threads"
COLUMNS = ["ht-mlir", "torch nn.LSTM", "numpy einsum", "roofline", THREADED]


def format_row(row) -> str:
    name, steps, batch, timing, error = row
    cells = " ".join(f"{timing[c]:9.2f}" for c in COLUMNS)
    return f"{name:16s} T={steps:2d} B={batch:3d} {cells}   max|h diff| {error:.1e}"


def write_markdown(path: str, setup: str, rows) -> None:
    lines = ["| model | T | B | ht-mlir ms | torch nn.LSTM ms | numpy einsum ms | roofline ms |"
             f" ht-mlir / roofline | torch / ht-mlir | numpy / ht-mlir | {THREADED} ms |"
             " speed-up |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, steps, batch, timing, _ in rows:
        ht = timing["ht-mlir"]
        ratio = lambda peer: "-" if timing[peer] != timing[peer] else f"{timing[peer] / ht:.2f}x"  # noqa: E731
        lines.append(f"| {name} | {steps} | {batch} | {ht:.2f} | {timing['torch nn.LSTM']:.2f} | "
                     + ("-" if timing["numpy einsum"] != timing["numpy einsum"]
                        else f"{timing['numpy einsum']:.2f}")
                     + f" | {timing['roofline']:.2f} | {ht / timing['roofline']:.2f}x | "
                     f"{ratio('torch nn.LSTM')} | {ratio('numpy einsum')} | "
                     f"{timing[THREADED]:.2f} | {ht / timing[THREADED]:.2f}x |")
    table = "\n".join(lines)
    text = Path(path).read_text()
    begin, end = "<!-- benchmark table -->", "<!-- end of benchmark table -->"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    Path(path).write_text(f"{head}{begin}\n{setup}\n\n{table}\n{end}{tail}")


def write_plot(path: str, rows) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ucf = [row for row in rows if row[0].startswith("UCF11")]
    fig, axes = plt.subplots(1, 4, figsize=(16, 4), sharey=True)
    for axis, (steps, batch) in zip(axes, [(6, 1), (6, 16), (16, 1), (16, 16)]):
        picked = [row for row in ucf if row[1] == steps and row[2] == batch]
        ranks = [int(row[0].split()[-1]) for row in picked]
        for column, style in zip(COLUMNS, ["o-", "s-", "^-", "k--", "o:"]):
            axis.plot(ranks, [row[3][column] for row in picked], style, label=column)
        axis.set_xscale("log", base=2)
        axis.set_yscale("log")
        axis.set_xticks(ranks, [str(r) for r in ranks])
        axis.set_title(f"UCF11 HT-LSTM, T = {steps}, B = {batch}")
        axis.set_xlabel("HT rank")
    axes[0].set_ylabel(f"ms per sequence (one thread; dotted: ht-mlir on {CORES})")
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)


if __name__ == "__main__":
    raise SystemExit(main())
