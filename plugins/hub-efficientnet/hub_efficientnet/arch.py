"""The architectures as data: block records, network records, and the build plan.

A network is a table of stages; each stage is one or more rows of identical blocks
(`BlockSpec`). A variant (`NetworkDef`) scales the table by a width multiplier (channels,
rounded to a multiple of the network's divisor) and a depth multiplier (repeats, rounded
per stage), and names its layer conventions: activation, normalisation, squeeze-excitation,
padding, anti-aliasing, head. `plan_network` turns a `NetworkDef` into concrete per-block
settings (`BlockPlan`): channels, stride, dilation, groups, squeeze-excitation width,
stochastic-depth rate. All of it is plain Python on numbers, so it runs the same when the
model is built on the meta device, and imports no torch. The registered variants are in
``_variants``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Literal

from hub.layers.helpers import make_divisible

__all__ = [
    "BATCH_NORM",
    "BATCH_NORM_TF",
    "BN_EPS_TF",
    "TF_EPS",
    "TF_PORT",
    "BlockPlan",
    "BlockSpec",
    "Kernel",
    "NetworkDef",
    "NetworkPlan",
    "NormStyle",
    "PrunedWidths",
    "SqueezeExciteStyle",
    "SqueezePlan",
    "Stage",
    "attention",
    "conv",
    "dsconv",
    "dsconv_act",
    "fused",
    "mbconv",
    "mbconv_se",
    "plan_network",
    "scale_depth",
    "scale_width",
    "stage_table",
    "tf_options",
    "uir",
    "with_group_size",
]

# conv: conv-norm-act; dsconv: depthwise-separable conv; mbconv: inverted residual (1x1
# expand, depthwise, 1x1 project); fused_mbconv: full expand conv, 1x1 project; uir:
# MobileNetV4's universal inverted residual (optional depthwise convs before, between and
# after the 1x1 expand and project); attention: MobileNetV4's multi-query attention.
BlockType = Literal["conv", "dsconv", "mbconv", "fused_mbconv", "uir", "attention"]

# A conv's kernel size, or several (MixNet): the channels split into equal groups, one
# kernel size each, the first group taking the remainder.
Kernel = int | tuple[int, ...]

BN_EPS_TF = 1e-3  # the epsilon of the TensorFlow-trained weights


@dataclass(frozen=True)
class BlockSpec:
    """One row of a stage table: ``repeats`` blocks of one type; only a stage's first block strides.

    ``kernel`` is the block's spatial conv (the depthwise conv of dsconv / mbconv / uir, the
    expansion conv of fused_mbconv, the conv of conv, the key / value downsampling conv of
    attention; 0 leaves a uir without its middle depthwise conv). ``se`` is the
    squeeze-excitation ratio (0: none), ``act`` overrides the network's activation,
    ``residual`` adds the input back wherever the shapes allow it. The other fields belong
    to some block types only:

    - ``exp_kernel`` / ``pw_kernel``: kernels of the 1x1 expansion / projection convs (a
      tuple splits them into groups, MixNet); ``pw_act``: an activation after a dsconv's
      projection (MobileNetV1, LCNet).
    - ``group_size``: channels per group of the spatial conv; None takes the block type's
      default (1, depthwise, for dsconv / mbconv / uir; 0, a full conv, for conv / fused).
    - ``force_in_chs``: a fused block's expansion width is computed from this width (scaled)
      instead of its input's (EfficientNet-EdgeTPU).
    - ``experts``: CondConv experts of an mbconv (0: plain convs).
    - ``space_to_depth``: the block starts with a 2x2 stride-2 conv to four times the
      channels, and the next strided block stops striding (EfficientNet-X).
    - ``dw_start`` / ``dw_end``: kernels of a uir's depthwise convs before the expansion and
      after the projection (0: none).
    - ``heads`` / ``key_dim`` / ``kv_stride``: an attention block's heads, key and value
      width, and the stride of its key / value downsampling.
    """

    block: BlockType
    repeats: int
    kernel: Kernel
    stride: int
    out_chs: int
    expand: float = 1.0
    se: float = 0.0
    act: str | None = None
    residual: bool = True
    exp_kernel: Kernel = 1
    pw_kernel: Kernel = 1
    pw_act: bool = False
    group_size: int | None = None
    force_in_chs: int = 0
    experts: int = 0
    space_to_depth: bool = False
    dw_start: int = 0
    dw_end: int = 0
    heads: int = 0
    key_dim: int = 0
    kv_stride: int = 1


def conv(repeats: int, *, kernel: int, stride: int, out: int, residual: bool = False, **options: Any) -> BlockSpec:
    """Conv-norm-act blocks; a residual only when asked for (EfficientNetV2's first stage)."""
    return BlockSpec("conv", repeats, kernel, stride, out, residual=residual, **options)


def dsconv(repeats: int, *, kernel: Kernel, stride: int, out: int, **options: Any) -> BlockSpec:
    return BlockSpec("dsconv", repeats, kernel, stride, out, **options)


def mbconv(repeats: int, *, kernel: Kernel, stride: int, expand: float, out: int, **options: Any) -> BlockSpec:
    return BlockSpec("mbconv", repeats, kernel, stride, out, expand=expand, **options)


def fused(repeats: int, *, kernel: int, stride: int, expand: float, out: int, **options: Any) -> BlockSpec:
    return BlockSpec("fused_mbconv", repeats, kernel, stride, out, expand=expand, **options)


def uir(repeats: int, *, start: int, mid: int, stride: int, expand: float, out: int, end: int = 0) -> BlockSpec:
    """MobileNetV4's universal inverted residual: ``start`` / ``mid`` / ``end`` depthwise kernels, 0 for none."""
    return BlockSpec("uir", repeats, mid, stride, out, expand=expand, dw_start=start, dw_end=end)


def attention(repeats: int, *, heads: int, key_dim: int, out: int, kv_stride: int = 1, kernel: int = 3) -> BlockSpec:
    """MobileNetV4's multi-query attention: one key / value head shared by ``heads`` query heads."""
    return BlockSpec("attention", repeats, kernel, 1, out, heads=heads, key_dim=key_dim, kv_stride=kv_stride)


# The two most common rows: EfficientNet's MBConv with squeeze-excitation at a quarter of the
# input width, and MobileNetV1's dsconv, activated after both convs, without a residual.
mbconv_se = partial(mbconv, se=0.25)
dsconv_act = partial(dsconv, pw_act=True, residual=False)

Stage = tuple[BlockSpec, ...]


def stage_table(*stages: BlockSpec | Sequence[BlockSpec]) -> tuple[Stage, ...]:
    """A stage table from stages given as one row or a sequence of rows."""
    return tuple((stage,) if isinstance(stage, BlockSpec) else tuple(stage) for stage in stages)


def with_group_size(stages: Sequence[Stage], group_size: int) -> tuple[Stage, ...]:
    """The table with ``group_size`` for every row that does not set its own."""
    return tuple(
        tuple(row if row.group_size is not None else replace(row, group_size=group_size) for row in stage)
        for stage in stages
    )


@dataclass(frozen=True)
class SqueezeExciteStyle:
    """How a network sizes and gates its channel attention.

    ``kind`` "se" is squeeze-excitation, "gc" global context (attention pooling, a layer-normed
    bottleneck). The ratio is of the block's expanded width (``from_expanded``, MobileNetV3)
    or of its input width (EfficientNet: the row's ratio divided by its expansion). The
    bottleneck width is that ratio of the expanded width rounded to the nearest integer, or
    with ``divisor`` to a multiple of it (never more than ``round_limit`` below). ``act``
    overrides the block's activation inside the bottleneck.
    """

    gate: str = "sigmoid"
    act: str | None = None
    from_expanded: bool = False
    divisor: int = 0
    round_limit: float = 0.9
    kind: Literal["se", "gc"] = "se"


@dataclass(frozen=True)
class NormStyle:
    """The network's normalisation: batch norm, group norm, layer norm (over channels) or EvoNorm-S0.

    ``group_size`` is the channels per group of group norm and EvoNorm-S0.
    """

    kind: Literal["batch", "group", "layer", "evonorm"] = "batch"
    eps: float = 1e-5
    group_size: int = 0


BATCH_NORM = NormStyle()
BATCH_NORM_TF = NormStyle(eps=BN_EPS_TF)

# `NetworkDef` presets of the TensorFlow ports: "same" padding and the TensorFlow norm
# epsilon, or the epsilon alone (weights trained in PyTorch with TensorFlow's settings).
TF_PORT: dict[str, Any] = {"tf_padding": True, "norm": BATCH_NORM_TF}
TF_EPS: dict[str, Any] = {"norm": BATCH_NORM_TF}


def tf_options(tf: bool) -> dict[str, Any]:
    """The `TF_PORT` preset for a ``tf_`` port, else nothing."""
    return TF_PORT if tf else {}


@dataclass(frozen=True)
class PrunedWidths:
    """Widths of a channel-pruned network, which no multiplier gives: stem, head and every block.

    ``stages`` holds per stage its output width and, per block, the width of its spatial
    conv and of its squeeze-excitation bottleneck.
    """

    stem: int
    head: int
    stages: tuple[tuple[int, tuple[tuple[int, int], ...]], ...]


@dataclass(frozen=True)
class NetworkDef:
    """A variant: a stage table, its multipliers and its layer conventions.

    ``head_chs`` is the final width of the head conv, already scaled by the family's rule (0:
    no head conv). ``depth`` is one multiplier or one per stage; ``depth_round`` "ceil" grows
    every stage by any multiplier above 1, "round" keeps short stages short. ``divisor`` and
    ``round_limit`` round the scaled widths. ``tf_padding`` selects TensorFlow "same" padding
    (the ``tf_`` ports). ``head`` is "conv" (a 1x1 conv on the last map, then pool:
    EfficientNet) or "efficient" (pool, then the 1x1 conv on the pooled vector, with a bias
    (``head_bias``) or a norm (``head_norm``): MobileNetV3, V4). ``aa`` anti-aliases every
    strided block ("avg" pooling or a "blur" filter after the conv, which then stops
    striding). ``layer_scale`` is the initial layer-scale of uir and attention blocks
    (None: none).
    """

    stages: tuple[Stage, ...]
    stem_chs: int
    head_chs: int
    act: str
    stem_kernel: int = 3
    width: float = 1.0
    depth: float | tuple[float, ...] = 1.0
    depth_round: Literal["ceil", "round"] = "ceil"
    divisor: int = 8
    round_limit: float = 0.9
    fix_stem: bool = False
    fix_first_last_depth: bool = False
    norm: NormStyle = BATCH_NORM
    tf_padding: bool = False
    se_style: SqueezeExciteStyle = field(default_factory=SqueezeExciteStyle)
    head: Literal["conv", "efficient"] = "conv"
    head_bias: bool = True
    head_norm: bool = False
    aa: Literal["avg", "blur"] | None = None
    layer_scale: float | None = None
    pruned: PrunedWidths | None = None

    def channels(self, chs: int) -> int:
        """A table width scaled by the width multiplier."""
        return scale_width(chs, self.width, self.round_limit, self.divisor)


def scale_width(chs: int, width: float, round_limit: float = 0.9, divisor: int = 8) -> int:
    return make_divisible(chs * width, divisor, round_limit=round_limit) if width else chs


def scale_depth(rows: Sequence[BlockSpec], multiplier: float, rounding: str = "ceil") -> list[int]:
    """Repeats per row after scaling the stage's total by ``multiplier`` (rounded up, or to nearest).

    The extra blocks are spread over the rows from the last one back, so that a stage's
    first row, usually the strided one, is the last to grow.
    """
    remaining = sum(row.repeats for row in rows)
    target = max(1, round(remaining * multiplier)) if rounding == "round" else math.ceil(remaining * multiplier)
    counts = []
    for row in reversed(rows):
        count = max(1, round(row.repeats / remaining * target))
        counts.append(count)
        remaining -= row.repeats
        target -= count
    return counts[::-1]


# --- from a definition to concrete blocks -------------------------------------------------------


@dataclass(frozen=True)
class SqueezePlan:
    """A block's channel attention: its bottleneck width, activation, gate and kind."""

    rd_chs: int
    act: str
    gate: str
    kind: str


@dataclass(frozen=True)
class BlockPlan:
    """Everything needed to build one block: resolved widths, stride, dilation and rates, and its row.

    ``mid_chs`` is the width of the block's spatial conv (the expanded width, or the input
    width of a dsconv, four times it after a space-to-depth conv). ``group_size`` is resolved
    (0: a full conv, 1: depthwise). ``kernel`` is already halved after a space-to-depth conv.
    The block type's own options that need no resolving (``exp_kernel``, ``heads``, ...) are
    read from ``row``.
    """

    row: BlockSpec
    in_chs: int
    mid_chs: int
    out_chs: int
    kernel: Kernel
    stride: int
    dilation: int
    act: str
    group_size: int
    se: SqueezePlan | None
    residual: bool
    drop_path: float
    space_to_depth: bool = False

    @property
    def block(self) -> BlockType:
        return self.row.block


@dataclass(frozen=True)
class NetworkPlan:
    """The blocks of every stage, the stem and head widths and the stage outputs (``feature_info``)."""

    stem_chs: int
    head_chs: int
    stages: tuple[tuple[BlockPlan, ...], ...]
    feature_info: tuple[dict[str, Any], ...]

    @property
    def out_chs(self) -> int:
        return self.stages[-1][-1].out_chs


_DEFAULT_GROUP_SIZE: dict[str, int] = {"conv": 0, "dsconv": 1, "mbconv": 1, "fused_mbconv": 0, "uir": 1, "attention": 0}


def plan_network(net: NetworkDef, *, output_stride: int = 32, drop_path_rate: float = 0.0) -> NetworkPlan:
    """Resolve ``net`` into blocks; strides past ``output_stride`` become dilation.

    A stage output is a feature level when the next stage downsamples (or it is the last
    stage); when the first block already strides, the stem output is a level too.
    """
    rows_per_stage = _repeat_rows(net)
    total_blocks = sum(len(rows) for rows in rows_per_stage)
    stem_chs = net.stem_chs if net.fix_stem else net.channels(net.stem_chs)
    in_chs, reduction, dilation, index = stem_chs, 2, 1, 0
    features: list[dict[str, Any]] = []
    first = net.stages[0][0]
    if first.stride > 1 or first.space_to_depth:
        features.append({"stage": 0, "reduction": reduction, "module": "bn1", "num_chs": stem_chs})
    # Space-to-depth: 1 while its block is planned, 2 until the next strided block, which then
    # stops striding (the space-to-depth conv did) and expands a quarter as much.
    s2d = 0
    stages = []
    for stage_idx, rows in enumerate(rows_per_stage):
        blocks = []
        for block_idx, row in enumerate(rows):
            stride = row.stride if block_idx == 0 else 1
            expand = row.expand
            block_s2d = 0
            if not s2d and row.space_to_depth:
                s2d = 1
                reduction *= 2
            if s2d == 2 and stride == 2:
                stride, expand, s2d = 1, expand / 4, 0
            elif s2d:
                block_s2d = s2d
            is_level = block_idx == len(rows) - 1 and (
                stage_idx == len(rows_per_stage) - 1 or (net.stages[stage_idx + 1][0].stride > 1 and not s2d)
            )
            block_dilation = dilation
            if stride > 1:
                if reduction * stride > output_stride:
                    dilation *= stride  # later blocks see the dilated grid; this one just stops striding
                    stride = 1
                else:
                    reduction *= stride
            rate = drop_path_rate * index / total_blocks
            block = _plan_block(net, row, in_chs, stride, block_dilation, expand, block_s2d, rate)
            blocks.append(block)
            in_chs, index = block.out_chs, index + 1
            if s2d == 1:
                s2d = 2
            if is_level:
                features.append(
                    {"stage": stage_idx + 1, "reduction": reduction, "module": f"blocks.{stage_idx}", "num_chs": in_chs}
                )
        stages.append(tuple(blocks))
    plan = NetworkPlan(stem_chs, net.head_chs, tuple(stages), tuple(features))
    return _prune(plan, net.pruned) if net.pruned else plan


def _repeat_rows(net: NetworkDef) -> list[list[BlockSpec]]:
    """Every stage's rows, each repeated as often as the depth multiplier says."""
    last = len(net.stages) - 1
    depths = net.depth if isinstance(net.depth, tuple) else (net.depth,) * len(net.stages)
    rows_per_stage: list[list[BlockSpec]] = []
    for i, (stage, depth) in enumerate(zip(net.stages, depths, strict=True)):
        fixed = net.fix_first_last_depth and i in (0, last)
        counts = scale_depth(stage, 1.0 if fixed else depth, net.depth_round)
        rows_per_stage.append([row for row, count in zip(stage, counts, strict=True) for _ in range(count)])
    return rows_per_stage


def _plan_block(
    net: NetworkDef,
    row: BlockSpec,
    in_chs: int,
    stride: int,
    dilation: int,
    expand: float,
    s2d: int,
    drop_path: float,
) -> BlockPlan:
    out_chs = net.channels(row.out_chs) * (4 if s2d else 1)
    kernel = row.kernel
    if row.block in ("mbconv", "uir"):
        mid_chs = make_divisible(in_chs * expand)
    elif row.block == "fused_mbconv":
        mid_chs = make_divisible((net.channels(row.force_in_chs) if row.force_in_chs else in_chs) * expand)
    elif row.block == "dsconv":
        mid_chs = in_chs * 4 if s2d == 1 else in_chs
        if s2d == 1:
            assert isinstance(kernel, int)
            kernel = (kernel + 1) // 2
    elif row.block == "conv":
        mid_chs = out_chs
    else:
        mid_chs = in_chs
    act = row.act or net.act
    return BlockPlan(
        row=row,
        in_chs=in_chs,
        mid_chs=mid_chs,
        out_chs=out_chs,
        kernel=kernel,
        stride=stride,
        dilation=dilation,
        act=act,
        group_size=_DEFAULT_GROUP_SIZE[row.block] if row.group_size is None else row.group_size,
        se=_squeeze(net.se_style, row, expand, s2d, mid_chs, act) if row.se else None,
        residual=row.residual and stride == 1 and in_chs == out_chs,
        drop_path=drop_path,
        space_to_depth=s2d == 1,
    )


def _squeeze(style: SqueezeExciteStyle, row: BlockSpec, expand: float, s2d: int, chs: int, act: str) -> SqueezePlan:
    """The attention bottleneck, computed in the order that rounds as the published weights expect."""
    ratio = row.se
    if not style.from_expanded:
        ratio /= expand if row.block in ("mbconv", "fused_mbconv", "uir") else 1.0
    if s2d == 1:
        ratio /= 4
    if style.kind == "gc":
        rd_chs = make_divisible(chs * ratio, 1, round_limit=0.0)
    elif style.divisor:
        rd_chs = make_divisible(chs * ratio, style.divisor, round_limit=style.round_limit)
    else:
        rd_chs = round(chs * ratio)
    return SqueezePlan(rd_chs, style.act or act, style.gate, style.kind)


def _prune(plan: NetworkPlan, widths: PrunedWidths) -> NetworkPlan:
    """``plan`` with a pruned network's widths; residuals stay where the unpruned network has them."""
    stages = []
    in_chs = widths.stem
    for blocks, (out_chs, block_widths) in zip(plan.stages, widths.stages, strict=True):
        pruned = []
        for block, (mid_chs, rd_chs) in zip(blocks, block_widths, strict=True):
            se = replace(block.se, rd_chs=rd_chs) if block.se else None
            pruned.append(replace(block, in_chs=in_chs, mid_chs=mid_chs, out_chs=out_chs, se=se))
            in_chs = out_chs
        stages.append(tuple(pruned))
    features = tuple(
        {**info, "num_chs": widths.stem if info["stage"] == 0 else widths.stages[info["stage"] - 1][0]}
        for info in plan.feature_info
    )
    return NetworkPlan(widths.stem, widths.head, tuple(stages), features)
