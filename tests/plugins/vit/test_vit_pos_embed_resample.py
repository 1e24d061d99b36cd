"""Pretrained position embeddings made for another image size: the core resamples them as timm does.

Real files, no network: timm's model is built at the source size (random weights) and
saved with safetensors; then timm and hub each load that file into a model built at the
target size, through their own pretrained paths (``pretrained_cfg_overlay=dict(file=...)``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file
from support.timm_oracle import assert_close, sample_input, timm

import hub

# one prefix token in pos_embed; two (class + distillation); none (DeiT III: no_embed_class)
ARCHS = ["vit_tiny_patch16_224", "deit_tiny_distilled_patch16_224", "deit3_small_patch16_224"]
SIZES = [(384, 224), (224, 384), (384, (224, 160))]  # (source size, target size)
DEPTH = 2  # the embedding is what is tested; two blocks keep the 384 px models cheap


def _tokens(size: int | tuple[int, int]) -> int:
    height, width = (size, size) if isinstance(size, int) else size
    return (height // 16) * (width // 16)


@pytest.mark.parametrize("arch", ARCHS)
@pytest.mark.parametrize("source, target", SIZES, ids=lambda s: str(s).replace(" ", ""))
def test_resampled_like_timm(arch: str, source: int, target: int | tuple[int, int], tmp_path: Path) -> None:
    torch.manual_seed(0)
    made = timm.create_model(arch, img_size=source, depth=DEPTH)
    path = tmp_path / "model.safetensors"
    save_file(made.state_dict(), str(path))

    overlay = {"file": str(path)}
    reference = timm.create_model(arch, pretrained=True, img_size=target, depth=DEPTH, pretrained_cfg_overlay=overlay)
    ours = hub.create_model(arch, pretrained=True, img_size=target, depth=DEPTH, pretrained_cfg_overlay=overlay)
    reference.eval()
    ours.eval()

    prefix = 0 if reference.no_embed_class else reference.num_prefix_tokens
    assert made.pos_embed.shape[1] == prefix + _tokens(source)
    assert ours.pos_embed.shape == reference.pos_embed.shape == (1, prefix + _tokens(target), ours.embed_dim)
    assert_close(ours.pos_embed, reference.pos_embed)
    assert_close(ours.pos_embed[:, :prefix], made.pos_embed[:, :prefix])  # prefix tokens kept as they are
    height, width = (target, target) if isinstance(target, int) else target
    x = torch.randn(2, 3, height, width, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        assert_close(ours(x), reference(x))


def test_other_weights_unchanged(tmp_path: Path) -> None:
    torch.manual_seed(0)
    made = timm.create_model("vit_tiny_patch16_224", img_size=384, depth=DEPTH)
    path = tmp_path / "model.safetensors"
    save_file(made.state_dict(), str(path))
    ours = hub.create_model("vit_tiny_patch16_224", pretrained=True, depth=DEPTH, pretrained_cfg_overlay={"file": path})
    assert ours.patch_embed.img_size == (224, 224)  # the cfg's input size
    for name, value in made.state_dict().items():
        if name != "pos_embed":
            assert torch.equal(ours.state_dict()[name], value), name
    assert ours.eval()(sample_input(224)).shape == (2, 1000)
