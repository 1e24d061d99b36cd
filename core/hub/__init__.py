"""hub: a plugin-based hub of PyTorch image models.

The model families are plugins (``hub-resnet``, ``hub-efficientnet``, ...); this package
finds them, lists and builds their models, loads and adapts pretrained weights, and turns
models into feature extractors. Importing it does not import torch: the functions that
need torch load it on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hub import errors
from hub._arguments import ImageSize, PositiveInt, Probability, Range
from hub._data_config import DataConfig, resolve_data_config
from hub._feature_cfg import FeatureCfg
from hub._lazy import lazy_exports
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
    from hub._benchmark import BenchmarkResult, BenchmarkSettings, benchmark_model
    from hub._export import ExportCheck, export_model
    from hub._factory import create_model
    from hub._features import FeatureInfo
    from hub._labels import ClassNames, class_names
    from hub._optimize import optimize
    from hub._predict import predict_images
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
    "BenchmarkResult",
    "BenchmarkSettings",
    "ClassNames",
    "DataConfig",
    "ExportCheck",
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
    "benchmark_model",
    "class_names",
    "create_model",
    "create_transform",
    "errors",
    "export_model",
    "get_pretrained_cfg",
    "hookimpl",
    "is_model",
    "list_models",
    "list_plugins",
    "list_pretrained",
    "optimize",
    "predict_images",
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
    "optimize": "hub._optimize",
    "export_model": "hub._export",
    "ExportCheck": "hub._export",
    "benchmark_model": "hub._benchmark",
    "BenchmarkSettings": "hub._benchmark",
    "BenchmarkResult": "hub._benchmark",
    "predict_images": "hub._predict",
    "ClassNames": "hub._labels",
    "class_names": "hub._labels",
}


__getattr__, __dir__ = lazy_exports("hub", _LAZY)
