"""Weight initialisers shared by families."""

from __future__ import annotations

import math

import torch

__all__ = ["trunc_normal_"]


def trunc_normal_(
    tensor: torch.Tensor, std: float = 1.0, mean: float = 0.0, a: float = -2.0, b: float = 2.0
) -> torch.Tensor:
    """Fill ``tensor`` from N(mean, std²) truncated to [a, b], by inverse CDF.

    Exact, fast on the CPU, and made of in-place operations only, which hub skips when it
    builds a model for weights it is about to load. ``torch.nn.init.trunc_normal_`` redraws
    out-of-range values in a loop instead, which is slow for large tensors.
    """
    scale = std * math.sqrt(2.0)
    low, high = math.erf((a - mean) / scale), math.erf((b - mean) / scale)  # 2 * cdf - 1 at the bounds
    with torch.no_grad():
        return tensor.uniform_(low, high).erfinv_().mul_(scale).add_(mean).clamp_(a, b)
