"""hub-convnext against timm, per architecture: weights layout, outputs, features and pretrained cfgs.

Each architecture is built once per module (timm's model, then ours loaded from its
weights through the core's pretrained path), and its tests form one xdist group so that
parallel runs build it once too. The weights are drawn at random rather than by timm's
init, so that layer scale (1e-6 at init) and GRN (zero at init) really take part.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import torch
from support.timm_oracle import (
    assert_cfgs_match,
    assert_close,
    assert_outputs_match,
    assert_same_state_dict_layout,
    assert_timm_surface_matches,
    hub_with_state,
    sample_input,
    timm,
    timm_random,
)

import hub
from hub._features import wrap_features

ARCHS = [
    "convnext_atto", "convnext_femto", "convnext_pico", "convnext_nano", "convnext_tiny", "convnext_small",
    "convnext_base", "convnext_large", "convnext_xlarge",
    "convnextv2_atto", "convnextv2_femto", "convnextv2_pico", "convnextv2_nano", "convnextv2_tiny",
    "convnextv2_small", "convnextv2_base", "convnextv2_large",
]  # fmt: skip

# Built once, run on one small image; their feature extractors wrap the already built models.
HEAVY = {"convnext_base", "convnext_large", "convnext_xlarge", "convnextv2_base", "convnextv2_large"}


def image_for(arch: str) -> torch.Tensor:
    return sample_input(64, batch=1 if arch in HEAVY else 2)


@pytest.fixture(scope="module", params=[pytest.param(a, marks=pytest.mark.xdist_group(a)) for a in ARCHS])
def pair(request: pytest.FixtureRequest) -> Iterator[tuple[str, torch.nn.Module, torch.nn.Module]]:
    arch = request.param
    reference = timm_random(arch)
    ours = hub_with_state(arch, reference.state_dict())
    yield arch, reference, ours


def test_the_plugin_registers_exactly_these_architectures() -> None:
    assert sorted(hub.list_models(plugin="hub-convnext")) == sorted(ARCHS)


@pytest.mark.parametrize("arch", ARCHS)
def test_pretrained_cfgs_match_timm(arch: str) -> None:
    assert_cfgs_match(arch)


def test_state_dict_layout_matches_timm(pair) -> None:
    _, reference, ours = pair
    assert_same_state_dict_layout(reference, ours)
    ours.load_state_dict(reference.state_dict(), strict=True)
    assert type(ours).__module__ == "hub_convnext.model"


def test_outputs_match_timm(pair) -> None:
    arch, reference, ours = pair
    assert_outputs_match(ours, reference, image_for(arch))


def test_model_attributes_match_timm(pair) -> None:
    arch, reference, ours = pair
    assert ours.feature_info == reference.feature_info
    for name in ("num_classes", "num_features", "head_hidden_size", "in_chans", "drop_rate"):
        assert getattr(ours, name) == getattr(reference, name), name
    assert ours.grad_checkpointing is False
    assert ours.pretrained_cfg.architecture == arch
    assert type(ours.get_classifier()) is type(reference.get_classifier())


def test_forward_intermediates_match_timm(pair) -> None:
    arch, reference, ours = pair
    x = image_for(arch)
    with torch.no_grad():
        final, stages = ours.forward_intermediates(x)
        ref_final, ref_stages = reference.forward_intermediates(x)
        assert_close(final, ref_final)
        assert_close(stages, ref_stages)
        assert len(stages) == 4
        picked = ours.forward_intermediates(x, indices=[0, -2], stop_early=True, intermediates_only=True, norm=True)
        assert_close(picked, [ref_stages[0], ref_stages[2]])


def test_features_only_match_timm(pair) -> None:
    """Default and custom ``out_indices``: the same outputs and stage facts as timm's extractor."""
    arch, reference, _ = pair
    x = image_for(arch)
    state = reference.state_dict()
    for out_indices in (None, (1, 3)):
        kwargs = {} if out_indices is None else {"out_indices": out_indices}
        if arch in HEAVY:
            # timm's own extractor class over the model already built: no second build of a large model.
            ref_features = timm.models.FeatureListNet(
                reference, out_indices=out_indices or (0, 1, 2, 3), flatten_sequential=True
            )
        else:
            ref_features = timm.create_model(arch, features_only=True, **kwargs).eval()
            ref_features.load_state_dict(
                {k.replace(".", "_", 1): v for k, v in state.items() if k.startswith(("stem.", "stages."))}
            )
        our_features = hub_with_state(arch, state, features_only=True, **kwargs)
        assert_same_state_dict_layout(ref_features, our_features)
        info, ref_info = our_features.feature_info, ref_features.feature_info
        assert info.channels() == ref_info.channels()
        assert info.reduction() == ref_info.reduction()
        assert info.module_name() == ref_info.module_name()
        assert info.out_indices == tuple(ref_info.out_indices)
        with torch.no_grad():
            outputs = our_features(x)
            assert len(outputs) == len(info.out_indices)
            assert_close(outputs, ref_features(x))


@pytest.mark.parametrize("arch", ["convnext_atto", "convnextv2_tiny"])
def test_hook_and_getter_features_equal_list_features(arch: str) -> None:
    """The other wrappers, over the same weights, return what the registered "list" wrapper returns."""
    state = timm_random(arch).state_dict()
    x = sample_input(64)
    expected = hub_with_state(arch, state, features_only=True, out_indices=(0, 2))
    with torch.no_grad():
        want = expected(x)
        for feature_cls in ("hook", "getter", "dict"):
            extractor = hub_with_state(arch, state, features_only=True, out_indices=(0, 2), feature_cls=feature_cls)
            got = extractor(x)
            assert_close(list(got.values()) if isinstance(got, dict) else got, want)


def test_wrapping_leaves_a_built_model_usable(pair) -> None:
    """The "list" wrapper shares modules with the model; the model itself keeps working."""
    arch, reference, ours = pair
    x = image_for(arch)
    extractor = wrap_features(ours, feature_cls="list", out_indices=[-1])
    with torch.no_grad():
        assert_close(extractor(x)[0], reference.forward_features(x))
        assert_close(ours(x), reference(x))


@pytest.mark.parametrize("arch", ARCHS)
def test_timm_surface_matches(arch: str) -> None:
    """What timm-based code reads from a model (default_cfg, group_matcher, no_weight_decay, the head) is timm's."""
    assert_timm_surface_matches(arch)
