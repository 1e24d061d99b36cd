"""hub-resnet's manifest: registers the ResNet family with hub. Torch-free.

The models are built by ``hub_resnet.model``, imported only when one is created.
"""

from __future__ import annotations

import hub
from hub_resnet._pretrained import PRETRAINED
from hub_resnet.specs import SPECS

__all__ = ["register_models"]


@hub.hookimpl
def register_models(registry: hub.ModelRegistrar) -> None:
    for arch, spec in SPECS.items():
        first_conv = "conv1.0" if spec.stem else "conv1"  # a deep stem starts with a Sequential
        pretrained = {tag: cfg.replace(first_conv=first_conv) for tag, cfg in PRETRAINED[arch].items()}
        registry.register(arch, builder=f"hub_resnet.model:{arch}", pretrained=pretrained)
