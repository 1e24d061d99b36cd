"""``evaluate(config)``: top-1, top-5, loss and speed of a model, a saved folder, a checkpoint or a run."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import logging
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
from torch import nn

from hub_train import run_folder
from hub_train.config import ValidateConfig
from hub_train.data import load_splits, make_eval_loader
from hub_train.distributed import start_processes, stop_processes
from hub_train.engine import Precision, evaluate_loop, finish_eval
from hub_train.errors import DataError, RunFolderError
from hub_train.modeling import build_model, check_num_classes, data_config_for

__all__ = ["EvalResult", "evaluate"]

_logger = logging.getLogger("hub_train")
_PREFIXES = re.compile(r"^(module\.|_orig_mod\.)+")


@dataclass(frozen=True)
class EvalResult:
    """The measures of one evaluation: accuracies in percent, mean loss, images per second."""

    model: str
    images: int
    top1: float
    top5: float
    loss: float
    images_per_second: float
    seconds: float
    skipped_images: int

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def evaluate(config: ValidateConfig) -> EvalResult:
    """Evaluate ``config.model`` on the validation images that ``config`` points at.

    ``config.model`` is a hub name (``pretrained`` loads its weights), ``local-dir:PATH``, or
    a run folder (its exported ``best/`` model, or with ``use_ema`` the EMA weights of its
    ``last.pth``); ``checkpoint`` loads a checkpoint's ``state_dict`` (``state_dict_ema``
    with ``use_ema``). Under torchrun the images are shared among the processes.
    """
    started_group = not dist.is_initialized()
    processes = start_processes(config.device)
    try:
        splits = load_splits(config, need_train=False)
        in_chans = config.in_chans if config.in_chans is not None else splits.defaults.get("in_chans")
        img_size = config.img_size if config.img_size is not None else splits.defaults.get("img_size")
        model, name, trained_size = _load_model(config, splits.class_names, in_chans)
        _check_label_names(model, splits.class_names)
        data_config = data_config_for(model, config.img_size or trained_size or img_size, config)
        model.to(processes.device).eval()
        if config.channels_last:
            model.to(memory_format=torch.channels_last)
        import hub

        workers = config.workers if config.workers is not None else int(splits.defaults.get("workers", 2))
        loader = make_eval_loader(
            splits.val,
            hub.create_transform(data_config),
            batch_size=config.batch_size,
            workers=workers,
            pin_memory=config.pin_mem,
            rank=processes.rank,
            world_size=processes.world_size,
        )
        amp_dtype = {"float16": torch.float16, "bfloat16": torch.bfloat16}[config.amp_dtype] if config.amp else None
        counts = evaluate_loop(
            forward=model,
            model=model,
            loader=loader,
            total_batches=len(loader),
            precision=Precision(processes.device, amp_dtype, config.channels_last),
            skip_bad_images=config.skip_bad_images,
            show_progress=processes.is_main and sys.stderr.isatty(),
        )
        totals = finish_eval(counts, processes, config.skip_bad_images)
        result = EvalResult(
            model=name,
            images=totals.images,
            top1=round(totals.top1_pct, 4),
            top5=round(totals.top5_pct, 4),
            loss=round(totals.loss, 6),
            images_per_second=round(totals.images / totals.seconds, 2),
            seconds=round(totals.seconds, 3),
            skipped_images=totals.skipped,
        )
        if config.results_file and processes.is_main:
            _write_results(result, Path(config.results_file))
        return result
    finally:
        if started_group:
            stop_processes()


def _load_model(
    config: ValidateConfig, class_names: tuple[str, ...], in_chans: int | None
) -> tuple[nn.Module, str, int | None]:
    """The model to evaluate, a name for it, and the image size it was trained at (when a run says)."""
    target = Path(config.model)
    if target.is_dir() and run_folder.holds_run(target):
        return _load_run(config, target)
    if config.checkpoint:
        state = run_folder.load_checkpoint(Path(config.checkpoint))
        weights = _pick_weights(state, config.use_ema, config.checkpoint)
        saved_names = state.get("class_names")
        num_classes = config.num_classes or (len(saved_names) if saved_names else len(class_names))
        model = build_model(config.model, num_classes=num_classes, in_chans=in_chans)
        _load_weights(model, weights, config.checkpoint)
        return model, f"{config.model} ({config.checkpoint})", None
    if config.use_ema:
        raise DataError("--use-ema takes the EMA weights of a --checkpoint or a run folder")
    pretrained = config.pretrained or config.model.startswith("local-dir:")
    head = config.num_classes if pretrained else config.num_classes or check_num_classes(None, class_names)
    model = build_model(config.model, pretrained=pretrained, num_classes=head, in_chans=in_chans)
    return model, config.model, None


def _load_run(config: ValidateConfig, folder: Path) -> tuple[nn.Module, str, int | None]:
    """A run's exported best model, or the weights of one of its checkpoints built as the run's config says."""
    import hub
    from hub_train.config import TrainConfig, load_yaml

    best = folder / run_folder.BEST_FOLDER
    if not config.use_ema and not config.checkpoint:
        if not best.is_dir():
            raise RunFolderError(f"the run {folder} has no best/ model yet (it finished no epoch)")
        return hub.create_model(f"local-dir:{best}", pretrained=True), str(best), None
    run = TrainConfig.from_mapping(
        load_yaml(folder / run_folder.CONFIG_FILE), where=str(folder / run_folder.CONFIG_FILE)
    )
    path = Path(config.checkpoint) if config.checkpoint else folder / run_folder.LAST_CHECKPOINT
    weights = _pick_weights(run_folder.load_checkpoint(path), config.use_ema, str(path))
    model = build_model(run.model, num_classes=run.num_classes, in_chans=run.in_chans, img_size=run.img_size)
    _load_weights(model, weights, str(path))
    return model, f"{folder} ({path.name}{', ema' if config.use_ema else ''})", run.img_size


def _pick_weights(state: dict[str, Any], use_ema: bool, where: str) -> dict[str, torch.Tensor]:
    key = "state_dict_ema" if use_ema else "state_dict"
    if use_ema and key not in state:
        raise RunFolderError(f"{where} has no EMA weights (state_dict_ema); leave --use-ema out")
    nested = state.get(key, state if not use_ema else None)
    if not isinstance(nested, dict):
        raise RunFolderError(f"{where} holds no {key}")
    return {_PREFIXES.sub("", k): v for k, v in nested.items() if isinstance(v, torch.Tensor)}


def _load_weights(model: nn.Module, weights: dict[str, torch.Tensor], where: str) -> None:
    try:
        model.load_state_dict(weights)
    except RuntimeError as exc:
        first_line = str(exc).strip().splitlines()[0]
        raise RunFolderError(f"{where} does not fit the model ({first_line})") from None


def _check_label_names(model: nn.Module, class_names: tuple[str, ...]) -> None:
    labels = getattr(model, "as_built_cfg").label_names
    if labels and len(labels) == len(class_names) and tuple(labels) != class_names:
        raise DataError(
            f"the model's classes ({', '.join(labels[:10])}) differ from the data's ({', '.join(class_names[:10])})"
        )


def _write_results(result: EvalResult, path: Path) -> None:
    values = result.as_dict()
    if path.suffix == ".json":
        text = json.dumps(values, indent=2) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(values), lineterminator="\n")
        writer.writeheader()
        writer.writerow(values)
        text = buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    run_folder.write_atomically(path, lambda temporary: Path(temporary).write_text(text))
    _logger.info("results written to %s", os.fspath(path))
