"""Normalisation fused with the activation that follows it, under the norm's own parameter names."""

from __future__ import annotations

import torch
from torch import nn

from hub.layers.activations import create_act
from hub.layers.tracing import register_leaf_module

__all__ = ["BatchNormAct2d"]


@register_leaf_module
class BatchNormAct2d(nn.BatchNorm2d):
    """`nn.BatchNorm2d` then an activation (``act``, a name from `hub.layers.ACTIVATIONS`, or None).

    A subclass of the norm rather than a container, so that the state-dict keys stay the
    norm's own (``bn1.weight``, not ``bn1.bn.weight``), as in timm's weights. A leaf for
    tracing: the norm's input check branches on the input's rank.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, act: str | None = None) -> None:
        super().__init__(num_features, eps=eps)
        self.act = create_act(act, inplace=True) if act else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(super().forward(x))
