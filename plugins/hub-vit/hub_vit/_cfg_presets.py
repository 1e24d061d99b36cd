"""The family cfg and the recipes the family's weights change it by. No torch.

A tag's cfg is `FAMILY` changed by its recipe presets (normalisation, crop, head) and then
by its own values, through `tag`. Every tag with weights is published on the Hugging Face
Hub as ``timm/<arch>.<tag>`` (the registrar completes the ``"timm/"`` organisation), except
where a cfg names another repository or none.
"""

from __future__ import annotations

from typing import Any

from hub import IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD, OPENAI_CLIP_MEAN, OPENAI_CLIP_STD, PretrainedCfg

__all__ = [
    "CLIP",
    "FAMILY",
    "FULL_CROP",
    "HEADLESS",
    "INCEPTION",
    "QUICKGELU_NOTE",
    "UNIT",
    "UNTRAINED",
    "augreg",
    "augreg_ft",
    "augreg_in21k",
    "tag",
]

# Facebook's DeiT, DINO, MAE and DINOv2 weights take ImageNet-normalised inputs, PretrainedCfg's default.
FAMILY = PretrainedCfg(
    hf_hub_id="timm/",
    fixed_input_size=True,
    crop_pct=0.9,
    first_conv="patch_embed.proj",
    classifier="head",
    license="apache-2.0",
)

# Inputs scaled to [-1, 1]: Google's ViT and SigLIP weights, and timm's own.
INCEPTION: dict[str, Any] = {"mean": IMAGENET_INCEPTION_MEAN, "std": IMAGENET_INCEPTION_STD}
CLIP: dict[str, Any] = {"mean": OPENAI_CLIP_MEAN, "std": OPENAI_CLIP_STD}
UNIT: dict[str, Any] = {"mean": (0.0, 0.0, 0.0), "std": (1.0, 1.0, 1.0)}  # inputs in [0, 1], not normalised
FULL_CROP: dict[str, Any] = {"crop_pct": 1.0}
HEADLESS: dict[str, Any] = {"num_classes": 0}  # image embeddings or features, no classifier
UNTRAINED: dict[str, Any] = {"hf_hub_id": None}
QUICKGELU_NOTE: dict[str, Any] = {
    "notes": ("natively QuickGELU, use quickgelu model variant for original results",),
}


def tag(*presets: dict[str, Any], size: int | None = None, **changes: Any) -> PretrainedCfg:
    """`FAMILY` changed by ``presets`` in order, then by ``changes``; ``size``: square input of that many pixels."""
    if size is not None:
        changes["input_size"] = (3, size, size)
    return FAMILY.replace(*presets, **changes)


_AUGREG = "https://storage.googleapis.com/vit_models/augreg/"


def augreg(run: str, *presets: dict[str, Any], **changes: Any) -> PretrainedCfg:
    """AugReg weights ("How to train your ViT?"): a JAX .npz named after its training run."""
    return tag(INCEPTION, *presets, url=f"{_AUGREG}{run}.npz", custom_load=True, **changes)


def augreg_ft(run: str, lr: str, size: int = 224) -> PretrainedCfg:
    """AugReg weights fine-tuned on ImageNet-1k (20k steps) at ``size`` pixels."""
    at_size = {} if size == 224 else {"input_size": (3, size, size), "crop_pct": 1.0}
    return augreg(f"{run}--imagenet2012-steps_20k-lr_{lr}-res_{size}", at_size)


def augreg_in21k(run: str) -> PretrainedCfg:
    """AugReg weights with their ImageNet-21k head."""
    return augreg(run, num_classes=21843)
