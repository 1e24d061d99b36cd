"""hub-resnet's manifest: registers the ResNet family with hub. Torch-free.

The models are built by ``hub_resnet.model``, imported only when one is created.
"""

from __future__ import annotations

import hub
from hub_resnet._pretrained import FAMILY_DEFAULTS, PRETRAINED
from hub_resnet.specs import SPECS

__all__ = ["register_models"]


@hub.hookimpl
def register_models(registry: hub.ModelRegistrar) -> None:
    for arch, spec in SPECS.items():
        first_conv = "conv1.0" if spec.stem else "conv1"  # a deep stem starts with a Sequential
        pretrained = {}
        for tag, fields in PRETRAINED[arch].items():
            values = {"hf_hub_id": f"timm/{arch}.{tag}", "first_conv": first_conv, **FAMILY_DEFAULTS, **fields}
            pretrained[tag] = hub.PretrainedCfg(**values)
        registry.register(arch, builder=f"hub_resnet.model:{arch}", pretrained=pretrained)
