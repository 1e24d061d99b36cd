"""hub-timm's index of timm's registry: read from hub's cache folder, built when missing, stale or corrupt.

The manifest registers every timm architecture with its tags and cfgs, but it must not
import timm (seconds, and torch with it). It reads an index instead: JSON printed by
``python -m hub_timm._scan`` in a subprocess, once per installed timm version, and kept
as ``hub-timm/index-timm-VERSION.json`` in hub's cache folder (``$HUB_CACHE``, else
``$XDG_CACHE_HOME/hub``, else ``~/.cache/hub``). A file that records another timm version,
or that does not parse into a valid index, is rebuilt, never trusted. Nothing here
imports torch.

The scan's output is checked field by field once, when it is built; the file then carries
the SHA-256 of its contents on its first line. `hub list` reads it on every run, so a file
whose checksum matches gives its cfgs without a second check of each field (milliseconds
instead of tens), and one whose checksum does not (edited, cut short) is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import importlib_metadata

from hub import PretrainedCfg

__all__ = [
    "CACHE_ENV",
    "INDEX_FORMAT",
    "UNTRAINED",
    "CorruptIndexError",
    "IndexBuildError",
    "TimmArch",
    "TimmIndex",
    "cache_folder",
    "decode_index",
    "encode_index",
    "get_index",
    "index_path",
    "installed_timm_version",
    "load_index",
    "parse_index",
]

INDEX_FORMAT = 3  # raised whenever the layout or the scan changes, so older files are rebuilt
CACHE_ENV = "HUB_CACHE"
UNTRAINED = "untrained"  # the tag of an architecture's cfg when timm has no weights for it
BUILD_TIMEOUT_S = 600

_FEATURE_CLASSES = frozenset({"list", "dict", "hook", "getter"})
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # an architecture is also an attribute of hub_timm.builders


class CorruptIndexError(ValueError):
    """An index file that cannot be read or does not have the expected layout."""


class IndexBuildError(RuntimeError):
    """Scanning timm's registry failed; the message says why and what to check."""


@dataclass(frozen=True)
class TimmArch:
    """One timm architecture as hub-timm registers it.

    ``args`` are the keyword arguments its model class takes (None: any, the class takes
    ``**kwargs``); ``feature_cls`` is the hub wrapper that does what timm's own feature
    wrapper for it does; ``tags`` are the pretrained cfgs, the default first.
    """

    name: str
    module: str
    feature_cls: str
    args: tuple[str, ...] | None
    tags: Mapping[str, PretrainedCfg]


@dataclass(frozen=True)
class TimmIndex:
    """Every architecture of one timm version, by name."""

    timm_version: str
    archs: Mapping[str, TimmArch]


def cache_folder(environ: Mapping[str, str] = os.environ) -> Path:
    """hub's cache folder: ``$HUB_CACHE``, else ``$XDG_CACHE_HOME/hub``, else ``~/.cache/hub``."""
    if environ.get(CACHE_ENV):
        return Path(environ[CACHE_ENV]).expanduser()
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "hub"


def index_path(timm_version: str, folder: Path | None = None) -> Path:
    return (folder or cache_folder()) / "hub-timm" / f"index-timm-{timm_version}.json"


def installed_timm_version() -> str:
    """The version of the installed timm distribution, read from its metadata (no import)."""
    try:
        return str(importlib_metadata.version("timm"))
    except importlib_metadata.PackageNotFoundError:
        raise IndexBuildError("hub-timm needs timm, which is not installed; pip install 'timm>=1.0'") from None


_loaded: dict[Path, TimmIndex] = {}


def get_index() -> TimmIndex:
    """The index for the installed timm, loaded once per process (built first if needed)."""
    path = index_path(installed_timm_version())
    if path not in _loaded:
        _loaded[path] = load_index(path.parent.parent)
    return _loaded[path]


def load_index(folder: Path | None = None) -> TimmIndex:
    """Read the index of the installed timm from ``folder`` (hub's cache folder by default).

    A missing file is built (one line on stderr says so, as it takes seconds); a file for
    another timm version or a corrupt one is rebuilt.
    """
    version = installed_timm_version()
    path = index_path(version, folder)
    try:
        index = parse_index(decode_index(_read_text(path), where=str(path)), where=str(path), checked=True)
    except FileNotFoundError:
        reason = "first use with this timm version"
    except CorruptIndexError as exc:
        reason = f"the cached index was unreadable: {exc}"
    else:
        if index.timm_version == version:
            return index
        reason = f"the cached index describes timm {index.timm_version}"
    _say(f"indexing the models of timm {version} ({reason}); this takes a few seconds, once")
    return build_index(version, path)


def build_index(version: str, path: Path) -> TimmIndex:
    """Scan timm's registry in a subprocess and save the result atomically at ``path``."""
    raw = _scan_in_subprocess()
    index = parse_index(raw, where="the scan of timm's registry")
    if index.timm_version != version:
        raise IndexBuildError(
            f"`import timm` loads timm {index.timm_version}, but the installed distribution is timm {version}; "
            "another copy of timm shadows it (check PYTHONPATH)"
        )
    try:
        _write_atomically(path, encode_index(raw))
    except OSError as exc:
        _say(f"could not save the index to {path} ({exc}); it will be built again next time")
    return index


def _scan_in_subprocess() -> Any:
    package_parent = str(Path(__file__).resolve().parents[1])  # so the child finds hub_timm as this process does
    environ = dict(os.environ)
    environ["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, environ.get("PYTHONPATH")) if p)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "hub_timm._scan"],
            capture_output=True,
            text=True,
            env=environ,
            timeout=BUILD_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise IndexBuildError(f"hub-timm could not run its scan of timm's registry ({exc})") from exc
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise IndexBuildError(
            f"hub-timm could not index timm's registry ({last}); check that `python -c 'import timm'` works"
        )
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise IndexBuildError(f"hub-timm's scan of timm's registry printed no valid JSON ({exc})") from exc


def encode_index(raw: Any) -> str:
    """The index file's text: a header line with the format and the checksum, then the index as JSON."""
    body = _as_json(raw)
    return _as_json({"format": INDEX_FORMAT, "sha256": _checksum(body)}) + "\n" + body


def decode_index(text: str, *, where: str) -> Any:
    """The index data in an index file's text, once its checksum matches; `CorruptIndexError` otherwise."""
    header_line, _, body = text.partition("\n")
    try:
        header = json.loads(header_line)
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or "format" not in header:
        raise CorruptIndexError(f"{where} is not a hub-timm index")
    if header["format"] != INDEX_FORMAT:
        raise CorruptIndexError(f"{where} has index format {header['format']!r}; this hub-timm reads {INDEX_FORMAT}")
    if header.get("sha256") != _checksum(body):
        raise CorruptIndexError(f"{where} does not match its checksum (changed or cut short)")
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        raise CorruptIndexError(f"{where} is not JSON ({exc})") from exc


def _checksum(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise CorruptIndexError(str(exc)) from exc


def parse_index(raw: Any, *, where: str, checked: bool = False) -> TimmIndex:
    """Validate index data into records; `CorruptIndexError` names the first problem.

    ``checked``: the data comes from an index file whose checksum matched, so its cfgs were
    checked when it was built and are rebuilt without checking each field again.

    Layout: ``{"format", "timm_version", "arg_sets": [[name, ...], ...], "archs": {name:
    {"module", "feature_cls", "args": position in arg_sets or null, "shared": {cfg fields
    of every tag}, "tags": {tag: {the tag's other cfg fields}}}}}``.
    """
    if not isinstance(raw, dict) or raw.get("format") != INDEX_FORMAT:
        raise CorruptIndexError(f"{where} is not a hub-timm index of format {INDEX_FORMAT}")
    version, arg_sets, archs = raw.get("timm_version"), raw.get("arg_sets"), raw.get("archs")
    if not isinstance(version, str) or not isinstance(archs, dict) or not archs or not isinstance(arg_sets, list):
        raise CorruptIndexError(f"{where} lacks the timm version, the argument lists or the architectures")
    if not all(isinstance(a, list) and all(isinstance(n, str) for n in a) for a in arg_sets):
        raise CorruptIndexError(f"{where}: each argument list must be a list of names")
    arguments = [tuple(a) for a in arg_sets]
    records: dict[str, TimmArch] = {}
    for name, data in archs.items():
        try:
            records[name] = _parse_arch(name, data, arguments, checked)
        except (TypeError, ValueError, KeyError, IndexError) as exc:
            raise CorruptIndexError(f"{where}, architecture {name!r}: {exc}") from None
    return TimmIndex(version, MappingProxyType(records))


_BLANK_CFG = PretrainedCfg()


def _parse_arch(name: str, data: Any, arguments: list[tuple[str, ...]], checked: bool) -> TimmArch:
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError("not a Python identifier")
    module, feature_cls, args, shared, tags = (data[k] for k in ("module", "feature_cls", "args", "shared", "tags"))
    if not isinstance(module, str) or feature_cls not in _FEATURE_CLASSES:
        raise ValueError(f"bad module {module!r} or feature_cls {feature_cls!r}")
    if args is not None and (not isinstance(args, int) or isinstance(args, bool) or args < 0):
        raise ValueError(f"args must be a position in arg_sets or null, got {args!r}")
    if not isinstance(shared, dict) or not isinstance(tags, dict) or not tags:
        raise ValueError("shared must be a dict and tags a non-empty dict")
    # The scan wrote only hub's field names; anything else fails here and the file is rebuilt.
    if checked:
        cfgs = {
            tag: PretrainedCfg.from_checked_dict({**shared, **own, "architecture": name, "tag": tag})
            for tag, own in tags.items()
        }
    else:  # replace() checks only the fields given; a blank cfg's defaults need no second look
        cfgs = {tag: _BLANK_CFG.replace(shared, own, architecture=name, tag=tag) for tag, own in tags.items()}
    return TimmArch(name, module, feature_cls, None if args is None else arguments[args], MappingProxyType(cfgs))


def _as_json(raw: Any) -> str:
    return json.dumps(raw, separators=(",", ":"))


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)  # an ordinary cache file, not mkstemp's private one
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _say(message: str) -> None:
    print(f"hub-timm: {message}", file=sys.stderr, flush=True)
