"""Runs every ```sh block of a Markdown document and checks the ```text blocks.

    run_tutorial.py DOC.md --root REPO --work DIR

The blocks run in order in one bash session (`set -euo pipefail`, so `cd` and
`export` carry over) whose working directory is DIR, where `build`, `python`,
`examples` and `scripts` link to REPO's: the commands read as if run from the
repository root, but what they write lands in DIR. A ```text block right after
an ```sh block is that block's expected output: each of its lines must appear in
the block's output, in order; a line `...` stands for any number of lines. Lines
match when their text is the same and their numbers agree: integers exactly,
decimals within 2% (or both below 1e-6, rounding noise), since PyTorch's BLAS
and the CPU may move the last digits of trained weights and errors.

Prints one line per block; exits 1 at the first failing command or missing line.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys

FENCE = re.compile(r"^```(\w*)\s*$")
NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
MARKER = "@@ht-tutorial-block"


def blocks(markdown: str) -> list[tuple[str, list[str]]]:
    """(language, lines) of every fenced block, in order."""
    found, language, lines = [], None, []
    for line in markdown.splitlines():
        match = FENCE.match(line)
        if match and language is None:
            language, lines = match.group(1), []
        elif line.strip() == "```" and language is not None:
            found.append((language, lines))
            language = None
        elif language is not None:
            lines.append(line)
    return found


def numbers_agree(want: str, got: str) -> bool:
    if not any(mark in want for mark in ".eE"):
        return want == got
    a, b = float(want), float(got)
    return abs(a - b) <= 0.02 * max(abs(a), abs(b)) or max(abs(a), abs(b)) < 1e-6


def lines_match(want: str, got: str) -> bool:
    """Same text around the numbers, and the numbers agree (see the module docstring)."""
    if NUMBER.split(want.rstrip()) != NUMBER.split(got.rstrip()):
        return False
    return all(numbers_agree(a, b) for a, b in zip(NUMBER.findall(want), NUMBER.findall(got)))


def check_output(expected: list[str], output: list[str]) -> str | None:
    """None if every expected line appears in order (`...` skips lines), else the missing line."""
    position = 0
    for line in expected:
        if line.strip() == "...":
            continue
        while position < len(output) and not lines_match(line, output[position]):
            position += 1
        if position == len(output):
            return line
        position += 1
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("document")
    parser.add_argument("--root", required=True, help="repository root")
    parser.add_argument("--work", required=True, help="scratch folder to run in")
    args = parser.parse_args()
    with open(args.document, encoding="utf-8") as file:
        found = blocks(file.read())
    commands = [(index, lines) for index, (language, lines) in enumerate(found) if language == "sh"]
    expected = {index: found[index + 1][1] for index, _ in commands
                if index + 1 < len(found) and found[index + 1][0] == "text"}

    os.makedirs(args.work, exist_ok=True)
    for name in ("build", "python", "examples", "scripts"):
        link = os.path.join(args.work, name)
        if not os.path.lexists(link):
            os.symlink(os.path.join(os.path.abspath(args.root), name), link)
    script = ["set -euo pipefail"]
    for number, (_, lines) in enumerate(commands):
        script += [f"echo {MARKER} {number}", *lines]
    result = subprocess.run(["bash", "-c", "\n".join(script)], cwd=args.work, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    outputs: list[list[str]] = []
    for line in result.stdout.splitlines():
        if line.startswith(MARKER):
            outputs.append([])
        elif outputs:
            outputs[-1].append(line)

    for number, (index, lines) in enumerate(commands):
        if number >= len(outputs):
            break
        ran_to_end = number + 1 < len(outputs) or result.returncode == 0
        if not ran_to_end:
            print(f"block {number + 1} failed (exit {result.returncode}):\n  " + "\n  ".join(lines))
            print("its output:\n" + "\n".join(outputs[number]))
            return 1
        missing = check_output(expected.get(index, []), outputs[number])
        if missing is not None:
            print(f"block {number + 1}: expected output line not found: {missing!r}")
            print("its output:\n" + "\n".join(outputs[number]))
            return 1
        print(f"block {number + 1}: ok ({lines[0].strip()[:60]})")
    if len(outputs) != len(commands) or result.returncode != 0:
        print(f"the script stopped early (exit {result.returncode}):\n{result.stdout[-2000:]}")
        return 1
    print(f"{len(commands)} blocks ran, {len(expected)} outputs checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
