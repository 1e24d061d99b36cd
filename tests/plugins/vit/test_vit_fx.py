"""ViT traced with hub.fx: the patch embedding's input checks survive tracing, and a model with
``dynamic_img_size`` traced once serves every input size (shrunk models, as in test_vit_args)."""

from __future__ import annotations

import pytest
import torch

import hub
import hub.fx

SHRINK = {"depth": 2, "embed_dim": 192, "num_heads": 3}


def inputs(*sizes: tuple[int, int]) -> list[torch.Tensor]:
    generator = torch.Generator().manual_seed(0)
    return [torch.randn(1, 3, height, width, generator=generator) for height, width in sizes]


def test_a_traced_fixed_size_model_refuses_other_sizes_as_eager_mode_does() -> None:
    model = hub.create_model("deit3_small_patch16_224", img_size=64, **SHRINK).eval()
    traced = hub.fx.symbolic_trace(model)
    (right, wrong) = inputs((64, 64), (64, 80))
    with torch.no_grad():
        torch.testing.assert_close(traced(right), model(right), rtol=0, atol=0)
    message = (
        "input size 64x80 does not match the model's 64x64; build the model with img_size=... or dynamic_img_size=True"
    )
    for module in (model, traced):
        with pytest.raises(ValueError, match=message):
            module(wrong)


@pytest.mark.parametrize("arch", ["vit_tiny_patch16_224", "deit_tiny_distilled_patch16_224"])
def test_dynamic_img_size_traced_once_serves_every_size(arch: str) -> None:
    model = hub.create_model(arch, img_size=64, dynamic_img_size=True, **SHRINK).eval()
    traced = hub.fx.symbolic_trace(model)
    with torch.no_grad():
        for x in inputs((64, 64), (96, 48), (32, 80)):  # the position embedding is resampled for each
            torch.testing.assert_close(traced(x), model(x), rtol=0, atol=0)
    (ragged,) = inputs((64, 70))
    for module in (model, traced):
        with pytest.raises(ValueError, match="input size 64x70 is not a multiple of the patch size 16x16"):
            module(ragged)


def test_dynamic_img_pad_traced_pads_each_size() -> None:
    model = hub.create_model("vit_tiny_patch16_224", img_size=64, dynamic_img_size=True, dynamic_img_pad=True, **SHRINK)
    traced = hub.fx.symbolic_trace(model.eval())
    with torch.no_grad():
        for x in inputs((64, 70), (50, 33)):
            torch.testing.assert_close(traced(x), model(x), rtol=0, atol=0)
