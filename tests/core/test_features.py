"""Feature extraction in the core: wrappers, out_indices, pruning, errors."""

from __future__ import annotations

import pytest
import torch
from support.fake_plugins import catalog_of, register_tiny

import hub
from hub.layers import feature_take_indices


@pytest.fixture()
def tiny():
    with catalog_of(acme=register_tiny) as catalog:
        yield catalog


def _input(size: int = 32, chans: int = 3) -> torch.Tensor:
    return torch.randn(2, chans, size, size, generator=torch.Generator().manual_seed(0))


@pytest.mark.parametrize("feature_cls", ["list", "dict", "hook", "getter"])
def test_every_wrapper_gives_the_same_maps(tiny, feature_cls: str) -> None:
    torch.manual_seed(0)
    reference = hub.create_model("tinynet").eval()
    state = reference.state_dict()
    extractor = hub.create_model(
        "tinynet",
        features_only=True,
        feature_cls=feature_cls,
        pretrained=True,
        pretrained_cfg_overlay={"state_dict": state},
    ).eval()
    with torch.no_grad():
        expected = reference.forward_intermediates(_input(), intermediates_only=True)
        maps = extractor(_input())
    if feature_cls == "dict":
        assert list(maps) == ["act", "stages.0", "stages.1"]
        maps = list(maps.values())
    assert [m.shape for m in maps] == [e.shape for e in expected]
    for got, want in zip(maps, expected, strict=True):
        torch.testing.assert_close(got, want)
    info = extractor.feature_info
    assert info.channels() == [8, 16, 32] and info.reduction() == [2, 4, 8]
    assert info.module_name() == ["act", "stages.0", "stages.1"]
    assert info.get_dicts(keys=["num_chs"]) == [{"num_chs": 8}, {"num_chs": 16}, {"num_chs": 32}]
    assert info.out_indices == (0, 1, 2)


@pytest.mark.parametrize(
    ("out_indices", "expected"), [((1,), (1,)), ((-1,), (2,)), (2, (1, 2)), ((0, 2), (0, 2)), ((2, 0), (0, 2))]
)
def test_out_indices_forms(tiny, out_indices, expected) -> None:
    extractor = hub.create_model("tinynet", features_only=True, out_indices=out_indices)
    assert extractor.feature_info.out_indices == expected
    assert len(extractor(_input())) == len(expected)


@pytest.mark.parametrize(
    ("out_indices", "message"),
    [
        ((3,), "stage index 3 is out of range: this model has 3 stages, use indices from -3 to 2"),
        ((-4,), "use indices from -3 to 2"),
        ((), "no stage indices given"),
        ((1, 1), "names a stage twice"),
        ((1, -2), "names a stage twice"),
        (0, "cannot take the last 0 of 3 stages; use 1 to 3"),
        (4, "cannot take the last 4 of 3 stages"),
    ],
)
def test_bad_out_indices_give_the_valid_range(tiny, out_indices, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        hub.create_model("tinynet", features_only=True, out_indices=out_indices)


def test_bad_feature_cls(tiny) -> None:
    with pytest.raises(ValueError, match="feature_cls must be one of list, dict, hook, getter; got 'fx'"):
        hub.create_model("tinynet", features_only=True, feature_cls="fx")


@pytest.mark.parametrize("feature_cls", ["list", "hook", "getter"])
def test_stages_after_the_last_requested_one_are_pruned(tiny, feature_cls: str) -> None:
    extractor = hub.create_model("tinynet", features_only=True, out_indices=(1,), feature_cls=feature_cls)
    names = {name for name, _ in extractor.named_modules()}
    assert not any(name.endswith("stages.1") or name.endswith("stages_1") for name in names)
    assert not any(name.endswith("fc") and isinstance(m, torch.nn.Linear) for name, m in extractor.named_modules())


def test_feature_extractor_pretrained_cfg_has_no_classifier(tiny) -> None:
    extractor = hub.create_model("tinynet", features_only=True)
    assert extractor.pretrained_cfg.classifier is None and extractor.pretrained_cfg.num_classes == 0
    assert extractor.pretrained_cfg.first_conv == "stem"


def test_take_indices_helper() -> None:
    assert feature_take_indices(5) == ([0, 1, 2, 3, 4], 4)
    assert feature_take_indices(5, 2) == ([3, 4], 4)
    assert feature_take_indices(5, [-1, 0]) == ([4, 0], 4)
    with pytest.raises(TypeError):
        feature_take_indices(5, [1.0])  # type: ignore[list-item]


def test_resnet34_seed_example() -> None:
    """The user guide's example: five maps of 64, 64, 128, 256 and 512 channels at strides 2 to 32."""
    extractor = hub.create_model("resnet34", features_only=True).eval()
    with torch.no_grad():
        maps = extractor(torch.randn(1, 3, 224, 224))
    assert [m.shape[1] for m in maps] == [64, 64, 128, 256, 512]
    assert [224 // m.shape[-1] for m in maps] == [2, 4, 8, 16, 32]
    assert extractor.feature_info.reduction() == [2, 4, 8, 16, 32]


@pytest.mark.parametrize("output_stride", [8, 16])
def test_dilated_feature_extractor(output_stride: int) -> None:
    extractor = hub.create_model("resnet18", features_only=True, output_stride=output_stride).eval()
    with torch.no_grad():
        maps = extractor(torch.randn(1, 3, 64, 64))
    assert maps[-1].shape[-1] == 64 // output_stride
    assert extractor.feature_info.reduction()[-1] == output_stride


@pytest.mark.parametrize("feature_cls", ["list", "dict", "hook"])
def test_getter_models_refuse_module_wrappers(feature_cls: str) -> None:
    def register(registry: hub.ModelRegistrar) -> None:
        registry.register("tokennet", builder="support.tiny_models:TinyNet", feature_cls="getter")

    with catalog_of(acme=register):
        with pytest.raises(ValueError, match="token sequences .* use feature_cls='getter'"):
            hub.create_model("tokennet", features_only=True, feature_cls=feature_cls)
        assert hub.create_model("tokennet", features_only=True).feature_info.out_indices == (0, 1, 2)
