"""The ResNet model: one class that builds any `ResNetSpec`, and a builder per variant in `SPECS`."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from hub.layers import (
    check_output_fmt,
    checkpoint_seq,
    create_classifier,
    drop_path_rates,
    feature_take_indices,
    place_like,
    variant_builders,
)
from hub_resnet.blocks import BasicBlock, Bottleneck, make_shortcut, make_stem
from hub_resnet.specs import SPECS, ResNetSpec

__all__ = ["ResNet"]

_STAGE_NAMES = ("layer1", "layer2", "layer3", "layer4")
_BLOCKS: dict[str, type[BasicBlock] | type[Bottleneck]] = {"basic": BasicBlock, "bottleneck": Bottleneck}


class ResNet(nn.Module):
    """ResNet, ResNeXt, Wide ResNet and SE/ECA-ResNet, by `ResNetSpec`.

    Module names follow the original torchvision layout (conv1, bn1, layer1..4, fc), which
    is what published weights use.
    """

    pretrained_cfg = None

    def __init__(
        self,
        spec: ResNetSpec,
        *,
        num_classes: int = 1000,
        in_chans: int = 3,
        global_pool: str = "avg",
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        output_stride: int = 32,
        zero_init_last: bool = True,
    ) -> None:
        super().__init__()
        if output_stride not in (8, 16, 32):
            raise ValueError(f"output_stride must be 8, 16 or 32 for ResNets, got {output_stride!r}")
        block = _BLOCKS[spec.block]
        self.num_classes = num_classes
        self.drop_rate = drop_rate
        self.grad_checkpointing = False

        stem_chs = spec.stem_width * 2 if spec.stem else 64
        self.conv1 = make_stem(spec.stem, in_chans, spec.stem_width, stem_chs)
        self.bn1 = nn.BatchNorm2d(stem_chs)
        self.act1 = nn.ReLU(inplace=True)
        self.maxpool: nn.Module = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.feature_info: list[dict[str, Any]] = [{"num_chs": stem_chs, "reduction": 2, "module": "act1"}]

        in_chs, net_stride, dilation = stem_chs, 4, 1
        rates = drop_path_rates(drop_path_rate, spec.depths)
        for stage_idx, (name, depth, planes) in enumerate(
            zip(_STAGE_NAMES, spec.depths, (64, 128, 256, 512), strict=True)
        ):
            stride = 1 if stage_idx == 0 else 2
            previous_dilation = dilation
            if net_stride >= output_stride:  # keep the resolution: dilate instead of striding
                dilation *= stride
                stride = 1
            else:
                net_stride *= stride
            out_chs = planes * block.expansion
            blocks = []
            for block_idx in range(depth):
                needs_shortcut = block_idx == 0 and (stride != 1 or in_chs != out_chs)
                blocks.append(
                    block(
                        in_chs,
                        planes,
                        stride=stride if block_idx == 0 else 1,
                        shortcut=(
                            make_shortcut(in_chs, out_chs, stride=stride, dilation=dilation, avg_down=spec.avg_down)
                            if needs_shortcut
                            else None
                        ),
                        cardinality=spec.cardinality,
                        base_width=spec.base_width,
                        dilation=dilation,
                        first_dilation=previous_dilation if block_idx == 0 else dilation,
                        attention=spec.attention,
                        drop_path=rates[stage_idx][block_idx],
                    )
                )
                in_chs = out_chs
            self.add_module(name, nn.Sequential(*blocks))
            self.feature_info.append({"num_chs": out_chs, "reduction": net_stride, "module": name})

        self.num_features = in_chs
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
        self.grad_checkpointing = enable

    def group_matcher(self, coarse: bool = False) -> dict[str, str]:
        """Parameter groups for layer-wise learning-rate decay: the stem, then each block (each stage if ``coarse``)."""
        return {"stem": r"^(?:conv1|bn1)\.", "blocks": r"^layer(\d+)\." if coarse else r"^layer(\d+)\.(\d+)\."}

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
