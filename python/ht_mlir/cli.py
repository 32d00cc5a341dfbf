"""Shared command-line behaviour: every failure is one ``error: ...`` line and exit status 1."""

from __future__ import annotations

import argparse
import sys
import zipfile
from typing import Callable, NoReturn, Sequence


class ArgumentParser(argparse.ArgumentParser):
    """``argparse`` parser whose usage errors are one ``error: ...`` line too (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message}\n")


def run(main: Callable[[Sequence[str] | None], None], argv: Sequence[str] | None = None) -> int:
    """Run ``main``; report bad input and unreadable files as one line on stderr."""
    try:
        main(argv)
    except (ValueError, OSError, zipfile.BadZipFile) as error:
        message = " ".join(str(error).split())
        print(f"error: {message}", file=sys.stderr)
        return 1
    return 0
