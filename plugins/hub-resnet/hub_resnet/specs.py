"""The ResNet family as data: one `ResNetSpec` per registered variant. No torch here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub_resnet._pruned import ECARESNET50D_PRUNED, ECARESNET101D_PRUNED, PrunedStage

__all__ = ["BLOCK_EXPANSION", "SPECS", "ResNetSpec"]

# Output channels of a block per channel of its stage's nominal width.
BLOCK_EXPANSION = {"basic": 1, "bottleneck": 4}
_STEMS = ("", "deep", "deep_tiered")
_STEM_POOLS = ("max", "conv")
_ATTENTION = (None, "se", "eca")
_ANTI_ALIAS = (None, "avg", "blur")
_NORMS = ("batch", "group")

Depths = tuple[int, int, int, int]
Block = str | tuple[str, str, str, str]


@dataclass(frozen=True)
class ResNetSpec:
    """One ResNet variant.

    ``block``: "basic" (two 3x3) or "bottleneck" (1x1-3x3-1x1, 4x expansion), or one per stage.
    ``depths``: blocks per stage; ``channels``: each stage's nominal width (before expansion).
    ``cardinality`` / ``base_width``: groups and width of the 3x3 conv (ResNeXt, Wide ResNet).
    ``reduce_first``: the first conv of a block is this many times narrower (SENet-154).
    ``stem``: "" (7x7 conv, 64 channels), "deep" (three 3x3 convs, the "c", "d" and "s"
    variants) or "deep_tiered" (the "t" variants), ``stem_width`` wide. ``stem_pool``: "max"
    (3x3 max pool) or "conv" (a strided 3x3 conv, ResNet-RS).
    ``avg_down``: average-pool shortcuts (the "d" and "t" variants); ``down_kernel_size``:
    the kernel of strided shortcut convs. ``attention``: "se", "eca" or None, with
    ``se_ratio`` the width of SE's bottleneck. ``anti_alias``: "avg" or "blur" pooling
    before every stride (the "aa" and "blur" variants). ``norm``: "batch" or "group".
    ``pruned``: explicit per-layer widths (the pruned variants) instead of the width rule.
    """

    block: Block
    depths: Depths
    channels: tuple[int, int, int, int] = (64, 128, 256, 512)
    cardinality: int = 1
    base_width: int = 64
    reduce_first: int = 1
    stem: str = ""
    stem_width: int = 64
    stem_pool: str = "max"
    avg_down: bool = False
    down_kernel_size: int = 1
    attention: str | None = None
    se_ratio: float = 1 / 16
    anti_alias: str | None = None
    norm: str = "batch"
    pruned: tuple[PrunedStage, ...] | None = None

    def __post_init__(self) -> None:
        blocks = (self.block,) if isinstance(self.block, str) else self.block
        for name, value, allowed in (
            ("stem", self.stem, _STEMS),
            ("stem_pool", self.stem_pool, _STEM_POOLS),
            ("attention", self.attention, _ATTENTION),
            ("anti_alias", self.anti_alias, _ANTI_ALIAS),
            ("norm", self.norm, _NORMS),
            *(("block", b, tuple(BLOCK_EXPANSION)) for b in blocks),
        ):
            if value not in allowed:
                raise ValueError(f"ResNetSpec.{name} must be one of {allowed}, got {value!r}")
        if "basic" in blocks and (self.cardinality != 1 or self.base_width != 64):
            raise ValueError("ResNetSpec: basic blocks have no groups or width factor (cardinality=1, base_width=64)")
        if self.pruned is not None and tuple(len(s.blocks) for s in self.pruned) != self.depths:
            raise ValueError("ResNetSpec.pruned must give widths for every block of every stage")

    @property
    def stage_blocks(self) -> tuple[str, str, str, str]:
        """The block kind of each stage."""
        if isinstance(self.block, str):
            return (self.block,) * 4  # type: ignore[return-value]
        return self.block

    @property
    def stem_chs(self) -> int:
        """Channels out of the stem (the 7x7 stem is always 64 wide)."""
        return self.stem_width * 2 if self.stem else 64

    def stage_out_chs(self, stage: int) -> int:
        """Channels out of every block of ``stage``."""
        if self.pruned is not None:
            return self.pruned[stage].out_chs
        return self.channels[stage] * BLOCK_EXPANSION[self.stage_blocks[stage]]


BASIC, BOTTLENECK = "basic", "bottleneck"
D18: Depths = (2, 2, 2, 2)
D34: Depths = (3, 4, 6, 3)
D101: Depths = (3, 4, 23, 3)
D152: Depths = (3, 8, 36, 3)
D200: Depths = (3, 24, 36, 3)
D269: Depths = (3, 30, 48, 8)


def _c(block: Block, depths: Depths, **changes: Any) -> ResNetSpec:
    """A "c" variant: a deep stem (32, 32, 64)."""
    return ResNetSpec(block, depths, stem="deep", stem_width=32, **changes)


def _d(block: Block, depths: Depths, **changes: Any) -> ResNetSpec:
    """A "d" variant: a deep stem and average-pooled shortcuts."""
    return ResNetSpec(block, depths, **{"stem": "deep", "stem_width": 32, "avg_down": True, **changes})


def _s(block: Block, depths: Depths, **changes: Any) -> ResNetSpec:
    """An "s" variant: a wide deep stem (64, 64, 128)."""
    return ResNetSpec(block, depths, stem="deep", stem_width=64, **changes)


def _t(block: Block, depths: Depths, **changes: Any) -> ResNetSpec:
    """A "t" variant: a tiered deep stem (24, 32, 64) and average-pooled shortcuts."""
    return ResNetSpec(block, depths, stem="deep_tiered", stem_width=32, avg_down=True, **changes)


def _rs(depths: Depths) -> ResNetSpec:
    """ResNet-RS ("Revisiting ResNets", arXiv:2103.07579): a "d" ResNet, conv stem pool, SE at 1/4."""
    return _d(BOTTLENECK, depths, stem_pool="conv", attention="se", se_ratio=0.25)


_X32x4: dict[str, Any] = {"cardinality": 32, "base_width": 4}
_X32x8: dict[str, Any] = {"cardinality": 32, "base_width": 8}
_X64x4: dict[str, Any] = {"cardinality": 64, "base_width": 4}
_SE: dict[str, Any] = {"attention": "se"}
_ECA: dict[str, Any] = {"attention": "eca"}
_AA: dict[str, Any] = {"anti_alias": "avg"}
_BLUR: dict[str, Any] = {"anti_alias": "blur"}

SPECS: dict[str, ResNetSpec] = {
    # ResNet, and its stem and shortcut variants (https://arxiv.org/abs/1812.01187)
    "resnet10t": _t(BASIC, (1, 1, 1, 1)),
    "resnet14t": _t(BOTTLENECK, (1, 1, 1, 1)),
    "resnet18": ResNetSpec(BASIC, D18),
    "resnet18d": _d(BASIC, D18),
    "resnet26": ResNetSpec(BOTTLENECK, D18),
    "resnet26d": _d(BOTTLENECK, D18),
    "resnet26t": _t(BOTTLENECK, D18),
    "resnet34": ResNetSpec(BASIC, D34),
    "resnet34d": _d(BASIC, D34),
    "resnet50": ResNetSpec(BOTTLENECK, D34),
    "resnet50c": _c(BOTTLENECK, D34),
    "resnet50d": _d(BOTTLENECK, D34),
    "resnet50s": _s(BOTTLENECK, D34),
    "resnet50t": _t(BOTTLENECK, D34),
    "resnet101": ResNetSpec(BOTTLENECK, D101),
    "resnet101c": _c(BOTTLENECK, D101),
    "resnet101d": _d(BOTTLENECK, D101),
    "resnet101s": _s(BOTTLENECK, D101),
    "resnet152": ResNetSpec(BOTTLENECK, D152),
    "resnet152c": _c(BOTTLENECK, D152),
    "resnet152d": _d(BOTTLENECK, D152),
    "resnet152s": _s(BOTTLENECK, D152),
    "resnet200": ResNetSpec(BOTTLENECK, D200),
    "resnet200d": _d(BOTTLENECK, D200),
    "resnet50_gn": ResNetSpec(BOTTLENECK, D34, norm="group"),
    # Wide ResNet and ResNeXt
    "wide_resnet50_2": ResNetSpec(BOTTLENECK, D34, base_width=128),
    "wide_resnet101_2": ResNetSpec(BOTTLENECK, D101, base_width=128),
    "resnext50_32x4d": ResNetSpec(BOTTLENECK, D34, **_X32x4),
    "resnext50d_32x4d": _d(BOTTLENECK, D34, **_X32x4),
    "resnext101_32x4d": ResNetSpec(BOTTLENECK, D101, **_X32x4),
    "resnext101_32x8d": ResNetSpec(BOTTLENECK, D101, **_X32x8),
    "resnext101_32x16d": ResNetSpec(BOTTLENECK, D101, cardinality=32, base_width=16),
    "resnext101_32x32d": ResNetSpec(BOTTLENECK, D101, cardinality=32, base_width=32),
    "resnext101_64x4d": ResNetSpec(BOTTLENECK, D101, **_X64x4),
    # Efficient channel attention (https://arxiv.org/abs/1910.03151)
    "ecaresnet26t": _t(BOTTLENECK, D18, **_ECA),
    "ecaresnet50d": _d(BOTTLENECK, D34, **_ECA),
    "ecaresnet50d_pruned": _d(BOTTLENECK, D34, pruned=ECARESNET50D_PRUNED, **_ECA),
    "ecaresnet50t": _t(BOTTLENECK, D34, **_ECA),
    "ecaresnetlight": ResNetSpec(BOTTLENECK, (1, 1, 11, 3), stem_width=32, avg_down=True, **_ECA),
    "ecaresnet101d": _d(BOTTLENECK, D101, **_ECA),
    "ecaresnet101d_pruned": _d(BOTTLENECK, D101, pruned=ECARESNET101D_PRUNED, **_ECA),
    "ecaresnet200d": _d(BOTTLENECK, D200, **_ECA),
    "ecaresnet269d": _d(BOTTLENECK, D269, **_ECA),
    "ecaresnext26t_32x4d": _t(BOTTLENECK, D18, **_X32x4, **_ECA),
    "ecaresnext50t_32x4d": _t(BOTTLENECK, D34, **_X32x4, **_ECA),
    # Squeeze-and-excitation (https://arxiv.org/abs/1709.01507)
    "seresnet18": ResNetSpec(BASIC, D18, **_SE),
    "seresnet34": ResNetSpec(BASIC, D34, **_SE),
    "seresnet50": ResNetSpec(BOTTLENECK, D34, **_SE),
    "seresnet50t": _t(BOTTLENECK, D34, **_SE),
    "seresnet101": ResNetSpec(BOTTLENECK, D101, **_SE),
    "seresnet152": ResNetSpec(BOTTLENECK, D152, **_SE),
    "seresnet152d": _d(BOTTLENECK, D152, **_SE),
    "seresnet200d": _d(BOTTLENECK, D200, **_SE),
    "seresnet269d": _d(BOTTLENECK, D269, **_SE),
    "seresnext26d_32x4d": _d(BOTTLENECK, D18, **_X32x4, **_SE),
    "seresnext26t_32x4d": _t(BOTTLENECK, D18, **_X32x4, **_SE),
    "seresnext50_32x4d": ResNetSpec(BOTTLENECK, D34, **_X32x4, **_SE),
    "seresnext101_32x4d": ResNetSpec(BOTTLENECK, D101, **_X32x4, **_SE),
    "seresnext101_32x8d": ResNetSpec(BOTTLENECK, D101, **_X32x8, **_SE),
    "seresnext101d_32x8d": _d(BOTTLENECK, D101, **_X32x8, **_SE),
    "seresnext101_64x4d": ResNetSpec(BOTTLENECK, D101, **_X64x4, **_SE),
    "senet154": _s(BOTTLENECK, D152, reduce_first=2, down_kernel_size=3, **_X64x4, **_SE),
    # Anti-aliased: blur pooling (https://arxiv.org/abs/1904.11486) or average pooling before each stride
    "resnetblur18": ResNetSpec(BASIC, D18, **_BLUR),
    "resnetblur50": ResNetSpec(BOTTLENECK, D34, **_BLUR),
    "resnetblur50d": _d(BOTTLENECK, D34, **_BLUR),
    "resnetblur101d": _d(BOTTLENECK, D101, **_BLUR),
    "resnetaa34d": _d(BASIC, D34, **_AA),
    "resnetaa50": ResNetSpec(BOTTLENECK, D34, **_AA),
    "resnetaa50d": _d(BOTTLENECK, D34, **_AA),
    "resnetaa101d": _d(BOTTLENECK, D101, **_AA),
    "seresnetaa50d": _d(BOTTLENECK, D34, **_AA, **_SE),
    "seresnextaa101d_32x8d": _d(BOTTLENECK, D101, **_X32x8, **_AA, **_SE),
    "seresnextaa201d_32x8d": _d(BOTTLENECK, (3, 24, 36, 4), stem_width=64, **_X32x8, **_AA, **_SE),
    # ResNet-RS
    "resnetrs50": _rs(D34),
    "resnetrs101": _rs(D101),
    "resnetrs152": _rs(D152),
    "resnetrs200": _rs(D200),
    "resnetrs270": _rs((4, 29, 53, 4)),
    "resnetrs350": _rs((4, 36, 72, 4)),
    "resnetrs420": _rs((4, 44, 87, 4)),
    # timm's tiny test network: mixed blocks, narrow stages
    "test_resnet": _d((BASIC, BASIC, BOTTLENECK, BASIC), (1, 1, 1, 1), stem_width=16, channels=(32, 48, 48, 96)),
}
