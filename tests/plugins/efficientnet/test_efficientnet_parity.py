"""hub-efficientnet against timm: same weights layout, same outputs, same features, same pretrained cfgs.

Each architecture is built once per module (a module-scoped parametrized fixture, so pytest
runs all of one architecture's tests together and frees it before the next).
"""

from __future__ import annotations

import pytest
import torch
from support.timm_oracle import (
    assert_cfgs_match,
    assert_close,
    assert_outputs_match,
    assert_same_state_dict_layout,
    assert_timm_surface_matches,
    both_with_state,
    perturbed_state,
    sample_input,
    timm,
    timm_tags,
)

import hub
from hub._listing import get_model_entry

ARCHS = [
    "efficientnet_b0", "efficientnet_b1", "efficientnet_b2", "efficientnet_b3", "efficientnet_b4",
    "efficientnet_b5",
    "tf_efficientnet_b0", "tf_efficientnet_b1", "tf_efficientnet_b2", "tf_efficientnet_b3",
    "tf_efficientnet_b4", "tf_efficientnet_b5", "tf_efficientnet_b6", "tf_efficientnet_b7",
    "tf_efficientnetv2_b0", "tf_efficientnetv2_b1", "tf_efficientnetv2_b2", "tf_efficientnetv2_b3",
    "tf_efficientnetv2_s", "tf_efficientnetv2_m", "tf_efficientnetv2_l",
    "efficientnetv2_rw_t", "efficientnetv2_rw_s",
    "mobilenetv2_100", "mobilenetv2_110d", "mobilenetv2_120d", "mobilenetv2_140",
    "mobilenetv3_large_100", "mobilenetv3_small_100", "tf_mobilenetv3_large_100",
]  # fmt: skip

SIZE = 64  # every architecture here reduces by 32, so 64 px leaves a 2x2 final map


@pytest.fixture(scope="module", params=ARCHS)
def arch(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def state(arch: str) -> dict[str, torch.Tensor]:
    torch.manual_seed(0)
    return perturbed_state(timm.create_model(arch))


@pytest.fixture(scope="module")
def models(arch: str, state: dict[str, torch.Tensor]) -> tuple[torch.nn.Module, torch.nn.Module]:
    return both_with_state(arch, state)


@pytest.fixture(scope="module")
def x() -> torch.Tensor:
    return sample_input(SIZE)


def test_the_plugin_registers_exactly_these_architectures() -> None:
    assert sorted(hub.list_models(plugin="hub-efficientnet")) == sorted(ARCHS)
    assert set(hub.list_models("*efficientnet*")) == {a for a in ARCHS if "efficientnet" in a}


def test_state_dict_layout_matches_timm(
    models: tuple[torch.nn.Module, torch.nn.Module], state: dict[str, torch.Tensor]
) -> None:
    reference, ours = models
    assert_same_state_dict_layout(reference, ours)
    ours.load_state_dict(state, strict=True)


def test_outputs_match_timm(models: tuple[torch.nn.Module, torch.nn.Module], x: torch.Tensor) -> None:
    reference, ours = models
    assert_outputs_match(ours, reference, x)
    assert ours.num_features == reference.num_features
    assert ours.head_hidden_size == reference.head_hidden_size
    assert ours.num_classes == reference.num_classes == 1000


def test_feature_info_matches_timm(models: tuple[torch.nn.Module, torch.nn.Module]) -> None:
    reference, ours = models
    assert ours.feature_info == reference.feature_info


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"indices": 2},
        {"indices": [0, 2], "stop_early": True, "intermediates_only": True},
        {"indices": [1, -1]},
        {"indices": 3, "extra_blocks": True},
    ],
    ids=["all", "last2", "stop_early", "negative", "extra_blocks"],
)
def test_forward_intermediates_match_timm(
    models: tuple[torch.nn.Module, torch.nn.Module], x: torch.Tensor, kwargs: dict
) -> None:
    reference, ours = models
    with torch.no_grad():
        assert_close(ours.forward_intermediates(x, **kwargs), reference.forward_intermediates(x, **kwargs))


# (0, 2): the stem level where there is one (MobileNetV3-small's ``bn1``), and a wrapper cut short.
@pytest.mark.parametrize("out_indices", [None, (0, 2)], ids=["all", "0-2"])
def test_features_only_matches_timm(
    arch: str, state: dict[str, torch.Tensor], x: torch.Tensor, out_indices: tuple[int, ...] | None
) -> None:
    kwargs: dict = {"features_only": True}
    if out_indices is not None:
        kwargs["out_indices"] = out_indices
    reference, ours = both_with_state(arch, state, **kwargs)
    with torch.no_grad():
        assert_close(ours(x), reference(x))
    for accessor in ("channels", "reduction", "module_name"):
        assert getattr(ours.feature_info, accessor)() == getattr(reference.feature_info, accessor)()


def test_pretrained_cfgs_match_timm(arch: str) -> None:
    assert_cfgs_match(arch)


def test_every_timm_tag_is_registered() -> None:
    ours = {f"{a}.{t}" for a in ARCHS for t in get_model_entry(a).tags}
    theirs = {f"{a}.{t}" for a in ARCHS for t in timm_tags(a)}
    assert ours == theirs
    assert len(ours) == 68


@pytest.mark.parametrize("arch", ARCHS)
def test_timm_surface_matches(arch: str) -> None:
    """What timm-based code reads from a model (default_cfg, group_matcher, no_weight_decay, the head) is timm's."""
    assert_timm_surface_matches(arch)
