"""Measuring a model's speed and cost where it will run: what ``hub benchmark`` does.

Each model is built without weights (random initialisation), warmed up, then timed step by
step, synchronising an accelerator before and after each step so that a time covers the
work and nothing else. Parameters and GMACs are counted on the meta device. A model that
fails (out of memory, an option it does not support) gives a result that says why.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import statistics
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from hub._arguments import Range
from hub._as_built import as_built_cfg_of
from hub._build import check_argument_values
from hub._device import resolve_device, synchronize
from hub._factory import create_model

__all__ = ["AMP_DTYPES", "BENCHES", "BenchmarkResult", "BenchmarkSettings", "benchmark_model"]

BENCHES = ("infer", "train")
AMP_DTYPES: Mapping[str, torch.dtype] = {"bfloat16": torch.bfloat16, "float16": torch.float16}


@dataclass(frozen=True)
class BenchmarkSettings:
    """How to run a model: the step timed (``infer``: an eval forward; ``train``: forward, backward and an
    SGD step), batch, image size (None: the model's), device, autocast dtype and the speed-ups to apply.

    ``optimize`` applies `hub.optimize` (inference only; with ``channels_last`` it forces the
    channels-last layout, without it the layout is decided by timing). ``model_args`` are
    builder arguments for ``create_model``.
    """

    bench: str = "infer"
    batch_size: Annotated[int, Range(min=1)] = 8
    img_size: Annotated[int, Range(min=1)] | None = None
    device: str = "cpu"
    amp: str | None = None
    channels_last: bool = False
    compile: bool = False
    optimize: bool = False
    warmup: Annotated[int, Range(min=0)] = 3
    iterations: Annotated[int, Range(min=1)] = 10
    model_args: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_argument_values("benchmark", type(self), asdict(self))
        if self.bench not in BENCHES:
            raise ValueError(f"bench must be one of {', '.join(BENCHES)}, got {self.bench!r}")
        if self.amp is not None and self.amp not in AMP_DTYPES:
            raise ValueError(f"amp must be one of {', '.join(AMP_DTYPES)} (or None for float32), got {self.amp!r}")


@dataclass(frozen=True)
class BenchmarkResult:
    """One model's figures under one setting; ``error`` says why a model that failed has none.

    ``gmacs`` are multiply-accumulates of one forward of one image, in billions;
    ``peak_memory_mib`` is the accelerator's peak allocation, or on the CPU the growth of
    the process's peak resident memory while the model was built and run (None where the
    system does not report it).
    """

    model: str
    bench: str
    device: str
    batch_size: int
    input_size: tuple[int, int, int] | None = None
    images_per_second: float | None = None
    ms_per_batch: float | None = None
    params_millions: float | None = None
    gmacs: float | None = None
    peak_memory_mib: float | None = None
    channels_last: bool | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def benchmark_model(name: str, settings: BenchmarkSettings | None = None) -> BenchmarkResult:
    """Build ``name`` (any name ``create_model`` takes; no weights loaded) and time it under ``settings``.

    Never raises for the model's own failure (out of memory, an unsupported option, a
    model that does not build): the result's ``error`` says what happened.
    """
    settings = settings or BenchmarkSettings()
    device = resolve_device(settings.device)
    row = BenchmarkResult(name, settings.bench, str(device), settings.batch_size)
    try:
        with _peak_memory(device) as peak:
            return _run(name, settings, device, row, peak)
    except Exception as exc:  # reported in the model's row; the caller goes on with the next model
        return _replace(row, error=_describe(exc))
    finally:
        gc.collect()
        if device.type == "cuda":
            torch.cuda.empty_cache()


def _run(
    name: str, settings: BenchmarkSettings, device: torch.device, row: BenchmarkResult, peak: Callable[[], float | None]
) -> BenchmarkResult:
    if settings.optimize and settings.bench == "train":
        raise ValueError("--optimize makes an inference-only model; it does not apply to --bench train")
    arguments = dict(settings.model_args)
    with torch.device("meta"):
        meta = create_model(name, **arguments)
        cfg = as_built_cfg_of(meta, needed_for="benchmark")
        if settings.img_size and cfg.fixed_input_size and "img_size" not in arguments:
            arguments["img_size"] = settings.img_size  # a fixed-size model is built for the size asked for
            meta = create_model(name, **arguments)
            cfg = as_built_cfg_of(meta, needed_for="benchmark")
    size = settings.img_size or cfg.input_size[1]
    input_size = (cfg.in_chans, size, size) if settings.img_size else tuple(cfg.input_size)
    row = _replace(
        row,
        input_size=input_size,
        params_millions=sum(p.numel() for p in meta.parameters()) / 1e6,
        gmacs=_gmacs(meta, input_size),
    )
    del meta
    model = create_model(name, **arguments).to(device)
    x = torch.randn(settings.batch_size, *input_size, device=device)
    channels_last = settings.channels_last
    if settings.optimize:  # inference only (checked above); optimize converts the layout itself
        from hub._optimize import optimize

        model = optimize(model, channels_last=True if channels_last else None, sample=x)
        channels_last = getattr(model, "hub_optimize_report").channels_last
    elif channels_last:
        model = model.to(memory_format=torch.channels_last)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    runner: nn.Module = torch.compile(model) if settings.compile else model  # type: ignore[assignment]
    if settings.bench == "infer":
        step = _infer_step(runner.eval(), settings, device)
    else:
        step = _train_step(model, runner, settings, device)
    times = _time_steps(step, x, settings, device)
    median_ms = 1000 * statistics.median(times)
    return _replace(
        row,
        images_per_second=settings.batch_size * 1000 / median_ms,
        ms_per_batch=median_ms,
        peak_memory_mib=peak(),
        channels_last=channels_last,
    )


def _infer_step(model: nn.Module, settings: BenchmarkSettings, device: torch.device) -> Callable[[torch.Tensor], Any]:
    def step(x: torch.Tensor) -> Any:
        with torch.inference_mode(), _autocast(settings, device):
            return model(x)

    return step


def _train_step(
    model: nn.Module, runner: nn.Module, settings: BenchmarkSettings, device: torch.device
) -> Callable[[torch.Tensor], Any]:
    """A training step of ``runner`` (``model`` itself, or compiled) that updates ``model``'s parameters."""
    runner.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
    scaler = torch.amp.GradScaler(device.type, enabled=settings.amp == "float16")
    num_classes = max(getattr(model, "num_classes", 0) or 0, 1)

    def step(x: torch.Tensor) -> Any:
        target = torch.randint(num_classes, (x.shape[0],), device=x.device)
        with _autocast(settings, device):
            output = runner(x)
            loss = nn.functional.cross_entropy(output, target) if output.ndim == 2 else output.float().mean()
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        return loss

    return step


def _autocast(settings: BenchmarkSettings, device: torch.device) -> contextlib.AbstractContextManager[Any]:
    if settings.amp is None:
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=AMP_DTYPES[settings.amp])


def _time_steps(
    step: Callable[[torch.Tensor], Any], x: torch.Tensor, settings: BenchmarkSettings, device: torch.device
) -> list[float]:
    """Seconds of each timed step, after the warm-up steps (allocator, kernel choice, compilation)."""
    for _ in range(settings.warmup):
        step(x)
    times = []
    for _ in range(settings.iterations):
        synchronize(device)
        start = time.perf_counter()
        step(x)
        synchronize(device)
        times.append(time.perf_counter() - start)
    return times


def _gmacs(meta_model: nn.Module, input_size: tuple[int, ...]) -> float:
    """Billions of multiply-accumulates of one eval forward of one image, counted on the meta device."""
    meta_model.eval()
    with torch.device("meta"), torch.no_grad(), FlopCounterMode(display=False) as counter:
        meta_model(torch.empty(1, *input_size))
    return float(counter.get_total_flops()) / 2 / 1e9


@contextlib.contextmanager
def _peak_memory(device: torch.device) -> Iterator[Callable[[], float | None]]:
    """Yields a function that reads the peak memory (MiB) used since the block began."""
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
        start = torch.cuda.memory_allocated(device)
        yield lambda: (torch.cuda.max_memory_allocated(device) - start) / 2**20
        return
    resident = _status_kib("VmRSS")
    if resident is None or not _reset_peak_resident():
        yield lambda: None
        return
    yield lambda: ((_status_kib("VmHWM") or resident) - resident) / 1024


# Linux reports the process's resident memory and its peak in /proc, and resets the peak on request.
_STATUS = Path("/proc/self/status")


def _status_kib(key: str) -> int | None:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak_resident() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _replace(row: BenchmarkResult, **changes: Any) -> BenchmarkResult:
    return dataclasses.replace(row, **changes)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, torch.OutOfMemoryError):
        return "out of memory"
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
