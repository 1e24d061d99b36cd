"""hub-convnext against timm, for every architecture the plugin registers: weights layout, outputs,
features, model attributes and pretrained cfgs.

The plugin must register exactly the architectures of timm's ``convnext`` module. Each is
built once (timm's model holding random weights, then ours given them through the core's
pretrained path) and checked in one test, so that parallel workers never build it twice. The
weights are drawn at random rather than by timm's init, so that layer scale (1e-6 at init)
and GRN (zero at init) really take part. The two whose weights take several gigabytes are
checked for keys and shapes on the meta device and for outputs at a reduced depth (one block
per stage; widths, norms and heads kept).
"""

from __future__ import annotations

from typing import Any

import pytest
import torch
from support.timm_oracle import (
    assert_cfgs_match,
    assert_close,
    assert_grad_checkpointing_matches,
    assert_outputs_match,
    assert_same_state_dict_layout,
    assert_timm_surface_matches,
    hub_with_state,
    on_meta,
    sample_input,
    timm,
    timm_random,
)

import hub
from hub._features import wrap_features

ARCHS = hub.list_models(plugin="hub-convnext")
# 846M and 660M parameters (3.4 and 2.6 GB of weights): meta device and reduced depth.
GIANTS = {"convnext_xxlarge", "convnextv2_huge"}
# Built once and run on one image; their extractors wrap the built model instead of building again.
HEAVY = {
    "convnext_base",
    "convnext_large",
    "convnext_large_mlp",
    "convnext_xlarge",
    "convnextv2_base",
    "convnextv2_large",
}
SHALLOW = (1, 1, 1, 1)


def test_the_plugin_registers_every_architecture_of_timms_convnext_module() -> None:
    assert sorted(ARCHS) == sorted(timm.list_models(module="convnext"))


@pytest.mark.parametrize("arch", ARCHS)
def test_pretrained_cfgs_match_timm(arch: str) -> None:
    assert_cfgs_match(arch)


def shallow_pair(arch: str, **kwargs: Any) -> tuple[torch.nn.Module, torch.nn.Module]:
    """(timm's, ours) for ``arch`` with one block per stage, same weights, in eval."""
    from hub_convnext._variants import VARIANTS
    from hub_convnext.model import ConvNeXt

    variant = VARIANTS[arch]
    reference = timm_random(arch, depths=SHALLOW, **kwargs)
    kwargs.setdefault("head_hidden_size", variant.head_hidden_size)
    ours = ConvNeXt(variant.replace(depths=SHALLOW), **kwargs).eval()
    ours.load_state_dict(reference.state_dict(), strict=True)
    return reference, ours


def assert_attributes_match(ours: torch.nn.Module, reference: torch.nn.Module) -> None:
    assert ours.feature_info == reference.feature_info
    for name in ("num_classes", "num_features", "head_hidden_size", "in_chans", "drop_rate"):
        assert getattr(ours, name) == getattr(reference, name), name
    assert type(ours.get_classifier()) is type(reference.get_classifier())


def assert_intermediates_match(ours: torch.nn.Module, reference: torch.nn.Module, x: torch.Tensor) -> None:
    with torch.no_grad():
        final, stages = ours.forward_intermediates(x)
        ref_final, ref_stages = reference.forward_intermediates(x)
        assert_close(final, ref_final)
        assert_close(stages, ref_stages)
        assert len(stages) == 4
        picked = ours.forward_intermediates(x, indices=[0, -1], stop_early=True, intermediates_only=True, norm=True)
        ref_picked = reference.forward_intermediates(
            x, indices=[0, -1], stop_early=True, intermediates_only=True, norm=True
        )
        assert_close(picked, ref_picked)


def assert_features_match(arch: str, reference: torch.nn.Module, ours: torch.nn.Module, x: torch.Tensor) -> None:
    """``features_only`` against timm's extractor over its model, for the default and picked stages.

    Ours comes through hub's factory with the same weights, except for the heavy models,
    whose built model is wrapped by the same core wrapper instead.
    """
    state = reference.state_dict()
    for out_indices in (None, (1, 3)):
        ref_features = timm.models.FeatureListNet(
            reference, out_indices=out_indices or (0, 1, 2, 3), flatten_sequential=True
        )
        kwargs = {} if out_indices is None else {"out_indices": out_indices}
        if arch in HEAVY:
            features = wrap_features(ours, feature_cls="list", out_indices=list(out_indices or (0, 1, 2, 3)))
        else:
            features = hub_with_state(arch, state, features_only=True, **kwargs)
            assert_same_state_dict_layout(ref_features, features)
        info, ref_info = features.feature_info, ref_features.feature_info
        assert info.channels() == ref_info.channels()
        assert info.reduction() == ref_info.reduction()
        assert info.module_name() == ref_info.module_name()
        with torch.no_grad():
            assert_close(features(x), ref_features(x))


@pytest.mark.parametrize("arch", [a for a in ARCHS if a not in GIANTS])
def test_matches_timm(arch: str) -> None:
    reference = timm_random(arch)
    ours = hub_with_state(arch, reference.state_dict())
    assert_same_state_dict_layout(reference, ours)
    assert type(ours).__module__ == "hub_convnext.model"
    assert_attributes_match(ours, reference)
    assert ours.pretrained_cfg.architecture == arch
    x = sample_input(64, batch=1 if arch in HEAVY else 2)
    assert_outputs_match(ours, reference, x)
    assert_intermediates_match(ours, reference, x)
    assert_features_match(arch, reference, ours, x)
    with torch.no_grad():
        assert_close(ours(x), reference(x))  # the extractors share the model's modules and left it intact


@pytest.mark.parametrize("arch", sorted(GIANTS))
def test_giants_match_timm_on_the_meta_device_and_at_reduced_depth(arch: str) -> None:
    """Too large to build twice in a test: full-size keys and shapes on "meta", outputs one block per stage."""
    with on_meta():
        reference, ours = timm.create_model(arch), hub.create_model(arch)
    assert_same_state_dict_layout(reference, ours)
    assert_attributes_match(ours, reference)
    reference, ours = shallow_pair(arch)
    assert_attributes_match(ours, reference)
    x = sample_input(64, batch=1)
    assert_outputs_match(ours, reference, x)
    assert_intermediates_match(ours, reference, x)


@pytest.mark.parametrize("arch", ["convnext_atto", "convnext_tiny", "convnextv2_atto", "convnext_tiny_hnf"])
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


@pytest.mark.parametrize("arch", ["convnext_atto", "convnextv2_atto", "convnext_tiny_hnf"])
def test_grad_checkpointing_trains_as_timms(arch: str) -> None:
    """With checkpointing on in both, a training step gives timm's logits and gradients."""
    assert_grad_checkpointing_matches(*shallow_pair(arch), sample_input(64))


@pytest.mark.parametrize("arch", [a for a in ARCHS if a != "convnext_tiny_hnf"])
def test_timm_surface_matches(arch: str) -> None:
    """What timm-based code reads from a model (default_cfg, group_matcher, no_weight_decay, the head) is timm's."""
    assert_timm_surface_matches(arch)


def test_timm_surface_matches_with_the_pre_head_norm_in_the_last_coarse_group(monkeypatch) -> None:
    """convnext_tiny_hnf: timm's coarse matcher leaves ``norm_pre`` unmatched, so it lands in the head's
    group; ours joins it to the last stage (the conformance kit requires the body matched). Every
    other fact of the surface, the fine groups included, is timm's."""
    from timm.models import group_parameters
    from timm.models.convnext import ConvNeXt as TimmConvNeXt

    with on_meta():
        reference, ours = timm.create_model("convnext_tiny_hnf"), hub.create_model("convnext_tiny_hnf")
    timm_groups = list(group_parameters(reference, reference.group_matcher(coarse=True)).values())
    *body, head = timm_groups
    moved = [n for n in head if n.startswith("norm_pre.")]
    assert moved == ["norm_pre.weight", "norm_pre.bias"]
    expected = [*body[:-1], body[-1] + moved, [n for n in head if n not in moved]]
    assert list(group_parameters(ours, ours.group_matcher(coarse=True)).values()) == expected

    timm_matcher = TimmConvNeXt.group_matcher

    def with_the_pre_head_norm_matched(self: torch.nn.Module, coarse: bool = False) -> dict[str, Any]:
        matcher = timm_matcher(self, coarse=coarse)
        if coarse:
            matcher["blocks"] = [(matcher["blocks"], None), (r"^norm_pre", (99999,))]
        return matcher

    monkeypatch.setattr(TimmConvNeXt, "group_matcher", with_the_pre_head_norm_matched)
    assert_timm_surface_matches("convnext_tiny_hnf")
