"""Image transforms for a model's inputs, built from its data config with torchvision's ``transforms.v2``.

``create_transform`` imports torchvision on first use, so importing this package (and
``import hub``) stays torch-free; ``parse_augment_policy`` checks an ``auto_augment`` name
without torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hub._lazy import lazy_exports
from hub.data._policies import AUGMENT_POLICIES, AugmentPolicy, parse_augment_policy

if TYPE_CHECKING:
    from hub.data._transforms import MatchChannels, create_transform

__all__ = ["AUGMENT_POLICIES", "AugmentPolicy", "MatchChannels", "create_transform", "parse_augment_policy"]

_LAZY = {"create_transform": "hub.data._transforms", "MatchChannels": "hub.data._transforms"}


__getattr__, __dir__ = lazy_exports("hub.data", _LAZY)
