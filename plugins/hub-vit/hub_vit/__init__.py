"""hub-vit: Vision Transformers (ViT, DeiT, CLIP, SigLIP, DINOv2, AIMv2, ...), timm-compatible.

This module is the plugin's manifest: it registers the models and their pretrained cfgs
and imports no torch. The models live in `hub_vit.model`, imported when one is built.
"""

from __future__ import annotations

import hub
from hub_vit._cfgs import PRETRAINED
from hub_vit._variants import VARIANTS

__all__ = ["register_models"]


@hub.hookimpl
def register_models(registry: hub.ModelRegistrar) -> None:
    # Blocks run in a sequence but the features are token maps reshaped to NCHW, so
    # features_only goes through forward_intermediates; by default the last three blocks, as in timm.
    features = hub.FeatureCfg(feature_cls="getter", out_indices=3)
    for name in VARIANTS:
        registry.register(name, builder=f"hub_vit.model:{name}", pretrained=PRETRAINED[name], features=features)
