"""A device named by a user (``cpu``, ``cuda``, ``cuda:1``, ``mps``), checked to exist here."""

from __future__ import annotations

import torch

__all__ = ["resolve_device", "synchronize"]


def resolve_device(name: str | torch.device | None) -> torch.device:
    """``name`` as a ``torch.device`` (None: the CPU); a `ValueError` when it is malformed or absent here."""
    if name is None:
        return torch.device("cpu")
    try:
        device = torch.device(name)
    except (RuntimeError, TypeError):
        raise ValueError(f"device {name!r} is not a device name; use cpu, cuda, cuda:N or mps") from None
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(f"device {name!r}: no CUDA device is available here; use --device cpu")
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise ValueError(f"device {name!r}: this machine has {torch.cuda.device_count()} CUDA device(s)")
    elif device.type == "mps" and not torch.backends.mps.is_available():
        raise ValueError(f"device {name!r}: Apple's MPS is not available here; use --device cpu")
    elif device.type not in ("cpu", "cuda", "mps"):
        raise ValueError(f"device {name!r}: hub runs models on cpu, cuda or mps")
    return device


def synchronize(device: torch.device) -> None:
    """Wait for the work queued on ``device``: timings on an accelerator must not end before the work does."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()
