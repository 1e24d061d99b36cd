"""``hub.optimize``: the same outputs for every registered architecture, BatchNorm folded, the input model untouched."""

from __future__ import annotations

import copy

import pytest
import torch
from support.registry import native_models, native_sample
from torch import nn

import hub
from hub._optimize import OptimizeReport
from hub.layers import OneDNNLinear
from hub.layers.onednn_linear import MIN_ROWS, onednn_linear_available

SIZE = 64  # small inputs: the check is about equality, not speed
TOLERANCE = 1e-4  # for outputs of unit scale


# Every architecture is optimized and run on the meta device (graph, folds, output shape); the
# registry's sample (the smallest of each kind and every fifth, none over 30M parameters) also by
# value: the others' blocks are those of a sibling checked by value.
BY_VALUE = native_sample()


def _build(name: str, *, on_meta: bool = False, **kwargs: object) -> nn.Module:
    """``name`` for 64-pixel inputs, in eval mode, on the meta device when asked."""
    with torch.device("meta"):
        meta = hub.create_model(name, **kwargs)
    size = {"img_size": SIZE} if meta.as_built_cfg.fixed_input_size else {}
    if on_meta:
        with torch.device("meta"):
            return hub.create_model(name, **kwargs, **size).eval()
    torch.manual_seed(0)
    return hub.create_model(name, **kwargs, **size).eval()


def _perturb_norms(model: nn.Module) -> None:
    """BatchNorm statistics and shifts moved off their initial values (mean 0, variance 1, shift 0), a little.

    At the initial values a fold is close to the identity, so folding a norm into the wrong
    layer would go unseen; a few percent is plenty to show it, and small enough that the
    activations keep their scale through any depth, so float32 rounding stays far below
    the tolerance.
    """
    generator = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for norm in model.modules():
            if isinstance(norm, nn.modules.batchnorm._BatchNorm):
                n = norm.num_features
                norm.running_mean.copy_(0.05 * torch.randn(n, generator=generator))
                norm.running_var.copy_(0.9 + 0.2 * torch.rand(n, generator=generator))
                norm.bias.add_(0.05 * torch.randn(n, generator=generator))


def _has_batchnorm(model: nn.Module) -> bool:
    return any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in model.modules())


def _input_size(model: nn.Module) -> int:
    """``SIZE`` (what a ViT of strict input size was built for), or whole patches for a ViT that takes any size."""
    patch_embed = getattr(model, "patch_embed", None)
    if patch_embed is None or patch_embed.strict_img_size:
        return SIZE
    patch = patch_embed.patch_size[0]
    return -(-SIZE // patch) * patch


@pytest.mark.parametrize("name", native_models())
def test_same_outputs_for_every_architecture(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hub.layers.onednn_linear.MIN_ROWS", 0)  # oneDNN's path even for these small inputs
    on_meta = name not in BY_VALUE
    model = _build(name, on_meta=on_meta)
    size = _input_size(model)
    x = torch.randn(2, 3, size, size, generator=torch.Generator().manual_seed(2))
    if on_meta:
        optimized = hub.optimize(model, channels_last=True, onednn=True)
        x = x.to("meta")
        # logits, or the pooled features of a model built without a classifier
        width = model.num_classes or getattr(model, "head_hidden_size", None) or model.num_features
        assert optimized(x).shape == (2, width)
    else:
        _perturb_norms(model)
        before = {k: v.clone() for k, v in model.state_dict().items()}
        optimized = hub.optimize(model, channels_last=True, onednn=True)
        with torch.inference_mode():
            expected = model(x)
            got = optimized(x.contiguous(memory_format=torch.channels_last))
        # float32 rounding grows with the outputs' magnitude (some models give logits of 30 at initialisation)
        assert (got - expected).abs().max().item() <= TOLERANCE * max(1.0, expected.abs().max().item())
        after = model.state_dict()
        assert all(torch.equal(before[k], after[k]) for k in before)  # the model given is never changed
    report: OptimizeReport = optimized.hub_optimize_report
    assert report.untraced == ()  # every native family traces, so every fold is found
    assert report.channels_last
    assert bool(report.folded) == _has_batchnorm(model)
    has_linear = any(type(m) is nn.Linear for m in model.modules())
    assert bool(report.onednn_linears) == (has_linear and not on_meta and onednn_linear_available())
    assert not any(isinstance(m, nn.modules.batchnorm._BatchNorm) for _, m in _folded_modules(optimized, report))


def _folded_modules(model: nn.Module, report: OptimizeReport) -> list[tuple[str, nn.Module]]:
    """The modules now at the names of the norms that were folded (an identity or the norm's activation)."""
    return [(norm, model.get_submodule(norm)) for _, norm in report.folded]


@pytest.fixture(scope="module")
def resnet() -> nn.Module:
    model = _build("resnet10t")
    _perturb_norms(model)
    return model


@pytest.mark.parametrize(
    ("name", "feature_cls"), [("resnet10t", None), ("efficientnet_b0", "dict"), ("convnext_atto", None)]
)
def test_feature_extractors_are_optimized_too(name: str, feature_cls: str | None) -> None:
    extractor = _build(name, features_only=True, feature_cls=feature_cls)
    _perturb_norms(extractor)
    optimized = hub.optimize(extractor, channels_last=False, onednn=True)
    x = torch.randn(1, 3, SIZE, SIZE)
    with torch.inference_mode():
        expected, got = extractor(x), optimized(x)
    expected_maps = list(expected.values()) if isinstance(expected, dict) else expected
    got_maps = list(got.values()) if isinstance(got, dict) else got
    assert [m.shape for m in got_maps] == [m.shape for m in expected_maps]
    assert max((a - b).abs().max().item() for a, b in zip(expected_maps, got_maps, strict=True)) <= TOLERANCE
    assert optimized.hub_optimize_report.folded or name == "convnext_atto"  # convnext normalises with LayerNorm
    assert optimized.feature_info.channels() == extractor.feature_info.channels()


def test_the_model_given_keeps_its_mode_weights_and_layout(resnet: nn.Module) -> None:
    resnet.train()
    before = copy.deepcopy(resnet.state_dict())
    optimized = hub.optimize(resnet, channels_last=True)
    assert resnet.training and not optimized.training
    assert all(p.requires_grad for p in resnet.parameters())
    assert not any(p.requires_grad for p in optimized.parameters())
    assert all(torch.equal(before[k], v) for k, v in resnet.state_dict().items())
    assert resnet.conv1[0].weight.is_contiguous()  # the copy is channels-last, not the original
    assert optimized.conv1[0].weight.is_contiguous(memory_format=torch.channels_last)
    resnet.eval()


def test_channels_last_is_decided_by_timing_and_the_model_keeps_its_surface(resnet: nn.Module) -> None:
    optimized = hub.optimize(resnet, sample=torch.randn(1, 3, SIZE, SIZE))
    report = optimized.hub_optimize_report
    contiguous_ms, channels_last_ms = report.timings_ms
    assert contiguous_ms > 0 and channels_last_ms > 0
    assert report.channels_last == (channels_last_ms < 0.95 * contiguous_ms)
    assert type(optimized) is type(resnet)
    assert optimized.pretrained_cfg is not None and optimized.num_classes == resnet.num_classes
    assert optimized.forward_features(torch.randn(1, 3, SIZE, SIZE)).shape[1] == resnet.num_features
    assert hub.optimize(resnet, channels_last=False).hub_optimize_report.timings_ms is None  # not timed when told


def test_compile_wraps_the_optimized_copy(resnet: nn.Module) -> None:
    compiled = hub.optimize(resnet, channels_last=False, compile=True)
    assert isinstance(compiled, torch._dynamo.eval_frame.OptimizedModule)
    assert compiled._orig_mod.hub_optimize_report.compiled


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="optimize takes an nn.Module, got str"):
        hub.optimize("resnet50")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="sample must be a tensor"):
        hub.optimize(nn.Linear(2, 2), sample=[1, 2])  # type: ignore[arg-type]
    with pytest.raises(hub.errors.InvalidArgumentError, match="channels_last"):
        hub.optimize(nn.Linear(2, 2), channels_last="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["regnetx_002", "densenet121", "mobilevit_xxs"])
def test_models_of_the_timm_bridge_fold_timms_norm_act_layers(name: str) -> None:
    model = _build(name)
    _perturb_norms(model)
    optimized = hub.optimize(model, channels_last=False, onednn=True)
    x = torch.randn(1, 3, SIZE, SIZE)
    with torch.inference_mode():
        assert (optimized(x) - model(x)).abs().max().item() <= TOLERANCE
    assert len(optimized.hub_optimize_report.folded) > 10


needs_onednn = pytest.mark.skipif(not onednn_linear_available(), reason="this torch has no oneDNN linear operator")


@needs_onednn
@pytest.mark.parametrize(
    ("name", "batch", "fused"),
    [
        ("vit_tiny_patch16_224", 64, ("blocks.0.mlp", "gelu")),
        ("test_convnext", 4, ("stages.0.blocks.0.mlp", "gelu_tanh")),
    ],
)
def test_onednn_linears_take_in_the_mlp_activation_and_keep_the_state_dict(
    name: str, batch: int, fused: tuple[str, str]
) -> None:
    model = _build(name)
    optimized = hub.optimize(model, channels_last=False)
    mlp_name, activation = fused
    assert (f"{mlp_name}.fc1", activation) in optimized.hub_optimize_report.onednn_linears
    mlp = optimized.get_submodule(mlp_name)
    assert isinstance(mlp.fc1, OneDNNLinear) and isinstance(mlp.act, nn.Identity)
    assert optimized.state_dict().keys() == model.state_dict().keys()
    paths: list[bool] = []
    mlp.fc1.register_forward_pre_hook(lambda layer, args: paths.append(layer._fused_path_applies(args[0])))
    x = torch.randn(batch, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(3))
    with torch.inference_mode():
        assert (optimized(x) - model(x)).abs().max().item() <= TOLERANCE
    assert paths == [True]  # the input had rows enough for oneDNN's path
    plain = hub.optimize(model, channels_last=False, onednn=False)
    assert plain.hub_optimize_report.onednn_linears == ()
    assert type(plain.get_submodule(f"{mlp_name}.fc1")) is nn.Linear


@pytest.mark.filterwarnings("ignore:`torch.jit.trace")  # deprecated, and still what TorchScript export uses
@pytest.mark.parametrize("activation", ["none", "gelu", "gelu_tanh", "relu"])
def test_a_onednn_linear_computes_linear_then_activation_on_every_path(activation: str) -> None:
    torch.manual_seed(0)
    linear = nn.Linear(24, 40)
    layer = OneDNNLinear(linear, activation)
    assert layer.weight is linear.weight and layer.bias is linear.bias  # shared, not copied
    act = {"none": nn.Identity(), "gelu": nn.GELU(), "gelu_tanh": nn.GELU(approximate="tanh"), "relu": nn.ReLU()}
    x = torch.randn(2, MIN_ROWS // 2, 24)  # rows enough for oneDNN's path
    expected = act[activation](linear(x))
    with torch.inference_mode():
        assert layer._fused_path_applies(x) == onednn_linear_available()
        fused = layer(x)
        assert not layer._fused_path_applies(x[:, :3])  # too few rows to pay for oneDNN: nn.Linear's path
        few = layer(x[:, :3])
    assert (fused - expected).abs().max().item() <= 1e-5
    assert (few - expected[:, :3]).abs().max().item() <= 1e-5
    x.requires_grad_()
    assert not layer._fused_path_applies(x)  # gradients to record: nn.Linear's path
    recorded = layer(x)
    recorded.sum().backward()
    assert torch.allclose(recorded, expected) and x.grad is not None
    doubled = OneDNNLinear(nn.Linear(24, 40).double(), activation)
    assert not doubled._fused_path_applies(x.detach().double()) and doubled(x.detach().double()).dtype == torch.float64
    traced = torch.jit.trace(layer, x.detach())
    assert "mkldnn" not in str(traced.graph) and torch.allclose(traced(x.detach()), expected, atol=1e-5)
    with pytest.raises(ValueError, match="activation must be one of"):
        OneDNNLinear(linear, "swish")
