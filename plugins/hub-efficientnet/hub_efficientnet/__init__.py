"""hub-efficientnet: EfficientNet, EfficientNetV2, MobileNetV2 and MobileNetV3 for hub.

This module is the plugin's manifest: it registers the models and their pretrained cfgs
(from the variant table in ``arch`` and the cfgs in ``_cfgs``) and imports neither torch nor
the model code (``hub_efficientnet.model`` is imported only when a model is built).
"""

from __future__ import annotations

import hub
from hub_efficientnet._cfgs import PRETRAINED
from hub_efficientnet.arch import VARIANTS

__all__ = ["register_models"]


@hub.hookimpl
def register_models(registry: hub.ModelRegistrar) -> None:
    # Each stage output is a block of the top-level `blocks` Sequential (or the stem's
    # `bn1`), run in registration order. timm's extractors for these families keep the
    # stem and every block under the model's names (`blocks.0`): the "trunk" wrapper.
    features = hub.FeatureCfg(feature_cls="trunk")
    for name in VARIANTS:
        registry.register(
            name, builder=f"hub_efficientnet.model:{name}", pretrained=PRETRAINED[name], features=features
        )
