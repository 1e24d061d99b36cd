"""The blocks of the EfficientNet / MobileNet family, one class per block type of ``arch``.

Attribute names follow timm's, so state-dict keys match the published weights. Every block
is built from a `BlockPlan` and its network's conventions (`NetworkDef`: norm, padding,
anti-aliasing, layer scale), so the blocks hold no sizing logic.
"""

from __future__ import annotations

import torch
from torch import nn

from hub.layers import DropPath
from hub_efficientnet.arch import BlockPlan, Kernel, NetworkDef
from hub_efficientnet.layers import (
    GlobalContext,
    LayerScale2d,
    MultiQueryAttention2d,
    SqueezeExcite,
    create_aa,
    create_conv,
    create_norm_act,
)

__all__ = [
    "CondConvResidual",
    "ConvBnAct",
    "ConvNormAct",
    "DepthwiseSeparableConv",
    "EdgeResidual",
    "InvertedResidual",
    "MobileAttention",
    "UniversalInvertedResidual",
    "make_block",
]


def _groups(chs: int, group_size: int) -> int:
    return chs // group_size if group_size else 1


def _attention(plan: BlockPlan) -> nn.Module:
    """The block's channel attention over its spatial conv's output (Identity when it has none)."""
    if plan.se is None:
        return nn.Identity()
    if plan.se.kind == "gc":
        return GlobalContext(plan.mid_chs, plan.se.rd_chs, act=plan.se.act, gate=plan.se.gate)
    return SqueezeExcite(plan.mid_chs, plan.se.rd_chs, act=plan.se.act, gate=plan.se.gate)


def _drop_path(plan: BlockPlan) -> nn.Module:
    return DropPath(plan.drop_path) if plan.drop_path else nn.Identity()


def _aa(net: NetworkDef, chs: int, stride: int) -> nn.Module:
    """The anti-aliasing downsampler after a block's spatial conv, or Identity."""
    layer = create_aa(net.aa, chs, stride)
    return nn.Identity() if layer is None else layer


def _aa_stride(plan: BlockPlan, net: NetworkDef) -> int:
    """The spatial conv's stride: 1 when an anti-aliasing layer after it downsamples instead."""
    return 1 if net.aa and plan.stride > 1 else plan.stride


class ConvBnAct(nn.Module):
    """Conv, norm, activation; a residual when the plan allows (EfficientNetV2's first stage)."""

    def __init__(self, plan: BlockPlan, net: NetworkDef) -> None:
        super().__init__()
        self.has_skip = plan.residual
        self.conv = create_conv(
            plan.in_chs,
            plan.out_chs,
            plan.kernel,
            _aa_stride(plan, net),
            plan.dilation,
            groups=_groups(plan.in_chs, plan.group_size),
            tf_padding=net.tf_padding,
        )
        self.bn1 = create_norm_act(net.norm, plan.out_chs, plan.act)
        self.aa = _aa(net, plan.out_chs, plan.stride)
        self.drop_path = _drop_path(plan)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.aa(self.bn1(self.conv(x)))
        return self.drop_path(out) + x if self.has_skip else out


class DepthwiseSeparableConv(nn.Module):
    """Depthwise conv (+ act), optional SE, then a 1x1 projection (with an act in MobileNetV1 / LCNet).

    With a space-to-depth plan (EfficientNet-X) a 2x2 stride-2 conv to four times the
    channels comes first, and the depthwise conv is half the size.
    """

    def __init__(self, plan: BlockPlan, net: NetworkDef) -> None:
        super().__init__()
        self.has_skip = plan.residual
        chs = plan.mid_chs
        if plan.space_to_depth:
            self.conv_s2d: nn.Module | None = create_conv(plan.in_chs, chs, 2, stride=2, tf_padding=True)
            self.bn_s2d: nn.Module | None = create_norm_act(net.norm, chs, plan.act)
        else:
            self.conv_s2d = self.bn_s2d = None
        self.conv_dw = create_conv(
            chs,
            chs,
            plan.kernel,
            _aa_stride(plan, net),
            plan.dilation,
            groups=_groups(chs, plan.group_size),
            tf_padding=net.tf_padding or plan.kernel == 2,
        )
        self.bn1 = create_norm_act(net.norm, chs, plan.act)
        self.aa = _aa(net, chs, plan.stride)
        self.se = _attention(plan)
        self.conv_pw = create_conv(chs, plan.out_chs, plan.row.pw_kernel, tf_padding=net.tf_padding)
        self.bn2 = create_norm_act(net.norm, plan.out_chs, plan.act if plan.row.pw_act else None)
        self.drop_path = _drop_path(plan)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = x
        if self.conv_s2d is not None and self.bn_s2d is not None:
            out = self.bn_s2d(self.conv_s2d(out))
        out = self.se(self.aa(self.bn1(self.conv_dw(out))))
        out = self.bn2(self.conv_pw(out))
        return self.drop_path(out) + x if self.has_skip else out


class InvertedResidual(nn.Module):
    """MBConv: 1x1 expansion, depthwise conv, optional SE, linear 1x1 projection.

    MixNet splits each conv into channel groups with their own kernel sizes.
    """

    def __init__(self, plan: BlockPlan, net: NetworkDef) -> None:
        super().__init__()
        mid = plan.mid_chs
        pad = net.tf_padding
        self.has_skip = plan.residual
        self.conv_pw = create_conv(plan.in_chs, mid, plan.row.exp_kernel, tf_padding=pad, experts=plan.row.experts)
        self.bn1 = create_norm_act(net.norm, mid, plan.act)
        stride = _aa_stride(plan, net)
        groups = _groups(mid, plan.group_size)
        self.conv_dw = create_conv(
            mid, mid, plan.kernel, stride, plan.dilation, groups, tf_padding=pad, experts=plan.row.experts
        )
        self.bn2 = create_norm_act(net.norm, mid, plan.act)
        self.aa = _aa(net, mid, plan.stride)
        self.se = _attention(plan)
        self.conv_pwl = create_conv(mid, plan.out_chs, plan.row.pw_kernel, tf_padding=pad, experts=plan.row.experts)
        self.bn3 = create_norm_act(net.norm, plan.out_chs)
        self.drop_path = _drop_path(plan)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn1(self.conv_pw(x))
        out = self.se(self.aa(self.bn2(self.conv_dw(out))))
        out = self.bn3(self.conv_pwl(out))
        return self.drop_path(out) + x if self.has_skip else out


class CondConvResidual(InvertedResidual):
    """MBConv whose three convs mix ``experts`` kernels per input, weighted by a routing layer."""

    def __init__(self, plan: BlockPlan, net: NetworkDef) -> None:
        super().__init__(plan, net)
        self.routing_fn = nn.Linear(plan.in_chs, plan.row.experts)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        routing = torch.sigmoid(self.routing_fn(x.mean((2, 3))))
        out = self.bn1(self.conv_pw(x, routing))
        out = self.se(self.bn2(self.conv_dw(out, routing)))
        out = self.bn3(self.conv_pwl(out, routing))
        return self.drop_path(out) + x if self.has_skip else out


class EdgeResidual(nn.Module):
    """Fused-MBConv: one full (or grouped) kxk expansion conv, optional SE, linear 1x1 projection."""

    def __init__(self, plan: BlockPlan, net: NetworkDef) -> None:
        super().__init__()
        mid = plan.mid_chs
        self.has_skip = plan.residual
        self.conv_exp = create_conv(
            plan.in_chs,
            mid,
            plan.kernel,
            _aa_stride(plan, net),
            plan.dilation,
            groups=_groups(mid, plan.group_size),
            tf_padding=net.tf_padding,
        )
        self.bn1 = create_norm_act(net.norm, mid, plan.act)
        self.aa = _aa(net, mid, plan.stride)
        self.se = _attention(plan)
        self.conv_pwl = create_conv(mid, plan.out_chs, plan.row.pw_kernel, tf_padding=net.tf_padding)
        self.bn2 = create_norm_act(net.norm, plan.out_chs)
        self.drop_path = _drop_path(plan)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.se(self.aa(self.bn1(self.conv_exp(x))))
        out = self.bn2(self.conv_pwl(out))
        return self.drop_path(out) + x if self.has_skip else out


class ConvNormAct(nn.Module):
    """Conv, norm, optional activation, and an anti-aliasing downsampler when it should stride.

    The parts are ``conv``, ``bn`` and ``aa`` (None without anti-aliasing).
    """

    def __init__(
        self,
        in_chs: int,
        out_chs: int,
        kernel: Kernel,
        net: NetworkDef,
        *,
        stride: int = 1,
        dilation: int = 1,
        groups: int = 1,
        act: str | None = None,
        aa: bool = False,
    ) -> None:
        super().__init__()
        anti_alias = aa and net.aa is not None and stride > 1
        conv_stride = 1 if anti_alias else stride
        self.conv = create_conv(in_chs, out_chs, kernel, conv_stride, dilation, groups, tf_padding=net.tf_padding)
        self.bn = create_norm_act(net.norm, out_chs, act)
        self.aa = create_aa(net.aa, out_chs, stride) if anti_alias else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.bn(self.conv(x))
        return self.aa(x) if self.aa is not None else x


class UniversalInvertedResidual(nn.Module):
    """MobileNetV4's UIB: optional depthwise conv, 1x1 expansion, optional depthwise conv, optional SE,
    1x1 projection, optional depthwise conv, layer scale.

    The first depthwise conv present strides. Without depthwise convs it is a feed-forward
    block; with only the first, a ConvNeXt-like block; with only the middle, an inverted residual.
    """

    def __init__(self, plan: BlockPlan, net: NetworkDef) -> None:
        super().__init__()
        row, mid = plan.row, plan.mid_chs
        self.has_skip = plan.residual

        def depthwise(chs: int, kernel: Kernel, stride: int, act: str | None = None, aa: bool = True) -> nn.Module:
            if not kernel:
                return nn.Identity()  # no conv here: an Identity in its place, as in timm
            groups = _groups(chs, plan.group_size)
            return ConvNormAct(
                chs, chs, kernel, net, stride=stride, dilation=plan.dilation, groups=groups, act=act, aa=aa
            )

        self.dw_start = depthwise(plan.in_chs, row.dw_start, 1 if row.kernel else plan.stride)
        self.pw_exp = ConvNormAct(plan.in_chs, mid, 1, net, act=plan.act)
        self.dw_mid = depthwise(mid, row.kernel, plan.stride, plan.act)
        self.se = _attention(plan)
        self.pw_proj = ConvNormAct(mid, plan.out_chs, 1, net)
        self.dw_end = depthwise(plan.out_chs, row.dw_end, 1 if row.dw_start or row.kernel else plan.stride, aa=False)
        self.layer_scale = LayerScale2d(plan.out_chs, net.layer_scale) if net.layer_scale else nn.Identity()
        self.drop_path = _drop_path(plan)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.dw_mid(self.pw_exp(self.dw_start(x)))
        out = self.dw_end(self.pw_proj(self.se(out)))
        out = self.layer_scale(out)
        return self.drop_path(out) + x if self.has_skip else out


class MobileAttention(nn.Module):
    """MobileNetV4's attention block: norm, multi-query attention, layer scale, residual."""

    def __init__(self, plan: BlockPlan, net: NetworkDef) -> None:
        super().__init__()
        self.has_skip = plan.residual
        self.norm = create_norm_act(net.norm, plan.in_chs)
        self.attn = MultiQueryAttention2d(
            plan.in_chs,
            plan.out_chs,
            heads=plan.row.heads,
            key_dim=plan.row.key_dim,
            kv_stride=plan.row.kv_stride,
            kernel=plan.kernel if isinstance(plan.kernel, int) else plan.kernel[0],
            dilation=plan.dilation,
            norm=net.norm,
            tf_padding=net.tf_padding,
        )
        self.layer_scale = LayerScale2d(plan.out_chs, net.layer_scale) if net.layer_scale else nn.Identity()
        self.drop_path = _drop_path(plan)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.layer_scale(self.attn(self.norm(x)))
        return self.drop_path(out) + x if self.has_skip else out


_BLOCKS: dict[str, type[nn.Module]] = {
    "conv": ConvBnAct,
    "dsconv": DepthwiseSeparableConv,
    "mbconv": InvertedResidual,
    "fused_mbconv": EdgeResidual,
    "uir": UniversalInvertedResidual,
    "attention": MobileAttention,
}


def make_block(plan: BlockPlan, net: NetworkDef) -> nn.Module:
    if plan.block == "mbconv" and plan.row.experts:
        return CondConvResidual(plan, net)
    return _BLOCKS[plan.block](plan, net)
