"""Every hub-vit architecture against timm with the same weights: layout, outputs, features.

Each architecture is built once per module (timm's model with random weights, ours
holding the very same tensors); the large and 384-pixel models run on batch 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import torch
from support.timm_oracle import (
    assert_close,
    assert_same_state_dict_layout,
    assert_timm_surface_matches,
    hub_with_state,
    sample_input,
    timm,
)

import hub

ARCHS = hub.list_models(plugin="hub-vit")
CUSTOM_OUT_INDICES = (0, 2)  # early blocks: the pruned extractors stay cheap


@dataclass
class Case:
    arch: str
    reference: torch.nn.Module
    ours: torch.nn.Module
    x: torch.Tensor
    reference_tokens: torch.Tensor


def timm_features(
    arch: str, state_dict: dict[str, torch.Tensor], out_indices: tuple[int, ...] | None
) -> torch.nn.Module:
    """timm's ``features_only=True`` extractor (its default stages for None), on the meta device, given ``state_dict``."""
    kwargs = {} if out_indices is None else {"out_indices": out_indices}
    with torch.device("meta"):
        extractor = timm.create_model(arch, features_only=True, **kwargs)
    wanted = extractor.state_dict()
    weights = {f"model.{k}": v for k, v in state_dict.items() if f"model.{k}" in wanted}
    extractor.load_state_dict(weights, strict=True, assign=True)
    return extractor.eval()


@pytest.fixture(scope="module", params=ARCHS)
def case(request: pytest.FixtureRequest) -> Iterator[Case]:
    arch = request.param
    torch.manual_seed(0)
    reference = timm.create_model(arch).eval()
    ours = hub_with_state(arch, reference.state_dict())
    size = reference.pretrained_cfg["input_size"][-1]
    cheap = reference.embed_dim < 768 and size == 224
    x = sample_input(size, batch=2 if cheap else 1)
    with torch.no_grad():
        tokens = reference.forward_features(x)
    yield Case(arch, reference, ours, x, tokens)


def test_state_dict_layout_and_strict_load(case: Case) -> None:
    assert_same_state_dict_layout(case.reference, case.ours)
    with torch.device("meta"):
        fresh = hub.create_model(case.arch)
    assert_same_state_dict_layout(case.reference, fresh)
    result = fresh.load_state_dict(case.reference.state_dict(), strict=True, assign=True)
    assert not result.missing_keys and not result.unexpected_keys


def test_outputs(case: Case) -> None:
    ref, ours, x = case.reference, case.ours, case.x
    # One forward pass of ours; forward_features' output is caught on its way to the head.
    caught: list[torch.Tensor] = []
    forward_features = ours.forward_features

    def spy(images: torch.Tensor) -> torch.Tensor:
        caught.append(forward_features(images))
        return caught[-1]

    ours.forward_features = spy
    try:
        with torch.no_grad():
            logits = ours(x)
            assert len(caught) == 1, "forward() must go through forward_features()"
            assert_close(caught[0], case.reference_tokens)
            assert_close(logits, ref.forward_head(case.reference_tokens))
            assert_close(
                ours.forward_head(caught[0], pre_logits=True),
                ref.forward_head(case.reference_tokens, pre_logits=True),
            )
    finally:
        del ours.forward_features
    assert ours.num_features == ours.head_hidden_size == ref.num_features == ref.head_hidden_size
    assert ours.num_classes == ref.num_classes
    assert ours.feature_info == ref.feature_info
    assert ours.no_weight_decay() == ref.no_weight_decay()
    assert ours.pretrained_cfg.architecture == case.arch


@pytest.mark.parametrize("out_indices", [None, CUSTOM_OUT_INDICES], ids=["default", "custom"])
def test_features_only(case: Case, out_indices: tuple[int, ...] | None) -> None:
    depth = len(case.reference.blocks)
    state = case.reference.state_dict()
    kwargs = {} if out_indices is None else {"out_indices": out_indices}
    ours = hub_with_state(case.arch, state, features_only=True, **kwargs)
    # the default is timm's: the last three blocks
    expected_indices = (depth - 3, depth - 2, depth - 1) if out_indices is None else out_indices
    reference = timm_features(case.arch, state, out_indices)
    assert ours.feature_info.out_indices == expected_indices
    assert ours.feature_info.channels() == reference.feature_info.channels()
    assert ours.feature_info.reduction() == reference.feature_info.reduction()
    assert ours.feature_info.module_name() == reference.feature_info.module_name()
    with torch.no_grad():
        got, expected = ours(case.x), reference(case.x)
    assert len(got) == len(expected_indices)
    assert_close(got, expected)


@pytest.mark.parametrize("arch", ARCHS)
def test_timm_surface_matches(arch: str) -> None:
    """What timm-based code reads from a model (default_cfg, group_matcher, no_weight_decay, the head) is timm's."""
    assert_timm_surface_matches(arch)
