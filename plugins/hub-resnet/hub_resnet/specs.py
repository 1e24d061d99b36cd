"""The ResNet family as data: one `ResNetSpec` per registered variant. No torch here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["SPECS", "ResNetSpec"]


@dataclass(frozen=True)
class ResNetSpec:
    """One ResNet variant.

    ``block``: "basic" (two 3x3) or "bottleneck" (1x1-3x3-1x1, 4x expansion).
    ``depths``: blocks per stage. ``cardinality`` / ``base_width``: groups and width of the
    3x3 conv (ResNeXt, Wide ResNet). ``stem``: "" (7x7 conv), "deep" (three 3x3 convs,
    the "c"/"d" variants) or "deep_tiered" (the "t" variants). ``avg_down``: average-pool
    shortcuts (the "d" and "t" variants). ``attention``: "se", "eca" or None.
    """

    block: str
    depths: tuple[int, int, int, int]
    cardinality: int = 1
    base_width: int = 64
    stem: str = ""
    stem_width: int = 64
    avg_down: bool = False
    attention: str | None = None


def _d(block: str, depths: tuple[int, int, int, int], **changes: Any) -> ResNetSpec:
    """A "d" variant: a deep stem and average-pooled shortcuts."""
    return ResNetSpec(block, depths, stem="deep", stem_width=32, avg_down=True, **changes)


SPECS: dict[str, ResNetSpec] = {
    "resnet10t": ResNetSpec("basic", (1, 1, 1, 1), stem="deep_tiered", stem_width=32, avg_down=True),
    "resnet14t": ResNetSpec("bottleneck", (1, 1, 1, 1), stem="deep_tiered", stem_width=32, avg_down=True),
    "resnet18": ResNetSpec("basic", (2, 2, 2, 2)),
    "resnet18d": _d("basic", (2, 2, 2, 2)),
    "resnet26": ResNetSpec("bottleneck", (2, 2, 2, 2)),
    "resnet26d": _d("bottleneck", (2, 2, 2, 2)),
    "resnet34": ResNetSpec("basic", (3, 4, 6, 3)),
    "resnet34d": _d("basic", (3, 4, 6, 3)),
    "resnet50": ResNetSpec("bottleneck", (3, 4, 6, 3)),
    "resnet50d": _d("bottleneck", (3, 4, 6, 3)),
    "resnet101": ResNetSpec("bottleneck", (3, 4, 23, 3)),
    "resnet101d": _d("bottleneck", (3, 4, 23, 3)),
    "resnet152": ResNetSpec("bottleneck", (3, 8, 36, 3)),
    "resnet152d": _d("bottleneck", (3, 8, 36, 3)),
    "resnet200d": _d("bottleneck", (3, 24, 36, 3)),
    "wide_resnet50_2": ResNetSpec("bottleneck", (3, 4, 6, 3), base_width=128),
    "wide_resnet101_2": ResNetSpec("bottleneck", (3, 4, 23, 3), base_width=128),
    "resnext50_32x4d": ResNetSpec("bottleneck", (3, 4, 6, 3), cardinality=32, base_width=4),
    "resnext50d_32x4d": _d("bottleneck", (3, 4, 6, 3), cardinality=32, base_width=4),
    "resnext101_32x4d": ResNetSpec("bottleneck", (3, 4, 23, 3), cardinality=32, base_width=4),
    "resnext101_32x8d": ResNetSpec("bottleneck", (3, 4, 23, 3), cardinality=32, base_width=8),
    "resnext101_64x4d": ResNetSpec("bottleneck", (3, 4, 23, 3), cardinality=64, base_width=4),
    "seresnet50": ResNetSpec("bottleneck", (3, 4, 6, 3), attention="se"),
    "seresnext50_32x4d": ResNetSpec("bottleneck", (3, 4, 6, 3), cardinality=32, base_width=4, attention="se"),
    "seresnext101_32x4d": ResNetSpec("bottleneck", (3, 4, 23, 3), cardinality=32, base_width=4, attention="se"),
    "ecaresnet50d": _d("bottleneck", (3, 4, 6, 3), attention="eca"),
}
