"""hub-timm's manifest: every architecture of the installed timm as a hub model. Torch-free.

hub-timm is a bridge: it registers timm's models as *fallbacks*, so a native hub plugin
that provides the same name builds the bare name, and timm's version stays reachable as
``hub-timm:NAME``. The registrations come from a cached index of timm's registry (see
``hub_timm._index``); timm itself is imported only when a model is built
(``hub_timm.builders``), and everything after the builder (weights, adaptation, features,
saving) is hub's core, as for a native family.
"""

from __future__ import annotations

import hub
from hub_timm._index import get_index

__all__ = ["register_models"]


@hub.hookimpl
def register_models(registry: hub.ModelRegistrar) -> None:
    registry.declare_fallback()
    for arch in get_index().archs.values():
        registry.register(
            arch.name,
            builder=f"hub_timm.builders:{arch.name}",
            pretrained=arch.tags,
            features=hub.FeatureCfg(feature_cls=arch.feature_cls),
        )
