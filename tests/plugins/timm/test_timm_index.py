"""hub-timm's index of timm's registry: built once by a real subprocess, reused, rebuilt when stale or corrupt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support.fake_plugins import catalog_of

import hub
from hub._plugins import FAILED
from hub_timm import _index

timm = pytest.importorskip("timm")


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> tuple[Path, Any, str]:
    """The index built in an empty cache folder, as on first use: (folder, raw scan data, stderr)."""
    folder = tmp_path_factory.mktemp("hub-cache")
    code = (
        "import sys; from pathlib import Path; from hub_timm import _index\n"
        "index = _index.load_index(Path(sys.argv[1]))\n"
        "print(len(index.archs), 'torch' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True, timeout=600
    )
    assert result.stdout.split() == [str(len(timm.list_models())), "False"]  # the manifest's process stays torch-free
    path = _index.index_path(timm.__version__, folder)
    return folder, _read(path), result.stderr


def _read(path: Path) -> Any:
    """The index data in a cache file, its checksum checked."""
    return _index.decode_index(path.read_text(), where=str(path))


def _copy_cache(first_build: tuple[Path, Any, str], tmp_path: Path) -> Path:
    raw = first_build[1]
    target = _index.index_path(timm.__version__, tmp_path)
    target.parent.mkdir(parents=True)
    target.write_text(_index.encode_index(raw))
    return target


@pytest.fixture()
def scans(first_build, monkeypatch) -> list[int]:
    """Count the scans of timm's registry; each one returns what the real first scan printed."""
    calls: list[int] = []

    def scan() -> Any:
        calls.append(1)
        return json.loads(json.dumps(first_build[1]))

    monkeypatch.setattr(_index, "_scan_in_subprocess", scan)
    return calls


def test_the_first_use_builds_the_index_once_with_one_line_on_stderr(first_build) -> None:
    folder, raw, stderr = first_build
    assert stderr.strip() == (
        f"hub-timm: indexing the models of timm {timm.__version__} (first use with this timm version); "
        "this takes a few seconds, once"
    )
    path = _index.index_path(timm.__version__, folder)
    assert path.parent == folder / "hub-timm" and [p.name for p in path.parent.iterdir()] == [path.name]
    assert raw["timm_version"] == timm.__version__ and set(raw["archs"]) == set(timm.list_models())


def test_the_index_is_reused_without_scanning(first_build, scans, tmp_path, capsys) -> None:
    path = _copy_cache(first_build, tmp_path)
    before = path.stat().st_mtime_ns
    index = _index.load_index(tmp_path)
    assert scans == [] and path.stat().st_mtime_ns == before and capsys.readouterr().err == ""
    assert index.archs["resnet50"].tags["a1_in1k"].hf_hub_id == "timm/resnet50.a1_in1k"


def test_an_index_for_another_timm_version_is_rebuilt(first_build, scans, tmp_path, capsys) -> None:
    path = _copy_cache(first_build, tmp_path)
    stale = _read(path)
    stale["timm_version"] = "0.9.16"
    path.write_text(_index.encode_index(stale))
    index = _index.load_index(tmp_path)
    assert scans == [1] and index.timm_version == timm.__version__
    assert _read(path)["timm_version"] == timm.__version__
    assert "the cached index describes timm 0.9.16" in capsys.readouterr().err


@pytest.mark.parametrize(
    "corrupt",
    [
        b"",
        b'{"format": 1, "timm_version": "1.0.31", "arch',  # cut off mid-write by another tool
        b'{"format": 3, "sha256": "0123"}\n{"format": 3, "timm_version": "1.0.31", "arch',
        b"\xff\xfe not text",
        b'{"format": 999}',
        b"[]",
    ],
    ids=["empty", "truncated", "checksum", "binary", "other-format", "not-an-object"],
)
def test_a_corrupt_index_is_rebuilt_not_trusted(first_build, scans, tmp_path, capsys, corrupt: bytes) -> None:
    path = _copy_cache(first_build, tmp_path)
    path.write_bytes(corrupt)
    index = _index.load_index(tmp_path)
    assert scans == [1] and len(index.archs) == len(first_build[1]["archs"])
    assert _read(path) == first_build[1]
    assert "the cached index was unreadable" in capsys.readouterr().err


def test_an_edited_index_is_rebuilt_and_a_wrong_field_never_passes_the_scan(
    first_build, scans, tmp_path, capsys
) -> None:
    path = _copy_cache(first_build, tmp_path)
    header, body = path.read_text().split("\n", 1)
    broken = json.loads(body)
    broken["archs"]["resnet50"]["tags"]["a1_in1k"]["input_size"] = [3, 224]
    path.write_text(header + "\n" + json.dumps(broken))  # the old checksum stays
    _index.load_index(tmp_path)
    assert scans == [1] and "does not match its checksum" in capsys.readouterr().err
    # What the scan prints is checked field by field before it is written.
    with pytest.raises(_index.CorruptIndexError, match="'resnet50': PretrainedCfg.input_size must be"):
        _index.parse_index(broken, where="test")


def test_a_verified_index_gives_the_cfgs_a_full_check_gives(first_build) -> None:
    raw = first_build[1]
    checked = _index.parse_index(raw, where="test", checked=True)
    full = _index.parse_index(json.loads(json.dumps(raw)), where="test")
    assert checked == full
    cfg = checked.archs["resnet50"].tags["a1_in1k"]
    assert isinstance(cfg.input_size, tuple) and isinstance(cfg.mean, tuple)
    assert hash(cfg) == hash(full.archs["resnet50"].tags["a1_in1k"])


def test_an_unwritable_cache_still_gives_an_index(first_build, scans, tmp_path, capsys) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    index = _index.load_index(blocked)
    assert scans == [1] and len(index.archs) == len(first_build[1]["archs"])
    assert "could not save the index" in capsys.readouterr().err


def test_the_cache_folder_follows_hub_cache_then_xdg(tmp_path) -> None:
    assert _index.cache_folder({"HUB_CACHE": str(tmp_path)}) == tmp_path
    assert _index.cache_folder({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "hub"
    assert _index.cache_folder({}) == Path.home() / ".cache" / "hub"


def test_a_timm_that_cannot_be_imported_fails_the_plugin_with_one_clear_warning(tmp_path, monkeypatch) -> None:
    """A real scan subprocess that cannot import timm: the plugin is skipped, the others keep working."""
    shadow = tmp_path / "shadow" / "timm"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('this timm is broken')\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(shadow.parent), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv(_index.CACHE_ENV, str(tmp_path / "cache"))
    import hub_timm

    with catalog_of() as catalog, pytest.warns(hub.errors.HubPluginWarning, match="plugin 'hub-timm' failed"):
        info = catalog.add_plugin("hub-timm", hub_timm)
    assert info.status == FAILED
    assert "could not index timm's registry (ImportError: this timm is broken)" in (info.reason or "")
    assert "check that `python -c 'import timm'` works" in (info.reason or "")
    assert not (tmp_path / "cache" / "hub-timm").exists() or not any((tmp_path / "cache" / "hub-timm").iterdir())
