"""Compression error against size: HT, TT-shaped HT and a truncated SVD at equal budgets.

    python3 -m ht_mlir.compress_sweep MODEL [--weight NAME] [--row-modes 4,4,2,2 --col-modes 4,4,4,4]
        [--budgets 100,200,400 | --ratios 10,20,40] --csv OUT.csv [--plot OUT.png]

MODEL is a ``.npz`` of arrays or a PyTorch checkpoint (a ``state_dict``, such as the
tutorial's ``nn.LSTM`` one, or a file of :func:`ht_mlir.nn.save`'s dense modules); the
matrix is ``--weight`` (default: ``weight_ih_l0``, else the only 2-D array). For each
budget (a parameter count, or the dense size over a ratio) it compresses the matrix
three ways and writes one CSV row each: the HSVD with the balanced tree, the HSVD with
the left-deep tree (the tensor-train shape), both with ranks chosen for the least error
within the budget (``ht-compress max-parameters=``), and the truncated SVD of rank
``floor(budget / (rows + cols))``. Columns: budget, method, parameters, compression,
relative_error (Frobenius, of the stored factors), and ``metric`` when the Python API's
``metric`` callback is given (say, a model's accuracy with the approximation in place,
before or after fine-tuning: the callback decides).

Modes default to each size split into ``--num-modes`` factors as evenly as its primes
allow. Progress goes to stderr.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from . import cli
from .hsvd import hsvd

METHODS = ("HT balanced", "HT left-deep (TT)", "truncated SVD")


@dataclass(frozen=True)
class SweepPoint:
    budget: int
    method: str
    parameters: int
    relative_error: float
    metric: float | None = None

    def compression(self, rows: int, cols: int) -> float:
        return rows * cols / self.parameters


def factorize_evenly(size: int, modes: int) -> list[int]:
    """``size`` as ``modes`` factors, the largest primes first onto the smallest factor
    (the compiler's ``factorizeEvenly``)."""
    primes, rest, p = [], size, 2
    while p * p <= rest:
        while rest % p == 0:
            primes.append(p)
            rest //= p
        p += 1
    if rest > 1:
        primes.append(rest)
    factors = [1] * modes
    for prime in sorted(primes, reverse=True):
        factors[factors.index(min(factors))] *= prime
    return sorted(factors, reverse=True)


def left_deep(modes: int) -> str:
    text = "(0, 1)"
    for mode in range(2, modes):
        text = f"({text}, {mode})"
    return text


def _reconstruct(result) -> np.ndarray:
    from .reference import ht_to_dense
    layout = result.layout
    return ht_to_dense(layout["row_modes"], layout["col_modes"], layout["tree"],
                       result.leaves, result.transfers)


def sweep(matrix: np.ndarray, row_modes: Sequence[int], col_modes: Sequence[int],
          budgets: Sequence[int], *, metric: Callable[[str, int, np.ndarray], float] | None = None,
          progress: Callable[[str], None] | None = None) -> list[SweepPoint]:
    """Every method at every budget; ``metric(method, budget, approximation)``, when
    given, scores each approximation (a float: accuracy, loss, ...)."""
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(f"the matrix has shape {list(matrix.shape)}, expected [rows, cols]")
    rows, cols = matrix.shape
    norm = float(np.linalg.norm(matrix))
    u, sigma, vt = np.linalg.svd(matrix, full_matrices=False)
    trees = {"HT balanced": None, "HT left-deep (TT)": left_deep(len(row_modes))}
    points = []
    for budget in budgets:
        for method in METHODS:
            if progress:
                progress(f"budget {budget}: {method}")
            if method == "truncated SVD":
                rank = min(budget // (rows + cols), len(sigma))
                if rank < 1:
                    continue  # no rank-1 SVD fits the budget
                approximation = (u[:, :rank] * sigma[:rank]) @ vt[:rank]
                parameters = rank * (rows + cols)
            else:
                try:
                    result = hsvd(matrix, row_modes, col_modes, tree=trees[method],
                                  max_parameters=budget)
                except ValueError as error:
                    if "is below the smallest HT matrix" in str(error):
                        continue  # this budget is too small for these modes
                    raise
                approximation = _reconstruct(result)
                parameters = sum(a.size for a in result.leaves) + sum(
                    a.size for a in result.transfers)
            error = float(np.linalg.norm(approximation - matrix)) / norm if norm else 0.0
            score = metric(method, budget, approximation) if metric else None
            points.append(SweepPoint(budget, method, parameters, error, score))
    return points


def write_csv(path: str, points: Sequence[SweepPoint], rows: int, cols: int) -> None:
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        header = ["budget", "method", "parameters", "compression", "relative_error"]
        with_metric = any(point.metric is not None for point in points)
        writer.writerow(header + (["metric"] if with_metric else []))
        for point in points:
            row = [point.budget, point.method, point.parameters,
                   f"{point.compression(rows, cols):.2f}", f"{point.relative_error:.6e}"]
            writer.writerow(row + ([point.metric] if with_metric else []))


def write_plot(path: str, points: Sequence[SweepPoint], title: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axis = plt.subplots(figsize=(6, 4))
    for method, style in zip(METHODS, ["o-", "s--", "^:"]):
        picked = [p for p in points if p.method == method]
        if picked:
            # Errors span orders of magnitude; exact ones are drawn at 1e-16.
            axis.plot([p.parameters for p in picked],
                      [max(p.relative_error, 1e-16) for p in picked], style, label=method)
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("parameters")
    axis.set_ylabel("relative Frobenius error")
    axis.set_title(title)
    axis.grid(True, which="both", alpha=0.3)
    axis.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def load_matrix(path: str, name: str | None) -> tuple[str, np.ndarray]:
    """The named 2-D array of a .npz or a PyTorch checkpoint."""
    if path.endswith(".npz"):
        with np.load(path) as archive:
            arrays = {key: archive[key] for key in archive.files}
    else:
        import torch
        state = torch.load(path, map_location="cpu", weights_only=True)
        if isinstance(state, dict) and "state" in state and "format" in state:
            state = state["state"]  # ht_mlir.nn.save
        if not isinstance(state, dict):
            raise ValueError(f"{path}: expected a state_dict or a .npz, found {type(state).__name__}")
        arrays = {key: value.detach().double().numpy() for key, value in state.items()
                  if hasattr(value, "detach")}
    matrices = {key: value for key, value in arrays.items() if np.ndim(value) == 2}
    if name is None:
        if "weight_ih_l0" in matrices:
            name = "weight_ih_l0"
        elif len(matrices) == 1:
            name = next(iter(matrices))
        else:
            raise ValueError(f"{path} has the matrices {sorted(matrices)}: say which with --weight")
    if name not in matrices:
        raise ValueError(f"{path} has no matrix '{name}'; its matrices: {sorted(matrices)}")
    return name, np.asarray(matrices[name], dtype=np.float64)


def _int_list(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",")]
    except ValueError:
        raise ValueError(f"'{text}' is not a comma-separated list of integers") from None
    return values


def main(argv: Sequence[str] | None = None) -> None:
    parser = cli.ArgumentParser(prog="python3 -m ht_mlir.compress_sweep",
                                description=__doc__.splitlines()[0])
    parser.add_argument("model", help=".npz or PyTorch checkpoint")
    parser.add_argument("--weight", help="the matrix (default: weight_ih_l0, or the only one)")
    parser.add_argument("--row-modes", help="row mode sizes, e.g. 4,4,2,2")
    parser.add_argument("--col-modes", help="column mode sizes, e.g. 4,4,4,4")
    parser.add_argument("--num-modes", type=int, default=4,
                        help="modes of the automatic split (default 4)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--budgets", help="parameter budgets, e.g. 100,200,400")
    group.add_argument("--ratios", help="target compression ratios, e.g. 10,20,40")
    parser.add_argument("--csv", required=True, help="write the results here")
    parser.add_argument("--plot", help="write a PNG plot here (python3-matplotlib)")
    args = parser.parse_args(argv)

    name, matrix = load_matrix(args.model, args.weight)
    rows, cols = matrix.shape
    if (args.row_modes is None) != (args.col_modes is None):
        raise ValueError("--row-modes and --col-modes go together: give both or neither")
    if args.row_modes is not None:
        row_modes, col_modes = _int_list(args.row_modes), _int_list(args.col_modes)
    else:
        if args.num_modes < 2:
            raise ValueError(f"--num-modes {args.num_modes}; an HT matrix needs at least 2")
        row_modes = factorize_evenly(rows, args.num_modes)
        col_modes = factorize_evenly(cols, args.num_modes)
    if args.ratios is not None:
        ratios = [float(r) for r in args.ratios.split(",")]
        if any(not r > 0 for r in ratios):
            raise ValueError(f"--ratios {args.ratios}: every ratio must be > 0")
        budgets = [max(1, int(rows * cols // r)) for r in ratios]
    elif args.budgets is not None:
        budgets = _int_list(args.budgets)
        if any(b < 1 for b in budgets):
            raise ValueError(f"--budgets {args.budgets}: every budget must be >= 1")
    else:  # 1/256 to 1/2 of the dense size
        budgets = sorted({max(1, rows * cols >> shift) for shift in range(8, 0, -1)})

    def progress(text: str) -> None:
        print(f"compress_sweep: {name} ({rows} x {cols}), {text}", file=sys.stderr, flush=True)

    points = sweep(matrix, row_modes, col_modes, budgets, progress=progress)
    write_csv(args.csv, points, rows, cols)
    print(f"compress_sweep: wrote {len(points)} rows to {args.csv}", file=sys.stderr)
    if args.plot:
        try:
            write_plot(args.plot, points, f"{name} ({rows} x {cols}), modes {row_modes} x {col_modes}")
        except ImportError:
            raise ValueError("--plot needs matplotlib (apt-get install python3-matplotlib)") from None
        print(f"compress_sweep: wrote {args.plot}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(cli.run(main))
