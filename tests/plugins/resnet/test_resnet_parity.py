"""hub-resnet against timm, for every architecture the plugin registers: weights layout, outputs,
features, model attributes and pretrained cfgs.

The plugin must register exactly the architectures of timm's ``resnet`` module. Each is
built once (timm's model holding random weights, then ours given them through the core's
pretrained path) and checked in one test, so that parallel workers never build it twice.
The few whose weights take gigabytes are checked for keys and shapes on the meta device and
for outputs at a reduced depth (one block per stage; every other fact of the variant kept).
"""

from __future__ import annotations

import dataclasses
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
    random_state,
    sample_input,
    timm,
)

import hub

ARCHS = hub.list_models(plugin="hub-resnet")
# About half a billion parameters (1.9 GB of weights): meta device and reduced depth.
GIANTS = {"resnext101_32x32d"}
SHALLOW = (1, 1, 1, 1)


def test_the_plugin_registers_every_architecture_of_timms_resnet_module() -> None:
    assert sorted(ARCHS) == sorted(timm.list_models(module="resnet"))


@pytest.mark.parametrize("arch", ARCHS)
def test_pretrained_cfgs_match_timm(arch: str) -> None:
    assert_cfgs_match(arch)


def resnet_state(model: torch.nn.Module, seed: int = 0) -> dict[str, torch.Tensor]:
    """`random_state` with usable norm statistics (positive variances, a zero batch count)."""
    state = random_state(model, seed)
    for name, tensor in state.items():
        if name.endswith("running_var"):
            state[name] = tensor.abs() + 0.5
        elif name.endswith("num_batches_tracked"):
            state[name] = torch.tensor(0)
    return state


def timm_reference(arch: str, **kwargs: Any) -> torch.nn.Module:
    """timm's model with `resnet_state` weights, in eval.

    Built on the meta device, then given the weights; the blur-pool variants hold a computed
    buffer that no state dict carries, so timm builds those for real.
    """
    with on_meta():
        model = timm.create_model(arch, **kwargs)
    state = resnet_state(model)
    if any(name not in state for name, _ in model.named_buffers()):
        model = timm.create_model(arch, **kwargs)
    model.load_state_dict(state, strict=True, assign=True)
    return model.eval()


def shallow_pair(arch: str, **kwargs: Any) -> tuple[torch.nn.Module, torch.nn.Module]:
    """(timm's, ours) for ``arch`` with one block per stage, same weights, in eval."""
    from hub_resnet.model import ResNet
    from hub_resnet.specs import SPECS

    reference = timm_reference(arch, layers=SHALLOW, **kwargs)
    ours = ResNet(dataclasses.replace(SPECS[arch], depths=SHALLOW), **kwargs).eval()
    ours.load_state_dict(reference.state_dict(), strict=True)
    return reference, ours


def assert_features_match(arch: str, reference: torch.nn.Module, state: dict, x: torch.Tensor) -> None:
    """``features_only`` through hub's factory against timm's extractor over its model, default and picked stages."""
    for out_indices in (None, (1, 3)):
        ref_features = timm.models.FeatureListNet(reference, out_indices=out_indices or (0, 1, 2, 3, 4))
        kwargs = {} if out_indices is None else {"out_indices": out_indices}
        ours = hub_with_state(arch, state, features_only=True, **kwargs)
        info, ref_info = ours.feature_info, ref_features.feature_info
        assert info.channels() == ref_info.channels()
        assert info.reduction() == ref_info.reduction()
        assert info.module_name() == ref_info.module_name()
        with torch.no_grad():
            assert_close(ours(x), ref_features(x))


def assert_attributes_match(ours: torch.nn.Module, reference: torch.nn.Module) -> None:
    assert ours.feature_info == reference.feature_info
    for name in ("num_classes", "num_features", "head_hidden_size", "in_chans", "drop_rate"):
        assert getattr(ours, name) == getattr(reference, name), name


@pytest.mark.parametrize("arch", [a for a in ARCHS if a not in GIANTS])
def test_matches_timm(arch: str) -> None:
    reference = timm_reference(arch)
    state = reference.state_dict()
    ours = hub_with_state(arch, state)
    assert_same_state_dict_layout(reference, ours)
    assert type(ours).__module__ == "hub_resnet.model"
    assert_attributes_match(ours, reference)
    x = sample_input(64)
    assert_outputs_match(ours, reference, x)
    with torch.no_grad():
        final, stages = ours.forward_intermediates(x)
        ref_final, ref_stages = reference.forward_intermediates(x)
    assert_close(final, ref_final)
    assert_close(stages, ref_stages)
    assert_features_match(arch, reference, state, x)


@pytest.mark.parametrize("arch", sorted(GIANTS))
def test_giants_match_timm_on_the_meta_device_and_at_reduced_depth(arch: str) -> None:
    """Too large to build twice in a test: full-size keys and shapes on "meta", outputs one block per stage."""
    with on_meta():
        assert_same_state_dict_layout(timm.create_model(arch), hub.create_model(arch))
    reference, ours = shallow_pair(arch)
    assert_attributes_match(ours, reference)
    assert_outputs_match(ours, reference, sample_input(64, batch=1))


# Each way of striding (plain, pooled "d" shortcuts, 3x3 shortcut convs, blur and average
# anti-aliasing, the conv stem pool, pruned widths) with its strides turned into dilation.
DILATED = ["resnet18", "resnet50d", "senet154", "resnetblur50d", "resnetaa50", "resnetrs50", "ecaresnet50d_pruned"]


@pytest.mark.parametrize("arch", DILATED)
@pytest.mark.parametrize("output_stride", [8, 16])
def test_dilated_resnets_match_timm(arch: str, output_stride: int) -> None:
    if arch == "ecaresnet50d_pruned":  # pruned widths fix the depth
        reference = timm_reference(arch, output_stride=output_stride)
        ours = hub_with_state(arch, reference.state_dict(), output_stride=output_stride)
    else:
        reference, ours = shallow_pair(arch, output_stride=output_stride)
    # 18 px after the stem: odd sizes further down exercise the padding. Average-pooling
    # anti-aliasing floors odd sizes where the shortcut ceils them (timm's models fail there too).
    x = sample_input(64 if arch == "resnetaa50" else 72)
    with torch.no_grad():
        assert_close(ours.forward_features(x), reference.forward_features(x))
        assert_close(ours(x), reference(x))
    assert ours.feature_info == reference.feature_info


def test_blur_filters_are_computed_when_built_for_weights() -> None:
    """The blur filter is no checkpoint's: the uninitialised build for weights computes it anyway."""
    reference = timm_reference("resnetblur18")
    ours = hub_with_state("resnetblur18", reference.state_dict())
    taps = torch.tensor([1.0, 2.0, 1.0]) / 4
    assert_close(ours.layer2[0].aa.filt[0, 0], taps[:, None] * taps[None, :])
    assert "layer2.0.aa.filt" not in ours.state_dict()


@pytest.mark.parametrize("global_pool", ["avg", "max", "avgmax", "catavgmax"])
def test_global_pools_match_timm(global_pool: str) -> None:
    reference = timm_reference("resnet18", global_pool=global_pool, num_classes=7)
    ours = hub_with_state("resnet18", reference.state_dict(), global_pool=global_pool, num_classes=7)
    ours.fc.load_state_dict(reference.fc.state_dict())  # the weights' cfg has 1000 classes: hub made a fresh head
    assert ours.head_hidden_size == reference.head_hidden_size
    x = sample_input(64)
    with torch.no_grad():
        assert_close(ours(x), reference(x))


def test_unknown_global_pool_says_what_is_allowed() -> None:
    with pytest.raises(ValueError, match="global_pool must be one of 'avg', 'max'"):
        hub.create_model("resnet18", global_pool="mean")


def test_unsupported_output_stride_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="output_stride must be one of 8, 16, 32"):
        hub.create_model("resnet18", output_stride=4)


@pytest.mark.parametrize("arch", ["resnet18d", "resnetrs50"])
def test_grad_checkpointing_trains_as_timms(arch: str) -> None:
    """With checkpointing on in both, a training step gives timm's logits and gradients."""
    assert_grad_checkpointing_matches(*shallow_pair(arch), sample_input(64))


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
