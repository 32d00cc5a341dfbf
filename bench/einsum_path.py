"""Times numpy.einsum_path on the HT networks of bench/SearchTime.cpp.

For d modes (balanced tree, UCF11 mode sizes repeated, rank 4, one row) this
builds the einsum of x · Wᵀ over the input, the leaf frames and the transfer
tensors and times einsum_path(optimize='greedy') and ('optimal'), each in a
child process with a time limit, printing the median of a few runs and the
MACs of the path found.

    /usr/bin/python3 bench/einsum_path.py [--limit SECONDS]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import string
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))
from ht_mlir.tree import balanced_tree  # noqa: E402

ROWS = [16, 4, 4, 4]
COLS = [8, 20, 20, 18]
RANK = 4


def network(num_modes: int) -> tuple[str, list[np.ndarray]]:
    letters = iter(string.ascii_letters)
    row = next(letters)
    out = [next(letters) for _ in range(num_modes)]
    col = [next(letters) for _ in range(num_modes)]
    leaf_rank = [next(letters) for _ in range(num_modes)]
    tree = balanced_tree(num_modes)
    internal = tree.internal_nodes()
    node_rank = [next(letters) for _ in internal]

    def rank(child) -> str:
        return leaf_rank[child.index] if child.kind == "leaf" else node_rank[child.index]

    def array(shape: list[int]) -> np.ndarray:
        # einsum_path only reads shapes: a zero-stride view needs no memory.
        return np.broadcast_to(np.float32(1), shape)

    terms = [row + "".join(col)]
    arrays = [array([1] + [COLS[k % 4] for k in range(num_modes)])]
    for k in range(num_modes):
        terms.append(out[k] + col[k] + leaf_rank[k])
        arrays.append(array([ROWS[k % 4], COLS[k % 4], RANK]))
    for index, (left, right) in enumerate(internal):
        terms.append(rank(left) + rank(right) + node_rank[index])
        arrays.append(array([RANK, RANK, 1 if index == 0 else RANK]))
    return ",".join(terms) + "->" + row + "".join(out), arrays


def time_path(num_modes: int, optimize: str, runs: int, queue) -> None:
    expression, arrays = network(num_modes)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        path, info = np.einsum_path(expression, *arrays, optimize=optimize)
        times.append(time.perf_counter() - start)
    flops = float(info.split("Optimized FLOP count:")[1].split()[0])
    queue.put((statistics.median(times), flops / 2))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=60.0,
                        help="seconds before a search is abandoned")
    args = parser.parse_args()
    print(f"numpy {np.__version__} einsum_path, balanced tree, rank {RANK}, 1 row")
    for num_modes in (4, 6, 8, 13, 16):
        labels = 1 + 3 * num_modes + (num_modes - 1)
        if labels > len(string.ascii_letters):
            print(f"d={num_modes:2d} ({2 * num_modes} tensors) needs {labels} labels; "
                  f"numpy.einsum accepts at most {len(string.ascii_letters)}")
            continue
        for optimize in ("greedy", "optimal"):
            queue = multiprocessing.Queue()
            child = multiprocessing.Process(
                target=time_path, args=(num_modes, optimize, 3, queue))
            child.start()
            child.join(args.limit)
            if child.is_alive():
                child.terminate()
                print(f"d={num_modes:2d} ({2 * num_modes} tensors) {optimize:8s} "
                      f"> {args.limit:.0f} s (abandoned)")
                continue
            if child.exitcode != 0:
                print(f"d={num_modes:2d} {optimize}: einsum_path failed")
                continue
            seconds, macs = queue.get()
            print(f"d={num_modes:2d} ({2 * num_modes} tensors) {optimize:8s} "
                  f"median {seconds * 1e3:10.2f} ms, path {macs:.4g} MACs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
