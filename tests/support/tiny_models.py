"""A tiny model that follows the full model contract, for fast tests of the core."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from hub.layers import checkpoint_seq, create_classifier, feature_take_indices, input_check, place_like


class TinyNet(nn.Module):
    """stem (stride 2) -> two conv stages (stride 2 each) -> pool -> fc."""

    pretrained_cfg = None

    def __init__(
        self,
        *,
        num_classes: int = 10,
        in_chans: int = 3,
        global_pool: str = "avg",
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        width: int = 8,
    ) -> None:
        super().__init__()
        self.num_classes = num_classes
        self.drop_rate = drop_rate
        self.grad_checkpointing = False
        self.stem = nn.Conv2d(in_chans, width, 3, stride=2, padding=1)
        self.act = nn.ReLU()
        self.stages = nn.Sequential(
            nn.Sequential(nn.Conv2d(width, width * 2, 3, stride=2, padding=1), nn.ReLU()),
            nn.Sequential(nn.Conv2d(width * 2, width * 4, 3, stride=2, padding=1), nn.ReLU()),
        )
        self.feature_info = [
            {"num_chs": width, "reduction": 2, "module": "act"},
            {"num_chs": width * 2, "reduction": 4, "module": "stages.0"},
            {"num_chs": width * 4, "reduction": 8, "module": "stages.1"},
        ]
        self.num_features = self.head_hidden_size = width * 4
        self.global_pool, self.fc = create_classifier(self.num_features, num_classes, global_pool)

    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    def group_matcher(self, coarse: bool = False) -> dict[str, str]:
        return {"stem": r"^stem", "stages": r"^stages\.(\d+)" if coarse else r"^stages\.(\d+)\.(\d+)"}

    def get_classifier(self) -> nn.Module:
        return self.fc

    def reset_classifier(self, num_classes: int, global_pool: str | None = None) -> None:
        self.num_classes = num_classes
        pool_type = self.global_pool.pool_type if global_pool is None else global_pool
        pool, fc = create_classifier(self.num_features, num_classes, pool_type)
        # The new head runs where the model runs: same device, dtype and train/eval mode.
        self.global_pool, self.fc = place_like(pool, self), place_like(fc, self)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act(self.stem(x))
        return checkpoint_seq(self.stages, x) if self.grad_checkpointing and torch.is_grad_enabled() else self.stages(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.global_pool(x)
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
    ):
        take, max_index = feature_take_indices(3, indices)
        out = []
        x = self.act(self.stem(x))
        if 0 in take:
            out.append(x)
        for i, stage in enumerate(self.stages, start=1):
            if stop_early and i > max_index:
                break
            x = stage(x)
            if i in take:
                out.append(x)
        return out if intermediates_only else (x, out)

    def prune_intermediate_layers(
        self, indices: int | Sequence[int] = 1, prune_norm: bool = False, prune_head: bool = True
    ):
        take, max_index = feature_take_indices(3, indices)
        self.stages = self.stages[:max_index]
        if prune_head:
            self.reset_classifier(0, "")
        return take


class MisreportingNet(TinyNet):
    """Claims more feature channels than it has: the conformance kit must catch it."""

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.num_features = 99
        self.feature_info[-1] = {**self.feature_info[-1], "num_chs": 99}


class SizeCheckingNet(TinyNet):
    """Checks its input size with a Python ``if`` on the size, which tracing cannot follow: the kit must catch it."""

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[-1] % 8:
            raise ValueError(f"the input width must be a multiple of 8, got {x.shape[-1]}")
        return super().forward_features(x)


@input_check
def _check_width(x: torch.Tensor, multiple: int) -> None:
    if x.shape[-1] % multiple:
        raise ValueError(f"the input width must be a multiple of {multiple}, got {x.shape[-1]}")


class TraceableSizeCheckingNet(TinyNet):
    """The same check as `SizeCheckingNet`'s, written with `hub.layers.input_check`: it traces."""

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward_features(_check_width(x, 8))


class DeepStageNet(TinyNet):
    """Its last stage is the conv inside ``stages.1`` (before the ReLU): a module two levels down."""

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.feature_info[-1] = {**self.feature_info[-1], "module": "stages.1.0"}

    def forward_intermediates(self, x: torch.Tensor, indices=None, intermediates_only: bool = False, **_):  # type: ignore[no-untyped-def]
        maps = super().forward_intermediates(x, intermediates_only=True)
        maps[-1] = self.stages[1][0](maps[-2])
        take, _ = feature_take_indices(3, indices)
        return [maps[i] for i in take]


class ScaledNet(TinyNet):
    """Has a non-persistent buffer written at build time: no checkpoint can hold it."""

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.register_buffer("scale", torch.empty(1).fill_(2.0), persistent=False)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward_features(x) * self.scale


class _NormHead(nn.Module):
    def __init__(self, width: int, num_classes: int, pool: str) -> None:
        super().__init__()
        self.global_pool, self.fc = create_classifier(width, num_classes, pool)
        self.norm = nn.LayerNorm(width)

    def forward(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.norm(self.global_pool(x))
        return x if pre_logits else self.fc(x)


class HeadNormNet(TinyNet):
    """A head with a norm before the classifier (as ConvNeXt's), under ``head``."""

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        del self.global_pool, self.fc
        self.head = _NormHead(self.num_features, self.num_classes, "avg")

    def get_classifier(self) -> nn.Module:
        return self.head.fc

    def reset_classifier(self, num_classes: int, global_pool: str | None = None) -> None:
        self.num_classes = num_classes
        pool_type = self.head.global_pool.pool_type if global_pool is None else global_pool
        pool, fc = create_classifier(self.num_features, num_classes, pool_type)
        self.head.global_pool, self.head.fc = place_like(pool, self), place_like(fc, self)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        return self.head(x, pre_logits)


class UnplacedHeadNet(TinyNet):
    """Makes its new classifier in float32 on the CPU whatever the model's dtype: the kit must catch it."""

    def reset_classifier(self, num_classes: int, global_pool: str | None = None) -> None:
        self.num_classes = num_classes
        self.global_pool, self.fc = create_classifier(self.num_features, num_classes, self.global_pool.pool_type)


class PoollessNet(TinyNet):
    """Refuses every global_pool: the kit must not pass it."""

    def __init__(self, *, global_pool: str | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if global_pool is not None:
            raise ValueError(f"global_pool {global_pool!r} is not supported")
        super().__init__(**kwargs)


class NoRecomputeNet(TinyNet):
    """Takes set_grad_checkpointing but never checkpoints: the kit must catch it."""

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        return self.stages(self.act(self.stem(x)))


class OverlappingGroupsNet(TinyNet):
    """A group_matcher whose stem rule also matches the stages: the kit must catch it."""

    def group_matcher(self, coarse: bool = False) -> dict[str, str]:
        return {"stem": r"^st", "stages": r"^stages\.(\d+)"}


class HeadlessGroupsNet(TinyNet):
    """A group_matcher that forgets the stages, leaving them to the head's group: the kit must catch it."""

    def group_matcher(self, coarse: bool = False) -> dict[str, str]:
        return {"stem": r"^stem\."}


class StrayDecayNet(TinyNet):
    """no_weight_decay() names a parameter the model does not have: the kit must catch it."""

    def no_weight_decay(self) -> set[str]:
        return {"stem.bias", "pos_embed"}
