"""create_model: name forms, argument checks with actionable errors, cfg defaults."""

from __future__ import annotations

import pytest
import torch
from support.fake_plugins import catalog_of, register_tiny

import hub
from hub.errors import AmbiguousModelError, NoPretrainedWeightsError, UnknownModelError, UnknownTagError


@pytest.fixture(autouse=True)
def tiny_catalog():
    with catalog_of(acme=register_tiny) as catalog:
        yield catalog


def test_builds_with_cfg_defaults_and_carries_the_cfg() -> None:
    model = hub.create_model("tinynet")
    assert model.num_classes == 10  # from the default tag's cfg
    assert model.pretrained_cfg.tag == "a_in1k"
    assert hub.create_model("tinynet.b_in1k").num_classes == 5
    assert hub.create_model("tinynet.b_in1k").pretrained_cfg.tag == "b_in1k"
    assert model.model_args == {"num_classes": 10, "in_chans": 3}


def test_explicit_arguments_reach_the_builder() -> None:
    model = hub.create_model("tinynet", num_classes=4, in_chans=1, global_pool="max", drop_rate=0.1, width=4)
    out = model.eval()(torch.randn(2, 1, 16, 16))
    assert out.shape == (2, 4)
    assert model.global_pool.pool_type == "max" and model.num_features == 16


def test_unknown_model_lists_close_names() -> None:
    with pytest.raises(UnknownModelError, match="did you mean 'tinynet'"):
        hub.create_model("tinynt")


def test_unknown_tag_lists_valid_tags() -> None:
    with pytest.raises(UnknownTagError, match="valid tags: a_in1k, b_in1k"):
        hub.create_model("tinynet.c_in1k")


def test_unknown_keyword_names_the_keyword_and_the_model() -> None:
    with pytest.raises(TypeError, match="model 'tinynet' got unexpected keyword argument\\(s\\) 'depth'"):
        hub.create_model("tinynet", depth=3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"in_chans": 0}, r"in_chans must be an int \(>= 1\) or None, got 0"),
        ({"num_classes": -3}, r"num_classes must be an int \(>= 0\) or None, got -3"),
        ({"num_classes": 2.5}, r"num_classes must be an int \(>= 0\) or None, got 2.5"),
        ({"drop_rate": 1.5}, r"drop_rate must be a number \(>= 0 and < 1\) or None, got 1.5"),
        ({"global_pool": "mean"}, "global_pool must be one of 'avg', 'max', 'avgmax', 'catavgmax', ''"),
        ({"out_indices": (1,)}, "pass features_only=True as well"),
        ({"features_only": True, "feature_cls": "fx"}, "feature_cls must be one of list, dict, hook, getter"),
        ({"features_only": True, "num_classes": 3}, "a feature extractor has no classifier"),
        ({"output_stride": 16}, "does not support output_stride"),
    ],
)
def test_invalid_values_say_what_is_allowed(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        hub.create_model("tinynet", **kwargs)


def test_pretrained_with_checkpoint_path_is_a_conflict(tmp_path) -> None:
    with pytest.raises(ValueError, match="either pretrained=True or checkpoint_path"):
        hub.create_model("tinynet", pretrained=True, checkpoint_path=tmp_path / "x.safetensors")


def test_pretrained_without_weights_says_how_to_get_them() -> None:
    with pytest.raises(NoPretrainedWeightsError, match="pretrained_cfg_overlay=dict\\(file=PATH\\)"):
        hub.create_model("tinynet", pretrained=True, pretrained_cfg_overlay={"hf_hub_id": None})


def test_overlay_with_an_unknown_field_is_an_error() -> None:
    with pytest.raises(TypeError, match="PretrainedCfg has no field"):
        hub.create_model("tinynet", pretrained_cfg_overlay={"filename": "x"})


def test_ambiguous_names_need_a_plugin() -> None:
    with catalog_of(acme=register_tiny, globex=register_tiny):
        with pytest.raises(AmbiguousModelError, match="'acme:tinynet' or 'globex:tinynet'"):
            hub.create_model("tinynet")
        assert hub.create_model("globex:tinynet").pretrained_cfg.architecture == "tinynet"


@pytest.mark.parametrize("name", ["hf-hub:", "hf-hub:justone", "local-dir:", "  "])
def test_malformed_name_forms(name: str) -> None:
    with pytest.raises(ValueError):
        hub.create_model(name)
