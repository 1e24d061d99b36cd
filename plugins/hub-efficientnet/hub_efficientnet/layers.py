"""The family's layers below the blocks: convs, norm + activation, channel attention, anti-aliasing,
layer scale and multi-query attention.

Attribute and parameter names follow timm's, so state-dict keys match the published weights.
Batch norm + activation and the activations by name are the core's (`hub.layers`); the
group-, layer- and EvoNorm variants here follow the core's `BatchNormAct2d` (the norm's own
parameter names, an ``act`` by name). Every layer here traces with `hub.fx` as it is.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from hub.layers import BatchNormAct2d, Conv2dSame, create_act, get_padding, is_static_same_padding, pad_same
from hub_efficientnet.arch import Kernel, NormStyle

__all__ = [
    "BlurPool2d",
    "CondConv2d",
    "EvoNorm2dS0",
    "GlobalContext",
    "GroupNormAct",
    "LayerNormAct2d",
    "LayerScale2d",
    "MixedConv2d",
    "MultiQueryAttention2d",
    "SqueezeExcite",
    "create_aa",
    "create_conv",
    "create_norm_act",
]

# --- convolutions --------------------------------------------------------------------------------


def create_conv(
    in_chs: int,
    out_chs: int,
    kernel_size: Kernel,
    stride: int = 1,
    dilation: int = 1,
    groups: int = 1,
    bias: bool = False,
    tf_padding: bool = False,
    experts: int = 0,
) -> nn.Module:
    """A conv with symmetric padding, or TensorFlow "same" padding for the ``tf_`` ports.

    Several kernel sizes give a `MixedConv2d` (depthwise when ``groups == in_chs``); ``experts``
    a `CondConv2d`. "Same" padding only needs computing per input when it can be asymmetric
    (a strided or even-sized kernel); otherwise it equals the symmetric padding.
    """
    if isinstance(kernel_size, tuple):
        return MixedConv2d(in_chs, out_chs, kernel_size, stride, dilation, groups == in_chs, tf_padding)
    if experts:
        return CondConv2d(in_chs, out_chs, kernel_size, stride, dilation, groups, experts, tf_padding)
    if tf_padding and not is_static_same_padding(kernel_size, stride, dilation):
        return Conv2dSame(in_chs, out_chs, kernel_size, stride=stride, dilation=dilation, groups=groups, bias=bias)
    padding = get_padding(kernel_size, stride, dilation)
    return nn.Conv2d(in_chs, out_chs, kernel_size, stride, padding, dilation=dilation, groups=groups, bias=bias)


def _split_channels(chs: int, parts: int) -> list[int]:
    """Equal parts, the first one taking the remainder."""
    split = [chs // parts] * parts
    split[0] += chs - sum(split)
    return split


class MixedConv2d(nn.ModuleList):
    """MixNet's conv: the channels split into groups, each convolved with its own kernel size.

    A list of convs, so that the weights are ``NAME.0.weight``, ``NAME.1.weight``, ...
    """

    def __init__(
        self,
        in_chs: int,
        out_chs: int,
        kernel_sizes: Sequence[int],
        stride: int = 1,
        dilation: int = 1,
        depthwise: bool = False,
        tf_padding: bool = False,
    ) -> None:
        in_splits = _split_channels(in_chs, len(kernel_sizes))
        out_splits = _split_channels(out_chs, len(kernel_sizes))
        super().__init__(
            create_conv(i, o, k, stride, dilation, groups=i if depthwise else 1, tf_padding=tf_padding)
            for k, i, o in zip(kernel_sizes, in_splits, out_splits, strict=True)
        )
        self.splits = in_splits
        self.in_channels = in_chs
        self.out_channels = out_chs

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        parts = torch.split(x, self.splits, 1)
        return torch.cat([conv(parts[i]) for i, conv in enumerate(self)], 1)  # indexed: traceable


class CondConv2d(nn.Module):
    """Conditionally parameterised conv: each input is convolved with its own mix of ``experts`` kernels.

    The weight holds one flattened kernel per expert; ``forward`` takes the per-input mixing
    weights (batch, experts) and runs the batch as one grouped conv.
    """

    def __init__(
        self,
        in_chs: int,
        out_chs: int,
        kernel_size: int,
        stride: int = 1,
        dilation: int = 1,
        groups: int = 1,
        experts: int = 4,
        tf_padding: bool = False,
    ) -> None:
        super().__init__()
        self.in_channels, self.out_channels, self.groups = in_chs, out_chs, groups
        self.kernel_size = (kernel_size, kernel_size)
        self.stride, self.dilation = stride, dilation
        self.dynamic_padding = tf_padding and not is_static_same_padding(kernel_size, stride, dilation)
        self.padding = 0 if self.dynamic_padding else get_padding(kernel_size, stride, dilation)
        self.num_experts = experts
        self.weight_shape = (out_chs, in_chs // groups, kernel_size, kernel_size)
        self.weight = nn.Parameter(torch.empty(experts, math.prod(self.weight_shape)))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        fan_out = self.kernel_size[0] * self.kernel_size[1] * self.out_channels // self.groups
        for expert in self.weight:
            nn.init.normal_(expert, 0.0, math.sqrt(2.0 / fan_out))

    def forward(self, x: torch.Tensor, routing_weights: torch.Tensor) -> torch.Tensor:
        batch, chs, height, width = x.shape
        weight = torch.matmul(routing_weights, self.weight).view(batch * self.out_channels, *self.weight_shape[1:])
        x = x.reshape(1, batch * chs, height, width)  # the batch becomes groups, one kernel mix each
        if self.dynamic_padding:
            x = pad_same(x, self.kernel_size, (self.stride, self.stride), (self.dilation, self.dilation))
        out = F.conv2d(x, weight, None, self.stride, self.padding, self.dilation, self.groups * batch)
        return out.permute(1, 0, 2, 3).view(batch, self.out_channels, out.shape[-2], out.shape[-1])


# --- normalisation + activation ------------------------------------------------------------------


class GroupNormAct(nn.GroupNorm):
    """GroupNorm then an activation (keys of the norm's own), as the core's `BatchNormAct2d`."""

    def __init__(self, num_channels: int, num_groups: int, eps: float = 1e-5, act: str | None = None) -> None:
        super().__init__(num_groups, num_channels, eps=eps)
        self.act = create_act(act, inplace=True) if act else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(F.group_norm(x, self.num_groups, self.weight, self.bias, self.eps))


class LayerNormAct2d(nn.LayerNorm):
    """LayerNorm over the channels of an NCHW map, then an activation (keys of the norm's own)."""

    def __init__(self, num_channels: int, eps: float = 1e-5, act: str | None = None) -> None:
        super().__init__(num_channels, eps=eps)
        self.act = create_act(act, inplace=True) if act else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.layer_norm(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias, self.eps)
        return self.act(x.permute(0, 3, 1, 2))


class EvoNorm2dS0(nn.Module):
    """EvoNorm-S0: with its activation, x * sigmoid(v * x) over the group standard deviation, then an affine.

    Without the activation (``apply_act=False``) only the affine remains: S0 normalises
    nothing on its own. ``groups`` divides the channels.
    """

    def __init__(self, num_features: int, groups: int, eps: float = 1e-5, apply_act: bool = True) -> None:
        super().__init__()
        self.groups, self.eps = groups, eps
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.v = nn.Parameter(torch.ones(num_features)) if apply_act else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = (1, -1, 1, 1)
        if self.v is not None:
            batch, chs, height, width = x.shape
            grouped = x.float().reshape(batch, self.groups, chs // self.groups, height, width)
            std = grouped.var(dim=(2, 3, 4), unbiased=False, keepdim=True).add(self.eps).sqrt().to(x.dtype)
            std = std.expand(grouped.shape).reshape(batch, chs, height, width)
            x = x * (x * self.v.view(shape)).sigmoid() / std
        return x * self.weight.view(shape) + self.bias.view(shape)


def create_norm_act(style: NormStyle, chs: int, act: str | None = None) -> nn.Module:
    """The network's norm over ``chs`` channels, followed by ``act`` (None: no activation)."""
    if style.kind == "batch":
        return BatchNormAct2d(chs, style.eps, act)
    if style.kind == "group":
        return GroupNormAct(chs, chs // style.group_size, style.eps, act)
    if style.kind == "layer":
        return LayerNormAct2d(chs, style.eps, act)
    return EvoNorm2dS0(chs, chs // style.group_size, style.eps, apply_act=act is not None)


# --- channel attention ---------------------------------------------------------------------------


class SqueezeExcite(nn.Module):
    """Channel attention: global average, a 1x1 bottleneck of ``rd_chs``, a gate scaling the input."""

    def __init__(self, chs: int, rd_chs: int, act: str = "relu", gate: str = "sigmoid") -> None:
        super().__init__()
        self.conv_reduce = nn.Conv2d(chs, rd_chs, 1, bias=True)
        self.act1 = create_act(act, inplace=True)
        self.conv_expand = nn.Conv2d(rd_chs, chs, 1, bias=True)
        self.gate = create_act(gate)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = self.conv_expand(self.act1(self.conv_reduce(x.mean((2, 3), keepdim=True))))
        return x * self.gate(scale)


class _LayerNorm2d(nn.LayerNorm):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.layer_norm(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias, self.eps)
        return x.permute(0, 3, 1, 2)


class _ContextMlp(nn.Module):
    """1x1 conv, layer norm, activation, 1x1 conv: the transform of a pooled context vector."""

    def __init__(self, chs: int, rd_chs: int, act: str) -> None:
        super().__init__()
        self.fc1 = nn.Conv2d(chs, rd_chs, 1, bias=True)
        self.norm = _LayerNorm2d(rd_chs, eps=1e-6)
        self.act = create_act(act)
        self.fc2 = nn.Conv2d(rd_chs, chs, 1, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.norm(self.fc1(x))))


class GlobalContext(nn.Module):
    """Global-context attention (GCNet): attention-weighted pooling, a layer-normed bottleneck, a gate."""

    def __init__(self, chs: int, rd_chs: int, act: str = "relu", gate: str = "sigmoid") -> None:
        super().__init__()
        self.conv_attn = nn.Conv2d(chs, 1, 1, bias=True)
        self.mlp_scale = _ContextMlp(chs, rd_chs, act)
        self.gate = create_act(gate)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weights = self.conv_attn(x).flatten(2).softmax(dim=-1)  # (B, 1, HW): where to pool from
        context = torch.matmul(x.flatten(2), weights.transpose(1, 2)).unsqueeze(-1)  # (B, C, 1, 1)
        return x * self.gate(self.mlp_scale(context))


# --- anti-aliasing, layer scale ------------------------------------------------------------------


class BlurPool2d(nn.Module):
    """Blur with a 3x3 binomial filter (zero padding), then subsample by ``stride``."""

    filt: torch.Tensor

    def __init__(self, channels: int, stride: int = 2) -> None:
        super().__init__()
        self.channels, self.stride = channels, stride
        self.padding = [get_padding(3, stride)] * 4
        # Computed, not initialised in place, so that a build that skips initialisation keeps it.
        taps = torch.tensor([1.0, 2.0, 1.0]) / 4.0
        self.register_buffer("filt", (taps[:, None] * taps[None, :]).expand(channels, 1, 3, 3).clone(), False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(F.pad(x, self.padding), self.filt, stride=self.stride, groups=self.channels)


def create_aa(kind: str | None, channels: int, stride: int) -> nn.Module | None:
    """The anti-aliasing downsampler after a conv that no longer strides (None when there is none)."""
    if kind is None or stride == 1:
        return None
    if kind == "avg":
        return nn.AvgPool2d(stride)
    return BlurPool2d(channels, stride)


class LayerScale2d(nn.Module):
    """A learned per-channel scale of an NCHW map (``gamma``)."""

    def __init__(self, chs: int, init_value: float = 1e-5) -> None:
        super().__init__()
        self.gamma = nn.Parameter(torch.full((chs,), init_value))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.gamma.view(1, -1, 1, 1)


# --- attention -----------------------------------------------------------------------------------


class MultiQueryAttention2d(nn.Module):
    """Multi-query attention over an NCHW map: ``heads`` query heads share one key and one value head.

    The keys and values may be computed on a map downsampled by ``kv_stride`` (a depthwise
    conv and a norm each). Projections are 1x1 convs without bias.
    """

    def __init__(
        self,
        chs: int,
        out_chs: int,
        *,
        heads: int,
        key_dim: int,
        kv_stride: int,
        kernel: int,
        dilation: int,
        norm: NormStyle,
        tf_padding: bool,
    ) -> None:
        super().__init__()
        self.heads, self.key_dim = heads, key_dim
        self.query = nn.Sequential(OrderedDict(proj=nn.Conv2d(chs, heads * key_dim, 1, bias=False)))
        self.key = self._key_value(chs, key_dim, kv_stride, kernel, dilation, norm, tf_padding)
        self.value = self._key_value(chs, key_dim, kv_stride, kernel, dilation, norm, tf_padding)
        self.output = nn.Sequential(OrderedDict(proj=nn.Conv2d(heads * key_dim, out_chs, 1, bias=False)))

    @staticmethod
    def _key_value(
        chs: int, dim: int, stride: int, kernel: int, dilation: int, norm: NormStyle, tf_padding: bool
    ) -> nn.Sequential:
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        if stride > 1:
            layers["down_conv"] = create_conv(chs, chs, kernel, stride, dilation, groups=chs, tf_padding=tf_padding)
            layers["norm"] = create_norm_act(norm, chs)
        layers["proj"] = create_conv(chs, dim, 1, tf_padding=tf_padding)
        return nn.Sequential(layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, _, height, width = x.shape
        q = self.query(x).reshape(batch, self.heads, self.key_dim, -1).transpose(-1, -2)  # (B, heads, N, key)
        k = self.key(x).flatten(2).transpose(1, 2).unsqueeze(1)  # (B, 1, M, key), shared by the heads
        v = self.value(x).flatten(2).transpose(1, 2).unsqueeze(1)
        out = F.scaled_dot_product_attention(q, k, v)  # (B, heads, N, value)
        out = out.transpose(1, 2).reshape(batch, height, width, -1).permute(0, 3, 1, 2)
        return self.output(out)
