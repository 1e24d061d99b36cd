"""hub-resnet against timm: same weights layout, same outputs, same features, same pretrained cfgs."""

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
)

import hub

ARCHS = [
    "resnet10t", "resnet14t", "resnet18", "resnet18d", "resnet26", "resnet26d", "resnet34", "resnet34d",
    "resnet50", "resnet50d", "resnet101", "resnet101d", "resnet152", "resnet152d", "resnet200d",
    "wide_resnet50_2", "wide_resnet101_2", "resnext50_32x4d", "resnext50d_32x4d", "resnext101_32x4d",
    "resnext101_32x8d", "resnext101_64x4d", "seresnet50", "seresnext50_32x4d", "seresnext101_32x4d",
    "ecaresnet50d",
]  # fmt: skip


def test_the_plugin_registers_exactly_these_architectures() -> None:
    assert hub.list_models(plugin="hub-resnet") == sorted(ARCHS, key=hub._listing.natural_key)


@pytest.fixture(scope="module")
def reference_state() -> dict[str, dict[str, torch.Tensor]]:
    """timm's randomly initialised weights per architecture, made once for the module."""
    return {}


def _timm_state(arch: str, cache: dict[str, dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    if arch not in cache:
        torch.manual_seed(0)
        cache[arch] = perturbed_state(timm.create_model(arch))
    return cache[arch]


@pytest.mark.parametrize("arch", ARCHS)
def test_outputs_match_timm(arch: str, reference_state: dict) -> None:
    state = _timm_state(arch, reference_state)
    reference, ours = both_with_state(arch, state)
    assert_same_state_dict_layout(reference, ours)
    assert_outputs_match(ours, reference, sample_input(64))
    assert ours.num_features == reference.num_features
    assert ours.feature_info == reference.feature_info


@pytest.mark.parametrize("arch", ARCHS)
@pytest.mark.parametrize("out_indices", [None, (1, 3), (-1,)])
def test_features_match_timm(arch: str, out_indices: tuple[int, ...] | None, reference_state: dict) -> None:
    state = _timm_state(arch, reference_state)
    kwargs = {"features_only": True} if out_indices is None else {"features_only": True, "out_indices": out_indices}
    reference, ours = both_with_state(arch, state, **kwargs)
    x = sample_input(64)
    with torch.no_grad():
        assert_close(ours(x), reference(x))
    for accessor in ("channels", "reduction", "module_name"):
        assert getattr(ours.feature_info, accessor)() == getattr(reference.feature_info, accessor)()


@pytest.mark.parametrize("arch", ARCHS)
def test_pretrained_cfgs_match_timm(arch: str) -> None:
    assert_cfgs_match(arch)


@pytest.mark.parametrize("arch", ["resnet18", "resnet50d"])
@pytest.mark.parametrize("output_stride", [8, 16])
def test_dilated_resnets_match_timm(arch: str, output_stride: int, reference_state: dict) -> None:
    state = _timm_state(arch, reference_state)
    reference, ours = both_with_state(arch, state, output_stride=output_stride)
    x = sample_input(64)
    with torch.no_grad():
        assert_close(ours.forward_features(x), reference.forward_features(x))
    assert ours.feature_info == reference.feature_info


@pytest.mark.parametrize("global_pool", ["avg", "max", "avgmax", "catavgmax"])
def test_global_pools_match_timm(global_pool: str, reference_state: dict) -> None:
    state = {k: v for k, v in _timm_state("resnet18", reference_state).items() if not k.startswith("fc.")}
    reference, ours = both_with_state("resnet18", state, global_pool=global_pool, num_classes=7)
    ours.fc.load_state_dict(reference.fc.state_dict())
    x = sample_input(64)
    with torch.no_grad():
        assert_close(ours(x), reference(x))


def test_unknown_global_pool_says_what_is_allowed() -> None:
    with pytest.raises(ValueError, match="global_pool must be one of 'avg', 'max'"):
        hub.create_model("resnet18", global_pool="mean")


def test_unsupported_output_stride_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="output_stride must be 8, 16 or 32"):
        hub.create_model("resnet18", output_stride=4)


def test_grad_checkpointing_gives_the_same_outputs_and_gradients() -> None:
    torch.manual_seed(0)
    model = hub.create_model("resnet18d", drop_path_rate=0.0).train()
    x = sample_input(64)
    plain = model(x)
    plain.sum().backward()
    grads = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    model.set_grad_checkpointing(True)
    checkpointed = model(x)
    checkpointed.sum().backward()
    assert_close(checkpointed, plain)
    for got, expected in zip([p.grad for p in model.parameters()], grads, strict=True):
        assert_close(got, expected, atol=1e-4, rtol=1e-4)


def test_drop_path_is_stochastic_in_training_and_off_in_eval() -> None:
    # zero_init_last=False: with zeroed last norms every residual branch is 0 and dropping it changes nothing
    model = hub.create_model("resnet18", drop_path_rate=0.5, zero_init_last=False)
    x = sample_input(64)
    model.train()
    with torch.no_grad():
        torch.manual_seed(1)
        first = model(x)
        torch.manual_seed(2)
        second = model(x)
    assert not torch.allclose(first, second)
    model.eval()
    with torch.no_grad():
        assert_close(model(x), model(x))


@pytest.mark.parametrize("arch", ARCHS)
def test_timm_surface_matches(arch: str) -> None:
    """What timm-based code reads from a model (default_cfg, group_matcher, no_weight_decay, the head) is timm's."""
    assert_timm_surface_matches(arch)
