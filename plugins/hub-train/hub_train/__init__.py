"""hub-train: fine-tune and evaluate any hub model (`hub train`, `hub validate`, and their Python API).

This module is the plugin's manifest: it adds the two commands to ``hub`` and imports no
torch. The API loads on first use::

    from hub_train import TrainConfig, train
    result = train(TrainConfig(model="resnet18", dataset="digits", output="runs/digits"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

import hub
from hub._lazy import lazy_exports
from hub_train.errors import ConfigError, DataError, RunFolderError

if TYPE_CHECKING:
    from hub_train.config import TrainConfig, ValidateConfig
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
    "TrainConfig": "hub_train.config",
    "ValidateConfig": "hub_train.config",
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


__getattr__, __dir__ = lazy_exports("hub_train", _LAZY)
