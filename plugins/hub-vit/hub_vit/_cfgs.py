"""Pretrained cfgs of the family, as data: the family's cfg changed by what each set of weights changes. No torch.

Every tag is published on the Hugging Face Hub as ``timm/<arch>.<tag>``. Tags are listed in
timm's order, the default tag first.
"""

from __future__ import annotations

from typing import Any

from hub import IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD, OPENAI_CLIP_MEAN, OPENAI_CLIP_STD, PretrainedCfg

__all__ = ["FAMILY", "PRETRAINED"]

_AUGREG = "https://storage.googleapis.com/vit_models/augreg/"
_FB = "https://dl.fbaipublicfiles.com/"
_TIMM_RELEASE = "https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-vitjx/"

# Facebook's DeiT, DINO and MAE weights take ImageNet-normalised inputs, PretrainedCfg's default.
FAMILY = PretrainedCfg(
    hf_hub_id="timm/",
    fixed_input_size=True,
    crop_pct=0.9,
    first_conv="patch_embed.proj",
    classifier="head",
    license="apache-2.0",
)
# Google's ViT weights take inputs scaled to [-1, 1].
_GOOGLE: dict[str, Any] = {"mean": IMAGENET_INCEPTION_MEAN, "std": IMAGENET_INCEPTION_STD}
_AT_384: dict[str, Any] = {"input_size": (3, 384, 384), "crop_pct": 1.0}


def _vit(**changes: Any) -> PretrainedCfg:
    return FAMILY.replace(_GOOGLE, changes)


def _fb(**changes: Any) -> PretrainedCfg:
    return FAMILY.replace(changes)


def _augreg(run: str, **changes: Any) -> PretrainedCfg:
    """AugReg weights ("How to train your ViT?"): a JAX .npz named after its training run."""
    return _vit(url=f"{_AUGREG}{run}.npz", custom_load=True, **changes)


def _augreg_ft(run: str, lr: str, res: int, **changes: Any) -> PretrainedCfg:
    """AugReg weights fine-tuned on ImageNet-1k (20k steps) at ``res`` pixels."""
    return _augreg(f"{run}--imagenet2012-steps_20k-lr_{lr}-res_{res}", **changes)


def _in21k(run: str) -> PretrainedCfg:
    return _augreg(run, num_classes=21843)


def _sam(name: str) -> PretrainedCfg:
    return _vit(url=f"https://storage.googleapis.com/vit_models/sam/{name}.npz", custom_load=True)


def _dino(name: str) -> PretrainedCfg:
    return _fb(url=f"{_FB}dino/{name}/{name}.pth", num_classes=0)


def _mae(name: str) -> PretrainedCfg:
    return _fb(url=f"{_FB}mae/pretrain/{name}.pth", num_classes=0, license="cc-by-nc-4.0")


def _deit(file: str, **changes: Any) -> PretrainedCfg:
    return _fb(url=f"{_FB}deit/{file}.pth", **changes)


_DISTILLED_HEAD = {"classifier": ("head", "head_dist")}

PRETRAINED: dict[str, dict[str, PretrainedCfg]] = {
    "vit_tiny_patch16_224": {
        "augreg_in21k_ft_in1k": _augreg_ft("Ti_16-i21k-300ep-lr_0.001-aug_none-wd_0.03-do_0.0-sd_0.0", "0.03", 224),
        "augreg_in21k": _in21k("Ti_16-i21k-300ep-lr_0.001-aug_none-wd_0.03-do_0.0-sd_0.0"),
    },
    "vit_small_patch16_224": {
        "augreg_in21k_ft_in1k": _augreg_ft("S_16-i21k-300ep-lr_0.001-aug_light1-wd_0.03-do_0.0-sd_0.0", "0.03", 224),
        "augreg_in1k": _augreg_ft("S_16-i1k-300ep-lr_0.001-aug_medium2-wd_0.1-do_0.0-sd_0.0", "0.01", 224),
        "augreg_in21k": _in21k("S_16-i21k-300ep-lr_0.001-aug_light1-wd_0.03-do_0.0-sd_0.0"),
        "dino": _dino("dino_deitsmall16_pretrain"),
    },
    "vit_base_patch16_224": {
        # re-fine-tuned by timm from the AugReg in21k weights; only on the HF hub
        "augreg2_in21k_ft_in1k": _vit(),
        "augreg_in21k_ft_in1k": _augreg_ft("B_16-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.0-sd_0.0", "0.01", 224),
        "orig_in21k_ft_in1k": _vit(url=f"{_TIMM_RELEASE}jx_vit_base_p16_224-80ecf9dd.pth"),
        "augreg_in1k": _augreg_ft("B_16-i1k-300ep-lr_0.001-aug_strong2-wd_0.1-do_0.1-sd_0.1", "0.01", 224),
        "orig_in21k": _vit(num_classes=0),
        "augreg_in21k": _in21k("B_16-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.0-sd_0.0"),
        "sam_in1k": _sam("ViT-B_16"),
        "bamboo": _fb(
            crop_pct=1.0,
            mean=OPENAI_CLIP_MEAN,
            std=OPENAI_CLIP_STD,
            num_classes=115217,
            license=None,
            origin_url="https://github.com/ZhangYuanhan-AI/Bamboo",
            paper_ids="arXiv:2203.07845",
        ),
        "dino": _dino("dino_vitbase16_pretrain"),
        "mae": _mae("mae_pretrain_vit_base"),
    },
    "vit_large_patch16_224": {
        "augreg_in21k_ft_in1k": _augreg_ft("L_16-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.1-sd_0.1", "0.01", 224),
        "orig_in21k": _vit(num_classes=0),
        "augreg_in21k": _in21k("L_16-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.1-sd_0.1"),
        "mae": _mae("mae_pretrain_vit_large"),
    },
    "vit_small_patch32_224": {
        "augreg_in21k_ft_in1k": _augreg_ft("S_32-i21k-300ep-lr_0.001-aug_light1-wd_0.03-do_0.0-sd_0.0", "0.03", 224),
        "augreg_in21k": _in21k("S_32-i21k-300ep-lr_0.001-aug_light1-wd_0.03-do_0.0-sd_0.0"),
    },
    "vit_base_patch32_224": {
        "augreg_in21k_ft_in1k": _augreg_ft("B_32-i21k-300ep-lr_0.001-aug_medium1-wd_0.03-do_0.0-sd_0.0", "0.03", 224),
        "augreg_in1k": _augreg_ft("B_32-i1k-300ep-lr_0.001-aug_medium2-wd_0.1-do_0.1-sd_0.1", "0.01", 224),
        "orig_in21k": _vit(num_classes=0),
        "augreg_in21k": _in21k("B_32-i21k-300ep-lr_0.001-aug_medium1-wd_0.03-do_0.0-sd_0.0"),
        "sam_in1k": _sam("ViT-B_32"),
    },
    "vit_tiny_patch16_384": {
        "augreg_in21k_ft_in1k": _augreg_ft(
            "Ti_16-i21k-300ep-lr_0.001-aug_none-wd_0.03-do_0.0-sd_0.0", "0.03", 384, **_AT_384
        ),
    },
    "vit_small_patch16_384": {
        "augreg_in21k_ft_in1k": _augreg_ft(
            "S_16-i21k-300ep-lr_0.001-aug_light1-wd_0.03-do_0.0-sd_0.0", "0.03", 384, **_AT_384
        ),
        "augreg_in1k": _augreg_ft("S_16-i1k-300ep-lr_0.001-aug_medium2-wd_0.1-do_0.0-sd_0.0", "0.01", 384, **_AT_384),
    },
    "vit_base_patch16_384": {
        "augreg_in21k_ft_in1k": _augreg_ft(
            "B_16-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.0-sd_0.0", "0.01", 384, **_AT_384
        ),
        "orig_in21k_ft_in1k": _vit(url=f"{_TIMM_RELEASE}jx_vit_base_p16_384-83fb41ba.pth", **_AT_384),
        "augreg_in1k": _augreg_ft("B_16-i1k-300ep-lr_0.001-aug_strong2-wd_0.1-do_0.1-sd_0.1", "0.01", 384, **_AT_384),
    },
    "vit_base_patch32_384": {
        "augreg_in21k_ft_in1k": _augreg_ft(
            "B_32-i21k-300ep-lr_0.001-aug_light1-wd_0.1-do_0.0-sd_0.0", "0.03", 384, **_AT_384
        ),
        "augreg_in1k": _augreg_ft("B_32-i1k-300ep-lr_0.001-aug_medium2-wd_0.1-do_0.1-sd_0.1", "0.01", 384, **_AT_384),
    },
    "vit_large_patch16_384": {
        "augreg_in21k_ft_in1k": _augreg_ft(
            "L_16-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.1-sd_0.1", "0.01", 384, **_AT_384
        ),
    },
    "deit_tiny_patch16_224": {"fb_in1k": _deit("deit_tiny_patch16_224-a1311bcf")},
    "deit_small_patch16_224": {"fb_in1k": _deit("deit_small_patch16_224-cd65a155")},
    "deit_base_patch16_224": {"fb_in1k": _deit("deit_base_patch16_224-b5f2ef4d")},
    "deit_base_patch16_384": {"fb_in1k": _deit("deit_base_patch16_384-8de9b5d1", **_AT_384)},
    "deit_tiny_distilled_patch16_224": {
        "fb_in1k": _deit("deit_tiny_distilled_patch16_224-b40b3cf7", **_DISTILLED_HEAD),
    },
    "deit_small_distilled_patch16_224": {
        "fb_in1k": _deit("deit_small_distilled_patch16_224-649709d9", **_DISTILLED_HEAD),
    },
    "deit_base_distilled_patch16_224": {
        "fb_in1k": _deit("deit_base_distilled_patch16_224-df68dfff", **_DISTILLED_HEAD),
    },
    "deit3_small_patch16_224": {
        "fb_in1k": _deit("deit_3_small_224_1k"),
        "fb_in22k_ft_in1k": _deit("deit_3_small_224_21k", crop_pct=1.0),
    },
    "deit3_base_patch16_224": {
        "fb_in1k": _deit("deit_3_base_224_1k"),
        "fb_in22k_ft_in1k": _deit("deit_3_base_224_21k", crop_pct=1.0),
    },
    "deit3_large_patch16_224": {
        "fb_in1k": _deit("deit_3_large_224_1k"),
        "fb_in22k_ft_in1k": _deit("deit_3_large_224_21k", crop_pct=1.0),
    },
}
