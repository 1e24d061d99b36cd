"""The stage tables of timm's ``mobilenetv3`` module's families, and a `NetworkDef` maker per family.

MobileNetV3 (with timm's own ``rw`` variant), FBNetV3, LCNet and MobileNetV4 (universal
inverted residuals, mobile attention). All have the "efficient" head: pool, then the head
conv. Torch-free; the tables follow timm's architecture definitions block for block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import Literal

from hub_efficientnet.arch import (
    TF_EPS,
    NetworkDef,
    SqueezeExciteStyle,
    Stage,
    attention,
    conv,
    dsconv,
    dsconv_act,
    fused,
    mbconv,
    mbconv_se,
    stage_table,
    tf_options,
    uir,
)

# --- MobileNetV3 and relatives (efficient head: pool, then the head conv) ------------------------

# MobileNetV3's squeeze-excitation: of the expanded width, to a multiple of 8, ReLU and hard-sigmoid.
_MNV3_SE = SqueezeExciteStyle(gate="hard_sigmoid", act="relu", from_expanded=True, divisor=8)

MOBILENETV3_LARGE = stage_table(
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
    mbconv_se(2, kernel=3, stride=1, expand=6, out=112),
    mbconv_se(3, kernel=5, stride=2, expand=6, out=160),
    conv(1, kernel=1, stride=1, out=960),
)

MOBILENETV3_SMALL = stage_table(
    dsconv(1, kernel=3, stride=2, out=16, se=0.25, act="relu"),
    (
        mbconv(1, kernel=3, stride=2, expand=4.5, out=24, act="relu"),
        mbconv(1, kernel=3, stride=1, expand=3.67, out=24, act="relu"),
    ),
    (mbconv_se(1, kernel=5, stride=2, expand=4, out=40), mbconv_se(2, kernel=5, stride=1, expand=6, out=40)),
    mbconv_se(2, kernel=5, stride=1, expand=3, out=48),
    mbconv_se(3, kernel=5, stride=2, expand=6, out=96),
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
        **tf_options(tf),
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
        **TF_EPS,
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
    stages = stage_table(
        dsconv_act(1, kernel=3, stride=1, out=32),
        dsconv_act(2, kernel=3, stride=2, out=64),
        dsconv_act(2, kernel=3, stride=2, out=128),
        (dsconv_act(1, kernel=3, stride=2, out=256), dsconv_act(1, kernel=5, stride=1, out=256)),
        dsconv_act(4, kernel=5, stride=1, out=256),
        dsconv_act(2, kernel=5, stride=2, out=512, se=0.25),
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

MOBILENETV4_CONV_SMALL = stage_table(
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

MOBILENETV4_CONV_MEDIUM = stage_table(
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

MOBILENETV4_CONV_LARGE = stage_table(
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

MOBILENETV4_HYBRID_MEDIUM = stage_table(
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

MOBILENETV4_HYBRID_LARGE = stage_table(
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
