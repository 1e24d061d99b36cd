"""Activation (gradient) checkpointing over a sequence of modules."""

from __future__ import annotations

from collections.abc import Iterable

import torch
import torch.utils.checkpoint
from torch import nn

__all__ = ["checkpoint_seq"]


def checkpoint_seq(modules: nn.Sequential | Iterable[nn.Module], x: torch.Tensor) -> torch.Tensor:
    """Run ``modules`` in order, recomputing each one's activations in backward instead of storing them."""
    for module in modules:
        x = torch.utils.checkpoint.checkpoint(module, x, use_reentrant=False)
    return x
