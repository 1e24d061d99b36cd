"""hub-train: fine-tune and evaluate any hub model (`hub train`, `hub validate`, and their Python API).

This module is the plugin's manifest: it adds the two commands to ``hub`` and imports no
torch. The API loads on first use::

    from hub_train import TrainConfig, train
    result = train(TrainConfig(model="resnet18", dataset="digits", output="runs/digits"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

import hub
from hub_train.config import TrainConfig, ValidateConfig
from hub_train.errors import ConfigError, DataError, RunFolderError

if TYPE_CHECKING:
    from hub_train.trainer import EpochMetrics, TrainResult, train
    from hub_train.validation import EvalResult, evaluate

__all__ = [
    "ConfigError",
    "DataError",
    "EpochMetrics",
    "EvalResult",
    "RunFolderError",
    "TrainConfig",
    "TrainResult",
    "ValidateConfig",
    "evaluate",
    "register_commands",
    "train",
]

_LAZY = {
    "train": "hub_train.trainer",
    "TrainResult": "hub_train.trainer",
    "EpochMetrics": "hub_train.trainer",
    "evaluate": "hub_train.validation",
    "EvalResult": "hub_train.validation",
}


@hub.hookimpl
def register_commands(cli: click.Group) -> None:
    from hub_train.cli import train_command, validate_command

    cli.add_command(train_command)
    cli.add_command(validate_command)


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'hub_train' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
