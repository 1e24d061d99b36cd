"""hub: a plugin-based hub of PyTorch image models.

The model families are plugins (``hub-resnet``, ``hub-efficientnet``, ...); this package
finds them, lists and builds their models, loads and adapts pretrained weights, and turns
models into feature extractors. Importing it does not import torch: the functions that
need torch load it on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hub import errors
from hub._arguments import ImageSize, PositiveInt, Probability, Range
from hub._data_config import DataConfig, resolve_data_config
from hub._feature_cfg import FeatureCfg
from hub._listing import get_pretrained_cfg, is_model, list_models, list_plugins, list_pretrained
from hub._plugins import PluginInfo
from hub._pretrained_cfg import (
    IMAGENET_DEFAULT_MEAN,
    IMAGENET_DEFAULT_STD,
    IMAGENET_INCEPTION_MEAN,
    IMAGENET_INCEPTION_STD,
    OPENAI_CLIP_MEAN,
    OPENAI_CLIP_STD,
    PretrainedCfg,
)
from hub._registry import ModelRegistrar
from hub._version import PLUGIN_API_VERSION, __version__
from hub.hookspecs import hookimpl

if TYPE_CHECKING:
    from hub._factory import create_model
    from hub._features import FeatureInfo
    from hub._save import push_to_hub, save_pretrained
    from hub.data import create_transform

__all__ = [
    "IMAGENET_DEFAULT_MEAN",
    "IMAGENET_DEFAULT_STD",
    "IMAGENET_INCEPTION_MEAN",
    "IMAGENET_INCEPTION_STD",
    "OPENAI_CLIP_MEAN",
    "OPENAI_CLIP_STD",
    "PLUGIN_API_VERSION",
    "DataConfig",
    "FeatureCfg",
    "FeatureInfo",
    "ImageSize",
    "ModelRegistrar",
    "PluginInfo",
    "PositiveInt",
    "PretrainedCfg",
    "Probability",
    "Range",
    "__version__",
    "create_model",
    "create_transform",
    "errors",
    "get_pretrained_cfg",
    "hookimpl",
    "is_model",
    "list_models",
    "list_plugins",
    "list_pretrained",
    "push_to_hub",
    "resolve_data_config",
    "save_pretrained",
]

# Names whose modules import torch, loaded on first access (PEP 562).
_LAZY = {
    "create_model": "hub._factory",
    "FeatureInfo": "hub._features",
    "save_pretrained": "hub._save",
    "push_to_hub": "hub._save",
    "create_transform": "hub.data",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'hub' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
