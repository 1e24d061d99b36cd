"""``hub predict``: the top classes of image files, with their probabilities and names."""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

import click

from hub_cli.model_options import has_own_weights, load_model, model_options

__all__ = ["predict_command"]


@click.command("predict")
@click.argument("images", nargs=-1, required=True, type=click.Path(exists=True))
@model_options
@click.option("--top-k", type=click.IntRange(min=1), default=5, show_default=True, help="Classes shown per image.")
@click.option(
    "-b", "--batch-size", type=click.IntRange(min=1), default=8, show_default=True, help="Images per forward."
)
@click.option("--device", default="cpu", show_default=True, help="Where the model runs: cpu, cuda, cuda:N or mps.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one record per file.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV: one row per file and class.")
def predict_command(
    images: tuple[str, ...],
    model: str,
    pretrained: bool,
    checkpoint: str | None,
    model_args: tuple[str, ...],
    top_k: int,
    batch_size: int,
    device: str,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Classify IMAGES (files, or folders walked for image files) with model MODEL.

    Each image goes through the eval transform of the model's weights; grey and RGBA images
    are converted to the channels the model takes. Class names come from the weights'
    config.json (label_names) or, for ImageNet weights, from the ImageNet class names
    shipped with hub. A file that cannot be read is reported by name on stderr and the
    others go on; the exit status is 1 only when no file could be classified.

    \b
    Examples:
      hub predict cat.jpg -m resnet50.a1_in1k --pretrained
      hub predict photos/ -m convnext_tiny --pretrained --top-k 3 --json
      hub predict scans/ -m local-dir:my-model/ --csv > predictions.csv
      hub predict x.png -m resnet18 --checkpoint runs/x/best/model.safetensors
    """
    if as_json and as_csv:
        raise click.UsageError("give --json or --csv, not both")
    from hub._predict import Prediction, predict_images

    if not (pretrained or checkpoint or has_own_weights(model)):
        click.echo(
            f"warning: {model} has random weights; pass --pretrained or --checkpoint for real predictions", err=True
        )
    classifier = load_model(model, pretrained=pretrained, checkpoint=checkpoint, model_args=model_args)
    predictions: list[Prediction] = []
    unreadable = 0
    for result in predict_images(classifier, images, top_k=top_k, batch_size=batch_size, device=device):
        if isinstance(result, Prediction):
            predictions.append(result)
            if not (as_json or as_csv):
                click.echo(_render(result))
        else:
            unreadable += 1
            click.echo(f"warning: {result.path}: {result.reason}; skipped", err=True)
    if as_json:
        click.echo(json.dumps([_record(p) for p in predictions], indent=2))
    elif as_csv:
        _write_csv(predictions)
    if unreadable:
        click.echo(f"{unreadable} file(s) could not be read; {len(predictions)} classified", err=True)
    if not predictions:
        raise click.ClickException("no image could be classified")


def _render(prediction: Any) -> str:
    lines = [str(prediction.path)]
    for rank, score in enumerate(prediction.classes, start=1):
        label = f" ({score.label})" if score.label != score.name else ""
        lines.append(f"  {rank}. {100 * score.probability:6.2f}%  {score.name}{label}  [{score.index}]")
    return "\n".join(lines)


def _record(prediction: Any) -> dict[str, Any]:
    return {
        "path": str(prediction.path),
        "classes": [
            {"index": s.index, "label": s.label, "name": s.name, "probability": s.probability}
            for s in prediction.classes
        ],
    }


def _write_csv(predictions: list[Any]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["path", "rank", "index", "label", "name", "probability"])
    for prediction in predictions:
        for rank, s in enumerate(prediction.classes, start=1):
            writer.writerow([prediction.path, rank, s.index, s.label, s.name, f"{s.probability:.6f}"])
