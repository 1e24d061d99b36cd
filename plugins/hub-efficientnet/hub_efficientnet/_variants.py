"""Every registered variant as data: the stage tables of each family and the `NetworkDef` per name.

Torch-free. A family is a function from its multipliers (and options) to a `NetworkDef`;
``VARIANTS`` maps each registered name to one. The tables follow timm's architecture
definitions block for block, so that the published weights fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import Any, Literal

from hub_efficientnet._pruned import PRUNED
from hub_efficientnet.arch import (
    BATCH_NORM,
    BN_EPS_TF,
    BlockSpec,
    NetworkDef,
    NormStyle,
    SqueezeExciteStyle,
    Stage,
    attention,
    conv,
    dsconv,
    fused,
    mbconv,
    scale_width,
    uir,
    with_group_size,
)

__all__ = ["VARIANTS"]

# TensorFlow ports: "same" padding and the TensorFlow norm epsilon.
_TF: dict[str, Any] = {"tf_padding": True, "norm": NormStyle(eps=BN_EPS_TF)}
_TF_EPS: dict[str, Any] = {"norm": NormStyle(eps=BN_EPS_TF)}


def _options(tf: bool) -> dict[str, Any]:
    return _TF if tf else {}


def _stages(*stages: BlockSpec | Sequence[BlockSpec]) -> tuple[Stage, ...]:
    """A stage table from stages given as one row or a sequence of rows."""
    return tuple((stage,) if isinstance(stage, BlockSpec) else tuple(stage) for stage in stages)


# --- EfficientNet and its relatives (stem 32, B0's seven stages) --------------------------------

_se = partial(mbconv, se=0.25)

EFFICIENTNET_B0 = _stages(
    dsconv(1, kernel=3, stride=1, out=16, se=0.25),
    _se(2, kernel=3, stride=2, expand=6, out=24),
    _se(2, kernel=5, stride=2, expand=6, out=40),
    _se(3, kernel=3, stride=2, expand=6, out=80),
    _se(3, kernel=5, stride=1, expand=6, out=112),
    _se(4, kernel=5, stride=2, expand=6, out=192),
    _se(1, kernel=3, stride=1, expand=6, out=320),
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
    options = _options(tf) if tf else {"norm": norm}
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
    return NetworkDef(stages, stem_chs=32, head_chs=1280, act="silu", depth=depth, **_options(tf))


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
        **_options(tf),
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


EFFICIENTNET_EDGE = _stages(
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
        **_options(tf),
    )


def efficientnet_x(width: float, depth: float, *, version: Literal[1, 2] = 1) -> NetworkDef:
    """EfficientNet-X (and -H, version 2): a space-to-depth first block, fused ReLU blocks after it."""
    early = 6 if version == 1 else 4
    stages = _stages(
        dsconv(1, kernel=3, stride=1, out=16, se=0.25, space_to_depth=True),
        fused(2, kernel=3, stride=2, expand=early, out=24, se=0.25, act="relu"),
        fused(2, kernel=5, stride=2, expand=early, out=40, se=0.25, act="relu"),
        _se(3, kernel=3, stride=2, expand=early, out=80),
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
    partial(_se, kernel=3, stride=2, expand=4),
    partial(_se, kernel=3, stride=1, expand=6),
    partial(_se, kernel=3, stride=2, expand=6),
    partial(_se, kernel=3, stride=1, expand=6),
)


def _v2_stages(depths: Sequence[int], widths: Sequence[int]) -> tuple[Stage, ...]:
    pattern = _V2_PATTERN[: len(depths)]
    return tuple((make(repeats, out=chs),) for make, repeats, chs in zip(pattern, depths, widths, strict=True))


_V2_S = _v2_stages((2, 4, 4, 6, 9, 15), (24, 48, 64, 128, 160, 256))
# timm's own small variant, before the official release: a fused first stage, a wider last one.
_V2_RW = (
    (fused(2, kernel=3, stride=1, expand=1, out=24),),
    *_V2_S[1:-1],
    (_se(15, kernel=3, stride=2, expand=6, out=272),),
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
        **_TF,
    )


def efficientnetv2_s(*, tf: bool = False) -> NetworkDef:
    return NetworkDef(_V2_S, stem_chs=24, head_chs=1280, act="silu", **_options(tf))


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
    return NetworkDef(_v2_stages(depths, widths), stem_chs=stem, head_chs=1280, act="silu", **_options(tf))


# --- MobileNetV1 / V2, MnasNet, FBNet-C, Single-Path NAS, MixNet ---------------------------------

_dsa = partial(dsconv, pw_act=True, residual=False)  # MobileNetV1's block: act after both convs, no residual


def mobilenetv1(width: float, *, head: bool = False) -> NetworkDef:
    """MobileNetV1: depthwise-separable blocks, ReLU6; ``head`` adds a 1x1 head conv (the ``h`` variant)."""
    stages = _stages(
        _dsa(1, kernel=3, stride=1, out=64),
        _dsa(2, kernel=3, stride=2, out=128),
        _dsa(2, kernel=3, stride=2, out=256),
        _dsa(6, kernel=3, stride=2, out=512),
        _dsa(2, kernel=3, stride=2, out=1024),
    )
    head_chs = max(1024, scale_width(1024, width)) if head else 0
    return NetworkDef(stages, stem_chs=32, head_chs=head_chs, act="relu6", width=width)


MOBILENETV2 = _stages(
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


MNASNET_B1 = _stages(
    dsconv(1, kernel=3, stride=1, out=16, residual=False),
    mbconv(3, kernel=3, stride=2, expand=3, out=24),
    mbconv(3, kernel=5, stride=2, expand=3, out=40),
    mbconv(3, kernel=5, stride=2, expand=6, out=80),
    mbconv(2, kernel=3, stride=1, expand=6, out=96),
    mbconv(4, kernel=5, stride=2, expand=6, out=192),
    mbconv(1, kernel=3, stride=1, expand=6, out=320, residual=False),
)

MNASNET_A1 = _stages(
    dsconv(1, kernel=3, stride=1, out=16, residual=False),
    mbconv(2, kernel=3, stride=2, expand=6, out=24),
    _se(3, kernel=5, stride=2, expand=3, out=40),
    mbconv(4, kernel=3, stride=2, expand=6, out=80),
    _se(2, kernel=3, stride=1, expand=6, out=112),
    _se(3, kernel=5, stride=2, expand=6, out=160),
    mbconv(1, kernel=3, stride=1, expand=6, out=320),
)

MNASNET_SMALL = _stages(
    dsconv(1, kernel=3, stride=1, out=8),
    mbconv(1, kernel=3, stride=2, expand=3, out=16),
    mbconv(2, kernel=3, stride=2, expand=6, out=16),
    _se(4, kernel=5, stride=2, expand=6, out=32),
    _se(3, kernel=3, stride=1, expand=6, out=32),
    _se(3, kernel=5, stride=2, expand=6, out=88),
    mbconv(1, kernel=3, stride=1, expand=6, out=144),
)


def mnasnet(stages: tuple[Stage, ...], width: float, *, stem_chs: int = 32) -> NetworkDef:
    """MnasNet (B1, A1 with squeeze-excitation, small): ReLU, a 1280 head."""
    return NetworkDef(stages, stem_chs=stem_chs, head_chs=1280, act="relu", width=width)


FBNETC = _stages(
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

SPNASNET = _stages(
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

MIXNET_S = _stages(
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

MIXNET_M = _stages(
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
        **_options(tf),
    )


# --- MobileNet-EdgeTPU ---------------------------------------------------------------------------

MOBILENET_EDGETPU = _stages(
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
    return _stages(
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

TEST_EFFICIENTNET = _stages(
    conv(1, kernel=3, stride=1, out=16, residual=True),
    fused(1, kernel=3, stride=2, expand=4, out=24),
    fused(1, kernel=3, stride=2, expand=4, out=32),
    _se(1, kernel=3, stride=2, expand=4, out=48),
    _se(1, kernel=3, stride=2, expand=4, out=64),
)


def test_efficientnet(norm: NormStyle = BATCH_NORM) -> NetworkDef:
    """timm's five-block test network, with batch, group, layer or EvoNorm-S0 normalisation."""
    return NetworkDef(TEST_EFFICIENTNET, stem_chs=24, head_chs=256, act="silu", round_limit=0.0, norm=norm)


# --- MobileNetV3 and relatives (efficient head: pool, then the head conv) ------------------------

# MobileNetV3's squeeze-excitation: of the expanded width, to a multiple of 8, ReLU and hard-sigmoid.
_MNV3_SE = SqueezeExciteStyle(gate="hard_sigmoid", act="relu", from_expanded=True, divisor=8)

MOBILENETV3_LARGE = _stages(
    dsconv(1, kernel=3, stride=1, out=16, act="relu"),
    (
        mbconv(1, kernel=3, stride=2, expand=4, out=24, act="relu"),
        mbconv(1, kernel=3, stride=1, expand=3, out=24, act="relu"),
    ),
    mbconv(3, kernel=5, stride=2, expand=3, out=40, se=0.25, act="relu"),
    (
        mbconv(1, kernel=3, stride=2, expand=6, out=80),
        mbconv(1, kernel=3, stride=1, expand=2.5, out=80),
        mbconv(2, kernel=3, stride=1, expand=2.3, out=80),
    ),
    _se(2, kernel=3, stride=1, expand=6, out=112),
    _se(3, kernel=5, stride=2, expand=6, out=160),
    conv(1, kernel=1, stride=1, out=960),
)

MOBILENETV3_SMALL = _stages(
    dsconv(1, kernel=3, stride=2, out=16, se=0.25, act="relu"),
    (
        mbconv(1, kernel=3, stride=2, expand=4.5, out=24, act="relu"),
        mbconv(1, kernel=3, stride=1, expand=3.67, out=24, act="relu"),
    ),
    (_se(1, kernel=5, stride=2, expand=4, out=40), _se(2, kernel=5, stride=1, expand=6, out=40)),
    _se(2, kernel=5, stride=1, expand=3, out=48),
    _se(3, kernel=5, stride=2, expand=6, out=96),
    conv(1, kernel=1, stride=1, out=576),
)


def _minimal(stages: tuple[Stage, ...]) -> tuple[Stage, ...]:
    """The "minimal" MobileNetV3: no squeeze-excitation, 3x3 kernels, the network's ReLU everywhere."""
    return tuple(
        tuple(replace(row, se=0.0, act=None, kernel=3 if row.block != "conv" else row.kernel) for row in stage)
        for stage in stages
    )


def mobilenetv3(
    size: Literal["large", "small"], width: float = 1.0, depth: float = 1.0, *, minimal: bool = False, tf: bool = False
) -> NetworkDef:
    """MobileNetV3 with hard-swish (ReLU for ``minimal``); its head (pool, 1x1 conv, classifier) lives in the model."""
    stages = MOBILENETV3_LARGE if size == "large" else MOBILENETV3_SMALL
    return NetworkDef(
        _minimal(stages) if minimal else stages,
        stem_chs=16,
        head_chs=1280 if size == "large" else 1024,
        act="relu" if minimal else "hard_swish",
        width=width,
        depth=depth,
        fix_stem=width < 0.75,
        se_style=_MNV3_SE,
        head="efficient",
        **_options(tf),
    )


def mobilenetv3_rw() -> NetworkDef:
    """timm's own MobileNetV3-Large, before the reference release: no residual in the first block,
    squeeze-excitation rounded to nearest with the block's activation, no head conv bias."""
    first = replace(MOBILENETV3_LARGE[0][0], residual=False)
    return NetworkDef(
        ((first,), *MOBILENETV3_LARGE[1:]),
        stem_chs=16,
        head_chs=1280,
        act="hard_swish",
        se_style=SqueezeExciteStyle(gate="hard_sigmoid", from_expanded=True),
        head="efficient",
        head_bias=False,
        **_TF_EPS,
    )


def _fbnetv3_stages(
    stem_rows: int, widths: Sequence[int], rows: Sequence[Sequence[tuple[int, int, float]]], head: int
) -> tuple[Stage, ...]:
    """FBNetV3's pattern: a dsconv stage, five stages of (repeats, kernel, expansion) rows, a 1x1 conv.

    The first row of stages 1-5 strides (but stage 4's); stages 2, 4 and 5 have squeeze-excitation.
    """
    strides = (2, 2, 2, 1, 2)
    has_se = (False, True, False, True, True)
    stages: list[Stage] = [(dsconv(stem_rows, kernel=3, stride=1, out=widths[0]),)]
    for i, stage_rows in enumerate(rows):
        stage = []
        for j, (repeats, kernel, expand) in enumerate(stage_rows):
            out = widths[i + 1] if j < 2 else widths[i + 2]  # stage 5 ends wider
            stage.append(
                mbconv(
                    repeats,
                    kernel=kernel,
                    stride=strides[i] if j == 0 else 1,
                    expand=expand,
                    out=out,
                    se=0.25 if has_se[i] else 0.0,
                )
            )
        stages.append(tuple(stage))
    stages.append((conv(1, kernel=1, stride=1, out=head),))
    return tuple(stages)


_FBNETV3 = {
    "b": (
        16,
        _fbnetv3_stages(
            2,
            (16, 24, 40, 72, 120, 184, 224),
            (
                ((1, 5, 4), (3, 5, 2)),
                ((1, 5, 5), (4, 5, 3)),
                ((1, 5, 5), (4, 3, 3)),
                ((1, 3, 5), (5, 5, 3)),
                ((1, 3, 6), (5, 5, 4), (1, 5, 6)),
            ),
            1344,
        ),
    ),
    "d": (
        24,
        _fbnetv3_stages(
            2,
            (16, 24, 40, 72, 128, 208, 240),
            (
                ((1, 3, 5), (5, 3, 2)),
                ((1, 5, 4), (4, 3, 3)),
                ((1, 3, 5), (4, 3, 3)),
                ((1, 3, 5), (6, 5, 3)),
                ((1, 3, 6), (5, 5, 5), (1, 5, 6)),
            ),
            1440,
        ),
    ),
    "g": (
        32,
        _fbnetv3_stages(
            3,
            (24, 40, 56, 104, 160, 264, 288),
            (
                ((1, 5, 4), (4, 5, 2)),
                ((1, 5, 4), (4, 5, 3)),
                ((1, 5, 5), (4, 3, 3)),
                ((1, 3, 5), (8, 5, 3)),
                ((1, 3, 6), (6, 5, 5), (2, 5, 6)),
            ),
            1728,
        ),
    ),
}


def fbnetv3(size: Literal["b", "d", "g"]) -> NetworkDef:
    """FBNetV3: hard-swish, widths rounded with a 5% floor, squeeze-excitation of the input width."""
    stem, stages = _FBNETV3[size]
    return NetworkDef(
        stages,
        stem_chs=stem,
        head_chs=1984,
        act="hard_swish",
        round_limit=0.95,
        se_style=SqueezeExciteStyle(gate="hard_sigmoid", divisor=8, round_limit=0.95),
        head="efficient",
        head_bias=False,
    )


def lcnet(width: float) -> NetworkDef:
    """PP-LCNet: MobileNetV1-style blocks with hard-swish, squeeze-excitation in the last stage."""
    stages = _stages(
        _dsa(1, kernel=3, stride=1, out=32),
        _dsa(2, kernel=3, stride=2, out=64),
        _dsa(2, kernel=3, stride=2, out=128),
        (_dsa(1, kernel=3, stride=2, out=256), _dsa(1, kernel=5, stride=1, out=256)),
        _dsa(4, kernel=5, stride=1, out=256),
        _dsa(2, kernel=5, stride=2, out=512, se=0.25),
    )
    return NetworkDef(
        stages,
        stem_chs=16,
        head_chs=1280,
        act="hard_swish",
        width=width,
        se_style=SqueezeExciteStyle(gate="hard_sigmoid", act="relu", from_expanded=True),
        head="efficient",
    )


# --- MobileNetV4 ---------------------------------------------------------------------------------

_fib = partial(fused, kernel=3, stride=2, expand=4)  # the FusedIB stem stage
_head960 = conv(1, kernel=1, stride=1, out=960)

MOBILENETV4_CONV_SMALL = _stages(
    (conv(1, kernel=3, stride=2, out=32), conv(1, kernel=1, stride=1, out=32)),
    (conv(1, kernel=3, stride=2, out=96), conv(1, kernel=1, stride=1, out=64)),
    (
        uir(1, start=5, mid=5, stride=2, expand=3, out=96),
        uir(4, start=0, mid=3, stride=1, expand=2, out=96),
        uir(1, start=3, mid=0, stride=1, expand=4, out=96),
    ),
    (
        uir(1, start=3, mid=3, stride=2, expand=6, out=128),
        uir(1, start=5, mid=5, stride=1, expand=4, out=128),
        uir(1, start=0, mid=5, stride=1, expand=4, out=128),
        uir(1, start=0, mid=5, stride=1, expand=3, out=128),
        uir(2, start=0, mid=3, stride=1, expand=4, out=128),
    ),
    _head960,
)

MOBILENETV4_CONV_MEDIUM = _stages(
    _fib(1, out=48),
    (uir(1, start=3, mid=5, stride=2, expand=4, out=80), uir(1, start=3, mid=3, stride=1, expand=2, out=80)),
    (
        uir(1, start=3, mid=5, stride=2, expand=6, out=160),
        uir(2, start=3, mid=3, stride=1, expand=4, out=160),
        uir(1, start=3, mid=5, stride=1, expand=4, out=160),
        uir(1, start=3, mid=3, stride=1, expand=4, out=160),
        uir(1, start=3, mid=0, stride=1, expand=4, out=160),
        uir(1, start=0, mid=0, stride=1, expand=2, out=160),
        uir(1, start=3, mid=0, stride=1, expand=4, out=160),
    ),
    (
        uir(1, start=5, mid=5, stride=2, expand=6, out=256),
        uir(1, start=5, mid=5, stride=1, expand=4, out=256),
        uir(2, start=3, mid=5, stride=1, expand=4, out=256),
        uir(1, start=0, mid=0, stride=1, expand=4, out=256),
        uir(1, start=3, mid=0, stride=1, expand=4, out=256),
        uir(1, start=3, mid=5, stride=1, expand=2, out=256),
        uir(1, start=5, mid=5, stride=1, expand=4, out=256),
        uir(2, start=0, mid=0, stride=1, expand=4, out=256),
        uir(1, start=5, mid=0, stride=1, expand=2, out=256),
    ),
    _head960,
)

MOBILENETV4_CONV_LARGE = _stages(
    _fib(1, out=48),
    (uir(1, start=3, mid=5, stride=2, expand=4, out=96), uir(1, start=3, mid=3, stride=1, expand=4, out=96)),
    (
        uir(1, start=3, mid=5, stride=2, expand=4, out=192),
        uir(3, start=3, mid=3, stride=1, expand=4, out=192),
        uir(1, start=3, mid=5, stride=1, expand=4, out=192),
        uir(5, start=5, mid=3, stride=1, expand=4, out=192),
        uir(1, start=3, mid=0, stride=1, expand=4, out=192),
    ),
    (
        uir(4, start=5, mid=5, stride=2, expand=4, out=512),
        uir(1, start=5, mid=0, stride=1, expand=4, out=512),
        uir(1, start=5, mid=3, stride=1, expand=4, out=512),
        uir(2, start=5, mid=0, stride=1, expand=4, out=512),
        uir(1, start=5, mid=3, stride=1, expand=4, out=512),
        uir(1, start=5, mid=5, stride=1, expand=4, out=512),
        uir(3, start=5, mid=0, stride=1, expand=4, out=512),
    ),
    _head960,
)

_mqa_m = partial(attention, heads=4, key_dim=64)
_mqa_l = partial(attention, heads=8)

MOBILENETV4_HYBRID_MEDIUM = _stages(
    _fib(1, out=48),
    (uir(1, start=3, mid=5, stride=2, expand=4, out=80), uir(1, start=3, mid=3, stride=1, expand=2, out=80)),
    (
        uir(1, start=3, mid=5, stride=2, expand=6, out=160),
        uir(1, start=0, mid=0, stride=1, expand=2, out=160),
        uir(1, start=3, mid=3, stride=1, expand=4, out=160),
        uir(1, start=3, mid=5, stride=1, expand=4, out=160),
        _mqa_m(1, out=160, kv_stride=2),
        uir(1, start=3, mid=3, stride=1, expand=4, out=160),
        _mqa_m(1, out=160, kv_stride=2),
        uir(1, start=3, mid=0, stride=1, expand=4, out=160),
        _mqa_m(1, out=160, kv_stride=2),
        uir(1, start=3, mid=3, stride=1, expand=4, out=160),
        _mqa_m(1, out=160, kv_stride=2),
        uir(1, start=3, mid=0, stride=1, expand=4, out=160),
    ),
    (
        uir(1, start=5, mid=5, stride=2, expand=6, out=256),
        uir(1, start=5, mid=5, stride=1, expand=4, out=256),
        uir(2, start=3, mid=5, stride=1, expand=4, out=256),
        uir(1, start=0, mid=0, stride=1, expand=2, out=256),
        uir(1, start=3, mid=5, stride=1, expand=2, out=256),
        uir(1, start=0, mid=0, stride=1, expand=2, out=256),
        uir(1, start=0, mid=0, stride=1, expand=4, out=256),
        _mqa_m(1, out=256),
        uir(1, start=3, mid=0, stride=1, expand=4, out=256),
        _mqa_m(1, out=256),
        uir(1, start=5, mid=5, stride=1, expand=4, out=256),
        _mqa_m(1, out=256),
        uir(1, start=5, mid=0, stride=1, expand=4, out=256),
        _mqa_m(1, out=256),
        uir(1, start=5, mid=0, stride=1, expand=4, out=256),
    ),
    _head960,
)

MOBILENETV4_HYBRID_LARGE = _stages(
    _fib(1, out=48),
    (uir(1, start=3, mid=5, stride=2, expand=4, out=96), uir(1, start=3, mid=3, stride=1, expand=4, out=96)),
    (
        uir(1, start=3, mid=5, stride=2, expand=4, out=192),
        uir(3, start=3, mid=3, stride=1, expand=4, out=192),
        uir(1, start=3, mid=5, stride=1, expand=4, out=192),
        uir(2, start=5, mid=3, stride=1, expand=4, out=192),
        _mqa_l(1, key_dim=48, out=192, kv_stride=2),
        uir(1, start=5, mid=3, stride=1, expand=4, out=192),
        _mqa_l(1, key_dim=48, out=192, kv_stride=2),
        uir(1, start=5, mid=3, stride=1, expand=4, out=192),
        _mqa_l(1, key_dim=48, out=192, kv_stride=2),
        uir(1, start=5, mid=3, stride=1, expand=4, out=192),
        _mqa_l(1, key_dim=48, out=192, kv_stride=2),
        uir(1, start=3, mid=0, stride=1, expand=4, out=192),
    ),
    (
        uir(4, start=5, mid=5, stride=2, expand=4, out=512),
        uir(1, start=5, mid=0, stride=1, expand=4, out=512),
        uir(1, start=5, mid=3, stride=1, expand=4, out=512),
        uir(2, start=5, mid=0, stride=1, expand=4, out=512),
        uir(1, start=5, mid=3, stride=1, expand=4, out=512),
        uir(1, start=5, mid=5, stride=1, expand=4, out=512),
        _mqa_l(1, key_dim=64, out=512),
        uir(1, start=5, mid=0, stride=1, expand=4, out=512),
        _mqa_l(1, key_dim=64, out=512),
        uir(1, start=5, mid=0, stride=1, expand=4, out=512),
        _mqa_l(1, key_dim=64, out=512),
        uir(1, start=5, mid=0, stride=1, expand=4, out=512),
        _mqa_l(1, key_dim=64, out=512),
        uir(1, start=5, mid=0, stride=1, expand=4, out=512),
    ),
    _head960,
)

_MOBILENETV4 = {  # table, stem width
    "conv_small": (MOBILENETV4_CONV_SMALL, 32),
    "conv_medium": (MOBILENETV4_CONV_MEDIUM, 32),
    "conv_large": (MOBILENETV4_CONV_LARGE, 24),
    "hybrid_medium": (MOBILENETV4_HYBRID_MEDIUM, 32),
    "hybrid_large": (MOBILENETV4_HYBRID_LARGE, 24),
}


def mobilenetv4(
    size: Literal["conv_small", "conv_medium", "conv_large", "hybrid_medium", "hybrid_large"],
    width: float = 1.0,
    *,
    aa: Literal["avg", "blur"] | None = None,
) -> NetworkDef:
    """MobileNetV4: universal inverted residuals (and attention in the hybrids, with layer scale),
    ReLU (GELU for the large hybrid), a normed head conv after pooling; the stem is unscaled below width 1."""
    stages, stem = _MOBILENETV4[size]
    hybrid = size.startswith("hybrid")
    return NetworkDef(
        stages,
        stem_chs=stem,
        head_chs=1280,
        act="gelu" if size == "hybrid_large" else "relu",
        width=width,
        fix_stem=width < 1.0,
        head="efficient",
        head_bias=False,
        head_norm=True,
        aa=aa,
        layer_scale=1e-5 if hybrid else None,
    )


# --- the registered variants ---------------------------------------------------------------------

_GN8 = NormStyle("group", group_size=8)

VARIANTS: dict[str, NetworkDef] = {
    # MnasNet, MobileNetV1 / V2, FBNet-C, Single-Path NAS
    "mnasnet_050": mnasnet(MNASNET_B1, 0.5),
    "mnasnet_075": mnasnet(MNASNET_B1, 0.75),
    "mnasnet_100": mnasnet(MNASNET_B1, 1.0),
    "mnasnet_140": mnasnet(MNASNET_B1, 1.4),
    "semnasnet_050": mnasnet(MNASNET_A1, 0.5),
    "semnasnet_075": mnasnet(MNASNET_A1, 0.75),
    "semnasnet_100": mnasnet(MNASNET_A1, 1.0),
    "semnasnet_140": mnasnet(MNASNET_A1, 1.4),
    "mnasnet_small": mnasnet(MNASNET_SMALL, 1.0, stem_chs=8),
    "mobilenetv1_100": mobilenetv1(1.0),
    "mobilenetv1_100h": mobilenetv1(1.0, head=True),
    "mobilenetv1_125": mobilenetv1(1.25),
    "mobilenetv2_035": mobilenetv2(0.35),
    "mobilenetv2_050": mobilenetv2(0.5),
    "mobilenetv2_075": mobilenetv2(0.75),
    "mobilenetv2_100": mobilenetv2(1.0),
    "mobilenetv2_140": mobilenetv2(1.4),
    "mobilenetv2_110d": mobilenetv2(1.1, 1.2, fix_stem_head=True),
    "mobilenetv2_120d": mobilenetv2(1.2, 1.4, fix_stem_head=True),
    # The published FBNet-C weights were trained with the TensorFlow norm epsilon.
    "fbnetc_100": NetworkDef(FBNETC, stem_chs=16, head_chs=1984, act="relu", **_TF_EPS),
    "spnasnet_100": NetworkDef(SPNASNET, stem_chs=32, head_chs=1280, act="relu"),
    # EfficientNet
    "efficientnet_b0": efficientnet(1.0, 1.0),
    "efficientnet_b1": efficientnet(1.0, 1.1),
    "efficientnet_b2": efficientnet(1.1, 1.2),
    "efficientnet_b3": efficientnet(1.2, 1.4),
    "efficientnet_b4": efficientnet(1.4, 1.8),
    "efficientnet_b5": efficientnet(1.6, 2.2),
    "efficientnet_b6": efficientnet(1.8, 2.6),
    "efficientnet_b7": efficientnet(2.0, 3.1),
    "efficientnet_b8": efficientnet(2.2, 3.6),
    "efficientnet_l2": efficientnet(4.3, 5.3),
    # EfficientNet with group norm, grouped convs, EvoNorm channel rounding, blur pooling
    "efficientnet_b0_gn": efficientnet(1.0, 1.0, norm=_GN8),
    "efficientnet_b0_g8_gn": efficientnet(1.0, 1.0, group_size=8, norm=_GN8),
    "efficientnet_b0_g16_evos": efficientnet(1.0, 1.0, group_size=16, divisor=16),
    "efficientnet_b3_gn": efficientnet(1.2, 1.4, divisor=16, norm=NormStyle("group", group_size=16)),
    "efficientnet_b3_g8_gn": efficientnet(1.2, 1.4, divisor=16, group_size=8, norm=NormStyle("group", group_size=16)),
    "efficientnet_blur_b0": efficientnet(1.0, 1.0, aa="blur"),
    # EfficientNet-EdgeTPU, CondConv, Lite, pruned
    "efficientnet_es": efficientnet_edge(1.0, 1.0),
    "efficientnet_es_pruned": efficientnet_edge(1.0, 1.0),
    "efficientnet_em": efficientnet_edge(1.0, 1.1),
    "efficientnet_el": efficientnet_edge(1.2, 1.4),
    "efficientnet_el_pruned": efficientnet_edge(1.2, 1.4),
    "efficientnet_cc_b0_4e": efficientnet_condconv(1.0, 4),
    "efficientnet_cc_b0_8e": efficientnet_condconv(1.0, 8),
    "efficientnet_cc_b1_8e": efficientnet_condconv(1.1, 8),
    "efficientnet_lite0": efficientnet_lite(1.0, 1.0),
    "efficientnet_lite1": efficientnet_lite(1.0, 1.1),
    "efficientnet_lite2": efficientnet_lite(1.1, 1.2),
    "efficientnet_lite3": efficientnet_lite(1.2, 1.4),
    "efficientnet_lite4": efficientnet_lite(1.4, 1.8),
    "efficientnet_b1_pruned": efficientnet_pruned("efficientnet_b1_pruned", 1.0, 1.1),
    "efficientnet_b2_pruned": efficientnet_pruned("efficientnet_b2_pruned", 1.1, 1.2),
    "efficientnet_b3_pruned": efficientnet_pruned("efficientnet_b3_pruned", 1.2, 1.4),
    # EfficientNetV2
    "efficientnetv2_rw_t": efficientnetv2_rw(0.8, 0.9, rw=False),
    "gc_efficientnetv2_rw_t": replace(efficientnetv2_rw(0.8, 0.9, rw=False), se_style=SqueezeExciteStyle(kind="gc")),
    "efficientnetv2_rw_s": efficientnetv2_rw(1.0, 1.0),
    "efficientnetv2_rw_m": efficientnetv2_rw(1.2, (1.2,) * 4 + (1.6,) * 2),
    "efficientnetv2_s": efficientnetv2_s(),
    "efficientnetv2_m": efficientnetv2("m"),
    "efficientnetv2_l": efficientnetv2("l"),
    "efficientnetv2_xl": efficientnetv2("xl"),
    # EfficientNet, EdgeTPU, CondConv and Lite ported from TensorFlow
    "tf_efficientnet_b0": efficientnet(1.0, 1.0, tf=True),
    "tf_efficientnet_b1": efficientnet(1.0, 1.1, tf=True),
    "tf_efficientnet_b2": efficientnet(1.1, 1.2, tf=True),
    "tf_efficientnet_b3": efficientnet(1.2, 1.4, tf=True),
    "tf_efficientnet_b4": efficientnet(1.4, 1.8, tf=True),
    "tf_efficientnet_b5": efficientnet(1.6, 2.2, tf=True),
    "tf_efficientnet_b6": efficientnet(1.8, 2.6, tf=True),
    "tf_efficientnet_b7": efficientnet(2.0, 3.1, tf=True),
    "tf_efficientnet_b8": efficientnet(2.2, 3.6, tf=True),
    "tf_efficientnet_l2": efficientnet(4.3, 5.3, tf=True),
    "tf_efficientnet_es": efficientnet_edge(1.0, 1.0, tf=True),
    "tf_efficientnet_em": efficientnet_edge(1.0, 1.1, tf=True),
    "tf_efficientnet_el": efficientnet_edge(1.2, 1.4, tf=True),
    "tf_efficientnet_cc_b0_4e": efficientnet_condconv(1.0, 4, tf=True),
    "tf_efficientnet_cc_b0_8e": efficientnet_condconv(1.0, 8, tf=True),
    "tf_efficientnet_cc_b1_8e": efficientnet_condconv(1.1, 8, tf=True),
    "tf_efficientnet_lite0": efficientnet_lite(1.0, 1.0, tf=True),
    "tf_efficientnet_lite1": efficientnet_lite(1.0, 1.1, tf=True),
    "tf_efficientnet_lite2": efficientnet_lite(1.1, 1.2, tf=True),
    "tf_efficientnet_lite3": efficientnet_lite(1.2, 1.4, tf=True),
    "tf_efficientnet_lite4": efficientnet_lite(1.4, 1.8, tf=True),
    # EfficientNetV2 ported from TensorFlow
    "tf_efficientnetv2_s": efficientnetv2_s(tf=True),
    "tf_efficientnetv2_m": efficientnetv2("m", tf=True),
    "tf_efficientnetv2_l": efficientnetv2("l", tf=True),
    "tf_efficientnetv2_xl": efficientnetv2("xl", tf=True),
    "tf_efficientnetv2_b0": efficientnetv2_base(1.0, 1.0),
    "tf_efficientnetv2_b1": efficientnetv2_base(1.0, 1.1),
    "tf_efficientnetv2_b2": efficientnetv2_base(1.1, 1.2),
    "tf_efficientnetv2_b3": efficientnetv2_base(1.2, 1.4),
    # EfficientNet-X / -H
    "efficientnet_x_b3": efficientnet_x(1.2, 1.4),
    "efficientnet_x_b5": efficientnet_x(1.6, 2.2),
    "efficientnet_h_b5": efficientnet_x(1.92, 2.2, version=2),
    # MixNet
    "mixnet_s": mixnet("s"),
    "mixnet_m": mixnet("m"),
    "mixnet_l": mixnet("m", 1.3),
    "mixnet_xl": mixnet("m", 1.6, 1.2),
    "mixnet_xxl": mixnet("m", 2.4, 1.3),
    "tf_mixnet_s": mixnet("s", tf=True),
    "tf_mixnet_m": mixnet("m", tf=True),
    "tf_mixnet_l": mixnet("m", 1.3, tf=True),
    # TinyNet
    "tinynet_a": tinynet(1.0, 1.2),
    "tinynet_b": tinynet(0.75, 1.1),
    "tinynet_c": tinynet(0.54, 0.85),
    "tinynet_d": tinynet(0.54, 0.695),
    "tinynet_e": tinynet(0.51, 0.6),
    # MobileNet-EdgeTPU
    "mobilenet_edgetpu_100": mobilenet_edgetpu(),
    "mobilenet_edgetpu_v2_xs": mobilenet_edgetpu_v2("xs"),
    "mobilenet_edgetpu_v2_s": mobilenet_edgetpu_v2("s"),
    "mobilenet_edgetpu_v2_m": mobilenet_edgetpu_v2("m"),
    "mobilenet_edgetpu_v2_l": mobilenet_edgetpu_v2("l"),
    # timm's test networks
    "test_efficientnet": test_efficientnet(),
    "test_efficientnet_gn": test_efficientnet(_GN8),
    "test_efficientnet_ln": test_efficientnet(NormStyle("layer")),
    "test_efficientnet_evos": test_efficientnet(NormStyle("evonorm", group_size=8)),
    # MobileNetV3
    "mobilenetv3_large_075": mobilenetv3("large", 0.75),
    "mobilenetv3_large_100": mobilenetv3("large", 1.0),
    "mobilenetv3_large_150d": mobilenetv3("large", 1.5, 1.2),
    "mobilenetv3_small_050": mobilenetv3("small", 0.5),
    "mobilenetv3_small_075": mobilenetv3("small", 0.75),
    "mobilenetv3_small_100": mobilenetv3("small", 1.0),
    "mobilenetv3_rw": mobilenetv3_rw(),
    "tf_mobilenetv3_large_075": mobilenetv3("large", 0.75, tf=True),
    "tf_mobilenetv3_large_100": mobilenetv3("large", 1.0, tf=True),
    "tf_mobilenetv3_large_minimal_100": mobilenetv3("large", 1.0, minimal=True, tf=True),
    "tf_mobilenetv3_small_075": mobilenetv3("small", 0.75, tf=True),
    "tf_mobilenetv3_small_100": mobilenetv3("small", 1.0, tf=True),
    "tf_mobilenetv3_small_minimal_100": mobilenetv3("small", 1.0, minimal=True, tf=True),
    # FBNetV3, LCNet
    "fbnetv3_b": fbnetv3("b"),
    "fbnetv3_d": fbnetv3("d"),
    "fbnetv3_g": fbnetv3("g"),
    "lcnet_035": lcnet(0.35),
    "lcnet_050": lcnet(0.5),
    "lcnet_075": lcnet(0.75),
    "lcnet_100": lcnet(1.0),
    "lcnet_150": lcnet(1.5),
    # MobileNetV4
    "mobilenetv4_conv_small_035": mobilenetv4("conv_small", 0.35),
    "mobilenetv4_conv_small_050": mobilenetv4("conv_small", 0.5),
    "mobilenetv4_conv_small": mobilenetv4("conv_small"),
    "mobilenetv4_conv_medium": mobilenetv4("conv_medium"),
    "mobilenetv4_conv_large": mobilenetv4("conv_large"),
    "mobilenetv4_hybrid_medium": mobilenetv4("hybrid_medium"),
    "mobilenetv4_hybrid_large": mobilenetv4("hybrid_large"),
    "mobilenetv4_conv_aa_medium": mobilenetv4("conv_medium", aa="avg"),
    "mobilenetv4_conv_blur_medium": mobilenetv4("conv_medium", aa="blur"),
    "mobilenetv4_conv_aa_large": mobilenetv4("conv_large", aa="avg"),
    "mobilenetv4_hybrid_medium_075": mobilenetv4("hybrid_medium", 0.75),
    "mobilenetv4_hybrid_large_075": mobilenetv4("hybrid_large", 0.75),
}
