"""hub-vit against timm, per architecture: weights layout, outputs, intermediates and features.

Every architecture is checked twice:

- at its registered size, on the meta device (nothing allocated): the state dict's keys,
  their order and their shapes equal timm's, and timm's state dict loads strictly; the
  default ``features_only`` blocks and the timm surface (default_cfg, group_matcher,
  no_weight_decay, the head before and after reset_classifier) are timm's;
- built small, with random weights shared with timm's model: forward, forward_features,
  pre-logits, forward_intermediates and features_only equal timm's within 1e-5, and a
  training step with gradient checkpointing gives timm's loss and gradients.

"Small" is 64 px (56 for patch 14) and, for the wide models, fewer blocks (see
``conftest.SmallBuild``): every block of a model is built from the same options, so the
first few blocks run every code path of the full stack (the per-block index of differential
attention included: those models are small and tested at full depth). `test_depth` says how
deep each architecture is built; the 1B+ parameter models, too large to build on a 2-core
test machine, are among the reduced ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import torch
from support.timm_oracle import (
    assert_close,
    assert_same_state_dict_layout,
    assert_timm_surface_matches,
    hub_with_state,
    on_meta,
    random_state,
    sample_input,
    timm,
)

import hub

ARCHS = hub.list_models(plugin="hub-vit")


@dataclass
class Case:
    arch: str
    build: Any  # conftest.SmallBuild
    reference: torch.nn.Module
    ours: torch.nn.Module
    x: torch.Tensor


@pytest.fixture(scope="module", params=[pytest.param(a, marks=pytest.mark.xdist_group(a)) for a in ARCHS])
def case(request: pytest.FixtureRequest, small_build: Callable[[str], Any]) -> Iterator[Case]:
    arch = request.param
    build = small_build(arch)
    with on_meta():
        reference = timm.create_model(arch, **build.kwargs)
    reference.load_state_dict(random_state(reference), strict=True, assign=True)
    reference.eval()
    ours = hub_with_state(arch, reference.state_dict(), **build.kwargs)
    yield Case(arch, build, reference, ours, sample_input(build.size))


@pytest.mark.parametrize("arch", ARCHS)
def test_state_dict_layout_at_full_size(arch: str, small_build: Callable[[str], Any]) -> None:
    with on_meta():
        reference = timm.create_model(arch)
        ours = hub.create_model(arch)
    assert_same_state_dict_layout(reference, ours)
    result = ours.load_state_dict(reference.state_dict(), strict=True, assign=True)
    assert not result.missing_keys and not result.unexpected_keys
    assert len(ours.blocks) == small_build(arch).full_depth


def test_depth(case: Case) -> None:
    """Which architectures are built with fewer blocks than registered, and that the giants are among them."""
    build = case.build
    assert len(case.ours.blocks) == len(case.reference.blocks) == build.depth
    per_block = sum(p.numel() for p in case.ours.blocks[0].parameters())
    assert not build.reduced or per_block * (build.depth + 1) > build.BLOCK_BUDGET
    if build.full_parameters >= 1_000_000_000:
        assert build.reduced, "a 1B+ parameter model must be tested at a reduced depth"


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
            expected_tokens = ref.forward_features(x)
            assert len(caught) == 1, "forward() must go through forward_features()"
            assert_close(caught[0], expected_tokens)
            assert_close(logits, ref.forward_head(expected_tokens))
            assert_close(
                ours.forward_head(caught[0], pre_logits=True), ref.forward_head(expected_tokens, pre_logits=True)
            )
    finally:
        del ours.forward_features
    for name in ("num_features", "head_hidden_size", "num_classes", "num_prefix_tokens", "global_pool"):
        assert getattr(ours, name) == getattr(ref, name), name
    assert ours.feature_info == ref.feature_info
    assert ours.no_weight_decay() == ref.no_weight_decay()
    assert type(ours.get_classifier()) is type(ref.get_classifier())
    assert ours.pretrained_cfg.architecture == case.arch


def test_grad_checkpointing(case: Case) -> None:
    """With gradient checkpointing on in both, a training step gives timm's loss and gradients."""
    models = (case.ours, case.reference)
    try:
        for model in models:
            model.set_grad_checkpointing(True)
            model.train()
        losses = [model(case.x).square().mean() for model in models]
        grads = [
            torch.autograd.grad(loss, model.patch_embed.proj.weight) for loss, model in zip(losses, models, strict=True)
        ]
        assert_close(losses[0], losses[1])
        assert_close(grads[0], grads[1])
    finally:
        for model in models:
            model.set_grad_checkpointing(False)
            model.eval()


def test_forward_intermediates(case: Case) -> None:
    indices = sorted({0, case.build.depth - 1})
    kwargs = {"indices": indices, "return_prefix_tokens": True, "norm": True}
    with torch.no_grad():
        final, got = case.ours.forward_intermediates(case.x, **kwargs)
        expected_final, expected = case.reference.forward_intermediates(case.x, **kwargs)
    assert_close(final, expected_final)
    if case.reference.num_prefix_tokens:  # pairs (map, prefix tokens)
        got, expected = [t for pair in got for t in pair], [t for pair in expected for t in pair]
    assert_close(got, expected)


def timm_features(arch: str, state: dict[str, torch.Tensor], **kwargs: Any) -> torch.nn.Module:
    """timm's ``features_only=True`` extractor, built on the meta device and given ``state``."""
    with on_meta():
        extractor = timm.create_model(arch, features_only=True, **kwargs)
    wanted = extractor.state_dict()
    weights = {f"model.{k}": v for k, v in state.items() if f"model.{k}" in wanted}
    extractor.load_state_dict(weights, strict=True, assign=True)
    return extractor.eval()


@pytest.mark.parametrize("arch", ARCHS)
def test_default_features_at_full_size(arch: str) -> None:
    """``features_only`` without ``out_indices`` picks timm's blocks (the last three), on the meta device."""
    with on_meta():
        ours = hub.create_model(arch, features_only=True)
        reference = timm.create_model(arch, features_only=True)
    assert ours.feature_info.out_indices == reference.feature_info.out_indices
    assert ours.feature_info.channels() == reference.feature_info.channels()
    assert ours.feature_info.reduction() == reference.feature_info.reduction()
    assert ours.feature_info.module_name() == reference.feature_info.module_name()


def test_features_only(case: Case) -> None:
    """Outputs of the extractor against timm's (small builds may have fewer than timm's default three blocks)."""
    out_indices = tuple(sorted({0, case.build.depth // 2, case.build.depth - 1}))
    state = case.reference.state_dict()
    ours = hub_with_state(case.arch, state, features_only=True, out_indices=out_indices, **case.build.kwargs)
    reference = timm_features(case.arch, state, out_indices=out_indices, **case.build.kwargs)
    assert ours.feature_info.out_indices == reference.feature_info.out_indices
    assert ours.feature_info.channels() == reference.feature_info.channels()
    assert ours.feature_info.reduction() == reference.feature_info.reduction()
    assert ours.feature_info.module_name() == reference.feature_info.module_name()
    with torch.no_grad():
        got, expected = ours(case.x), reference(case.x)
    assert len(got) == len(out_indices)
    assert_close(got, expected)


@pytest.mark.parametrize("arch", ARCHS)
def test_timm_surface_matches(arch: str) -> None:
    """What timm-based code reads from a model (default_cfg, group_matcher, no_weight_decay, the head) is timm's."""
    assert_timm_surface_matches(arch)
