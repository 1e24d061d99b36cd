"""The ConvNeXt and ConvNeXt-V2 variants as data: one `ConvNeXtArch` per registered name. No torch."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

__all__ = ["ACTIVATIONS", "NORMS", "STEMS", "VARIANTS", "ConvNeXtArch"]

STEMS = ("patch", "overlap", "overlap_tiered", "overlap_act")
NORMS = ("layernorm", "rmsnorm", "simplenorm")
ACTIVATIONS = ("gelu", "gelu_tanh", "silu")

Quad = tuple[int, int, int, int]


@dataclass(frozen=True)
class ConvNeXtArch:
    """One ConvNeXt variant: blocks and width of the four stages, and how a block is built.

    ``conv_mlp``: norm and MLP on NCHW with 1x1 convs instead of channels-last Linear layers
    (timm's choice for the small variants; same maths, different weight shapes).
    ``use_grn`` and ``ls_init_value=None``: ConvNeXt-V2 (global response norm, no layer scale).
    ``kernel_sizes``: the depthwise kernel of each stage.
    ``stem``: "patch" (a 4x4 stride-4 conv) or an overlapping stem of two stride-2 3x3 convs:
    "overlap" (both as wide as the first stage), "overlap_tiered" (the first half as wide),
    "overlap_act" (with the block activation between them).
    ``norm``: "layernorm", "rmsnorm" (scale by the root mean square) or "simplenorm" (scale
    by the standard deviation, no centring), with ``norm_eps``; the RMS and simple norms
    need ``conv_mlp``. ``act``: the MLP's activation ("gelu", "gelu_tanh", "silu").
    ``head_norm_first``: normalise the map before pooling, then a plain classifier (the
    "hnf" variant), instead of the original pool -> norm -> (MLP) -> fc head.
    ``head_hidden_size``: the default width of the head's hidden layer (None: no hidden layer).
    """

    depths: Quad
    dims: Quad
    conv_mlp: bool = False
    use_grn: bool = False
    ls_init_value: float | None = 1e-6
    kernel_sizes: Quad = (7, 7, 7, 7)
    stem: str = "patch"
    norm: str = "layernorm"
    norm_eps: float = 1e-6
    act: str = "gelu"
    head_norm_first: bool = False
    head_hidden_size: int | None = None

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("stem", self.stem, STEMS),
            ("norm", self.norm, NORMS),
            ("act", self.act, ACTIVATIONS),
        ):
            if value not in allowed:
                raise ValueError(f"ConvNeXtArch.{name} must be one of {allowed}, got {value!r}")
        if self.norm != "layernorm" and not self.conv_mlp:
            raise ValueError(f"ConvNeXtArch: norm {self.norm!r} is NCHW only; it needs conv_mlp=True")
        if self.head_norm_first and self.head_hidden_size:
            raise ValueError("ConvNeXtArch: a head with its norm first has no hidden layer")

    def replace(self, **changes: Any) -> ConvNeXtArch:
        return dataclasses.replace(self, **changes)


def _v2(depths: Quad, dims: Quad, conv_mlp: bool = False) -> ConvNeXtArch:
    return ConvNeXtArch(depths, dims, conv_mlp=conv_mlp, use_grn=True, ls_init_value=None)


_SHALLOW = (2, 2, 6, 2)
_NANO = (2, 2, 8, 2)
_TINY = (3, 3, 9, 3)
_DEEP = (3, 3, 27, 3)

_ZEPTO = ConvNeXtArch((2, 2, 4, 2), (32, 64, 128, 256), conv_mlp=True, norm="simplenorm")
_ATTO = ConvNeXtArch(_SHALLOW, (40, 80, 160, 320), conv_mlp=True)
_FEMTO = ConvNeXtArch(_SHALLOW, (48, 96, 192, 384), conv_mlp=True)
_PICO = ConvNeXtArch(_SHALLOW, (64, 128, 256, 512), conv_mlp=True)
_NANO_ARCH = ConvNeXtArch(_NANO, (80, 160, 320, 640), conv_mlp=True)
_LARGE = ConvNeXtArch(_DEEP, (192, 384, 768, 1536))
# timm's test networks: tiny, with timm's test-time choices of norm eps and activation.
_TEST = ConvNeXtArch((1, 1, 1, 1), (32, 64, 96, 128), norm_eps=1e-5, act="gelu_tanh")

VARIANTS: dict[str, ConvNeXtArch] = {
    "convnext_zepto_rms": _ZEPTO,
    "convnext_zepto_rms_ols": _ZEPTO.replace(stem="overlap_act"),
    "convnext_atto": _ATTO,
    "convnext_atto_ols": _ATTO.replace(stem="overlap_tiered"),
    "convnext_atto_rms": _ATTO.replace(norm="rmsnorm"),
    "convnext_femto": _FEMTO,
    "convnext_femto_ols": _FEMTO.replace(stem="overlap_tiered"),
    "convnext_pico": _PICO,
    "convnext_pico_ols": _PICO.replace(stem="overlap_tiered"),
    "convnext_nano": _NANO_ARCH,
    "convnext_nano_ols": _NANO_ARCH.replace(stem="overlap"),
    "convnext_tiny": ConvNeXtArch(_TINY, (96, 192, 384, 768)),
    "convnext_tiny_hnf": ConvNeXtArch(_TINY, (96, 192, 384, 768), conv_mlp=True, head_norm_first=True),
    "convnext_small": ConvNeXtArch(_DEEP, (96, 192, 384, 768)),
    "convnext_base": ConvNeXtArch(_DEEP, (128, 256, 512, 1024)),
    "convnext_large": _LARGE,
    "convnext_large_mlp": _LARGE.replace(head_hidden_size=1536),
    "convnext_xlarge": ConvNeXtArch(_DEEP, (256, 512, 1024, 2048)),
    "convnext_xxlarge": ConvNeXtArch((3, 4, 30, 3), (384, 768, 1536, 3072), norm_eps=1e-5),
    "convnextv2_atto": _v2(_SHALLOW, (40, 80, 160, 320), conv_mlp=True),
    "convnextv2_femto": _v2(_SHALLOW, (48, 96, 192, 384), conv_mlp=True),
    "convnextv2_pico": _v2(_SHALLOW, (64, 128, 256, 512), conv_mlp=True),
    "convnextv2_nano": _v2(_NANO, (80, 160, 320, 640), conv_mlp=True),
    "convnextv2_tiny": _v2(_TINY, (96, 192, 384, 768)),
    "convnextv2_small": _v2(_DEEP, (96, 192, 384, 768)),
    "convnextv2_base": _v2(_DEEP, (128, 256, 512, 1024)),
    "convnextv2_large": _v2(_DEEP, (192, 384, 768, 1536)),
    "convnextv2_huge": _v2(_DEEP, (352, 704, 1408, 2816)),
    "test_convnext": _TEST.replace(depths=(1, 2, 4, 2), dims=(24, 32, 48, 64)),
    "test_convnext2": _TEST,
    "test_convnext3": _TEST.replace(kernel_sizes=(7, 5, 5, 3), act="silu"),
}
