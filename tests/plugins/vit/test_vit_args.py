"""The family's own arguments and methods against timm, on shrunk models of each kind.

Kinds: plain ViT (class token in the position embedding), DeiT III (no_embed_class,
LayerScale) and DeiT distilled (two prefix tokens, two heads). Each is built 4 blocks
deep, 192 wide, for 96-pixel inputs (a 6x6 token grid) unless a test needs otherwise:
the code paths are those of the full models, at a fraction of the cost.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch
from support.timm_oracle import assert_close, on_meta, random_state, sample_input, timm, timm_and_hub

import hub

VIT = "vit_tiny_patch16_224"
DEIT3 = "deit3_small_patch16_224"
DISTILLED = "deit_tiny_distilled_patch16_224"
KINDS = [VIT, DEIT3, DISTILLED]
POOLS = ["token", "avg", "avgmax", "max", "", "map", "prr"]
SIZE = 96
SHRINK = {"depth": 4, "embed_dim": 192, "num_heads": 3, "img_size": SIZE}


def pair(arch: str, **kwargs: Any) -> tuple[torch.nn.Module, torch.nn.Module]:
    """timm's shrunk model and ours with its weights (``kwargs`` override the shrink)."""
    return timm_and_hub(arch, **{**SHRINK, **kwargs})


def small_input(batch: int = 2, channels: int = 3) -> torch.Tensor:
    return sample_input(SIZE, channels=channels, batch=batch)


def compare(reference: torch.nn.Module, ours: torch.nn.Module, x: torch.Tensor) -> None:
    """forward, forward_features and pre-logits agree."""
    with torch.no_grad():
        expected_tokens = reference.forward_features(x)
        assert_close(ours.forward_features(x), expected_tokens)
        assert_close(ours(x), reference(x))
        assert_close(
            ours.forward_head(expected_tokens, pre_logits=True),
            reference.forward_head(expected_tokens, pre_logits=True),
        )


@pytest.mark.parametrize("arch", KINDS)
def test_forward_and_real_build(arch: str) -> None:
    # ours built for real (initialised), then strict-loaded with timm's weights
    reference, ours = pair(arch)
    compare(reference, ours, small_input())


@pytest.mark.parametrize("pool", POOLS)
def test_global_pool(pool: str) -> None:
    reference, ours = pair(VIT, global_pool=pool)
    assert [k for k in ours.state_dict()] == [k for k in reference.state_dict()]
    compare(reference, ours, small_input())


@pytest.mark.parametrize("pool", ["avg", "map", "prr"])
def test_global_pool_without_class_token(pool: str) -> None:
    reference, ours = pair(DEIT3, global_pool=pool, class_token=False, num_classes=7)
    compare(reference, ours, small_input())


def test_invalid_global_pool() -> None:
    with pytest.raises(ValueError, match="'avg'.*'token'"):
        hub.create_model(VIT, global_pool="mean")
    with pytest.raises(ValueError, match="class token"):
        hub.create_model(VIT, global_pool="token", class_token=False)
    with pytest.raises(ValueError, match="'token'"):
        hub.create_model(DISTILLED, global_pool="avg")
    model = hub.create_model(VIT)
    with pytest.raises(ValueError, match="global_pool"):
        model.reset_classifier(10, "gem")
    with pytest.raises(ValueError, match="map"):
        model.reset_classifier(10, "map")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"reg_tokens": 4},
        {"reg_tokens": 2, "no_embed_class": True},
        {"reg_tokens": 3, "class_token": False, "global_pool": "avg"},
        {"class_token": False, "global_pool": "avg"},
        {"global_pool": "avg", "pool_include_prefix": True, "fc_norm": False},
        {"init_values": 1e-5, "mlp_ratio": 2.0, "qkv_bias": False},
    ],
    ids=lambda kw: ",".join(f"{k}={v}" for k, v in kw.items()),
)
def test_token_layout_args(kwargs: dict[str, Any]) -> None:
    reference, ours = pair(VIT, **kwargs)
    assert ours.num_prefix_tokens == reference.num_prefix_tokens
    compare(reference, ours, small_input())
    with torch.no_grad():
        got = ours.forward_intermediates(small_input(), indices=2, return_prefix_tokens=True, norm=True)
        expected = reference.forward_intermediates(small_input(), indices=2, return_prefix_tokens=True, norm=True)
    assert_close(got[0], expected[0])
    for (ours_map, ours_prefix), (ref_map, ref_prefix) in zip(got[1], expected[1], strict=True):
        assert_close(ours_map, ref_map)
        assert_close(ours_prefix, ref_prefix)


def _timm_layers(**kwargs: Any) -> dict[str, Any]:
    """timm's arguments for hub's layer choices: classes and norm partials where hub takes names."""
    import functools

    from timm.layers import LayerNorm, Mlp, RmsNorm, SwiGLU, SwiGLUPacked
    from timm.models import vision_transformer as vt

    classes = {
        "mlp_layer": {"mlp": Mlp, "swiglu": SwiGLU, "swiglu_packed": SwiGLUPacked},
        "block_fn": {
            "block": vt.Block,
            "res_post": vt.ResPostBlock,
            "parallel_scaling": vt.ParallelScalingBlock,
            "diff_parallel_scaling": vt.DiffParallelScalingBlock,
            "parallel_things": vt.ParallelThingsBlock,
        },
    }
    out = {k: classes[k][v] if k in classes else v for k, v in kwargs.items() if k not in ("norm_eps", "embed_norm")}
    norm = {"layernorm": LayerNorm, "rmsnorm": RmsNorm}[kwargs.get("norm_layer", "layernorm")]
    out["norm_layer"] = functools.partial(norm, eps=kwargs.get("norm_eps", 1e-6))
    if kwargs.get("embed_norm"):
        out["embed_norm_layer"] = out["norm_layer"]
    return out


@pytest.mark.parametrize(
    "kwargs",
    [
        {"act_layer": "quick_gelu", "pre_norm": True, "norm_eps": 1e-5},
        {"act_layer": "gelu_tanh", "class_token": False, "global_pool": "map"},
        {"norm_layer": "rmsnorm", "qk_norm": True, "block_fn": "parallel_scaling", "qkv_bias": False},
        {"block_fn": "diff_parallel_scaling", "init_values": 1e-5, "reg_tokens": 1},
        {"attn_layer": "diff", "init_values": 1e-5},
        {"block_fn": "res_post", "init_values": 1e-5, "class_token": False, "global_pool": "avg"},
        {"block_fn": "parallel_things", "init_values": 1e-5},
        {"mlp_layer": "swiglu", "act_layer": "silu", "proj_bias": False, "embed_norm": True, "norm_layer": "rmsnorm"},
        {"mlp_layer": "swiglu_packed", "act_layer": "silu", "mlp_ratio": 16 / 3},
        {"scale_attn_norm": True, "scale_mlp_norm": True, "global_pool": "avg", "norm_eps": 1e-5},
        {"final_norm": False, "reg_tokens": 2, "no_embed_class": True},
    ],
    ids=lambda kw: ",".join(f"{k}={v}" for k, v in kw.items()),
)
def test_layer_choices(kwargs: dict[str, Any]) -> None:
    """Each layer a variant may name, chosen as a builder argument, gives timm's model for timm's equivalent."""
    torch.manual_seed(0)
    reference = timm.create_model(VIT, **SHRINK, **_timm_layers(**kwargs)).eval()
    ours = hub.create_model(VIT, **SHRINK, **kwargs).eval()
    assert [k for k in ours.state_dict()] == [k for k in reference.state_dict()]
    ours.load_state_dict(random_state(reference), strict=True)
    reference.load_state_dict(ours.state_dict(), strict=True)
    compare(reference, ours, small_input())


def test_layer_choices_are_checked() -> None:
    with pytest.raises(ValueError, match="block_fn must be one of 'block', 'res_post'"):
        hub.create_model(VIT, block_fn="cait")
    with pytest.raises(ValueError, match="divisible by 6, for 3 heads"):
        hub.create_model(VIT, attn_layer="diff", embed_dim=9 * 3, num_heads=3)
    with pytest.raises(ValueError, match="scale_attn_norm and scale_mlp_norm must be False"):
        hub.create_model(VIT, block_fn="parallel_scaling", scale_attn_norm=True)


def test_distilled_rejects_other_token_layouts() -> None:
    with pytest.raises(ValueError, match="register"):
        hub.create_model(DISTILLED, reg_tokens=2)


@pytest.mark.parametrize("arch", KINDS)
@pytest.mark.parametrize("img_size", [64, (64, 112)], ids=["64", "64x112"])
def test_img_size(arch: str, img_size: int | tuple[int, int]) -> None:
    reference, ours = pair(arch, img_size=img_size)
    assert ours.pos_embed.shape == reference.pos_embed.shape
    height, width = (img_size, img_size) if isinstance(img_size, int) else img_size
    x = torch.randn(2, 3, height, width, generator=torch.Generator().manual_seed(1))
    compare(reference, ours, x)
    assert ours.pos_embed_grids()["pos_embed"].grid_size == (height // 16, width // 16)
    with pytest.raises(ValueError, match="img_size"):
        ours(small_input())


@pytest.mark.parametrize("arch", KINDS)
def test_dynamic_img_size(arch: str) -> None:
    reference, ours = pair(arch, dynamic_img_size=True)
    for height, width in [(96, 96), (64, 64), (80, 48)]:
        x = torch.randn(1, 3, height, width, generator=torch.Generator().manual_seed(height + width))
        compare(reference, ours, x)
        with torch.no_grad():
            got = ours.forward_intermediates(x, indices=[0, -1], intermediates_only=True)
            expected = reference.forward_intermediates(x, indices=[0, -1], intermediates_only=True)
        assert got[0].shape == (1, ours.embed_dim, height // 16, width // 16)
        assert_close(got, expected)
    with pytest.raises(ValueError, match="multiple of the patch size"):
        ours(sample_input(100))


def test_dynamic_img_pad() -> None:
    reference, ours = pair(DEIT3, dynamic_img_size=True, dynamic_img_pad=True)
    x = torch.randn(1, 3, 90, 70, generator=torch.Generator().manual_seed(3))
    compare(reference, ours, x)
    with torch.no_grad():
        got = ours.forward_intermediates(x, indices=1, intermediates_only=True)
        expected = reference.forward_intermediates(x, indices=1, intermediates_only=True)
    assert got[0].shape[-2:] == (6, 5)
    assert_close(got, expected)


@pytest.mark.parametrize("arch", KINDS)
def test_drop_path_and_dropout_in_train_mode(arch: str) -> None:
    args = {"drop_path_rate": 0.2, "drop_rate": 0.1, "proj_drop_rate": 0.1, "attn_drop_rate": 0.1}
    reference, ours = pair(arch, **args)
    assert [type(b.drop_path1).__name__ for b in ours.blocks] == [type(b.drop_path1).__name__ for b in reference.blocks]
    reference.train()
    ours.train()
    x = small_input()
    torch.manual_seed(7)
    expected = reference(x)
    torch.manual_seed(7)
    got = ours(x)
    assert_close(got, expected, atol=1e-5, rtol=1e-4)
    torch.manual_seed(8)
    again = ours(x)
    assert not torch.allclose(again, got), "dropout and drop path should change the training output"
    got.sum().backward()
    assert ours.pos_embed.grad is not None and ours.blocks[0].attn.qkv.weight.grad is not None


@pytest.mark.parametrize("arch", KINDS)
def test_grad_checkpointing(arch: str) -> None:
    reference, ours = pair(arch)
    x = small_input()
    plain = ours(x)
    plain.square().mean().backward()
    grads = {name: p.grad.clone() for name, p in ours.named_parameters()}
    ours.zero_grad()
    ours.set_grad_checkpointing(True)
    assert ours.grad_checkpointing
    checkpointed = ours(x)
    checkpointed.square().mean().backward()
    assert_close(checkpointed, plain)
    for name, p in ours.named_parameters():
        assert_close(p.grad, grads[name])
    with torch.no_grad():
        assert_close(ours(x), reference(x))
        got = ours.forward_intermediates(x, indices=2)
        assert_close(got, reference.forward_intermediates(x, indices=2))


@pytest.mark.parametrize("arch", KINDS)
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"indices": 3, "norm": True},
        {"indices": [0, -1], "output_fmt": "NLC"},
        {"indices": [1, 2], "stop_early": True, "intermediates_only": True},
        {"indices": 2, "return_prefix_tokens": True},
        {"indices": [2], "return_prefix_tokens": True, "output_dict": True},
        {"indices": [2], "output_dict": True, "intermediates_only": True, "output_fmt": "NLC"},
    ],
    ids=lambda kw: ",".join(f"{k}={v}" for k, v in kw.items()) or "default",
)
def test_forward_intermediates(arch: str, kwargs: dict[str, Any]) -> None:
    reference, ours = pair(arch)
    x = small_input()
    with torch.no_grad():
        got = ours.forward_intermediates(x, **kwargs)
        expected = reference.forward_intermediates(x, **kwargs)
    _assert_nested_close(got, expected)


def _assert_nested_close(got: Any, expected: Any) -> None:
    assert type(got) is type(expected)
    if isinstance(expected, dict):
        assert list(got) == list(expected)
        for key in expected:
            _assert_nested_close(got[key], expected[key])
    elif isinstance(expected, (list, tuple)):
        assert len(got) == len(expected)
        for a, e in zip(got, expected, strict=True):
            _assert_nested_close(a, e)
    else:
        assert_close(got, expected)


def test_forward_intermediates_errors() -> None:
    model = hub.create_model(VIT, **SHRINK).eval()
    x = small_input()
    with pytest.raises(ValueError, match="NCHW"):
        model.forward_intermediates(x, output_fmt="NHWC")
    with pytest.raises(ValueError, match="-4 to 3"):
        model.forward_intermediates(x, indices=[4])
    with pytest.raises(ValueError, match="-4 to 3"):
        hub.create_model(VIT, features_only=True, out_indices=(0, 4), **SHRINK)


@pytest.mark.parametrize("arch", KINDS)
def test_prune_intermediate_layers(arch: str) -> None:
    reference, ours = pair(arch)
    x = small_input()
    assert ours.prune_intermediate_layers([0, -2], prune_norm=True) == reference.prune_intermediate_layers(
        [0, -2], prune_norm=True
    )
    assert len(ours.blocks) == len(reference.blocks) == 3
    assert isinstance(ours.norm, torch.nn.Identity) and ours.num_classes == 0
    assert [k for k in ours.state_dict()] == [k for k in reference.state_dict()]
    with torch.no_grad():
        assert_close(
            ours.forward_intermediates(x, indices=[0, 2], intermediates_only=True),
            reference.forward_intermediates(x, indices=[0, 2], intermediates_only=True),
        )
        assert_close(ours(x), reference(x))


def test_features_only_getter_with_negative_indices() -> None:
    reference = timm.create_model(DISTILLED, features_only=True, out_indices=(-3, -1), **SHRINK).eval()
    ours = hub.create_model(DISTILLED, features_only=True, out_indices=(-3, -1), **SHRINK).eval()
    ours.load_state_dict(reference.state_dict(), strict=True)
    assert ours.feature_info.module_name() == reference.feature_info.module_name() == ["blocks.1", "blocks.3"]
    x = small_input()
    with torch.no_grad():
        assert_close(ours(x), reference(x))


@pytest.mark.parametrize("arch", [VIT, DEIT3])
def test_reset_classifier(arch: str) -> None:
    reference, ours = pair(arch)
    for num_classes, pool in [(10, "avg"), (0, None), (5, "token"), (3, "")]:
        reference.reset_classifier(num_classes, pool)
        ours.reset_classifier(num_classes, pool)
        assert ours.num_classes == num_classes and ours.global_pool == reference.global_pool
        if num_classes:
            ours.head.load_state_dict(reference.head.state_dict())
        assert type(ours.get_classifier()) is type(reference.get_classifier())
        compare(reference, ours, small_input())


def test_reset_classifier_removes_attention_pool() -> None:
    reference, ours = pair(VIT, global_pool="map")
    reference.reset_classifier(4, "avg")
    ours.reset_classifier(4, "avg")
    assert ours.attn_pool is None
    ours.head.load_state_dict(reference.head.state_dict())
    assert [k for k in ours.state_dict()] == [k for k in reference.state_dict()]
    compare(reference, ours, small_input())


def test_distilled_heads() -> None:
    reference, ours = pair(DISTILLED)
    assert len(ours.get_classifier()) == 2
    x = small_input()
    with torch.no_grad():
        tokens = ours.forward_features(x)
        mean = (ours.head(tokens[:, 0]) + ours.head_dist(tokens[:, 1])) / 2
        assert_close(ours(x), mean)  # eval: the mean of both heads
        # training without distilled training: still the mean
        ours.train()
        reference.train()
        assert_close(ours(x), mean)
        # distilled training: both logits, as timm returns them
        ours.set_distilled_training(True)
        reference.set_distilled_training(True)
        got, expected = ours(x), reference(x)
        assert isinstance(got, tuple) and len(got) == 2
        assert_close(list(got), list(expected))
        ours.eval()
        assert_close(ours(x), mean)  # averaged again in eval
    ours.reset_classifier(10)
    assert ours.head.out_features == ours.head_dist.out_features == 10
    with pytest.raises(ValueError, match="distillation"):
        ours.reset_classifier(10, "avg")


def test_no_weight_decay() -> None:
    for arch in KINDS:
        with on_meta():
            ours = hub.create_model(arch)
            reference = timm.create_model(arch)
        assert ours.no_weight_decay() == reference.no_weight_decay()


@pytest.mark.parametrize("arch", KINDS)
def test_pretrained_adaptation(arch: str) -> None:
    """Through the core's pretrained path: new classes (both heads when distilled), one input channel."""
    torch.manual_seed(0)
    reference = timm.create_model(arch, **SHRINK).eval()
    overlay = {"state_dict": reference.state_dict()}
    ours = hub.create_model(arch, pretrained=True, num_classes=10, in_chans=1, pretrained_cfg_overlay=overlay, **SHRINK)
    assert ours.num_classes == 10 and ours.patch_embed.proj.in_channels == 1
    for head in ours.get_classifier() if arch == DISTILLED else [ours.get_classifier()]:
        assert head.out_features == 10 and not head.weight.is_meta
    assert_close(ours.patch_embed.proj.weight, reference.patch_embed.proj.weight.sum(1, keepdim=True))
    assert ours.eval()(small_input(channels=1)).shape == (2, 10)


@pytest.mark.parametrize("arch", KINDS)
def test_builds_on_meta_without_buffers(arch: str) -> None:
    builder = hub._listing.get_model_entry(arch).load_builder()
    with torch.device("meta"):  # initialisers included
        model = builder(num_classes=5, drop_path_rate=0.1)
    assert all(p.is_meta for p in model.parameters())
    assert not list(model.buffers())
