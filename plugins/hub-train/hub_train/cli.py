"""`hub train` and `hub validate`: click commands whose options are the fields of the config records.

Importing this module does not import torch (``hub --help`` stays fast); the commands load
the trainer when they run. Options are read in this order, later ones winning: a resumed
run's ``config.yaml``, ``--config FILE``, then the flags given on the command line.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import sys
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Union

import click
from click.core import ParameterSource

from hub_train.config import DataOptions, TrainConfig, ValidateConfig, load_yaml

__all__ = ["train_command", "validate_command"]

_STOPPED_EXIT_STATUS = 130  # the shell's status for a run stopped by a signal


def _click_options(record: type[DataOptions]) -> list[tuple[list[str], dict[str, Any]]]:
    """The names and settings of one click option per flag field of ``record``, typed and described by it."""
    hints = typing.get_type_hints(record)
    options = []
    shared = {f.name for f in dataclasses.fields(DataOptions)}
    # the command's own options first (--model leads), then the data options it shares with the other command
    ordered = sorted(dataclasses.fields(record), key=lambda f: f.name in shared and record is not DataOptions)
    for item in ordered:
        meta = item.metadata
        if not meta.get("cli", True):
            continue
        hint = hints[item.name]
        if typing.get_origin(hint) in (Union, types.UnionType):
            (hint,) = [a for a in typing.get_args(hint) if a is not type(None)]
        names = [f"--{item.name.replace('_', '-')}"] + ([meta["short"]] if meta["short"] else [])
        kwargs: dict[str, Any] = {"help": meta["help"], "default": None}
        default = item.default
        if hint is bool:
            kwargs.update(is_flag=True, default=False)
        elif typing.get_origin(hint) is tuple:
            args = typing.get_args(hint)
            if len(args) == 2 and args[1] is Ellipsis:
                kwargs.update(type=str, metavar="N,N,...")
                default = ",".join(str(v) for v in default) if isinstance(default, tuple) else default
            else:
                kwargs.update(type=args[0], nargs=len(args), metavar=" ".join(["FLOAT"] * len(args)))
        elif meta["choices"]:
            kwargs["type"] = click.Choice(meta["choices"])
        else:
            kwargs["type"] = hint
        if default not in (None, False, dataclasses.MISSING, ""):
            shown = f"{default:g}" if isinstance(default, float) else default
            if isinstance(default, tuple):
                shown = " ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in default)
            kwargs["help"] += f"  [default: {shown}]"
        options.append((names, kwargs))
    return options


def _given(ctx: click.Context, values: dict[str, Any]) -> dict[str, Any]:
    """The options the user gave on the command line (or through the environment)."""
    given = {}
    for name, value in values.items():
        source = ctx.get_parameter_source(name)
        if source in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT):
            given[name] = list(value) if isinstance(value, tuple) else value
    return given


def _with_options(record: type[DataOptions]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        for names, kwargs in reversed(_click_options(record)):
            function = click.option(*names, **kwargs)(function)
        return function

    return decorate


@contextlib.contextmanager
def _quiet_in_helper_processes() -> Iterator[None]:
    """Under torchrun only rank 0 reports a user error; the other processes exit 1 silently."""
    from hub_cli.errors import USER_ERRORS

    try:
        yield
    except USER_ERRORS:
        if os.environ.get("RANK", "0") != "0":
            raise SystemExit(1) from None
        raise


def _setup_logging() -> None:
    logger = logging.getLogger("hub_train")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if os.environ.get("RANK", "0") == "0" else logging.WARNING)
    logger.propagate = False


@click.command(
    "train",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="YAML file of options (flags win).")
@_with_options(TrainConfig)
@click.pass_context
def train_command(ctx: click.Context, config_file: str | None, **values: Any) -> None:
    """Fine-tune MODEL on your images: timm's recipe (DDP, AMP, EMA, Mixup/CutMix, schedules, resume).

    A run is a folder (--output): config.yaml, summary.csv/.jsonl, last.pth, the best
    checkpoints, and best/ (the best model, saved with hub.save_pretrained). Under
    `torchrun --nproc-per-node N $(which hub) train ...` it runs DDP (gloo on CPU, nccl on GPU).

    \b
    Examples:
      hub train --model resnet18 --dataset digits --output runs/digits
      hub train --model resnet50 --pretrained --data-dir data/ --epochs 20 --amp --model-ema
      hub train --model efficientnet_b0 --pretrained --in-chans 1 --num-classes 1 \\
          --train-csv train.csv --val-fraction 0.2 --image-root images/
      hub train --resume runs/digits
    """
    with _quiet_in_helper_processes():
        _setup_logging()
        settings: dict[str, Any] = {}
        given = _given(ctx, values)
        if given.get("resume"):
            settings.update(_run_config(Path(given["resume"])))
        if config_file:
            settings.update(load_yaml(config_file))
        settings.update(given)
        config = TrainConfig.from_mapping(settings)

        from hub_train.trainer import train

        result = train(config)
        if result.interrupted:
            raise SystemExit(_STOPPED_EXIT_STATUS)
        if os.environ.get("RANK", "0") == "0":
            best = (
                f"best {config.eval_metric} {result.best_metric:g} at epoch {result.best_epoch} ({result.best_source})"
            )
            click.echo(f"{best}; run folder {result.output}, model in {result.best_dir}")


def _run_config(folder: Path) -> dict[str, Any]:
    """A run's saved options, to continue it as it was started."""
    path = (folder.parent if folder.is_file() else folder) / "config.yaml"
    if not path.is_file():
        return {}
    saved = load_yaml(path)
    for key in ("output", "resume", "overwrite"):
        saved.pop(key, None)
    return saved


@click.command(
    "validate",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.argument("model_or_run")
@_with_options(ValidateConfig)
@click.pass_context
def validate_command(ctx: click.Context, model_or_run: str, **values: Any) -> None:
    """Top-1, top-5, loss and images/s of MODEL_OR_RUN on a validation set.

    MODEL_OR_RUN is a hub model name (with --pretrained), local-dir:PATH, or a run folder
    of `hub train` (its best/ model; --use-ema for the EMA weights of its last.pth).
    --checkpoint loads a checkpoint's weights into the named model. The data options are
    those of `hub train`; DATA_DIR/<val-split> (or DATA_DIR itself) holds the class folders.

    \b
    Examples:
      hub validate runs/digits --dataset digits
      hub validate resnet50.a1_in1k --pretrained --data-dir imagenet/ --results-file r.json
      hub validate resnet18 --checkpoint runs/x/last.pth --use-ema --data-dir data/
    """
    with _quiet_in_helper_processes():
        _setup_logging()
        config = ValidateConfig.from_mapping({"model": model_or_run, **_given(ctx, values)})

        from hub_train.validation import evaluate

        result = evaluate(config)
        if os.environ.get("RANK", "0") == "0":
            click.echo(json.dumps(result.as_dict(), indent=2))
