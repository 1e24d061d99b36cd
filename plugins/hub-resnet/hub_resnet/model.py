"""The ResNet model: one class that builds any `ResNetSpec`, and a builder per variant in `SPECS`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial
from typing import Annotated, Any, Literal

import torch
import torch.nn.functional as F
from torch import nn

from hub import PositiveInt, Probability, Range
from hub.layers import (
    check_output_fmt,
    checkpoint_seq,
    create_classifier,
    drop_path_rates,
    feature_take_indices,
    place_like,
    variant_builders,
)
from hub_resnet.blocks import (
    BasicBlock,
    Bottleneck,
    make_attention,
    make_norm,
    make_shortcut,
    make_stem,
    make_stem_pool,
)
from hub_resnet.specs import BLOCK_EXPANSION, SPECS, ResNetSpec

__all__ = ["ResNet"]

_STAGE_NAMES = ("layer1", "layer2", "layer3", "layer4")


def _make_block(
    spec: ResNetSpec,
    stage_idx: int,
    block_idx: int,
    in_chs: int,
    *,
    stride: int,
    shortcut: nn.Module | None,
    dilation: int,
    first_dilation: int,
    drop_path: float,
) -> BasicBlock | Bottleneck:
    """Block ``block_idx`` of stage ``stage_idx``, its widths from the spec's rule (or its pruned widths)."""
    kind = spec.stage_blocks[stage_idx]
    planes = spec.channels[stage_idx]
    nominal_out = planes * BLOCK_EXPANSION[kind]
    out_chs = spec.stage_out_chs(stage_idx)
    common: dict[str, Any] = {
        "stride": stride,
        "shortcut": shortcut,
        "dilation": dilation,
        "first_dilation": first_dilation,
        "attention": make_attention(spec.attention, out_chs, se_ratio=spec.se_ratio, nominal_channels=nominal_out),
        "anti_alias": spec.anti_alias,
        "norm": spec.norm,
        "drop_path": drop_path,
    }
    if kind == "basic":
        return BasicBlock(in_chs, out_chs, first_planes=planes // spec.reduce_first, **common)
    if spec.pruned is not None:
        first_planes, width = spec.pruned[stage_idx].blocks[block_idx]
        return Bottleneck(in_chs, out_chs, first_planes=first_planes, width=width, **common)
    width = math.floor(planes * spec.base_width / 64) * spec.cardinality
    return Bottleneck(
        in_chs, out_chs, first_planes=width // spec.reduce_first, width=width, groups=spec.cardinality, **common
    )


def _make_stages(
    spec: ResNetSpec, stem_chs: int, output_stride: int, drop_path_rate: float
) -> tuple[list[nn.Sequential], list[dict[str, Any]]]:
    """The four stages and their feature_info; past ``output_stride`` strides become dilation."""
    stages, info = [], []
    in_chs, net_stride, dilation = stem_chs, 4, 1
    rates = drop_path_rates(drop_path_rate, spec.depths)
    for stage_idx, name in enumerate(_STAGE_NAMES):
        stride = 1 if stage_idx == 0 else 2
        previous_dilation = dilation
        if net_stride >= output_stride:  # keep the resolution: dilate instead of striding
            dilation *= stride
            stride = 1
        else:
            net_stride *= stride
        out_chs = spec.stage_out_chs(stage_idx)
        shortcut = None
        if stride != 1 or in_chs != out_chs:
            shortcut = make_shortcut(
                in_chs,
                out_chs,
                stride=stride,
                dilation=dilation,
                first_dilation=previous_dilation,
                avg_down=spec.avg_down,
                kernel_size=spec.down_kernel_size,
                norm=spec.norm,
            )
        blocks = []
        for block_idx in range(spec.depths[stage_idx]):
            first = block_idx == 0
            blocks.append(
                _make_block(
                    spec,
                    stage_idx,
                    block_idx,
                    in_chs if first else out_chs,
                    stride=stride if first else 1,
                    shortcut=shortcut if first else None,
                    dilation=dilation,
                    first_dilation=previous_dilation if first else dilation,
                    drop_path=rates[stage_idx][block_idx],
                )
            )
        stages.append(nn.Sequential(*blocks))
        info.append({"num_chs": out_chs, "reduction": net_stride, "module": name})
        in_chs = out_chs
    return stages, info


class ResNet(nn.Module):
    """ResNet and its variants (ResNet-B/C/D/S/T, ResNeXt, Wide, SE/ECA, anti-aliased, ResNet-RS), by `ResNetSpec`.

    Module names follow the original torchvision layout (conv1, bn1, layer1..4, fc), which
    is what published weights use.
    """

    pretrained_cfg = None

    def __init__(
        self,
        spec: ResNetSpec,
        *,
        num_classes: Annotated[int, Range(min=0)] = 1000,
        in_chans: PositiveInt = 3,
        global_pool: str = "avg",
        drop_rate: Probability = 0.0,
        drop_path_rate: Probability = 0.0,
        output_stride: Literal[8, 16, 32] = 32,
        zero_init_last: bool = True,
    ) -> None:
        super().__init__()
        if output_stride not in (8, 16, 32):
            raise ValueError(f"output_stride must be 8, 16 or 32 for ResNets, got {output_stride!r}")
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False

        stem_chs = spec.stem_chs
        self.conv1 = make_stem(spec.stem, in_chans, spec.stem_width, stem_chs, norm=spec.norm)
        self.bn1 = make_norm(spec.norm, stem_chs)
        self.act1 = nn.ReLU(inplace=True)
        self.maxpool = make_stem_pool(spec.stem_pool, stem_chs, anti_alias=spec.anti_alias, norm=spec.norm)
        self.feature_info: list[dict[str, Any]] = [{"num_chs": stem_chs, "reduction": 2, "module": "act1"}]

        stages, stage_info = _make_stages(spec, stem_chs, output_stride, drop_path_rate)
        for name, stage in zip(_STAGE_NAMES, stages, strict=True):
            self.add_module(name, stage)
        self.feature_info += stage_info

        self.num_features = stage_info[-1]["num_chs"]
        self.global_pool, self.fc = create_classifier(self.num_features, num_classes, global_pool)
        self.head_hidden_size = self.num_features * self.global_pool.feat_mult
        self._init_weights(zero_init_last)

    def _init_weights(self, zero_init_last: bool) -> None:
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
        if zero_init_last:
            for module in self.modules():
                if isinstance(module, (BasicBlock, Bottleneck)):
                    module.zero_init_last()

    def _stages(self) -> list[nn.Sequential]:
        return [getattr(self, name) for name in _STAGE_NAMES]

    def set_grad_checkpointing(self, enable: bool = True) -> None:
        """Recompute each block's activations in the backward pass instead of storing them (training only)."""
        self.grad_checkpointing = enable

    def group_matcher(self, coarse: bool = False) -> dict[str, str]:
        """Parameter groups for layer-wise learning-rate decay, as timm makes them: the stem (with the
        ResNet-RS stem pool's conv), then each block, or each stage if ``coarse``; the head is last."""
        blocks = r"^layer(\d+)\." if coarse else r"^layer(\d+)\.(\d+)\."
        return {"stem": r"^(?:conv1|bn1|maxpool)\.", "blocks": blocks}

    def get_classifier(self) -> nn.Module:
        return self.fc

    def reset_classifier(self, num_classes: int, global_pool: str | None = None) -> None:
        pool_type = self.global_pool.pool_type if global_pool is None else global_pool
        pool, fc = create_classifier(self.num_features, num_classes, pool_type)
        self.num_classes = num_classes
        self.global_pool, self.fc = place_like(pool, self), place_like(fc, self)
        self.head_hidden_size = self.num_features * self.global_pool.feat_mult

    def _stem(self, x: torch.Tensor) -> torch.Tensor:
        return self.act1(self.bn1(self.conv1(x)))

    def _run_stage(self, stage: nn.Sequential, x: torch.Tensor) -> torch.Tensor:
        if self.grad_checkpointing and torch.is_grad_enabled():
            return checkpoint_seq(stage, x)
        return stage(x)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self._stem(x))
        for stage in self._stages():
            x = self._run_stage(stage, x)
        return x

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.global_pool(x)
        if self.drop_rate:
            x = F.dropout(x, p=self.drop_rate, training=self.training)
        return x if pre_logits else self.fc(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: int | Sequence[int] | None = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> list[torch.Tensor] | tuple[torch.Tensor, list[torch.Tensor]]:
        """Stage outputs (stem, layer1..4) at ``indices``; with the final features unless ``intermediates_only``.

        ``stop_early`` skips the stages after the last requested one. ResNets have no final
        norm, so ``norm`` changes nothing. Only the "NCHW" layout exists.
        """
        check_output_fmt(output_fmt)
        take, max_index = feature_take_indices(len(self.feature_info), indices)
        intermediates = []
        x = self._stem(x)
        if 0 in take:
            intermediates.append(x)
        x = self.maxpool(x)
        stages = self._stages()[:max_index] if stop_early else self._stages()
        for index, stage in enumerate(stages, start=1):
            x = self._run_stage(stage, x)
            if index in take:
                intermediates.append(x)
        return intermediates if intermediates_only else (x, intermediates)

    def prune_intermediate_layers(
        self, indices: int | Sequence[int] = 1, prune_norm: bool = False, prune_head: bool = True
    ) -> list[int]:
        """Drop the stages after the last of ``indices`` (and the head); returns the kept indices."""
        take, max_index = feature_take_indices(len(self.feature_info), indices)
        for name in _STAGE_NAMES[max_index:]:
            setattr(self, name, nn.Sequential())
        if max_index == 0:
            self.maxpool = nn.Identity()
        if max_index < len(_STAGE_NAMES):
            self.num_features = self.head_hidden_size = self.feature_info[max_index]["num_chs"]
        if prune_head or max_index < len(_STAGE_NAMES):
            self.reset_classifier(0, "")
        return take


# One builder per variant: ``hub_resnet.model:resnet50`` is ResNet with SPECS["resnet50"] bound.
__getattr__ = variant_builders(SPECS, lambda spec: partial(ResNet, spec))
