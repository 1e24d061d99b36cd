"""Feature extraction in the core: wrappers, out_indices, pruning, errors."""

from __future__ import annotations

import copy

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


@pytest.mark.parametrize("feature_cls", ["list", "dict", "hook", "getter", "trunk"])
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
    with pytest.raises(ValueError, match="feature_cls must be one of list, dict, hook, getter, trunk; got 'fx'"):
        hub.create_model("tinynet", features_only=True, feature_cls="fx")


@pytest.mark.parametrize("feature_cls", ["list", "getter"])
def test_stages_after_the_last_requested_one_are_pruned(tiny, feature_cls: str) -> None:
    extractor = hub.create_model("tinynet", features_only=True, out_indices=(1,), feature_cls=feature_cls)
    names = {name for name, _ in extractor.named_modules()}
    assert not any(name.endswith("stages.1") or name.endswith("stages_1") for name in names)
    assert not any(name.endswith("fc") and isinstance(m, torch.nn.Linear) for name, m in extractor.named_modules())


def _model_keys(prefix: str = "") -> list[str]:
    """tinynet's state-dict keys without its classifier, as a feature extractor's model holds them."""
    model = hub.create_model("tinynet", num_classes=0)
    return [prefix + key for key in model.state_dict()]


def test_trunk_keeps_the_models_names_and_every_stage_but_runs_only_what_it_returns(tiny) -> None:
    extractor = hub.create_model("tinynet", features_only=True, feature_cls="trunk", out_indices=(1,)).eval()
    assert list(extractor.state_dict()) == _model_keys()
    ran = []
    extractor.get_submodule("stages.1").register_forward_hook(lambda *_: ran.append("stages.1"))
    maps = extractor(_input())
    assert [m.shape[1] for m in maps] == [16] and ran == []


def test_hook_wraps_the_model_whole_unless_the_family_flattens(tiny) -> None:
    extractor = hub.create_model("tinynet", features_only=True, feature_cls="hook", out_indices=(1,))
    assert list(extractor.state_dict()) == _model_keys("body.")
    assert len(extractor(_input())) == 1


def _register_flattening(registry: hub.ModelRegistrar) -> None:
    registry.register(
        "flatnet", builder="support.tiny_models:TinyNet", features=hub.FeatureCfg(flatten_sequential=True)
    )


@pytest.mark.parametrize("feature_cls", ["list", "dict", "hook"])
def test_a_flattening_family_lifts_stages_out_of_their_container(feature_cls: str) -> None:
    with catalog_of(acme=_register_flattening):
        extractor = hub.create_model("flatnet", features_only=True, feature_cls=feature_cls, out_indices=(0, 1))
        keys = list(extractor.state_dict())
        assert keys == ["stem.weight", "stem.bias", "stages_0.0.weight", "stages_0.0.bias"]
        assert len(extractor(_input())) == 2


def test_hook_taps_a_module_inside_a_lifted_stage() -> None:
    """A hook wrapper rebuilt from lifted stages still reaches modules nested inside them."""

    def register(registry: hub.ModelRegistrar) -> None:
        registry.register(
            "deepnet", builder="support.tiny_models:DeepStageNet", features=hub.FeatureCfg(flatten_sequential=True)
        )

    with catalog_of(acme=register):
        torch.manual_seed(0)
        model = hub.create_model("deepnet").eval()
        extractor = hub.create_model(
            "deepnet",
            features_only=True,
            feature_cls="hook",
            pretrained=True,
            pretrained_cfg_overlay={"state_dict": {k: v for k, v in model.state_dict().items() if "fc" not in k}},
        ).eval()
        assert list(extractor) == ["stem", "act", "stages_0", "stages_1"]
        with torch.no_grad():
            expected = model.forward_intermediates(_input(), intermediates_only=True)
            maps = extractor(_input())
        for got, want in zip(maps, expected, strict=True):
            torch.testing.assert_close(got, want)
        with pytest.raises(ValueError, match="stages.1.0 are not top-level modules"):
            hub.create_model("deepnet", features_only=True, feature_cls="list")


def test_the_family_default_wrapper_and_stages_apply_unless_the_caller_chooses() -> None:
    def register(registry: hub.ModelRegistrar) -> None:
        features = hub.FeatureCfg(feature_cls="trunk", out_indices=2)
        registry.register("lastnet", builder="support.tiny_models:TinyNet", features=features)

    with catalog_of(acme=register):
        default = hub.create_model("lastnet", features_only=True)
        assert default.feature_info.out_indices == (1, 2)
        assert list(default.state_dict()) == [k for k in hub.create_model("lastnet", num_classes=0).state_dict()]
        chosen = hub.create_model("lastnet", features_only=True, feature_cls="list", out_indices=(0,))
        assert chosen.feature_info.out_indices == (0,)
        assert list(chosen.state_dict()) == ["stem.weight", "stem.bias"]


@pytest.mark.parametrize("feature_cls", ["list", "hook", "trunk"])
def test_a_copied_extractor_runs_on_its_own_modules(tiny, feature_cls: str) -> None:
    extractor = hub.create_model("tinynet", features_only=True, feature_cls=feature_cls).eval()
    twin = copy.deepcopy(extractor)
    with torch.no_grad():
        for p in twin.parameters():
            p.mul_(2.0)
        before, after = extractor(_input()), twin(_input())
    assert len(before) == len(after) == 3
    assert not torch.allclose(before[-1], after[-1])


@pytest.mark.parametrize("feature_cls", ["list", "hook", "trunk"])
def test_gradient_checkpointing_gives_the_same_gradients(tiny, feature_cls: str) -> None:
    grads = []
    for enable in (False, True):
        torch.manual_seed(0)
        extractor = hub.create_model("tinynet", features_only=True, feature_cls=feature_cls)
        extractor.set_grad_checkpointing(enable)
        sum(m.sum() for m in extractor(_input())).backward()
        grads.append([p.grad for p in extractor.parameters()])
    for plain, checkpointed in zip(*grads, strict=True):
        torch.testing.assert_close(plain, checkpointed)


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


@pytest.mark.parametrize("feature_cls", ["list", "dict", "hook", "trunk"])
def test_getter_models_refuse_module_wrappers(feature_cls: str) -> None:
    def register(registry: hub.ModelRegistrar) -> None:
        features = hub.FeatureCfg(feature_cls="getter")
        registry.register("tokennet", builder="support.tiny_models:TinyNet", features=features)

    with catalog_of(acme=register):
        with pytest.raises(ValueError, match="token sequences .* use feature_cls='getter'"):
            hub.create_model("tokennet", features_only=True, feature_cls=feature_cls)
        assert hub.create_model("tokennet", features_only=True).feature_info.out_indices == (0, 1, 2)
