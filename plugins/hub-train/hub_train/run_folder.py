"""A run is a folder: ``config.yaml``, ``summary.csv``/``summary.jsonl``, ``last.pth``, best checkpoints, ``best/``.

Every file is written under a temporary name and renamed when complete, so an interrupted
run never leaves a half-written file; checkpoints are read back with ``weights_only=True``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from hub_train.errors import RunFolderError

__all__ = [
    "CONFIG_FILE",
    "LAST_CHECKPOINT",
    "BestCheckpoints",
    "holds_run",
    "load_checkpoint",
    "prepare_run_folder",
    "save_checkpoint",
    "write_atomically",
    "write_summary",
]

CONFIG_FILE = "config.yaml"
LAST_CHECKPOINT = "last.pth"
SUMMARY_CSV = "summary.csv"
SUMMARY_JSONL = "summary.jsonl"
BEST_FOLDER = "best"
_RUN_MARKERS = (CONFIG_FILE, LAST_CHECKPOINT, SUMMARY_CSV, SUMMARY_JSONL)


def holds_run(folder: Path) -> bool:
    """True when ``folder`` already holds (part of) a training run."""
    return any((folder / name).exists() for name in _RUN_MARKERS)


def check_run_folder(folder: Path, *, resume: bool, overwrite: bool) -> None:
    """Refuse to start a run over another one unless resuming it or told to overwrite it."""
    if folder.exists() and not folder.is_dir():
        raise RunFolderError(f"--output {folder} is a file, not a folder")
    if resume:
        if not (folder / LAST_CHECKPOINT).is_file():
            raise RunFolderError(
                f"--resume {folder}: no {LAST_CHECKPOINT} there; it is not a run folder (or never finished an epoch)"
            )
        return
    if holds_run(folder) and not overwrite:
        raise RunFolderError(
            f"--output {folder} already holds a run; pass --resume {folder} to continue it, "
            "--overwrite to replace it, or choose another --output"
        )


def prepare_run_folder(folder: Path, *, resume: bool, overwrite: bool) -> None:
    """Create the run folder; with ``overwrite`` (and not resuming) remove the earlier run's files."""
    folder.mkdir(parents=True, exist_ok=True)
    if overwrite and not resume:
        for name in _RUN_MARKERS:
            (folder / name).unlink(missing_ok=True)
        for old in folder.glob("checkpoint-*.pth"):
            old.unlink()
        shutil.rmtree(folder / BEST_FOLDER, ignore_errors=True)


def write_atomically(path: Path, write: Callable[[str], object]) -> None:
    """Write ``path`` through ``write(temporary_path)``, then rename: readers never see a partial file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_checkpoint(state: Mapping[str, Any], path: Path) -> None:
    write_atomically(path, lambda temporary: torch.save(dict(state), temporary))


def load_checkpoint(path: Path) -> dict[str, Any]:
    """A checkpoint read with ``weights_only=True``; a RunFolderError if it is missing or corrupt."""
    try:
        loaded = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise RunFolderError(f"the checkpoint {path} does not exist") from None
    except (pickle.UnpicklingError, RuntimeError, EOFError, OSError, ValueError, zipfile.BadZipFile) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RunFolderError(f"the checkpoint {path} is truncated, corrupt or unsafe to load ({first_line})") from None
    if not isinstance(loaded, dict):
        raise RunFolderError(f"the checkpoint {path} holds a {type(loaded).__name__}, not a checkpoint")
    return loaded


def write_summary(folder: Path, rows: Sequence[Mapping[str, Any]]) -> None:
    """Write every epoch's metrics to ``summary.csv`` and ``summary.jsonl`` (both rewritten whole)."""
    columns = list(rows[0]) if rows else []
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    csv_text = text.getvalue()
    jsonl_text = "".join(json.dumps(dict(row)) + "\n" for row in rows)
    write_atomically(folder / SUMMARY_CSV, lambda path: Path(path).write_text(csv_text))
    write_atomically(folder / SUMMARY_JSONL, lambda path: Path(path).write_text(jsonl_text))


@dataclass(frozen=True)
class Ranked:
    """One kept checkpoint: its epoch, metric value and which weights (model or ema) it holds."""

    epoch: int
    value: float
    source: str
    path: str


class BestCheckpoints:
    """The best ``keep`` checkpoints by a metric (higher is better unless ``lower_is_better``)."""

    def __init__(self, folder: Path, *, keep: int, lower_is_better: bool) -> None:
        self.folder = folder
        self.keep = keep
        self.lower_is_better = lower_is_better
        self.kept: list[Ranked] = []

    def better(self, value: float, than: float | None) -> bool:
        if than is None:
            return True
        return value < than if self.lower_is_better else value > than

    def offer(self, epoch: int, value: float, source: str, state: Callable[[], Mapping[str, Any]]) -> None:
        """Keep this epoch's weights if they rank among the best; drop the checkpoint that falls out."""
        if self.keep == 0:
            return
        if len(self.kept) >= self.keep and not self.better(value, self.kept[-1].value):
            return
        path = self.folder / f"checkpoint-{epoch}.pth"
        save_checkpoint(state(), path)
        self.kept.append(Ranked(epoch, value, source, path.name))
        self.kept.sort(key=lambda r: (r.value if self.lower_is_better else -r.value, r.epoch))
        for dropped in self.kept[self.keep :]:
            (self.folder / dropped.path).unlink(missing_ok=True)
        self.kept = self.kept[: self.keep]

    def state_dict(self) -> list[dict[str, Any]]:
        return [{"epoch": r.epoch, "value": r.value, "source": r.source, "path": r.path} for r in self.kept]

    def load_state_dict(self, state: Sequence[Mapping[str, Any]]) -> None:
        self.kept = [Ranked(int(s["epoch"]), float(s["value"]), str(s["source"]), str(s["path"])) for s in state]
