"""ResNet building blocks: residual blocks, channel attention, shortcuts and stems."""

from __future__ import annotations

import math

import torch
from torch import nn

from hub.layers import AvgPool2dSame, DropPath, get_padding, make_divisible

__all__ = [
    "BasicBlock",
    "Bottleneck",
    "EfficientChannelAttention",
    "SqueezeExcite",
    "make_attention",
    "make_shortcut",
    "make_stem",
]


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
    """ECA: a 1-D conv across the channels' global means, its size chosen from the channel count."""

    def __init__(self, channels: int, gamma: float = 2, beta: float = 1) -> None:
        super().__init__()
        t = int(abs(math.log(channels, 2) + beta) / gamma)
        kernel_size = max(t if t % 2 else t + 1, 3)
        self.conv = nn.Conv1d(1, 1, kernel_size=kernel_size, padding=(kernel_size - 1) // 2, bias=False)
        self.gate = nn.Sigmoid()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch = x.shape[0]
        weights = self.conv(x.mean((2, 3)).view(batch, 1, -1))
        return x * self.gate(weights).view(batch, -1, 1, 1)


def make_attention(kind: str | None, channels: int) -> nn.Module | None:
    """The channel attention of a block: "se", "eca" or None."""
    if kind is None:
        return None
    if kind == "se":
        return SqueezeExcite(channels)
    if kind == "eca":
        return EfficientChannelAttention(channels)
    raise ValueError(f"unknown attention {kind!r}; use 'se', 'eca' or None")


def _merge(block: BasicBlock | Bottleneck, x: torch.Tensor, shortcut: torch.Tensor) -> torch.Tensor:
    """The end of a residual branch: channel attention, stochastic depth, then the shortcut added."""
    if block.se is not None:
        x = block.se(x)
    if block.drop_path is not None:
        x = block.drop_path(x)
    return x + shortcut


class BasicBlock(nn.Module):
    """Two 3x3 convs with a residual connection (ResNet-18/34)."""

    expansion = 1

    def __init__(
        self,
        in_chs: int,
        planes: int,
        *,
        stride: int = 1,
        shortcut: nn.Module | None = None,
        cardinality: int = 1,
        base_width: int = 64,
        dilation: int = 1,
        first_dilation: int | None = None,
        attention: str | None = None,
        drop_path: float = 0.0,
    ) -> None:
        super().__init__()
        if cardinality != 1 or base_width != 64:
            raise ValueError("BasicBlock has no groups or width factor (cardinality=1, base_width=64)")
        out_chs = planes * self.expansion
        first_dilation = first_dilation or dilation
        self.conv1 = nn.Conv2d(
            in_chs, planes, 3, stride=stride, padding=first_dilation, dilation=first_dilation, bias=False
        )
        self.bn1 = nn.BatchNorm2d(planes)
        self.act1 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, out_chs, 3, padding=dilation, dilation=dilation, bias=False)
        self.bn2 = nn.BatchNorm2d(out_chs)
        self.se = make_attention(attention, out_chs)
        self.act2 = nn.ReLU(inplace=True)
        self.downsample = shortcut
        self.drop_path = DropPath(drop_path) if drop_path > 0 else None

    def zero_init_last(self) -> None:
        nn.init.zeros_(self.bn2.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x if self.downsample is None else self.downsample(x)
        x = self.act1(self.bn1(self.conv1(x)))
        x = self.bn2(self.conv2(x))
        return self.act2(_merge(self, x, shortcut))


class Bottleneck(nn.Module):
    """1x1 reduce, 3x3 (grouped for ResNeXt), 1x1 expand, with a residual connection (ResNet-50+)."""

    expansion = 4

    def __init__(
        self,
        in_chs: int,
        planes: int,
        *,
        stride: int = 1,
        shortcut: nn.Module | None = None,
        cardinality: int = 1,
        base_width: int = 64,
        dilation: int = 1,
        first_dilation: int | None = None,
        attention: str | None = None,
        drop_path: float = 0.0,
    ) -> None:
        super().__init__()
        width = int(math.floor(planes * (base_width / 64)) * cardinality)
        out_chs = planes * self.expansion
        first_dilation = first_dilation or dilation
        self.conv1 = nn.Conv2d(in_chs, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.act1 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(
            width,
            width,
            3,
            stride=stride,
            padding=first_dilation,
            dilation=first_dilation,
            groups=cardinality,
            bias=False,
        )
        self.bn2 = nn.BatchNorm2d(width)
        self.act2 = nn.ReLU(inplace=True)
        self.conv3 = nn.Conv2d(width, out_chs, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out_chs)
        self.se = make_attention(attention, out_chs)
        self.act3 = nn.ReLU(inplace=True)
        self.downsample = shortcut
        self.drop_path = DropPath(drop_path) if drop_path > 0 else None

    def zero_init_last(self) -> None:
        nn.init.zeros_(self.bn3.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x if self.downsample is None else self.downsample(x)
        x = self.act1(self.bn1(self.conv1(x)))
        x = self.act2(self.bn2(self.conv2(x)))
        x = self.bn3(self.conv3(x))
        return self.act3(_merge(self, x, shortcut))


def make_shortcut(in_chs: int, out_chs: int, *, stride: int, dilation: int, avg_down: bool) -> nn.Module:
    """The projection on the residual path of a block that changes shape.

    ``avg_down`` (the "d" variants) pools before a stride-1 1x1 conv instead of striding
    the conv, so no input pixel is skipped.
    """
    if avg_down:
        pool: nn.Module
        if stride == 1 and dilation == 1:
            pool = nn.Identity()
        elif dilation == 1:
            pool = nn.AvgPool2d(2, stride, ceil_mode=True, count_include_pad=False)
        else:  # a dilated stage keeps its resolution; pool without striding, padded as timm does
            pool = AvgPool2dSame(2, 1, ceil_mode=True, count_include_pad=False)
        return nn.Sequential(pool, nn.Conv2d(in_chs, out_chs, 1, bias=False), nn.BatchNorm2d(out_chs))
    kernel = 1
    padding = get_padding(kernel, stride, 1)
    return nn.Sequential(
        nn.Conv2d(in_chs, out_chs, kernel, stride=stride, padding=padding, bias=False), nn.BatchNorm2d(out_chs)
    )


def make_stem(kind: str, in_chans: int, stem_width: int, out_chs: int) -> nn.Module:
    """The first conv: one 7x7 ("") or three 3x3 ("deep", "deep_tiered"), stride 2."""
    if kind == "":
        return nn.Conv2d(in_chans, out_chs, kernel_size=7, stride=2, padding=3, bias=False)
    if kind not in ("deep", "deep_tiered"):
        raise ValueError(f"unknown stem {kind!r}")
    first, second = (3 * (stem_width // 4), stem_width) if kind == "deep_tiered" else (stem_width, stem_width)
    return nn.Sequential(
        nn.Conv2d(in_chans, first, 3, stride=2, padding=1, bias=False),
        nn.BatchNorm2d(first),
        nn.ReLU(inplace=True),
        nn.Conv2d(first, second, 3, stride=1, padding=1, bias=False),
        nn.BatchNorm2d(second),
        nn.ReLU(inplace=True),
        nn.Conv2d(second, out_chs, 3, stride=1, padding=1, bias=False),
    )
