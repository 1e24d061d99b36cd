"""The cfg of a model as built: the weights' cfg rewritten for the input the model takes. No torch.

A model built with ``in_chans=1``, or a ViT built for another image size, takes another input
than its weights' cfg describes. `as_built_cfg` works that out once, when the model is built;
saving, the data config and the CLI read the result (``model.as_built_cfg``) instead of
working it out again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hub._pretrained_cfg import PretrainedCfg
from hub.layers.helpers import to_2tuple

__all__ = ["as_built_cfg", "as_built_cfg_of", "per_channel"]


def as_built_cfg(cfg: PretrainedCfg, *, in_chans: int, img_size: int | Iterable[int] | None = None) -> PretrainedCfg:
    """``cfg`` for a model that takes ``in_chans`` channels and, when given, images of ``img_size``.

    Normalisation made for another channel count becomes its mean, repeated per channel.
    The test-time size stays a recommendation for models that take any size; a model of
    fixed size has none, and a pooled-map size made for another image size is dropped.
    """
    height, width = to_2tuple(img_size) if img_size is not None else cfg.input_size[1:]
    changes: dict[str, object] = {
        "input_size": (in_chans, height, width),
        "mean": per_channel(cfg.mean, in_chans),
        "std": per_channel(cfg.std, in_chans),
    }
    for key in ("test_input_size", "min_input_size"):
        size = getattr(cfg, key)
        if size is not None:
            changes[key] = (in_chans, *size[1:])
    if (height, width) != tuple(cfg.input_size[1:]):
        changes["pool_size"] = None
        changes["test_input_size"] = None
    if cfg.fixed_input_size:
        changes["test_input_size"] = None
    return cfg.replace(changes)


def per_channel(values: tuple[float, ...], channels: int) -> tuple[float, ...]:
    """One normalisation value per channel: as given when they fit, else their mean repeated."""
    if len(values) == channels:
        return tuple(values)
    return (sum(values) / len(values),) * channels


def as_built_cfg_of(model: Any, *, needed_for: str) -> PretrainedCfg:
    """The as-built cfg that ``hub.create_model`` stored on ``model``; a `ValueError` for other models."""
    cfg = getattr(model, "as_built_cfg", None)
    if not isinstance(cfg, PretrainedCfg) or not cfg.architecture:
        raise ValueError(f"{needed_for} needs a model made by hub.create_model (it records how the model was built)")
    return cfg
