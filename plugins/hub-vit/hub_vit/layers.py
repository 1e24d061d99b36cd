"""The family's interchangeable parts: norms, activations, MLPs and LayerScale, chosen by name.

The variant table names them (`hub_vit._variants.NORM_LAYERS`, ``ACT_LAYERS``,
``MLP_LAYERS``); the functions here turn a name into the constructor the blocks call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import torch
from torch import nn

__all__ = [
    "ActFactory",
    "GluMlp",
    "LayerScale",
    "Mlp",
    "MlpFactory",
    "NormFactory",
    "QuickGELU",
    "SwiGLU",
    "make_act",
    "make_mlp",
    "make_norm",
]

NormFactory = Callable[[int], nn.Module]  # channels -> norm layer
ActFactory = Callable[[], nn.Module]


class QuickGELU(nn.Module):
    """The sigmoid approximation of GELU OpenAI's CLIP was trained with: x * sigmoid(1.702 x)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(1.702 * x)


def make_norm(kind: str, eps: float) -> NormFactory:
    """A constructor of ``kind`` ("layernorm" or "rmsnorm") norms over the last dimension, with ``eps``."""
    if kind == "layernorm":
        return functools.partial(nn.LayerNorm, eps=eps)
    if kind == "rmsnorm":
        return functools.partial(nn.RMSNorm, eps=eps)
    raise ValueError(f"unknown norm layer {kind!r}")


_ACTIVATIONS: dict[str, ActFactory] = {
    "gelu": nn.GELU,
    "gelu_tanh": functools.partial(nn.GELU, approximate="tanh"),
    "quick_gelu": QuickGELU,
    "silu": nn.SiLU,
}


def make_act(kind: str) -> ActFactory:
    """A constructor of the activation named ``kind`` (see `hub_vit._variants.ACT_LAYERS`)."""
    return _ACTIVATIONS[kind]


class LayerScale(nn.Module):
    """Per-channel learnt scale of a residual branch (CaiT, DeiT III, DINOv2), starting at ``init_values``."""

    def __init__(self, dim: int, init_values: float) -> None:
        super().__init__()
        self.init_values = init_values
        self.gamma = nn.Parameter(torch.full((dim,), init_values))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.gamma


class _FeedForward(nn.Module):
    """What the family's MLPs share: input projection(s) of the subclass's own (`_add_input`), then
    activation, dropout, an optional norm of the hidden features (BEiT-3's sub-LN), the output
    projection and dropout, registered in that order (the state dict's).

    All take ``(dim, hidden_dim, *, act, norm, bias, drop)``; ``bias`` is on every Linear.
    """

    def __init__(
        self,
        dim: int,
        hidden_dim: int,
        *,
        act: ActFactory = nn.GELU,
        norm: NormFactory | None = None,
        bias: bool = True,
        drop: float = 0.0,
    ) -> None:
        super().__init__()
        width = self._add_input(dim, hidden_dim, bias)
        self.act = act()
        self.drop1 = nn.Dropout(drop)
        self.norm = norm(width) if norm is not None else nn.Identity()
        self.fc2 = nn.Linear(width, dim, bias=bias)
        self.drop2 = nn.Dropout(drop)

    def _add_input(self, dim: int, hidden_dim: int, bias: bool) -> int:
        """Add the input projection(s); returns the width of what the activation gives."""
        raise NotImplementedError

    def _output(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.drop2(self.fc2(self.norm(self.drop1(hidden))))


class Mlp(_FeedForward):
    """The transformer's feed-forward branch: Linear, activation, (norm,) Linear, with dropout after each."""

    def _add_input(self, dim: int, hidden_dim: int, bias: bool) -> int:
        self.fc1 = nn.Linear(dim, hidden_dim, bias=bias)
        return hidden_dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._output(self.act(self.fc1(x)))


class SwiGLU(_FeedForward):
    """A gated MLP with separate gate and value projections: fc2(act(fc1_g(x)) * fc1_x(x)) (AIMv2)."""

    def _add_input(self, dim: int, hidden_dim: int, bias: bool) -> int:
        self.fc1_g = nn.Linear(dim, hidden_dim, bias=bias)
        self.fc1_x = nn.Linear(dim, hidden_dim, bias=bias)
        return hidden_dim

    @torch.no_grad()
    def init_weights(self) -> None:
        """Gates start open and nearly input-independent: weights near zero, biases one."""
        if self.fc1_g.bias is not None:
            nn.init.ones_(self.fc1_g.bias)
        nn.init.normal_(self.fc1_g.weight, std=1e-6)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._output(self.act(self.fc1_g(x)) * self.fc1_x(x))


class GluMlp(_FeedForward):
    """A gated MLP whose one projection packs gate then value: fc2(act(gate) * value) (DINOv2's giant).

    ``hidden_dim`` is the packed width: the gated features are half of it.
    """

    def _add_input(self, dim: int, hidden_dim: int, bias: bool) -> int:
        if hidden_dim % 2:
            raise ValueError(f"a packed gated MLP needs an even hidden width, got {hidden_dim}")
        self.fc1 = nn.Linear(dim, hidden_dim, bias=bias)
        return hidden_dim // 2

    @torch.no_grad()
    def init_weights(self) -> None:
        """The value half starts near zero with biases one, as a freshly initialised gate would."""
        half = self.fc1.weight.shape[0] // 2
        if self.fc1.bias is not None:
            nn.init.ones_(self.fc1.bias[half:])
        nn.init.normal_(self.fc1.weight[half:], std=1e-6)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate, value = self.fc1(x).chunk(2, dim=-1)
        return self._output(self.act(gate) * value)


MlpFactory = Callable[..., nn.Module]
_MLPS: dict[str, MlpFactory] = {"mlp": Mlp, "swiglu": SwiGLU, "swiglu_packed": GluMlp}


def make_mlp(kind: str) -> MlpFactory:
    """The MLP class named ``kind`` (see `hub_vit._variants.MLP_LAYERS`); all take the same arguments."""
    return _MLPS[kind]
