"""Reading a weight file into a flat state dict, safely and without copying.

safetensors files are memory-mapped. Anything else goes through
``torch.load(weights_only=True)``, which refuses pickled code. Training checkpoints are
unwrapped (``state_dict``, ``model`` and their EMA twins) and the prefixes that
``DistributedDataParallel`` and ``torch.compile`` add to keys are removed.
"""

from __future__ import annotations

import logging
import pickle
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import safetensors
import torch

from hub._weights.source import WeightSource
from hub.errors import CheckpointError

__all__ = ["read_state_dict", "unwrap_checkpoint"]

_logger = logging.getLogger("hub")

# Where training scripts nest the weights, most preferred first (EMA weights evaluate best).
_NESTED_KEYS = ("state_dict_ema", "model_ema", "state_dict", "model")
_KEY_PREFIXES = ("module.", "_orig_mod.")


def read_state_dict(source: WeightSource) -> dict[str, torch.Tensor]:
    """The tensors of a located weight source, keyed as the model names them."""
    if source.state_dict is not None:
        return unwrap_checkpoint(dict(source.state_dict), source.description)
    assert source.path is not None
    raw = _read_file(source.path, source.refetch)
    return unwrap_checkpoint(raw, str(source.path))


def _read_file(path: Path, refetch: str) -> Mapping[str, Any]:
    if _is_safetensors(path):
        try:
            with safetensors.safe_open(str(path), framework="pt", device="cpu") as handle:
                return {key: handle.get_tensor(key) for key in handle.keys()}  # noqa: SIM118
        except (safetensors.SafetensorError, OSError, ValueError) as exc:
            raise CheckpointError(f"{path} is truncated or corrupt ({exc}); {refetch}") from exc
    kind = _torch_file_kind(path)
    if kind is None:
        raise CheckpointError(
            f"{path} is not a checkpoint (neither safetensors nor a file written by torch.save; it starts with "
            f"{_head(path)!r}); point to the weights file itself (.safetensors, or a .pth / .bin from torch.save), "
            f"or {refetch}"
        )
    try:
        loaded = torch.load(path, map_location="cpu", weights_only=True, mmap=kind == "zip")
    except pickle.UnpicklingError as exc:
        raise CheckpointError(
            f"{path} holds Python objects that safe loading refuses ({_refusal(exc)}); hub reads only tensors. "
            "Where the file was made, save the model's state_dict() with torch.save, or convert it to safetensors"
        ) from None
    except (RuntimeError, EOFError, OSError, ValueError, zipfile.BadZipFile) as exc:
        raise CheckpointError(f"{path} is truncated, corrupt or not a checkpoint ({exc}); {refetch}") from exc
    if not isinstance(loaded, Mapping):
        raise CheckpointError(f"{path} holds a {type(loaded).__name__}, not a state dict")
    return loaded


def _is_safetensors(path: Path) -> bool:
    if path.suffix == ".safetensors":
        return True
    # Hub cache blobs have no suffix: a safetensors file starts with an 8-byte header length then '{'.
    with open(path, "rb") as handle:
        head = handle.read(9)
    return len(head) == 9 and head[8:9] == b"{"


def _torch_file_kind(path: Path) -> str | None:
    """ "zip" (torch.save's format), "pickle" (its legacy format), or None for anything else."""
    head = _head(path)
    if head.startswith(b"PK\x03\x04") and zipfile.is_zipfile(path):
        return "zip"
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:  # a pickle's PROTO opcode
        return "pickle"
    return None


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(8)


def _refusal(exc: pickle.UnpicklingError) -> str:
    """The unpickler's reason, without torch's advice to load unsafely."""
    found = re.search(r"Unsupported global: GLOBAL (\S+)", str(exc))
    return f"it refers to {found.group(1)}" if found else "objects other than tensors and containers"


def unwrap_checkpoint(checkpoint: Mapping[str, Any], where: str) -> dict[str, torch.Tensor]:
    """The model weights inside a checkpoint: nested dicts opened, wrapper prefixes removed."""
    for key in _NESTED_KEYS:
        nested = checkpoint.get(key)
        if isinstance(nested, Mapping) and nested:
            _logger.info("using %r from the checkpoint %s", key, where)
            checkpoint = nested
            break
    state_dict: dict[str, torch.Tensor] = {}
    for key, value in checkpoint.items():
        if not isinstance(value, torch.Tensor):
            continue  # optimizer step counts, args and the like
        name = key
        while name.startswith(_KEY_PREFIXES):
            name = name.split(".", 1)[1]
        state_dict[name] = value
    if not state_dict:
        raise CheckpointError(f"{where} holds no tensors")
    return state_dict
