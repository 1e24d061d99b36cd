"""Convolution padding, including TensorFlow's input-dependent "same" padding.

Weights ported from TensorFlow (the ``tf_`` models) were trained with "same" padding,
which pads asymmetrically when the input size is not a multiple of the stride. The padding
is computed in Python from each input's size, so these layers are leaves for tracing.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from hub.layers.tracing import register_leaf_function, register_leaf_module

__all__ = ["AvgPool2dSame", "Conv2dSame", "MaxPool2dSame", "get_padding", "is_static_same_padding", "pad_same"]


def get_padding(kernel_size: int, stride: int = 1, dilation: int = 1) -> int:
    """Symmetric padding that keeps the output at ceil(input / stride) for odd kernels."""
    return ((stride - 1) + dilation * (kernel_size - 1)) // 2


def is_static_same_padding(kernel_size: int, stride: int = 1, dilation: int = 1) -> bool:
    """True when "same" padding does not depend on the input size and symmetric padding equals it."""
    return stride == 1 and (dilation * (kernel_size - 1)) % 2 == 0


def _same_pad_amount(size: int, kernel_size: int, stride: int, dilation: int) -> int:
    return max((math.ceil(size / stride) - 1) * stride + (kernel_size - 1) * dilation + 1 - size, 0)


@register_leaf_function
def pad_same(
    x: torch.Tensor,
    kernel_size: tuple[int, int],
    stride: tuple[int, int],
    dilation: tuple[int, int] = (1, 1),
    value: float = 0.0,
) -> torch.Tensor:
    """Pad ``x`` as TensorFlow's "SAME" would: the odd pixel goes right and bottom."""
    ih, iw = x.shape[-2:]
    pad_h = _same_pad_amount(ih, kernel_size[0], stride[0], dilation[0])
    pad_w = _same_pad_amount(iw, kernel_size[1], stride[1], dilation[1])
    if pad_h > 0 or pad_w > 0:
        x = F.pad(x, [pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2], value=value)
    return x


@register_leaf_module
class Conv2dSame(nn.Conv2d):
    """`nn.Conv2d` with TensorFlow "same" padding computed from each input's size."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs["padding"] = 0
        super().__init__(*args, **kwargs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = pad_same(x, self.kernel_size, self.stride, self.dilation)  # type: ignore[arg-type]
        return F.conv2d(x, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)


@register_leaf_module
class MaxPool2dSame(nn.MaxPool2d):
    """`nn.MaxPool2d` with TensorFlow "same" padding (pads with -inf)."""

    def __init__(self, kernel_size: int, stride: int | None = None, dilation: int = 1, ceil_mode: bool = False):
        super().__init__(kernel_size, stride, 0, dilation, ceil_mode=ceil_mode)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        k = _pair(self.kernel_size)
        x = pad_same(x, k, _pair(self.stride), _pair(self.dilation), value=-float("inf"))
        return F.max_pool2d(x, self.kernel_size, self.stride, 0, self.dilation, self.ceil_mode)


@register_leaf_module
class AvgPool2dSame(nn.AvgPool2d):
    """`nn.AvgPool2d` with TensorFlow "same" padding; the zero padding counts in the average."""

    def __init__(
        self, kernel_size: int, stride: int | None = None, ceil_mode: bool = False, count_include_pad: bool = True
    ):
        super().__init__(kernel_size, stride, 0, ceil_mode, count_include_pad)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = pad_same(x, _pair(self.kernel_size), _pair(self.stride))
        return F.avg_pool2d(x, self.kernel_size, self.stride, 0, self.ceil_mode, self.count_include_pad)


def _pair(value: int | tuple[int, ...]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (value[0], value[1])
