"""save_pretrained / push_to_hub, and the round trips with timm in both directions."""

from __future__ import annotations

import json

import pytest
import safetensors.torch
import torch
from support.timm_oracle import assert_close, sample_input, timm

import hub
from hub.errors import MissingPluginError

ARCH = "resnet18"


@pytest.fixture(scope="module")
def ours() -> torch.nn.Module:
    torch.manual_seed(0)
    return hub.create_model(ARCH, num_classes=7, in_chans=1).eval()


def _same_outputs(a: torch.nn.Module, b: torch.nn.Module, channels: int = 1) -> None:
    x = sample_input(64, channels=channels)
    with torch.no_grad():
        assert_close(a.eval()(x), b.eval()(x))


def test_hub_folder_loads_in_timm_and_back(ours, tmp_path) -> None:
    labels = [f"class{i}" for i in range(7)]
    hub.save_pretrained(ours, tmp_path, label_names=labels)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.json", "model.safetensors"]
    config = json.loads((tmp_path / "config.json").read_text())
    assert config["architecture"] == ARCH and config["num_classes"] == 7 and config["label_names"] == labels
    assert config["pretrained_cfg"]["input_size"] == [1, 224, 224] and "hf_hub_id" not in config["pretrained_cfg"]
    assert config["pretrained_cfg"]["mean"] == [pytest.approx(sum((0.485, 0.456, 0.406)) / 3)]

    in_timm = timm.create_model(f"local-dir:{tmp_path}", pretrained=True)
    _same_outputs(in_timm, ours)
    back = hub.create_model(f"local-dir:{tmp_path}", pretrained=True)
    _same_outputs(back, ours)
    assert back.pretrained_cfg.label_names == tuple(labels)
    assert back.pretrained_cfg.source == "local-dir"


def test_timm_folder_loads_in_hub(tmp_path) -> None:
    from timm.models._hub import save_for_hf

    torch.manual_seed(1)
    reference = timm.create_model("resnet10t", num_classes=3).eval()
    save_for_hf(reference, tmp_path, safe_serialization=True)
    _same_outputs(hub.create_model(f"local-dir:{tmp_path}", pretrained=True), reference, channels=3)


def test_timm_folder_with_only_pickle_weights(tmp_path) -> None:
    from timm.models._hub import save_for_hf

    reference = timm.create_model("resnet10t", num_classes=3).eval()
    save_for_hf(reference, tmp_path, safe_serialization=False)
    assert (tmp_path / "pytorch_model.bin").is_file() and not (tmp_path / "model.safetensors").exists()
    _same_outputs(hub.create_model(f"local-dir:{tmp_path}", pretrained=True), reference, channels=3)


def test_local_dir_of_an_architecture_no_plugin_provides(tmp_path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"architecture": "acmenet_giant_patch9_999"}))
    with pytest.raises(MissingPluginError, match="'acmenet_giant_patch9_999' model.*install the plugin"):
        hub.create_model(f"local-dir:{tmp_path}")


def test_local_dir_without_config(tmp_path) -> None:
    with pytest.raises(hub.errors.CheckpointError, match="config.json does not exist"):
        hub.create_model(f"local-dir:{tmp_path}")


def test_label_names_must_match_the_classes(ours, tmp_path) -> None:
    with pytest.raises(ValueError, match="label_names has 2 names but the model has 7 classes"):
        hub.save_pretrained(ours, tmp_path, label_names=["a", "b"])


def test_an_interrupted_save_leaves_no_partial_file(ours, tmp_path, monkeypatch) -> None:
    def failing(tensors, path, metadata=None):  # type: ignore[no-untyped-def]
        with open(path, "wb") as handle:
            handle.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(safetensors.torch, "save_file", failing)
    with pytest.raises(OSError, match="disk full"):
        hub.save_pretrained(ours, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_push_to_hub_then_load_in_hub_and_timm(ours, hub_server) -> None:
    url = hub.push_to_hub(ours, "acme/r18-gray", label_names=[str(i) for i in range(7)])
    assert "acme/r18-gray" in url
    files = hub_server.files("acme/r18-gray")
    assert {"config.json", "model.safetensors", "README.md"} <= set(files)
    _same_outputs(hub.create_model("hf-hub:acme/r18-gray", pretrained=True), ours)
    _same_outputs(timm.create_model("hf-hub:acme/r18-gray", pretrained=True), ours)
    # pushing again adds a commit to the existing repository
    hub.push_to_hub(ours, "acme/r18-gray", commit_message="again")
    assert hub_server.count("POST", "/commit/") == 2


# (architecture, builder arguments): channel and class adaptation, another image size, a distilled head.
SAVE_CASES = [
    ("resnet18", {"num_classes": 10, "in_chans": 4}),
    ("vit_tiny_patch16_224", {"num_classes": 10, "in_chans": 1}),
    ("vit_tiny_patch16_224", {"img_size": 64}),
    ("efficientnet_b0", {"in_chans": 2}),
]


@pytest.mark.parametrize(("arch", "kwargs"), SAVE_CASES)
def test_config_is_timms_but_for_num_classes_in_model_args(arch: str, kwargs: dict, tmp_path) -> None:
    """hub writes what timm writes, except that num_classes stays out of model_args (it is at the top level)."""
    from timm.models._hub import save_for_hf

    hub.save_pretrained(hub.create_model(arch, **kwargs), tmp_path / "hub")
    save_for_hf(timm.create_model(arch, **kwargs), tmp_path / "timm")
    ours = json.loads((tmp_path / "hub" / "config.json").read_text())
    theirs = json.loads((tmp_path / "timm" / "config.json").read_text())
    assert "num_classes" not in ours["model_args"]
    theirs["model_args"].pop("num_classes")
    assert ours == theirs


@pytest.mark.parametrize(("arch", "kwargs"), SAVE_CASES[1:3])
def test_hub_folders_load_in_hub_timm_and_transformers(arch: str, kwargs: dict, tmp_path) -> None:
    transformers = pytest.importorskip("transformers")

    torch.manual_seed(0)
    model = hub.create_model(arch, **kwargs).eval()
    hub.save_pretrained(model, tmp_path)
    size = model.as_built_cfg.input_size
    x = torch.randn(2, *size)
    wrapped = transformers.AutoModelForImageClassification.from_pretrained(tmp_path).eval()
    with torch.no_grad():
        expected = model(x)
        assert_close(wrapped(pixel_values=x).logits, expected)
        assert_close(timm.create_model(f"local-dir:{tmp_path}", pretrained=True).eval()(x), expected)
        assert_close(hub.create_model(f"local-dir:{tmp_path}", pretrained=True).eval()(x), expected)
