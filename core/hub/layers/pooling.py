"""Global pooling and the classifier that follows it, and placing a layer added after building."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import torch
from torch import nn

__all__ = ["POOL_TYPES", "GlobalPool", "check_pool_type", "create_classifier", "place_like"]

POOL_TYPES = ("avg", "max", "avgmax", "catavgmax", "")

_Module = TypeVar("_Module", bound=nn.Module)


def check_pool_type(
    pool_type: str,
    num_classes: int = 0,
    *,
    allowed: Sequence[str] = POOL_TYPES,
    classifier_takes_maps: bool = False,
    hint: str = "",
) -> None:
    """`ValueError` unless ``pool_type`` is one of ``allowed`` and fits the classifier.

    Without pooling ("") the features stay a map (or tokens), which a Linear classifier
    cannot take: that needs ``num_classes=0``, unless the classifier works on maps
    (``classifier_takes_maps``: a 1x1 conv, a per-token Linear). ``hint`` is added to the
    message (why a family leaves a pool type out, say).
    """
    if pool_type not in allowed:
        raise ValueError(f"global_pool must be one of {', '.join(repr(p) for p in allowed)}{hint}; got {pool_type!r}")
    if not pool_type and num_classes > 0 and not classifier_takes_maps:
        raise ValueError(
            "global_pool='' keeps the feature map, which a classifier cannot take; use it with num_classes=0, "
            f"or pick a pooling ({', '.join(repr(p) for p in allowed if p)})"
        )


def place_like(module: _Module, model: nn.Module) -> _Module:
    """``module`` (a layer made after the model was built) on the model's device and dtype, in its mode.

    A new classifier made by ``reset_classifier`` must run where the rest of the model
    runs, in the same precision, and train or evaluate with it.
    """
    reference: torch.Tensor | None = next(model.parameters(), None)
    if reference is None:
        reference = next(model.buffers(), None)
    if reference is not None:
        module.to(device=reference.device, dtype=reference.dtype)
    return module.train(model.training)


class GlobalPool(nn.Module):
    """Pool an NCHW map over its spatial dims.

    ``pool_type``: "avg", "max", "avgmax" (mean of both), "catavgmax" (both,
    concatenated: twice the channels) or "" (no pooling, the map passes through).
    """

    def __init__(self, pool_type: str = "avg", flatten: bool = True) -> None:
        super().__init__()
        check_pool_type(pool_type)
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

    Without pooling (``pool_type=""``) the map is not flattened, so it needs ``use_conv`` or
    ``num_classes=0`` (a `ValueError` otherwise).
    """
    if num_classes < 0:
        raise ValueError(f"num_classes must be >= 0 (0 removes the classifier), got {num_classes}")
    check_pool_type(pool_type, num_classes, classifier_takes_maps=use_conv)
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
