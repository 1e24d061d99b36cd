"""Image transforms for a model's inputs, built from its data config with torchvision's ``transforms.v2``.

``create_transform`` imports torchvision on first use, so importing this package (and
``import hub``) stays torch-free; ``parse_augment_policy`` checks an ``auto_augment`` name
without torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hub.data._policies import AUGMENT_POLICIES, AugmentPolicy, parse_augment_policy

if TYPE_CHECKING:
    from hub.data._transforms import MatchChannels, create_transform

__all__ = ["AUGMENT_POLICIES", "AugmentPolicy", "MatchChannels", "create_transform", "parse_augment_policy"]

_LAZY = {"create_transform": "hub.data._transforms", "MatchChannels": "hub.data._transforms"}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'hub.data' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
