"""How hub-vit's tests build each architecture small: the parity tests and the conformance kit share it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from support.timm_oracle import on_meta, timm


@dataclass(frozen=True)
class SmallBuild:
    """How an architecture is built for tests that run it: ``size`` pixels, ``depth`` of its ``full_depth`` blocks.

    The size is 64 px (56 at patch 14, a whole number of patches for the models that take
    any size). Every block of a model is built from the same options, so the first few
    blocks run every code path of the full stack: a model is built with as many blocks as
    hold at most `BLOCK_BUDGET` parameters (at least one), which keeps the small ones at
    full depth and builds the wide ones, the 1B+ parameter models among them, shallower.
    """

    BLOCK_BUDGET = 16_000_000

    size: int
    depth: int
    full_depth: int
    full_parameters: int  # of the model as registered

    @property
    def reduced(self) -> bool:
        return self.depth < self.full_depth

    @property
    def kwargs(self) -> dict[str, Any]:
        """Builder arguments of the small model."""
        return {"img_size": self.size, **({"depth": self.depth} if self.reduced else {})}


@functools.cache
def _small_build(arch: str) -> SmallBuild:
    with on_meta():
        model = timm.create_model(arch)
    per_block = sum(p.numel() for p in model.blocks[0].parameters())
    full_depth = len(model.blocks)
    depth = min(full_depth, max(1, SmallBuild.BLOCK_BUDGET // per_block))
    size = 56 if model.patch_embed.patch_size[0] == 14 else 64
    return SmallBuild(size, depth, full_depth, sum(p.numel() for p in model.parameters()))


@pytest.fixture(scope="session")
def small_build() -> Callable[[str], SmallBuild]:
    """``small_build(arch)``: the `SmallBuild` of ``arch``."""
    return _small_build
