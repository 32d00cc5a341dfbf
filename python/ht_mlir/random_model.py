"""Random, well-scaled weights for a model description (tests and examples).

Usage::

    PYTHONPATH=python python3 -m ht_mlir.random_model MODEL.json -o weights.npz --seed N

Scaling keeps every matrix entry of order ``1/sqrt(cols)``, so that a layer maps inputs
of order one to outputs of order one. For an HT weight each leaf entry has variance
``1/n_k`` and each transfer entry ``1/(r_left * r_right)``: every node frame then has
entries of variance ``1/prod(n of its modes)``, and the root (the matrix) ``1/N``.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from . import cli
from .files import atomic_output, load_description
from .model import parse_model

BIAS_STD = 0.1


def random_weights(desc: Mapping[str, Any], seed: int = 0) -> dict[str, np.ndarray]:
    """float32 arrays for every ``.npz`` key of ``desc``, drawn from a seeded normal law."""
    model = parse_model(desc)
    rng = np.random.default_rng(seed)
    arrays: dict[str, np.ndarray] = {}
    for weight in model.weights:
        if weight.ht is None:
            arrays[weight.name] = rng.normal(0.0, weight.cols**-0.5, (weight.rows, weight.cols))
            continue
        for key, shape in weight.leaf_arrays().items():
            arrays[key] = rng.normal(0.0, shape[1] ** -0.5, shape)
        for key, shape in weight.transfer_arrays().items():
            arrays[key] = rng.normal(0.0, (shape[0] * shape[1]) ** -0.5, shape)
    for bias in model.biases:
        arrays[bias.name] = rng.normal(0.0, BIAS_STD, bias.size)
    return {key: value.astype(np.float32) for key, value in arrays.items()}


def main(argv: Sequence[str] | None = None) -> None:
    parser = cli.ArgumentParser(prog="python3 -m ht_mlir.random_model", description=__doc__.split("\n")[0])
    parser.add_argument("model", help="model description (.json)")
    parser.add_argument("-o", "--output", required=True, help=".npz file to write")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    arrays = random_weights(load_description(args.model), args.seed)
    with atomic_output(args.output, "wb") as file:
        np.savez(file, **arrays)


if __name__ == "__main__":
    raise SystemExit(cli.run(main))
