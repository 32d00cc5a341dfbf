"""PyTorch -> ``ht`` dialect MLIR: ``HTLSTM``, ``HTGRU``, ``HTLinear``, ``torch.nn.LSTM``, ``torch.nn.GRU``, ``torch.nn.Linear``.

Usage::

    PYTHONPATH=python python3 -m ht_mlir.torch_export CHECKPOINT -o model.mlir \\
        [--seq-len T] [--batch B] [--json model.json --npz weights.npz]

``CHECKPOINT`` is a file written by ``ht_mlir.nn.save`` or the ``state_dict()`` of an
``nn.LSTM`` (any ``num_layers``, ``bidirectional``; no projections), of an ``nn.GRU``
(told apart by its ``3H`` gate rows) or of an ``nn.Linear``, saved with ``torch.save``, or a
whole model's ``state_dict`` holding one recurrent module and one ``nn.Linear`` head (keys
``lstm.weight_ih_l0``, ..., ``fc.weight``; ``--rnn``/``--head`` name them if ambiguous),
which exports as one ``@forward(x) -> y`` with the head over the last step (or every
step, ``--head-over all``), returning logits (or ``--head-output softmax``). Several layers or directions export as one
``@forward`` whose states are ``[num_layers * directions, B, H]``, as PyTorch's.
Dense PyTorch weights stay dense in the MLIR; ``ht-compress`` turns them into HT.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any, Mapping, Sequence

import numpy as np
import torch
from torch import nn

from . import cli, nn as ht_nn
from .export import write_mlir
from .files import atomic_output
from .model import cell_suffix

_LSTM_KEYS = {"weight_ih_l0", "weight_hh_l0"}


def _numpy(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().to("cpu", torch.float32).numpy().copy()


def _check_torch_lstm(module: nn.LSTM) -> None:
    if module.proj_size != 0:
        raise ValueError(f"nn.LSTM with proj_size={module.proj_size}: the compiler takes LSTMs "
                         f"without projections (proj_size=0)")


_LSTM_STATE_NAME = re.compile(r"(weight_ih|weight_hh|bias_ih|bias_hh)_l(0|[1-9][0-9]*)(_reverse)?")


def _recurrent_from_state(state: Mapping[str, torch.Tensor]
                          ) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """An nn.LSTM's or nn.GRU's state_dict (which one read off the gate rows: 4H or 3H),
    any number of layers and both directions (read off the keys, as PyTorch names them)."""
    cells = {}
    for key in state:
        match = _LSTM_STATE_NAME.fullmatch(key)
        if not match:
            raise ValueError(f"unexpected key '{key}' in an nn.LSTM / nn.GRU state_dict (a "
                             f"projection weight_hr is not supported)")
        cells.setdefault((int(match.group(2)), bool(match.group(3))), set()).add(match.group(1))
    w_ih, w_hh = state["weight_ih_l0"], state["weight_hh_l0"]
    hidden = w_hh.shape[1] if w_hh.dim() == 2 else 0
    gate_rows = {4 * hidden: "lstm", 3 * hidden: "gru"}
    if (w_ih.dim() != 2 or w_hh.dim() != 2 or w_hh.shape[0] not in gate_rows
            or w_ih.shape[0] != w_hh.shape[0]):
        raise ValueError(
            f"weight_ih_l0 {list(w_ih.shape)} and weight_hh_l0 {list(w_hh.shape)} are neither "
            f"an LSTM's [4H, I] and [4H, H] nor a GRU's [3H, I] and [3H, H]"
        )
    kind = gate_rows[w_hh.shape[0]]
    module_name = "nn.LSTM" if kind == "lstm" else "nn.GRU"
    layers = 1 + max(layer for layer, _ in cells)
    bidirectional = any(reverse for _, reverse in cells)
    directions = 2 if bidirectional else 1
    expected = {(layer, bool(d)) for layer in range(layers) for d in range(directions)}
    if set(cells) != expected:
        raise ValueError(f"the state_dict's layers and directions {sorted(cells)} are not those of "
                         f"a {layers}-layer{' bidirectional' if bidirectional else ''} {module_name}")
    bias = "bias_ih_l0" in state
    desc: dict[str, Any] = {"kind": kind, "input_size": w_ih.shape[1], "hidden_size": hidden,
                            "form": "stacked", "bias": bias, "weights": {}}
    if layers > 1:
        desc["num_layers"] = layers
    if bidirectional:
        desc["bidirectional"] = True
    arrays = {}
    names = {"weight_ih": "W_ih", "weight_hh": "W_hh", "bias_ih": "b_ih", "bias_hh": "b_hh"}
    for (layer, reverse), kinds in sorted(cells.items()):
        if kinds != ({"weight_ih", "weight_hh"} | ({"bias_ih", "bias_hh"} if bias else set())):
            raise ValueError(f"layer {layer}{' (reverse)' if reverse else ''} has {sorted(kinds)}; "
                             f"expected the weights{' and biases' if bias else ''} of every layer")
        suffix = cell_suffix(layer, reverse)
        torch_suffix = f"_l{layer}" + ("_reverse" if reverse else "")
        for name_kind in sorted(kinds):
            name = names[name_kind] + suffix
            arrays[name] = _numpy(state[name_kind + torch_suffix])
            if name_kind.startswith("weight"):
                desc["weights"][name] = {"format": "dense"}
    return desc, arrays


def _linear_from_state(state: Mapping[str, torch.Tensor]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    weight = state["weight"]
    if weight.dim() != 2:
        raise ValueError(f"weight has shape {list(weight.shape)}, expected [out_features, in_features]")
    desc = {"kind": "linear", "in_features": weight.shape[1], "out_features": weight.shape[0],
            "bias": "bias" in state, "weights": {"W": {"format": "dense"}}}
    arrays = {"W": _numpy(weight)}
    if "bias" in state:
        arrays["b"] = _numpy(state["bias"])
    return desc, arrays


HEAD_OVER = ("last", "all")
HEAD_OUTPUTS = ("logits", "softmax", "argmax")


def _head_description(weight_desc: Mapping[str, Any], arrays: Mapping[str, np.ndarray],
                      out_features: int, over: str, output: str
                      ) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """A linear layer's weight description and arrays (``W``, ``W.leaf0``, ``b``, ...) as a
    model's head (``W_head``, ``W_head.leaf0``, ``b_head``)."""
    if over not in HEAD_OVER:
        raise ValueError(f"head over: expected one of {', '.join(HEAD_OVER)}, got {over!r}")
    if output not in HEAD_OUTPUTS:
        raise ValueError(f"head output: expected one of {', '.join(HEAD_OUTPUTS)}, got {output!r}")
    renamed = {("W_head" + key[1:]) if key.startswith("W") else "b_head": value
               for key, value in arrays.items()}
    head = {"out_features": out_features, "over": over, "output": output,
            "bias": "b_head" in renamed, "weights": {"W_head": dict(weight_desc)}}
    return head, renamed


def _attach_head(desc: dict[str, Any], arrays: dict[str, np.ndarray], head_desc: dict[str, Any],
                 head_arrays: dict[str, np.ndarray], in_features: int, where: str) -> None:
    """Adds a head to a recurrent description, checking it reads the recurrent output."""
    features = (2 if desc.get("bidirectional") else 1) * desc["hidden_size"]
    if in_features != features:
        raise ValueError(
            f"{where} takes {in_features} features; expected {features}, the recurrent layers' "
            f"output ({'2 directions * ' if desc.get('bidirectional') else ''}hidden_size "
            f"{desc['hidden_size']})")
    desc["head"] = head_desc
    arrays.update(head_arrays)


def _split_prefix(state: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    return {key[len(prefix) + 1:]: value for key, value in state.items()
            if key.startswith(prefix + ".")}


def _model_from_state(state: Mapping[str, Any], recurrent: list[str], linear: list[str],
                      rnn_prefix: str | None, head_prefix: str | None, head_over: str,
                      head_output: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """A whole model's state_dict: one recurrent module and one linear head, found by
    their keys or named by ``rnn_prefix`` and ``head_prefix``."""
    options = "(--rnn PREFIX --head PREFIX; rnn_prefix=, head_prefix= in Python)"
    if not linear and head_prefix is None and (len(recurrent) == 1 or rnn_prefix is not None):
        # A model holding its recurrent layers alone ("lstm.weight_ih_l0", ...).
        rnn = rnn_prefix if rnn_prefix is not None else recurrent[0]
        if rnn not in recurrent:
            raise ValueError(f"'{rnn}' is not a recurrent module of this state_dict (those are "
                             f"{recurrent})")
        others = sorted(key for key in state if not key.startswith(rnn + "."))
        if others:
            raise ValueError(f"the state_dict has keys {others[:4]} outside '{rnn}': the "
                             f"exporter takes a recurrent module and a linear head")
        return _recurrent_from_state(_split_prefix(state, rnn))
    for role, given, found in (("recurrent", rnn_prefix, recurrent), ("linear head", head_prefix, linear)):
        if given is None and len(found) != 1:
            raise ValueError(
                f"this looks like a whole model's state_dict with recurrent layers {recurrent} and "
                f"linear layers {linear}; the exporter takes one nn.LSTM / nn.GRU and one "
                f"nn.Linear head: name the {role} module {options}")
        if given is not None and given not in found:
            raise ValueError(f"'{given}' is not a {role} module of this state_dict (those are "
                             f"{found})")
    rnn = rnn_prefix if rnn_prefix is not None else recurrent[0]
    head = head_prefix if head_prefix is not None else linear[0]
    others = sorted(key for key in state
                    if not key.startswith(rnn + ".") and not key.startswith(head + "."))
    if others:
        raise ValueError(f"the state_dict has keys {others[:4]}{' ...' if len(others) > 4 else ''} "
                         f"outside '{rnn}' (recurrent) and '{head}' (head): the exporter takes a "
                         f"recurrent module and a linear head and nothing else")
    desc, arrays = _recurrent_from_state(_split_prefix(state, rnn))
    linear_desc, linear_arrays = _linear_from_state(_split_prefix(state, head))
    head_desc, head_arrays = _head_description(linear_desc["weights"]["W"], linear_arrays,
                                               linear_desc["out_features"], head_over, head_output)
    _attach_head(desc, arrays, head_desc, head_arrays, linear_desc["in_features"],
                 f"the head '{head}'")
    return desc, arrays


def _from_state_dict(state: Mapping[str, Any], rnn_prefix: str | None = None,
                     head_prefix: str | None = None, head_over: str = "last",
                     head_output: str = "logits") -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    keys = set(state)
    if any(key.startswith("weight_hr") or ".weight_hr" in key for key in keys):
        raise ValueError("the state_dict has a projection (weight_hr_l*, nn.LSTM proj_size); "
                         "the compiler takes LSTMs without projections")
    if _LSTM_KEYS <= keys and all(_LSTM_STATE_NAME.fullmatch(key) for key in keys):
        return _recurrent_from_state(state)
    if keys in ({"weight"}, {"weight", "bias"}):
        return _linear_from_state(state)
    if any(".leaves." in key or ".transfers." in key or key.startswith("weights.")
           for key in keys):
        raise ValueError(
            "this looks like an ht_mlir.nn module's own state_dict, which does not record its "
            "HT layout: save the module with ht_mlir.nn.save(module, path) and export that file")
    prefixes = sorted({key.rsplit(".", 1)[0] for key in keys if "." in key})
    recurrent = [prefix for prefix in prefixes
                 if {f"{prefix}.{key}" for key in _LSTM_KEYS} <= keys]
    linear = [prefix for prefix in prefixes
              if f"{prefix}.weight" in keys and getattr(state[f"{prefix}.weight"], "ndim", 0) == 2]
    if recurrent or linear:
        return _model_from_state(state, recurrent, linear, rnn_prefix, head_prefix, head_over,
                                 head_output)
    raise ValueError(
        f"unrecognised state_dict keys {sorted(keys)}: expected those of an nn.LSTM or nn.GRU "
        f"(weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0), of an nn.Linear (weight, bias), "
        f"or of a model holding one of each (lstm.weight_ih_l0, ..., head.weight, head.bias)"
    )


def describe(module: nn.Module, seq_len: int | None = None, batch: int | None = None
             ) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The JSON model description and the float32 ``.npz`` arrays of ``module``."""
    if isinstance(module, (ht_nn.HTLSTM, ht_nn.HTGRU)):
        return module.description(seq_len=seq_len, batch=batch), module.arrays()
    if isinstance(module, ht_nn.HTLinear):
        _no_seq_len(seq_len)
        return module.description(batch=batch), module.arrays()
    if isinstance(module, (nn.LSTM, nn.GRU)):
        if isinstance(module, nn.LSTM):
            _check_torch_lstm(module)
        desc, arrays = _recurrent_from_state(module.state_dict())
        if module.batch_first:
            desc["batch_first"] = True
        return {**desc, "seq_len": seq_len, "batch": batch}, arrays
    if isinstance(module, nn.Linear):
        _no_seq_len(seq_len)
        desc, arrays = _linear_from_state(module.state_dict())
        return {**desc, "batch": batch}, arrays
    if isinstance(module, ht_nn.RecurrentClassifier):
        desc, arrays = describe(module.rnn, seq_len, batch)
        linear_desc, linear_arrays = describe(module.head)
        head_desc, head_arrays = _head_description(
            linear_desc["weights"]["W"], linear_arrays, linear_desc["out_features"],
            module.over, module.output)
        _attach_head(desc, arrays, head_desc, head_arrays, linear_desc["in_features"], "the head")
        return desc, arrays
    raise ValueError(
        f"cannot export a {type(module).__name__}: expected ht_mlir.nn.HTLSTM, ht_mlir.nn.HTGRU, "
        f"ht_mlir.nn.HTLinear, ht_mlir.nn.RecurrentClassifier, torch.nn.LSTM, torch.nn.GRU or "
        f"torch.nn.Linear (a model of your own: wrap its recurrent layers and head in "
        f"ht_mlir.nn.RecurrentClassifier, or export its state_dict)"
    )


def _no_seq_len(seq_len: int | None) -> None:
    if seq_len is not None:
        raise ValueError("seq_len: a linear layer has no sequence length")


def export(module: nn.Module, path: str | os.PathLike[str], *, seq_len: int | None = None,
           batch: int | None = None) -> None:
    """Write ``module`` as an ``ht``-dialect MLIR module with ``@forward`` to ``path``.

    ``seq_len`` and ``batch`` fix those sizes; ``None`` leaves them dynamic.
    """
    desc, arrays = describe(module, seq_len, batch)
    write_mlir(desc, arrays, path)


def load_checkpoint(path: str, seq_len: int | None = None, batch: int | None = None,
                    batch_first: bool = False, *, rnn_prefix: str | None = None,
                    head_prefix: str | None = None, head_over: str = "last",
                    head_output: str = "logits") -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Description and arrays of a checkpoint file (see the module docstring). A whole
    model's state_dict (a recurrent module and a linear head) exports with its head over
    the last step (``head_over="last"``) or every step (``"all"``), giving logits or
    ``"softmax"`` probabilities; ``rnn_prefix`` / ``head_prefix`` name its modules where
    the keys leave them ambiguous."""
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except OSError:
        raise
    except Exception as error:  # torch.load raises RuntimeError, UnpicklingError, EOFError, ...
        hint = ""
        if "weights_only" in str(error) or "Unsupported global" in str(error):
            hint = (" (a pickled module? save its state_dict() instead, or an ht_mlir.nn module "
                    "with ht_mlir.nn.save)")
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ValueError(f"{path}: not a readable torch.save file of tensors: {first}{hint}") from None
    if isinstance(checkpoint, dict) and checkpoint.get("format") == ht_nn.CHECKPOINT_FORMAT:
        if batch_first:
            raise ValueError(f"{path}: batch_first is for an nn.LSTM state_dict; an ht_mlir.nn "
                             "module is time-major")
        return describe(ht_nn.load(path), seq_len, batch)
    if not isinstance(checkpoint, Mapping) or not all(isinstance(v, torch.Tensor) for v in checkpoint.values()):
        raise ValueError(f"{path}: expected an ht_mlir.nn.save checkpoint or a state_dict of tensors")
    desc, arrays = _from_state_dict(checkpoint, rnn_prefix, head_prefix, head_over, head_output)
    if desc["kind"] in ("lstm", "gru"):
        # A state_dict does not record batch_first: say which layout the model takes.
        if batch_first:
            desc["batch_first"] = True
        else:
            print(f"note: {path} is a state_dict, which does not say whether the "
                  f"{desc['kind'].upper()} was batch_first; the exported model takes time-major "
                  "input [T, B, I] (--batch-first for [B, T, I])", file=sys.stderr)
    if desc["kind"] == "linear":
        if batch_first:
            raise ValueError(f"{path}: batch_first is for an nn.LSTM / nn.GRU state_dict, not a "
                             "linear layer")
        _no_seq_len(seq_len)
        return {**desc, "batch": batch}, arrays
    return {**desc, "seq_len": seq_len, "batch": batch}, arrays


def main(argv: Sequence[str] | None = None) -> None:
    parser = cli.ArgumentParser(prog="python3 -m ht_mlir.torch_export", description=__doc__.split("\n")[0])
    parser.add_argument("checkpoint", help="ht_mlir.nn.save file, or an nn.LSTM / nn.GRU / nn.Linear state_dict")
    parser.add_argument("-o", "--output", required=True, help="MLIR file to write")
    parser.add_argument("--seq-len", type=int, help="static sequence length (default: dynamic)")
    parser.add_argument("--batch", type=int, help="static batch size (default: dynamic)")
    parser.add_argument("--batch-first", action="store_true",
                        help="an nn.LSTM / nn.GRU state_dict's input is [B, T, I] (batch_first=True)")
    parser.add_argument("--rnn", metavar="PREFIX",
                        help="a whole model's state_dict: its recurrent module (e.g. lstm)")
    parser.add_argument("--head", metavar="PREFIX",
                        help="a whole model's state_dict: its nn.Linear head (e.g. fc)")
    parser.add_argument("--head-over", choices=HEAD_OVER, default="last",
                        help="the head reads the output's last step (default) or every step")
    parser.add_argument("--head-output", choices=HEAD_OUTPUTS, default="logits",
                        help="the head returns logits (default), softmax probabilities or "
                             "the argmax class (int32)")
    parser.add_argument("--library", metavar="LIB",
                        help="also compile the model with ht-compile into this shared library "
                             "(with --header): export and compile in one command")
    parser.add_argument("--header", metavar="H", help="the C header of --library")
    parser.add_argument("--json", help="also write the model description here")
    parser.add_argument("--npz", help="also write the weights here (float32 .npz)")
    args = parser.parse_args(argv)
    if args.header and not args.library:
        raise ValueError("--header is the C header of --library; give --library too")
    compiler = None
    if args.library:
        from .runtime import _find_compiler
        compiler = _find_compiler(None)
    desc, arrays = load_checkpoint(args.checkpoint, args.seq_len, args.batch, args.batch_first,
                                   rnn_prefix=args.rnn, head_prefix=args.head,
                                   head_over=args.head_over, head_output=args.head_output)
    write_mlir(desc, arrays, args.output)
    if compiler:
        command = [compiler, args.output, "-o", args.library]
        if args.header:
            command += ["--header", args.header]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise ValueError(f"ht-compile failed on {args.output}: "
                             f"{' '.join(result.stderr.split()) or result.returncode}")
    if args.json:
        with atomic_output(args.json) as file:
            json.dump(desc, file, indent=1)
            file.write("\n")
    if args.npz:
        with atomic_output(args.npz, "wb") as file:
            np.savez(file, **arrays)


if __name__ == "__main__":
    raise SystemExit(cli.run(main))
