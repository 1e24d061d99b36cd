"""Global pooling and the classifier that follows it."""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["POOL_TYPES", "GlobalPool", "create_classifier"]

POOL_TYPES = ("avg", "max", "avgmax", "catavgmax", "")


class GlobalPool(nn.Module):
    """Pool an NCHW map over its spatial dims.

    ``pool_type``: "avg", "max", "avgmax" (mean of both), "catavgmax" (both,
    concatenated: twice the channels) or "" (no pooling, the map passes through).
    """

    def __init__(self, pool_type: str = "avg", flatten: bool = True) -> None:
        super().__init__()
        if pool_type not in POOL_TYPES:
            raise ValueError(f"global_pool must be one of {', '.join(repr(p) for p in POOL_TYPES)}; got {pool_type!r}")
        self.pool_type = pool_type
        self.flatten = flatten and bool(pool_type)

    @property
    def feat_mult(self) -> int:
        """How many times the input channels the pooled output has."""
        return 2 if self.pool_type == "catavgmax" else 1

    def is_identity(self) -> bool:
        return not self.pool_type

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.pool_type:
            return x
        keep = not self.flatten
        if self.pool_type == "avg":
            return x.mean((2, 3), keepdim=keep)
        if self.pool_type == "max":
            return x.amax((2, 3), keepdim=keep)
        x_avg, x_max = x.mean((2, 3), keepdim=keep), x.amax((2, 3), keepdim=keep)
        if self.pool_type == "avgmax":
            return 0.5 * x_avg + 0.5 * x_max
        return torch.cat((x_avg, x_max), dim=1)

    def extra_repr(self) -> str:
        return f"pool_type={self.pool_type!r}, flatten={self.flatten}"


def create_classifier(
    num_features: int, num_classes: int, pool_type: str = "avg", *, use_conv: bool = False
) -> tuple[GlobalPool, nn.Module]:
    """A global pool and the layer after it: Linear, a 1x1 conv with ``use_conv``, or Identity for 0 classes.

    Without pooling (``pool_type=""``) the map is not flattened; pair that with ``use_conv``
    or ``num_classes=0``.
    """
    if num_classes < 0:
        raise ValueError(f"num_classes must be >= 0 (0 removes the classifier), got {num_classes}")
    pool = GlobalPool(pool_type, flatten=not use_conv)
    pooled = num_features * pool.feat_mult
    fc: nn.Module
    if num_classes == 0:
        fc = nn.Identity()
    elif use_conv:
        fc = nn.Conv2d(pooled, num_classes, 1, bias=True)
    else:
        fc = nn.Linear(pooled, num_classes, bias=True)
    return pool, fc
