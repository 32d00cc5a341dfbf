"""Mutation fuzzing of the exporter's inputs: model descriptions and weights.

libFuzzer cannot drive Python here (no atheris in Debian), so this is a
seeded mutation fuzzer over the same entry point a user runs
(``python3 -m ht_mlir.export``, called in-process through ``cli.run``): each
case mutates a valid description (fields dropped, retyped, set to huge,
negative or overflowing sizes, trees mangled) and/or the weights (arrays
dropped, reshaped, retyped, filled with NaN), and requires one of two
outcomes: exit 0 with an MLIR file that the exporter wrote whole, or exit 1
with one ``error: ...`` line and no output file. Any other exception, or a
partial file, is a finding. HT_FUZZ_CASES sets the number of cases.
"""

import contextlib
import copy
import io
import json
import os
import random
import tempfile
import unittest

import numpy as np
from fixtures import TINY_LINEAR, TINY_LSTM

from ht_mlir import cli, export
from ht_mlir.random_model import main as random_model_main

CASES = int(os.environ.get("HT_FUZZ_CASES", "400"))

VALUES = [None, True, False, 0, -1, 1, 2, 3, 7, 2**31, 2**63 + 1, 10**30, 1.5, float("nan"),
          "", "ht", "dense", "((0,1),(2,3))", "(0,(1", [], [0], [2, 2], [-2, -2],
          [2**62 + 1, 4], {}, {"format": "ht"}]


def mutate_json(value, rng):
    """A copy of ``value`` with one random change somewhere inside it."""
    value = copy.deepcopy(value)
    containers = []

    def collect(node):
        if isinstance(node, dict):
            containers.append(node)
            for child in node.values():
                collect(child)
        elif isinstance(node, list):
            containers.append(node)
            for child in node:
                collect(child)

    collect(value)
    target = rng.choice(containers)
    keys = list(target.keys()) if isinstance(target, dict) else list(range(len(target)))
    if not keys:
        return value
    key = rng.choice(keys)
    action = rng.random()
    if action < 0.15 and isinstance(target, dict):
        del target[key]
    elif action < 0.25 and isinstance(target, dict):
        target["unexpected_" + str(key)] = rng.choice(VALUES)
    elif action < 0.45 and isinstance(target[key], int) and not isinstance(target[key], bool):
        target[key] = rng.choice([0, -target[key], target[key] * 2, target[key] + 1, 2**40])
    else:
        target[key] = copy.deepcopy(rng.choice(VALUES))
    return value


def mutate_weights(weights, rng):
    weights = dict(weights)
    name = rng.choice(sorted(weights))
    array = weights[name]
    action = rng.random()
    if action < 0.2:
        del weights[name]
    elif action < 0.4:
        weights[name] = array.reshape(-1)
    elif action < 0.55:
        weights[name] = np.concatenate([array.ravel(), array.ravel()])
    elif action < 0.7:
        weights[name] = array.astype(np.int32)
    elif action < 0.85:
        weights[name] = np.full_like(array, np.nan)
    else:
        weights[name + ".extra"] = array
    return weights


class ExportFuzzTest(unittest.TestCase):
    def test_mutated_inputs_give_a_file_or_one_error_line(self):
        rng = random.Random(20261201)
        with tempfile.TemporaryDirectory() as folder:
            seeds = {}
            for name, desc in [("lstm", TINY_LSTM), ("linear", TINY_LINEAR)]:
                model = os.path.join(folder, f"{name}.json")
                with open(model, "w", encoding="utf-8") as file:
                    json.dump(desc, file)
                weights = os.path.join(folder, f"{name}.npz")
                with contextlib.redirect_stderr(io.StringIO()):
                    self.assertEqual(cli.run(random_model_main, [model, "-o", weights, "--seed", "1"]), 0)
                with np.load(weights) as archive:
                    seeds[name] = (desc, {key: archive[key] for key in archive.files})

            outcomes = {0: 0, 1: 0}
            for case in range(CASES):
                desc, weights = seeds[rng.choice(sorted(seeds))]
                for _ in range(rng.randint(0, 3)):
                    desc = mutate_json(desc, rng)
                if rng.random() < 0.5:
                    weights = mutate_weights(weights, rng)
                model = os.path.join(folder, "case.json")
                arrays = os.path.join(folder, "case.npz")
                output = os.path.join(folder, "case.mlir")
                with open(model, "w", encoding="utf-8") as file:
                    json.dump(desc, file)
                np.savez(arrays, **weights)
                if os.path.exists(output):
                    os.remove(output)
                stderr = io.StringIO()
                with contextlib.redirect_stderr(stderr):
                    try:
                        status = cli.run(export.main, [model, arrays, "-o", output])
                    except Exception as error:  # a finding: not one of the two outcomes
                        self.fail(f"case {case}: {type(error).__name__}: {error}\n{json.dumps(desc)}")
                outcomes[status] += 1
                lines = stderr.getvalue().splitlines()
                if status == 0:
                    with open(output, encoding="utf-8") as file:
                        self.assertIn("func.func", file.read(), f"case {case}")
                else:
                    self.assertEqual(status, 1, f"case {case}")
                    self.assertEqual(len(lines), 1, f"case {case}: {lines}")
                    self.assertTrue(lines[0].startswith("error: "), f"case {case}: {lines}")
                    self.assertFalse(os.path.exists(output), f"case {case}: partial output")
            # Both outcomes occur: the mutations are neither all harmless nor all fatal.
            self.assertGreater(outcomes[0], 0)
            self.assertGreater(outcomes[1], CASES // 4)


if __name__ == "__main__":
    unittest.main()
