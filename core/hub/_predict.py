"""Classifying image files: the eval transform of the model's weights, batches, top-k classes with names.

An image that cannot be read or converted is reported (`Unreadable`, with the reason) and
the others go on; grey, palette and RGBA images are converted to the channels the model
takes by the transform itself (`hub.data.MatchChannels`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import torch
from PIL import Image
from torch import nn

from hub._arguments import Range
from hub._as_built import as_built_cfg_of
from hub._build import check_argument_values
from hub._data_config import resolve_data_config
from hub._device import resolve_device
from hub._labels import ClassNames, class_names
from hub.data import create_transform

__all__ = ["ClassScore", "Prediction", "Unreadable", "find_images", "predict_images"]


@dataclass(frozen=True)
class ClassScore:
    """One of an image's top classes: its index, dataset label, readable name and probability."""

    index: int
    label: str
    name: str
    probability: float


@dataclass(frozen=True)
class Prediction:
    """An image's most probable classes, most probable first."""

    path: Path
    classes: tuple[ClassScore, ...]


@dataclass(frozen=True)
class Unreadable:
    """A file that could not be read as an image (or converted for the model), and why."""

    path: Path
    reason: str


@functools.cache
def image_suffixes() -> frozenset[str]:
    """The file suffixes Pillow can open here (``.png``, ``.jpg``, ...), lowercase."""
    return frozenset(suffix.lower() for suffix in Image.registered_extensions())


def find_images(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files to classify: each file as given, and the image files under each folder (walked, sorted).

    A folder's files are picked by suffix (what Pillow opens); a file named directly is
    always tried. A path that does not exist is a `FileNotFoundError`.
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in image_suffixes() and not p.name.startswith(".")
            )
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(f"{given}: no such file or folder")
    return found


def predict_images(
    model: nn.Module,
    paths: Sequence[str | os.PathLike[str]],
    *,
    top_k: Annotated[int, Range(min=1)] = 5,
    batch_size: Annotated[int, Range(min=1)] = 8,
    device: str | None = None,
    names: ClassNames | None = None,
) -> Iterator[Prediction | Unreadable]:
    """Classify the images at ``paths`` (files, or folders walked for images); one result per file, in order.

    ``model`` is a classifier made by ``hub.create_model``: its weights' eval transform
    (``hub.create_transform(hub.resolve_data_config(model))``) prepares each image. The
    ``top_k`` most probable classes (at most ``num_classes``) come with the names from
    ``names``, by default the weights' ``label_names`` or the ImageNet set of that many
    classes (`hub._labels.class_names`). The model is moved to ``device`` and put in eval mode.
    """
    check_argument_values("predict_images", predict_images, {"top_k": top_k, "batch_size": batch_size})
    num_classes = getattr(model, "num_classes", 0)
    if not isinstance(num_classes, int) or num_classes < 1:
        raise ValueError("the model has no classifier (num_classes=0); build it with its head to predict classes")
    cfg = as_built_cfg_of(model, needed_for="predicting classes")
    names = names or class_names(getattr(model, "pretrained_cfg", None) or cfg, num_classes)
    if len(names) != num_classes:
        raise ValueError(f"{len(names)} class names were given for a model of {num_classes} classes")
    target = resolve_device(device)
    model = model.to(target).eval()
    transform = create_transform(resolve_data_config(model))
    batch: list[tuple[Path, torch.Tensor]] = []
    for path in find_images(paths):
        try:
            with Image.open(path) as image:
                tensor = transform(image)
        except Exception as exc:  # Pillow raises many kinds (OSError, ValueError, SyntaxError, ...) for bad files
            yield Unreadable(path, _reason(exc))
            continue
        batch.append((path, tensor))
        if len(batch) == batch_size:
            yield from _classify(model, batch, min(top_k, num_classes), names, target)
            batch = []
    if batch:
        yield from _classify(model, batch, min(top_k, num_classes), names, target)


def _classify(
    model: nn.Module, batch: list[tuple[Path, torch.Tensor]], k: int, names: ClassNames, device: torch.device
) -> Iterator[Prediction]:
    x = torch.stack([tensor for _, tensor in batch]).to(device)
    with torch.inference_mode():
        probabilities = model(x).float().softmax(dim=-1)
    values, indices = probabilities.topk(k, dim=-1)
    for (path, _), row_values, row_indices in zip(batch, values.tolist(), indices.tolist(), strict=True):
        classes = tuple(
            ClassScore(index, names.labels[index], names.names[index], probability)
            for probability, index in zip(row_values, row_indices, strict=True)
        )
        yield Prediction(path, classes)


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, Image.UnidentifiedImageError):
        return "not an image Pillow can read"
    return text.splitlines()[0]
