"""pretrained_cfg_overlay: a mapping of PretrainedCfg fields, each checked by type; weights only with pretrained."""

from __future__ import annotations

import pytest

import hub
from hub.errors import InvalidArgumentError


@pytest.mark.parametrize("overlay", ["model.safetensors", ["file", "x"], 5, ("num_classes", 10)])
def test_an_overlay_must_be_a_mapping(overlay: object) -> None:
    with pytest.raises(InvalidArgumentError, match="create_model: pretrained_cfg_overlay must be a mapping or None"):
        hub.create_model("resnet18", pretrained=True, pretrained_cfg_overlay=overlay)


@pytest.mark.parametrize("field", ["filename", "num_class", "mean_std"])
def test_an_unknown_field_lists_the_valid_ones(field: str) -> None:
    with pytest.raises(
        TypeError, match=f"pretrained_cfg_overlay: PretrainedCfg has no field.*{field}.*valid fields: url"
    ):
        hub.create_model("resnet18", pretrained_cfg_overlay={field: 1})


CASES = [
    ({"num_classes": "10"}, r"PretrainedCfg.num_classes must be an int \(>= 0\), got '10' \(str\)"),
    ({"num_classes": 10.0}, r"PretrainedCfg.num_classes must be an int"),
    ({"input_size": (3, 224)}, r"PretrainedCfg.input_size must be a 3-tuple of ints"),
    ({"input_size": (3, -1, 224)}, r"PretrainedCfg.input_size must be a 3-tuple of ints \(>= 1\)"),
    ({"mean": "imagenet"}, "PretrainedCfg.mean must be a sequence of numbers"),
    ({"mean": (0.5,)}, "PretrainedCfg mean and std must have one value per channel"),
    ({"crop_pct": -0.1}, r"PretrainedCfg.crop_pct must be a number \(>= 0\)"),
    ({"first_conv": ["conv1", 2]}, "PretrainedCfg.first_conv must be a string or a sequence of strings"),
    ({"label_names": "cat,dog"}, "PretrainedCfg.label_names must be a sequence of strings"),
    ({"custom_load": "no"}, "PretrainedCfg.custom_load must be True or False"),
    ({"url": "file:///etc/passwd"}, r"PretrainedCfg.url must be an http\(s\) URL.*file=PATH"),
    ({"url": "ftp://host/w.pth"}, r"PretrainedCfg.url must be an http\(s\) URL"),
    ({"hf_hub_id": 5}, "PretrainedCfg.hf_hub_id must be a string or None"),
    ({"state_dict": [1, 2]}, "PretrainedCfg.state_dict must be a mapping or None"),
]


@pytest.mark.parametrize(("overlay", "message"), CASES, ids=[str(o) for o, _ in CASES])
def test_a_field_of_the_wrong_type_names_it(overlay: dict, message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=f"pretrained_cfg_overlay: {message}"):
        hub.create_model("resnet18", pretrained=True, pretrained_cfg_overlay=overlay)


@pytest.mark.parametrize("source", ["file", "url", "hf_hub_id", "state_dict"])
def test_naming_weights_without_pretrained_is_refused(source: str) -> None:
    value = {"file": "w.safetensors", "url": "https://example.org/w.pth", "hf_hub_id": "me/w", "state_dict": {}}[source]
    with pytest.raises(ValueError, match=rf"pretrained_cfg_overlay names weights \({source}\) but pretrained=False"):
        hub.create_model("resnet18", pretrained_cfg_overlay={source: value})


def test_an_overlay_of_input_facts_needs_no_weights() -> None:
    model = hub.create_model("resnet18", pretrained_cfg_overlay={"mean": (0.5, 0.5, 0.5), "std": (0.5, 0.5, 0.5)})
    assert hub.resolve_data_config(model).mean == (0.5, 0.5, 0.5)
