"""Small real image data for the training tests: class folders of generated PNGs, and tiny run arguments."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image

# resnet10t at 32 px: a real model that trains in a fraction of a second per step on one core.
MODEL = "resnet10t"


def write_images(
    folder: Path, classes: Sequence[str], per_class: int, *, mode: str = "RGB", seed: int = 0
) -> list[tuple[str, str]]:
    """Write ``per_class`` PNGs per class under ``folder/<class>/``; returns (relative path, class) rows.

    Each class has its own brightness pattern, so a model can learn them in a few steps.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for index, name in enumerate(classes):
        (folder / name).mkdir(parents=True, exist_ok=True)
        for number in range(per_class):
            base = np.zeros((24, 24), dtype=np.float64)
            base[:, index * 6 : index * 6 + 8] = 200  # a bright band whose place is the class
            pixels = np.clip(base + rng.normal(0, 25, size=base.shape), 0, 255).astype(np.uint8)
            image = Image.fromarray(pixels, "L")
            if mode == "RGB":
                image = image.convert("RGB")
            path = folder / name / f"{number}.png"
            image.save(path)
            rows.append((f"{name}/{number}.png", name))
    return rows


def tiny_args(data: Path, output: Path, *extra: str) -> list[str]:
    """`hub train` arguments for a run of a few steps on ``data``."""
    return [
        "--model", MODEL, "--data-dir", str(data), "--output", str(output), "--img-size", "32",
        "-b", "8", "--epochs", "2", "--workers", "0", "--warmup-epochs", "0", *extra,
    ]  # fmt: skip
