"""hub-convnext's own arguments and model methods, against timm on the small variants.

The four variants cover each block form: 1x1-conv MLP (atto) and channels-last Linear MLP
(tiny), each with layer scale (V1) and with GRN (V2); the "hnf" variant covers the head that
normalises before pooling.
"""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest
import torch
from support.timm_oracle import (
    assert_close,
    assert_same_state_dict_layout,
    hub_with_state,
    on_meta,
    sample_input,
    timm,
    timm_random,
)

import hub
from hub._build import accepted_keywords

BLOCK_FORMS = ["convnext_atto", "convnext_tiny", "convnextv2_atto", "convnextv2_tiny"]


def _pair(arch: str, **kwargs) -> tuple[torch.nn.Module, torch.nn.Module]:
    reference = timm_random(arch, **kwargs)
    state = {k: v.clone() for k, v in reference.state_dict().items()}
    return reference, hub_with_state(arch, state, **kwargs)


@pytest.mark.parametrize("arch", BLOCK_FORMS)
def test_drop_path_and_dropout_in_train_mode_match_timm(arch: str) -> None:
    """Same rates per block, and with the same seed the same random masks: identical train outputs."""
    reference, ours = _pair(arch, drop_path_rate=0.2, drop_rate=0.3)
    ref_rates = [getattr(b.drop_path, "drop_prob", 0.0) for s in reference.stages for b in s.blocks]
    our_rates = [getattr(b.drop_path, "drop_prob", 0.0) for s in ours.stages for b in s.blocks]
    assert our_rates == pytest.approx(ref_rates, abs=1e-7)
    assert our_rates[0] == 0.0 and our_rates[-1] == pytest.approx(0.2)
    assert ours.head.drop.p == 0.3
    reference.train()
    ours.train()
    x = sample_input(64)
    with torch.no_grad():
        torch.manual_seed(1)
        expected = reference(x)
        torch.manual_seed(1)
        got = ours(x)
        assert_close(got, expected)
        torch.manual_seed(2)
        assert not torch.allclose(ours(x), got), "drop path and dropout should change with the seed"
        ours.eval()
        reference.eval()
        assert_close(ours(x), reference(x))


@pytest.mark.parametrize("global_pool", ["avg", "max", "avgmax", ""])
@pytest.mark.parametrize("arch", ["convnext_atto", "convnextv2_tiny"])
def test_global_pool_variants_match_timm(arch: str, global_pool: str) -> None:
    reference, ours = _pair(arch, global_pool=global_pool)
    assert_same_state_dict_layout(reference, ours)
    x = sample_input(64)
    with torch.no_grad():
        out = ours(x)
        assert_close(out, reference(x))
        assert_close(
            ours.forward_head(ours.forward_features(x), pre_logits=True),
            reference.forward_head(reference.forward_features(x), pre_logits=True),
        )
    assert out.ndim == (4 if global_pool == "" else 2)


@pytest.mark.parametrize("global_pool", ["catavgmax", "fast", "mean"])
def test_an_unusable_global_pool_is_a_value_error(global_pool: str) -> None:
    with pytest.raises(ValueError, match="global_pool must be one of"):
        hub.create_model("convnext_atto", global_pool=global_pool)
    model = hub.create_model("convnext_atto")
    with pytest.raises(ValueError, match="global_pool must be one of"):
        model.reset_classifier(10, global_pool)


@pytest.mark.parametrize("output_stride", [16, 8])
@pytest.mark.parametrize("arch", ["convnext_atto", "convnextv2_tiny"])
def test_output_stride_matches_timm(arch: str, output_stride: int) -> None:
    reference, ours = _pair(arch, output_stride=output_stride)
    assert_same_state_dict_layout(reference, ours)
    assert ours.feature_info == reference.feature_info
    assert ours.feature_info[-1]["reduction"] == output_stride
    x = sample_input(72)  # 18 px after the stem: odd sizes further down exercise the padding
    with torch.no_grad():
        assert_close(ours.forward_features(x), reference.forward_features(x))
        assert_close(ours(x), reference(x))
        stages = ours.forward_intermediates(x, intermediates_only=True)
    # Past the output stride the stages keep their size.
    sizes = {
        s.shape[-2:] for s, info in zip(stages, ours.feature_info, strict=True) if info["reduction"] == output_stride
    }
    assert len(sizes) == 1 and len(stages) == 4
    flat = {k.replace(".", "_", 1): v for k, v in reference.state_dict().items() if k.startswith(("stem.", "stages."))}
    ref_features = timm_random(arch, flat, features_only=True, output_stride=output_stride)
    our_features = hub_with_state(arch, reference.state_dict(), features_only=True, output_stride=output_stride)
    assert our_features.feature_info.reduction() == ref_features.feature_info.reduction()
    with torch.no_grad():
        assert_close(our_features(x), ref_features(x))


def test_an_unsupported_output_stride_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="output_stride must be one of 8, 16, 32"):
        hub.create_model("convnext_atto", output_stride=4)


@pytest.mark.parametrize("arch", ["convnext_atto", "convnextv2_tiny"])
def test_grad_checkpointing_gives_the_same_outputs_and_gradients(arch: str) -> None:
    reference, ours = _pair(arch, drop_path_rate=0.1)
    x = sample_input(64)

    def run(checkpointing: bool) -> tuple[torch.Tensor, list[torch.Tensor]]:
        ours.set_grad_checkpointing(checkpointing)
        ours.zero_grad()
        torch.manual_seed(3)
        out = ours.train()(x)
        out.square().mean().backward()
        return out.detach(), [p.grad.clone() for p in ours.parameters()]

    plain_out, plain_grads = run(False)
    ckpt_out, ckpt_grads = run(True)
    assert ours.grad_checkpointing and all(s.grad_checkpointing for s in ours.stages)
    assert_close(ckpt_out, plain_out)
    assert_close(ckpt_grads, plain_grads)
    reference.set_grad_checkpointing(True)
    with torch.no_grad():
        assert_close(ours.eval()(x), reference(x))


@pytest.mark.parametrize(
    ("arch", "resets"),
    [
        ("convnext_atto", ((10, None), (7, "max"), (5, ""), (0, "avg"))),
        ("convnextv2_tiny", ((10, None), (7, "max"), (5, ""), (0, "avg"))),
        ("convnext_tiny_hnf", ((10, None), (7, "catavgmax"), (0, ""), (3, "avgmax"), (0, "avg"))),
    ],
)
def test_reset_classifier_matches_timm(arch: str, resets) -> None:
    reference, ours = _pair(arch)
    x = sample_input(64)
    for num_classes, global_pool in resets:
        reference.reset_classifier(num_classes, global_pool)
        ours.reset_classifier(num_classes, global_pool)
        assert_same_state_dict_layout(reference, ours)
        ours.load_state_dict(reference.state_dict())  # the new classifiers are random
        assert ours.num_classes == num_classes
        assert (ours.num_features, ours.head_hidden_size) == (reference.num_features, reference.head_hidden_size)
        assert type(ours.get_classifier()) is type(reference.get_classifier())
        with torch.no_grad():
            assert_close(ours(x), reference(x))


@pytest.mark.parametrize("arch", ["convnext_atto", "convnextv2_tiny"])
def test_head_hidden_size_matches_timm(arch: str) -> None:
    reference, ours = _pair(arch, head_hidden_size=64)
    assert (ours.num_features, ours.head_hidden_size) == (reference.num_features, reference.head_hidden_size)
    assert ours.head_hidden_size == 64
    assert_same_state_dict_layout(reference, ours)
    x = sample_input(64)
    with torch.no_grad():
        assert_close(ours(x), reference(x))
        assert ours.forward_head(ours.forward_features(x), pre_logits=True).shape == (2, 64)
    # Switching pooling off turns the hidden fc into a 1x1 conv, keeping its weights.
    reference.reset_classifier(5, "")
    ours.reset_classifier(5, "")
    ours.head.fc.load_state_dict(reference.head.fc.state_dict())
    assert_same_state_dict_layout(reference, ours)
    with torch.no_grad():
        assert_close(ours(x), reference(x))


@pytest.mark.parametrize("indices", [[0, 2], 2, [-1]])
@pytest.mark.parametrize("arch", ["convnext_atto", "convnextv2_tiny", "convnext_tiny_hnf"])
def test_prune_intermediate_layers_matches_timm(arch: str, indices) -> None:
    reference, ours = _pair(arch)
    assert ours.prune_intermediate_layers(indices) == reference.prune_intermediate_layers(indices)
    assert (ours.num_features, ours.head_hidden_size) == (reference.num_features, reference.head_hidden_size)
    assert len(ours.stages) == len(reference.stages)
    assert_same_state_dict_layout(reference, ours)
    x = sample_input(64)
    with torch.no_grad():
        got = ours.forward_intermediates(x, indices=indices, norm=True)
        want = reference.forward_intermediates(x, indices=indices, norm=True)
        assert_close(got[0], want[0])
        assert_close(got[1], want[1])
        assert_close(ours(x), reference(x))


@pytest.mark.parametrize("arch", ["convnext_atto", "convnextv2_tiny"])
def test_other_channels_and_classes_match_timm(arch: str) -> None:
    reference = timm_random(arch, in_chans=1, num_classes=10)
    ours = hub.create_model(arch, in_chans=1, num_classes=10).eval()
    ours.load_state_dict(reference.state_dict(), strict=True)
    assert ours.stem[0].in_channels == 1
    x = sample_input(64, channels=1)
    with torch.no_grad():
        assert_close(ours(x), reference(x))


def test_head_norm_first_variants_take_no_hidden_layer() -> None:
    with pytest.raises(ValueError, match="head_hidden_size must be None"):
        hub.create_model("convnext_tiny_hnf", head_hidden_size=64)


def test_variants_give_their_default_head_hidden_size() -> None:
    """convnext_large_mlp has a hidden head layer by default (as timm's); an explicit None builds none."""
    from hub_convnext import model

    assert inspect.signature(model.convnext_large_mlp).parameters["head_hidden_size"].default == 1536
    assert inspect.signature(model.convnext_large).parameters["head_hidden_size"].default is None
    with on_meta():
        assert "head.pre_logits.fc.weight" in hub.create_model("convnext_large_mlp").state_dict()
        assert (
            "head.pre_logits.fc.weight"
            not in hub.create_model("convnext_large_mlp", head_hidden_size=None).state_dict()
        )


def test_bad_indices_and_formats_are_value_errors() -> None:
    model = hub.create_model("convnext_atto").eval()
    x = sample_input(64)
    with pytest.raises(ValueError, match="out of range"):
        model.forward_intermediates(x, indices=[4])
    with pytest.raises(ValueError, match="NCHW"):
        model.forward_intermediates(x, output_fmt="NHWC")
    with pytest.raises(ValueError, match="out of range"):
        hub.create_model("convnext_atto", features_only=True, out_indices=(0, 5))


def test_builders_take_explicit_keywords_only() -> None:
    from hub_convnext import model

    expected = {
        "num_classes", "in_chans", "global_pool", "output_stride", "drop_rate", "drop_path_rate",
        "head_hidden_size", "head_init_scale",
    }  # fmt: skip
    assert accepted_keywords(model.convnext_tiny) == expected
    with pytest.raises(TypeError, match="unexpected keyword"):
        hub.create_model("convnext_atto", depths=(1, 1, 1, 1))


def test_builds_on_the_meta_device_without_buffers() -> None:
    """The core builds on "meta" before loading weights: nothing may read tensor values."""
    from hub_convnext import model

    with torch.device("meta"):  # initialisers included
        built = model.convnextv2_tiny(drop_path_rate=0.1, head_hidden_size=32)
    assert all(p.is_meta for p in built.parameters())
    assert list(built.buffers()) == []


def test_init_follows_timm() -> None:
    """Truncated-normal conv and linear weights (std 0.02), zero biases, layer scale and GRN at their init."""
    torch.manual_seed(0)
    model = hub.create_model("convnext_tiny", head_init_scale=0.5)
    block = model.stages[1].blocks[0]
    assert block.mlp.fc1.weight.std().item() == pytest.approx(0.02, rel=0.05)
    assert block.mlp.fc1.weight.abs().max().item() <= 2.0
    assert block.mlp.fc1.bias.abs().sum().item() == 0.0
    assert torch.all(block.gamma == 1e-6)
    assert model.head.fc.weight.std().item() == pytest.approx(0.01, rel=0.05)
    v2_block = hub.create_model("convnextv2_atto").stages[0].blocks[0]
    assert v2_block.gamma is None
    assert v2_block.mlp.grn.weight.abs().sum().item() == 0.0


def test_the_manifest_imports_no_torch() -> None:
    code = (
        "import sys\n"
        "import hub_convnext\n"
        "from hub._registry import ModelRegistrar\n"
        "registrar = ModelRegistrar('hub-convnext')\n"
        "hub_convnext.register_models(registrar)\n"
        "assert len(registrar.entries()) == 31, len(registrar.entries())\n"
        "assert 'torch' not in sys.modules, 'the manifest imported torch'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_timm_and_hub_agree_on_the_default_tag() -> None:
    assert hub.get_pretrained_cfg("convnext_tiny").tag == timm.models.get_pretrained_cfg("convnext_tiny").tag
