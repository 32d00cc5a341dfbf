"""Compile a model and call it from Python: ``ht_mlir.compile(model) -> CompiledModel``.

    import ht_mlir
    model = ht_mlir.compile(htlstm_module)          # or an nn.LSTM / nn.GRU, a checkpoint, an .mlir file
    output, (h_n, c_n) = model(x)                    # NumPy arrays or torch tensors, like nn.LSTM
    output, (h_n, c_n) = model(x, (h0, c0), threads=2)
    output, h_n = compiled_gru(x, h0)                # like nn.GRU

The model is exported (PyTorch modules and checkpoints, through ``ht_mlir.torch_export``),
compiled by ``ht-compile`` into a shared library with its C API, and called through
ctypes; nothing else runs in Python. Libraries are cached by content (the model's MLIR
text, the compile options and the compiler's version) under ``$HT_MLIR_CACHE`` or
``~/.cache/ht-mlir``. ``ht-compile`` is found at ``$HT_MLIR_BIN``, in the build tree next
to this package (``build/bin``), or on ``PATH``.

Inputs are float32 and row-major: contiguous float32 arrays (and CPU tensors) are passed
without a copy, anything else is converted once. Results come back as the inputs came:
torch tensors for torch inputs, NumPy arrays otherwise.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Sequence

import numpy as np

_ROOT = Path(__file__).resolve().parent.parent.parent


def _find_compiler(bin_dir: str | None) -> str:
    candidates = [bin_dir, os.environ.get("HT_MLIR_BIN"), str(_ROOT / "build" / "bin")]
    for folder in candidates:
        if folder and os.path.isfile(os.path.join(folder, "ht-compile")):
            return os.path.join(folder, "ht-compile")
    found = shutil.which("ht-compile")
    if found:
        return found
    raise OSError("ht-compile not found: build ht-mlir (./scripts/setup.sh), set HT_MLIR_BIN "
                  "or pass bin_dir=")


def _cache_dir(cache_dir: str | None) -> Path:
    if cache_dir:
        return Path(cache_dir)
    if os.environ.get("HT_MLIR_CACHE"):
        return Path(os.environ["HT_MLIR_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ht-mlir"


def _model_text(model: Any, seq_len: int | None, batch: int | None,
                checkpoint_options: dict[str, Any]) -> str:
    """The ``ht``-dialect MLIR of ``model``: a file's text, or an exported module."""
    from .export import write_mlir
    if isinstance(model, (str, os.PathLike)):
        path = os.fspath(model)
        if path.endswith(".mlir"):
            if seq_len is not None or batch is not None:
                raise ValueError("seq_len and batch fix an exported model's sizes; an .mlir "
                                 "file has its own")
            return Path(path).read_text()
        from .torch_export import load_checkpoint
        desc, arrays = load_checkpoint(path, seq_len, batch, **checkpoint_options)
    else:
        if any(value not in (None, False, "last", "logits")
               for value in checkpoint_options.values()):
            raise ValueError("batch_first, rnn_prefix, head_prefix, head_over and head_output "
                             "describe a checkpoint file; a module has its own")
        from .torch_export import describe
        desc, arrays = describe(model, seq_len, batch)
    with tempfile.TemporaryDirectory() as work:
        target = os.path.join(work, "model.mlir")
        write_mlir(desc, arrays, target)
        return Path(target).read_text()


def compile(model: Any, *, seq_len: int | None = None, batch: int | None = None,
            pipeline_options: str = "", threads: int = 1, entry: str = "forward",
            cache_dir: str | None = None, bin_dir: str | None = None,
            batch_first: bool = False, rnn_prefix: str | None = None,
            head_prefix: str | None = None, head_over: str = "last",
            head_output: str = "logits", target: str = "cpu") -> "CompiledModel":
    """Compile ``model`` (an ``ht_mlir.nn`` module, an ``nn.LSTM`` / ``nn.GRU`` /
    ``nn.Linear``, a checkpoint ``ht_mlir.torch_export`` reads, or an ``.mlir`` file) for
    this CPU.

    ``seq_len`` / ``batch`` fix those sizes of an exported model (default: dynamic);
    ``pipeline_options`` are ``ht-compile``'s (``order=greedy``, ...); ``threads`` is the
    library's default thread count (1: single-threaded code; 0: one per CPU). For a
    checkpoint, ``batch_first``, ``rnn_prefix``, ``head_prefix``, ``head_over`` and
    ``head_output`` are ``torch_export``'s ``--batch-first``, ``--rnn``, ``--head``,
    ``--head-over`` and ``--head-output``.

    ``target="cuda"`` compiles for an NVIDIA GPU (``ht-compile --target=cuda``,
    ``docs/CUDA.md``): the model is called with host arrays, which the library copies
    to the device and back; ``threads`` does not apply. Without a driver a call
    raises the library's status."""
    if target not in ("cpu", "cuda"):
        raise ValueError(f"target={target!r}; expected 'cpu' or 'cuda'")
    if not isinstance(threads, int) or threads < 0 or threads > 2**31 - 1:
        raise ValueError(f"threads={threads}; expected 0 (every CPU) or a count >= 1")
    if target == "cuda" and threads != 1:
        raise ValueError("threads is for target='cpu'; a CUDA model runs on the GPU")
    compiler = _find_compiler(bin_dir)
    text = _model_text(model, seq_len, batch, dict(
        batch_first=batch_first, rnn_prefix=rnn_prefix, head_prefix=head_prefix,
        head_over=head_over, head_output=head_output))
    options = " ".join(part for part in (pipeline_options.strip(),
                                          f"threads={threads}" if threads != 1 else "") if part)
    version = subprocess.run([compiler, "--version"], capture_output=True, text=True).stdout
    key = hashlib.sha256("\0".join([text, options, entry, version, target]).encode()
                         ).hexdigest()[:24]
    folder = _cache_dir(cache_dir) / key
    library, signature = folder / "libmodel.so", folder / "model.json"
    if not (library.exists() and signature.exists()):
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder) as work:
            source = os.path.join(work, "model.mlir")
            Path(source).write_text(text)
            command = [compiler, source, "-o", os.path.join(work, "libmodel.so"), "--prefix", "model",
                       "--entry", entry, "--signature", os.path.join(work, "model.json")]
            if options:
                command.append(f"--pipeline-options={options}")
            if target == "cuda":
                command.append("--target=cuda")
            result = subprocess.run(command, capture_output=True, text=True)
            if result.returncode != 0:
                message = " ".join(result.stderr.split()) or f"exit status {result.returncode}"
                raise ValueError(f"ht-compile failed: {message}")
            # Renamed into place last: a concurrent or interrupted compile never
            # leaves a half-written library in the cache.
            os.replace(os.path.join(work, "model.json"), signature)
            os.replace(os.path.join(work, "libmodel.so"), library)
    return CompiledModel(str(library), json.loads(signature.read_text()))


class CompiledModel:
    """A compiled entry point, called like the PyTorch module it came from."""

    def __init__(self, library: str, signature: dict[str, Any]) -> None:
        self.library_path = library
        self.signature = signature
        (self.entry,) = signature["entries"]
        self._lib = ctypes.CDLL(library)
        sizes = [ctypes.c_int64] * len(self.entry["sizes"])
        tensors = [ctypes.c_void_p] * (len(self.entry["inputs"]) + len(self.entry["outputs"]))
        self.target = signature.get("target", "cpu")
        if self.target == "cuda":
            # The host-pointer function: copies in, runs on the GPU, copies out.
            self._call = getattr(self._lib, self.entry["function"])
            self._call.argtypes = sizes + tensors
        else:
            self._call = getattr(self._lib, self.entry["threads_function"])
            self._call.argtypes = [ctypes.c_int32] + sizes + tensors
        self._call.restype = ctypes.c_int32
        self._status = getattr(self._lib, signature["status_function"])
        self._status.restype = ctypes.c_char_p
        self._status.argtypes = [ctypes.c_int32]

    @property
    def input_names(self) -> list[str]:
        return [tensor["name"] for tensor in self.entry["inputs"]]

    def _state_names(self) -> list[str] | None:
        """``["h0", "c0"]`` for an LSTM, ``["h0"]`` for a GRU, ``None`` for anything else."""
        inputs = self.input_names
        outputs = [tensor["name"] for tensor in self.entry["outputs"]]
        if inputs == ["x", "h0", "c0"] and outputs == ["output", "h_n", "c_n"]:
            return ["h0", "c0"]
        if inputs == ["x", "h0"] and outputs == ["output", "h_n"]:
            return ["h0"]
        return None

    def __call__(self, x: Any, hx: Any = None, *, threads: int | None = None):
        """``model(x)``, or for an LSTM ``model(x, (h0, c0))`` and for a GRU ``model(x, h0)``
        (zeros when omitted; as PyTorch, ``[B, H]`` or ``[1, B, H]`` states). Returns what
        the PyTorch module returns: ``y``, ``(output, (h_n, c_n))`` or ``(output, h_n)``."""
        if self.target == "cuda" and threads is not None:
            raise ValueError("threads is for a CPU model; this one runs on the GPU")
        if threads is None:
            threads = self.signature["default_threads"]
        if not isinstance(threads, int) or threads < 0 or threads > 2**31 - 1:
            raise ValueError(f"threads={threads}; expected 0 (every CPU) or a count >= 1")
        use_torch = type(x).__module__.startswith("torch")
        x_array = _as_float32(x, "x")
        inputs = [x_array]
        layered = False
        state_names = self._state_names()
        if state_names:
            state_shape = self.entry["inputs"][1]["shape"]  # [B, H] or [L * D, B, H]
            if hx is None:
                # The batch as x gives it, wherever its layout has it.
                known = self._bind_sizes([x_array], self.entry["inputs"][:1])
                zeros = np.zeros([known.get(d, 0) if isinstance(d, str) else d
                                  for d in state_shape], np.float32)
                inputs += [zeros] * len(state_names)
            else:
                if len(state_names) == 1:
                    hx = (hx,)
                elif not isinstance(hx, (tuple, list)) or len(hx) != 2:
                    raise ValueError("hx must be a pair (h0, c0)")
                states = [_as_float32(state, name) for state, name in zip(hx, state_names)]
                if len(state_shape) == 2 and all(state.ndim == 3 and state.shape[0] == 1
                                                 for state in states):
                    layered = True
                    states = [state[0] for state in states]
                inputs += states
        elif hx is not None:
            raise ValueError(f"this model takes {self.input_names}, not a state")
        if len(inputs) != len(self.entry["inputs"]):
            raise ValueError(f"this model takes {self.input_names}")
        values = self._bind_sizes(inputs)
        outputs = [np.empty([values[d] if isinstance(d, str) else d for d in tensor["shape"]],
                            np.dtype(tensor.get("dtype", "float32")))
                   for tensor in self.entry["outputs"]]
        arguments = [values[name] for name in self.entry["sizes"]]
        arguments += [array.ctypes.data for array in inputs + outputs]
        if self.target == "cuda":
            status = self._call(*arguments)
        else:
            status = self._call(threads, *arguments)
        if status != 0:
            detail = ""
            if self.target == "cuda":
                last_error = getattr(self._lib, f"{self.signature['prefix']}_cuda_last_error")
                last_error.restype = ctypes.c_char_p
                detail = f": {last_error().decode()}"
            raise RuntimeError(f"{self.entry['function']}: {self._status(status).decode()} "
                               f"(status {status}){detail}")
        if use_torch:
            import torch
            outputs = [torch.from_numpy(array) for array in outputs]
        if state_names:
            output, *finals = outputs
            if layered:
                finals = [final[None] for final in finals]
            return (output, tuple(finals)) if len(finals) == 2 else (output, finals[0])
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def _bind_sizes(self, inputs: list[np.ndarray],
                    tensors: list[dict[str, Any]] | None = None) -> dict[str, int]:
        values: dict[str, int] = {}
        for array, tensor in zip(inputs, tensors or self.entry["inputs"]):
            shape = tensor["shape"]
            expected = "[" + ", ".join(str(d) for d in shape) + "]"
            if array.ndim != len(shape):
                raise ValueError(f"{tensor['name']} has shape {list(array.shape)}, expected {expected}")
            for dim, (size, want) in enumerate(zip(array.shape, shape)):
                if isinstance(want, str):
                    if values.setdefault(want, size) != size:
                        raise ValueError(
                            f"{tensor['name']} has {size} for {want} (dimension {dim}), but an earlier "
                            f"input has {values[want]}; expected {expected}")
                elif size != want:
                    raise ValueError(f"{tensor['name']} has shape {list(array.shape)}, expected {expected}")
        for name, size in values.items():
            if not 1 <= size <= 2**31:
                raise ValueError(f"{name} = {size}; the compiled model takes sizes from 1 to 2^31")
        return values


def _as_float32(value: Any, name: str) -> np.ndarray:
    """A C-contiguous float32 array of ``value``, without a copy where it already is one."""
    if type(value).__module__.startswith("torch"):
        value = value.detach()
        if value.device.type != "cpu":
            value = value.cpu()
        value = value.numpy() if value.dtype.is_floating_point else value.float().numpy()
    try:
        return np.ascontiguousarray(value, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} is not an array of numbers: {error}") from None
