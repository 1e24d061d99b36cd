"""Layers of the Vision Transformer family: patch embedding, attention, MLP, LayerScale, block, attention pools."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from hub.layers import DropPath, input_check, to_2tuple

__all__ = [
    "Attention",
    "Block",
    "LatentAttentionPool",
    "LayerScale",
    "Mlp",
    "PatchEmbed",
    "PatchRefinementPool",
    "layer_norm",
]


def layer_norm(dim: int) -> nn.LayerNorm:
    """The family's LayerNorm (eps 1e-6, as in the original JAX models)."""
    return nn.LayerNorm(dim, eps=1e-6)


class PatchEmbed(nn.Module):
    """Cut the image into non-overlapping patches and project each to ``embed_dim``: (B, C, H, W) -> (B, N, D).

    ``strict_img_size``: inputs must be ``img_size`` (fixed position embedding). Otherwise
    any size works whose sides are multiples of the patch size, or any size at all with
    ``dynamic_img_pad`` (the right and bottom edges are zero-padded to a whole patch).
    """

    def __init__(
        self,
        img_size: int | tuple[int, int],
        patch_size: int | tuple[int, int],
        in_chans: int,
        embed_dim: int,
        *,
        strict_img_size: bool = True,
        dynamic_img_pad: bool = False,
    ) -> None:
        super().__init__()
        self.img_size = to_2tuple(img_size)
        self.patch_size = to_2tuple(patch_size)
        self.grid_size = (self.img_size[0] // self.patch_size[0], self.img_size[1] // self.patch_size[1])
        self.num_patches = self.grid_size[0] * self.grid_size[1]
        self.strict_img_size = strict_img_size
        self.dynamic_img_pad = dynamic_img_pad
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=self.patch_size, stride=self.patch_size)

    def feat_size(self, img_size: tuple[int, int] | torch.Size) -> tuple[int, int]:
        """The token grid (rows, columns) for an input of ``img_size`` (height, width)."""
        ph, pw = self.patch_size
        if self.dynamic_img_pad:  # ceil by floor division, which a traced size supports too
            return -(-img_size[0] // ph), -(-img_size[1] // pw)
        return img_size[0] // ph, img_size[1] // pw

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _check_image_size(x, self.img_size if self.strict_img_size else None, self.patch_size, self.dynamic_img_pad)
        if self.dynamic_img_pad:
            height, width = x.shape[-2:]
            ph, pw = self.patch_size
            x = F.pad(x, (0, -width % pw, 0, -height % ph))
        return self.proj(x).flatten(2).transpose(1, 2)


@input_check
def _check_image_size(
    x: torch.Tensor, img_size: tuple[int, int] | None, patch_size: tuple[int, int], dynamic_img_pad: bool
) -> None:
    """The input is ``img_size`` when that is given; otherwise whole patches, unless padding makes them so."""
    height, width = x.shape[-2:]
    ph, pw = patch_size
    if img_size is not None:
        if (height, width) != img_size:
            raise ValueError(
                f"input size {height}x{width} does not match the model's {img_size[0]}x{img_size[1]}; "
                "build the model with img_size=... or dynamic_img_size=True"
            )
    elif not dynamic_img_pad and (height % ph or width % pw):
        raise ValueError(
            f"input size {height}x{width} is not a multiple of the patch size {ph}x{pw}; "
            "resize the input or build the model with dynamic_img_pad=True"
        )


class Attention(nn.Module):
    """Multi-head self-attention over tokens, one fused qkv projection, computed by scaled_dot_product_attention."""

    def __init__(
        self, dim: int, num_heads: int, *, qkv_bias: bool = True, attn_drop: float = 0.0, proj_drop: float = 0.0
    ) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f"embed_dim {dim} is not divisible by num_heads {num_heads}")
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.attn_drop = attn_drop
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, dim = x.shape
        qkv = self.qkv(x).reshape(batch, tokens, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        x = F.scaled_dot_product_attention(q, k, v, dropout_p=self.attn_drop if self.training else 0.0)
        x = x.transpose(1, 2).reshape(batch, tokens, dim)
        return self.proj_drop(self.proj(x))


class Mlp(nn.Module):
    """The transformer's feed-forward branch: Linear, GELU, Linear (with dropout after each)."""

    def __init__(self, dim: int, hidden_dim: int, *, drop: float = 0.0) -> None:
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden_dim)
        self.act = nn.GELU()
        self.drop1 = nn.Dropout(drop)
        self.fc2 = nn.Linear(hidden_dim, dim)
        self.drop2 = nn.Dropout(drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.drop2(self.fc2(self.drop1(self.act(self.fc1(x)))))


class LayerScale(nn.Module):
    """Per-channel learnt scale of a residual branch (CaiT / DeiT III), starting at ``init_values``."""

    def __init__(self, dim: int, init_values: float) -> None:
        super().__init__()
        self.init_values = init_values
        self.gamma = nn.Parameter(torch.full((dim,), init_values))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.gamma


class Block(nn.Module):
    """Pre-norm transformer block: x + attn(norm(x)), then x + mlp(norm(x)).

    ``init_values`` adds LayerScale to both branches; ``drop_path`` drops whole branches
    per sample while training.
    """

    def __init__(
        self,
        dim: int,
        num_heads: int,
        *,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = True,
        init_values: float | None = None,
        proj_drop: float = 0.0,
        attn_drop: float = 0.0,
        drop_path: float = 0.0,
    ) -> None:
        super().__init__()
        self.norm1 = layer_norm(dim)
        self.attn = Attention(dim, num_heads, qkv_bias=qkv_bias, attn_drop=attn_drop, proj_drop=proj_drop)
        self.ls1 = LayerScale(dim, init_values) if init_values else nn.Identity()
        self.drop_path1 = DropPath(drop_path) if drop_path > 0 else nn.Identity()
        self.norm2 = layer_norm(dim)
        self.mlp = Mlp(dim, int(dim * mlp_ratio), drop=proj_drop)
        self.ls2 = LayerScale(dim, init_values) if init_values else nn.Identity()
        self.drop_path2 = DropPath(drop_path) if drop_path > 0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.drop_path1(self.ls1(self.attn(self.norm1(x))))
        return x + self.drop_path2(self.ls2(self.mlp(self.norm2(x))))


class LatentAttentionPool(nn.Module):
    """Multi-head attention pooling ('map'): a learnt query attends over the tokens, then an MLP refines it.

    (B, N, D) -> (B, D). The layer names are those of timm's ``AttentionPoolLatent``.
    """

    def __init__(self, dim: int, num_heads: int, *, mlp_ratio: float = 4.0) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f"embed_dim {dim} is not divisible by num_heads {num_heads}")
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.latent = nn.Parameter(torch.zeros(1, 1, dim))
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, dim * 2)
        self.proj = nn.Linear(dim, dim)
        self.norm = layer_norm(dim)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, dim = x.shape
        q = self.q(self.latent.expand(batch, -1, -1)).reshape(batch, 1, self.num_heads, self.head_dim).transpose(1, 2)
        kv = self.kv(x).reshape(batch, tokens, 2, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        k, v = kv.unbind(0)
        x = F.scaled_dot_product_attention(q, k, v)
        x = self.proj(x.transpose(1, 2).reshape(batch, 1, dim))
        x = x + self.mlp(self.norm(x))
        return x[:, 0]


class PatchRefinementPool(nn.Module):
    """Parameter-free multi-head self-attention over all tokens, then a pool ('prr', patch representation refinement).

    ``pool_type``: "token" keeps the first (class) token, "avg" averages the tokens.
    """

    def __init__(self, dim: int, num_heads: int, *, pool_type: str = "token") -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f"embed_dim {dim} is not divisible by num_heads {num_heads}")
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.pool_type = pool_type

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, dim = x.shape
        heads = x.reshape(batch, tokens, self.num_heads, self.head_dim).transpose(1, 2)
        x = F.scaled_dot_product_attention(heads, heads, heads).transpose(1, 2).reshape(batch, tokens, dim)
        return x[:, 0] if self.pool_type == "token" else x.mean(1)
