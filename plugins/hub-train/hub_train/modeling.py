"""The model of a run, from ``hub.create_model``, and the data config its inputs follow."""

from __future__ import annotations

import dataclasses
import os
from typing import Any

from torch import nn

import hub
from hub_train.config import DataOptions
from hub_train.errors import ConfigError, DataError

__all__ = ["build_model", "check_num_classes", "data_config_for"]


def build_model(
    name: str,
    *,
    pretrained: bool = False,
    checkpoint_path: str | os.PathLike[str] | None = None,
    num_classes: int | None = None,
    in_chans: int | None = None,
    img_size: int | None = None,
    drop_path_rate: float | None = None,
) -> nn.Module:
    """``hub.create_model`` with the run's arguments; fixed-size models (ViT) are built for ``img_size``.

    A ``checkpoint_path`` whose classifier has another class count gives its body and a new head.
    """
    kwargs: dict[str, Any] = {
        "pretrained": pretrained,
        "num_classes": num_classes,
        "in_chans": in_chans,
        "drop_path_rate": drop_path_rate,
        "checkpoint_path": checkpoint_path,
    }
    try:
        model = hub.create_model(name, **kwargs)
    except hub.errors.StateDictMismatchError:
        if checkpoint_path is None:
            raise
        # a checkpoint's head for other classes: keep its body, start a new head (another body still fails)
        kwargs["reinit_head"] = True
        model = hub.create_model(name, **kwargs)
    cfg: hub.PretrainedCfg = getattr(model, "as_built_cfg")
    if img_size is not None and cfg.fixed_input_size and tuple(cfg.input_size[1:]) != (img_size, img_size):
        model = hub.create_model(name, img_size=img_size, **kwargs)
    return model


def data_config_for(model: nn.Module, img_size: int | None, options: DataOptions) -> hub.DataConfig:
    """The model's data config, changed by the options that override it (size, interpolation, mean, std, crop)."""
    config = hub.resolve_data_config(model)
    channels = config.input_size[0]
    changes: dict[str, Any] = {}
    if img_size is not None:
        changes["input_size"] = (channels, img_size, img_size)
    for name in ("interpolation", "mean", "std", "crop_pct"):
        value = getattr(options, name)
        if value is None:
            continue
        if name in ("mean", "std") and len(value) != channels:
            raise ConfigError(f"--{name} needs one value per input channel ({channels}), got {len(value)}")
        changes[name] = value
    return dataclasses.replace(config, **changes)


def check_num_classes(requested: int | None, class_names: tuple[str, ...]) -> int:
    """The head size for data with ``class_names``: the data's count, or 1 (a one-logit head) for two classes."""
    found = len(class_names)
    if requested is None:
        return found
    if requested == found or (requested == 1 and found == 2):
        return requested
    shown = ", ".join(class_names[:10]) + (", ..." if found > 10 else "")
    raise DataError(
        f"--num-classes {requested} does not match the data, which has {found} classes ({shown}); "
        f"leave --num-classes out{' or pass 1 for a one-logit binary head' if found == 2 else ''}"
    )
