"""Exporting a model to a file another runtime loads: ONNX, a ``torch.export`` program, or TorchScript.

- ONNX through ``torch.onnx.export(..., dynamo=True)``, which needs ``onnx`` and
  ``onnxscript`` (and ``onnxruntime`` for the check): the ``hub-core[export]`` extra.
- ``torch.export`` programs, saved with ``torch.export.save`` (a ``.pt2`` file).
- TorchScript by tracing (``torch.jit.trace``); ``torch.jit.script`` is deprecated and no
  hub model is scriptable, so it is not offered.

The file is written next to its destination and moved there when complete, so a failed
export leaves nothing behind. The check runs the saved file, as its runtime loads it, on
random input and compares with the eager model.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import torch
from torch import nn

from hub._arguments import Range
from hub._as_built import as_built_cfg_of
from hub._build import check_argument_values
from hub.errors import ExportError

__all__ = ["CHECK_TOLERANCE", "EXPORT_FORMATS", "ExportCheck", "export_model"]

EXPORT_FORMATS = ("onnx", "torch-export", "torchscript")
# Largest absolute difference between the exported model's outputs and eager mode that the check accepts, for
# outputs of unit scale; float32 rounding grows with the outputs, so for larger ones it is this times their largest.
CHECK_TOLERANCE = 1e-4
_RUNTIMES = {"onnx": "onnxruntime", "torch-export": "torch.export.load", "torchscript": "torch.jit.load"}
_EXTRA_HINT = 'install the export extra: pip install "hub-core[export]"'


@dataclass(frozen=True)
class ExportCheck:
    """How the exported file's outputs compared with eager mode: the runtime that ran it and the largest difference.

    ``output_scale`` is the largest absolute eager output (at least 1): the check passes
    when ``max_abs_diff`` is at most ``CHECK_TOLERANCE`` times it. Pretrained models give
    outputs of order 1 to 10; a randomly initialised deep model can give far larger ones.
    """

    format: str
    runtime: str
    batch_size: int
    max_abs_diff: float
    output_scale: float = 1.0

    @property
    def tolerance(self) -> float:
        return CHECK_TOLERANCE * self.output_scale

    @property
    def passed(self) -> bool:
        return self.max_abs_diff <= self.tolerance


def export_model(
    model: nn.Module,
    path: str | os.PathLike[str],
    *,
    format: str,
    img_size: Annotated[int, Range(min=1)] | None = None,
    dynamic_batch: bool = False,
    opset: Annotated[int, Range(min=7)] | None = None,
    optimize: bool = False,
    check: bool = False,
) -> ExportCheck | None:
    """Write ``model`` (made by ``hub.create_model``) to ``path`` in ``format``; with ``check``, run the file and compare.

    The input is one image of the model's as-built size (``img_size`` makes it square of
    that side; a model of fixed input size must have been built for it). ``dynamic_batch``
    lets the file take any batch size (TorchScript traces always do, when the model has no
    batch-dependent Python). ``opset`` is the ONNX opset (default: torch's). ``optimize``
    exports ``hub.optimize(model)`` (BatchNorm folded). Returns the check's result, or None
    without ``check``; a check that differs by more than `CHECK_TOLERANCE` is an `ExportError`,
    and so is a model that the format cannot express, naming the format and the reason.
    """
    check_argument_values(
        "export_model", export_model, {"img_size": img_size, "opset": opset, "dynamic_batch": dynamic_batch}
    )
    if format not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {format!r}; the formats are {', '.join(EXPORT_FORMATS)}")
    if opset is not None and format != "onnx":
        raise ValueError(f"an opset applies to the onnx format, not to {format}")
    cfg = as_built_cfg_of(model, needed_for="export")
    input_size = (cfg.in_chans, img_size, img_size) if img_size else tuple(cfg.input_size)
    if format == "onnx":
        _import_onnx_modules(check)
    if optimize:
        from hub._optimize import optimize as optimize_model

        model = optimize_model(model, channels_last=False, onednn=False)  # a graph of plain torch ops
    model = model.eval()
    device = next(model.parameters()).device
    # torch.export specialises a dimension of size 1, so a dynamic batch is traced at batch 2
    example = torch.randn(2 if dynamic_batch else 1, *input_size, device=device)
    destination = Path(path)
    if destination.is_dir():
        raise IsADirectoryError(f"{destination} is a folder; give the file to write, e.g. {destination / 'model.onnx'}")
    if format == "torch-export" and destination.suffix != ".pt2":
        raise ValueError(f"torch.export programs are .pt2 files; name the output {destination.with_suffix('.pt2')}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with _written_whole(destination) as staging:
        try:
            _EXPORTERS[format](model, example, staging, dynamic_batch, opset)
        except ExportError:
            raise
        except Exception as exc:  # the exporter's reason, on one line, is the message
            raise ExportError(f"{_model_name(model)} cannot be exported as {format}: {_first_line(exc)}") from exc
    if not check:
        return None
    result = check_export(
        model, destination, format=format, input_size=input_size, batch_size=2 if dynamic_batch else 1
    )
    if not result.passed:
        raise ExportError(
            f"{_model_name(model)} exported as {format} differs from eager mode by {result.max_abs_diff:.3g} "
            f"(run by {result.runtime}; outputs up to {result.output_scale:.3g}, so at most {result.tolerance:.3g} "
            f"is accepted); {destination} was kept for inspection"
        )
    return result


def check_export(
    model: nn.Module, path: Path, *, format: str, input_size: tuple[int, ...], batch_size: int = 1
) -> ExportCheck:
    """Run the exported file at ``path`` by its runtime on random input; compare with ``model`` in eager mode."""
    device = next(model.parameters()).device
    x = torch.randn(batch_size, *input_size, device=device, generator=None)
    with torch.inference_mode():
        expected = _tensors(model.eval()(x))
    if format == "onnx":
        ort = importlib.import_module("onnxruntime")
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        feed = {session.get_inputs()[0].name: x.cpu().numpy()}
        got = [torch.from_numpy(array) for array in session.run(None, feed)]
    elif format == "torch-export":
        program = torch.export.load(str(path))
        with torch.inference_mode():
            got = _tensors(program.module()(x))
    else:
        with _jit_deprecation_quiet():
            traced = torch.jit.load(str(path), map_location=device)
        with torch.inference_mode(), _jit_deprecation_quiet():
            got = _tensors(traced(x))
    if len(got) != len(expected):
        raise ExportError(f"the {format} file gives {len(got)} outputs where the model gives {len(expected)}")
    diff = max(float((a.float().cpu() - b.float().cpu()).abs().max()) for a, b in zip(expected, got, strict=True))
    scale = max(1.0, *(float(a.abs().max()) for a in expected))
    return ExportCheck(format, _RUNTIMES[format], batch_size, diff, scale)


def _export_onnx(model: nn.Module, example: torch.Tensor, path: Path, dynamic_batch: bool, opset: int | None) -> None:
    dynamic_shapes = ({0: torch.export.Dim("batch", min=1, max=4096)},) if dynamic_batch else None
    # The exporter reports its progress on stdout; the caller's output stays its own.
    with contextlib.redirect_stdout(io.StringIO()):
        torch.onnx.export(
            model,
            (example,),
            str(path),
            dynamo=True,
            external_data=False,
            opset_version=opset,
            dynamic_shapes=dynamic_shapes,
            input_names=["input"],
            verbose=False,
        )


def _export_program(
    model: nn.Module, example: torch.Tensor, path: Path, dynamic_batch: bool, opset: int | None
) -> None:
    dynamic_shapes = ({0: torch.export.Dim("batch", min=1, max=4096)},) if dynamic_batch else None
    program = torch.export.export(model, (example,), dynamic_shapes=dynamic_shapes)
    torch.export.save(program, str(path))


def _export_torchscript(
    model: nn.Module, example: torch.Tensor, path: Path, dynamic_batch: bool, opset: int | None
) -> None:
    with _jit_deprecation_quiet(), torch.no_grad():
        traced = torch.jit.trace(model, example, check_trace=False, strict=False)  # feature lists are fixed in length
        torch.jit.save(traced, str(path))


@contextlib.contextmanager
def _jit_deprecation_quiet() -> Iterator[None]:
    """TorchScript's deprecation warnings silenced: asking for the format is knowing it (the docs say so)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*torch\.jit\.\w+` is deprecated")
        yield


_EXPORTERS = {"onnx": _export_onnx, "torch-export": _export_program, "torchscript": _export_torchscript}


def _import_onnx_modules(check: bool) -> None:
    """`ExportError` naming the extra when a module the ONNX export (or its check) needs is missing."""
    for name in ("onnx", "onnxscript", *(("onnxruntime",) if check else ())):
        try:
            importlib.import_module(name)
        except ImportError:
            raise ExportError(f"exporting to onnx needs the {name} package; {_EXTRA_HINT}") from None


@contextlib.contextmanager
def _written_whole(destination: Path) -> Iterator[Path]:
    """A temporary path beside ``destination``, moved onto it when the block succeeds and removed when it fails."""
    # the staging name ends as the destination does: torch.export's loader and saver read the suffix
    handle, name = tempfile.mkstemp(
        prefix=f".{destination.name}.part-", suffix=destination.suffix, dir=destination.parent
    )
    os.close(handle)
    staging = Path(name)
    try:
        yield staging
        os.replace(staging, destination)
    finally:
        staging.unlink(missing_ok=True)


def _tensors(output: Any) -> list[torch.Tensor]:
    """The tensors of a model's output (a tensor, or a list / tuple / dict of them), in order."""
    if isinstance(output, torch.Tensor):
        return [output]
    if isinstance(output, dict):
        output = list(output.values())
    return [t for item in output for t in _tensors(item)]


def _model_name(model: nn.Module) -> str:
    cfg = getattr(model, "as_built_cfg", None) or getattr(model, "pretrained_cfg", None)
    return f"model {getattr(cfg, 'architecture', None) or type(model).__name__!r}"


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
