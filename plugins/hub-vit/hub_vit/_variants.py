"""The architectures of the family as data: one `ViTConfig` per registered name. No torch.

ViT, DeiT and DeiT III share one transformer; a variant is its size (width, depth,
heads), its patch size and input size, and three switches: whether the position
embedding also covers the prefix tokens, whether blocks have LayerScale, and whether a
distillation token and head are added (DeiT distilled).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["VARIANTS", "ViTConfig"]


@dataclass(frozen=True)
class ViTConfig:
    """One architecture: the constructor arguments of its model, and which model class it uses.

    ``no_embed_class``: the position embedding covers only the patch tokens and is added
    before the class token is prepended (DeiT III), instead of covering class token and
    patches alike. ``init_values``: LayerScale on both residual branches, starting at this
    value (None: no LayerScale). ``distilled``: DeiT's distillation token and second head.
    """

    patch_size: int
    embed_dim: int
    depth: int
    num_heads: int
    img_size: int = 224
    class_token: bool = True
    no_embed_class: bool = False
    init_values: float | None = None
    distilled: bool = False

    def model_args(self) -> dict[str, Any]:
        """Keyword arguments for the model class (everything but ``distilled``, which picks the class)."""
        return {
            "img_size": self.img_size,
            "patch_size": self.patch_size,
            "embed_dim": self.embed_dim,
            "depth": self.depth,
            "num_heads": self.num_heads,
            "class_token": self.class_token,
            "no_embed_class": self.no_embed_class,
            "init_values": self.init_values,
        }


# (embed_dim, depth, num_heads) of the ViT sizes; the MLP is always 4x wide.
_SIZES = {
    "tiny": (192, 12, 3),
    "small": (384, 12, 6),
    "base": (768, 12, 12),
    "large": (1024, 24, 16),
}


def _vit(size: str, patch_size: int, img_size: int, **switches: Any) -> ViTConfig:
    embed_dim, depth, num_heads = _SIZES[size]
    return ViTConfig(patch_size, embed_dim, depth, num_heads, img_size=img_size, **switches)


# DeiT III: position embedding without the class token, LayerScale from 1e-6.
_DEIT3 = {"no_embed_class": True, "init_values": 1e-6}

VARIANTS: dict[str, ViTConfig] = {
    # ViT (Dosovitskiy et al.; the AugReg, SAM, DINO, MAE weights all use this layout)
    "vit_tiny_patch16_224": _vit("tiny", 16, 224),
    "vit_small_patch16_224": _vit("small", 16, 224),
    "vit_base_patch16_224": _vit("base", 16, 224),
    "vit_large_patch16_224": _vit("large", 16, 224),
    "vit_small_patch32_224": _vit("small", 32, 224),
    "vit_base_patch32_224": _vit("base", 32, 224),
    "vit_tiny_patch16_384": _vit("tiny", 16, 384),
    "vit_small_patch16_384": _vit("small", 16, 384),
    "vit_base_patch16_384": _vit("base", 16, 384),
    "vit_base_patch32_384": _vit("base", 32, 384),
    "vit_large_patch16_384": _vit("large", 16, 384),
    # DeiT: the ViT architecture, trained on ImageNet-1k only
    "deit_tiny_patch16_224": _vit("tiny", 16, 224),
    "deit_small_patch16_224": _vit("small", 16, 224),
    "deit_base_patch16_224": _vit("base", 16, 224),
    "deit_base_patch16_384": _vit("base", 16, 384),
    # DeiT distilled: an extra distillation token with its own head
    "deit_tiny_distilled_patch16_224": _vit("tiny", 16, 224, distilled=True),
    "deit_small_distilled_patch16_224": _vit("small", 16, 224, distilled=True),
    "deit_base_distilled_patch16_224": _vit("base", 16, 224, distilled=True),
    # DeiT III
    "deit3_small_patch16_224": _vit("small", 16, 224, **_DEIT3),
    "deit3_base_patch16_224": _vit("base", 16, 224, **_DEIT3),
    "deit3_large_patch16_224": _vit("large", 16, 224, **_DEIT3),
}
