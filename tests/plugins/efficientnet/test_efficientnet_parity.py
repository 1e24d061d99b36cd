"""hub-efficientnet against timm, for every registered architecture: same weights layout, same
outputs, same features, same pretrained cfgs, same model attributes.

Parametrized over the plugin's registry. Each architecture's random weights are drawn once
per module and shared by its checks (module-scoped fixtures, so pytest runs one
architecture's tests together and frees it before the next); timm's model is built on the
meta device and given those weights, ours gets them through the core's pretrained path.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch
from support.timm_oracle import (
    TIMM_BUILD_KWARGS,
    assert_cfgs_match,
    assert_close,
    assert_outputs_match,
    assert_same_state_dict_layout,
    assert_timm_surface_matches,
    hub_with_state,
    on_meta,
    random_state,
    sample_input,
    timm,
    timm_computes_buffers,
    timm_random,
    timm_tags,
)

import hub
from hub._listing import get_model_entry

ARCHS = hub.list_models(plugin="hub-efficientnet")
SIZE = 64  # every architecture reduces by 32, so 64 px leaves a 2x2 final map

# Arguments timm needs to build the architecture its published weights fit: timm takes the
# TensorFlow norm epsilon for FBNet-C only with pretrained=True; hub's model always has it.
TRUNK = ("conv_stem.", "bn1.", "blocks.")  # what a feature extractor keeps


def timm_reference(arch: str, state: dict[str, torch.Tensor], **kwargs: Any) -> torch.nn.Module:
    """timm's model holding ``state`` (its trunk's part for ``features_only``): built on the meta
    device, or for real when a filter buffer (blur pooling) must be computed by timm's own code."""
    kwargs = {**TIMM_BUILD_KWARGS.get(arch, {}), **kwargs}
    if kwargs.get("features_only"):
        state = {k: v for k, v in state.items() if k.startswith(TRUNK)}
    if not timm_computes_buffers(arch):
        return timm_random(arch, state, **kwargs)
    model = timm.create_model(arch, **kwargs)
    model.load_state_dict(state, strict=True)
    return model.eval()


@pytest.fixture(scope="module", params=ARCHS)
def arch(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def state(arch: str) -> dict[str, torch.Tensor]:
    with on_meta():
        layout = timm.create_model(arch, **TIMM_BUILD_KWARGS.get(arch, {}))
    return random_state(layout)


@pytest.fixture(scope="module")
def models(arch: str, state: dict[str, torch.Tensor]) -> tuple[torch.nn.Module, torch.nn.Module]:
    return timm_reference(arch, state), hub_with_state(arch, state)


@pytest.fixture(scope="module")
def x() -> torch.Tensor:
    return sample_input(SIZE)


def test_the_plugin_registers_every_timm_architecture() -> None:
    expected = set(timm.list_models(module="efficientnet")) | set(timm.list_models(module="mobilenetv3"))
    assert set(ARCHS) == expected
    assert len(ARCHS) == 148


def test_every_timm_tag_is_registered() -> None:
    ours = {f"{a}.{t}" for a in ARCHS for t in get_model_entry(a).tags}
    theirs = {f"{a}.{t}" for a in ARCHS for t in timm_tags(a)}
    assert ours == theirs
    assert len(ours) == 205


def test_state_dict_layout_matches_timm(
    models: tuple[torch.nn.Module, torch.nn.Module], state: dict[str, torch.Tensor]
) -> None:
    reference, ours = models
    assert_same_state_dict_layout(reference, ours)
    ours.load_state_dict(state, strict=True)


def test_outputs_match_timm(models: tuple[torch.nn.Module, torch.nn.Module], x: torch.Tensor) -> None:
    reference, ours = models
    assert_outputs_match(ours, reference, x)


def test_model_attributes_match_timm(models: tuple[torch.nn.Module, torch.nn.Module]) -> None:
    reference, ours = models
    for attribute in ("num_classes", "num_features", "head_hidden_size", "feature_info"):
        assert getattr(ours, attribute) == getattr(reference, attribute), attribute
    theirs, mine = reference.get_classifier(), ours.get_classifier()
    assert type(mine).__name__ == type(theirs).__name__
    assert mine.weight.shape == theirs.weight.shape


def test_forward_intermediates_match_timm(models: tuple[torch.nn.Module, torch.nn.Module], x: torch.Tensor) -> None:
    reference, ours = models
    with torch.no_grad():
        for kwargs in (
            {},
            {"indices": [0, 2], "stop_early": True, "intermediates_only": True},
            {"indices": 3, "extra_blocks": True},
        ):
            assert_close(ours.forward_intermediates(x, **kwargs), reference.forward_intermediates(x, **kwargs))


def test_features_only_matches_timm(arch: str, state: dict[str, torch.Tensor], x: torch.Tensor) -> None:
    reference = timm_reference(arch, state, features_only=True)
    ours = hub_with_state(arch, state, features_only=True)
    with torch.no_grad():
        assert_close(ours(x), reference(x))
    for accessor in ("channels", "reduction", "module_name"):
        assert getattr(ours.feature_info, accessor)() == getattr(reference.feature_info, accessor)()


def test_pretrained_cfgs_match_timm(arch: str) -> None:
    assert_cfgs_match(arch)


def test_timm_surface_matches(arch: str) -> None:
    """What timm-based code reads from a model (default_cfg, group_matcher, no_weight_decay, the head) is timm's."""
    assert_timm_surface_matches(arch)
