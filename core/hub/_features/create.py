"""Turning a built model into a feature extractor, driven by its ``feature_info``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from torch import nn

from hub._contract import ImageModel
from hub._features.info import FeatureInfo, check_stages
from hub._features.wrappers import GetterFeatures, HookFeatures, ModuleSequenceFeatures
from hub.layers.intermediates import feature_take_indices

__all__ = ["resolve_out_indices", "wrap_features"]


def resolve_out_indices(num_stages: int, out_indices: int | Sequence[int] | None) -> list[int]:
    """Absolute, increasing stage indices; duplicates and out-of-range indices are `ValueError`s."""
    take, _ = feature_take_indices(num_stages, out_indices)
    if len(set(take)) != len(take):
        raise ValueError(f"out_indices {out_indices} names a stage twice; each stage is returned once")
    return sorted(take)


def wrap_features(model: nn.Module, *, feature_cls: str, out_indices: int | Sequence[int] | None) -> nn.Module:
    """A feature extractor over ``model``; stages after the last requested one are pruned away."""
    name = type(model).__name__
    stages = check_stages(getattr(model, "feature_info", None) or [], name)
    take = resolve_out_indices(len(stages), out_indices)
    info = FeatureInfo(stages, take)
    cfg = getattr(model, "pretrained_cfg", None)
    built = getattr(model, "as_built_cfg", None)
    extractor: nn.Module
    if feature_cls in ("list", "dict"):
        extractor = ModuleSequenceFeatures(model, info, as_dict=feature_cls == "dict")
    else:
        cast(ImageModel, model).prune_intermediate_layers(take, prune_norm=True, prune_head=True)
        extractor = HookFeatures(model, info) if feature_cls == "hook" else GetterFeatures(model, info)
    headless = {"num_classes": 0, "classifier": None}
    if cfg is not None:
        setattr(extractor, "pretrained_cfg", cfg.replace(headless))
    if built is not None:
        setattr(extractor, "as_built_cfg", built.replace(headless))
    setattr(extractor, "model_args", getattr(model, "model_args", {}))
    return extractor
