"""Resampling absolute position embeddings to another token grid."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from hub.layers.tracing import register_leaf_function

__all__ = ["PosEmbedGrid", "resample_abs_pos_embed"]


@dataclass(frozen=True)
class PosEmbedGrid:
    """How a model lays out an absolute position embedding: prefix tokens, then a token grid.

    A model opts into resampling of pretrained embeddings by returning these from
    ``pos_embed_grids()``, keyed by parameter name; the core then resamples a checkpoint
    embedding made for another grid (another image size) to ``grid_size``.
    """

    num_prefix_tokens: int
    grid_size: tuple[int, int]


@register_leaf_function  # reads the grid sizes as ints
def resample_abs_pos_embed(
    pos_embed: torch.Tensor,
    new_size: tuple[int, int] | list[int],
    old_size: tuple[int, int] | list[int] | None = None,
    num_prefix_tokens: int = 1,
    interpolation: str = "bicubic",
    antialias: bool = True,
) -> torch.Tensor:
    """Interpolate a (1, prefix + H*W, C) embedding to a ``new_size`` grid, keeping the prefix tokens.

    ``old_size`` defaults to the square grid the embedding holds. Interpolation runs in
    float32 and the result has the input's dtype.
    """
    num_tokens = pos_embed.shape[1]
    new_h, new_w = int(new_size[0]), int(new_size[1])
    if old_size is None:
        side = int(math.sqrt(num_tokens - num_prefix_tokens))
        if side * side != num_tokens - num_prefix_tokens:
            raise ValueError(
                f"a position embedding of {num_tokens} tokens with {num_prefix_tokens} prefix tokens "
                "is not a square grid; pass old_size"
            )
        old_size = (side, side)
    old_h, old_w = int(old_size[0]), int(old_size[1])
    if (old_h, old_w) == (new_h, new_w):
        return pos_embed
    prefix, grid = pos_embed[:, :num_prefix_tokens], pos_embed[:, num_prefix_tokens:]
    dim = grid.shape[-1]
    grid = grid.float().reshape(1, old_h, old_w, dim).permute(0, 3, 1, 2)
    grid = F.interpolate(grid, size=(new_h, new_w), mode=interpolation, antialias=antialias)
    grid = grid.permute(0, 2, 3, 1).reshape(1, new_h * new_w, dim).to(pos_embed.dtype)
    return torch.cat([prefix, grid], dim=1) if num_prefix_tokens else grid
