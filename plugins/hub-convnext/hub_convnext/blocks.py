"""Layers of ConvNeXt and ConvNeXt-V2: norms, the block, the stage and the classifier head.

Module and parameter names follow timm's, so that timm's checkpoints load unchanged.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from hub.layers import (
    POOL_TYPES,
    Conv2dSame,
    DropPath,
    GlobalPool,
    check_pool_type,
    checkpoint_seq,
    create_classifier,
    get_padding,
    is_static_same_padding,
    make_divisible,
)

__all__ = [
    "HEAD_POOL_TYPES",
    "ClassifierHead",
    "ConvNeXtBlock",
    "ConvNeXtStage",
    "GlobalResponseNorm",
    "LayerNorm2d",
    "Mlp",
    "NormHead",
    "RmsNorm2d",
    "SimpleNorm2d",
    "make_act",
    "make_norm",
    "make_stem",
]

# ConvNeXt's norms use eps 1e-6 unless a variant says otherwise (the reference implementation's choice).
NORM_EPS = 1e-6
STEM_STRIDE = 4

# The head normalises the pooled features, so the pool must keep the channel count.
HEAD_POOL_TYPES = tuple(p for p in POOL_TYPES if p != "catavgmax")


class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over the channels of an NCHW map (each pixel normalised on its own)."""

    def __init__(self, num_channels: int, eps: float = NORM_EPS) -> None:
        super().__init__(num_channels, eps=eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.layer_norm(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias, self.eps)
        return x.permute(0, 3, 1, 2)


class RmsNorm2d(nn.Module):
    """RMS norm over the channels of an NCHW map: each pixel scaled by its root mean square, no centring."""

    def __init__(self, num_channels: int, eps: float = NORM_EPS) -> None:
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + self.eps)
        return x * self.weight.view(1, -1, 1, 1)

    def extra_repr(self) -> str:
        return f"{self.weight.shape[0]}, eps={self.eps}"


class SimpleNorm2d(nn.Module):
    """timm's "simple norm" over the channels of an NCHW map: each pixel divided by its standard deviation.

    No centring; the variance is the unbiased one (divided by channels - 1), as timm computes it.
    """

    def __init__(self, num_channels: int, eps: float = NORM_EPS) -> None:
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x * torch.rsqrt(x.var(dim=1, keepdim=True) + self.eps)
        return x * self.weight.view(1, -1, 1, 1)

    def extra_repr(self) -> str:
        return f"{self.weight.shape[0]}, eps={self.eps}"


_NORMS_2D: dict[str, type[LayerNorm2d] | type[RmsNorm2d] | type[SimpleNorm2d]] = {
    "layernorm": LayerNorm2d,
    "rmsnorm": RmsNorm2d,
    "simplenorm": SimpleNorm2d,
}


def make_norm(kind: str, dim: int, eps: float = NORM_EPS, *, channels_last: bool = False) -> nn.Module:
    """A norm over channels: "layernorm", "rmsnorm" or "simplenorm"; NHWC input with ``channels_last``.

    Only the layer norm has a channels-last form (the variants that use the others run NCHW).
    """
    if channels_last:
        if kind != "layernorm":
            raise ValueError(f"norm {kind!r} has no channels-last form; use conv_mlp=True")
        return nn.LayerNorm(dim, eps=eps)
    if kind not in _NORMS_2D:
        raise ValueError(f"unknown norm {kind!r}; use one of {tuple(_NORMS_2D)}")
    return _NORMS_2D[kind](dim, eps=eps)


def make_act(kind: str) -> nn.Module:
    """The MLP's activation: "gelu", "gelu_tanh" (GELU's tanh approximation) or "silu"."""
    if kind == "gelu":
        return nn.GELU()
    if kind == "gelu_tanh":
        return nn.GELU(approximate="tanh")
    if kind == "silu":
        return nn.SiLU()
    raise ValueError(f"unknown activation {kind!r}; use 'gelu', 'gelu_tanh' or 'silu'")


class GlobalResponseNorm(nn.Module):
    """ConvNeXt-V2's GRN: scale each channel by its spatial L2 norm relative to the mean over channels.

    ``channels_last``: the input is NHWC (linear MLP) rather than NCHW (1x1-conv MLP).
    ``weight`` and ``bias`` start at zero, so a fresh GRN is the identity.
    """

    def __init__(self, dim: int, eps: float = 1e-6, channels_last: bool = True) -> None:
        super().__init__()
        self.eps = eps
        self.spatial_dims = (1, 2) if channels_last else (2, 3)
        self.channel_dim = -1 if channels_last else 1
        self.affine_shape = (1, 1, 1, -1) if channels_last else (1, -1, 1, 1)
        self.weight = nn.Parameter(torch.zeros(dim))
        self.bias = nn.Parameter(torch.zeros(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        spatial_norm = x.norm(p=2, dim=self.spatial_dims, keepdim=True)
        relative = spatial_norm / (spatial_norm.mean(dim=self.channel_dim, keepdim=True) + self.eps)
        weight = self.weight.view(self.affine_shape)
        bias = self.bias.view(self.affine_shape)
        return x + torch.addcmul(bias, weight, x * relative)


class Mlp(nn.Module):
    """The block's inverted bottleneck: fc1 -> activation (GELU) -> (GRN) -> fc2.

    ``use_conv``: 1x1 convs on NCHW; otherwise Linear layers on NHWC.
    """

    def __init__(self, dim: int, hidden_dim: int, *, use_conv: bool, use_grn: bool, act: str = "gelu") -> None:
        super().__init__()
        if use_conv:
            self.fc1: nn.Module = nn.Conv2d(dim, hidden_dim, 1)
        else:
            self.fc1 = nn.Linear(dim, hidden_dim)
        self.act = make_act(act)
        self.grn = GlobalResponseNorm(hidden_dim, channels_last=not use_conv) if use_grn else None
        self.fc2: nn.Module = nn.Conv2d(hidden_dim, dim, 1) if use_conv else nn.Linear(hidden_dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act(self.fc1(x))
        if self.grn is not None:
            x = self.grn(x)
        return self.fc2(x)


class ConvNeXtBlock(nn.Module):
    """Depthwise 7x7 conv -> norm -> MLP (x4) -> layer scale, added to the input.

    ``conv_mlp``: norm and MLP run on NCHW with 1x1 convs (faster for the small
    variants); otherwise they run channels-last with Linear layers. ``ls_init_value``:
    initial layer scale ``gamma`` (None: no layer scale, as in V2). ``use_grn``: V2's
    global response norm inside the MLP. ``norm`` / ``norm_eps``: see `make_norm`;
    ``act``: see `make_act`.
    """

    def __init__(
        self,
        dim: int,
        *,
        kernel_size: int = 7,
        dilation: int = 1,
        mlp_ratio: float = 4.0,
        conv_mlp: bool = False,
        use_grn: bool = False,
        ls_init_value: float | None = 1e-6,
        norm: str = "layernorm",
        norm_eps: float = NORM_EPS,
        act: str = "gelu",
        drop_path: float = 0.0,
    ) -> None:
        super().__init__()
        self.conv_mlp = conv_mlp
        # A parameter of the block itself, so it comes first in the state dict, as in timm's.
        self.gamma = nn.Parameter(torch.full((dim,), ls_init_value)) if ls_init_value is not None else None
        padding = get_padding(kernel_size, 1, dilation)
        self.conv_dw = nn.Conv2d(dim, dim, kernel_size, padding=padding, dilation=dilation, groups=dim)
        self.norm = make_norm(norm, dim, norm_eps, channels_last=not conv_mlp)
        self.mlp = Mlp(dim, int(mlp_ratio * dim), use_conv=conv_mlp, use_grn=use_grn, act=act)
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.conv_dw(x)
        if self.conv_mlp:
            x = self.mlp(self.norm(x))
            if self.gamma is not None:
                x = x * self.gamma.view(1, -1, 1, 1)
        else:
            x = self.mlp(self.norm(x.permute(0, 2, 3, 1)))
            if self.gamma is not None:
                x = x * self.gamma  # channels last: gamma broadcasts over the last dim
            x = x.permute(0, 3, 1, 2)
        return self.drop_path(x) + shortcut


def downsample_conv(in_chs: int, out_chs: int, *, stride: int, dilation: int, same_padding: bool) -> nn.Conv2d:
    """The 2x2 conv between stages; ``same_padding`` keeps the size once stages are dilated."""
    kernel_size = 2 if stride > 1 or same_padding else 1
    if not same_padding:
        return nn.Conv2d(in_chs, out_chs, kernel_size, stride=stride, dilation=dilation)
    if is_static_same_padding(kernel_size, stride, dilation):
        padding = get_padding(kernel_size, stride, dilation)
        return nn.Conv2d(in_chs, out_chs, kernel_size, stride=stride, padding=padding, dilation=dilation)
    # An even receptive field cannot be padded symmetrically: pad the odd pixel right/bottom.
    return Conv2dSame(in_chs, out_chs, kernel_size, stride=stride, dilation=dilation)


class ConvNeXtStage(nn.Module):
    """Optional downsample (norm + conv) then ``depth`` blocks at one resolution.

    ``dilation`` is (first, rest): the downsample conv uses the first, the blocks the rest;
    they differ only when ``output_stride`` turns strides into dilation. The other keywords
    configure the blocks (`ConvNeXtBlock`).
    """

    def __init__(
        self,
        in_chs: int,
        out_chs: int,
        *,
        depth: int,
        stride: int = 2,
        dilation: tuple[int, int] = (1, 1),
        drop_path_rates: list[float] | None = None,
        kernel_size: int = 7,
        conv_mlp: bool = False,
        use_grn: bool = False,
        ls_init_value: float | None = 1e-6,
        norm: str = "layernorm",
        norm_eps: float = NORM_EPS,
        act: str = "gelu",
    ) -> None:
        super().__init__()
        self.grad_checkpointing = False
        first_dilation, block_dilation = dilation
        if in_chs != out_chs or stride > 1 or first_dilation != block_dilation:
            conv = downsample_conv(
                in_chs,
                out_chs,
                stride=stride,
                dilation=first_dilation,
                same_padding=block_dilation > 1,
            )
            self.downsample: nn.Module = nn.Sequential(make_norm(norm, in_chs, norm_eps), conv)
        else:
            self.downsample = nn.Identity()
        rates = drop_path_rates or [0.0] * depth
        self.blocks = nn.Sequential(
            *(
                ConvNeXtBlock(
                    out_chs,
                    kernel_size=kernel_size,
                    dilation=block_dilation,
                    conv_mlp=conv_mlp,
                    use_grn=use_grn,
                    ls_init_value=ls_init_value,
                    norm=norm,
                    norm_eps=norm_eps,
                    act=act,
                    drop_path=rates[i],
                )
                for i in range(depth)
            )
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.downsample(x)
        if self.grad_checkpointing and torch.is_grad_enabled():
            return checkpoint_seq(self.blocks, x)
        return self.blocks(x)


def _check_head_pool(pool_type: str) -> None:
    # Without pooling the head's layers become 1x1 convs, so any number of classes fits.
    check_pool_type(
        pool_type,
        allowed=HEAD_POOL_TYPES,
        classifier_takes_maps=True,
        hint=" for ConvNeXt (its head normalises the pooled channels, so 'catavgmax' does not fit)",
    )


class NormHead(nn.Module):
    """Pool -> norm -> flatten -> (hidden fc + GELU) -> dropout -> fc: the original ConvNeXt head.

    Without pooling (``pool_type=""``) the layers after the norm are 1x1 convs and the
    output stays a map. ``num_features`` is the width fed to ``fc``: ``hidden_size``
    when there is a hidden layer, else ``in_features``. ``norm`` / ``norm_eps``: the
    model's norm (`make_norm`).
    """

    def __init__(
        self,
        in_features: int,
        num_classes: int,
        *,
        pool_type: str = "avg",
        hidden_size: int | None = None,
        drop_rate: float = 0.0,
        norm: str = "layernorm",
        norm_eps: float = NORM_EPS,
    ) -> None:
        super().__init__()
        _check_head_pool(pool_type)
        self.in_features = in_features
        self.hidden_size = hidden_size
        self.num_features = hidden_size or in_features
        self.global_pool = GlobalPool(pool_type, flatten=False)
        self.norm: nn.Module = make_norm(norm, in_features, norm_eps)
        self.flatten: nn.Module = nn.Flatten(1) if pool_type else nn.Identity()
        self.pre_logits: nn.Module = nn.Identity()
        if hidden_size:
            self.pre_logits = nn.Sequential()
            self.pre_logits.add_module("fc", self._linear(in_features, hidden_size))
            self.pre_logits.add_module("act", nn.GELU())
        self.drop = nn.Dropout(drop_rate)
        self.fc = self._linear(self.num_features, num_classes) if num_classes > 0 else nn.Identity()

    @property
    def use_conv(self) -> bool:
        return self.global_pool.is_identity()

    def _linear(self, in_features: int, out_features: int) -> nn.Conv2d | nn.Linear:
        if self.use_conv:
            return nn.Conv2d(in_features, out_features, 1)
        return nn.Linear(in_features, out_features)

    def reset(
        self,
        num_classes: int,
        pool_type: str | None = None,
        *,
        reset_other: bool = False,
        in_features: int | None = None,
    ) -> None:
        """A new classifier (and pool); ``reset_other`` also drops the norm and hidden layer.

        ``in_features`` may change only without the norm. The model places the new layers
        (`hub.layers.place_like`).
        """
        if (
            in_features is not None
            and in_features != self.in_features
            and not (reset_other or isinstance(self.norm, nn.Identity))
        ):
            raise ValueError("the head's input width can only change once its norm is removed (reset_other=True)")
        if pool_type is not None:
            _check_head_pool(pool_type)
            self.global_pool = GlobalPool(pool_type, flatten=False)
            self.flatten = nn.Flatten(1) if pool_type else nn.Identity()
        if reset_other:
            self.norm = nn.Identity()
            self.pre_logits = nn.Identity()
            self.hidden_size = None
            self.num_features = self.in_features
        if in_features is not None and in_features != self.in_features:
            self.in_features = in_features
            if not self.hidden_size:
                self.num_features = in_features
        if self.hidden_size:
            old = self.pre_logits.get_submodule("fc")
            assert isinstance(old, (nn.Conv2d, nn.Linear))
            if isinstance(old, nn.Conv2d) != self.use_conv:
                # Pooling switched on or off: the same weights as a Linear or as a 1x1 conv.
                new = self._linear(self.in_features, self.hidden_size)
                new.load_state_dict({"weight": old.weight.reshape(new.weight.shape), "bias": old.bias})
                self.pre_logits.add_module("fc", new)
        self.fc = self._linear(self.num_features, num_classes) if num_classes > 0 else nn.Identity()

    def forward(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.global_pool(x)
        x = self.norm(x)
        x = self.flatten(x)
        x = self.pre_logits(x)
        x = self.drop(x)
        return x if pre_logits else self.fc(x)


class ClassifierHead(nn.Module):
    """Pool -> dropout -> fc, for the variants that normalise before pooling (``norm_pre``).

    Any pool fits, "catavgmax" included (it doubles ``num_features``); without pooling
    (``pool_type=""``) there can be no classifier (``num_classes=0``).
    """

    def __init__(self, in_features: int, num_classes: int, *, pool_type: str = "avg", drop_rate: float = 0.0) -> None:
        super().__init__()
        self.in_features = in_features
        self.global_pool, self.fc = create_classifier(in_features, num_classes, pool_type)
        self.num_features = in_features * self.global_pool.feat_mult
        self.drop = nn.Dropout(drop_rate)
        self.flatten = nn.Identity()  # keeps timm's module layout: the pool already flattens

    def reset(
        self,
        num_classes: int,
        pool_type: str | None = None,
        *,
        reset_other: bool = False,
        in_features: int | None = None,
    ) -> None:
        """A new classifier (and pool, and input width); ``reset_other`` changes nothing (no other layers).

        The model places the new layers (`hub.layers.place_like`).
        """
        if in_features is not None:
            self.in_features = in_features
        pool_type = self.global_pool.pool_type if pool_type is None else pool_type
        self.global_pool, self.fc = create_classifier(self.in_features, num_classes, pool_type)
        self.num_features = self.in_features * self.global_pool.feat_mult

    def forward(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.drop(self.global_pool(x))
        return x if pre_logits else self.fc(x)


def make_stem(kind: str, in_chans: int, out_chs: int, *, norm: str, norm_eps: float, act: str) -> nn.Sequential:
    """The stride-4 stem: "patch" (a 4x4 stride-4 conv) or two overlapping stride-2 3x3 convs, then a norm.

    "overlap_tiered" makes the first conv half as wide (rounded to a multiple of 8);
    "overlap_act" puts the activation between the convs.
    """
    if kind == "patch":
        return nn.Sequential(
            nn.Conv2d(in_chans, out_chs, kernel_size=STEM_STRIDE, stride=STEM_STRIDE),
            make_norm(norm, out_chs, norm_eps),
        )
    if kind not in ("overlap", "overlap_tiered", "overlap_act"):
        raise ValueError(f"unknown stem {kind!r}")
    mid_chs = make_divisible(out_chs // 2) if kind == "overlap_tiered" else out_chs
    layers: list[nn.Module] = [nn.Conv2d(in_chans, mid_chs, kernel_size=3, stride=2, padding=1)]
    if kind == "overlap_act":
        layers.append(make_act(act))
    layers += [nn.Conv2d(mid_chs, out_chs, kernel_size=3, stride=2, padding=1), make_norm(norm, out_chs, norm_eps)]
    return nn.Sequential(*layers)
