"""ConvNeXt and ConvNeXt-V2: the model, and a builder per variant in `hub_convnext._variants.VARIANTS`.

Papers: "A ConvNet for the 2020s" (arXiv:2201.03545) and "ConvNeXt V2: Co-designing and
Scaling ConvNets with Masked Autoencoders" (arXiv:2301.00808). The atto to nano sizes are
timm's own. State-dict keys, feature stages and outputs equal timm's ``ConvNeXt``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import torch
from torch import nn

from hub import PositiveInt
from hub.layers import (
    check_output_fmt,
    drop_path_rates,
    feature_take_indices,
    place_like,
    trunc_normal_,
    variant_builders,
)
from hub_convnext._variants import VARIANTS, ConvNeXtArch
from hub_convnext.blocks import ConvNeXtStage, LayerNorm2d, NormHead

__all__ = ["ConvNeXt"]

STEM_STRIDE = 4  # the stem is a 4x4 patchify conv


@dataclass(frozen=True)
class _StagePlan:
    stride: int
    dilation: tuple[int, int]  # (downsample conv, blocks)
    reduction: int  # total stride at the stage's output


def plan_stages(output_stride: int) -> list[_StagePlan]:
    """Stride and dilation of each stage; past ``output_stride`` strides become dilation."""
    if output_stride not in (8, 16, 32):
        raise ValueError(f"output_stride must be 8, 16 or 32 for ConvNeXt, got {output_stride!r}")
    plans, reduction, dilation = [], STEM_STRIDE, 1
    for i in range(4):
        stride = 1 if i == 0 else 2
        if reduction >= output_stride and stride > 1:
            dilation, stride = dilation * stride, 1
        reduction *= stride
        # The downsample conv still sees the previous stage's dilation (capped at 2, as in timm).
        first_dilation = 1 if dilation in (1, 2) else 2
        plans.append(_StagePlan(stride, (first_dilation, dilation), reduction))
    return plans


def init_weights_(module: nn.Module, linear_scale: float = 1.0) -> None:
    """timm's ConvNeXt init: truncated-normal conv and linear weights, zero biases.

    ``linear_scale`` multiplies the Linear layers (``head_init_scale`` for the head).
    """
    for layer in module.modules():
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            trunc_normal_(layer.weight, std=0.02)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
            if isinstance(layer, nn.Linear) and linear_scale != 1.0:
                with torch.no_grad():
                    layer.weight.mul_(linear_scale)
                    layer.bias.mul_(linear_scale)


class ConvNeXt(nn.Module):
    """ConvNeXt / ConvNeXt-V2: patchify stem, four stages of ConvNeXt blocks, norm-pool-fc head.

    ``arch`` fixes the variant; the other arguments are the usual builder keywords.
    ``output_stride`` (8, 16, 32) dilates the last stages instead of striding them.
    ``head_hidden_size`` adds a hidden fc + GELU before the classifier.
    """

    pretrained_cfg = None

    def __init__(
        self,
        arch: ConvNeXtArch,
        *,
        num_classes: int = 1000,
        in_chans: int = 3,
        global_pool: str = "avg",
        output_stride: int = 32,
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        head_hidden_size: PositiveInt | None = None,
        head_init_scale: float = 1.0,
    ) -> None:
        super().__init__()
        self.arch = arch
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False
        dims = arch.dims

        self.stem = nn.Sequential(
            nn.Conv2d(in_chans, dims[0], kernel_size=STEM_STRIDE, stride=STEM_STRIDE),
            LayerNorm2d(dims[0]),
        )
        stages: list[nn.Module] = []
        self.feature_info: list[dict[str, Any]] = []
        prev_chs = dims[0]
        block_rates = drop_path_rates(drop_path_rate, arch.depths)
        for i, plan in enumerate(plan_stages(output_stride)):
            stages.append(
                ConvNeXtStage(
                    prev_chs,
                    dims[i],
                    depth=arch.depths[i],
                    stride=plan.stride,
                    dilation=plan.dilation,
                    drop_path_rates=block_rates[i],
                    conv_mlp=arch.conv_mlp,
                    use_grn=arch.use_grn,
                    ls_init_value=arch.ls_init_value,
                )
            )
            prev_chs = dims[i]
            self.feature_info.append({"num_chs": prev_chs, "reduction": plan.reduction, "module": f"stages.{i}"})
        self.stages = nn.Sequential(*stages)
        self.num_features = prev_chs
        # The body is initialised before the head exists, so that a given seed gives the same
        # body whatever the head (a feature extractor has the classifier model's weights).
        init_weights_(self.stem)
        init_weights_(self.stages)
        # The final norm sits in the head, after pooling (the original ConvNeXt ordering);
        # ``norm_pre`` is kept, empty, for timm's module layout.
        self.norm_pre = nn.Identity()
        self.head = NormHead(
            self.num_features, num_classes, pool_type=global_pool, hidden_size=head_hidden_size, drop_rate=drop_rate
        )
        self.head_hidden_size = self.head.num_features
        init_weights_(self.head, linear_scale=head_init_scale)

    @property
    def global_pool(self) -> nn.Module:
        """The head's pooling module (its ``pool_type`` is the ``global_pool`` argument)."""
        return self.head.global_pool

    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable
        for stage in self.stages:
            if isinstance(stage, ConvNeXtStage):
                stage.grad_checkpointing = enable

    def group_matcher(self, coarse: bool = False) -> dict[str, Any]:
        """Parameter groups for layer-wise learning-rate decay: the stem, then each block (each stage if
        ``coarse``); a stage's downsampling layer joins its first block."""
        if coarse:
            return {"stem": r"^stem\.", "blocks": r"^stages\.(\d+)\."}
        blocks = [(r"^stages\.(\d+)\.downsample\.", (0,)), (r"^stages\.(\d+)\.blocks\.(\d+)\.", None)]
        return {"stem": r"^stem\.", "blocks": blocks}

    def get_classifier(self) -> nn.Module:
        return self.head.fc

    def reset_classifier(self, num_classes: int, global_pool: str | None = None, reset_other: bool = False) -> None:
        """A new classifier for ``num_classes`` (0: none); ``reset_other`` also drops the head's norm."""
        self.head.reset(num_classes, global_pool, reset_other=reset_other, in_features=self.num_features)
        place_like(self.head, self)
        self.num_classes = num_classes
        self.head_hidden_size = self.head.num_features

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: int | Sequence[int] | None = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> list[torch.Tensor] | tuple[torch.Tensor, list[torch.Tensor]]:
        """Stage outputs (``indices``: None all, n the last n, or a list), and the final features.

        ``norm`` applies ``norm_pre`` to the last stage's output; ``stop_early`` skips the
        stages after the last one asked for.
        """
        check_output_fmt(output_fmt)
        take, max_index = feature_take_indices(len(self.stages), indices)
        last = len(self.stages) - 1
        stages = self.stages[: max_index + 1] if stop_early else self.stages
        intermediates = []
        x = self.stem(x)
        for i, stage in enumerate(stages):
            x = stage(x)
            if i in take:
                intermediates.append(self.norm_pre(x) if norm and i == last else x)
        if intermediates_only:
            return intermediates
        if i == last:
            x = self.norm_pre(x)
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: int | Sequence[int] = 1, prune_norm: bool = False, prune_head: bool = True
    ) -> list[int]:
        """Drop the stages after the last of ``indices`` (and the head); returns the kept indices."""
        take, max_index = feature_take_indices(len(self.stages), indices)
        prune_end = max_index < len(self.stages) - 1
        if prune_norm or prune_end:
            self.norm_pre = nn.Identity()
        self.stages = self.stages[: max_index + 1]
        if prune_end:
            # The head was sized for the last stage, which is gone.
            self.num_features = self.head_hidden_size = self.feature_info[max_index]["num_chs"]
        if prune_head or prune_end:
            self.reset_classifier(0, "", reset_other=True)
        return take

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = self.stages(x)
        return self.norm_pre(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        return self.head(x, pre_logits=pre_logits)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# One builder per variant: ``hub_convnext.model:convnext_tiny`` is ConvNeXt with VARIANTS["convnext_tiny"] bound.
__getattr__ = variant_builders(VARIANTS, lambda arch: partial(ConvNeXt, arch))
