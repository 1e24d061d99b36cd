"""The ConvNeXt and ConvNeXt-V2 variants as data: one `ConvNeXtArch` per registered name. No torch."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["VARIANTS", "ConvNeXtArch"]


@dataclass(frozen=True)
class ConvNeXtArch:
    """One ConvNeXt variant: blocks and width of the four stages, and how a block is built.

    ``conv_mlp``: norm and MLP on NCHW with 1x1 convs instead of channels-last Linear layers
    (timm's choice for the small variants; same maths, different weight shapes).
    ``use_grn`` and ``ls_init_value=None``: ConvNeXt-V2 (global response norm, no layer scale).
    """

    depths: tuple[int, int, int, int]
    dims: tuple[int, int, int, int]
    conv_mlp: bool = False
    use_grn: bool = False
    ls_init_value: float | None = 1e-6


def _v2(depths: tuple[int, int, int, int], dims: tuple[int, int, int, int], conv_mlp: bool = False) -> ConvNeXtArch:
    return ConvNeXtArch(depths, dims, conv_mlp=conv_mlp, use_grn=True, ls_init_value=None)


_SHALLOW = (2, 2, 6, 2)
_NANO = (2, 2, 8, 2)
_TINY = (3, 3, 9, 3)
_DEEP = (3, 3, 27, 3)

VARIANTS: dict[str, ConvNeXtArch] = {
    "convnext_atto": ConvNeXtArch(_SHALLOW, (40, 80, 160, 320), conv_mlp=True),
    "convnext_femto": ConvNeXtArch(_SHALLOW, (48, 96, 192, 384), conv_mlp=True),
    "convnext_pico": ConvNeXtArch(_SHALLOW, (64, 128, 256, 512), conv_mlp=True),
    "convnext_nano": ConvNeXtArch(_NANO, (80, 160, 320, 640), conv_mlp=True),
    "convnext_tiny": ConvNeXtArch(_TINY, (96, 192, 384, 768)),
    "convnext_small": ConvNeXtArch(_DEEP, (96, 192, 384, 768)),
    "convnext_base": ConvNeXtArch(_DEEP, (128, 256, 512, 1024)),
    "convnext_large": ConvNeXtArch(_DEEP, (192, 384, 768, 1536)),
    "convnext_xlarge": ConvNeXtArch(_DEEP, (256, 512, 1024, 2048)),
    "convnextv2_atto": _v2(_SHALLOW, (40, 80, 160, 320), conv_mlp=True),
    "convnextv2_femto": _v2(_SHALLOW, (48, 96, 192, 384), conv_mlp=True),
    "convnextv2_pico": _v2(_SHALLOW, (64, 128, 256, 512), conv_mlp=True),
    "convnextv2_nano": _v2(_NANO, (80, 160, 320, 640), conv_mlp=True),
    "convnextv2_tiny": _v2(_TINY, (96, 192, 384, 768)),
    "convnextv2_small": _v2(_DEEP, (96, 192, 384, 768)),
    "convnextv2_base": _v2(_DEEP, (128, 256, 512, 1024)),
    "convnextv2_large": _v2(_DEEP, (192, 384, 768, 1536)),
}
