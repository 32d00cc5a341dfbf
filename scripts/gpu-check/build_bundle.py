"""Builds what scripts/gpu-check.sh runs on a GPU machine, on this one.

    PYTHONPATH=python:test/Integration python3 scripts/gpu-check/build_bundle.py \\
        --bin build/bin --out DIR [--per-class N]

DIR gets:
  cases/<class>-<i>/   a CUDA library of an integration configuration (LSTM
                       forms, GRUs, stacks, heads), its inputs, the float64
                       reference outputs made here, and `check`;
  cases/ucf11-r4/      the UCF11 model at rank 4 (T=4, B=2), the same way;
  bench/ucf11-r<r>/    UCF11 libraries at ranks 4, 8, 16 for the benchmark;
  bench/bench          the timing program; torch_peer.py; gpu-check.sh.
Every binary needs only libc and, at run time, the NVIDIA driver.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys

import numpy as np

import check_models
from ht_mlir import export
from ht_mlir.random_model import random_weights

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RANKS = (4, 8, 16)
CLASSES = ("lstm-forms", "gru", "stacks", "heads")


def ucf11(rank: int) -> dict:
    with open(os.path.join(ROOT, "examples", "ucf11", "model.json")) as file:
        config = json.load(file)
    weight = config["weights"]["W_ih"]
    weight["leaf_ranks"] = [rank] * len(weight["leaf_ranks"])
    weight["node_ranks"] = [1] + [rank] * (len(weight["node_ranks"]) - 1)
    return config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="build/bin of this build")
    parser.add_argument("--out", required=True, help="bundle folder (replaced)")
    parser.add_argument("--per-class", type=int, default=6,
                        help="configurations per integration class (default 6)")
    args = parser.parse_args()
    if not check_models.cuda_toolkit():
        print("build_bundle: no CUDA toolkit (CUDA_HOME): the bundle would have "
              "PTX only, which the driver compiles; set CUDA_HOME for fatbins",
              file=sys.stderr)
    shutil.rmtree(args.out, ignore_errors=True)
    work = os.path.join(args.out, ".work")
    count = 0
    for name in CLASSES:
        configs = list(check_models.CLASSES[name](random.Random(0)))[: args.per_class]
        for index, config in enumerate(configs):
            case = f"{name}-{index}"
            config, model, inputs, want = check_models.prepare_case(
                config, os.path.join(work, case), seed=index)
            said = check_models.build_cuda_case(model, inputs, want, config,
                                                os.path.join(args.out, "cases", case),
                                                args.bin)
            print(f"{case}: {said}")
            count += 1
    config = ucf11(4)
    config["_run"] = (4, 2)
    config, model, inputs, want = check_models.prepare_case(
        config, os.path.join(work, "ucf11-r4"), seed=11)
    print("ucf11-r4:", check_models.build_cuda_case(
        model, inputs, want, config, os.path.join(args.out, "cases", "ucf11-r4"), args.bin))
    count += 1

    for rank in RANKS:
        config = ucf11(rank)
        folder = os.path.join(args.out, "bench", f"ucf11-r{rank}")
        os.makedirs(folder, exist_ok=True)
        model = os.path.join(work, f"ucf11-r{rank}.mlir")
        export.write_mlir(config, random_weights(config, seed=rank), model)
        command = [os.path.join(args.bin, "ht-compile"), "--target=cuda", model,
                   "-o", os.path.join(folder, "libucf11.so"), "--prefix", "ucf11",
                   "--header", os.path.join(folder, "ucf11.h")]
        if not check_models.cuda_toolkit():
            command.append("--pipeline-options=format=ptx")
        subprocess.run(command, check=True)
    subprocess.run(["clang-22", "-O2", "-Wall", "-Werror", os.path.join(HERE, "bench.c"),
                    "-o", os.path.join(args.out, "bench", "bench")], check=True)
    shutil.copy(os.path.join(HERE, "torch_peer.py"), os.path.join(args.out, "bench"))
    shutil.copy(os.path.join(ROOT, "scripts", "gpu-check.sh"), args.out)
    shutil.rmtree(work)
    print(f"bundle: {count} cases, UCF11 ranks {', '.join(map(str, RANKS))} in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
