"""config.json of a saved folder: every field of the wrong type is one error naming the file and the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import hub
from hub.errors import CheckpointError


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("saved")
    hub.save_pretrained(hub.create_model("resnet10t", num_classes=3), folder)
    return folder


def _with(saved: Path, tmp_path: Path, change: dict) -> Path:
    """A copy of the saved folder whose config.json has ``change`` applied (None deletes a field)."""
    folder = tmp_path / "changed"
    folder.mkdir()
    (folder / "model.safetensors").symlink_to(saved / "model.safetensors")
    config = json.loads((saved / "config.json").read_text())
    for key, value in change.items():
        target, _, field = key.rpartition(".")
        holder = config[target] if target else config
        if value is None:
            holder.pop(field, None)
        else:
            holder[field] = value
    (folder / "config.json").write_text(json.dumps(config))
    return folder


CASES = [
    ({"architecture": 5}, "does not name an 'architecture'"),
    ({"architecture": None}, "does not name an 'architecture'"),
    ({"num_classes": "10"}, r"field 'num_classes' must be an int \(>= 0\), got '10' \(str\)"),
    ({"num_classes": -2}, r"field 'num_classes' must be an int \(>= 0\), got -2"),
    ({"num_classes": 2.0}, r"field 'num_classes' must be an int"),
    ({"num_features": "512"}, r"field 'num_features' must be an int"),
    ({"global_pool": 0}, "field 'global_pool' must be a string"),
    ({"label_names": "abc"}, "field 'label_names' must be a list of strings"),
    ({"label_names": [1, 2, 3]}, "field 'label_names' must be a list of strings"),
    ({"label_descriptions": ["a"]}, "field 'label_descriptions' must be a mapping"),
    ({"model_args": "in_chans=1"}, "field 'model_args' must be a mapping"),
    ({"model_args": [1]}, "field 'model_args' must be a mapping"),
    ({"model_args.in_chans": "1"}, r"field 'model_args.in_chans' must be an int \(>= 1\), got '1' \(str\)"),
    ({"model_args.in_chans": 0}, r"field 'model_args.in_chans' must be an int \(>= 1\)"),
    ({"model_args.img_size": 224.5}, "field 'model_args.img_size' must be an int or a pair of ints"),
    ({"model_args.global_pool": 3}, r"model_args are invalid \(model 'resnet10t': global_pool must be a string"),
    ({"model_args.zero_init_last": "no"}, "zero_init_last must be True or False"),
    ({"pretrained_cfg": "x"}, "field 'pretrained_cfg' must be a mapping"),
    ({"pretrained_cfg": [1, 2]}, "field 'pretrained_cfg' must be a mapping"),
    ({"pretrained_cfg.input_size": [3, 0, 224]}, r"field 'pretrained_cfg' is invalid: PretrainedCfg.input_size"),
    ({"pretrained_cfg.input_size": "224"}, r"PretrainedCfg.input_size must be a 3-tuple of ints"),
    ({"pretrained_cfg.mean": [0.5, "x", 0.5]}, "PretrainedCfg.mean must be a sequence of numbers"),
    ({"pretrained_cfg.std": [0.5, 0.0, 0.5]}, "std positive"),
    ({"pretrained_cfg.crop_pct": "0.9"}, r"PretrainedCfg.crop_pct must be a number \(>= 0\)"),
    ({"pretrained_cfg.interpolation": 3}, "PretrainedCfg.interpolation must be a string"),
    ({"pretrained_cfg.first_conv": 1}, "PretrainedCfg.first_conv must be a string or a sequence of strings"),
    ({"pretrained_cfg.fixed_input_size": "yes"}, "PretrainedCfg.fixed_input_size must be True or False"),
]


@pytest.mark.parametrize(("change", "message"), CASES, ids=[str(c) for c, _ in CASES])
def test_a_wrong_field_names_the_file_and_the_field(saved: Path, tmp_path: Path, change: dict, message: str) -> None:
    folder = _with(saved, tmp_path, change)
    with pytest.raises(CheckpointError, match=message) as raised:
        hub.create_model(f"local-dir:{folder}", pretrained=True)
    assert str(folder / "config.json") in str(raised.value)


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", "null", '"resnet18"'])
def test_a_config_that_is_not_a_json_object(tmp_path: Path, content: str) -> None:
    (tmp_path / "config.json").write_text(content)
    with pytest.raises(CheckpointError, match=r"config.json (is not a readable JSON file|must hold a JSON object)"):
        hub.create_model(f"local-dir:{tmp_path}", pretrained=True)


def test_the_valid_folder_loads(saved: Path) -> None:
    assert hub.create_model(f"local-dir:{saved}", pretrained=True).num_classes == 3
