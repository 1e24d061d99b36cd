"""Pretrained cfgs of the image towers learnt with text or for vision-language models: CLIP (OpenAI,
LAION, DataComp, DFN, MetaCLIP, TinyCLIP, MobileCLIP 2), SigLIP and SigLIP 2 (and PaliGemma's
towers), AIMv2, TIPSv2, InternViT and RADIO. No torch.

Tags are listed in timm's order, the default tag first. An image-text tag without a
fine-tuned classifier has ``num_classes`` set to the width of its image embedding (the
tower's projection) or to 0 (features only).
"""

from __future__ import annotations

from typing import Any

from hub import PretrainedCfg
from hub_vit._cfg_presets import CLIP, FULL_CROP, HEADLESS, INCEPTION, QUICKGELU_NOTE, UNIT, UNTRAINED, tag

__all__ = ["IMAGE_TEXT_CFGS"]

_IN12K: dict[str, Any] = {"num_classes": 11821}
_SQUASH: dict[str, Any] = {"crop_pct": 1.0, "crop_mode": "squash"}
# CLIP image-text weights: the tower's embedding as output, usually without a centre crop.
_CLIP_FULL = {**CLIP, **FULL_CROP}
_MIT = {"license": "mit"}  # OpenCLIP's LAION-400M runs and TinyCLIP
_DFN = {"license": "apple-ascl"}
_META = {"license": "cc-by-nc-4.0"}  # MetaCLIP, MetaCLIP 2
_METACLIP = {**_META, **QUICKGELU_NOTE}
# SigLIP and SigLIP 2: [-1, 1] inputs, the pooled embedding as output.
_SIGLIP = {**INCEPTION, **HEADLESS}
_PALI = {**_SIGLIP, **FULL_CROP}
_AIMV2 = {**_CLIP_FULL, **HEADLESS, "license": "apple-ascl"}
_TIPSV2 = {**UNIT, **FULL_CROP, **HEADLESS, "input_size": (3, 448, 448)}
_RADIO = {
    **_CLIP_FULL,
    **HEADLESS,
    "input_size": (3, 512, 512),
    "license": "nvidia-open-model-license",
    "origin_url": "https://github.com/NVlabs/RADIO",
}
_RADIO_V3 = {**_RADIO, "paper_ids": "arXiv:2412.07679"}
_RADIO_V4 = {**_RADIO, "paper_ids": "arXiv:2601.17237"}


def _shared(repo: str, *presets: dict[str, Any], **changes: Any) -> PretrainedCfg:
    """A QuickGELU variant's tag: the same weights as the GELU model's ``repo`` (``ARCH.TAG``) on the Hub."""
    return tag(*presets, hf_hub_id=f"timm/{repo}", **changes)


def _siglip(size: int, *presets: dict[str, Any], **changes: Any) -> PretrainedCfg:
    return tag(_SIGLIP, *presets, size=size, **changes)


def _siglip_tags(size: int, *tags: str) -> dict[str, PretrainedCfg]:
    return {name: _siglip(size) for name in tags}


def _aimv2(size: int, distilled: bool = False) -> dict[str, PretrainedCfg]:
    tags = {"apple_pt": tag(_AIMV2, size=size)}
    if distilled:
        tags["apple_pt_dist"] = tag(_AIMV2, size=size)
    return tags


IMAGE_TEXT_CFGS: dict[str, dict[str, PretrainedCfg]] = {
    # CLIP image towers
    "vit_xsmall_patch16_clip_224": {"tinyclip_yfcc15m": tag(CLIP, _MIT, num_classes=512)},
    "vit_medium_patch32_clip_224": {"tinyclip_laion400m": tag(CLIP, _MIT, num_classes=512)},
    "vit_medium_patch16_clip_224": {"tinyclip_yfcc15m": tag(CLIP, _MIT, num_classes=512)},
    "vit_betwixt_patch32_clip_224": {"tinyclip_laion400m": tag(CLIP, _MIT, num_classes=512)},
    "vit_base_patch32_clip_224": {
        "laion2b_ft_in12k_in1k": tag(CLIP),
        # the weights exist but are not published on the Hugging Face Hub
        "openai_ft_in12k_in1k": tag(CLIP, UNTRAINED),
        "laion2b_ft_in1k": tag(CLIP),
        "openai_ft_in1k": tag(CLIP),
        "laion2b": tag(CLIP, num_classes=512),
        "laion400m_e32": tag(CLIP, QUICKGELU_NOTE, _MIT, num_classes=512),
        "datacompxl": tag(_CLIP_FULL, num_classes=512),
        "metaclip_2pt5b": tag(_CLIP_FULL, _METACLIP, num_classes=512),
        "metaclip_400m": tag(_CLIP_FULL, _METACLIP, num_classes=512),
        "openai": tag(CLIP, QUICKGELU_NOTE, num_classes=512),
    },
    "vit_base_patch32_clip_256": {"datacompxl": tag(_CLIP_FULL, size=256, num_classes=512)},
    "vit_base_patch32_clip_384": {
        "laion2b_ft_in12k_in1k": tag(_CLIP_FULL, size=384),
        "openai_ft_in12k_in1k": tag(CLIP, size=384, crop_pct=0.95, crop_mode="squash"),
    },
    "vit_base_patch32_clip_448": {"laion2b_ft_in12k_in1k": tag(_CLIP_FULL, size=448)},
    "vit_base_patch16_clip_224": {
        "laion2b_ft_in12k_in1k": tag(CLIP, crop_pct=0.95),
        "openai_ft_in12k_in1k": tag(CLIP, crop_pct=0.95),
        "laion2b_ft_in1k": tag(_CLIP_FULL),
        "openai_ft_in1k": tag(CLIP),
        "laion2b_ft_in12k": tag(CLIP, _IN12K),
        "openai_ft_in12k": tag(CLIP, _IN12K),
        "laion2b": tag(_CLIP_FULL, num_classes=512),
        "laion400m_e32": tag(_CLIP_FULL, _MIT, num_classes=512),
        "datacompxl": tag(_CLIP_FULL, num_classes=512),
        "dfn2b": tag(_CLIP_FULL, _DFN, num_classes=512),
        "metaclip_2pt5b": tag(_CLIP_FULL, _METACLIP, num_classes=512),
        "metaclip_400m": tag(_CLIP_FULL, _METACLIP, num_classes=512),
        "openai": tag(CLIP, QUICKGELU_NOTE, num_classes=512),
    },
    "vit_base_patch16_clip_384": {
        "laion2b_ft_in12k_in1k": tag(CLIP, _SQUASH, size=384),
        "openai_ft_in12k_in1k": tag(CLIP, size=384, crop_pct=0.95, crop_mode="squash"),
        "laion2b_ft_in1k": tag(CLIP, _SQUASH, size=384),
        "openai_ft_in1k": tag(CLIP, _SQUASH, size=384),
    },
    "vit_base_patch16_plus_clip_240": {"laion400m_e32": tag(_CLIP_FULL, _MIT, size=240, num_classes=640)},
    "vit_large_patch14_clip_224": {
        # OpenCLIP's LAION-2B models were fine-tuned with [-1, 1] inputs
        "laion2b_ft_in12k_in1k": tag(INCEPTION, FULL_CROP),
        "openai_ft_in12k_in1k": tag(_CLIP_FULL),
        "laion2b_ft_in1k": tag(INCEPTION, FULL_CROP),
        "openai_ft_in1k": tag(_CLIP_FULL),
        "laion2b_ft_in12k": tag(INCEPTION, FULL_CROP, _IN12K),
        "openai_ft_in12k": tag(_CLIP_FULL, _IN12K),
        "laion2b": tag(INCEPTION, FULL_CROP, num_classes=768),
        "laion400m_e32": tag(_CLIP_FULL, _MIT, num_classes=768),
        "datacompxl": tag(_CLIP_FULL, num_classes=768),
        "dfn2b_s39b": tag(_CLIP_FULL, _DFN, num_classes=768),
        "dfn2b": tag(_CLIP_FULL, _DFN, QUICKGELU_NOTE, num_classes=768),
        "metaclip_2pt5b": tag(_CLIP_FULL, _METACLIP, num_classes=768),
        "metaclip_400m": tag(_CLIP_FULL, _METACLIP, num_classes=768),
        "openai": tag(_CLIP_FULL, QUICKGELU_NOTE, num_classes=768),
        "apple_mclip2_dfndr2b": tag(_CLIP_FULL, num_classes=768, license="apple-amlr"),
    },
    "vit_large_patch14_clip_336": {
        "laion2b_ft_in12k_in1k": tag(INCEPTION, _SQUASH, size=336),
        "openai_ft_in12k_in1k": tag(CLIP, _SQUASH, size=336),
        "laion2b_ft_in1k": tag(INCEPTION, _SQUASH, size=336),
        "openai": tag(_CLIP_FULL, QUICKGELU_NOTE, size=336, num_classes=768),
    },
    "vit_huge_patch14_clip_224": {
        "laion2b_ft_in12k_in1k": tag(_CLIP_FULL),
        "laion2b_ft_in1k": tag(_CLIP_FULL),
        "laion2b_ft_in12k": tag(_CLIP_FULL, _IN12K),
        "laion2b": tag(_CLIP_FULL, num_classes=1024),
        "dfn5b": tag(_CLIP_FULL, _DFN, QUICKGELU_NOTE, num_classes=1024),
        "metaclip2_worldwide": tag(_CLIP_FULL, _METACLIP, num_classes=1024),
        "metaclip_2pt5b": tag(_CLIP_FULL, _METACLIP, num_classes=1024),
        "metaclip_altogether": tag(_CLIP_FULL, _META, num_classes=1024),
    },
    "vit_huge_patch14_clip_336": {
        "laion2b_ft_in12k_in1k": tag(CLIP, _SQUASH, size=336),
        # not published on the Hugging Face Hub
        "laion2b_ft_in1k": tag(CLIP, _SQUASH, UNTRAINED, size=336),
    },
    "vit_huge_patch14_clip_378": {
        "dfn5b": tag(_CLIP_FULL, _DFN, QUICKGELU_NOTE, size=378, num_classes=1024),
        "metaclip2_worldwide": tag(CLIP, _SQUASH, _META, size=378, num_classes=1024),
    },
    "vit_giant_patch14_clip_224": {"laion2b": tag(_CLIP_FULL, num_classes=1024)},
    "vit_gigantic_patch14_clip_224": {
        "laion2b": tag(_CLIP_FULL, num_classes=1280),
        "metaclip2_worldwide": tag(_CLIP_FULL, _META, num_classes=1280),
        "metaclip_2pt5b": tag(_CLIP_FULL, _METACLIP, num_classes=1280),
    },
    "vit_gigantic_patch14_clip_378": {
        "metaclip2_worldwide": tag(CLIP, _SQUASH, _META, size=378, num_classes=1280),
    },
    # QuickGELU variants of the CLIP towers: the GELU model's weights, run with the activation they were trained with
    "vit_base_patch32_clip_quickgelu_224": {
        "laion400m_e32": _shared(
            "vit_base_patch32_clip_224.laion400m_e32", CLIP, QUICKGELU_NOTE, _MIT, num_classes=512
        ),
        "metaclip_2pt5b": _shared("vit_base_patch32_clip_224.metaclip_2pt5b", _CLIP_FULL, _METACLIP, num_classes=512),
        "metaclip_400m": _shared("vit_base_patch32_clip_224.metaclip_400m", _CLIP_FULL, _METACLIP, num_classes=512),
        "openai": _shared("vit_base_patch32_clip_224.openai", CLIP, QUICKGELU_NOTE, num_classes=512),
    },
    "vit_base_patch16_clip_quickgelu_224": {
        "metaclip_2pt5b": _shared("vit_base_patch16_clip_224.metaclip_2pt5b", _CLIP_FULL, _METACLIP, num_classes=512),
        "metaclip_400m": _shared("vit_base_patch16_clip_224.metaclip_400m", _CLIP_FULL, _METACLIP, num_classes=512),
        "openai": _shared("vit_base_patch16_clip_224.openai", CLIP, QUICKGELU_NOTE, num_classes=512),
    },
    "vit_large_patch14_clip_quickgelu_224": {
        "dfn2b": _shared("vit_large_patch14_clip_224.dfn2b", _CLIP_FULL, _DFN, QUICKGELU_NOTE, num_classes=768),
        "metaclip_2pt5b": _shared("vit_large_patch14_clip_224.metaclip_2pt5b", _CLIP_FULL, _METACLIP, num_classes=768),
        "metaclip_400m": _shared("vit_large_patch14_clip_224.metaclip_400m", _CLIP_FULL, _METACLIP, num_classes=768),
        "openai": _shared("vit_large_patch14_clip_224.openai", _CLIP_FULL, QUICKGELU_NOTE, num_classes=768),
    },
    "vit_large_patch14_clip_quickgelu_336": {
        "openai": _shared("vit_large_patch14_clip_336.openai", _CLIP_FULL, QUICKGELU_NOTE, size=336, num_classes=768),
    },
    "vit_huge_patch14_clip_quickgelu_224": {
        "dfn5b": _shared("vit_huge_patch14_clip_224.dfn5b", _CLIP_FULL, _DFN, QUICKGELU_NOTE, num_classes=1024),
        "metaclip2_worldwide": _shared(
            "vit_huge_patch14_clip_224.metaclip2_worldwide", _CLIP_FULL, _METACLIP, num_classes=1024
        ),
        "metaclip_2pt5b": _shared("vit_huge_patch14_clip_224.metaclip_2pt5b", _CLIP_FULL, _METACLIP, num_classes=1024),
    },
    "vit_huge_patch14_clip_quickgelu_378": {
        "dfn5b": _shared(
            "vit_huge_patch14_clip_378.dfn5b", _CLIP_FULL, _DFN, QUICKGELU_NOTE, size=378, num_classes=1024
        ),
    },
    "vit_gigantic_patch14_clip_quickgelu_224": {
        "metaclip_2pt5b": _shared(
            "vit_gigantic_patch14_clip_224.metaclip_2pt5b", _CLIP_FULL, _METACLIP, num_classes=1280
        ),
    },
    # SigLIP and SigLIP 2, attention-pooled
    "vit_base_patch32_siglip_256": _siglip_tags(256, "v2_webli"),
    "vit_base_patch16_siglip_224": _siglip_tags(224, "v2_webli", "webli"),
    "vit_base_patch16_siglip_256": _siglip_tags(256, "v2_webli", "webli", "webli_i18n"),
    "vit_base_patch16_siglip_384": _siglip_tags(384, "v2_webli", "webli"),
    "vit_base_patch16_siglip_512": _siglip_tags(512, "v2_webli", "webli"),
    "vit_large_patch16_siglip_256": _siglip_tags(256, "v2_webli", "webli"),
    "vit_large_patch16_siglip_384": _siglip_tags(384, "v2_webli", "webli"),
    "vit_large_patch16_siglip_512": _siglip_tags(512, "v2_webli"),
    "vit_so400m_patch14_siglip_224": _siglip_tags(224, "v2_webli", "webli"),
    "vit_so400m_patch14_siglip_378": {
        **_siglip_tags(378, "v2_webli", "webli"),
        "webli_ft_in1k": tag(INCEPTION, _SQUASH, size=378),
    },
    "vit_so400m_patch14_siglip_384": _siglip_tags(384, "webli"),
    "vit_so400m_patch16_siglip_256": _siglip_tags(256, "v2_webli", "webli_i18n"),
    "vit_so400m_patch16_siglip_384": _siglip_tags(384, "v2_webli"),
    "vit_so400m_patch16_siglip_512": _siglip_tags(512, "v2_webli"),
    "vit_giantopt_patch16_siglip_256": _siglip_tags(256, "v2_webli"),
    "vit_giantopt_patch16_siglip_384": _siglip_tags(384, "v2_webli"),
    # SigLIP and SigLIP 2 (and PaliGemma's towers), average-pooled
    "vit_base_patch32_siglip_gap_256": _siglip_tags(256, "v2_webli"),
    "vit_base_patch16_siglip_gap_224": _siglip_tags(224, "v2_webli", "webli"),
    "vit_base_patch16_siglip_gap_256": _siglip_tags(256, "v2_webli", "webli", "webli_i18n"),
    "vit_base_patch16_siglip_gap_384": _siglip_tags(384, "v2_webli", "webli"),
    "vit_base_patch16_siglip_gap_512": _siglip_tags(512, "v2_webli", "webli"),
    "vit_large_patch16_siglip_gap_256": _siglip_tags(256, "v2_webli", "webli"),
    "vit_large_patch16_siglip_gap_384": _siglip_tags(384, "v2_webli", "webli"),
    "vit_large_patch16_siglip_gap_512": _siglip_tags(512, "v2_webli"),
    "vit_so400m_patch14_siglip_gap_224": _siglip_tags(
        224, "v2_webli", "webli", "pali_mix", "pali_pt", "pali2_3b_pt", "pali2_10b_pt"
    ),
    "vit_so400m_patch14_siglip_gap_378": {
        "v2_webli": _siglip(378),
        "webli": _siglip(378, FULL_CROP),
        "webli_ft_in1k": tag(INCEPTION, _SQUASH, size=378),
    },
    "vit_so400m_patch14_siglip_gap_384": {"webli": _siglip(384, FULL_CROP)},
    "vit_so400m_patch14_siglip_gap_448": {
        name: tag(_PALI, size=448)
        for name in (
            "pali_mix",
            "pali_pt",
            "pali_refcoco_seg",
            "pali_ocrvqa",
            "pali2_3b_pt",
            "pali2_10b_pt",
            "pali2_3b_docci",
            "pali2_10b_docci",
        )
    },
    "vit_so400m_patch14_siglip_gap_896": {
        name: tag(_PALI, size=896)
        for name in ("pali_pt", "pali_refcoco_seg", "pali_ocrvqa", "pali2_3b_pt", "pali2_10b_pt")
    },
    "vit_so400m_patch16_siglip_gap_256": _siglip_tags(256, "v2_webli", "webli_i18n"),
    "vit_so400m_patch16_siglip_gap_384": _siglip_tags(384, "v2_webli"),
    "vit_so400m_patch16_siglip_gap_512": _siglip_tags(512, "v2_webli"),
    "vit_giantopt_patch16_siglip_gap_256": _siglip_tags(256, "v2_webli"),
    "vit_giantopt_patch16_siglip_gap_384": _siglip_tags(384, "v2_webli"),
    # TIPSv2
    "vit_base_patch14_reg1_tipsv2": {"webli": tag(_TIPSV2)},
    "vit_large_patch14_reg1_tipsv2": {"webli": tag(_TIPSV2)},
    "vit_so400m_patch14_reg1_tipsv2": {"webli": tag(_TIPSV2)},
    "vit_giant_patch14_reg1_tipsv2": {"webli": tag(_TIPSV2)},
    # InternViT-300M (InternVL's image tower)
    "vit_intern300m_patch14_448": {
        "ogvl_dist": tag(FULL_CROP, HEADLESS, _MIT, size=448),
        "ogvl_2pt5": tag(FULL_CROP, HEADLESS, size=448),
    },
    # RADIO
    "vit_base_patch16_radio_v3": {"c_radio": tag(_RADIO_V3)},
    "vit_large_patch16_radio_v3": {"c_radio": tag(_RADIO_V3)},
    "vit_huge_patch16_radio_v3": {"c_radio": tag(_RADIO_V3)},
    "vit_giant_patch16_radio_v3": {"c_radio": tag(_RADIO_V3)},
    "vit_huge_patch16_radio_v4": {"c_radio": tag(_RADIO_V4)},
    "vit_so400m_patch16_radio_v4": {"c_radio": tag(_RADIO_V4)},
    # AIMv2 (large also distilled from the 3B model)
    "aimv2_large_patch14_224": _aimv2(224, distilled=True),
    "aimv2_large_patch14_336": _aimv2(336, distilled=True),
    "aimv2_large_patch14_448": _aimv2(448),
    "aimv2_huge_patch14_224": _aimv2(224),
    "aimv2_huge_patch14_336": _aimv2(336),
    "aimv2_huge_patch14_448": _aimv2(448),
    "aimv2_1b_patch14_224": _aimv2(224),
    "aimv2_1b_patch14_336": _aimv2(336),
    "aimv2_1b_patch14_448": _aimv2(448),
    "aimv2_3b_patch14_224": _aimv2(224),
    "aimv2_3b_patch14_336": _aimv2(336),
    "aimv2_3b_patch14_448": _aimv2(448),
}
