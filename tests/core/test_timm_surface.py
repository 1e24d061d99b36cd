"""Code written for timm reads hub's models: the cfg as timm's dict, default_cfg, extractors' cfgs, parameter groups.

The per-architecture comparisons with timm are in each family's parity tests
(``support.timm_oracle.assert_timm_surface_matches``); these are the core's parts.
"""

from __future__ import annotations

import dataclasses

import pytest
import torch
from support.fake_plugins import TINY_CFG, catalog_of, register_tiny
from support.timm_oracle import assert_cfg_dict_matches, timm

import hub
from hub._registry import FEATURE_CLASSES
from hub.errors import PretrainedCfgKeyError
from hub.testing._grouping import group_names

CFG = TINY_CFG.replace(test_input_size=(3, 40, 40))


def test_a_cfg_reads_as_timms_dict() -> None:
    assert CFG["mean"] == hub.IMAGENET_DEFAULT_MEAN and CFG["num_classes"] == 10
    assert CFG.get("crop_pct") == 0.875 and CFG.get("test_crop_pct") is None and CFG.get("meen", 1) == 1
    assert "mean" in CFG and "test_crop_pct" not in CFG and "meen" not in CFG
    kept = ("pool_size", "first_conv", "classifier")  # timm keeps these three keys when they are null
    set_fields = [name for name in CFG.field_names() if getattr(CFG, name) is not None or name in kept]
    assert list(CFG) == list(CFG.keys()) == set_fields
    assert dict(CFG) == {**CFG} == dict(CFG.items()) == CFG.to_dict() and len(CFG) == len(dict(CFG))
    assert hub.PretrainedCfg(**CFG) == CFG
    blank = hub.PretrainedCfg()
    assert {k: blank[k] for k in kept} == dict.fromkeys(kept)
    assert "url" not in blank and "test_input_size" not in blank


def test_a_state_dict_is_a_key_when_set_but_never_serialised() -> None:
    weights = {"stem.weight": torch.zeros(1)}
    cfg = CFG.replace(state_dict=weights)
    assert cfg["state_dict"] is weights and "state_dict" not in CFG
    assert "state_dict" not in cfg.to_dict()


def test_a_cfg_stays_a_frozen_hashable_record() -> None:
    with pytest.raises(TypeError):
        CFG["mean"] = (0.0, 0.0, 0.0)  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        CFG.mean = (0.0, 0.0, 0.0)  # type: ignore[misc]
    assert {CFG: "tiny"}[CFG.replace()] == "tiny"
    assert dict(CFG) != CFG  # equality is the record's: compare dict(cfg) with a dict


def test_a_missing_key_is_a_key_error_that_lists_the_keys() -> None:
    with pytest.raises(KeyError) as unset:
        CFG["test_crop_pct"]
    assert isinstance(unset.value, PretrainedCfgKeyError)
    assert str(unset.value) == (
        "'test_crop_pct' is not set for these weights; cfg.get('test_crop_pct') gives None. Keys of this cfg: "
        "hf_hub_id, custom_load, input_size, test_input_size, fixed_input_size, interpolation, crop_pct, "
        "crop_mode, mean, std, num_classes, pool_size, first_conv, classifier, license"
    )
    with pytest.raises(
        PretrainedCfgKeyError, match=r"^PretrainedCfg has no field 'meen'\. Keys of this cfg: hf_hub_id"
    ):
        CFG["meen"]


@pytest.fixture()
def tiny_catalog():
    with catalog_of(acme=register_tiny) as catalog:
        yield catalog


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"num_classes": 3, "in_chans": 1},
        *({"features_only": True, "feature_cls": cls} for cls in FEATURE_CLASSES),
    ],
    ids=["plain", "adapted", *(f"features-{cls}" for cls in FEATURE_CLASSES)],
)
def test_default_cfg_is_the_pretrained_cfg_of_every_model_built(tiny_catalog, kwargs) -> None:
    model = hub.create_model("tinynet.b_in1k", **kwargs)
    assert model.default_cfg is model.pretrained_cfg
    assert model.pretrained_cfg.tag == "b_in1k"


def test_default_cfg_on_models_with_weights_and_reloaded_ones(tiny_catalog, tmp_path) -> None:
    weights = hub.create_model("tinynet").state_dict()
    loaded = hub.create_model("tinynet", pretrained=True, pretrained_cfg_overlay={"state_dict": weights}, in_chans=1)
    assert loaded.default_cfg is loaded.pretrained_cfg and loaded.default_cfg["input_size"] == (3, 32, 32)
    hub.save_pretrained(loaded, tmp_path)
    reloaded = hub.create_model(f"local-dir:{tmp_path}", pretrained=True)
    assert reloaded.default_cfg is reloaded.pretrained_cfg and reloaded.default_cfg["source"] == "local-dir"


@pytest.mark.parametrize("arch", ["resnet18", "vit_tiny_patch16_224"])
def test_an_extractor_cfg_is_timms_for_the_keys_timm_keeps(arch: str) -> None:
    with torch.device("meta"):
        ours = hub.create_model(arch, features_only=True)
        reference = timm.create_model(arch, features_only=True)
    assert ours.default_cfg is ours.pretrained_cfg
    assert_cfg_dict_matches(ours.pretrained_cfg, reference.pretrained_cfg)
    # timm leaves the head's keys out of an extractor's cfg; ours says there is no head
    assert "num_classes" not in reference.pretrained_cfg and "classifier" not in reference.pretrained_cfg
    assert ours.pretrained_cfg["num_classes"] == 0 and ours.pretrained_cfg["classifier"] is None


NAMES = [
    "cls_token", "stem.weight", "blocks.0.0.w", "blocks.0.1.w", "blocks.1.0.w", "blocks.10.0.w", "blocks.2.0.w",
    "norm.weight", "head.weight",
]  # fmt: skip


@pytest.mark.parametrize(
    "matcher",
    [
        {"stem": r"^(?:cls_token|stem)", "blocks": [(r"^blocks\.(\d+)\.(\d+)", None), (r"^norm", (99999,))]},
        {"stem": r"^stem", "skipped": None, "blocks": r"^blocks\.(\d+)"},
        {"blocks": [(r"^blocks\.(\d+)\.0", (0,)), (r"^blocks\.(\d+)\.(\d+)", None)]},
        lambda name: (0,) if name.startswith("stem") else 1 + len(name) % 3,
    ],
    ids=["final-norm-joins", "coarse", "suffixes", "callable"],
)
def test_parameter_groups_are_read_as_timm_reads_them(matcher) -> None:
    from timm.models._manipulate import group_with_matcher

    expected = list(group_with_matcher(((name, None) for name in NAMES), matcher).values())
    assert group_names(NAMES, matcher) == expected


def test_a_rule_capturing_a_name_is_refused_with_the_way_out() -> None:
    with pytest.raises(ValueError, match=r"a rule may capture only numbers \(write alternatives as \(\?:a\|b\)\)"):
        group_names(NAMES, {"stem": r"^(cls_token|stem)"})
