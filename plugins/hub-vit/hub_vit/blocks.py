"""Transformer blocks of the family, and the patch embedding that feeds them.

`Block` is the pre-norm block of ViT, DeiT, CLIP, SigLIP, DINOv2 and the rest; the others
are the variants a few architectures use: residual post-norm (`ResPostBlock`), attention
and MLP side by side (`ParallelScalingBlock`, `DiffParallelScalingBlock`) and two
attention and two MLP branches per block (`ParallelThingsBlock`). `make_block` builds the
one a variant names, from the same `BlockOptions`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from hub.layers import DropPath, input_check, to_2tuple
from hub_vit.attention import (
    Attention,
    DiffAttention,
    diff_lambda,
    diff_lambda_init,
    diff_lambda_vectors,
    differential_attention,
    head_dim_of,
)
from hub_vit.layers import ActFactory, LayerScale, NormFactory, make_mlp

__all__ = [
    "Block",
    "BlockOptions",
    "DiffParallelScalingBlock",
    "ParallelScalingBlock",
    "ParallelThingsBlock",
    "PatchEmbed",
    "ResPostBlock",
    "make_block",
]


class PatchEmbed(nn.Module):
    """Cut the image into non-overlapping patches and project each to ``embed_dim``: (B, C, H, W) -> (B, N, D).

    ``strict_img_size``: inputs must be ``img_size`` (fixed position embedding). Otherwise
    any size works whose sides are multiples of the patch size, or any size at all with
    ``dynamic_img_pad`` (the right and bottom edges are zero-padded to a whole patch).
    ``bias``: the projection's bias (CLIP towers have none); ``norm``: a norm of the
    patch tokens (AIMv2).
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
        bias: bool = True,
        norm: NormFactory | None = None,
    ) -> None:
        super().__init__()
        self.img_size = to_2tuple(img_size)
        self.patch_size = to_2tuple(patch_size)
        self.grid_size = (self.img_size[0] // self.patch_size[0], self.img_size[1] // self.patch_size[1])
        self.num_patches = self.grid_size[0] * self.grid_size[1]
        self.strict_img_size = strict_img_size
        self.dynamic_img_pad = dynamic_img_pad
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=self.patch_size, stride=self.patch_size, bias=bias)
        self.norm = norm(embed_dim) if norm is not None else nn.Identity()

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
        return self.norm(self.proj(x).flatten(2).transpose(1, 2))


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


@dataclass(frozen=True)
class BlockOptions:
    """How every block of a model is built (the model's arguments of the same names).

    ``norm`` and ``act`` are constructors (`hub_vit.layers.make_norm`, ``make_act``);
    ``mlp_layer`` and ``attn_layer`` name the MLP and the attention. ``scale_attn_norm`` and
    ``scale_mlp_norm`` add norms inside attention and MLP; ``init_values`` adds LayerScale.
    """

    norm: NormFactory
    act: ActFactory
    mlp_ratio: float = 4.0
    qkv_bias: bool = True
    qk_norm: bool = False
    scale_attn_norm: bool = False
    scale_mlp_norm: bool = False
    proj_bias: bool = True
    init_values: float | None = None
    proj_drop: float = 0.0
    attn_drop: float = 0.0
    mlp_layer: str = "mlp"
    attn_layer: str = "attn"

    def attention(self, dim: int, num_heads: int, index: int) -> nn.Module:
        """The self-attention of the block at ``index`` (differential attention depends on it)."""
        common: dict[str, Any] = {
            "qkv_bias": self.qkv_bias,
            "qk_norm": self.qk_norm,
            "scale_norm": self.scale_attn_norm,
            "proj_bias": self.proj_bias,
            "attn_drop": self.attn_drop,
            "proj_drop": self.proj_drop,
            "norm": self.norm,
        }
        if self.attn_layer == "diff":
            return DiffAttention(dim, num_heads, index=index, **common)
        return Attention(dim, num_heads, **common)

    def mlp(self, dim: int) -> nn.Module:
        return make_mlp(self.mlp_layer)(
            dim,
            int(dim * self.mlp_ratio),
            act=self.act,
            norm=self.norm if self.scale_mlp_norm else None,
            bias=self.proj_bias,
            drop=self.proj_drop,
        )

    def layer_scale(self, dim: int) -> nn.Module:
        return LayerScale(dim, self.init_values) if self.init_values else nn.Identity()


def _drop_path(rate: float) -> nn.Module:
    return DropPath(rate) if rate > 0 else nn.Identity()


class Block(nn.Module):
    """Pre-norm transformer block: x + attn(norm(x)), then x + mlp(norm(x)).

    LayerScale on both branches when ``options.init_values`` is set; ``drop_path`` drops
    whole branches per sample while training.
    """

    def __init__(
        self, dim: int, num_heads: int, options: BlockOptions, *, drop_path: float = 0.0, index: int = 0
    ) -> None:
        super().__init__()
        self.norm1 = options.norm(dim)
        self.attn = options.attention(dim, num_heads, index)
        self.ls1 = options.layer_scale(dim)
        self.drop_path1 = _drop_path(drop_path)
        self.norm2 = options.norm(dim)
        self.mlp = options.mlp(dim)
        self.ls2 = options.layer_scale(dim)
        self.drop_path2 = _drop_path(drop_path)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.drop_path1(self.ls1(self.attn(self.norm1(x))))
        return x + self.drop_path2(self.ls2(self.mlp(self.norm2(x))))


class ResPostBlock(nn.Module):
    """Residual post-norm block: x + norm(attn(x)), then x + norm(mlp(x)) (the norms start at ``init_values``)."""

    def __init__(
        self, dim: int, num_heads: int, options: BlockOptions, *, drop_path: float = 0.0, index: int = 0
    ) -> None:
        super().__init__()
        self.init_values = options.init_values
        self.attn = options.attention(dim, num_heads, index)
        self.norm1 = options.norm(dim)
        self.drop_path1 = _drop_path(drop_path)
        self.mlp = options.mlp(dim)
        self.norm2 = options.norm(dim)
        self.drop_path2 = _drop_path(drop_path)
        self.init_weights()

    @torch.no_grad()
    def init_weights(self) -> None:
        """The residual norms' scales start at ``init_values``, so each branch starts nearly silent."""
        if self.init_values is not None:
            for norm in (self.norm1, self.norm2):
                nn.init.constant_(norm.get_parameter("weight"), self.init_values)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.drop_path1(self.norm1(self.attn(x)))
        return x + self.drop_path2(self.norm2(self.mlp(x)))


class _ParallelInput(nn.Module):
    """The front the parallel blocks share: one norm and one projection that makes the MLP's hidden
    features and q, k, v at once. Without ``qkv_bias`` the MLP's first bias is a parameter of
    its own (``mlp_bias``). Queries and keys come in ``head_split`` parts per head.

    A subclass calls `_add_input` first (the state dict's order), then adds its outputs.
    """

    head_split = 1

    def _add_input(self, dim: int, num_heads: int, options: BlockOptions) -> int:
        """Add the input layers; returns the MLP's hidden width."""
        _check_parallel_options(options)
        self.num_heads = num_heads
        self.head_dim = head_dim_of(dim, num_heads) // self.head_split
        self.attn_drop = options.attn_drop
        mlp_hidden = int(options.mlp_ratio * dim)
        self.in_split = [mlp_hidden, dim, dim, dim]
        self.in_norm = options.norm(dim)
        self.in_proj = nn.Linear(dim, mlp_hidden + 3 * dim, bias=options.qkv_bias)
        self.mlp_bias = None if options.qkv_bias else nn.Parameter(torch.zeros(mlp_hidden))
        self.q_norm = options.norm(self.head_dim) if options.qk_norm else nn.Identity()
        self.k_norm = options.norm(self.head_dim) if options.qk_norm else nn.Identity()
        return mlp_hidden

    def _inputs(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """(MLP hidden features, q, k, v): q and k (B, heads x split, N, head_dim), v (B, heads, N, split x head_dim)."""
        batch, tokens, _ = x.shape
        x_mlp, q, k, v = torch.split(self.in_proj(self.in_norm(x)), self.in_split, dim=-1)
        if self.mlp_bias is not None:
            x_mlp = x_mlp + self.mlp_bias
        parts = self.head_split * self.num_heads
        q = self.q_norm(q.reshape(batch, tokens, parts, self.head_dim).transpose(1, 2))
        k = self.k_norm(k.reshape(batch, tokens, parts, self.head_dim).transpose(1, 2))
        v = v.reshape(batch, tokens, self.num_heads, self.head_split * self.head_dim).transpose(1, 2)
        return x_mlp, q, k, v

    @property
    def _dropout_p(self) -> float:
        return self.attn_drop if self.training else 0.0


def _parallel_layer_scale(dim: int, options: BlockOptions) -> nn.Module:
    # unlike the other blocks, LayerScale whenever init_values is given, 0 included
    return LayerScale(dim, options.init_values) if options.init_values is not None else nn.Identity()


class ParallelScalingBlock(_ParallelInput):
    """Attention and MLP side by side from one norm and one input projection (ViT-22B).

    The two branches are projected back separately and summed into one residual, with
    LayerScale when ``init_values`` is not None.
    """

    def __init__(
        self, dim: int, num_heads: int, options: BlockOptions, *, drop_path: float = 0.0, index: int = 0
    ) -> None:
        super().__init__()
        mlp_hidden = self._add_input(dim, num_heads, options)
        self.mlp_drop = nn.Dropout(options.proj_drop)
        self.mlp_act = options.act()
        self.attn_out_proj = nn.Linear(dim, dim, bias=options.proj_bias)
        self.mlp_out_proj = nn.Linear(mlp_hidden, dim, bias=options.proj_bias)
        self.ls = _parallel_layer_scale(dim, options)
        self.drop_path = _drop_path(drop_path)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, dim = x.shape
        x_mlp, q, k, v = self._inputs(x)
        x_attn = F.scaled_dot_product_attention(q, k, v, dropout_p=self._dropout_p)
        x_attn = x_attn.transpose(1, 2).reshape(batch, tokens, dim)
        y = self.attn_out_proj(x_attn) + self.mlp_out_proj(self.mlp_drop(self.mlp_act(x_mlp)))
        return x + self.drop_path(self.ls(y))


class DiffParallelScalingBlock(_ParallelInput):
    """`ParallelScalingBlock` with differential attention (see `hub_vit.attention.DiffAttention`).

    The attention output and the MLP's hidden features are concatenated and projected
    back together (``out_proj``).
    """

    head_split = 2

    def __init__(
        self, dim: int, num_heads: int, options: BlockOptions, *, drop_path: float = 0.0, index: int = 0
    ) -> None:
        super().__init__()
        mlp_hidden = self._add_input(dim, num_heads, options)
        self.lambda_init = diff_lambda_init(index)
        self.sub_norm = nn.RMSNorm(2 * self.head_dim, eps=1e-5)
        self.lambda_q1, self.lambda_k1, self.lambda_q2, self.lambda_k2 = diff_lambda_vectors(self.head_dim)
        self.mlp_drop = nn.Dropout(options.proj_drop)
        self.mlp_act = options.act()
        self.out_proj = nn.Linear(dim + mlp_hidden, dim, bias=options.proj_bias)
        self.ls = _parallel_layer_scale(dim, options)
        self.drop_path = _drop_path(drop_path)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, dim = x.shape
        x_mlp, q, k, v = self._inputs(x)
        lambda_full = diff_lambda(self.lambda_q1, self.lambda_k1, self.lambda_q2, self.lambda_k2, self.lambda_init)
        x_attn = differential_attention(q, k, v, lambda_full.type_as(q), self._dropout_p)
        x_attn = (self.sub_norm(x_attn) * (1 - self.lambda_init)).transpose(1, 2).reshape(batch, tokens, dim)
        y = self.out_proj(torch.cat((x_attn, self.mlp_drop(self.mlp_act(x_mlp))), dim=-1))
        return x + self.drop_path(self.ls(y))


def _check_parallel_options(options: BlockOptions) -> None:
    if options.scale_attn_norm or options.scale_mlp_norm:
        raise ValueError(
            "parallel blocks have no norms inside attention or MLP: scale_attn_norm and "
            "scale_mlp_norm must be False with block_fn='parallel_scaling' or 'diff_parallel_scaling'"
        )
    if options.mlp_layer != "mlp" or options.attn_layer != "attn":
        raise ValueError(
            "parallel blocks fuse their own attention and MLP: use mlp_layer='mlp' and "
            "attn_layer='attn' with block_fn='parallel_scaling' or 'diff_parallel_scaling'"
        )


class ParallelThingsBlock(nn.Module):
    """Two attention branches, summed into one residual, then two MLP branches (Touvron et al., 2022).

    Each branch is norm, layer, LayerScale and drop path in an ``nn.Sequential``.
    """

    num_parallel = 2

    def __init__(
        self, dim: int, num_heads: int, options: BlockOptions, *, drop_path: float = 0.0, index: int = 0
    ) -> None:
        super().__init__()
        self.attns = nn.ModuleList(
            nn.Sequential(
                OrderedDict(
                    norm=options.norm(dim),
                    attn=options.attention(dim, num_heads, index),
                    ls=options.layer_scale(dim),
                    drop_path=_drop_path(drop_path),
                )
            )
            for _ in range(self.num_parallel)
        )
        self.ffns = nn.ModuleList(
            nn.Sequential(
                OrderedDict(
                    norm=options.norm(dim),
                    mlp=options.mlp(dim),
                    ls=options.layer_scale(dim),
                    drop_path=_drop_path(drop_path),
                )
            )
            for _ in range(self.num_parallel)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + torch.stack([branch(x) for branch in self.attns]).sum(dim=0)
        return x + torch.stack([branch(x) for branch in self.ffns]).sum(dim=0)


BlockClass = Callable[..., nn.Module]
_BLOCKS: dict[str, BlockClass] = {
    "block": Block,
    "res_post": ResPostBlock,
    "parallel_scaling": ParallelScalingBlock,
    "diff_parallel_scaling": DiffParallelScalingBlock,
    "parallel_things": ParallelThingsBlock,
}


def make_block(
    kind: str, dim: int, num_heads: int, options: BlockOptions, *, drop_path: float = 0.0, index: int = 0
) -> nn.Module:
    """The block named ``kind`` (see `hub_vit._variants.BLOCK_FNS`) at position ``index`` of the stack."""
    return _BLOCKS[kind](dim, num_heads, options, drop_path=drop_path, index=index)
