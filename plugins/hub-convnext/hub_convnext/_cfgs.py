"""Pretrained cfgs of every ConvNeXt and ConvNeXt-V2 tag, in timm's order (first = default).

Torch-free data: each tag is the cfg of its generation (`V1`, `V2`) at its input size, changed
by its recipe and its own values. The weights live at ``timm/<arch>.<tag>`` on the Hugging Face
Hub. The classifier's pool size follows the input size.
"""

from __future__ import annotations

from typing import Any

from hub import IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD, OPENAI_CLIP_MEAN, OPENAI_CLIP_STD, PretrainedCfg

__all__ = ["PRETRAINED", "V1", "V2"]

_FB = "https://dl.fbaipublicfiles.com/convnext"
_RSB = "https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-rsb-weights"

V1 = PretrainedCfg(hf_hub_id="timm/", first_conv="stem.0", classifier="head.fc", license="apache-2.0")
V2 = V1.replace(
    license="cc-by-nc-4.0",
    paper_ids="arXiv:2301.00808",
    paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders",
    origin_url="https://github.com/facebookresearch/ConvNeXt-V2",
)


def _cfg(size: int = 224, *, v2: bool = False, **changes: Any) -> PretrainedCfg:
    """The generation's cfg at a square input ``size``, then the tag's own ``changes``."""
    at_size = {"input_size": (3, size, size), "pool_size": (size // 32, size // 32)}
    return (V2 if v2 else V1).replace(at_size, changes)


def _ft(url: str | None = None, *, v2: bool = False, test_crop_pct: float = 1.0, **changes: Any) -> PretrainedCfg:
    """A 224 px model that is best evaluated at 288 px."""
    return _cfg(url=url, v2=v2, test_input_size=(3, 288, 288), test_crop_pct=test_crop_pct, **changes)


def _r384(url: str | None = None, *, v2: bool = False, **changes: Any) -> PretrainedCfg:
    """A fine-tune at 384 px, evaluated on a squashed full image."""
    return _cfg(384, url=url, v2=v2, crop_pct=1.0, crop_mode="squash", **changes)


def _clip(size: int, **changes: Any) -> PretrainedCfg:
    """LAION CLIP image towers (and their fine-tunes): CLIP normalisation, full-image crop."""
    return _cfg(size, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, crop_pct=1.0, **changes)


# timm's 3600-epoch RandAugment-4 recipe and its test networks: inputs scaled to [-1, 1].
INCEPTION_NORM: dict[str, Any] = {"mean": IMAGENET_INCEPTION_MEAN, "std": IMAGENET_INCEPTION_STD}


def _dinov3() -> PretrainedCfg:
    return _cfg(crop_pct=1.0, num_classes=0, license="dinov3-license")


def _eupe() -> PretrainedCfg:
    return _cfg(256, crop_pct=1.0, num_classes=0, license="fair-noncommercial-research-license")


def _fb(name: str) -> str:
    return f"{_FB}/{name}"


def _fb_v2(folder: str, name: str) -> str:
    return f"{_FB}/convnextv2/{folder}/{name}"


PRETRAINED: dict[str, dict[str, PretrainedCfg]] = {
    "convnext_zepto_rms": {"ra4_e3600_r224_in1k": _cfg(**INCEPTION_NORM)},
    "convnext_zepto_rms_ols": {"ra4_e3600_r224_in1k": _cfg(crop_pct=0.9, **INCEPTION_NORM)},
    "convnext_atto": {
        "d2_in1k": _ft(f"{_RSB}/convnext_atto_d2-01bb0f51.pth", test_crop_pct=0.95),
    },
    "convnext_atto_ols": {
        "a2_in1k": _ft(f"{_RSB}/convnext_atto_ols_a2-78d1c8f3.pth", test_crop_pct=0.95),
    },
    "convnext_atto_rms": {
        "untrained": _cfg(hf_hub_id=None, test_input_size=(3, 256, 256), test_crop_pct=0.95),
    },
    "convnext_femto": {
        "d1_in1k": _ft(f"{_RSB}/convnext_femto_d1-d71d5b4c.pth", test_crop_pct=0.95),
    },
    "convnext_femto_ols": {
        "d1_in1k": _ft(f"{_RSB}/convnext_femto_ols_d1-246bf2ed.pth", test_crop_pct=0.95),
    },
    "convnext_pico": {
        "d1_in1k": _ft(f"{_RSB}/convnext_pico_d1-10ad7f0d.pth", test_crop_pct=0.95),
    },
    "convnext_pico_ols": {
        "d1_in1k": _ft(f"{_RSB}/convnext_pico_ols_d1-611f0ca7.pth", crop_pct=0.95),
    },
    "convnext_nano": {
        "in12k_ft_in1k": _ft(crop_pct=0.95),
        "d1h_in1k": _ft(f"{_RSB}/convnext_nano_d1h-7eb4bdea.pth", crop_pct=0.95),
        "r384_in12k_ft_in1k": _cfg(384, crop_pct=1.0),
        "in12k": _cfg(crop_pct=0.95, num_classes=11821),
        "r384_in12k": _cfg(384, crop_pct=1.0, num_classes=11821),
        "r384_ad_in12k": _cfg(384, crop_pct=1.0, num_classes=11821),
    },
    "convnext_nano_ols": {
        "d1h_in1k": _ft(f"{_RSB}/convnext_nano_ols_d1h-ae424a9a.pth", crop_pct=0.95),
    },
    "convnext_tiny": {
        "in12k_ft_in1k": _ft(crop_pct=0.95),
        "in12k_ft_in1k_384": _r384(),
        "in12k": _cfg(crop_pct=0.95, num_classes=11821),
        "fb_in22k_ft_in1k": _ft(_fb("convnext_tiny_22k_1k_224.pth")),
        "fb_in1k": _ft(_fb("convnext_tiny_1k_224_ema.pth")),
        "fb_in22k_ft_in1k_384": _r384(_fb("convnext_tiny_22k_1k_384.pth")),
        "fb_in22k": _cfg(url=_fb("convnext_tiny_22k_224.pth"), num_classes=21841),
        "dinov3_lvd1689m": _dinov3(),
        "eupe_lvd1689m": _eupe(),
    },
    "convnext_tiny_hnf": {
        "a2h_in1k": _ft(f"{_RSB}/convnext_tiny_hnf_a2h-ab7e9df2.pth", crop_pct=0.95),
    },
    "convnext_small": {
        "in12k_ft_in1k": _ft(crop_pct=0.95),
        "in12k_ft_in1k_384": _r384(),
        "in12k": _cfg(crop_pct=0.95, num_classes=11821),
        "fb_in22k_ft_in1k": _ft(_fb("convnext_small_22k_1k_224.pth")),
        "fb_in1k": _ft(_fb("convnext_small_1k_224_ema.pth")),
        "fb_in22k_ft_in1k_384": _r384(_fb("convnext_small_22k_1k_384.pth")),
        "fb_in22k": _cfg(url=_fb("convnext_small_22k_224.pth"), num_classes=21841),
        "dinov3_lvd1689m": _dinov3(),
        "eupe_lvd1689m": _eupe(),
    },
    "convnext_base": {
        "fb_in22k_ft_in1k": _ft(_fb("convnext_base_22k_1k_224.pth")),
        "fb_in1k": _ft(_fb("convnext_base_1k_224_ema.pth")),
        "fb_in22k_ft_in1k_384": _r384(_fb("convnext_base_22k_1k_384.pth")),
        "fb_in22k": _cfg(url=_fb("convnext_base_22k_224.pth"), num_classes=21841),
        "clip_laion2b_augreg_ft_in12k_in1k": _clip(256),
        "clip_laion2b_augreg_ft_in12k_in1k_384": _clip(384, crop_mode="squash"),
        "clip_laion2b_augreg_ft_in1k": _clip(256),
        "clip_laiona_augreg_ft_in1k_384": _clip(384),
        "clip_laion2b_augreg_ft_in12k": _clip(256, num_classes=11821),
        # The CLIP towers themselves: the classifier is the projection into the text space.
        "clip_laion2b": _clip(256, num_classes=640),
        "clip_laion2b_augreg": _clip(256, num_classes=640),
        "clip_laiona": _clip(256, num_classes=640),
        "clip_laiona_320": _clip(320, num_classes=640),
        "clip_laiona_augreg_320": _clip(320, num_classes=640),
        "dinov3_lvd1689m": _dinov3(),
        "eupe_lvd1689m": _eupe(),
    },
    "convnext_large": {
        "fb_in22k_ft_in1k": _ft(_fb("convnext_large_22k_1k_224.pth")),
        "fb_in1k": _ft(_fb("convnext_large_1k_224_ema.pth")),
        "fb_in22k_ft_in1k_384": _r384(_fb("convnext_large_22k_1k_384.pth")),
        "fb_in22k": _cfg(url=_fb("convnext_large_22k_224.pth"), num_classes=21841),
        "dinov3_lvd1689m": _dinov3(),
    },
    "convnext_large_mlp": {
        "clip_laion2b_soup_ft_in12k_in1k_320": _clip(320),
        "clip_laion2b_soup_ft_in12k_in1k_384": _clip(384, crop_mode="squash"),
        "clip_laion2b_augreg_ft_in1k": _clip(256),
        "clip_laion2b_augreg_ft_in1k_384": _clip(384, crop_mode="squash"),
        "clip_laion2b_soup_ft_in12k_320": _clip(320, num_classes=11821),
        "clip_laion2b_augreg_ft_in12k_384": _clip(384, crop_mode="squash", num_classes=11821),
        "clip_laion2b_soup_ft_in12k_384": _clip(384, crop_mode="squash", num_classes=11821),
        # The CLIP towers: the classifier is the projection into the text space.
        "clip_laion2b_augreg": _clip(256, num_classes=768),
        "clip_laion2b_ft_320": _clip(320, num_classes=768),
        "clip_laion2b_ft_soup_320": _clip(320, num_classes=768),
    },
    "convnext_xlarge": {
        "fb_in22k_ft_in1k": _ft(_fb("convnext_xlarge_22k_1k_224_ema.pth")),
        "fb_in22k_ft_in1k_384": _r384(_fb("convnext_xlarge_22k_1k_384_ema.pth")),
        "fb_in22k": _cfg(url=_fb("convnext_xlarge_22k_224.pth"), num_classes=21841),
    },
    "convnext_xxlarge": {
        "clip_laion2b_soup_ft_in1k": _clip(256),
        "clip_laion2b_soup_ft_in12k": _clip(256, num_classes=11821),
        "clip_laion2b_soup": _clip(256, num_classes=1024),
        "clip_laion2b_rewind": _clip(256, num_classes=1024),
    },
    "convnextv2_atto": {
        "fcmae_ft_in1k": _ft(_fb_v2("im1k", "convnextv2_atto_1k_224_ema.pt"), v2=True, test_crop_pct=0.95),
        "fcmae": _cfg(url=_fb_v2("pt_only", "convnextv2_atto_1k_224_fcmae.pt"), v2=True, num_classes=0),
    },
    "convnextv2_femto": {
        "fcmae_ft_in1k": _ft(_fb_v2("im1k", "convnextv2_femto_1k_224_ema.pt"), v2=True, test_crop_pct=0.95),
        "fcmae": _cfg(url=_fb_v2("pt_only", "convnextv2_femto_1k_224_fcmae.pt"), v2=True, num_classes=0),
    },
    "convnextv2_pico": {
        "fcmae_ft_in1k": _ft(_fb_v2("im1k", "convnextv2_pico_1k_224_ema.pt"), v2=True, test_crop_pct=0.95),
        "fcmae": _cfg(url=_fb_v2("pt_only", "convnextv2_pico_1k_224_fcmae.pt"), v2=True, num_classes=0),
    },
    "convnextv2_nano": {
        "fcmae_ft_in22k_in1k": _ft(_fb_v2("im22k", "convnextv2_nano_22k_224_ema.pt"), v2=True),
        "fcmae_ft_in22k_in1k_384": _r384(_fb_v2("im22k", "convnextv2_nano_22k_384_ema.pt"), v2=True),
        "fcmae_ft_in1k": _ft(_fb_v2("im1k", "convnextv2_nano_1k_224_ema.pt"), v2=True),
        "fcmae": _cfg(url=_fb_v2("pt_only", "convnextv2_nano_1k_224_fcmae.pt"), v2=True, num_classes=0),
    },
    "convnextv2_tiny": {
        "fcmae_ft_in22k_in1k": _ft(_fb_v2("im22k", "convnextv2_tiny_22k_224_ema.pt"), v2=True),
        "fcmae_ft_in22k_in1k_384": _r384(_fb_v2("im22k", "convnextv2_tiny_22k_384_ema.pt"), v2=True),
        "fcmae_ft_in1k": _ft(_fb_v2("im1k", "convnextv2_tiny_1k_224_ema.pt"), v2=True),
        "fcmae": _cfg(url=_fb_v2("pt_only", "convnextv2_tiny_1k_224_fcmae.pt"), v2=True, num_classes=0),
    },
    "convnextv2_small": {
        # No weights; timm gives this placeholder its V1 defaults (apache-2.0, no paper).
        "untrained": _cfg(hf_hub_id=None),
    },
    "convnextv2_base": {
        "fcmae_ft_in22k_in1k": _ft(_fb_v2("im22k", "convnextv2_base_22k_224_ema.pt"), v2=True),
        "fcmae_ft_in22k_in1k_384": _r384(_fb_v2("im22k", "convnextv2_base_22k_384_ema.pt"), v2=True),
        "fcmae_ft_in1k": _ft(_fb_v2("im1k", "convnextv2_base_1k_224_ema.pt"), v2=True),
        "fcmae": _cfg(url=_fb_v2("pt_only", "convnextv2_base_1k_224_fcmae.pt"), v2=True, num_classes=0),
    },
    "convnextv2_large": {
        "fcmae_ft_in22k_in1k": _ft(_fb_v2("im22k", "convnextv2_large_22k_224_ema.pt"), v2=True),
        "fcmae_ft_in22k_in1k_384": _r384(_fb_v2("im22k", "convnextv2_large_22k_384_ema.pt"), v2=True),
        "fcmae_ft_in1k": _ft(_fb_v2("im1k", "convnextv2_large_1k_224_ema.pt"), v2=True),
        "fcmae": _cfg(url=_fb_v2("pt_only", "convnextv2_large_1k_224_fcmae.pt"), v2=True, num_classes=0),
    },
    "convnextv2_huge": {
        "fcmae_ft_in22k_in1k_384": _r384(_fb_v2("im22k", "convnextv2_huge_22k_384_ema.pt"), v2=True),
        # timm records a 15x15 final map for this 512 px fine-tune (16x16 by the stride).
        "fcmae_ft_in22k_in1k_512": _cfg(
            512,
            url=_fb_v2("im22k", "convnextv2_huge_22k_512_ema.pt"),
            v2=True,
            crop_pct=1.0,
            crop_mode="squash",
            pool_size=(15, 15),
        ),
        "fcmae_ft_in1k": _ft(_fb_v2("im1k", "convnextv2_huge_1k_224_ema.pt"), v2=True),
        "fcmae": _cfg(url=_fb_v2("pt_only", "convnextv2_huge_1k_224_fcmae.pt"), v2=True, num_classes=0),
    },
    "test_convnext": {"r160_in1k": _cfg(160, crop_pct=0.95, **INCEPTION_NORM)},
    "test_convnext2": {"r160_in1k": _cfg(160, crop_pct=0.95, **INCEPTION_NORM)},
    "test_convnext3": {"r160_in1k": _cfg(160, crop_pct=0.95, **INCEPTION_NORM)},
}
