"""The architectures as data: block records, one stage table per family, and the build plan.

A family is a table of stages; each stage is one or more rows of identical blocks
(`BlockSpec`). A variant scales the table by a width multiplier (channels, rounded to a
multiple of 8) and a depth multiplier (repeats, rounded up per stage). `plan_network`
turns a `NetworkDef` into concrete per-block settings (`BlockPlan`): channels, stride,
dilation, squeeze-excitation width, stochastic-depth rate. All of it is plain Python on
numbers: no tensors, so it runs the same when the model is built on the meta device.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

from hub.layers.helpers import make_divisible

__all__ = [
    "VARIANTS",
    "BlockPlan",
    "BlockSpec",
    "NetworkDef",
    "NetworkPlan",
    "SqueezeExciteStyle",
    "efficientnet",
    "efficientnetv2",
    "mobilenetv2",
    "mobilenetv3",
    "plan_network",
]

# conv: conv-norm-act; dsconv: depthwise-separable conv; mbconv: inverted residual
# (1x1 expand, depthwise, 1x1 project); fused_mbconv: full expand conv, 1x1 project.
BlockType = Literal["conv", "dsconv", "mbconv", "fused_mbconv"]

BN_EPS_TF = 1e-3  # the epsilon of the TensorFlow-trained weights


@dataclass(frozen=True)
class BlockSpec:
    """One row of a stage table: ``repeats`` blocks of one type; only a stage's first block strides.

    ``se`` is the squeeze-excitation ratio (0: none), ``act`` overrides the network's
    activation, ``residual`` adds the input back wherever the shapes allow it.
    """

    block: BlockType
    repeats: int
    kernel: int
    stride: int
    out_chs: int
    expand: float = 1.0
    se: float = 0.0
    act: str | None = None
    residual: bool = True


def conv(repeats: int, *, kernel: int, stride: int, out: int, **options: Any) -> BlockSpec:
    return BlockSpec("conv", repeats, kernel, stride, out, **options)


def dsconv(repeats: int, *, kernel: int, stride: int, out: int, **options: Any) -> BlockSpec:
    return BlockSpec("dsconv", repeats, kernel, stride, out, **options)


def mbconv(repeats: int, *, kernel: int, stride: int, expand: float, out: int, **options: Any) -> BlockSpec:
    return BlockSpec("mbconv", repeats, kernel, stride, out, expand=expand, **options)


def fused(repeats: int, *, kernel: int, stride: int, expand: float, out: int, **options: Any) -> BlockSpec:
    return BlockSpec("fused_mbconv", repeats, kernel, stride, out, expand=expand, **options)


Stage = tuple[BlockSpec, ...]


@dataclass(frozen=True)
class SqueezeExciteStyle:
    """How a family sizes and gates its squeeze-excitation.

    EfficientNet: the ratio is of the block's input width, rounded to the nearest integer,
    with the block's activation and a sigmoid gate. MobileNetV3 (``of_expanded``): the ratio
    is of the expanded width, rounded to a multiple of 8, with ReLU and a hard-sigmoid gate.
    """

    gate: str = "sigmoid"
    act: str | None = None
    of_expanded: bool = False


@dataclass(frozen=True)
class NetworkDef:
    """A variant: a family's stage table, its multipliers and its layer conventions.

    ``head_chs`` is the final width of the head conv, already scaled by the family's rule.
    ``tf_padding`` selects TensorFlow "same" padding (the ``tf_`` ports). ``head`` is "conv"
    (a 1x1 conv on the last map, then pool: EfficientNet, MobileNetV2) or "efficient" (pool,
    then the 1x1 conv on the pooled vector: MobileNetV3).
    """

    stages: tuple[Stage, ...]
    stem_chs: int
    head_chs: int
    act: str
    width: float = 1.0
    depth: float = 1.0
    round_limit: float = 0.9
    fix_stem: bool = False
    fix_first_last_depth: bool = False
    bn_eps: float = 1e-5
    tf_padding: bool = False
    se_style: SqueezeExciteStyle = field(default_factory=SqueezeExciteStyle)
    head: Literal["conv", "efficient"] = "conv"

    def channels(self, chs: int) -> int:
        """A table width scaled by the width multiplier."""
        return scale_width(chs, self.width, self.round_limit)


def scale_width(chs: int, width: float, round_limit: float = 0.9) -> int:
    return make_divisible(chs * width, 8, round_limit=round_limit) if width else chs


def scale_depth(rows: Sequence[BlockSpec], multiplier: float) -> list[int]:
    """Repeats per row after scaling the stage's total by ``multiplier`` (rounded up).

    The extra blocks are spread over the rows from the last one back, so that a stage's
    first row, usually the strided one, is the last to grow.
    """
    remaining = sum(row.repeats for row in rows)
    target = math.ceil(remaining * multiplier)
    counts = []
    for row in reversed(rows):
        count = max(1, round(row.repeats / remaining * target))
        counts.append(count)
        remaining -= row.repeats
        target -= count
    return counts[::-1]


# --- the families -------------------------------------------------------------------------------


def _tf_options(tf: bool) -> dict[str, Any]:
    return {"bn_eps": BN_EPS_TF, "tf_padding": True} if tf else {}


EFFICIENTNET_B0: tuple[Stage, ...] = (
    (dsconv(1, kernel=3, stride=1, out=16, se=0.25),),
    (mbconv(2, kernel=3, stride=2, expand=6, out=24, se=0.25),),
    (mbconv(2, kernel=5, stride=2, expand=6, out=40, se=0.25),),
    (mbconv(3, kernel=3, stride=2, expand=6, out=80, se=0.25),),
    (mbconv(3, kernel=5, stride=1, expand=6, out=112, se=0.25),),
    (mbconv(4, kernel=5, stride=2, expand=6, out=192, se=0.25),),
    (mbconv(1, kernel=3, stride=1, expand=6, out=320, se=0.25),),
)


def efficientnet(width: float, depth: float, *, tf: bool = False) -> NetworkDef:
    """EfficientNet-B0 scaled by ``width`` and ``depth`` (B1-B7 by the compound-scaling table)."""
    return NetworkDef(
        EFFICIENTNET_B0,
        stem_chs=32,
        head_chs=scale_width(1280, width),
        act="silu",
        width=width,
        depth=depth,
        **_tf_options(tf),
    )


# EfficientNetV2's stage pattern: a conv stage, two fused-MBConv stages, then MBConv + SE
# stages; the sizes differ in repeats and widths (and M / L add a seventh stage).
_V2_PATTERN = (
    partial(conv, kernel=3, stride=1),
    partial(fused, kernel=3, stride=2, expand=4),
    partial(fused, kernel=3, stride=2, expand=4),
    partial(mbconv, kernel=3, stride=2, expand=4, se=0.25),
    partial(mbconv, kernel=3, stride=1, expand=6, se=0.25),
    partial(mbconv, kernel=3, stride=2, expand=6, se=0.25),
    partial(mbconv, kernel=3, stride=1, expand=6, se=0.25),
)


def _efficientnetv2_stages(depths: Sequence[int], widths: Sequence[int]) -> tuple[Stage, ...]:
    pattern = _V2_PATTERN[: len(depths)]
    return tuple((make(repeats, out=chs),) for make, repeats, chs in zip(pattern, depths, widths, strict=True))


@dataclass(frozen=True)
class _V2Size:
    depths: tuple[int, ...]
    widths: tuple[int, ...]
    stem_chs: int
    head_chs: int
    scale_head: bool = True
    round_limit: float = 0.9


_V2_SIZES = {
    "base": _V2Size((1, 2, 2, 3, 5, 8), (16, 32, 48, 96, 112, 192), 32, 1280, round_limit=0.0),
    "s": _V2Size((2, 4, 4, 6, 9, 15), (24, 48, 64, 128, 160, 256), 24, 1280),
    "m": _V2Size((3, 5, 5, 7, 14, 18, 5), (24, 48, 80, 160, 176, 304, 512), 24, 1280, scale_head=False),
    "l": _V2Size((4, 7, 7, 10, 19, 25, 7), (32, 64, 96, 192, 224, 384, 640), 32, 1280, scale_head=False),
}


def efficientnetv2(
    size: Literal["base", "s", "m", "l", "rw_s"], width: float = 1.0, depth: float = 1.0, *, tf: bool = False
) -> NetworkDef:
    """EfficientNetV2 of a given size; ``base`` is scaled into B0-B3 by the multipliers.

    ``rw_s`` is timm's own small variant that predates the official release: a fused
    first stage, a wider last stage and a 1792-wide head.
    """
    spec = _V2_SIZES["s" if size == "rw_s" else size]
    stages = _efficientnetv2_stages(spec.depths, spec.widths)
    head_chs = spec.head_chs
    if size == "rw_s":
        stages = (
            (fused(2, kernel=3, stride=1, expand=1, out=24),),
            *stages[1:-1],
            (mbconv(15, kernel=3, stride=2, expand=6, out=272, se=0.25),),
        )
        head_chs = 1792
    return NetworkDef(
        stages,
        stem_chs=spec.stem_chs,
        head_chs=scale_width(head_chs, width, spec.round_limit) if spec.scale_head else head_chs,
        act="silu",
        width=width,
        depth=depth,
        round_limit=spec.round_limit,
        **_tf_options(tf),
    )


MOBILENETV2: tuple[Stage, ...] = (
    (dsconv(1, kernel=3, stride=1, out=16),),
    (mbconv(2, kernel=3, stride=2, expand=6, out=24),),
    (mbconv(3, kernel=3, stride=2, expand=6, out=32),),
    (mbconv(4, kernel=3, stride=2, expand=6, out=64),),
    (mbconv(3, kernel=3, stride=1, expand=6, out=96),),
    (mbconv(3, kernel=3, stride=2, expand=6, out=160),),
    (mbconv(1, kernel=3, stride=1, expand=6, out=320),),
)


def mobilenetv2(width: float, depth: float = 1.0, *, fix_stem_head: bool = False) -> NetworkDef:
    """MobileNetV2; ``fix_stem_head`` keeps the stem, head and first/last stage depths unscaled."""
    return NetworkDef(
        MOBILENETV2,
        stem_chs=32,
        head_chs=1280 if fix_stem_head else max(1280, scale_width(1280, width)),
        act="relu6",
        width=width,
        depth=depth,
        fix_stem=fix_stem_head,
        fix_first_last_depth=fix_stem_head,
    )


MOBILENETV3_LARGE: tuple[Stage, ...] = (
    (dsconv(1, kernel=3, stride=1, out=16, act="relu"),),
    (
        mbconv(1, kernel=3, stride=2, expand=4, out=24, act="relu"),
        mbconv(1, kernel=3, stride=1, expand=3, out=24, act="relu"),
    ),
    (mbconv(3, kernel=5, stride=2, expand=3, out=40, se=0.25, act="relu"),),
    (
        mbconv(1, kernel=3, stride=2, expand=6, out=80),
        mbconv(1, kernel=3, stride=1, expand=2.5, out=80),
        mbconv(2, kernel=3, stride=1, expand=2.3, out=80),
    ),
    (mbconv(2, kernel=3, stride=1, expand=6, out=112, se=0.25),),
    (mbconv(3, kernel=5, stride=2, expand=6, out=160, se=0.25),),
    (conv(1, kernel=1, stride=1, out=960, residual=False),),
)

MOBILENETV3_SMALL: tuple[Stage, ...] = (
    (dsconv(1, kernel=3, stride=2, out=16, se=0.25, act="relu"),),
    (
        mbconv(1, kernel=3, stride=2, expand=4.5, out=24, act="relu"),
        mbconv(1, kernel=3, stride=1, expand=3.67, out=24, act="relu"),
    ),
    (
        mbconv(1, kernel=5, stride=2, expand=4, out=40, se=0.25),
        mbconv(2, kernel=5, stride=1, expand=6, out=40, se=0.25),
    ),
    (mbconv(2, kernel=5, stride=1, expand=3, out=48, se=0.25),),
    (mbconv(3, kernel=5, stride=2, expand=6, out=96, se=0.25),),
    (conv(1, kernel=1, stride=1, out=576, residual=False),),
)


def mobilenetv3(size: Literal["large", "small"], width: float = 1.0, *, tf: bool = False) -> NetworkDef:
    """MobileNetV3 with hard-swish; its head (pool, 1x1 conv, classifier) lives in the model."""
    return NetworkDef(
        MOBILENETV3_LARGE if size == "large" else MOBILENETV3_SMALL,
        stem_chs=16,
        head_chs=1280 if size == "large" else 1024,
        act="hard_swish",
        width=width,
        fix_stem=width < 0.75,
        se_style=SqueezeExciteStyle(gate="hard_sigmoid", act="relu", of_expanded=True),
        head="efficient",
        **_tf_options(tf),
    )


# --- the registered variants -------------------------------------------------------------------

VARIANTS: dict[str, NetworkDef] = {
    # EfficientNet, trained in PyTorch and ported from TensorFlow
    "efficientnet_b0": efficientnet(1.0, 1.0),
    "efficientnet_b1": efficientnet(1.0, 1.1),
    "efficientnet_b2": efficientnet(1.1, 1.2),
    "efficientnet_b3": efficientnet(1.2, 1.4),
    "efficientnet_b4": efficientnet(1.4, 1.8),
    "efficientnet_b5": efficientnet(1.6, 2.2),
    "tf_efficientnet_b0": efficientnet(1.0, 1.0, tf=True),
    "tf_efficientnet_b1": efficientnet(1.0, 1.1, tf=True),
    "tf_efficientnet_b2": efficientnet(1.1, 1.2, tf=True),
    "tf_efficientnet_b3": efficientnet(1.2, 1.4, tf=True),
    "tf_efficientnet_b4": efficientnet(1.4, 1.8, tf=True),
    "tf_efficientnet_b5": efficientnet(1.6, 2.2, tf=True),
    "tf_efficientnet_b6": efficientnet(1.8, 2.6, tf=True),
    "tf_efficientnet_b7": efficientnet(2.0, 3.1, tf=True),
    # EfficientNetV2
    "tf_efficientnetv2_b0": efficientnetv2("base", tf=True),
    "tf_efficientnetv2_b1": efficientnetv2("base", 1.0, 1.1, tf=True),
    "tf_efficientnetv2_b2": efficientnetv2("base", 1.1, 1.2, tf=True),
    "tf_efficientnetv2_b3": efficientnetv2("base", 1.2, 1.4, tf=True),
    "tf_efficientnetv2_s": efficientnetv2("s", tf=True),
    "tf_efficientnetv2_m": efficientnetv2("m", tf=True),
    "tf_efficientnetv2_l": efficientnetv2("l", tf=True),
    "efficientnetv2_rw_t": efficientnetv2("s", 0.8, 0.9),
    "efficientnetv2_rw_s": efficientnetv2("rw_s"),
    # MobileNetV2
    "mobilenetv2_100": mobilenetv2(1.0),
    "mobilenetv2_110d": mobilenetv2(1.1, 1.2, fix_stem_head=True),
    "mobilenetv2_120d": mobilenetv2(1.2, 1.4, fix_stem_head=True),
    "mobilenetv2_140": mobilenetv2(1.4),
    # MobileNetV3 (pool first, then the head conv on the pooled vector)
    "mobilenetv3_large_100": mobilenetv3("large", 1.0),
    "mobilenetv3_small_100": mobilenetv3("small", 1.0),
    "tf_mobilenetv3_large_100": mobilenetv3("large", 1.0, tf=True),
}


# --- from a definition to concrete blocks -------------------------------------------------------


@dataclass(frozen=True)
class BlockPlan:
    """Everything needed to build one block: resolved widths, stride, dilation and rates."""

    block: BlockType
    in_chs: int
    mid_chs: int
    out_chs: int
    kernel: int
    stride: int
    dilation: int
    act: str
    se_chs: int
    se_act: str
    se_gate: str
    residual: bool
    drop_path: float


@dataclass(frozen=True)
class NetworkPlan:
    """The blocks of every stage, the stem width and the stage outputs (``feature_info``)."""

    stem_chs: int
    stages: tuple[tuple[BlockPlan, ...], ...]
    feature_info: tuple[dict[str, Any], ...]

    @property
    def out_chs(self) -> int:
        return self.stages[-1][-1].out_chs


def plan_network(net: NetworkDef, *, output_stride: int = 32, drop_path_rate: float = 0.0) -> NetworkPlan:
    """Resolve ``net`` into blocks; strides past ``output_stride`` become dilation.

    A stage output is a feature level when the next stage downsamples (or it is the last
    stage); when the first stage already strides, the stem output is a level too.
    """
    last = len(net.stages) - 1
    rows_per_stage: list[list[BlockSpec]] = []
    for i, stage in enumerate(net.stages):
        fixed = net.fix_first_last_depth and i in (0, last)
        counts = scale_depth(stage, 1.0 if fixed else net.depth)
        rows_per_stage.append([row for row, count in zip(stage, counts, strict=True) for _ in range(count)])
    total_blocks = sum(len(rows) for rows in rows_per_stage)

    stem_chs = net.stem_chs if net.fix_stem else net.channels(net.stem_chs)
    in_chs, reduction, dilation, index = stem_chs, 2, 1, 0
    features: list[dict[str, Any]] = []
    if net.stages[0][0].stride > 1:
        features.append({"stage": 0, "reduction": reduction, "module": "bn1", "num_chs": stem_chs})
    stages = []
    for stage_idx, rows in enumerate(rows_per_stage):
        blocks = []
        for block_idx, row in enumerate(rows):
            stride = row.stride if block_idx == 0 else 1
            block_dilation = dilation
            if stride > 1:
                if reduction * stride > output_stride:
                    dilation *= stride  # later blocks see the dilated grid; this one just stops striding
                    stride = 1
                else:
                    reduction *= stride
            out_chs = net.channels(row.out_chs)
            blocks.append(
                _plan_block(net, row, in_chs, out_chs, stride, block_dilation, drop_path_rate * index / total_blocks)
            )
            in_chs, index = out_chs, index + 1
        stages.append(tuple(blocks))
        if stage_idx == last or net.stages[stage_idx + 1][0].stride > 1:
            features.append(
                {"stage": stage_idx + 1, "reduction": reduction, "module": f"blocks.{stage_idx}", "num_chs": in_chs}
            )
    return NetworkPlan(stem_chs, tuple(stages), tuple(features))


def _plan_block(
    net: NetworkDef, row: BlockSpec, in_chs: int, out_chs: int, stride: int, dilation: int, drop_path: float
) -> BlockPlan:
    if row.block in ("mbconv", "fused_mbconv"):
        mid_chs = make_divisible(in_chs * row.expand)
    elif row.block == "dsconv":
        mid_chs = in_chs
    else:
        mid_chs = out_chs
    act = row.act or net.act
    style = net.se_style
    se_chs = _se_channels(style, row, mid_chs) if row.se else 0
    return BlockPlan(
        block=row.block,
        in_chs=in_chs,
        mid_chs=mid_chs,
        out_chs=out_chs,
        kernel=row.kernel,
        stride=stride,
        dilation=dilation,
        act=act,
        se_chs=se_chs,
        se_act=style.act or act,
        se_gate=style.gate,
        residual=row.residual and stride == 1 and in_chs == out_chs,
        drop_path=drop_path,
    )


def _se_channels(style: SqueezeExciteStyle, row: BlockSpec, mid_chs: int) -> int:
    if style.of_expanded:
        return make_divisible(mid_chs * row.se)
    # EfficientNet sizes SE from the block input: the ratio of the expanded width divided
    # by the expansion, computed in this order so that it rounds as the weights expect.
    return round(mid_chs * (row.se / row.expand))
