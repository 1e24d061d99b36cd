"""The layers of the EfficientNet / MobileNet family: squeeze-excitation and the four blocks.

Attribute names follow timm's, so state-dict keys match the published weights. Every
block is built from a `BlockPlan` (see ``arch.py``), so the blocks hold no sizing logic.
The norm + activation layer and the activations by name are the core's (`hub.layers`),
re-exported here for the model code.
"""

from __future__ import annotations

import torch
from torch import nn

from hub.layers import BatchNormAct2d, Conv2dSame, DropPath, create_act, get_padding, is_static_same_padding
from hub_efficientnet.arch import BlockPlan

__all__ = [
    "BatchNormAct2d",
    "ConvBnAct",
    "DepthwiseSeparableConv",
    "EdgeResidual",
    "InvertedResidual",
    "SqueezeExcite",
    "create_act",
    "create_conv",
    "make_block",
]


def create_conv(
    in_chs: int,
    out_chs: int,
    kernel_size: int,
    stride: int = 1,
    dilation: int = 1,
    groups: int = 1,
    bias: bool = False,
    tf_padding: bool = False,
) -> nn.Conv2d:
    """A conv with symmetric padding, or TensorFlow "same" padding for the ``tf_`` ports.

    "Same" padding only needs computing per input when it can be asymmetric (a strided
    or even-sized kernel); otherwise it equals the symmetric padding and a plain conv is used.
    """
    if tf_padding and not is_static_same_padding(kernel_size, stride, dilation):
        return Conv2dSame(in_chs, out_chs, kernel_size, stride=stride, dilation=dilation, groups=groups, bias=bias)
    padding = get_padding(kernel_size, stride, dilation)
    return nn.Conv2d(in_chs, out_chs, kernel_size, stride, padding, dilation=dilation, groups=groups, bias=bias)


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


def _se(plan: BlockPlan) -> nn.Module:
    if not plan.se_chs:
        return nn.Identity()
    return SqueezeExcite(plan.mid_chs, plan.se_chs, act=plan.se_act, gate=plan.se_gate)


def _drop_path(plan: BlockPlan) -> nn.Module:
    return DropPath(plan.drop_path) if plan.drop_path else nn.Identity()


class ConvBnAct(nn.Module):
    """Conv, norm, activation; a residual when the plan allows (EfficientNetV2's first stage)."""

    def __init__(self, plan: BlockPlan, eps: float = 1e-5, tf_padding: bool = False) -> None:
        super().__init__()
        self.has_skip = plan.residual
        self.conv = create_conv(
            plan.in_chs, plan.out_chs, plan.kernel, plan.stride, plan.dilation, tf_padding=tf_padding
        )
        self.bn1 = BatchNormAct2d(plan.out_chs, eps, plan.act)
        self.drop_path = _drop_path(plan)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn1(self.conv(x))
        return self.drop_path(out) + x if self.has_skip else out


class DepthwiseSeparableConv(nn.Module):
    """Depthwise conv (+ act), optional SE, then a linear 1x1 projection."""

    def __init__(self, plan: BlockPlan, eps: float = 1e-5, tf_padding: bool = False) -> None:
        super().__init__()
        chs = plan.in_chs
        self.has_skip = plan.residual
        self.conv_dw = create_conv(chs, chs, plan.kernel, plan.stride, plan.dilation, groups=chs, tf_padding=tf_padding)
        self.bn1 = BatchNormAct2d(chs, eps, plan.act)
        self.se = _se(plan)
        self.conv_pw = create_conv(chs, plan.out_chs, 1, tf_padding=tf_padding)
        self.bn2 = BatchNormAct2d(plan.out_chs, eps)
        self.drop_path = _drop_path(plan)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.se(self.bn1(self.conv_dw(x)))
        out = self.bn2(self.conv_pw(out))
        return self.drop_path(out) + x if self.has_skip else out


class InvertedResidual(nn.Module):
    """MBConv: 1x1 expansion, depthwise conv, optional SE, linear 1x1 projection."""

    def __init__(self, plan: BlockPlan, eps: float = 1e-5, tf_padding: bool = False) -> None:
        super().__init__()
        mid = plan.mid_chs
        self.has_skip = plan.residual
        self.conv_pw = create_conv(plan.in_chs, mid, 1, tf_padding=tf_padding)
        self.bn1 = BatchNormAct2d(mid, eps, plan.act)
        self.conv_dw = create_conv(mid, mid, plan.kernel, plan.stride, plan.dilation, groups=mid, tf_padding=tf_padding)
        self.bn2 = BatchNormAct2d(mid, eps, plan.act)
        self.se = _se(plan)
        self.conv_pwl = create_conv(mid, plan.out_chs, 1, tf_padding=tf_padding)
        self.bn3 = BatchNormAct2d(plan.out_chs, eps)
        self.drop_path = _drop_path(plan)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn1(self.conv_pw(x))
        out = self.se(self.bn2(self.conv_dw(out)))
        out = self.bn3(self.conv_pwl(out))
        return self.drop_path(out) + x if self.has_skip else out


class EdgeResidual(nn.Module):
    """Fused-MBConv: one full kxk expansion conv, optional SE, linear 1x1 projection."""

    def __init__(self, plan: BlockPlan, eps: float = 1e-5, tf_padding: bool = False) -> None:
        super().__init__()
        mid = plan.mid_chs
        self.has_skip = plan.residual
        self.conv_exp = create_conv(plan.in_chs, mid, plan.kernel, plan.stride, plan.dilation, tf_padding=tf_padding)
        self.bn1 = BatchNormAct2d(mid, eps, plan.act)
        self.se = _se(plan)
        self.conv_pwl = create_conv(mid, plan.out_chs, 1, tf_padding=tf_padding)
        self.bn2 = BatchNormAct2d(plan.out_chs, eps)
        self.drop_path = _drop_path(plan)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.se(self.bn1(self.conv_exp(x)))
        out = self.bn2(self.conv_pwl(out))
        return self.drop_path(out) + x if self.has_skip else out


_BLOCKS: dict[str, type[nn.Module]] = {
    "conv": ConvBnAct,
    "dsconv": DepthwiseSeparableConv,
    "mbconv": InvertedResidual,
    "fused_mbconv": EdgeResidual,
}


def make_block(plan: BlockPlan, eps: float = 1e-5, tf_padding: bool = False) -> nn.Module:
    return _BLOCKS[plan.block](plan, eps, tf_padding)
