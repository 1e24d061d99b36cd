"""Files: checkpoints of every wrong kind get the diagnosis that fits, and saving a folder is all or nothing."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
import safetensors.torch
import torch

import hub
from hub._files import replace_folder
from hub.errors import CheckpointError, StateDictMismatchError

ARCH = "resnet10t"


@pytest.fixture(scope="module")
def model() -> torch.nn.Module:
    torch.manual_seed(0)
    return hub.create_model(ARCH, num_classes=5).eval()


NOT_CHECKPOINTS = {
    "text.pth": b"just some notes\n",
    "config.json.pth": json.dumps({"architecture": ARCH}).encode(),
    "random.pth": bytes(range(256)) * 8,
    "empty.bin": b"",
    "image.pth": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
}


@pytest.mark.parametrize("name", list(NOT_CHECKPOINTS))
def test_a_file_that_is_no_checkpoint_is_called_so(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(NOT_CHECKPOINTS[name])
    with pytest.raises(CheckpointError, match=f"{path} is not a checkpoint") as raised:
        hub.create_model(ARCH, num_classes=5, checkpoint_path=path)
    assert "weights_only=False" not in str(raised.value)


class _Code:
    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.getcwd, ())


@pytest.mark.parametrize("legacy", [False, True])
def test_pickled_code_is_refused_without_advice_to_load_it_unsafely(model, tmp_path: Path, legacy: bool) -> None:
    path = tmp_path / "code.pth"
    payload = {"state_dict": model.state_dict(), "hook": _Code()}
    if legacy:
        with open(path, "wb") as handle:
            pickle.dump(payload, handle, protocol=2)
    else:
        torch.save(payload, path)
    with pytest.raises(CheckpointError, match=r"safe loading refuses \(.*\); hub reads only tensors") as raised:
        hub.create_model(ARCH, num_classes=5, checkpoint_path=path)
    assert "weights_only=False" not in str(raised.value) and "allowlist" not in str(raised.value)


def test_a_checkpoint_of_another_architecture_says_so_not_something_about_classes(model, tmp_path: Path) -> None:
    path = tmp_path / "r10t.safetensors"
    safetensors.torch.save_file(model.state_dict(), path)
    with pytest.raises(StateDictMismatchError, match=r"do not fit the model \(missing keys: .*model name") as raised:
        hub.create_model("resnet18", num_classes=5, checkpoint_path=path)
    assert "num_classes" not in str(raised.value)


def test_a_feature_extractor_leaves_the_checkpoints_classifier_out(model, tmp_path: Path) -> None:
    path = tmp_path / "w.safetensors"
    safetensors.torch.save_file(model.state_dict(), path)
    extractor = hub.create_model(ARCH, features_only=True, checkpoint_path=path).eval()
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(extractor(x)[-1], model.forward_features(x))


def test_reinit_head_makes_a_new_head_even_of_the_same_size(model, tmp_path: Path) -> None:
    path = tmp_path / "w.safetensors"
    safetensors.torch.save_file(model.state_dict(), path)
    torch.manual_seed(1)
    again = hub.create_model(ARCH, num_classes=5, checkpoint_path=path, reinit_head=True)
    assert not torch.equal(again.fc.weight, model.fc.weight)
    torch.testing.assert_close(again.conv1[0].weight, model.conv1[0].weight)


def test_a_headless_checkpoint_for_a_model_with_a_head(model, tmp_path: Path) -> None:
    path = tmp_path / "body.safetensors"
    safetensors.torch.save_file({k: v for k, v in model.state_dict().items() if not k.startswith("fc.")}, path)
    with pytest.raises(StateDictMismatchError, match=r"has no classifier \(fc.weight, fc.bias\).*num_classes=0"):
        hub.create_model(ARCH, num_classes=5, checkpoint_path=path)
    assert hub.create_model(ARCH, num_classes=0, checkpoint_path=path).num_classes == 0


# --- saving: the folder is written as a whole ------------------------------------------------------


@pytest.mark.parametrize("path", ["", "   "])
def test_saving_to_an_empty_path_is_refused(model, path: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ValueError, match="a folder path is needed"):
        hub.save_pretrained(model, path)
    assert (tmp_path / "config.json").read_text() == "{}"


def test_saving_onto_a_file_is_refused(model, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    with pytest.raises(FileExistsError, match="is not a folder"):
        hub.save_pretrained(model, tmp_path / "taken")


def test_a_failed_save_leaves_no_folder_behind(model, tmp_path: Path, monkeypatch) -> None:
    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(safetensors.torch, "save_file", fail)
    with pytest.raises(OSError, match="disk full"):
        hub.save_pretrained(model, tmp_path / "new" / "model")
    assert list(tmp_path.iterdir()) == []


def test_saving_over_a_folder_replaces_both_files_and_keeps_others(model, tmp_path: Path) -> None:
    hub.save_pretrained(hub.create_model(ARCH, num_classes=2), tmp_path)
    (tmp_path / "README.md").write_text("notes")
    hub.save_pretrained(model, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "config.json", "model.safetensors"]
    assert json.loads((tmp_path / "config.json").read_text())["num_classes"] == 5
    assert hub.create_model(f"local-dir:{tmp_path}", pretrained=True).num_classes == 5


def test_a_kill_between_the_renames_never_mixes_old_and_new(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "model"
    target.mkdir()
    (target / "config.json").write_text("old")
    (target / "model.safetensors").write_text("old")
    renames = []
    real_rename = os.rename

    def rename_then_die(source, destination):  # type: ignore[no-untyped-def]
        renames.append(destination)
        if len(renames) == 2:
            raise KeyboardInterrupt  # killed after the old folder moved aside
        real_rename(source, destination)

    monkeypatch.setattr(os, "rename", rename_then_die)
    with pytest.raises(KeyboardInterrupt), replace_folder(target) as staging:
        (staging / "config.json").write_text("new")
        (staging / "model.safetensors").write_text("new")
    monkeypatch.undo()
    folders = [p for p in tmp_path.iterdir() if p.is_dir()]
    contents = {tuple(sorted(f.read_text() for f in folder.iterdir())) for folder in folders}
    assert contents <= {("old", "old")}  # the old folder survives whole; no folder holds a mix
    assert not target.exists()


def test_a_url_that_is_not_http_is_refused_before_anything_is_fetched(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"url must be an http\(s\) URL"):
        hub.create_model(
            ARCH, pretrained=True, pretrained_cfg_overlay={"hf_hub_id": None, "url": f"file://{tmp_path}/w"}
        )
    assert list(tmp_path.iterdir()) == []
