"""Exporter: model description (JSON) + weights (``.npz``) -> ``ht`` dialect MLIR.

Usage::

    PYTHONPATH=python python3 -m ht_mlir.export MODEL.json WEIGHTS.npz -o model.mlir

The description and array naming are documented in :mod:`ht_mlir.model`; the emitted
text in :mod:`ht_mlir.emit`. Nothing is written unless the whole input is valid.
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Sequence

import numpy as np

from . import cli
from .emit import module_text
from .files import atomic_output, load_description, load_npz
from .model import check_arrays, parse_model


def write_mlir(
    model_desc: Mapping[str, Any], weights: Mapping[str, np.ndarray], path: str | os.PathLike[str]
) -> None:
    """Validate ``model_desc`` and ``weights`` and write the MLIR module to ``path`` atomically."""
    model = parse_model(model_desc)
    arrays = check_arrays(model, weights)
    with atomic_output(os.fspath(path)) as file:
        for line in module_text(model, arrays):
            file.write(line + "\n")


def main(argv: Sequence[str] | None = None) -> None:
    parser = cli.ArgumentParser(prog="python3 -m ht_mlir.export", description=__doc__.split("\n")[0])
    parser.add_argument("model", help="model description (.json)")
    parser.add_argument("weights", help="weights (.npz)")
    parser.add_argument("-o", "--output", required=True, help="MLIR file to write")
    args = parser.parse_args(argv)
    write_mlir(load_description(args.model), load_npz(args.weights), args.output)


if __name__ == "__main__":
    raise SystemExit(cli.run(main))
