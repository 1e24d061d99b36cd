"""Pretrained cfgs of the family, as data: every tag timm has for each architecture. No torch.

The tables live by where the weights come from (`hub_vit._cfgs_vision`, learnt from images
alone, and `hub_vit._cfgs_image_text`, learnt with text or for vision-language models),
both written as the family cfg changed by recipe presets (`hub_vit._cfg_presets`).
"""

from __future__ import annotations

from hub import PretrainedCfg
from hub_vit._cfg_presets import FAMILY
from hub_vit._cfgs_image_text import IMAGE_TEXT_CFGS
from hub_vit._cfgs_vision import VISION_CFGS

__all__ = ["FAMILY", "PRETRAINED"]

PRETRAINED: dict[str, dict[str, PretrainedCfg]] = {**VISION_CFGS, **IMAGE_TEXT_CFGS}
