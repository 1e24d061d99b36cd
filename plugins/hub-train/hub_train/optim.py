"""Optimizers from ``torch.optim`` by name, with parameter groups; learning-rate schedules stepped per update."""

from __future__ import annotations

import warnings
from typing import Any

import torch
from torch import nn
from torch.optim import lr_scheduler

from hub_train.config import TrainConfig

__all__ = ["DEFAULT_LR", "Schedule", "create_optimizer", "learning_rate", "param_groups"]

# The learning rate when --lr is left out: what usually works for fine-tuning at batch 64.
DEFAULT_LR = {"sgd": 0.05, "momentum": 0.05, "adamw": 1e-3, "adam": 1e-3, "rmsprop": 1e-3, "nadam": 1e-3, "radam": 1e-3}


def param_groups(model: nn.Module, *, weight_decay: float, layer_decay: float | None = None) -> list[dict[str, Any]]:
    """Parameter groups: no weight decay on norms, biases and ``model.no_weight_decay()`` names.

    With ``layer_decay`` each stage of ``model.feature_info`` (the stem before them, the
    head after them) gets the learning rate scaled by ``layer_decay ** (depth - stage)``,
    as ``lr_scale`` in its group.
    """
    skip = set(getattr(model, "no_weight_decay")()) if hasattr(model, "no_weight_decay") else set()
    layer_of = _StageIndex(model) if layer_decay is not None else None
    groups: dict[tuple[int, bool], dict[str, Any]] = {}
    for name, parameter in model.named_parameters():
        if not parameter.requires_grad:
            continue
        decays = parameter.ndim > 1 and not name.endswith(".bias") and name not in skip
        layer = layer_of(name) if layer_of else 0
        group = groups.setdefault((layer, decays), {"params": [], "weight_decay": weight_decay if decays else 0.0})
        if layer_of is not None and layer_decay is not None:
            group["lr_scale"] = layer_decay ** (layer_of.depth - layer)
        group["params"].append(parameter)
    return list(groups.values())


class _StageIndex:
    """Which stage of ``feature_info`` a parameter belongs to: 0 = stem, depth = head."""

    def __init__(self, model: nn.Module) -> None:
        info = getattr(model, "feature_info", None) or []
        stages = (
            info.get_dicts() if hasattr(info, "get_dicts") else info
        )  # a model's list, or an extractor's FeatureInfo
        modules = [stage["module"] for stage in stages]
        if not modules:
            raise ValueError("--layer-decay needs a model with feature_info stages")
        self.prefixes = [m + "." for m in modules]
        self.depth = len(modules) + 1
        self._seen_stage = False

    def __call__(self, name: str) -> int:
        for index, prefix in enumerate(self.prefixes):
            if name.startswith(prefix):
                self._seen_stage = True
                return index + 1
        return self.depth if self._seen_stage else 0  # parameters are listed in module order


def create_optimizer(model: nn.Module, config: TrainConfig, lr: float) -> torch.optim.Optimizer:
    """The optimizer that ``config.opt`` names, over `param_groups`; each group's lr is ``lr * lr_scale``."""
    groups = param_groups(model, weight_decay=config.weight_decay, layer_decay=config.layer_decay)
    for group in groups:
        group["lr"] = lr * group.get("lr_scale", 1.0)
    opt = config.opt
    if opt in ("sgd", "momentum"):  # timm's sgd is Nesterov momentum, its momentum the classical kind
        return torch.optim.SGD(groups, lr=lr, momentum=config.momentum, nesterov=opt == "sgd")
    if opt == "adamw":
        return torch.optim.AdamW(groups, lr=lr)
    if opt == "adam":
        return torch.optim.Adam(groups, lr=lr)
    if opt == "rmsprop":
        return torch.optim.RMSprop(groups, lr=lr, alpha=0.9, momentum=config.momentum)
    if opt == "nadam":
        return torch.optim.NAdam(groups, lr=lr)
    return torch.optim.RAdam(groups, lr=lr)


class Schedule:
    """The learning-rate schedule of a run: linear warmup, then ``config.sched``, stepped after every update.

    ``plateau`` is the exception: after its warmup it steps once per epoch on the eval metric.
    """

    def __init__(
        self, optimizer: torch.optim.Optimizer, config: TrainConfig, lr: float, updates_per_epoch: int
    ) -> None:
        total = self.total_updates = config.epochs * updates_per_epoch
        self.warmup_updates = min(round(config.warmup_epochs * updates_per_epoch), total)
        self.updates = 0
        after = max(total - self.warmup_updates, 1)
        warmup = None
        if self.warmup_updates:
            start = min(max(config.warmup_lr / lr, 1e-8), 1.0) if lr > 0 else 1.0
            warmup = lr_scheduler.LinearLR(optimizer, start_factor=start, total_iters=self.warmup_updates)
        self.plateau: lr_scheduler.ReduceLROnPlateau | None = None
        self.per_update: lr_scheduler.LRScheduler | None
        main: lr_scheduler.LRScheduler
        if config.sched == "plateau":
            self.plateau = lr_scheduler.ReduceLROnPlateau(
                optimizer,
                mode="min" if config.eval_metric == "loss" else "max",
                factor=config.decay_rate,
                patience=config.patience_epochs,
                min_lr=config.min_lr,
            )
            self.per_update = warmup
            return
        if config.sched == "cosine":
            main = lr_scheduler.CosineAnnealingLR(optimizer, T_max=after, eta_min=config.min_lr)
        elif config.sched == "step":
            step = max(round(config.decay_epochs * updates_per_epoch), 1)
            main = lr_scheduler.StepLR(optimizer, step_size=step, gamma=config.decay_rate)
        elif config.sched == "multistep":
            milestones = [max(m * updates_per_epoch - self.warmup_updates, 1) for m in config.decay_milestones]
            main = lr_scheduler.MultiStepLR(optimizer, milestones=milestones, gamma=config.decay_rate)
        else:
            main = lr_scheduler.ConstantLR(optimizer, factor=1.0, total_iters=0)
        self.per_update = (
            lr_scheduler.SequentialLR(optimizer, [warmup, main], milestones=[self.warmup_updates]) if warmup else main
        )

    def after_update(self) -> None:
        self.updates += 1
        if self.per_update is not None and (self.plateau is None or self.updates <= self.warmup_updates):
            self.per_update.step()

    def after_epoch(self, metric: float) -> None:
        if self.plateau is not None and self.updates >= self.warmup_updates:
            self.plateau.step(metric)

    def state_dict(self) -> dict[str, Any]:
        return {
            "updates": self.updates,
            "total_updates": self.total_updates,
            "per_update": self.per_update.state_dict() if self.per_update else None,
            "plateau": self.plateau.state_dict() if self.plateau else None,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Continue a saved schedule; one of another length (a resume with more epochs) is replayed to the same update."""
        if state.get("total_updates") != self.total_updates:
            with warnings.catch_warnings():  # replaying the schedule alone is the point here
                warnings.filterwarnings("ignore", message="Detected call of `lr_scheduler.step\\(\\)` before")
                for _ in range(int(state["updates"])):
                    self.after_update()
        else:
            self.updates = int(state["updates"])
            if self.per_update is not None and state["per_update"] is not None:
                self.per_update.load_state_dict(state["per_update"])
        if self.plateau is not None and state["plateau"] is not None:
            self.plateau.load_state_dict(state["plateau"])


def learning_rate(optimizer: torch.optim.Optimizer) -> float:
    """The largest learning rate of the optimizer's groups (the head's, under layer decay)."""
    return max(group["lr"] for group in optimizer.param_groups)
