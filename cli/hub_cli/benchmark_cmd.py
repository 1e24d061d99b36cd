"""``hub benchmark``: images per second, milliseconds per batch, size, cost and peak memory of models."""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

import click

from hub_cli.model_options import parse_model_args

__all__ = ["benchmark_command"]


@click.command("benchmark")
@click.argument("models", nargs=-1, required=True)
@click.option("--bench", type=click.Choice(["infer", "train", "both"]), default="infer", show_default=True)
@click.option("-b", "--batch-size", type=click.IntRange(min=1), default=8, show_default=True)
@click.option(
    "--img-size", type=click.IntRange(min=8), metavar="PIXELS", help="Square input size (default: the model's)."
)
@click.option("--device", default="cpu", show_default=True, help="cpu, cuda, cuda:N or mps.")
@click.option("--amp", type=click.Choice(["bfloat16", "float16"]), help="Run under torch.autocast in this dtype.")
@click.option("--channels-last", is_flag=True, help="Channels-last memory format for model and input.")
@click.option("--compile", "compile_", is_flag=True, help="Run torch.compile(model) (compilation is in the warm-up).")
@click.option("--optimize", is_flag=True, help="Time hub.optimize(model) (inference only).")
@click.option("--warmup", type=click.IntRange(min=0), default=3, show_default=True, help="Untimed steps first.")
@click.option("--iterations", type=click.IntRange(min=1), default=10, show_default=True, help="Timed steps (median).")
@click.option("--model-arg", "model_args", multiple=True, metavar="KEY=VALUE", help="A builder argument (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one record per model and bench.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV: one row per model and bench.")
def benchmark_command(
    models: tuple[str, ...],
    bench: str,
    batch_size: int,
    img_size: int | None,
    device: str,
    amp: str | None,
    channels_last: bool,
    compile_: bool,
    optimize: bool,
    warmup: int,
    iterations: int,
    model_args: tuple[str, ...],
    as_json: bool,
    as_csv: bool,
) -> None:
    """Time MODELS (built without weights) for inference and/or training, one row per model.

    Each model is warmed up, then timed step by step (synchronised on a GPU); the median
    step gives images/s and ms per batch. Parameters and GMACs (one image) are counted on
    the meta device; peak memory is the GPU's peak allocation, or the growth of the
    process's peak resident memory on the CPU. A model that fails (out of memory, an
    unsupported option) says why in its row, and the others go on; the exit status is 1
    when any failed.

    \b
    Examples:
      hub benchmark resnet50 efficientnet_b0 -b 8
      hub benchmark resnet50 --optimize --json
      hub benchmark convnext_tiny --device cuda --amp bfloat16 --channels-last --bench both
      hub benchmark 'vit_*' --img-size 224 --csv > vit.csv
    """
    if as_json and as_csv:
        raise click.UsageError("give --json or --csv, not both")
    from hub._benchmark import BenchmarkSettings, benchmark_model
    from hub._device import resolve_device

    resolve_device(device)  # a bad or absent device is the user's error, once, not one per row
    benches = ("infer", "train") if bench == "both" else (bench,)
    results = []
    for name in _expand(models):
        for one in benches:
            settings = BenchmarkSettings(
                bench=one,
                batch_size=batch_size,
                img_size=img_size,
                device=device,
                amp=amp,
                channels_last=channels_last,
                compile=compile_,
                optimize=optimize,
                warmup=warmup,
                iterations=iterations,
                model_args=parse_model_args(model_args),
            )
            result = benchmark_model(name, settings)
            results.append(result)
            if not (as_json or as_csv):
                click.echo(_render_row(result, first=len(results) == 1))
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in results], indent=2))
    elif as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        records = [r.as_dict() for r in results]
        writer.writerow(records[0].keys())
        for record in records:
            writer.writerow(_csv_value(v) for v in record.values())
    failed = [r.model for r in results if r.error]
    if failed:
        raise click.ClickException(f"{len(failed)} of {len(results)} runs failed: {', '.join(failed)}")


def _expand(patterns: tuple[str, ...]) -> list[str]:
    """Each pattern with a wildcard replaced by the architectures it matches; other names as given."""
    import hub

    names: list[str] = []
    for pattern in patterns:
        if any(c in pattern for c in "*?["):
            matched = hub.list_models(pattern)
            if not matched:
                raise click.BadParameter(f"{pattern!r} matches no installed model", param_hint="MODELS")
            names += matched
        else:
            names.append(pattern)
    return names


def _render_row(result: Any, *, first: bool) -> str:
    widths = (28, 6, 10, 10, 9, 8, 10)
    header = ("model", "bench", "img/s", "ms/batch", "params M", "GMACs", "peak MiB")
    cells = [result.model, result.bench]
    if result.error:
        cells += [f"failed: {result.error}"]
    else:
        cells += [
            f"{result.images_per_second:.1f}",
            f"{result.ms_per_batch:.2f}",
            f"{result.params_millions:.2f}",
            f"{result.gmacs:.2f}",
            "-" if result.peak_memory_mib is None else f"{result.peak_memory_mib:.0f}",
        ]
    line = "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip()
    if not first:
        return line
    return "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip() + "\n" + line


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "x".join(map(str, value))
    return value
