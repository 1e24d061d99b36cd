"""The model contract as a typing Protocol: what the core may call on any registered model.

``nn.Module`` resolves unknown attributes dynamically, so type checkers cannot see a
family's methods; the core casts built models to `ImageModel` where it uses them. The
runtime checks live in the conformance kit (``hub.testing``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import torch

    from hub._pretrained_cfg import PretrainedCfg

__all__ = ["ImageModel"]


class ImageModel(Protocol):
    """Attributes and methods every registered model has (docs/architecture.md, "The model contract")."""

    num_classes: int
    num_features: int
    head_hidden_size: int
    feature_info: list[dict[str, Any]]
    pretrained_cfg: PretrainedCfg | None
    default_cfg: PretrainedCfg | None  # the same object as pretrained_cfg, timm's older name for it

    def __call__(self, x: torch.Tensor) -> torch.Tensor: ...

    def forward_features(self, x: torch.Tensor) -> torch.Tensor: ...

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor: ...

    def reset_classifier(self, num_classes: int, global_pool: str | None = None) -> None: ...

    def get_classifier(self) -> torch.nn.Module | tuple[torch.nn.Module, ...]: ...

    def set_grad_checkpointing(self, enable: bool = True) -> None: ...

    def group_matcher(self, coarse: bool = False) -> Mapping[str, Any] | Callable[[str], Any]: ...

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: int | Sequence[int] | None = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Any: ...

    def prune_intermediate_layers(
        self, indices: int | Sequence[int] = 1, prune_norm: bool = False, prune_head: bool = True
    ) -> list[int]: ...
