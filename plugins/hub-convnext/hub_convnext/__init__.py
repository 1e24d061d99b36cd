"""hub-convnext manifest: registers ConvNeXt and ConvNeXt-V2. Torch-free; model code loads on build."""

from __future__ import annotations

import hub

__all__ = ["register_models"]


@hub.hookimpl
def register_models(registry: hub.ModelRegistrar) -> None:
    """Every architecture with its pretrained tags (the first is the default)."""
    from hub_convnext._cfgs import PRETRAINED
    from hub_convnext._variants import VARIANTS

    # Stages are children of the top-level ``stages`` Sequential, run in order; timm's
    # extractors lift them out (``stages_0``), so hub's do too.
    features = hub.FeatureCfg(flatten_sequential=True)
    for arch in VARIANTS:
        registry.register(arch, builder=f"hub_convnext.model:{arch}", pretrained=PRETRAINED[arch], features=features)
