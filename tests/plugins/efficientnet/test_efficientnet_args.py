"""hub-efficientnet's own arguments against timm: stochastic depth, dropout, pooling, output stride,
gradient checkpointing, pruning, and pretrained adaptation through the core.

One architecture per head and block type is enough here: EfficientNet (depthwise-separable
and MBConv blocks), EfficientNetV2 (conv and fused-MBConv, TF padding), MobileNetV3 (its
efficient head, hard-swish, a stem feature level in the small variant).
"""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest
import torch
from safetensors.torch import save_file
from support.timm_oracle import assert_close, sample_input, timm

import hub
from hub.testing import check_manifest_is_torch_free

EFFICIENTNET = ["efficientnet_b0", "tf_efficientnetv2_b0"]
MOBILENETV3 = ["mobilenetv3_large_100", "mobilenetv3_small_100"]
SAMPLE = [*EFFICIENTNET, "mobilenetv2_100", *MOBILENETV3]


def same_weights(arch: str, **kwargs) -> tuple[torch.nn.Module, torch.nn.Module]:
    """timm's model and ours for the same arguments, ours holding timm's weights."""
    reference = timm.create_model(arch, **kwargs)
    ours = hub.create_model(arch, **kwargs)
    ours.load_state_dict(reference.state_dict(), strict=True)
    return reference.eval(), ours.eval()


def drop_probs(model: torch.nn.Module) -> list[float]:
    return [m.drop_prob for m in model.modules() if type(m).__name__ == "DropPath"]


@pytest.mark.parametrize("arch", SAMPLE)
def test_train_mode_with_drop_path_and_dropout_matches_timm(arch: str) -> None:
    """Same random draws, same results: stochastic depth and dropout sit where timm's do, at the same rates."""
    reference, ours = same_weights(arch, drop_rate=0.3, drop_path_rate=0.2)
    assert drop_probs(ours) == pytest.approx(drop_probs(reference))
    assert len(drop_probs(ours)) > 0
    reference.train()
    ours.train()
    x = sample_input(64, batch=4)
    torch.manual_seed(1)
    expected = reference(x)
    torch.manual_seed(1)
    got = ours(x)
    assert_close(got, expected)
    got.sum().backward()
    assert all(p.grad is not None for p in ours.parameters())


@pytest.mark.parametrize("pool", ["avg", "max", "avgmax", "catavgmax"])
@pytest.mark.parametrize("arch", [EFFICIENTNET[0], MOBILENETV3[1]])
def test_global_pool_matches_timm(arch: str, pool: str) -> None:
    reference, ours = same_weights(arch, global_pool=pool)
    x = sample_input(64)
    with torch.no_grad():
        assert_close(ours(x), reference(x))
        assert_close(
            ours.forward_head(ours.forward_features(x), pre_logits=True),
            reference.forward_head(reference.forward_features(x), pre_logits=True),
        )
    assert ours.head_hidden_size == reference.head_hidden_size


@pytest.mark.parametrize("arch", [EFFICIENTNET[0], MOBILENETV3[1]])
def test_no_pooling_keeps_the_map(arch: str) -> None:
    reference, ours = same_weights(arch, global_pool="", num_classes=0)
    x = sample_input(64)
    with torch.no_grad():
        out = ours(x)
        assert out.ndim == 4
        assert_close(out, reference(x))


@pytest.mark.parametrize("arch", [EFFICIENTNET[0], MOBILENETV3[0]])
def test_bad_pooling_is_a_value_error(arch: str) -> None:
    with pytest.raises(ValueError, match="catavgmax"):
        hub.create_model(arch, global_pool="median")
    with pytest.raises(ValueError, match="num_classes=0"):
        hub.create_model(arch, global_pool="")


@pytest.mark.parametrize("output_stride", [16, 8])
@pytest.mark.parametrize("arch", EFFICIENTNET)
def test_output_stride_matches_timm(arch: str, output_stride: int) -> None:
    reference, ours = same_weights(arch, output_stride=output_stride)
    x = sample_input(64)
    with torch.no_grad():
        assert_close(ours.forward_features(x), reference.forward_features(x))
        assert_close(ours(x), reference(x))
    assert ours.forward_features(x).shape[-1] == 64 // output_stride
    assert ours.feature_info == reference.feature_info
    assert max(info["reduction"] for info in ours.feature_info) == output_stride


@pytest.mark.parametrize("arch", [EFFICIENTNET[1], *MOBILENETV3])
def test_dilated_features_match_timm(arch: str) -> None:
    """timm's MobileNetV3 takes ``output_stride`` only as a feature extractor; ours takes it either way."""
    reference = timm.create_model(arch, features_only=True, output_stride=16).eval()
    ours = hub.create_model(arch, features_only=True, output_stride=16).eval()
    ours.load_state_dict(reference.state_dict())  # the same keys: timm's extractor's weights load as they are
    x = sample_input(64)
    with torch.no_grad():
        assert_close(ours(x), reference(x))
    assert ours.feature_info.reduction() == reference.feature_info.reduction()


def test_unsupported_output_stride_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="output_stride"):
        hub.create_model("efficientnet_b0", output_stride=4)


@pytest.mark.parametrize("arch", [EFFICIENTNET[1], MOBILENETV3[1]])
def test_grad_checkpointing_gives_the_same_outputs_and_gradients(arch: str) -> None:
    plain = hub.create_model(arch).eval()
    checkpointed = copy.deepcopy(plain)
    checkpointed.set_grad_checkpointing(True)
    assert checkpointed.grad_checkpointing
    x = sample_input(64)
    outputs, grads = [], []
    for model in (plain, checkpointed):
        out = model(x)
        out.square().mean().backward()
        outputs.append(out.detach())
        grads.append([p.grad for p in model.parameters()])
    assert_close(outputs[1], outputs[0])
    assert_close(grads[1], grads[0])
    with torch.no_grad():
        assert_close(checkpointed.forward_intermediates(x), plain.forward_intermediates(x))


@pytest.mark.parametrize(
    "kwargs",
    [{"indices": [1, 2]}, {"indices": 2, "prune_head": False}, {"indices": 5, "prune_head": False}],
    ids=["first-stages", "last-two-keep-head", "all-keep-head"],
)
@pytest.mark.parametrize("arch", [EFFICIENTNET[0], *MOBILENETV3])
def test_prune_intermediate_layers_matches_timm(arch: str, kwargs: dict) -> None:
    reference, ours = same_weights(arch)
    assert ours.prune_intermediate_layers(**kwargs) == reference.prune_intermediate_layers(**kwargs)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in reference.named_parameters()]
    assert (ours.num_features, ours.head_hidden_size) == (reference.num_features, reference.head_hidden_size)
    x = sample_input(64)
    with torch.no_grad():
        assert_close(ours(x), reference(x))
        indices = kwargs["indices"]
        assert_close(
            ours.forward_intermediates(x, indices=indices), reference.forward_intermediates(x, indices=indices)
        )


def test_bad_indices_give_the_valid_range() -> None:
    model = hub.create_model("mobilenetv3_small_100")
    x = sample_input(64)
    with pytest.raises(ValueError, match="-5 to 4"):
        model.forward_intermediates(x, indices=[7])
    with pytest.raises(ValueError, match="NCHW"):
        model.forward_intermediates(x, output_fmt="NHWC")
    with pytest.raises(ValueError, match="intermediates_only"):
        model.forward_intermediates(x, indices=[1], stop_early=True)
    with pytest.raises(ValueError, match="head conv"):
        model.reset_classifier(3, global_pool="catavgmax")


@pytest.fixture(scope="module")
def b3_weights(tmp_path_factory: pytest.TempPathFactory) -> tuple[torch.nn.Module, str]:
    """timm's efficientnet_b3 and its weights saved as a local safetensors file."""
    torch.manual_seed(0)
    reference = timm.create_model("efficientnet_b3").eval()
    path = tmp_path_factory.mktemp("weights") / "efficientnet_b3.safetensors"
    save_file({k: v.contiguous() for k, v in reference.state_dict().items()}, str(path))
    return reference, str(path)


def test_the_seed_example_fine_tunes_a_pretrained_b3(b3_weights: tuple[torch.nn.Module, str]) -> None:
    """``create_model("efficientnet_b3", pretrained=True, num_classes=1)``, the weights read from a local copy."""
    reference, path = b3_weights
    model = hub.create_model(
        "efficientnet_b3", pretrained=True, num_classes=1, pretrained_cfg_overlay={"file": path}
    ).eval()
    assert model.classifier.out_features == 1 and model.num_classes == 1
    assert model.pretrained_cfg.architecture == "efficientnet_b3"
    x = sample_input(64)
    with torch.no_grad():
        features = model.forward_features(x)
        assert_close(features, reference.forward_features(x))
        assert model(x).shape == (2, 1)


def test_pretrained_weights_adapt_to_one_input_channel(b3_weights: tuple[torch.nn.Module, str]) -> None:
    reference, path = b3_weights
    model = hub.create_model(
        "efficientnet_b3", pretrained=True, in_chans=1, pretrained_cfg_overlay={"file": path}
    ).eval()
    assert model.conv_stem.in_channels == 1
    grey = sample_input(64, channels=1)
    with torch.no_grad():
        # The adapted stem sums the RGB filters, so a grey image gives what RGB copies of it would.
        assert_close(model(grey), reference(grey.expand(-1, 3, -1, -1)), atol=1e-4, rtol=1e-4)


def test_mobilenetv3_head_conv_survives_a_new_classifier(tmp_path) -> None:
    torch.manual_seed(0)
    reference = timm.create_model("mobilenetv3_large_100").eval()
    path = tmp_path / "weights.safetensors"
    save_file(reference.state_dict(), str(path))
    model = hub.create_model(
        "mobilenetv3_large_100", pretrained=True, num_classes=10, pretrained_cfg_overlay={"file": str(path)}
    ).eval()
    x = sample_input(64)
    with torch.no_grad():
        pre_logits = model.forward_head(model.forward_features(x), pre_logits=True)
        assert_close(pre_logits, reference.forward_head(reference.forward_features(x), pre_logits=True))
        assert model(x).shape == (2, 10)


def test_the_manifest_imports_no_torch() -> None:
    check_manifest_is_torch_free("hub-efficientnet")


def test_hub_list_shows_the_family() -> None:
    code = "from hub_cli.main import main; main(['list', '*efficientnet*'])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    listed = result.stdout.split()
    assert {"efficientnet_b3", "tf_efficientnet_b7", "tf_efficientnetv2_l", "efficientnetv2_rw_s"} <= set(listed)
    assert "mobilenetv3_large_100" not in listed
