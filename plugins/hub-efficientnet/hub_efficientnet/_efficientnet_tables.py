"""The stage tables of timm's ``efficientnet`` module's families, and a `NetworkDef` maker per family.

EfficientNet (with its EdgeTPU, CondConv, Lite, pruned, X / H, group-norm and blur
variants), EfficientNetV2, MobileNetV1 / V2, MnasNet, FBNet-C, Single-Path NAS, MixNet,
TinyNet, MobileNet-EdgeTPU and timm's test networks. Torch-free. The tables follow timm's
architecture definitions block for block, so that the published weights fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import Literal

from hub_efficientnet._pruned import PRUNED
from hub_efficientnet.arch import (
    BATCH_NORM,
    TF_PORT,
    NetworkDef,
    NormStyle,
    Stage,
    conv,
    dsconv,
    dsconv_act,
    fused,
    mbconv,
    mbconv_se,
    scale_width,
    stage_table,
    tf_options,
    with_group_size,
)

# --- EfficientNet and its relatives (stem 32, B0's seven stages) --------------------------------

EFFICIENTNET_B0 = stage_table(
    dsconv(1, kernel=3, stride=1, out=16, se=0.25),
    mbconv_se(2, kernel=3, stride=2, expand=6, out=24),
    mbconv_se(2, kernel=5, stride=2, expand=6, out=40),
    mbconv_se(3, kernel=3, stride=2, expand=6, out=80),
    mbconv_se(3, kernel=5, stride=1, expand=6, out=112),
    mbconv_se(4, kernel=5, stride=2, expand=6, out=192),
    mbconv_se(1, kernel=3, stride=1, expand=6, out=320),
)


def efficientnet(
    width: float,
    depth: float,
    *,
    tf: bool = False,
    divisor: int = 8,
    group_size: int | None = None,
    norm: NormStyle = BATCH_NORM,
    aa: Literal["blur"] | None = None,
) -> NetworkDef:
    """EfficientNet-B0 scaled by ``width`` and ``depth`` (B1-B8 and L2 by the compound-scaling table).

    ``group_size`` makes every spatial conv grouped; ``norm`` replaces batch norm; ``aa``
    blurs before every downsampling.
    """
    stages = EFFICIENTNET_B0 if group_size is None else with_group_size(EFFICIENTNET_B0, group_size)
    options = tf_options(tf) if tf else {"norm": norm}
    return NetworkDef(
        stages,
        stem_chs=32,
        head_chs=scale_width(1280, width, divisor=divisor),
        act="silu",
        width=width,
        depth=depth,
        divisor=divisor,
        aa=aa,
        **options,
    )


def efficientnet_pruned(name: str, width: float, depth: float) -> NetworkDef:
    """EfficientNet-B1 to B3 with channels pruned (Knapsack pruning): TensorFlow conventions, own widths."""
    return replace(efficientnet(width, depth, tf=True), pruned=PRUNED[name])


def efficientnet_condconv(depth: float, experts: int, *, tf: bool = False) -> NetworkDef:
    """EfficientNet-B0 / B1 whose last three stages use CondConv (``experts`` kernels mixed per input)."""
    stages = tuple(
        tuple(replace(row, experts=experts) for row in stage) if i >= 4 else stage
        for i, stage in enumerate(EFFICIENTNET_B0)
    )
    return NetworkDef(stages, stem_chs=32, head_chs=1280, act="silu", depth=depth, **tf_options(tf))


def efficientnet_lite(width: float, depth: float, *, tf: bool = False) -> NetworkDef:
    """EfficientNet-Lite: no squeeze-excitation, ReLU6, stem, head and first / last stages unscaled."""
    stages = tuple(tuple(replace(row, se=0.0) for row in stage) for stage in EFFICIENTNET_B0)
    return NetworkDef(
        stages,
        stem_chs=32,
        head_chs=1280,
        act="relu6",
        width=width,
        depth=depth,
        fix_stem=True,
        fix_first_last_depth=True,
        **tf_options(tf),
    )


def tinynet(width: float, depth: float) -> NetworkDef:
    """TinyNet: EfficientNet-B0 shrunk, depths rounded to nearest, the stem and a 1280 head at least kept."""
    return NetworkDef(
        EFFICIENTNET_B0,
        stem_chs=32,
        head_chs=max(1280, scale_width(1280, width)),
        act="silu",
        width=width,
        depth=depth,
        depth_round="round",
        fix_stem=True,
    )


EFFICIENTNET_EDGE = stage_table(
    # The first block expands from 24 channels although its input has 32 (as the TPU definition).
    fused(1, kernel=3, stride=1, expand=4, out=24, force_in_chs=24, residual=False),
    fused(2, kernel=3, stride=2, expand=8, out=32),
    fused(4, kernel=3, stride=2, expand=8, out=48),
    mbconv(5, kernel=5, stride=2, expand=8, out=96),
    mbconv(4, kernel=5, stride=1, expand=8, out=144),
    mbconv(2, kernel=5, stride=2, expand=8, out=192),
)


def efficientnet_edge(width: float, depth: float, *, tf: bool = False) -> NetworkDef:
    """EfficientNet-EdgeTPU (S, M, L): fused blocks early, ReLU, no squeeze-excitation."""
    return NetworkDef(
        EFFICIENTNET_EDGE,
        stem_chs=32,
        head_chs=scale_width(1280, width),
        act="relu",
        width=width,
        depth=depth,
        **tf_options(tf),
    )


def efficientnet_x(width: float, depth: float, *, version: Literal[1, 2] = 1) -> NetworkDef:
    """EfficientNet-X (and -H, version 2): a space-to-depth first block, fused ReLU blocks after it."""
    early = 6 if version == 1 else 4
    stages = stage_table(
        dsconv(1, kernel=3, stride=1, out=16, se=0.25, space_to_depth=True),
        fused(2, kernel=3, stride=2, expand=early, out=24, se=0.25, act="relu"),
        fused(2, kernel=5, stride=2, expand=early, out=40, se=0.25, act="relu"),
        mbconv_se(3, kernel=3, stride=2, expand=early, out=80),
        *EFFICIENTNET_B0[4:],
    )
    return NetworkDef(stages, stem_chs=32, head_chs=scale_width(1280, width), act="silu", width=width, depth=depth)


# --- EfficientNetV2 ------------------------------------------------------------------------------

# The stage pattern of every EfficientNetV2: a conv stage (with residuals), two fused-MBConv
# stages, then MBConv + SE stages; the sizes differ in repeats and widths (M and up add a seventh stage).
_V2_PATTERN = (
    partial(conv, kernel=3, stride=1, residual=True),
    partial(fused, kernel=3, stride=2, expand=4),
    partial(fused, kernel=3, stride=2, expand=4),
    partial(mbconv_se, kernel=3, stride=2, expand=4),
    partial(mbconv_se, kernel=3, stride=1, expand=6),
    partial(mbconv_se, kernel=3, stride=2, expand=6),
    partial(mbconv_se, kernel=3, stride=1, expand=6),
)


def _v2_stages(depths: Sequence[int], widths: Sequence[int]) -> tuple[Stage, ...]:
    pattern = _V2_PATTERN[: len(depths)]
    return tuple((make(repeats, out=chs),) for make, repeats, chs in zip(pattern, depths, widths, strict=True))


_V2_S = _v2_stages((2, 4, 4, 6, 9, 15), (24, 48, 64, 128, 160, 256))
# timm's own small variant, before the official release: a fused first stage, a wider last one.
_V2_RW = (
    (fused(2, kernel=3, stride=1, expand=1, out=24),),
    *_V2_S[1:-1],
    (mbconv_se(15, kernel=3, stride=2, expand=6, out=272),),
)


def efficientnetv2_base(width: float, depth: float) -> NetworkDef:
    """EfficientNetV2-B0 scaled into B1-B3 (widths rounded without the 10% floor); TensorFlow ports."""
    return NetworkDef(
        _v2_stages((1, 2, 2, 3, 5, 8), (16, 32, 48, 96, 112, 192)),
        stem_chs=32,
        head_chs=scale_width(1280, width, round_limit=0.0),
        act="silu",
        width=width,
        depth=depth,
        round_limit=0.0,
        **TF_PORT,
    )


def efficientnetv2_s(*, tf: bool = False) -> NetworkDef:
    return NetworkDef(_V2_S, stem_chs=24, head_chs=1280, act="silu", **tf_options(tf))


def efficientnetv2_rw(width: float, depth: float | tuple[float, ...], *, rw: bool = True) -> NetworkDef:
    """EfficientNetV2-S scaled (T, M): timm's ``rw`` table, or the official one; the head scales too."""
    head = 1792 if rw else 1280
    return NetworkDef(
        _V2_RW if rw else _V2_S,
        stem_chs=24,
        head_chs=scale_width(head, width),
        act="silu",
        width=width,
        depth=depth,
    )


_V2_LARGE = {
    "m": ((3, 5, 5, 7, 14, 18, 5), (24, 48, 80, 160, 176, 304, 512), 24),
    "l": ((4, 7, 7, 10, 19, 25, 7), (32, 64, 96, 192, 224, 384, 640), 32),
    "xl": ((4, 8, 8, 16, 24, 32, 8), (32, 64, 96, 192, 256, 512, 640), 32),
}


def efficientnetv2(size: Literal["m", "l", "xl"], *, tf: bool = False) -> NetworkDef:
    """EfficientNetV2-M, L and XL: seven stages, a 1280 head."""
    depths, widths, stem = _V2_LARGE[size]
    return NetworkDef(_v2_stages(depths, widths), stem_chs=stem, head_chs=1280, act="silu", **tf_options(tf))


# --- MobileNetV1 / V2, MnasNet, FBNet-C, Single-Path NAS, MixNet ---------------------------------


def mobilenetv1(width: float, *, head: bool = False) -> NetworkDef:
    """MobileNetV1: depthwise-separable blocks, ReLU6; ``head`` adds a 1x1 head conv (the ``h`` variant)."""
    stages = stage_table(
        dsconv_act(1, kernel=3, stride=1, out=64),
        dsconv_act(2, kernel=3, stride=2, out=128),
        dsconv_act(2, kernel=3, stride=2, out=256),
        dsconv_act(6, kernel=3, stride=2, out=512),
        dsconv_act(2, kernel=3, stride=2, out=1024),
    )
    head_chs = max(1024, scale_width(1024, width)) if head else 0
    return NetworkDef(stages, stem_chs=32, head_chs=head_chs, act="relu6", width=width)


MOBILENETV2 = stage_table(
    dsconv(1, kernel=3, stride=1, out=16),
    mbconv(2, kernel=3, stride=2, expand=6, out=24),
    mbconv(3, kernel=3, stride=2, expand=6, out=32),
    mbconv(4, kernel=3, stride=2, expand=6, out=64),
    mbconv(3, kernel=3, stride=1, expand=6, out=96),
    mbconv(3, kernel=3, stride=2, expand=6, out=160),
    mbconv(1, kernel=3, stride=1, expand=6, out=320),
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


MNASNET_B1 = stage_table(
    dsconv(1, kernel=3, stride=1, out=16, residual=False),
    mbconv(3, kernel=3, stride=2, expand=3, out=24),
    mbconv(3, kernel=5, stride=2, expand=3, out=40),
    mbconv(3, kernel=5, stride=2, expand=6, out=80),
    mbconv(2, kernel=3, stride=1, expand=6, out=96),
    mbconv(4, kernel=5, stride=2, expand=6, out=192),
    mbconv(1, kernel=3, stride=1, expand=6, out=320, residual=False),
)

MNASNET_A1 = stage_table(
    dsconv(1, kernel=3, stride=1, out=16, residual=False),
    mbconv(2, kernel=3, stride=2, expand=6, out=24),
    mbconv_se(3, kernel=5, stride=2, expand=3, out=40),
    mbconv(4, kernel=3, stride=2, expand=6, out=80),
    mbconv_se(2, kernel=3, stride=1, expand=6, out=112),
    mbconv_se(3, kernel=5, stride=2, expand=6, out=160),
    mbconv(1, kernel=3, stride=1, expand=6, out=320),
)

MNASNET_SMALL = stage_table(
    dsconv(1, kernel=3, stride=1, out=8),
    mbconv(1, kernel=3, stride=2, expand=3, out=16),
    mbconv(2, kernel=3, stride=2, expand=6, out=16),
    mbconv_se(4, kernel=5, stride=2, expand=6, out=32),
    mbconv_se(3, kernel=3, stride=1, expand=6, out=32),
    mbconv_se(3, kernel=5, stride=2, expand=6, out=88),
    mbconv(1, kernel=3, stride=1, expand=6, out=144),
)


def mnasnet(stages: tuple[Stage, ...], width: float, *, stem_chs: int = 32) -> NetworkDef:
    """MnasNet (B1, A1 with squeeze-excitation, small): ReLU, a 1280 head."""
    return NetworkDef(stages, stem_chs=stem_chs, head_chs=1280, act="relu", width=width)


FBNETC = stage_table(
    mbconv(1, kernel=3, stride=1, expand=1, out=16),
    (mbconv(1, kernel=3, stride=2, expand=6, out=24), mbconv(2, kernel=3, stride=1, expand=1, out=24)),
    (
        mbconv(1, kernel=5, stride=2, expand=6, out=32),
        mbconv(1, kernel=5, stride=1, expand=3, out=32),
        mbconv(1, kernel=5, stride=1, expand=6, out=32),
        mbconv(1, kernel=3, stride=1, expand=6, out=32),
    ),
    (
        mbconv(1, kernel=5, stride=2, expand=6, out=64),
        mbconv(1, kernel=5, stride=1, expand=3, out=64),
        mbconv(2, kernel=5, stride=1, expand=6, out=64),
    ),
    (mbconv(3, kernel=5, stride=1, expand=6, out=112), mbconv(1, kernel=5, stride=1, expand=3, out=112)),
    mbconv(4, kernel=5, stride=2, expand=6, out=184),
    mbconv(1, kernel=3, stride=1, expand=6, out=352),
)

SPNASNET = stage_table(
    dsconv(1, kernel=3, stride=1, out=16, residual=False),
    mbconv(3, kernel=3, stride=2, expand=3, out=24),
    (mbconv(1, kernel=5, stride=2, expand=6, out=40), mbconv(3, kernel=3, stride=1, expand=3, out=40)),
    (mbconv(1, kernel=5, stride=2, expand=6, out=80), mbconv(3, kernel=3, stride=1, expand=3, out=80)),
    (mbconv(1, kernel=5, stride=1, expand=6, out=96), mbconv(3, kernel=5, stride=1, expand=3, out=96)),
    mbconv(4, kernel=5, stride=2, expand=6, out=192),
    mbconv(1, kernel=3, stride=1, expand=6, out=320, residual=False),
)

# MixNet: mixed depthwise kernels, and split 1x1 convs ((1, 1): two groups).
_mix = partial(mbconv, act="silu")
_GROUPED = {"exp_kernel": (1, 1), "pw_kernel": (1, 1)}

MIXNET_S = stage_table(
    dsconv(1, kernel=3, stride=1, out=16),
    (
        mbconv(1, kernel=3, stride=2, expand=6, out=24, **_GROUPED),
        mbconv(1, kernel=3, stride=1, expand=3, out=24, **_GROUPED),
    ),
    (
        _mix(1, kernel=(3, 5, 7), stride=2, expand=6, out=40, se=0.5),
        _mix(3, kernel=(3, 5), stride=1, expand=6, out=40, se=0.5, **_GROUPED),
    ),
    (
        _mix(1, kernel=(3, 5, 7), stride=2, expand=6, out=80, se=0.25, pw_kernel=(1, 1)),
        _mix(2, kernel=(3, 5), stride=1, expand=6, out=80, se=0.25, pw_kernel=(1, 1)),
    ),
    (
        _mix(1, kernel=(3, 5, 7), stride=1, expand=6, out=120, se=0.5, **_GROUPED),
        _mix(2, kernel=(3, 5, 7, 9), stride=1, expand=3, out=120, se=0.5, **_GROUPED),
    ),
    (
        _mix(1, kernel=(3, 5, 7, 9, 11), stride=2, expand=6, out=200, se=0.5),
        _mix(2, kernel=(3, 5, 7, 9), stride=1, expand=6, out=200, se=0.5, pw_kernel=(1, 1)),
    ),
)

MIXNET_M = stage_table(
    dsconv(1, kernel=3, stride=1, out=24),
    (
        mbconv(1, kernel=(3, 5, 7), stride=2, expand=6, out=32, **_GROUPED),
        mbconv(1, kernel=3, stride=1, expand=3, out=32, **_GROUPED),
    ),
    (
        _mix(1, kernel=(3, 5, 7, 9), stride=2, expand=6, out=40, se=0.5),
        _mix(3, kernel=(3, 5), stride=1, expand=6, out=40, se=0.5, **_GROUPED),
    ),
    (
        _mix(1, kernel=(3, 5, 7), stride=2, expand=6, out=80, se=0.25),
        _mix(3, kernel=(3, 5, 7, 9), stride=1, expand=6, out=80, se=0.25, **_GROUPED),
    ),
    (
        _mix(1, kernel=3, stride=1, expand=6, out=120, se=0.5),
        _mix(3, kernel=(3, 5, 7, 9), stride=1, expand=3, out=120, se=0.5, **_GROUPED),
    ),
    (
        _mix(1, kernel=(3, 5, 7, 9), stride=2, expand=6, out=200, se=0.5),
        _mix(3, kernel=(3, 5, 7, 9), stride=1, expand=6, out=200, se=0.5, pw_kernel=(1, 1)),
    ),
)


def mixnet(size: Literal["s", "m"], width: float = 1.0, depth: float = 1.0, *, tf: bool = False) -> NetworkDef:
    """MixNet-S, and -M scaled into L, XL and XXL (depths rounded to nearest); ReLU early, SiLU later."""
    small = size == "s"
    return NetworkDef(
        MIXNET_S if small else MIXNET_M,
        stem_chs=16 if small else 24,
        head_chs=1536,
        act="relu",
        width=width,
        depth=depth,
        depth_round="round",
        **tf_options(tf),
    )


# --- MobileNet-EdgeTPU ---------------------------------------------------------------------------

MOBILENET_EDGETPU = stage_table(
    conv(1, kernel=1, stride=1, out=16),
    (fused(1, kernel=3, stride=2, expand=8, out=32), fused(3, kernel=3, stride=1, expand=4, out=32)),
    (fused(1, kernel=3, stride=2, expand=8, out=48), fused(3, kernel=3, stride=1, expand=4, out=48)),
    (mbconv(1, kernel=3, stride=2, expand=8, out=96), mbconv(3, kernel=3, stride=1, expand=4, out=96)),
    (
        mbconv(1, kernel=3, stride=1, expand=8, out=96, residual=False),
        mbconv(3, kernel=3, stride=1, expand=4, out=96),
    ),
    (mbconv(1, kernel=5, stride=2, expand=8, out=160), mbconv(3, kernel=5, stride=1, expand=4, out=160)),
    mbconv(1, kernel=3, stride=1, expand=8, out=192),
)


def mobilenet_edgetpu() -> NetworkDef:
    """MobileNet-EdgeTPU (V1): ReLU, fused blocks in the early stages."""
    return NetworkDef(MOBILENET_EDGETPU, stem_chs=32, head_chs=1280, act="relu")


def _edgetpu_v2_stages(chs: Sequence[int], group_size: int) -> tuple[Stage, ...]:
    grouped = partial(fused, kernel=3, stride=1, expand=4, group_size=group_size)
    return stage_table(
        conv(1, kernel=1, stride=1, out=chs[0]),
        (fused(1, kernel=3, stride=2, expand=8, out=chs[1]), grouped(1, out=chs[1])),
        (
            fused(1, kernel=3, stride=2, expand=8, out=chs[2]),
            grouped(1, out=chs[2]),
            fused(1, kernel=3, stride=1, expand=4, out=chs[2]),
            grouped(1, out=chs[2]),
        ),
        (fused(1, kernel=3, stride=2, expand=8, out=chs[3]), mbconv(3, kernel=3, stride=1, expand=4, out=chs[3])),
        (mbconv(1, kernel=3, stride=1, expand=8, out=chs[4]), mbconv(3, kernel=3, stride=1, expand=4, out=chs[4])),
        (mbconv(1, kernel=3, stride=2, expand=8, out=chs[5]), mbconv(3, kernel=3, stride=1, expand=4, out=chs[5])),
        mbconv(1, kernel=3, stride=1, expand=8, out=chs[6]),
    )


_EDGETPU_V2 = {  # widths, stem (width, kernel), grouped convs' group size, head width
    "xs": ((16, 32, 48, 96, 144, 160, 192), (32, 3), 64, 1280),
    "s": ((24, 48, 64, 128, 160, 192, 256), (64, 5), 64, 1280),
    "m": ((32, 64, 80, 160, 192, 240, 320), (64, 5), 64, 1344),
    "l": ((32, 64, 96, 192, 240, 256, 384), (64, 7), 128, 1408),
}


def mobilenet_edgetpu_v2(size: Literal["xs", "s", "m", "l"]) -> NetworkDef:
    """MobileNet-EdgeTPU-V2: grouped fused blocks, a wider stem with a larger kernel above XS."""
    chs, (stem, stem_kernel), group_size, head = _EDGETPU_V2[size]
    return NetworkDef(
        _edgetpu_v2_stages(chs, group_size), stem_chs=stem, stem_kernel=stem_kernel, head_chs=head, act="relu"
    )


# --- the smallest test networks ------------------------------------------------------------------

TEST_EFFICIENTNET = stage_table(
    conv(1, kernel=3, stride=1, out=16, residual=True),
    fused(1, kernel=3, stride=2, expand=4, out=24),
    fused(1, kernel=3, stride=2, expand=4, out=32),
    mbconv_se(1, kernel=3, stride=2, expand=4, out=48),
    mbconv_se(1, kernel=3, stride=2, expand=4, out=64),
)


def test_efficientnet(norm: NormStyle = BATCH_NORM) -> NetworkDef:
    """timm's five-block test network, with batch, group, layer or EvoNorm-S0 normalisation."""
    return NetworkDef(TEST_EFFICIENTNET, stem_chs=24, head_chs=256, act="silu", round_limit=0.0, norm=norm)
