"""Turning a built model into a feature extractor, driven by its ``feature_info`` and its family's `FeatureCfg`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from torch import nn

from hub._contract import ImageModel
from hub._feature_cfg import FeatureCfg
from hub._features.info import FeatureInfo, check_stages
from hub._features.wrappers import GetterFeatures, HookFeatures, SequentialFeatures
from hub.layers.intermediates import feature_take_indices

__all__ = ["resolve_out_indices", "wrap_features"]


def resolve_out_indices(num_stages: int, out_indices: int | Sequence[int] | None) -> list[int]:
    """Absolute, increasing stage indices; duplicates and out-of-range indices are `ValueError`s."""
    take, _ = feature_take_indices(num_stages, out_indices)
    if len(set(take)) != len(take):
        raise ValueError(f"out_indices {out_indices} names a stage twice; each stage is returned once")
    return sorted(take)


def wrap_features(
    model: nn.Module,
    *,
    feature_cls: str | None = None,
    out_indices: int | Sequence[int] | None = None,
    cfg: FeatureCfg | None = None,
) -> nn.Module:
    """A feature extractor over ``model`` with the state-dict layout of timm's of the same kind.

    ``feature_cls`` and ``out_indices`` left as None take the family's ``cfg`` values.
    "list", "dict" and "getter" drop the stages after the last requested one; "trunk"
    keeps them but does not run them; "hook" keeps the whole model unless the family
    flattens, as timm's extractors of each kind do.
    """
    cfg = cfg or FeatureCfg()
    feature_cls = feature_cls or cfg.feature_cls
    name = type(model).__name__
    stages = check_stages(getattr(model, "feature_info", None) or [], name)
    take = resolve_out_indices(len(stages), cfg.out_indices if out_indices is None else out_indices)
    info = FeatureInfo(stages, take)
    pretrained_cfg = getattr(model, "pretrained_cfg", None)
    built = getattr(model, "as_built_cfg", None)
    extractor: nn.Module
    if feature_cls == "getter":
        cast(ImageModel, model).prune_intermediate_layers(take, prune_norm=True, prune_head=True)
        extractor = GetterFeatures(model, info)
    elif feature_cls == "hook":
        extractor = HookFeatures(model, info, flatten=cfg.flatten_sequential)
    else:
        extractor = SequentialFeatures(
            model, info, as_dict=feature_cls == "dict", flatten=cfg.flatten_sequential, trunk=feature_cls == "trunk"
        )
    headless = {"num_classes": 0, "classifier": None}
    if pretrained_cfg is not None:
        setattr(extractor, "pretrained_cfg", pretrained_cfg.replace(headless))
    if built is not None:
        setattr(extractor, "as_built_cfg", built.replace(headless))
    setattr(extractor, "model_args", getattr(model, "model_args", {}))
    return extractor
