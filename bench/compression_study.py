"""The compression study of docs/Compression.md: HT vs TT vs SVD at equal sizes.

    ./scripts/compression-study.sh     # this, then the tables and plots in docs/

For three matrices with different structure it sweeps parameter budgets
(ht_mlir.compress_sweep: the HSVD with ranks chosen within each budget, balanced and
left-deep = tensor-train-shaped trees, and the truncated SVD of the same size), then
reproduces the published TT-LSTM parameter count for UCF11 and measures the HSVD's
quasi-optimality: its error against the lower bound max_t ||tail of node t||, which the
HSVD may exceed by at most sqrt(2d - 3) (Grasedyck 2010).
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "python"))
from ht_mlir import tree as httree  # noqa: E402
from ht_mlir.compress_sweep import METHODS, load_matrix, sweep, write_csv, write_plot  # noqa: E402
from ht_mlir.hsvd import hsvd  # noqa: E402


def tutorial_matrix(work: str) -> np.ndarray:
    """W_ih of the tutorial's dense LSTM, trained by its own script (seeded, ~5 s)."""
    out = os.path.join(work, "tutorial")
    subprocess.run([sys.executable, str(ROOT / "examples" / "tutorial" / "train.py"),
                    "--model", "dense", "--out", out], check=True, cwd=ROOT / "examples" / "tutorial",
                   env={**os.environ, "PYTHONPATH": str(ROOT / "python")}, stdout=subprocess.DEVNULL)
    return load_matrix(os.path.join(out, "model.pt"), "weight_ih_l0")[1]


def smooth_matrix(row_modes, col_modes) -> np.ndarray:
    """exp(-|s - t|) of coordinates spread smoothly over the mode indices: each mode
    index moves the coordinate by a fixed step, so the matrix is a smooth function of
    the (row, column) mode indices, which HT compresses well."""
    def coordinates(modes):
        grids = np.meshgrid(*[np.arange(m) for m in modes], indexing="ij")
        scale = 1.0
        total = np.zeros(grids[0].shape)
        for grid, m in zip(grids, modes):
            scale /= m
            total += grid * scale
        return total.reshape(-1)
    s, t = coordinates(row_modes), coordinates(col_modes)
    return np.exp(-3.0 * np.abs(s[:, None] - t[None, :])) + 0.5 * np.cos(4 * s)[:, None] * t[None, :]


def _leaves(subtree) -> list[int]:
    if isinstance(subtree, httree.Leaf):
        return [subtree.mode]
    return _leaves(subtree.left) + _leaves(subtree.right)


def node_ranks(layout: dict) -> dict[tuple[int, ...], int]:
    """Every non-root node's rank, keyed by its sorted modes."""
    tree = httree.parse_tree(layout["tree"], len(layout["row_modes"]))
    ranks = {(mode,): rank for mode, rank in enumerate(layout["leaf_ranks"])}
    preorder = []  # internal nodes in preorder: the order of node_ranks

    def collect(subtree) -> None:
        if isinstance(subtree, httree.Node):
            preorder.append(tuple(sorted(_leaves(subtree))))
            collect(subtree.left)
            collect(subtree.right)

    collect(tree.root)
    for modes, rank in list(zip(preorder, layout["node_ranks"]))[1:]:  # not the root
        ranks[modes] = rank
    return ranks


def quasi_optimality(matrix, row_modes, col_modes, result) -> tuple[float, float]:
    """(HSVD error, lower bound of the best error with the same ranks): the best
    approximation's matricization at node t has rank <= r_t, so its error is at least
    the tail of that node's singular values beyond r_t, for every t."""
    d = len(row_modes)
    tensor = matrix.reshape(list(row_modes) + list(col_modes))
    tensor = tensor.transpose([axis for mode in range(d) for axis in (mode, d + mode)])
    tensor = tensor.reshape([m * n for m, n in zip(row_modes, col_modes)])
    norm = np.linalg.norm(matrix)
    bound = 0.0
    for modes, rank in node_ranks(result.layout).items():
        rest = [m for m in range(d) if m not in modes]
        unfolded = tensor.transpose(list(modes) + rest).reshape(
            math.prod(tensor.shape[m] for m in modes), -1)
        sigma = np.linalg.svd(unfolded, compute_uv=False)
        bound = max(bound, float(np.sqrt(np.sum(sigma[rank:] ** 2))) / norm)
    return result.relative_error_bound, bound


def tt_lstm_reference() -> list[str]:
    """The published TT-LSTM count for UCF11 (Yang et al. 2017) from its shapes, and
    the HT count of the same modes at the same rank."""
    rows, cols = [16, 4, 4, 4], [8, 20, 20, 18]
    tt_ranks = [1, 4, 4, 4, 1]
    terms = [tt_ranks[k] * rows[k] * cols[k] * tt_ranks[k + 1] for k in range(4)]
    tt = sum(terms)
    dense = math.prod(rows) * math.prod(cols)
    leaves = [m * n * 4 for m, n in zip(rows, cols)]
    transfers = [4 * 4 * 4, 4 * 4 * 4, 4 * 4 * 1]
    ht = sum(leaves) + sum(transfers)
    return [
        f"- Dense `W_ih` of the UCF11 LSTM: `4H x I = 1024 x 57,600` = {dense:,} parameters.",
        f"- TT-LSTM: `W_ih` as a tensor train over row modes `{rows}` (the four gates and",
        f"  `H = 256` as 16·4·4·4) x column modes `{cols}`, TT ranks `{tt_ranks}`: cores of",
        "  `r_{k-1} m_k n_k r_k` = " + " + ".join(f"{a}·{m}·{n}·{b}" for a, m, n, b in
                                               zip(tt_ranks, rows, cols, tt_ranks[1:]))
        + " = " + " + ".join(str(t) for t in terms) + f" = **{tt:,}** parameters,",
        f"  compression {dense / tt:,.0f}x (the paper's 3,360 and 17,554x).",
        f"- HT with the same modes, tree `((0,1),(2,3))`, every rank 4: leaves "
        + " + ".join(str(x) for x in leaves) + ", transfers " + " + ".join(str(x) for x in transfers)
        + f" = **{ht:,}** parameters, compression {dense / ht:,.0f}x",
        "  (`ht-stats` prints the same for `examples/ucf11`).",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", default=str(ROOT / "docs" / "Compression.md"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "compression"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(0)
    sections = []
    with tempfile.TemporaryDirectory() as work:
        studies = [
            ("tutorial", "W_ih of the tutorial's trained dense LSTM (64 x 256)",
             tutorial_matrix(work), [4, 4, 2, 2], [4, 4, 4, 4]),
            ("smooth", "a smooth function of the mode indices (256 x 1024)",
             smooth_matrix([4, 4, 4, 4], [4, 8, 8, 4]), [4, 4, 4, 4], [4, 8, 8, 4]),
            ("gaussian", "random Gaussian, the worst case (256 x 1024)",
             rng.standard_normal((256, 1024)), [4, 4, 4, 4], [4, 8, 8, 4]),
        ]
        for key, title, matrix, row_modes, col_modes in studies:
            rows, cols = matrix.shape
            budgets = sorted({rows * cols // ratio for ratio in (4, 16, 64, 256, 1024)})
            print(f"compression study: {title}", file=sys.stderr, flush=True)
            points = sweep(matrix, row_modes, col_modes, budgets)
            write_csv(os.path.join(args.out, f"{key}.csv"), points, rows, cols)
            write_plot(os.path.join(args.out, f"{key}.png"), points, title)
            lines = [f"### {title[0].upper()}{title[1:]}", "",
                     f"Modes `{row_modes} x {col_modes}`. ![{key}](compression/{key}.png)", "",
                     "| budget | " + " | ".join(f"{m}: parameters, error" for m in METHODS) + " |",
                     "| --- |" + " --- |" * len(METHODS)]
            for budget in budgets:
                cells = []
                for method in METHODS:
                    found = [p for p in points if p.budget == budget and p.method == method]
                    cells.append(f"{found[0].parameters}, {found[0].relative_error:.3g}" if found
                                 else "does not fit")
                lines.append(f"| {budget} | " + " | ".join(cells) + " |")
            sections.append("\n".join(lines))

        # Quasi-optimality on the smooth and the tutorial matrices.
        quasi = ["| matrix | budget | tree | HSVD error | lower bound of the best | ratio | sqrt(2d-3) |",
                 "| --- | --- | --- | --- | --- | --- | --- |"]
        for (key, title, matrix, row_modes, col_modes), ratios in zip(studies, [(16, 64), (256, 1024)]):
            rows, cols = matrix.shape
            for ratio in ratios:
                for tree in (None, "(((0, 1), 2), 3)"):
                    result = hsvd(matrix, row_modes, col_modes, tree=tree,
                                  max_parameters=rows * cols // ratio)
                    error, bound = quasi_optimality(matrix, row_modes, col_modes, result)
                    quasi.append(f"| {key} | {rows * cols // ratio} | `{result.layout['tree']}` | "
                                 f"{error:.4g} | {bound:.4g} | "
                                 f"{error / bound if bound > 0 else float('nan'):.2f} | "
                                 f"{math.sqrt(2 * len(row_modes) - 3):.2f} |")

    text = Path(args.markdown).read_text()
    begin, end = "<!-- study -->", "<!-- end of study -->"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    body = ("\n\n".join(sections) + "\n\n## The TT-LSTM reference, reproduced\n\n"
            + "\n".join(tt_lstm_reference())
            + "\n\n## The HSVD against the best approximation\n\n" + "\n".join(quasi))
    Path(args.markdown).write_text(f"{head}{begin}\n{body}\n{end}{tail}")
    print(f"compression study: wrote {args.markdown} and {args.out}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
