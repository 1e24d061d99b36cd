"""Fixtures of the training tests: a small image folder shared by a module's tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.train_data import write_images


@pytest.fixture(scope="module")
def image_folder(tmp_path_factory) -> Path:
    """DATA/train and DATA/val with three classes of colour images."""
    root = tmp_path_factory.mktemp("data")
    write_images(root / "train", ["ants", "bees", "wasps"], 16, seed=1)
    write_images(root / "val", ["ants", "bees", "wasps"], 6, seed=2)
    return root
