"""resolve_data_config resolves as timm does, for the model as built."""

from __future__ import annotations

import pytest
from support.timm_oracle import timm

import hub


@pytest.mark.parametrize(
    ("name", "kwargs", "use_test_size"),
    [
        ("resnet34", {}, False),
        ("resnet34", {}, True),
        ("resnet50.a3_in1k", {"in_chans": 1}, False),
        ("resnet50.tv2_in1k", {"in_chans": 4}, True),
    ],
)
def test_matches_timm(name: str, kwargs: dict, use_test_size: bool) -> None:
    from timm.data.model_config import resolve_input_data_config  # timm's resolver that respects the built model

    ours = hub.resolve_data_config(hub.create_model(name, **kwargs), use_test_size=use_test_size)
    theirs = resolve_input_data_config(timm.create_model(name, **kwargs), use_test_size=use_test_size)
    expected = {k: tuple(v) if isinstance(v, (list, tuple)) else v for k, v in theirs.items()}
    got = ours.as_dict()
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == (pytest.approx(value) if key in ("mean", "std") else value), key


def test_from_a_name_or_cfg_without_torch() -> None:
    config = hub.resolve_data_config("resnet50.a3_in1k")
    assert config.input_size == (3, 160, 160) and config.interpolation == "bicubic"
    assert hub.resolve_data_config(hub.get_pretrained_cfg("resnet50.a3_in1k")) == config


def test_rejects_other_objects() -> None:
    with pytest.raises(ValueError, match="needs a model made by hub.create_model"):
        hub.resolve_data_config(object())
