"""The compiled HT-LSTM against its peers, in one process: table, plot, docs.

    scripts/bench.sh            # installs the peers' BLAS, sets it up, runs this

or, with OpenBLAS set up by hand (see docs/Performance.md):

    PYTHONPATH=python /usr/bin/python3 bench/performance.py --bin build/bin \
        [--ranks 2,4,8,16] [--repeats 7] [--markdown docs/Performance.md]

For the UCF11 shape (I = 57,600 = 8·20·20·18, H = 256, W_ih in HT form with
row modes [16, 4, 4, 4], tree ((0,1),(2,3)), W_hh dense), every rank, batch
B = 1 and 16 and sequence T = 6 and 16, it times medians of the peers below
on one thread, then again on every core this process may use (ht-mlir's
multi-threaded library bit-identical to its one-thread one):

- ht-mlir: the model exported by ht_mlir.torch_export, compiled by
  ht-compile (default pipeline), called through its C API (ctypes);
- torch nn.LSTM: PyTorch's LSTM with the dense W_ih rebuilt once (what a
  user of the uncompressed model runs);
- oneDNN LSTM: oneDNN's LSTM primitive (inference, weights reordered once
  into its preferred layout) on the same dense weights, through
  build/lib/libht-bench-onednn.so (bench/OneDNNLSTM.cpp);
- numpy einsum: the hoisted input projection as one np.einsum over the input
  and the factors along the *optimal* path (ht-mlir's exact search; NumPy's
  own 'optimal' needs its memory cap lifted and minutes per shape), then the
  recurrence with float32 matmuls;
- the MAC roofline: the multiply-adds left at run time (after folding, as
  ht-report counts them, plus the recurrence) at the sgemm rate measured in
  this run.

The dense-weight model of the same shape (nn.LSTM(57600, 256) exported and
compiled by ht-mlir) and a small dense model (I = 64, H = 32, T = 10,
B = 512) are timed the same way against torch and oneDNN. Every peer's output is compared with ht-mlir's first, and each
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
from typing import Callable

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


class OpenBLAS:
    """The OpenBLAS that NumPy and PyTorch (Debian's builds use the system
    BLAS) call, found among this process's mappings: its thread count is
    set at run time, so one process times every peer on 1 and on N cores."""

    def __init__(self) -> None:
        paths = {line.split()[-1] for line in open("/proc/self/maps")
                 if "blas" in line and line.rstrip().endswith(".so.3")}
        self.lib = None
        for path in sorted(paths):
            lib = ctypes.CDLL(path)
            if hasattr(lib, "openblas_set_num_threads"):
                self.lib = lib
                break

    def set_threads(self, threads: int) -> None:
        """OpenBLAS on `threads`; torch's own (libgomp) pool stays at one:
        its element-wise ops are a sliver of an LSTM, and with both pools on
        every core their spinning threads fight (the small model measured
        44 ms on two cores against 3.3 ms on one)."""
        if self.lib is None:
            raise RuntimeError("NumPy's BLAS is not OpenBLAS: scripts/bench.sh installs it")
        self.lib.openblas_set_num_threads(threads)


class OneDNN:
    """oneDNN's LSTM (bench/OneDNNLSTM.cpp) for one shape, through ctypes."""

    lib = None
    implementation = "?"

    @classmethod
    def load(cls, lib_dir: str) -> bool:
        path = os.path.join(lib_dir, "libht-bench-onednn.so")
        if cls.lib is None and os.path.exists(path):
            cls.lib = ctypes.CDLL(path)
            cls.lib.htb_onednn_lstm_create.restype = ctypes.c_void_p
            cls.lib.htb_onednn_lstm_create.argtypes = [ctypes.c_int64] * 4 + [ctypes.c_void_p] * 3
            cls.lib.htb_onednn_lstm_run.restype = ctypes.c_int32
            cls.lib.htb_onednn_lstm_run.argtypes = [ctypes.c_void_p] * 7
            cls.lib.htb_onednn_lstm_destroy.argtypes = [ctypes.c_void_p]
            cls.lib.htb_onednn_lstm_implementation.restype = ctypes.c_char_p
            cls.lib.htb_onednn_lstm_implementation.argtypes = [ctypes.c_void_p]
            cls.lib.htb_onednn_set_threads.argtypes = [ctypes.c_int32]
            cls.lib.htb_onednn_version.restype = ctypes.c_char_p
        return cls.lib is not None

    def __init__(self, steps: int, batch: int, lstm: torch.nn.LSTM, threads: int) -> None:
        """oneDNN plans a primitive's work for the thread count it is created
        with: one object per thread count."""
        hidden = lstm.hidden_size
        self.threads = threads
        self.w_ih = np.ascontiguousarray(lstm.weight_ih_l0.detach().numpy())
        self.w_hh = np.ascontiguousarray(lstm.weight_hh_l0.detach().numpy())
        self.bias = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach().numpy().copy()
        self.lib.htb_onednn_set_threads(threads)
        self.handle = self.lib.htb_onednn_lstm_create(
            steps, batch, lstm.input_size, hidden, self.w_ih.ctypes.data,
            self.w_hh.ctypes.data, self.bias.ctypes.data)
        if not self.handle:
            raise RuntimeError("oneDNN refused the LSTM")
        OneDNN.implementation = self.lib.htb_onednn_lstm_implementation(self.handle).decode()
        self.out = np.empty((steps, batch, hidden), np.float32)
        self.h_n = np.empty((batch, hidden), np.float32)
        self.c_n = np.empty((batch, hidden), np.float32)

    def __call__(self, x: np.ndarray, h0: np.ndarray, c0: np.ndarray) -> np.ndarray:
        self.lib.htb_onednn_set_threads(self.threads)
        status = self.lib.htb_onednn_lstm_run(self.handle, x.ctypes.data, h0.ctypes.data,
                                              c0.ctypes.data, self.out.ctypes.data,
                                              self.h_n.ctypes.data, self.c_n.ctypes.data)
        if status != 0:
            raise RuntimeError("oneDNN's LSTM failed")
        return self.h_n

    def close(self) -> None:
        self.lib.htb_onednn_lstm_destroy(self.handle)



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


def random_input(*shape: int) -> torch.Tensor:
    """A standard normal input in NumPy's memory, one buffer shared by every
    peer (NumPy asks for transparent huge pages on large arrays, torch's
    allocator does not: every peer reads the same pages)."""
    return torch.from_numpy(np.random.standard_normal(shape).astype(np.float32))


def settled_ms(call, repeats: int) -> float:
    """median_ms of a multi-threaded call, then a pause: libomp's workers
    (ht-mlir) spin for 200 ms after a region (KMP_BLOCKTIME), libgomp's
    (torch, oneDNN) for a while too, so the next peer is timed only once
    they sleep."""
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


def time_peers(peers: dict[str, Callable[[], object]], team: dict[str, Callable[[], object]],
               blas: OpenBLAS, repeats: int) -> dict[str, float]:
    """Medians of every peer on one thread, then of `team` (the same peers
    keyed by their all-core column names) on every core. ht-mlir's team is
    a library compiled multi-threaded, oneDNN's a primitive created for the
    thread count, OpenBLAS's (NumPy, torch) set here."""
    time.sleep(0.3)  # the threads of the checks and of oneDNN's set-up go idle
    timing = {name: median_ms(call, repeats) for name, call in peers.items()}
    blas.set_threads(CORES)
    time.sleep(0.3)
    for name, call in team.items():
        timing[name] = settled_ms(call, repeats)
    blas.set_threads(1)
    return timing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=str(ROOT / "build" / "bin"))
    parser.add_argument("--ranks", default="2,4,8,16")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-dense", action="store_true",
                        help="skip the dense-weight UCF11 model (its export and compile take ~1 min)")
    parser.add_argument("--markdown", help="write the results into this file")
    parser.add_argument("--plot", help="write a PNG plot here (needs matplotlib)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    blas = OpenBLAS()
    blas.set_threads(1)
    have_onednn = OneDNN.load(os.path.join(os.path.dirname(os.path.abspath(args.bin)), "lib"))
    numpy_peak = sgemm_gflops(lambda a, b: a @ b,
                              lambda n: np.random.rand(n, n).astype(np.float32))
    torch_peak = sgemm_gflops(torch.mm, lambda n: torch.rand(n, n))
    peak = max(numpy_peak, torch_peak)
    onednn = (f"oneDNN {OneDNN.lib.htb_onednn_version().decode()} (its OpenMP threads, "
              f"DNNL_MAX_CPU_ISA={os.environ.get('DNNL_MAX_CPU_ISA', '(unset)')}, "
              "implementation {implementation})"
              if have_onednn else "oneDNN not built (libdnnl-dev missing): its columns are empty")
    setup = (f"{platform.processor() or platform.machine()}, one thread, then all {CORES} CPUs "
             f"this process may use; "
             f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, "
             f"OpenBLAS threads set at run time (openblas_set_num_threads); "
             f"torch {torch.__version__} ({blas_info()}, intra-op threads 1), "
             f"numpy {np.__version__}, {onednn}; sgemm 1024^3 on one thread: "
             f"numpy {numpy_peak:.0f} GFLOP/s, torch {torch_peak:.0f} GFLOP/s; "
             f"medians of {args.repeats}")
    print(setup, flush=True)

    rows = []
    with tempfile.TemporaryDirectory() as work, torch.no_grad():
        def dense_peers(lstm, compiled, team, steps, batch, x, zeros):
            """The peers every model has: ht-mlir, torch and oneDNN."""
            xn = x.numpy()
            peers = {"ht-mlir": lambda: compiled(xn, zeros, zeros),
                     "torch nn.LSTM": lambda: lstm(x)}
            threaded = {f"torch {CORES} threads": lambda: lstm(x),
                        THREADED: lambda: team(xn, zeros, zeros)}
            engine = OneDNN(steps, batch, lstm, 1) if have_onednn else None
            if engine:
                engine_team = OneDNN(steps, batch, lstm, CORES)
                peers["oneDNN LSTM"] = lambda: engine(xn, zeros, zeros)
                threaded = {f"oneDNN {CORES} threads": lambda: engine_team(xn, zeros, zeros),
                            **threaded}
                engine.team = engine_team
            return peers, threaded, engine

        def measure(name, lstm, compiled, team, steps, batch, x, macs, extra=None,
                    extra_threaded=None):
            xn = x.numpy()
            zeros = np.zeros((batch, lstm.hidden_size), np.float32)
            _, h_ht = compiled(xn, zeros, zeros)
            _, h_team = team(xn, zeros, zeros)
            assert h_team.tobytes() == h_ht.tobytes(), "threads changed the result"
            time.sleep(0.3)
            peers, threaded, engine = dense_peers(lstm, compiled, team, steps, batch, x, zeros)
            outputs = [lstm(x)[1][0][0].numpy()]
            if engine:
                outputs.append(engine(xn, zeros, zeros))
            for call in (extra or {}).values():
                outputs.append(call())
            error = max(float(np.abs(h - h_ht).max()) for h in outputs)
            peers.update(extra or {})
            threaded = {**(extra_threaded or {}), **threaded}
            timing = time_peers(peers, threaded, blas, args.repeats)
            timing["roofline"] = 2 * macs / (peak * 1e9) * 1e3
            if engine:
                engine.close()
                engine.team.close()
            rows.append((name, steps, batch, timing, error))
            print(format_row(rows[-1]), flush=True)

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
                    x = random_input(steps, batch, I)
                    xn = x.numpy()
                    einsum_path, macs_per_row = optimal_einsum_path(args.bin, path, steps * batch)
                    einsum = lambda: numpy_forward(  # noqa: E731
                        xn, factors, einsum_path, model.b_ih.numpy(), w_hh.numpy(),
                        model.b_hh.numpy())
                    macs = macs_per_row * steps * batch + 4 * H * H * steps * batch
                    measure(f"UCF11 rank {rank}", dense, compiled, team, steps, batch, x, macs,
                            extra={"numpy einsum": einsum},
                            extra_threaded={f"numpy {CORES} threads": einsum})
            del dense

        if not args.no_dense:
            # The uncompressed model of the same shape, compiled by ht-mlir.
            dense = torch.nn.LSTM(I, H)
            path = os.path.join(work, "dense.mlir")
            torch_export.export(dense, path)
            compiled = Compiled(args.bin, path, work, "dense")
            team = Compiled(args.bin, path, work, "denset", threads=CORES)
            for steps in (6, 16):
                for batch in (1, 16):
                    macs = (I + H) * 4 * H * steps * batch
                    measure("UCF11 dense W", dense, compiled, team, steps, batch,
                            random_input(steps, batch, I), macs)
            del dense, compiled, team

        small = torch.nn.LSTM(64, 32)
        small_path = os.path.join(work, "small.mlir")
        torch_export.export(small, small_path)
        compiled = Compiled(args.bin, small_path, work, "small")
        team = Compiled(args.bin, small_path, work, "smallt", threads=CORES)
        measure("dense I=64 H=32", small, compiled, team, 10, 512, random_input(10, 512, 64),
                (64 + 32) * 4 * 32 * 10 * 512)

    setup = setup.replace("{implementation}", OneDNN.implementation)
    print(setup, flush=True)
    if args.markdown:
        write_markdown(args.markdown, setup, rows)
    if args.plot:
        write_plot(args.plot, rows)
    return 0


CORES = len(os.sched_getaffinity(0))
THREADED = f"ht-mlir {CORES} threads"
ONE_THREAD = ["ht-mlir", "torch nn.LSTM", "oneDNN LSTM", "numpy einsum", "roofline"]
ALL_CORES = [THREADED, f"torch {CORES} threads", f"oneDNN {CORES} threads",
             f"numpy {CORES} threads"]
NAN = float("nan")


def format_row(row) -> str:
    name, steps, batch, timing, error = row
    cells = " ".join(f"{timing.get(c, NAN):9.2f}" for c in ONE_THREAD + ALL_CORES)
    return f"{name:16s} T={steps:2d} B={batch:3d} {cells}   max|h diff| {error:.1e}"


def write_markdown(path: str, setup: str, rows) -> None:
    def ms(timing, column):
        value = timing.get(column, NAN)
        return "-" if value != value else f"{value:.2f}"

    def ratio(timing, peer, base):
        value = timing.get(peer, NAN) / timing[base]
        return "-" if value != value else f"{value:.2f}x"

    one = ["| model | T | B | ht-mlir ms | torch nn.LSTM ms | oneDNN LSTM ms | numpy einsum ms |"
           " roofline ms | ht-mlir / roofline | torch / ht-mlir | oneDNN / ht-mlir |"
           " numpy / ht-mlir |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    torch_n, onednn_n, numpy_n = ALL_CORES[1:]
    many = [f"| model | T | B | ht-mlir ms | torch ms | oneDNN ms | numpy einsum ms |"
            f" ht-mlir {CORES} / 1 thread speed-up | torch / ht-mlir | oneDNN / ht-mlir |"
            f" numpy / ht-mlir |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, steps, batch, timing, _ in rows:
        one.append(f"| {name} | {steps} | {batch} | {ms(timing, 'ht-mlir')} | "
                   f"{ms(timing, 'torch nn.LSTM')} | {ms(timing, 'oneDNN LSTM')} | "
                   f"{ms(timing, 'numpy einsum')} | {ms(timing, 'roofline')} | "
                   f"{timing['ht-mlir'] / timing['roofline']:.2f}x | "
                   f"{ratio(timing, 'torch nn.LSTM', 'ht-mlir')} | "
                   f"{ratio(timing, 'oneDNN LSTM', 'ht-mlir')} | "
                   f"{ratio(timing, 'numpy einsum', 'ht-mlir')} |")
        many.append(f"| {name} | {steps} | {batch} | {ms(timing, THREADED)} | "
                    f"{ms(timing, torch_n)} | {ms(timing, onednn_n)} | {ms(timing, numpy_n)} | "
                    f"{timing['ht-mlir'] / timing[THREADED]:.2f}x | "
                    f"{ratio(timing, torch_n, THREADED)} | {ratio(timing, onednn_n, THREADED)} | "
                    f"{ratio(timing, numpy_n, THREADED)} |")
    tables = ("**One thread**\n\n" + "\n".join(one) + f"\n\n**All {CORES} CPUs**\n\n"
              + "\n".join(many))
    text = Path(path).read_text()
    begin, end = "<!-- benchmark table -->", "<!-- end of benchmark table -->"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    Path(path).write_text(f"{head}{begin}\n{setup}\n\n{tables}\n{end}{tail}")


def write_plot(path: str, rows) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ucf = [row for row in rows if row[0].startswith("UCF11 rank")]
    fig, axes = plt.subplots(1, 4, figsize=(17, 4.5), sharey=True)
    styles = {"ht-mlir": "o-", "torch nn.LSTM": "s-", "oneDNN LSTM": "d-",
              "numpy einsum": "^-", "roofline": "k--", THREADED: "o:"}
    for axis, (steps, batch) in zip(axes, [(6, 1), (6, 16), (16, 1), (16, 16)]):
        picked = [row for row in ucf if row[1] == steps and row[2] == batch]
        ranks = [int(row[0].split()[-1]) for row in picked]
        for column, style in styles.items():
            values = [row[3].get(column, NAN) for row in picked]
            if all(v != v for v in values):
                continue
            axis.plot(ranks, values, style, label=column)
        axis.set_xscale("log", base=2)
        axis.set_yscale("log")
        axis.set_xticks(ranks, [str(r) for r in ranks])
        axis.set_title(f"UCF11 HT-LSTM, T = {steps}, B = {batch}")
        axis.set_xlabel("HT rank")
    axes[0].set_ylabel(f"ms per sequence (one thread; dotted: ht-mlir on {CORES})")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


if __name__ == "__main__":
    raise SystemExit(main())
