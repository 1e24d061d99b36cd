"""Attention layers of the family: self-attention, differential attention and the attention pools."""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from hub_vit.layers import ActFactory, Mlp, NormFactory

__all__ = [
    "Attention",
    "DiffAttention",
    "LatentAttentionPool",
    "PatchRefinementPool",
    "diff_lambda",
    "diff_lambda_init",
    "diff_lambda_vectors",
    "differential_attention",
    "head_dim_of",
]


def head_dim_of(dim: int, num_heads: int) -> int:
    """The width of one head; ``dim`` must split evenly into ``num_heads``."""
    if dim % num_heads:
        raise ValueError(f"embed_dim {dim} is not divisible by num_heads {num_heads}")
    return dim // num_heads


class Attention(nn.Module):
    """Multi-head self-attention over tokens, one fused qkv projection, computed by scaled_dot_product_attention.

    ``qk_norm``: queries and keys normalised per head; ``scale_norm``: the attention output
    normalised before the projection (BEiT-3's sub-LN). Both use ``norm``.
    """

    head_split = 1  # a head's queries and keys come in this many parts of head_dim each

    def __init__(
        self,
        dim: int,
        num_heads: int,
        *,
        qkv_bias: bool = True,
        qk_norm: bool = False,
        scale_norm: bool = False,
        proj_bias: bool = True,
        attn_drop: float = 0.0,
        proj_drop: float = 0.0,
        norm: NormFactory = nn.LayerNorm,
    ) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = head_dim_of(dim, num_heads) // self.head_split
        self.attn_drop = attn_drop
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.q_norm = norm(self.head_dim) if qk_norm else nn.Identity()
        self.k_norm = norm(self.head_dim) if qk_norm else nn.Identity()
        self.norm = norm(dim) if scale_norm else nn.Identity()
        self.proj = nn.Linear(dim, dim, bias=proj_bias)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, dim = x.shape
        qkv = self.qkv(x).reshape(batch, tokens, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        q, k = self.q_norm(q), self.k_norm(k)
        x = F.scaled_dot_product_attention(q, k, v, dropout_p=self.attn_drop if self.training else 0.0)
        x = self.norm(x.transpose(1, 2).reshape(batch, tokens, dim))
        return self.proj_drop(self.proj(x))


def diff_lambda_init(index: int) -> float:
    """Differential attention's fixed part of lambda for the block at ``index`` (0-based): 0.8 - 0.6 exp(-0.3 index)."""
    return 0.8 - 0.6 * math.exp(-0.3 * index)


class DiffAttention(Attention):
    """Differential attention (Ye et al., 2024): the difference of two softmax maps, the second scaled by a learnt lambda.

    Each head's queries and keys are split in two halves of ``head_dim``; lambda is
    ``exp(q1 . k1) - exp(q2 . k2) + lambda_init`` from four learnt vectors, with
    ``lambda_init`` fixed by the block's ``index``. Each head's output is RMS-normalised
    and scaled by ``1 - lambda_init``. The other arguments are `Attention`'s.
    """

    head_split = 2

    def __init__(self, dim: int, num_heads: int, *, index: int = 0, **options: Any) -> None:
        super().__init__(dim, num_heads, **options)
        self.lambda_init = diff_lambda_init(index)
        self.lambda_q1, self.lambda_k1, self.lambda_q2, self.lambda_k2 = diff_lambda_vectors(self.head_dim)
        self.sub_norm = nn.RMSNorm(2 * self.head_dim, eps=1e-5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, dim = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=2)
        q = self.q_norm(q.reshape(batch, tokens, 2 * self.num_heads, self.head_dim).transpose(1, 2))
        k = self.k_norm(k.reshape(batch, tokens, 2 * self.num_heads, self.head_dim).transpose(1, 2))
        v = v.reshape(batch, tokens, self.num_heads, 2 * self.head_dim).transpose(1, 2)
        lambda_full = diff_lambda(self.lambda_q1, self.lambda_k1, self.lambda_q2, self.lambda_k2, self.lambda_init)
        x = differential_attention(q, k, v, lambda_full.type_as(q), self.attn_drop if self.training else 0.0)
        x = self.sub_norm(x) * (1 - self.lambda_init)
        x = self.norm(x.transpose(1, 2).reshape(batch, tokens, dim))
        return self.proj_drop(self.proj(x))


def diff_lambda_vectors(head_dim: int) -> tuple[nn.Parameter, ...]:
    """The four learnt vectors (q1, k1, q2, k2) that make differential attention's lambda."""
    vectors = tuple(nn.Parameter(torch.empty(head_dim, dtype=torch.float32)) for _ in range(4))
    for vector in vectors:
        nn.init.normal_(vector, std=0.1)
    return vectors


def diff_lambda(
    q1: torch.Tensor, k1: torch.Tensor, q2: torch.Tensor, k2: torch.Tensor, lambda_init: float
) -> torch.Tensor:
    return torch.exp(torch.sum(q1 * k1, dim=-1).float()) - torch.exp(torch.sum(q2 * k2, dim=-1).float()) + lambda_init


def differential_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, lambda_full: torch.Tensor, dropout_p: float
) -> torch.Tensor:
    """q, k: (B, 2H, N, d), the two halves of each head adjacent; v: (B, H, N, 2d). Returns (B, H, N, 2d)."""
    batch, double_heads, tokens, head_dim = q.shape
    q = q.reshape(batch, double_heads // 2, 2, tokens, head_dim)
    k = k.reshape(batch, double_heads // 2, 2, tokens, head_dim)
    q1, q2 = q.unbind(2)
    k1, k2 = k.unbind(2)
    first = F.scaled_dot_product_attention(q1, k1, v, dropout_p=dropout_p)
    second = F.scaled_dot_product_attention(q2, k2, v, dropout_p=dropout_p)
    return first - lambda_full * second


class LatentAttentionPool(nn.Module):
    """Multi-head attention pooling ('map'): a learnt query attends over the tokens, then an MLP refines it.

    (B, N, D) -> (B, D). The layer names are those of timm's ``AttentionPoolLatent``;
    ``norm`` and ``act`` are the model's.
    """

    def __init__(
        self,
        dim: int,
        num_heads: int,
        *,
        mlp_ratio: float = 4.0,
        norm: NormFactory = nn.LayerNorm,
        act: ActFactory = nn.GELU,
    ) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = head_dim_of(dim, num_heads)
        self.latent = nn.Parameter(torch.zeros(1, 1, dim))
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, dim * 2)
        self.proj = nn.Linear(dim, dim)
        self.norm = norm(dim)
        self.mlp = Mlp(dim, int(dim * mlp_ratio), act=act)

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
        self.num_heads = num_heads
        self.head_dim = head_dim_of(dim, num_heads)
        self.pool_type = pool_type

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, dim = x.shape
        heads = x.reshape(batch, tokens, self.num_heads, self.head_dim).transpose(1, 2)
        x = F.scaled_dot_product_attention(heads, heads, heads).transpose(1, 2).reshape(batch, tokens, dim)
        return x[:, 0] if self.pool_type == "token" else x.mean(1)
