"""One training epoch and one evaluation pass: the loops, their metrics, bad images, and the stop signal."""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import torch
from torch import nn

from hub_train.data import BadImage, Batch
from hub_train.distributed import Processes
from hub_train.errors import DataError
from hub_train.losses import Criterion, Mixing, accuracy_counts, eval_loss

__all__ = ["EvalCounts", "Precision", "StepState", "evaluate_loop", "finish_eval", "train_epoch"]

_logger = logging.getLogger("hub_train")


@dataclass(frozen=True)
class Precision:
    """How the forward runs: autocast dtype (None = full precision) and memory format."""

    device: torch.device
    amp_dtype: torch.dtype | None
    channels_last: bool

    def autocast(self) -> contextlib.AbstractContextManager:
        if self.amp_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=self.amp_dtype)

    def to_device(self, images: torch.Tensor) -> torch.Tensor:
        images = images.to(self.device, non_blocking=True)
        return images.contiguous(memory_format=torch.channels_last) if self.channels_last else images


@dataclass
class StepState:
    """Progress through the current epoch, saved in a recovery checkpoint so a resume continues mid-epoch."""

    batches: int = 0
    loss_sum: float = 0.0
    images: int = 0
    skipped: int = 0
    seconds: float = 0.0


@dataclass
class EvalCounts:
    """Sums over an evaluation pass (this process's share until `reduced`)."""

    loss_sum: float = 0.0
    top1: int = 0
    top5: int = 0
    images: int = 0
    skipped: int = 0
    seconds: float = 0.0
    bad: list[BadImage] = field(default_factory=list)

    def reduced(self, processes: Processes) -> EvalCounts:
        totals = processes.sum([self.loss_sum, self.top1, self.top5, self.images, self.skipped])
        seconds = max(processes.sum([self.seconds])[0] / processes.world_size, 1e-9)
        return EvalCounts(totals[0], int(totals[1]), int(totals[2]), int(totals[3]), int(totals[4]), seconds)

    @property
    def loss(self) -> float:
        return self.loss_sum / max(self.images, 1)

    @property
    def top1_pct(self) -> float:
        return 100.0 * self.top1 / max(self.images, 1)

    @property
    def top5_pct(self) -> float:
        return 100.0 * self.top5 / max(self.images, 1)


def _check_bad(bad: list[BadImage], skip: bool) -> None:
    if bad and not skip:
        first = bad[0]
        raise DataError(
            f"cannot read the image {first.path} ({first.reason}); fix or remove it, or pass --skip-bad-images"
        )


def _progress(batches: Iterable[Batch], total: int, description: str, show: bool) -> Iterator[Batch]:
    if not show:
        yield from batches
        return
    from tqdm import tqdm

    yield from tqdm(batches, total=total, desc=description, leave=False, dynamic_ncols=True)


def train_epoch(
    *,
    model: nn.Module,
    forward: Callable[[torch.Tensor], torch.Tensor],
    loader: Iterable[Batch],
    batches_in_epoch: int,
    state: StepState,
    optimizer: torch.optim.Optimizer,
    criterion: Criterion,
    mixing: Mixing | None,
    precision: Precision,
    scaler: torch.amp.GradScaler | None,
    grad_accum_steps: int,
    clip_grad: float | None,
    after_update: Callable[[], None],
    processes: Processes,
    skip_bad_images: bool,
    should_stop: Callable[[], bool],
    description: str,
    log_interval: int,
) -> bool:
    """Train over ``loader`` from ``state`` on, updating ``state``; returns False when stopped by a signal.

    A stop is taken only between updates (whole gradient accumulations), agreed by all
    processes, so the recovery checkpoint resumes exactly where the run stopped.
    """
    model.train()
    show_bar = processes.is_main and sys.stderr.isatty()
    clock = _EpochClock(state, precision.device)
    accumulated = 0
    for batch in _progress(loader, batches_in_epoch - state.batches, description, show_bar):
        stop, bad = _agree(processes, should_stop(), bool(batch.bad) and not skip_bad_images)
        if bad:
            _check_bad(batch.bad, skip_bad_images)
            raise DataError("another process met an unreadable image; see its message, or pass --skip-bad-images")
        if stop and accumulated == 0:
            clock.settle()
            return False
        state.skipped += len(batch.bad)
        state.batches += 1
        if batch.images is None or batch.targets is None:
            continue
        images, targets = precision.to_device(batch.images), batch.targets.to(precision.device, non_blocking=True)
        if mixing is not None:
            images, targets = mixing(images, targets)
        accumulated += 1
        last_of_update = accumulated == grad_accum_steps or state.batches == batches_in_epoch
        sync = (
            contextlib.nullcontext() if last_of_update or not hasattr(model, "no_sync") else getattr(model, "no_sync")()
        )
        with sync:
            with precision.autocast():
                loss = criterion(forward(images), targets)
            scaled = loss / grad_accum_steps
            (scaler.scale(scaled) if scaler is not None else scaled).backward()
        clock.running_loss += loss.detach() * len(images)
        state.images += len(images)
        if not last_of_update:
            continue
        _update(model, optimizer, scaler, clip_grad)
        accumulated = 0
        after_update()
        if processes.is_main and not show_bar and state.batches % (log_interval * grad_accum_steps) == 0:
            clock.settle()
            _logger.info(
                "%s  batch %d/%d  loss %.4f",
                description,
                state.batches,
                batches_in_epoch,
                state.loss_sum / state.images,
            )
    if accumulated:  # the epoch's last batches were unreadable: apply what was accumulated
        _update(model, optimizer, scaler, clip_grad)
        after_update()
    clock.settle()
    return True


def _update(
    model: nn.Module, optimizer: torch.optim.Optimizer, scaler: torch.amp.GradScaler | None, clip_grad: float | None
) -> None:
    """One optimizer step from the accumulated gradients (unscaled and clipped first when asked)."""
    if clip_grad is not None:
        if scaler is not None:
            scaler.unscale_(optimizer)
        nn.utils.clip_grad_norm_(model.parameters(), clip_grad)
    if scaler is not None:
        scaler.step(optimizer)
        scaler.update()
    else:
        optimizer.step()
    optimizer.zero_grad(set_to_none=True)


class _EpochClock:
    """Moves the epoch's loss sum and training time into ``state`` at log lines and at the end.

    Between those the loss sum stays on the device: reading it after every step would make
    the CPU wait for the GPU each time.
    """

    def __init__(self, state: StepState, device: torch.device) -> None:
        self.state = state
        self.device = device
        self.running_loss = torch.zeros((), dtype=torch.float64, device=device)
        self.since = time.perf_counter()

    def settle(self) -> None:
        self.state.loss_sum += float(self.running_loss)  # waits for the device's queued work
        self.running_loss.zero_()
        now = time.perf_counter()
        self.state.seconds += now - self.since
        self.since = now


def _agree(processes: Processes, stop: bool, bad: bool) -> tuple[bool, bool]:
    """Whether any process was asked to stop or met a bad image, so that all act together."""
    if not processes.distributed:
        return stop, bad
    flags = processes.sum([float(stop), float(bad)])
    return flags[0] > 0, flags[1] > 0


def finish_eval(counts: EvalCounts, processes: Processes, skip_bad_images: bool) -> EvalCounts:
    """The counts summed over processes; a DataError in every process if one met an unreadable image."""
    _, bad = _agree(processes, False, bool(counts.bad) and not skip_bad_images)
    if bad:
        _check_bad(counts.bad, skip_bad_images)
        raise DataError("another process met an unreadable image; see its message, or pass --skip-bad-images")
    return counts.reduced(processes)


@torch.no_grad()
def evaluate_loop(
    *,
    forward: Callable[[torch.Tensor], torch.Tensor],
    model: nn.Module,
    loader: Iterable[Batch],
    total_batches: int,
    precision: Precision,
    skip_bad_images: bool,
    show_progress: bool,
    description: str = "eval",
) -> EvalCounts:
    """Loss, top-1 and top-5 counts of this process's share of the evaluation data; see `finish_eval`."""
    model.eval()
    counts = EvalCounts()
    started = time.perf_counter()
    for batch in _progress(loader, total_batches, description, show_progress):
        counts.bad += batch.bad
        counts.skipped += len(batch.bad)
        if batch.images is None or batch.targets is None:
            continue
        images, targets = precision.to_device(batch.images), batch.targets.to(precision.device)
        with precision.autocast():
            logits = forward(images)
        logits = logits.float()
        counts.loss_sum += float(eval_loss(logits, targets))
        top1, top5 = accuracy_counts(logits, targets)
        counts.top1 += top1
        counts.top5 += top5
        counts.images += len(images)
    counts.seconds = time.perf_counter() - started
    return counts
