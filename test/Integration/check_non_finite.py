"""The non-finite input contract (docs/Semantics.md, "Non-finite inputs").

Runs a model with batch 2 through ht-run under each pipeline variant, once on
clean inputs and once with an Inf, a -Inf or a NaN in batch element 0 at step
1. Checks that batch element 1, and element 0 before step 1, are bit-identical
to the clean run, and that the result's shape and dtype are unchanged. Prints
what element 0 became from step 1 on (NaN, or finite because the gates
saturated): that part is unspecified, and pipelines may differ.
"""
import argparse
import os
import subprocess
import sys

import numpy as np


def run(bin_dir, model, inputs, variant, work):
    out = os.path.join(work, "out")
    subprocess.run([os.path.join(bin_dir, "ht-run"), model, *sum((["--input", i] for i in inputs), []),
                    f"--pipeline-options={variant}", "--output-dir", out],
                   check=True, stdout=subprocess.DEVNULL)
    return [np.load(os.path.join(out, f"result{k}.npy")) for k in range(3)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--variants", required=True, help="';'-separated pipeline options")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rng = np.random.RandomState(7)
    x = rng.randn(4, 2, 6).astype(np.float32)
    h0 = rng.randn(2, 4).astype(np.float32)
    c0 = rng.randn(2, 4).astype(np.float32)
    paths = {}
    for name, value in [("clean", None), ("inf", np.inf), ("neg-inf", -np.inf), ("nan", np.nan)]:
        poisoned = x.copy()
        if value is not None:
            poisoned[1, 0, 2] = value
        paths[name] = os.path.join(args.work, f"x-{name}.npy")
        np.save(paths[name], poisoned)
    for name, array in [("h0", h0), ("c0", c0)]:
        np.save(os.path.join(args.work, f"{name}.npy"), array)
    state = [os.path.join(args.work, "h0.npy"), os.path.join(args.work, "c0.npy")]

    failures = 0
    for variant in args.variants.split(";"):
        clean = run(args.bin, args.model, [paths["clean"], *state], variant, args.work)
        seen = []
        for name in ("inf", "neg-inf", "nan"):
            got = run(args.bin, args.model, [paths[name], *state], variant, args.work)
            output, h_n, c_n = got
            isolated = (np.array_equal(output[:, 1], clean[0][:, 1])
                        and np.array_equal(h_n[1], clean[1][1]) and np.array_equal(c_n[1], clean[2][1])
                        and np.array_equal(output[0, 0], clean[0][0, 0]))
            if not isolated:
                failures += 1
                print(f"FAIL {variant or 'default'} {name}: another batch element or an earlier step changed")
            seen.append(f"{name}: {'NaN' if np.isnan(output[1:, 0]).any() else 'finite'}")
        print(f"{variant or 'default'}: isolated; element 0 from step 1: {', '.join(seen)}")
    if failures:
        sys.exit(1)
    print(f"non-finite inputs stay in their batch element under {len(args.variants.split(';'))} pipelines")


if __name__ == "__main__":
    main()
