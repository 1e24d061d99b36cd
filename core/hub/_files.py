"""Writing a folder so that readers see the old one or the new one, never a mix. No torch."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = ["replace_folder"]


@contextmanager
def replace_folder(target: str | os.PathLike[str], *, keep_others: bool = True) -> Iterator[Path]:
    """Yield an empty staging folder beside ``target``; when the block succeeds, it becomes ``target``.

    Everything is written into the staging folder first; then the old folder is moved
    aside, the new one renamed into place, and the old one removed. An error (or a kill)
    before the swap leaves ``target`` as it was; a kill between the two renames leaves no
    ``target`` but both complete folders beside it, never new files next to old ones.
    ``keep_others`` copies the old folder's files that the block did not write (a README,
    say) into the new one.
    """
    if not os.fspath(target).strip():
        raise ValueError("a folder path is needed, got an empty one (use '.' for the current folder)")
    target = Path(target).expanduser().absolute()
    if target.exists() and not target.is_dir():
        raise FileExistsError(f"{target} exists and is not a folder; nothing was written")
    parent = target.parent
    created = _make_parents(parent)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp"))
    try:
        yield staging
        if target.exists() and keep_others:
            _copy_missing(target, staging)
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in reversed(created):
            _remove_if_empty(folder)
        raise


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; returns the ones created, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    missing.reverse()
    for path in missing:
        path.mkdir(exist_ok=True)
    return missing


def _copy_missing(old: Path, new: Path) -> None:
    for entry in old.iterdir():
        destination = new / entry.name
        if destination.exists() or entry.name.startswith("."):
            continue
        if entry.is_dir():
            shutil.copytree(entry, destination, symlinks=True)
        else:
            shutil.copy2(entry, destination, follow_symlinks=False)


def _swap(staging: Path, target: Path) -> None:
    # mkdtemp makes the folder private; give it the permissions of the folder it lives in.
    os.chmod(staging, target.parent.stat().st_mode & 0o777)
    if not target.exists():
        os.rename(staging, target)
        return
    retired = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
    os.rmdir(retired)
    os.rename(target, retired)
    os.rename(staging, target)
    shutil.rmtree(retired, ignore_errors=True)


def _remove_if_empty(folder: Path) -> None:
    with suppress(OSError):  # not empty (someone else wrote there): leave it
        folder.rmdir()
