"""``train(config)``: timm's training recipe, step by step, for any installed hub model.

Processes (torchrun DDP), seed, model, data config, SyncBN, optimizer, mixed precision,
resume, EMA, schedule, datasets, Mixup/CutMix, loaders, loss, checkpoints, then train and
evaluate each epoch with the metrics written to the run folder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import random
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
from torch import nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

import hub
from hub_train import run_folder
from hub_train.config import TrainConfig, save_yaml
from hub_train.data import DataSplits, load_splits, make_eval_loader, make_train_loader
from hub_train.distributed import Processes, start_processes, stop_processes
from hub_train.engine import EvalCounts, Precision, StepState, evaluate_loop, finish_eval, train_epoch
from hub_train.errors import ConfigError, DataError, RunFolderError
from hub_train.losses import Criterion, Mixing
from hub_train.modeling import build_model, check_num_classes, data_config_for
from hub_train.optim import DEFAULT_LR, Schedule, create_optimizer, learning_rate

__all__ = ["EpochMetrics", "TrainResult", "train"]

_logger = logging.getLogger("hub_train")
_CHECKPOINT_FORMAT = 1


@dataclass(frozen=True)
class EpochMetrics:
    """One row of ``summary.csv``: an epoch's losses, accuracies (%), learning rate and speed."""

    epoch: int
    train_loss: float
    eval_loss: float
    eval_top1: float
    eval_top5: float
    ema_eval_loss: float | None
    ema_eval_top1: float | None
    ema_eval_top5: float | None
    lr: float
    train_images_per_second: float
    epoch_seconds: float
    skipped_images: int

    def metric(self, name: str, *, ema: bool = False) -> float | None:
        """``top1``, ``top5`` or ``loss`` of the model (or of its EMA)."""
        value = getattr(self, f"{'ema_' if ema else ''}eval_{name}")
        return None if value is None else float(value)


@dataclass(frozen=True)
class TrainResult:
    """What a run produced: its folder, every epoch's metrics and the best model exported to ``best/``."""

    output: Path
    epochs: tuple[EpochMetrics, ...]
    best_metric: float | None
    best_epoch: int | None
    best_source: str | None  # "model" or "ema"
    best_dir: Path | None
    interrupted: bool


def train(config: TrainConfig, *, on_epoch_end: Callable[[EpochMetrics], None] | None = None) -> TrainResult:
    """Train ``config.model`` as ``config`` says; returns when done or stopped (Ctrl-C, SIGTERM).

    Started by ``torchrun`` it runs DDP across the processes (only rank 0 writes files).
    ``on_epoch_end`` is called (on every process) with each epoch's metrics.
    """
    started_group = not dist.is_initialized()
    processes = start_processes(config.device)
    try:
        return _Run(config, processes, on_epoch_end).run()
    finally:
        if started_group:
            stop_processes()


class _Run:
    def __init__(self, config: TrainConfig, processes: Processes, on_epoch_end: Callable[[EpochMetrics], None] | None):
        self.config = config
        self.processes = processes
        self.on_epoch_end = on_epoch_end
        self.stop_requested = False

    # -- set-up, in the recipe's order ---------------------------------------------------------
    def run(self) -> TrainResult:
        config, processes = self.config, self.processes
        if config.sync_bn and processes.distributed and processes.device.type != "cuda":
            raise ConfigError("--sync-bn needs GPUs (SyncBatchNorm runs on CUDA only); leave it out on the CPU")
        resume_state = self._read_resume_state()
        output = self._check_output()
        config = self.config
        _seed_everything(config.seed + processes.rank)

        splits = load_splits(config, seed=config.seed)
        assert splits.train is not None
        config = self.config = _fill_from_data(config, splits)
        num_classes = check_num_classes(config.num_classes, splits.class_names)

        model = build_model(
            config.model,
            pretrained=config.pretrained and resume_state is None,
            checkpoint_path=config.initial_checkpoint if resume_state is None else None,
            num_classes=num_classes,
            in_chans=config.in_chans,
            img_size=config.img_size,
            drop_path_rate=config.drop_path,
        )
        arch = _cfg(model).architecture
        if resume_state is not None and resume_state.get("arch") != arch:
            raise RunFolderError(
                f"--resume {config.resume}: that run trained {resume_state.get('model_name')!r} "
                f"({resume_state.get('arch')}), not {config.model!r} ({arch}); resume it with its own model, "
                "or start a new run in another --output"
            )
        data_config = data_config_for(model, config.img_size, config)
        # the exported model records the inputs it was trained on (its as-built cfg), for `hub predict` and timm
        built: hub.PretrainedCfg = getattr(model, "as_built_cfg")
        setattr(model, "as_built_cfg", built.replace(dataclasses.asdict(data_config)))
        config = self.config = dataclasses.replace(
            config, num_classes=num_classes, in_chans=data_config.input_size[0], img_size=data_config.input_size[1]
        )

        device = processes.device
        if config.sync_bn and processes.distributed:
            model = nn.SyncBatchNorm.convert_sync_batchnorm(model)
        model.to(device)
        if config.channels_last:
            model.to(memory_format=torch.channels_last)
        ema = (
            AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(config.model_ema_decay), use_buffers=True)
            if config.model_ema
            else None
        )

        train_transform = hub.create_transform(
            data_config,
            is_training=True,
            no_aug=config.no_aug,
            scale=config.scale or _GENERAL_DEFAULTS["scale"],
            ratio=config.ratio,
            hflip=_GENERAL_DEFAULTS["hflip"] if config.hflip is None else config.hflip,
            vflip=config.vflip,
            color_jitter=config.color_jitter,
            auto_augment=config.aa,
            re_prob=config.reprob,
            re_mode=config.remode,
        )
        eval_transform = hub.create_transform(data_config)
        workers = _GENERAL_DEFAULTS["workers"] if config.workers is None else config.workers
        train_loader, train_sampler = make_train_loader(
            splits.train,
            train_transform,
            batch_size=config.batch_size,
            workers=workers,
            pin_memory=config.pin_mem,
            seed=config.seed,
            rank=processes.rank,
            world_size=processes.world_size,
        )
        eval_loader = make_eval_loader(
            splits.val,
            eval_transform,
            batch_size=config.batch_size,
            workers=workers,
            pin_memory=config.pin_mem,
            rank=processes.rank,
            world_size=processes.world_size,
        )
        batches_per_epoch = len(train_sampler.sampler) // config.batch_size  # type: ignore[arg-type]
        if batches_per_epoch == 0:
            raise DataError(
                f"{len(splits.train.targets)} training images make no full batch of {config.batch_size} per process; "
                "lower --batch-size"
            )
        updates_per_epoch = -(-batches_per_epoch // config.grad_accum_steps)

        lr = config.lr if config.lr is not None else DEFAULT_LR[config.opt]
        config = self.config = dataclasses.replace(config, lr=lr)
        optimizer = create_optimizer(model, config, lr)
        schedule = Schedule(optimizer, config, lr, updates_per_epoch)
        amp_dtype = {"float16": torch.float16, "bfloat16": torch.bfloat16}[config.amp_dtype] if config.amp else None
        scaler = torch.amp.GradScaler(device.type) if amp_dtype == torch.float16 else None
        precision = Precision(device, amp_dtype, config.channels_last)

        trained: nn.Module = model
        if processes.distributed:
            trained = nn.parallel.DistributedDataParallel(model, device_ids=[device] if device.type == "cuda" else None)
        forward: Callable[[torch.Tensor], torch.Tensor] = torch.compile(trained) if config.torchcompile else trained  # type: ignore[assignment]
        # evaluation runs outside DDP: the processes' shares of the eval data may differ in size
        eval_forward: Callable[[torch.Tensor], torch.Tensor] = torch.compile(model) if config.torchcompile else model  # type: ignore[assignment]

        self._prepare_output(output)
        best = run_folder.BestCheckpoints(
            output, keep=config.checkpoint_hist, lower_is_better=config.eval_metric == "loss"
        )
        loop = _Loop(
            owner=self,
            output=output,
            model=model,
            trained=trained,
            forward=forward,
            eval_forward=eval_forward,
            ema=ema,
            optimizer=optimizer,
            schedule=schedule,
            scaler=scaler,
            precision=precision,
            criterion=Criterion(num_outputs=num_classes, smoothing=config.smoothing, bce=config.bce_loss),
            mixing=_mixing(config, num_classes),
            train_loader=train_loader,
            train_sampler=train_sampler,
            eval_loader=eval_loader,
            batches_per_epoch=batches_per_epoch,
            best=best,
            class_names=splits.class_names,
        )
        if resume_state is not None:
            loop.restore(resume_state)
        with self._stop_on_signals():
            return loop.run()

    def _read_resume_state(self) -> dict[str, Any] | None:
        if not self.config.resume:
            return None
        folder = Path(self.config.resume)
        if folder.is_file():
            folder = folder.parent
        run_folder.check_run_folder(folder, resume=True, overwrite=False)
        if self.config.output and Path(self.config.output).resolve() != folder.resolve():
            raise RunFolderError("--resume continues a run in its own folder; leave --output out")
        self.config = dataclasses.replace(self.config, resume=str(folder), output=str(folder))
        state = run_folder.load_checkpoint(folder / run_folder.LAST_CHECKPOINT)
        if state.get("format") != _CHECKPOINT_FORMAT:
            raise RunFolderError(f"{folder / run_folder.LAST_CHECKPOINT} is not a hub-train checkpoint")
        if not self.config.model:
            self.config = dataclasses.replace(self.config, model=str(state["model_name"]))
        return state

    def _check_output(self) -> Path:
        """The run folder, checked (by every process) before anything is loaded or written."""
        config, processes = self.config, self.processes
        name = config.output or _default_output(config.model)
        if processes.distributed:  # every process must agree on a time-stamped default name
            shared = [name]
            dist.broadcast_object_list(shared, src=0)
            name = shared[0]
        output = Path(name)
        run_folder.check_run_folder(output, resume=config.resume is not None, overwrite=config.overwrite)
        return output

    def _prepare_output(self, output: Path) -> None:
        config, processes = self.config, self.processes
        resuming = config.resume is not None
        processes.barrier()  # every process has checked the folder before the main one writes
        if processes.is_main:
            run_folder.prepare_run_folder(output, resume=resuming, overwrite=config.overwrite)
            config = dataclasses.replace(config, output=str(output), resume=None, overwrite=False)
            run_folder.write_atomically(output / run_folder.CONFIG_FILE, lambda path: save_yaml(config, Path(path)))
        processes.barrier()

    @contextlib.contextmanager
    def _stop_on_signals(self) -> Iterator[None]:
        """Ctrl-C and SIGTERM ask the loop to stop after the current update and write a recovery checkpoint."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def request_stop(signum: int, frame: Any) -> None:
            if self.stop_requested:  # a second Ctrl-C: stop now
                raise KeyboardInterrupt
            self.stop_requested = True
            if self.processes.is_main:
                _logger.warning("stopping after this update; writing a recovery checkpoint (Ctrl-C again to abort)")

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


@dataclass
class _Loop:
    """The epochs of a run, with everything they update and save."""

    owner: _Run
    output: Path
    model: nn.Module
    trained: nn.Module
    forward: Callable[[torch.Tensor], torch.Tensor]
    eval_forward: Callable[[torch.Tensor], torch.Tensor]
    ema: AveragedModel | None
    optimizer: torch.optim.Optimizer
    schedule: Schedule
    scaler: torch.amp.GradScaler | None
    precision: Precision
    criterion: Criterion
    mixing: Mixing | None
    train_loader: Any
    train_sampler: Any
    eval_loader: Any
    batches_per_epoch: int
    best: run_folder.BestCheckpoints
    class_names: tuple[str, ...]
    epoch: int = 0
    step: StepState = dataclasses.field(default_factory=StepState)
    history: list[EpochMetrics] = dataclasses.field(default_factory=list)
    best_value: float | None = None
    best_epoch: int | None = None
    best_source: str | None = None

    @property
    def config(self) -> TrainConfig:
        return self.owner.config

    def run(self) -> TrainResult:
        config, processes = self.config, self.owner.processes
        while self.epoch < config.epochs:
            description = f"epoch {self.epoch + 1}/{config.epochs}"
            self.train_sampler.set_epoch(self.epoch, skip=self.step.batches * config.batch_size)
            finished = train_epoch(
                model=self.trained,
                forward=self.forward,
                loader=self.train_loader,
                batches_in_epoch=self.batches_per_epoch,
                state=self.step,
                optimizer=self.optimizer,
                criterion=self.criterion,
                mixing=self.mixing,
                precision=self.precision,
                scaler=self.scaler,
                grad_accum_steps=config.grad_accum_steps,
                clip_grad=config.clip_grad,
                after_update=self._after_update,
                processes=processes,
                skip_bad_images=config.skip_bad_images,
                should_stop=lambda: self.owner.stop_requested,
                description=description,
                log_interval=config.log_interval,
            )
            if not finished:
                self._save_last()
                if processes.is_main:
                    _logger.warning("stopped; continue with: hub train --resume %s", self.output)
                return self._result(interrupted=True)
            row = self._end_epoch()
            if self.owner.on_epoch_end is not None:
                self.owner.on_epoch_end(row)
            if processes.any(self.owner.stop_requested) and self.epoch < config.epochs:
                if processes.is_main:
                    _logger.warning("stopped; continue with: hub train --resume %s", self.output)
                return self._result(interrupted=True)
        return self._result(interrupted=False)

    def _after_update(self) -> None:
        if self.ema is not None:
            self.ema.update_parameters(self.model)
        self.schedule.after_update()

    def _evaluate(self, module: nn.Module, forward: Callable[[torch.Tensor], torch.Tensor], label: str) -> EvalCounts:
        counts = evaluate_loop(
            forward=forward,
            model=module,
            loader=self.eval_loader,
            total_batches=len(self.eval_loader),
            precision=self.precision,
            skip_bad_images=self.config.skip_bad_images,
            show_progress=False,
            description=label,
        )
        return finish_eval(counts, self.owner.processes, self.config.skip_bad_images)

    def _end_epoch(self) -> EpochMetrics:
        config, processes = self.config, self.owner.processes
        started = time.perf_counter()
        loss_sum, images, skipped = processes.sum([self.step.loss_sum, self.step.images, self.step.skipped])
        train_seconds = max(processes.sum([self.step.seconds])[0] / processes.world_size, 1e-9)
        lr = learning_rate(self.optimizer)
        counts = self._evaluate(self.model, self.eval_forward, "eval")
        ema_counts = self._evaluate(self.ema.module, self.ema.module, "eval ema") if self.ema is not None else None
        row = EpochMetrics(
            epoch=self.epoch + 1,
            train_loss=round(loss_sum / max(images, 1), 6),
            eval_loss=round(counts.loss, 6),
            eval_top1=round(counts.top1_pct, 4),
            eval_top5=round(counts.top5_pct, 4),
            ema_eval_loss=round(ema_counts.loss, 6) if ema_counts else None,
            ema_eval_top1=round(ema_counts.top1_pct, 4) if ema_counts else None,
            ema_eval_top5=round(ema_counts.top5_pct, 4) if ema_counts else None,
            lr=lr,
            train_images_per_second=round(images / train_seconds, 2),
            epoch_seconds=round(train_seconds + time.perf_counter() - started, 3),
            skipped_images=int(skipped + counts.skipped),
        )
        value, source = self._epoch_value(row)
        self.schedule.after_epoch(value)
        self.history.append(row)
        self.epoch += 1
        self.step = StepState()
        improved = self.best.better(value, self.best_value)
        if improved:
            self.best_value, self.best_epoch, self.best_source = value, row.epoch, source
        if processes.is_main:
            _log_epoch(row, config.epochs)
            self.best.offer(row.epoch, value, source, lambda: self._weights_checkpoint(source, row))
            if improved:
                self._export_best(source)
            run_folder.write_summary(self.output, [dataclasses.asdict(r) for r in self.history])
        self._save_last()
        return row

    def _epoch_value(self, row: EpochMetrics) -> tuple[float, str]:
        """This epoch's score on the eval metric, from the model or its EMA, whichever is better."""
        metric = self.config.eval_metric
        value = row.metric(metric)
        assert value is not None
        ema_value = row.metric(metric, ema=True)
        if ema_value is not None and self.best.better(ema_value, value):
            return ema_value, "ema"
        return value, "model"

    def _module(self, source: str) -> nn.Module:
        return self.ema.module if source == "ema" and self.ema is not None else self.model

    def _weights_checkpoint(self, source: str, row: EpochMetrics) -> dict[str, Any]:
        return {
            "state_dict": self._module(source).state_dict(),
            "arch": _cfg(self.model).architecture,
            "epoch": row.epoch,
            "metric": {self.config.eval_metric: row.metric(self.config.eval_metric, ema=source == "ema")},
            "source": source,
            "class_names": list(self.class_names),
        }

    def _export_best(self, source: str) -> None:
        module = self._module(source)
        names = list(self.class_names)
        label_names = names if len(names) == self.config.num_classes else names[1:]  # a one-logit head: class 1
        hub.save_pretrained(module, self.output / run_folder.BEST_FOLDER, label_names=label_names)

    # -- resumable state -------------------------------------------------------------------------
    def _save_last(self) -> None:
        rng = _rng_state()
        if self.owner.processes.distributed:  # each process continues with its own random stream
            gathered: list[Any] = [None] * self.owner.processes.world_size
            dist.all_gather_object(gathered, rng)
            rngs = gathered
        else:
            rngs = [rng]
        if not self.owner.processes.is_main:
            return
        state = {
            "format": _CHECKPOINT_FORMAT,
            "model_name": self.config.model,
            "arch": _cfg(self.model).architecture,
            "state_dict": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "schedule": self.schedule.state_dict(),
            "scaler": self.scaler.state_dict() if self.scaler is not None else None,
            "epoch": self.epoch,
            "step": dataclasses.asdict(self.step),
            "rng": rngs,
            "history": [dataclasses.asdict(r) for r in self.history],
            "best": self.best.state_dict(),
            "best_value": self.best_value,
            "best_epoch": self.best_epoch,
            "best_source": self.best_source,
            "class_names": list(self.class_names),
        }
        if self.ema is not None:
            state["state_dict_ema"] = self.ema.module.state_dict()
            state["ema_n_averaged"] = self.ema.n_averaged
        run_folder.save_checkpoint(state, self.output / run_folder.LAST_CHECKPOINT)

    def restore(self, state: dict[str, Any]) -> None:
        if list(state["class_names"]) != list(self.class_names):
            raise RunFolderError(
                f"--resume {self.output}: the run was trained on the classes {', '.join(state['class_names'])}, "
                f"and the data now has {', '.join(self.class_names)}"
            )
        try:
            self.model.load_state_dict(state["state_dict"])
            self.optimizer.load_state_dict(state["optimizer"])
            if self.ema is not None:
                if "state_dict_ema" not in state:
                    raise RunFolderError(f"--resume {self.output}: the run has no EMA weights; leave --model-ema out")
                self.ema.module.load_state_dict(state["state_dict_ema"])
                self.ema.n_averaged.copy_(state["ema_n_averaged"])
        except (RuntimeError, ValueError, KeyError) as exc:
            first_line = str(exc).strip().splitlines()[0]
            raise RunFolderError(
                f"--resume {self.output}: the checkpoint does not fit this model ({first_line})"
            ) from None
        self.schedule.load_state_dict(state["schedule"])
        if self.scaler is not None and state["scaler"] is not None:
            self.scaler.load_state_dict(state["scaler"])
        self.epoch = int(state["epoch"])
        self.step = StepState(**state["step"])
        self.history = [EpochMetrics(**row) for row in state["history"]]
        self.best.load_state_dict(state["best"])
        self.best_value, self.best_epoch, self.best_source = (
            state["best_value"],
            state["best_epoch"],
            state["best_source"],
        )
        rngs = state["rng"]
        _set_rng_state(rngs[self.owner.processes.rank] if self.owner.processes.rank < len(rngs) else rngs[0])
        if self.owner.processes.is_main:
            _logger.info("resuming %s at epoch %d, batch %d", self.output, self.epoch + 1, self.step.batches)

    def _result(self, *, interrupted: bool) -> TrainResult:
        best_dir = self.output / run_folder.BEST_FOLDER
        return TrainResult(
            output=self.output,
            epochs=tuple(self.history),
            best_metric=self.best_value,
            best_epoch=self.best_epoch,
            best_source=self.best_source,
            best_dir=best_dir if best_dir.is_dir() else None,
            interrupted=interrupted,
        )


# Values of the options left unset when the data suggests none.
_GENERAL_DEFAULTS: dict[str, Any] = {"hflip": 0.5, "scale": (0.08, 1.0), "workers": 2}


def _fill_from_data(config: TrainConfig, splits: DataSplits) -> TrainConfig:
    """Options left unset take the values the data suggests (grey 32-px digits, no flips, ...), then the general ones."""
    changes = {key: value for key, value in splits.defaults.items() if getattr(config, key) is None}
    changes.update({k: v for k, v in _GENERAL_DEFAULTS.items() if getattr(config, k) is None and k not in changes})
    return dataclasses.replace(config, **changes) if changes else config


def _cfg(model: nn.Module) -> hub.PretrainedCfg:
    """The cfg that ``hub.create_model`` records on every model."""
    return getattr(model, "pretrained_cfg")


def _mixing(config: TrainConfig, num_classes: int) -> Mixing | None:
    if config.mixup <= 0 and config.cutmix <= 0:
        return None
    return Mixing(
        mixup=config.mixup,
        cutmix=config.cutmix,
        prob=config.mixup_prob,
        switch_prob=config.mixup_switch_prob,
        num_classes=num_classes,
    )


def _default_output(model: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", model.split("/")[-1]).strip("-") or "model"
    return str(Path("runs") / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}")


def _seed_everything(seed: int) -> None:
    import numpy as np

    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def _rng_state() -> dict[str, Any]:
    state: dict[str, Any] = {"torch": torch.get_rng_state(), "python": random.getstate()}
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: dict[str, Any]) -> None:
    torch.set_rng_state(state["torch"])
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def _log_epoch(row: EpochMetrics, epochs: int) -> None:
    ema = ""
    if row.ema_eval_top1 is not None:
        ema = f"  ema top1 {row.ema_eval_top1:.2f} top5 {row.ema_eval_top5:.2f}"
    _logger.info(
        "epoch %d/%d  train loss %.4f  eval loss %.4f  top1 %.2f  top5 %.2f%s  lr %.2e  %.0f img/s  %.1f s",
        row.epoch,
        epochs,
        row.train_loss,
        row.eval_loss,
        row.eval_top1,
        row.eval_top5,
        ema,
        row.lr,
        row.train_images_per_second,
        row.epoch_seconds,
    )
