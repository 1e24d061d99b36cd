"""Targets and losses: label smoothing, Mixup/CutMix (torchvision's), soft-target and binary cross-entropy."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torchvision.transforms import v2

__all__ = ["Criterion", "Mixing", "accuracy_counts", "eval_loss"]


class Mixing:
    """Mixup and/or CutMix of a batch with probability ``prob``; CutMix with ``switch_prob`` when both are on.

    Returns the images and soft targets (one row of class probabilities per image).
    """

    def __init__(self, *, mixup: float, cutmix: float, prob: float, switch_prob: float, num_classes: int) -> None:
        self.prob = prob
        classes = max(num_classes, 2)  # a one-logit head mixes its two classes
        choices: list[v2.Transform] = []
        weights: list[float] = []
        if mixup > 0:
            choices.append(v2.MixUp(alpha=mixup, num_classes=classes))
            weights.append(1 - switch_prob if cutmix > 0 else 1.0)
        if cutmix > 0:
            choices.append(v2.CutMix(alpha=cutmix, num_classes=classes))
            weights.append(switch_prob if mixup > 0 else 1.0)
        self.transform = v2.RandomChoice(choices, p=weights) if len(choices) > 1 else choices[0]
        self.num_classes = classes

    def __call__(self, images: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        if self.prob < 1 and torch.rand(()).item() >= self.prob:
            return images, F.one_hot(targets, self.num_classes).to(images.dtype)
        mixed, soft = self.transform(images, targets)
        return mixed, soft


class Criterion:
    """The training loss: cross-entropy (soft targets, label smoothing) or binary cross-entropy.

    Targets are class indices or rows of class probabilities (after mixing). A one-logit
    head always takes binary cross-entropy on the probability of class 1.
    """

    def __init__(self, *, num_outputs: int, smoothing: float, bce: bool) -> None:
        self.num_outputs = num_outputs
        self.smoothing = smoothing
        self.bce = bce or num_outputs == 1

    def __call__(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        logits = logits.float()
        if not self.bce:
            if targets.is_floating_point():  # soft targets from mixing: smoothing is linear, so apply it after
                targets = targets * (1 - self.smoothing) + self.smoothing / self.num_outputs
                return F.cross_entropy(logits, targets)
            return F.cross_entropy(logits, targets, label_smoothing=self.smoothing)
        soft = targets if targets.is_floating_point() else F.one_hot(targets, max(self.num_outputs, 2)).float()
        if self.num_outputs == 1:
            soft = soft[:, 1:]
        width = max(self.num_outputs, 2)
        soft = soft * (1 - self.smoothing) + self.smoothing / width
        return F.binary_cross_entropy_with_logits(logits, soft)


def eval_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The summed evaluation loss of a batch: cross-entropy, or binary cross-entropy for a one-logit head."""
    logits = logits.float()
    if logits.shape[1] == 1:
        return F.binary_cross_entropy_with_logits(logits[:, 0], targets.float(), reduction="sum")
    return F.cross_entropy(logits, targets, reduction="sum")


def accuracy_counts(logits: torch.Tensor, targets: torch.Tensor) -> tuple[int, int]:
    """How many images have their class first, and among the first five (a one-logit head: sign, then all)."""
    if logits.shape[1] == 1:
        correct = int(((logits[:, 0] > 0).long() == targets).sum())
        return correct, len(targets)
    top = logits.topk(min(5, logits.shape[1]), dim=1).indices
    hits = top == targets[:, None]
    return int(hits[:, 0].sum()), int(hits.any(dim=1).sum())
