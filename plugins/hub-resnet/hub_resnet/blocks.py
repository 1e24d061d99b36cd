"""ResNet building blocks: residual blocks, channel attention, anti-aliasing, norms, shortcuts and stems.

Module and parameter names follow timm's ResNet, which keeps torchvision's, so that published
weights load unchanged.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from hub.layers import AvgPool2dSame, DropPath, get_padding, make_divisible

__all__ = [
    "BasicBlock",
    "BlurPool2d",
    "Bottleneck",
    "EfficientChannelAttention",
    "SqueezeExcite",
    "make_anti_alias",
    "make_attention",
    "make_norm",
    "make_shortcut",
    "make_stem",
    "make_stem_pool",
]


def make_norm(kind: str, channels: int) -> nn.BatchNorm2d | nn.GroupNorm:
    """The family's norm layer: "batch" (BatchNorm) or "group" (GroupNorm, 32 groups)."""
    if kind == "batch":
        return nn.BatchNorm2d(channels)
    if kind == "group":
        return nn.GroupNorm(32, channels, eps=1e-5)
    raise ValueError(f"unknown norm {kind!r}; use 'batch' or 'group'")


class BlurPool2d(nn.Module):
    """Blur each channel with a 3x3 binomial filter, then subsample: anti-aliased striding.

    "Making Convolutional Networks Shift-Invariant Again" (arXiv:1904.11486). The input is
    reflect-padded, so the output keeps ceil(size / stride) pixels. The filter is a computed,
    non-persistent buffer (checkpoints do not hold it), made without in-place writes so that
    building without initialisation still computes it.
    """

    filt: torch.Tensor

    def __init__(self, channels: int, stride: int = 2, filter_size: int = 3) -> None:
        super().__init__()
        self.channels = channels
        self.stride = stride
        self.padding = [get_padding(filter_size, stride)] * 4
        taps = torch.tensor([math.comb(filter_size - 1, k) for k in range(filter_size)], dtype=torch.float32)
        taps = taps / taps.sum()
        kernel = (taps[:, None] * taps[None, :]).expand(channels, 1, filter_size, filter_size).contiguous()
        self.register_buffer("filt", kernel, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.pad(x, self.padding, mode="reflect")
        return F.conv2d(x, self.filt, stride=self.stride, groups=self.channels)

    def extra_repr(self) -> str:
        return f"channels={self.channels}, stride={self.stride}"


def make_anti_alias(kind: str | None, channels: int, stride: int, *, enable: bool = True) -> nn.Module:
    """The pooling that takes over a conv's stride in anti-aliased variants: "avg", "blur", or none (Identity)."""
    if kind is None or not enable:
        return nn.Identity()
    if kind == "avg":
        return nn.AvgPool2d(stride)
    if kind == "blur":
        return BlurPool2d(channels, stride)
    raise ValueError(f"unknown anti-aliasing {kind!r}; use 'avg', 'blur' or None")


class SqueezeExcite(nn.Module):
    """Squeeze-and-excitation: rescale channels by a gate computed from their global mean."""

    def __init__(self, channels: int, reduction: float = 1 / 16, divisor: int = 8) -> None:
        super().__init__()
        hidden = make_divisible(channels * reduction, divisor, round_limit=0.0)
        self.fc1 = nn.Conv2d(channels, hidden, kernel_size=1, bias=True)
        self.bn = nn.Identity()  # keeps timm's module layout; SE-ResNets use no norm here
        self.act = nn.ReLU(inplace=True)
        self.fc2 = nn.Conv2d(hidden, channels, kernel_size=1, bias=True)
        self.gate = nn.Sigmoid()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = self.fc2(self.act(self.bn(self.fc1(x.mean((2, 3), keepdim=True)))))
        return x * self.gate(scale)


class EfficientChannelAttention(nn.Module):
    """ECA: a 1-D conv across the channels' global means, its size chosen from a channel count.

    ``kernel_channels`` sizes the kernel (by default ``channels``); the pruned variants keep the
    kernel of the width they were pruned from.
    """

    def __init__(self, channels: int, gamma: float = 2, beta: float = 1, kernel_channels: int | None = None) -> None:
        super().__init__()
        t = int(abs(math.log(kernel_channels or channels, 2) + beta) / gamma)
        kernel_size = max(t if t % 2 else t + 1, 3)
        self.conv = nn.Conv1d(1, 1, kernel_size=kernel_size, padding=(kernel_size - 1) // 2, bias=False)
        self.gate = nn.Sigmoid()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch = x.shape[0]
        weights = self.conv(x.mean((2, 3)).view(batch, 1, -1))
        return x * self.gate(weights).view(batch, -1, 1, 1)


def make_attention(
    kind: str | None, channels: int, *, se_ratio: float = 1 / 16, nominal_channels: int | None = None
) -> nn.Module | None:
    """The channel attention of a block: "se", "eca" or None.

    ``nominal_channels``: the unpruned width, which sizes ECA's kernel.
    """
    if kind is None:
        return None
    if kind == "se":
        return SqueezeExcite(channels, reduction=se_ratio)
    if kind == "eca":
        return EfficientChannelAttention(channels, kernel_channels=nominal_channels)
    raise ValueError(f"unknown attention {kind!r}; use 'se', 'eca' or None")


def _merge(block: BasicBlock | Bottleneck, x: torch.Tensor, shortcut: torch.Tensor) -> torch.Tensor:
    """The end of a residual branch: channel attention, stochastic depth, then the shortcut added."""
    if block.se is not None:
        x = block.se(x)
    if block.drop_path is not None:
        x = block.drop_path(x)
    return x + shortcut


class BasicBlock(nn.Module):
    """Two 3x3 convs with a residual connection (ResNet-18/34).

    ``first_planes``: width of the first conv. With ``anti_alias`` the block's stride moves
    from the first conv into a pooling after it.
    """

    def __init__(
        self,
        in_chs: int,
        out_chs: int,
        *,
        first_planes: int,
        stride: int = 1,
        shortcut: nn.Module | None = None,
        dilation: int = 1,
        first_dilation: int | None = None,
        attention: nn.Module | None = None,
        anti_alias: str | None = None,
        norm: str = "batch",
        drop_path: float = 0.0,
    ) -> None:
        super().__init__()
        first_dilation = first_dilation or dilation
        use_aa = anti_alias is not None and (stride == 2 or first_dilation != dilation)
        self.conv1 = nn.Conv2d(
            in_chs,
            first_planes,
            3,
            stride=1 if use_aa else stride,
            padding=first_dilation,
            dilation=first_dilation,
            bias=False,
        )
        self.bn1 = make_norm(norm, first_planes)
        self.act1 = nn.ReLU(inplace=True)
        self.aa = make_anti_alias(anti_alias, first_planes, stride, enable=use_aa)
        self.conv2 = nn.Conv2d(first_planes, out_chs, 3, padding=dilation, dilation=dilation, bias=False)
        self.bn2 = make_norm(norm, out_chs)
        self.se = attention
        self.act2 = nn.ReLU(inplace=True)
        self.downsample = shortcut
        self.drop_path = DropPath(drop_path) if drop_path > 0 else None

    def zero_init_last(self) -> None:
        nn.init.zeros_(self.bn2.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x if self.downsample is None else self.downsample(x)
        x = self.aa(self.act1(self.bn1(self.conv1(x))))
        x = self.bn2(self.conv2(x))
        return self.act2(_merge(self, x, shortcut))


class Bottleneck(nn.Module):
    """1x1 reduce, 3x3 (grouped for ResNeXt), 1x1 expand, with a residual connection (ResNet-50+).

    ``first_planes`` / ``width``: widths of the 1x1 and 3x3 convs; ``groups`` of the 3x3.
    With ``anti_alias`` the block's stride moves from the 3x3 conv into a pooling after it.
    """

    def __init__(
        self,
        in_chs: int,
        out_chs: int,
        *,
        first_planes: int,
        width: int,
        groups: int = 1,
        stride: int = 1,
        shortcut: nn.Module | None = None,
        dilation: int = 1,
        first_dilation: int | None = None,
        attention: nn.Module | None = None,
        anti_alias: str | None = None,
        norm: str = "batch",
        drop_path: float = 0.0,
    ) -> None:
        super().__init__()
        first_dilation = first_dilation or dilation
        use_aa = anti_alias is not None and (stride == 2 or first_dilation != dilation)
        self.conv1 = nn.Conv2d(in_chs, first_planes, 1, bias=False)
        self.bn1 = make_norm(norm, first_planes)
        self.act1 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(
            first_planes,
            width,
            3,
            stride=1 if use_aa else stride,
            padding=first_dilation,
            dilation=first_dilation,
            groups=groups,
            bias=False,
        )
        self.bn2 = make_norm(norm, width)
        self.act2 = nn.ReLU(inplace=True)
        self.aa = make_anti_alias(anti_alias, width, stride, enable=use_aa)
        self.conv3 = nn.Conv2d(width, out_chs, 1, bias=False)
        self.bn3 = make_norm(norm, out_chs)
        self.se = attention
        self.act3 = nn.ReLU(inplace=True)
        self.downsample = shortcut
        self.drop_path = DropPath(drop_path) if drop_path > 0 else None

    def zero_init_last(self) -> None:
        nn.init.zeros_(self.bn3.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x if self.downsample is None else self.downsample(x)
        x = self.act1(self.bn1(self.conv1(x)))
        x = self.aa(self.act2(self.bn2(self.conv2(x))))
        x = self.bn3(self.conv3(x))
        return self.act3(_merge(self, x, shortcut))


def make_shortcut(
    in_chs: int,
    out_chs: int,
    *,
    stride: int,
    dilation: int,
    first_dilation: int,
    avg_down: bool,
    kernel_size: int = 1,
    norm: str = "batch",
) -> nn.Module:
    """The projection on the residual path of a block that changes shape.

    ``avg_down`` (the "d" and "t" variants) pools before a stride-1 1x1 conv instead of
    striding the conv, so no input pixel is skipped. Otherwise a strided conv of
    ``kernel_size`` (1, or 3 in SENet-154) projects, at the previous stage's dilation.
    """
    if avg_down:
        pool: nn.Module
        if stride == 1 and dilation == 1:
            pool = nn.Identity()
        elif dilation == 1:
            pool = nn.AvgPool2d(2, stride, ceil_mode=True, count_include_pad=False)
        else:  # a dilated stage keeps its resolution; pool without striding, padded as timm does
            pool = AvgPool2dSame(2, 1, ceil_mode=True, count_include_pad=False)
        return nn.Sequential(pool, nn.Conv2d(in_chs, out_chs, 1, bias=False), make_norm(norm, out_chs))
    kernel = 1 if stride == 1 and dilation == 1 else kernel_size
    conv_dilation = first_dilation if kernel > 1 else 1
    padding = get_padding(kernel, stride, conv_dilation)
    return nn.Sequential(
        nn.Conv2d(in_chs, out_chs, kernel, stride=stride, padding=padding, dilation=conv_dilation, bias=False),
        make_norm(norm, out_chs),
    )


def make_stem(kind: str, in_chans: int, stem_width: int, out_chs: int, *, norm: str = "batch") -> nn.Module:
    """The first conv: one 7x7 ("") or three 3x3 ("deep", "deep_tiered"), stride 2."""
    if kind == "":
        return nn.Conv2d(in_chans, out_chs, kernel_size=7, stride=2, padding=3, bias=False)
    if kind not in ("deep", "deep_tiered"):
        raise ValueError(f"unknown stem {kind!r}")
    first, second = (3 * (stem_width // 4), stem_width) if kind == "deep_tiered" else (stem_width, stem_width)
    return nn.Sequential(
        nn.Conv2d(in_chans, first, 3, stride=2, padding=1, bias=False),
        make_norm(norm, first),
        nn.ReLU(inplace=True),
        nn.Conv2d(first, second, 3, stride=1, padding=1, bias=False),
        make_norm(norm, second),
        nn.ReLU(inplace=True),
        nn.Conv2d(second, out_chs, 3, stride=1, padding=1, bias=False),
    )


def make_stem_pool(kind: str, channels: int, *, anti_alias: str | None = None, norm: str = "batch") -> nn.Module:
    """The stride-2 step after the stem ("maxpool" in the weights' names, whatever it is).

    "max": a 3x3 max pool; "conv": a 3x3 conv, norm and ReLU (ResNet-RS). With
    ``anti_alias`` the stride is taken by the anti-aliasing pool instead.
    """
    if kind == "conv":
        layers: list[nn.Module] = [
            nn.Conv2d(channels, channels, 3, stride=1 if anti_alias else 2, padding=1, bias=False)
        ]
        if anti_alias:
            layers.append(make_anti_alias(anti_alias, channels, 2))
        return nn.Sequential(*layers, make_norm(norm, channels), nn.ReLU(inplace=True))
    if kind != "max":
        raise ValueError(f"unknown stem pool {kind!r}; use 'max' or 'conv'")
    if anti_alias == "avg":
        return nn.AvgPool2d(2)
    if anti_alias == "blur":
        return nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), BlurPool2d(channels, 2))
    return nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
