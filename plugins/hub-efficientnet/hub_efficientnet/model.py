"""The EfficientNet / MobileNet models and their builders.

Two heads over one trunk (stem, then stages of blocks planned by ``arch.plan_network``):

- `EfficientNet` (EfficientNet, EfficientNetV2, MobileNetV2): a 1x1 conv + norm + act on
  the last feature map, global pool, classifier.
- `MobileNetV3`: global pool first, then a 1x1 conv + act on the pooled vector ("efficient
  head"), classifier.

Each name in ``arch.VARIANTS`` is a builder: the model class of the variant's head with its
`NetworkDef` bound.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any, cast

import torch
import torch.nn.functional as F
from torch import nn

from hub.layers import (
    JOIN_PREVIOUS_GROUP,
    GlobalPool,
    check_output_fmt,
    check_pool_type,
    checkpoint_seq,
    create_classifier,
    feature_take_indices,
    place_like,
    variant_builders,
)
from hub_efficientnet import arch
from hub_efficientnet.arch import NetworkDef
from hub_efficientnet.blocks import BatchNormAct2d, create_act, create_conv, make_block

__all__ = ["EfficientNet", "MobileNetV3"]

_OUTPUT_STRIDES = (8, 16, 32)


class _MobileTrunk(nn.Module):
    """Stem and stages shared by both heads, with the feature and checkpointing API they share."""

    pretrained_cfg = None
    classifier: nn.Module

    def __init__(
        self,
        net: NetworkDef,
        *,
        num_classes: int,
        in_chans: int,
        drop_rate: float,
        drop_path_rate: float,
        output_stride: int,
    ) -> None:
        super().__init__()
        if output_stride not in _OUTPUT_STRIDES:
            raise ValueError(f"output_stride must be one of {_OUTPUT_STRIDES}, got {output_stride!r}")
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False
        self.plan = arch.plan_network(net, output_stride=output_stride, drop_path_rate=drop_path_rate)
        self.conv_stem = create_conv(in_chans, self.plan.stem_chs, 3, stride=2, tf_padding=net.tf_padding)
        self.bn1 = BatchNormAct2d(self.plan.stem_chs, net.bn_eps, net.act)
        self.blocks = nn.Sequential(
            *(
                nn.Sequential(*(make_block(block, net.bn_eps, net.tf_padding) for block in stage))
                for stage in self.plan.stages
            )
        )
        self.feature_info = [dict(info) for info in self.plan.feature_info]
        # Index of each feature level in the stem + stages sequence (0 is the stem).
        self.stage_ends = [info["stage"] for info in self.feature_info]

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> dict[str, Any]:
        """Parameter groups for layer-wise learning-rate decay: the stem, then each block (each stage if ``coarse``)."""
        return {
            "stem": r"^(?:conv_stem|bn1)\.",
            "blocks": r"^blocks\.(\d+)\." if coarse else r"^blocks\.(\d+)\.(\d+)\.",
        }

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.classifier

    def _run_trunk(self, x: torch.Tensor) -> torch.Tensor:
        x = self.bn1(self.conv_stem(x))
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq([block for stage in self.blocks for block in stage.children()], x)
        return self.blocks(x)

    def _take_indices(self, indices: int | list[int] | None, extra_blocks: bool) -> tuple[list[int], list[int], int]:
        """The requested indices, their positions in stem + stages (0 is the stem), the last position.

        Indices count feature levels, or with ``extra_blocks`` the stem and every stage.
        """
        if extra_blocks:
            take, last = feature_take_indices(len(self.blocks) + 1, indices)
            return take, take, last
        take, last = feature_take_indices(len(self.stage_ends), indices)
        return take, [self.stage_ends[i] for i in take], self.stage_ends[last]

    def _channels_at(self, position: int) -> int:
        """Output channels of the stem (position 0) or of stage ``position``."""
        return self.plan.stages[position - 1][-1].out_chs if position else self.plan.stem_chs

    def _intermediates(
        self, x: torch.Tensor, positions: list[int], last: int, stop_early: bool
    ) -> tuple[torch.Tensor, list[torch.Tensor], int]:
        """Run the trunk, keeping the outputs at ``positions``; also returns how many stages ran."""
        intermediates = []
        x = self.bn1(self.conv_stem(x))
        if 0 in positions:
            intermediates.append(x)
        stages: nn.Sequential = self.blocks[:last] if stop_early else self.blocks
        checkpointing = self.grad_checkpointing and not torch.jit.is_scripting()
        ran = 0
        for ran, stage in enumerate(stages, start=1):
            x = checkpoint_seq(cast(nn.Sequential, stage), x) if checkpointing else stage(x)
            if ran in positions:
                intermediates.append(x)
        return x, intermediates, ran

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


class EfficientNet(_MobileTrunk):
    """EfficientNet, EfficientNetV2 and MobileNetV2: the trunk, a 1x1 conv head, pool, classifier.

    ``output_stride`` 8 or 16 dilates the last stages instead of striding them.
    """

    def __init__(
        self,
        net: NetworkDef,
        *,
        num_classes: int = 1000,
        in_chans: int = 3,
        global_pool: str = "avg",
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        output_stride: int = 32,
    ) -> None:
        super().__init__(
            net,
            num_classes=num_classes,
            in_chans=in_chans,
            drop_rate=drop_rate,
            drop_path_rate=drop_path_rate,
            output_stride=output_stride,
        )
        self.conv_head: nn.Module = create_conv(self.plan.out_chs, net.head_chs, 1, tf_padding=net.tf_padding)
        self.bn2: nn.Module = BatchNormAct2d(net.head_chs, net.bn_eps, net.act)
        self.num_features = net.head_chs
        # Initialise before the classifier exists, so that a seeded build draws the same body
        # weights whatever the number of classes (a features_only model matches the full one).
        init_weights(self)
        self.global_pool, self.classifier = create_classifier(self.num_features, num_classes, global_pool)
        self.head_hidden_size = self.num_features * self.global_pool.feat_mult
        init_weights(self.classifier)

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> dict[str, Any]:
        """As the trunk's, with the head conv in the last block's group."""
        matcher = super().group_matcher(coarse)
        matcher["blocks"] = [(matcher["blocks"], None), (r"^(?:conv_head|bn2)\.", JOIN_PREVIOUS_GROUP)]
        return matcher

    def reset_classifier(self, num_classes: int, global_pool: str | None = None) -> None:
        if global_pool is None:
            global_pool = self.global_pool.pool_type
        pool, classifier = create_classifier(self.num_features, num_classes, global_pool)
        self.num_classes = num_classes
        self.global_pool, self.classifier = place_like(pool, self), place_like(classifier, self)
        self.head_hidden_size = self.num_features * self.global_pool.feat_mult

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn2(self.conv_head(self._run_trunk(x)))

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.global_pool(x)
        if self.drop_rate > 0.0:
            x = F.dropout(x, p=self.drop_rate, training=self.training)
        return x if pre_logits else self.classifier(x)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: int | list[int] | None = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
        extra_blocks: bool = False,
    ) -> list[torch.Tensor] | tuple[torch.Tensor, list[torch.Tensor]]:
        """Feature maps at ``indices`` (feature levels; with ``extra_blocks``, 0 = stem and i = stage i).

        Returns the maps alone with ``intermediates_only``, else (final features, maps); the
        head conv runs only when every stage did. ``norm`` has no effect: there is no final norm.
        """
        check_output_fmt(output_fmt)
        _, positions, last = self._take_indices(indices, extra_blocks)
        x, intermediates, ran = self._intermediates(x, positions, last, stop_early)
        if intermediates_only:
            return intermediates
        if ran == self.stage_ends[-1]:
            x = self.bn2(self.conv_head(x))
        return x, intermediates

    def prune_intermediate_layers(
        self,
        indices: int | list[int] = 1,
        prune_norm: bool = False,
        prune_head: bool = True,
        extra_blocks: bool = False,
    ) -> list[int]:
        """Drop the stages after the last of ``indices``; the head conv and classifier go with them."""
        take, _, last = self._take_indices(indices, extra_blocks)
        # The head conv serves only the full feature map, so it goes whenever anything is pruned.
        prune_end = prune_norm or prune_head or last < len(self.blocks)
        self.blocks = self.blocks[:last]
        if prune_end:
            self.conv_head = nn.Identity()
            self.bn2 = nn.Identity()
            self.num_features = self.head_hidden_size = self._channels_at(last)
            self.reset_classifier(0, "")
        return take


class MobileNetV3(_MobileTrunk):
    """MobileNetV3: the trunk, then pool, a 1x1 conv + activation on the pooled vector, classifier.

    ``forward_features`` ends at the last stage (``num_features`` wide); the head conv
    widens the pooled vector to ``head_hidden_size``, which ``forward_head(pre_logits=True)`` returns.
    """

    def __init__(
        self,
        net: NetworkDef,
        *,
        num_classes: int = 1000,
        in_chans: int = 3,
        global_pool: str = "avg",
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        output_stride: int = 32,
    ) -> None:
        super().__init__(
            net,
            num_classes=num_classes,
            in_chans=in_chans,
            drop_rate=drop_rate,
            drop_path_rate=drop_path_rate,
            output_stride=output_stride,
        )
        self.num_features = self.plan.out_chs
        self.head_hidden_size = net.head_chs
        check_pool_type(global_pool, num_classes)
        self.global_pool = GlobalPool(global_pool, flatten=False)
        pooled_chs = self.num_features * self.global_pool.feat_mult
        self.conv_head: nn.Module = create_conv(pooled_chs, self.head_hidden_size, 1, bias=True)
        self.act2: nn.Module = create_act(net.act, inplace=True)
        init_weights(self)  # before the classifier exists, as in `EfficientNet`
        self.classifier = _linear(self.head_hidden_size, num_classes)
        init_weights(self.classifier)

    def reset_classifier(self, num_classes: int, global_pool: str | None = None) -> None:
        """A new classifier; the pooling may change only where the head conv still fits it."""
        if global_pool is None:
            global_pool = self.global_pool.pool_type
        check_pool_type(global_pool, num_classes)
        pool = GlobalPool(global_pool, flatten=False)
        if isinstance(self.conv_head, nn.Identity):
            self.head_hidden_size = self.num_features * pool.feat_mult
        elif self.conv_head.in_channels != self.num_features * pool.feat_mult:
            raise ValueError(
                f"global_pool {global_pool!r} gives {self.num_features * pool.feat_mult} channels but the head "
                f"conv takes {self.conv_head.in_channels}; MobileNetV3's pooling is fixed when it is built"
            )
        self.num_classes = num_classes
        self.global_pool = place_like(pool, self)
        self.classifier = place_like(_linear(self.head_hidden_size, num_classes), self)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        return self._run_trunk(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.act2(self.conv_head(self.global_pool(x)))
        if self.global_pool.pool_type:
            x = x.flatten(1)
        if self.drop_rate > 0.0:
            x = F.dropout(x, p=self.drop_rate, training=self.training)
        return x if pre_logits else self.classifier(x)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: int | list[int] | None = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
        extra_blocks: bool = False,
    ) -> list[torch.Tensor] | tuple[torch.Tensor, list[torch.Tensor]]:
        """Feature maps at ``indices``; as `EfficientNet.forward_intermediates`, but the final
        features are the last stage's output (the head acts on pooled features)."""
        check_output_fmt(output_fmt)
        if stop_early and not intermediates_only:
            raise ValueError("stop_early=True skips the last stages, so it needs intermediates_only=True")
        _, positions, last = self._take_indices(indices, extra_blocks)
        x, intermediates, _ = self._intermediates(x, positions, last, stop_early)
        return intermediates if intermediates_only else (x, intermediates)

    def prune_intermediate_layers(
        self,
        indices: int | list[int] = 1,
        prune_norm: bool = False,
        prune_head: bool = True,
        extra_blocks: bool = False,
    ) -> list[int]:
        """Drop the stages after the last of ``indices``; the head (conv, act, classifier) goes too
        when stages are dropped or with ``prune_head``."""
        take, _, last = self._take_indices(indices, extra_blocks)
        prune_end = last < len(self.blocks)
        self.blocks = self.blocks[:last]
        if prune_end:
            self.num_features = self._channels_at(last)
        if prune_end or prune_head:
            self.conv_head = nn.Identity()
            self.act2 = nn.Identity()
            self.reset_classifier(0, "")
        return take


def _linear(in_features: int, num_classes: int) -> nn.Module:
    return nn.Linear(in_features, num_classes) if num_classes > 0 else nn.Identity()


def init_weights(model: nn.Module) -> None:
    """The TensorFlow reference initialisation: convs normal with std sqrt(2 / fan_out)
    (fan_out per group), norms at identity, linears uniform in +-1/sqrt(out_features)."""
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            fan_out = module.kernel_size[0] * module.kernel_size[1] * module.out_channels // module.groups
            nn.init.normal_(module.weight, 0.0, math.sqrt(2.0 / fan_out))
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.BatchNorm2d):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Linear):
            bound = 1.0 / math.sqrt(module.weight.size(0))
            nn.init.uniform_(module.weight, -bound, bound)
            nn.init.zeros_(module.bias)


# One builder per variant: ``hub_efficientnet.model:efficientnet_b0`` is its head class with the variant bound.
_HEADS: dict[str, type[_MobileTrunk]] = {"conv": EfficientNet, "efficient": MobileNetV3}
__getattr__ = variant_builders(arch.VARIANTS, lambda net: partial(_HEADS[net.head], net))
