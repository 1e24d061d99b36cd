"""Pretrained cfgs of the weights learnt from images alone: supervised (ViT, AugReg, DeiT, timm's
own), self-supervised (DINO, DINOv2, MAE, I-JEPA, EVA's MIM) and BEiT-3. No torch.

Tags are listed in timm's order, the default tag first.
"""

from __future__ import annotations

from typing import Any

from hub import PretrainedCfg
from hub_vit._cfg_presets import (
    CLIP,
    FULL_CROP,
    HEADLESS,
    INCEPTION,
    UNIT,
    UNTRAINED,
    augreg_ft,
    augreg_in21k,
    tag,
)

__all__ = ["VISION_CFGS"]

_FB = "https://dl.fbaipublicfiles.com/"
_TIMM_RELEASES = "https://github.com/rwightman/pytorch-image-models/releases/download/"
_AT_384: dict[str, Any] = {"input_size": (3, 384, 384), "crop_pct": 1.0}
_IN12K: dict[str, Any] = {"num_classes": 11821}
# timm's own recipes: [-1, 1] inputs, cropped at 0.95
_TIMM = {**INCEPTION, "crop_pct": 0.95}
_SBB = {**_TIMM, "input_size": (3, 256, 256)}  # "searching for better baselines", at 256 px
_GOOGLE_UNTRAINED = {**INCEPTION, **UNTRAINED}


def _released(path: str, *presets: dict[str, Any], **changes: Any) -> PretrainedCfg:
    """Weights attached to a release of timm's repository, converted from their original format."""
    return tag(INCEPTION, *presets, url=f"{_TIMM_RELEASES}{path}.pth", **changes)


def _sam(name: str) -> PretrainedCfg:
    """Sharpness-aware minimisation (SAM) weights, a JAX .npz."""
    return tag(INCEPTION, url=f"https://storage.googleapis.com/vit_models/sam/{name}.npz", custom_load=True)


def _dino(name: str) -> PretrainedCfg:
    return tag(HEADLESS, url=f"{_FB}dino/{name}/{name}.pth")


def _mae(name: str) -> PretrainedCfg:
    return tag(HEADLESS, url=f"{_FB}mae/pretrain/{name}.pth", license="cc-by-nc-4.0")


def _dinov2(model: str, registers: bool = False) -> PretrainedCfg:
    """DINOv2 (LVD-142M) weights of ``model`` ("vits14", ...), made for 518 px."""
    name = f"dinov2_{model}_reg4" if registers else f"dinov2_{model}"
    return tag(HEADLESS, FULL_CROP, size=518, url=f"{_FB}dinov2/dinov2_{model}/{name}_pretrain.pth")


def _ijepa(file: str, *presets: dict[str, Any], **changes: Any) -> PretrainedCfg:
    """I-JEPA weights: only in their original checkpoint, not on the Hugging Face Hub."""
    return tag(HEADLESS, UNTRAINED, *presets, url=f"{_FB}ijepa/{file}.pth.tar", license="cc-by-nc-4.0", **changes)


def _flexivit(file: str, **changes: Any) -> PretrainedCfg:
    """FlexiViT weights (big_vision, a JAX .npz), at 240 px."""
    url = f"https://storage.googleapis.com/big_vision/flexivit/{file}.npz"
    return tag(_TIMM, size=240, url=url, custom_load=True, **changes)


def _deit(file: str, *presets: dict[str, Any], **changes: Any) -> PretrainedCfg:
    return tag(*presets, url=f"{_FB}deit/{file}.pth", **changes)


_DISTILLED_HEAD = {"classifier": ("head", "head_dist")}
_DEIT3_IN22K = {"crop_pct": 1.0}


def _deit3(size: str, resolution: int = 224, v1: bool = False) -> dict[str, PretrainedCfg]:
    """DeiT III's two tags for a ``size`` ("small", ...) at ``resolution``: ImageNet-1k, and 22k then 1k."""
    at_384 = _AT_384 if resolution == 384 else {}
    in22k = f"deit_3_{size}_{resolution}_21k" + ("_v1" if v1 else "")
    return {
        "fb_in1k": _deit(f"deit_3_{size}_{resolution}_1k", at_384),
        "fb_in22k_ft_in1k": _deit(in22k, at_384, _DEIT3_IN22K),
    }


_TI16_IN21K = "Ti_16-i21k-300ep-lr_0.001-aug_none-wd_0.03-do_0.0-sd_0.0"
_S32_IN21K = "S_32-i21k-300ep-lr_0.001-aug_light1-wd_0.03-do_0.0-sd_0.0"
_S16_IN21K = "S_16-i21k-300ep-lr_0.001-aug_light1-wd_0.03-do_0.0-sd_0.0"
_S16_IN1K = "S_16-i1k-300ep-lr_0.001-aug_medium2-wd_0.1-do_0.0-sd_0.0"
_B32_IN21K = "B_32-i21k-300ep-lr_0.001-aug_medium1-wd_0.03-do_0.0-sd_0.0"
_B32_IN1K = "B_32-i1k-300ep-lr_0.001-aug_medium2-wd_0.1-do_0.1-sd_0.1"
_B16_IN21K = "B_16-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.0-sd_0.0"
_B16_IN1K = "B_16-i1k-300ep-lr_0.001-aug_strong2-wd_0.1-do_0.1-sd_0.1"
_B8_IN21K = "B_8-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.0-sd_0.0"
_L16_IN21K = "L_16-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.1-sd_0.1"

VISION_CFGS: dict[str, dict[str, PretrainedCfg]] = {
    # ViT: AugReg (Google), the original in21k weights, SAM, DINO, MAE
    "vit_tiny_patch16_224": {
        "augreg_in21k_ft_in1k": augreg_ft(_TI16_IN21K, "0.03"),
        "augreg_in21k": augreg_in21k(_TI16_IN21K),
    },
    "vit_tiny_patch16_384": {"augreg_in21k_ft_in1k": augreg_ft(_TI16_IN21K, "0.03", 384)},
    "vit_small_patch32_224": {
        "augreg_in21k_ft_in1k": augreg_ft(_S32_IN21K, "0.03"),
        "augreg_in21k": augreg_in21k(_S32_IN21K),
    },
    "vit_small_patch32_384": {"augreg_in21k_ft_in1k": augreg_ft(_S32_IN21K, "0.03", 384)},
    "vit_small_patch16_224": {
        "augreg_in21k_ft_in1k": augreg_ft(_S16_IN21K, "0.03"),
        "augreg_in1k": augreg_ft(_S16_IN1K, "0.01"),
        "augreg_in21k": augreg_in21k(_S16_IN21K),
        "dino": _dino("dino_deitsmall16_pretrain"),
    },
    "vit_small_patch16_384": {
        "augreg_in21k_ft_in1k": augreg_ft(_S16_IN21K, "0.03", 384),
        "augreg_in1k": augreg_ft(_S16_IN1K, "0.01", 384),
    },
    "vit_small_patch8_224": {"dino": _dino("dino_deitsmall8_pretrain")},
    "vit_base_patch32_224": {
        "augreg_in21k_ft_in1k": augreg_ft(_B32_IN21K, "0.03"),
        "augreg_in1k": augreg_ft(_B32_IN1K, "0.01"),
        "orig_in21k": tag(INCEPTION, HEADLESS),
        "augreg_in21k": augreg_in21k(_B32_IN21K),
        "sam_in1k": _sam("ViT-B_32"),
    },
    "vit_base_patch32_384": {
        "augreg_in21k_ft_in1k": augreg_ft("B_32-i21k-300ep-lr_0.001-aug_light1-wd_0.1-do_0.0-sd_0.0", "0.03", 384),
        "augreg_in1k": augreg_ft(_B32_IN1K, "0.01", 384),
    },
    "vit_base_patch16_224": {
        # re-fine-tuned by timm from the AugReg in21k weights; only on the Hugging Face Hub
        "augreg2_in21k_ft_in1k": tag(INCEPTION),
        "augreg_in21k_ft_in1k": augreg_ft(_B16_IN21K, "0.01"),
        "orig_in21k_ft_in1k": _released("v0.1-vitjx/jx_vit_base_p16_224-80ecf9dd"),
        "augreg_in1k": augreg_ft(_B16_IN1K, "0.01"),
        "orig_in21k": tag(INCEPTION, HEADLESS),
        "augreg_in21k": augreg_in21k(_B16_IN21K),
        "sam_in1k": _sam("ViT-B_16"),
        "bamboo": tag(
            CLIP,
            FULL_CROP,
            num_classes=115217,
            license=None,
            origin_url="https://github.com/ZhangYuanhan-AI/Bamboo",
            paper_ids="arXiv:2203.07845",
        ),
        "dino": _dino("dino_vitbase16_pretrain"),
        "mae": _mae("mae_pretrain_vit_base"),
    },
    "vit_base_patch16_384": {
        "augreg_in21k_ft_in1k": augreg_ft(_B16_IN21K, "0.01", 384),
        "orig_in21k_ft_in1k": _released("v0.1-vitjx/jx_vit_base_p16_384-83fb41ba", _AT_384),
        "augreg_in1k": augreg_ft(_B16_IN1K, "0.01", 384),
    },
    "vit_base_patch8_224": {
        "augreg2_in21k_ft_in1k": tag(INCEPTION),
        "augreg_in21k_ft_in1k": augreg_ft(_B8_IN21K, "0.01"),
        "augreg_in21k": augreg_in21k(_B8_IN21K),
        "dino": _dino("dino_vitbase8_pretrain"),
    },
    "vit_large_patch32_224": {"orig_in21k": tag(INCEPTION, HEADLESS)},
    "vit_large_patch32_384": {
        "orig_in21k_ft_in1k": _released("v0.1-vitjx/jx_vit_large_p32_384-9b920ba8", _AT_384),
    },
    "vit_large_patch16_224": {
        "augreg_in21k_ft_in1k": augreg_ft(_L16_IN21K, "0.01"),
        "orig_in21k": tag(INCEPTION, HEADLESS),
        "augreg_in21k": augreg_in21k(_L16_IN21K),
        "mae": _mae("mae_pretrain_vit_large"),
    },
    "vit_large_patch16_384": {"augreg_in21k_ft_in1k": augreg_ft(_L16_IN21K, "0.01", 384)},
    "vit_large_patch14_224": {"untrained": tag(_GOOGLE_UNTRAINED)},
    "vit_huge_patch14_224": {
        "orig_in21k": tag(INCEPTION, HEADLESS),
        "untrained": tag(_GOOGLE_UNTRAINED),
        "mae": _mae("mae_pretrain_vit_huge"),
    },
    "vit_giant_patch14_224": {"untrained": tag(_GOOGLE_UNTRAINED)},
    "vit_gigantic_patch14_224": {"untrained": tag(_GOOGLE_UNTRAINED)},
    "vit_base_patch16_224_miil": {
        "in21k": _released(
            "v0.1-tresnet/vit_base_patch16_224_in21k_miil-887286df",
            UNIT,
            interpolation="bilinear",
            crop_pct=0.875,
            num_classes=11221,
        ),
        "in21k_ft_in1k": _released(
            "v0.1-tresnet/vit_base_patch16_224_1k_miil_84_4-2deb18e3", UNIT, interpolation="bilinear", crop_pct=0.875
        ),
    },
    # average-pooled, without class token: timm's own and I-JEPA
    "vit_medium_patch16_gap_240": {"sw_in12k": tag(_TIMM, _IN12K, size=240)},
    "vit_medium_patch16_gap_256": {"sw_in12k_ft_in1k": tag(_SBB)},
    "vit_medium_patch16_gap_384": {"sw_in12k_ft_in1k": tag(_TIMM, size=384, crop_mode="squash")},
    "vit_betwixt_patch16_gap_256": {"untrained": tag(_SBB, UNTRAINED)},
    "vit_base_patch16_gap_224": {"untrained": tag(_GOOGLE_UNTRAINED)},
    "vit_huge_patch14_gap_224": {
        "in1k_ijepa": _ijepa("IN1K-vit.h.14-300e"),
        "in22k_ijepa": _ijepa("IN22K-vit.h.14-900e"),
    },
    "vit_huge_patch16_gap_448": {"in1k_ijepa": _ijepa("IN1K-vit.h.16-448px-300e", FULL_CROP, size=448)},
    "vit_giant_patch16_gap_224": {"in22k_ijepa": _ijepa("IN22K-vit.g.16-600e")},
    # ViT-B/16+ and B/32+, residual post-norm, parallel and deep-narrow experiments
    "vit_base_patch32_plus_256": {"untrained": tag(_TIMM, UNTRAINED, size=256)},
    "vit_base_patch16_plus_240": {"untrained": tag(_TIMM, UNTRAINED, size=240)},
    "vit_base_patch16_rpn_224": {"sw_in1k": _released("v0.1-tpu-weights/vit_base_patch16_rpn_224-sw-3b07e89d")},
    "vit_small_patch16_36x1_224": {"untrained": tag(_GOOGLE_UNTRAINED)},
    "vit_small_patch16_18x2_224": {"untrained": tag(_GOOGLE_UNTRAINED)},
    "vit_base_patch16_18x2_224": {"untrained": tag(_GOOGLE_UNTRAINED)},
    # EVA (MIM pre-trained, then fine-tuned)
    "eva_large_patch14_196": {
        "in22k_ft_in22k_in1k": tag(CLIP, FULL_CROP, size=196, license="mit"),
        "in22k_ft_in1k": tag(CLIP, FULL_CROP, size=196, license="mit"),
    },
    "eva_large_patch14_336": {
        "in22k_ft_in22k_in1k": tag(CLIP, FULL_CROP, size=336, crop_mode="squash", license="mit"),
        "in22k_ft_in1k": tag(CLIP, FULL_CROP, size=336, crop_mode="squash", license="mit"),
    },
    # FlexiViT
    "flexivit_small": {
        "1200ep_in1k": _flexivit("flexivit_s_i1k"),
        "600ep_in1k": _flexivit("flexivit_s_i1k_600ep"),
        "300ep_in1k": _flexivit("flexivit_s_i1k_300ep"),
    },
    "flexivit_base": {
        "1200ep_in1k": _flexivit("flexivit_b_i1k"),
        "600ep_in1k": _flexivit("flexivit_b_i1k_600ep"),
        "300ep_in1k": _flexivit("flexivit_b_i1k_300ep"),
        "1000ep_in21k": _flexivit("flexivit_b_i21k_1000ep", num_classes=21843),
        "300ep_in21k": _flexivit("flexivit_b_i21k_300ep", num_classes=21843),
        "patch16_in21k": _flexivit("vit_b16_i21k_300ep", num_classes=21843),
        "patch30_in21k": _flexivit("vit_b30_i21k_300ep", num_classes=21843),
    },
    "flexivit_large": {
        "1200ep_in1k": _flexivit("flexivit_l_i1k"),
        "600ep_in1k": _flexivit("flexivit_l_i1k_600ep"),
        "300ep_in1k": _flexivit("flexivit_l_i1k_300ep"),
    },
    # parallel blocks with qk-norm
    "vit_base_patch16_xp_224": {"untrained": tag(_GOOGLE_UNTRAINED)},
    "vit_large_patch14_xp_224": {"untrained": tag(_GOOGLE_UNTRAINED)},
    "vit_huge_patch14_xp_224": {"untrained": tag(_GOOGLE_UNTRAINED)},
    # DINOv2
    "vit_small_patch14_dinov2": {"lvd142m": _dinov2("vits14")},
    "vit_base_patch14_dinov2": {"lvd142m": _dinov2("vitb14")},
    "vit_large_patch14_dinov2": {"lvd142m": _dinov2("vitl14")},
    "vit_giant_patch14_dinov2": {"lvd142m": _dinov2("vitg14")},
    "vit_small_patch14_reg4_dinov2": {"lvd142m": _dinov2("vits14", registers=True)},
    "vit_base_patch14_reg4_dinov2": {"lvd142m": _dinov2("vitb14", registers=True)},
    "vit_large_patch14_reg4_dinov2": {"lvd142m": _dinov2("vitl14", registers=True)},
    "vit_giant_patch14_reg4_dinov2": {"lvd142m": _dinov2("vitg14", registers=True)},
    # SBB: register tokens, average pool
    "vit_wee_patch16_reg1_gap_256": {"sbb_in1k": tag(_SBB)},
    "vit_dwee_patch16_reg1_gap_256": {"sbb_nadamuon_in1k": tag(_SBB), "sbb_in1k": tag(_SBB)},
    "vit_pwee_patch16_reg1_gap_256": {"sbb_in1k": tag(_SBB)},
    "vit_dpwee_patch16_reg1_gap_256": {"sbb_nadamuon_in1k": tag(_SBB), "sbb_in1k": tag(_SBB)},
    "vit_little_patch16_reg1_gap_256": {"sbb_in12k_ft_in1k": tag(_SBB), "sbb_in12k": tag(_SBB, _IN12K)},
    "vit_dlittle_patch16_reg1_gap_256": {"sbb_nadamuon_in1k": tag(_SBB)},
    "vit_little_patch16_reg4_gap_256": {"sbb_in1k": tag(_SBB)},
    "vit_medium_patch16_reg1_gap_256": {"sbb_in1k": tag(_SBB)},
    "vit_medium_patch16_reg4_gap_256": {
        "sbb_in12k_ft_in1k": tag(_SBB),
        "sbb_in1k": tag(_SBB),
        "sbb_in12k": tag(_SBB, _IN12K),
    },
    "vit_mediumd_patch16_reg4_gap_256": {
        "sbb2_e200_in12k_ft_in1k": tag(_SBB),
        "sbb_in12k_ft_in1k": tag(_SBB),
        "sbb2_e200_in12k": tag(_SBB, _IN12K),
        "sbb_in12k": tag(_SBB, _IN12K),
    },
    "vit_mediumd_patch16_reg4_gap_384": {"sbb2_e200_in12k_ft_in1k": tag(INCEPTION, _AT_384)},
    "vit_betwixt_patch16_reg1_gap_256": {"sbb_in1k": tag(_SBB)},
    "vit_betwixt_patch16_reg4_gap_256": {
        "sbb2_e200_in12k_ft_in1k": tag(_SBB),
        "sbb_in12k_ft_in1k": tag(_SBB),
        "sbb_in1k": tag(_SBB),
        "sbb2_e200_in12k": tag(_SBB, _IN12K),
        "sbb_in12k": tag(_SBB, _IN12K),
    },
    "vit_betwixt_patch16_reg4_gap_384": {"sbb2_e200_in12k_ft_in1k": tag(INCEPTION, _AT_384)},
    "vit_base_patch16_reg4_gap_256": {"untrained": tag(_GOOGLE_UNTRAINED, size=256)},
    "vit_so150m_patch16_reg4_map_256": {"untrained": tag(_GOOGLE_UNTRAINED, size=256)},
    "vit_so150m_patch16_reg4_gap_256": {
        "sbb_e250_in12k_ft_in1k": tag(_SBB),
        "sbb_e250_in12k": tag(_SBB, _IN12K),
    },
    "vit_so150m_patch16_reg4_gap_384": {"sbb_e250_in12k_ft_in1k": tag(INCEPTION, _AT_384)},
    "vit_so150m2_patch16_reg1_gap_256": {
        "sbb_e200_in12k_ft_in1k": tag(INCEPTION, FULL_CROP, size=256),
        "sbb_e200_in12k": tag(INCEPTION, FULL_CROP, _IN12K, size=256),
    },
    "vit_so150m2_patch16_reg1_gap_384": {"sbb_e200_in12k_ft_in1k": tag(INCEPTION, _AT_384)},
    "vit_so150m2_patch16_reg1_gap_448": {
        "sbb_e200_in12k_ft_in1k": tag(INCEPTION, FULL_CROP, size=448, crop_mode="squash"),
    },
    # BEiT-3's image tower
    "beit3_base_patch16_224": {
        "in22k_ft_in1k": tag(FULL_CROP),
        "indomain_in22k_ft_in1k": tag(FULL_CROP),
        "pt": tag(FULL_CROP, HEADLESS),
        "indomain_pt": tag(FULL_CROP, HEADLESS),
    },
    "beit3_large_patch16_224": {
        "in22k_ft_in1k": tag(FULL_CROP),
        "indomain_in22k_ft_in1k": tag(FULL_CROP),
        "pt": tag(FULL_CROP, HEADLESS),
        "indomain_pt": tag(FULL_CROP, HEADLESS),
    },
    "beit3_giant_patch14_224": {"untrained": tag(FULL_CROP, UNTRAINED)},
    "beit3_giant_patch14_336": {"untrained": tag(FULL_CROP, UNTRAINED, size=336)},
    # timm's test models (test_vit4's weights are not published)
    "test_vit": {"r160_in1k": tag(_TIMM, size=160)},
    "test_vit2": {"r160_in1k": tag(_TIMM, size=160)},
    "test_vit3": {"r160_in1k": tag(_TIMM, size=160)},
    "test_vit4": {"r160_in1k": tag(_TIMM, UNTRAINED, size=160)},
    # DeiT, DeiT distilled, DeiT III
    "deit_tiny_patch16_224": {"fb_in1k": _deit("deit_tiny_patch16_224-a1311bcf")},
    "deit_small_patch16_224": {"fb_in1k": _deit("deit_small_patch16_224-cd65a155")},
    "deit_base_patch16_224": {"fb_in1k": _deit("deit_base_patch16_224-b5f2ef4d")},
    "deit_base_patch16_384": {"fb_in1k": _deit("deit_base_patch16_384-8de9b5d1", _AT_384)},
    "deit_tiny_distilled_patch16_224": {"fb_in1k": _deit("deit_tiny_distilled_patch16_224-b40b3cf7", _DISTILLED_HEAD)},
    "deit_small_distilled_patch16_224": {
        "fb_in1k": _deit("deit_small_distilled_patch16_224-649709d9", _DISTILLED_HEAD),
    },
    "deit_base_distilled_patch16_224": {"fb_in1k": _deit("deit_base_distilled_patch16_224-df68dfff", _DISTILLED_HEAD)},
    "deit_base_distilled_patch16_384": {
        "fb_in1k": _deit("deit_base_distilled_patch16_384-d0272ac0", _AT_384, _DISTILLED_HEAD),
    },
    "deit3_small_patch16_224": _deit3("small"),
    "deit3_small_patch16_384": _deit3("small", 384),
    "deit3_medium_patch16_224": _deit3("medium"),
    "deit3_base_patch16_224": _deit3("base"),
    "deit3_base_patch16_384": _deit3("base", 384),
    "deit3_large_patch16_224": _deit3("large"),
    "deit3_large_patch16_384": _deit3("large", 384),
    "deit3_huge_patch14_224": _deit3("huge", v1=True),
}
