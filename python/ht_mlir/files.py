"""File helpers of the command-line tools: reading inputs, writing outputs atomically.

Outputs go to a temporary file in the destination's folder and are renamed into place
only once complete, so a failed run never leaves a partial file behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zipfile
from typing import IO, Any, Iterator

import numpy as np


def load_description(path: str) -> Any:
    """The parsed JSON of a model description file."""
    with open(path, encoding="utf-8") as file:
        try:
            return json.load(file)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}: not valid JSON: {error}") from None


def load_npz(path: str) -> dict[str, np.ndarray]:
    """All arrays of an ``.npz`` archive (pickled objects are refused)."""
    not_npz = f"{path}: not a NumPy .npz archive of plain arrays"
    try:
        archive = np.load(path, allow_pickle=False)
    except (ValueError, EOFError, zipfile.BadZipFile):
        raise ValueError(not_npz) from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(f"{path}: expected an .npz archive, got a single .npy array")
    with archive:
        try:
            return {key: archive[key] for key in archive.files}
        except (ValueError, EOFError, zipfile.BadZipFile):
            raise ValueError(not_npz) from None


def load_npy(path: str) -> np.ndarray:
    """One array from an ``.npy`` file (pickled objects are refused)."""
    try:
        array = np.load(path, allow_pickle=False)
    except (ValueError, EOFError):
        raise ValueError(f"{path}: not a NumPy .npy file of a plain array") from None
    if not isinstance(array, np.ndarray):
        array.close()
        raise ValueError(f"{path}: expected an .npy array, got an .npz archive")
    return array


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: str, mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file for writing; on success rename it to ``path``, else delete it."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temp_path = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        os.chmod(temp_path, 0o666 & ~_current_umask())  # mkstemp's 0600 is not what users expect
        with os.fdopen(handle, mode) as file:
            yield file
        os.replace(temp_path, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_path)
        raise
