"""The feature-extractor modules: one per ``feature_cls``, shared by every family.

Each one stores the model's modules under the names timm's extractor of the same kind
uses, so that their state dicts are interchangeable:

- `SequentialFeatures` ("list", "dict", "trunk") re-runs the model's modules in order.
  "list" and "dict" hold the top-level modules up to the one that yields the last
  requested stage; the children of top-level ``nn.Sequential`` containers are lifted
  into the extractor (``stages.0`` becomes ``stages_0``) when the family flattens or a
  requested stage lives inside one. "trunk" holds the stem and every stage under the
  model's own names and runs a container of stages child by child.
- `HookFeatures` ("hook") takes the stage outputs with forward hooks, from the model
  wrapped whole (``body.``) or, for families that flatten, rebuilt as "list" is.
- `GetterFeatures` ("getter") calls the pruned model's ``forward_intermediates``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import cast

import torch
import torch.utils.checkpoint
from torch import nn

from hub._contract import ImageModel
from hub._features.info import FeatureInfo

__all__ = ["GetterFeatures", "HookFeatures", "SequentialFeatures"]


@dataclass(frozen=True)
class _Layer:
    """A module the extractor holds under ``key``, run as ``steps``: (path in the extractor, name in the model)."""

    key: str
    module: nn.Module
    steps: tuple[tuple[str, str], ...]


def _layers(model: nn.Module, *, lift: bool, expand: Collection[str] = ()) -> list[_Layer]:
    """The model's top-level modules in registration order, as an extractor holds them.

    With ``lift`` every top-level ``nn.Sequential`` gives up its children as layers of
    their own (``stages_0``); a container named in ``expand`` stays whole and runs one
    child per step.
    """
    layers = []
    for name, child in model.named_children():
        if isinstance(child, nn.Sequential) and lift:
            for sub, grandchild in child.named_children():
                key = f"{name}_{sub}"
                layers.append(_Layer(key, grandchild, ((key, f"{name}.{sub}"),)))
        elif isinstance(child, nn.Sequential) and name in expand:
            steps = tuple((f"{name}.{sub}", f"{name}.{sub}") for sub, _ in child.named_children())
            layers.append(_Layer(name, child, steps))
        else:
            layers.append(_Layer(name, child, ((name, name),)))
    return layers


def _through(layers: list[_Layer], names: Iterable[str], holds: dict[str, set[str]] | None = None) -> list[_Layer]:
    """``layers`` up to the one that yields the last of ``names``; a `ValueError` for any it lacks.

    A layer yields the model modules its steps run, or those in ``holds[layer.key]`` when given.
    """
    remaining = set(names)
    kept: list[_Layer] = []
    for layer in layers:
        if not remaining:
            break
        kept.append(layer)
        remaining -= holds[layer.key] if holds is not None else {name for _, name in layer.steps}
    if remaining:
        raise ValueError(
            f"feature modules {', '.join(sorted(remaining))} are not top-level modules of the model (nor children "
            "of a top-level nn.Sequential); use feature_cls='hook' or 'getter' for this model"
        )
    return kept


def _run(
    extractor: nn.Module, steps: list[tuple[str, str]], x: torch.Tensor, checkpointing: bool
) -> Iterator[tuple[str, torch.Tensor]]:
    """Run ``steps`` of ``extractor`` on ``x`` in turn, yielding (the step's name in the model, its output)."""
    last = len(steps) - 1
    for i, (path, name) in enumerate(steps):
        module = extractor.get_submodule(path)
        # The first step needs the input's gradient and in-place modules cannot be
        # recomputed, so neither is checkpointed; the last is left out as timm's extractors do.
        if checkpointing and 0 < i < last and not getattr(module, "inplace", False):
            x = torch.utils.checkpoint.checkpoint(module, x, use_reentrant=False)
        else:
            x = module(x)
        yield name, x


class SequentialFeatures(nn.ModuleDict):
    """Runs the model's modules in registration order and returns the requested stage outputs.

    ``trunk=True`` keeps the stem and every stage under the model's own names (the state
    dict is the model's, less what follows its last stage); otherwise the layers end with the last
    requested stage and are lifted out of top-level containers when ``flatten`` is set
    or a requested stage lives in one. Either way the run stops at the last requested stage.
    """

    def __init__(
        self,
        model: nn.Module,
        feature_info: FeatureInfo,
        *,
        as_dict: bool = False,
        flatten: bool = False,
        trunk: bool = False,
    ) -> None:
        super().__init__()
        self.feature_info = feature_info
        self.as_dict = as_dict
        self.grad_checkpointing = False
        wanted = [feature_info.module_name(i) for i in feature_info.out_indices]
        if trunk:
            every_stage = [stage["module"] for stage in feature_info.info]
            containers = {name.partition(".")[0] for name in every_stage if "." in name}
            layers = _through(_layers(model, lift=False, expand=containers), every_stage)
        else:
            lift = flatten or any("." in name for name in wanted)
            layers = _through(_layers(model, lift=lift), wanted)
        self.update({layer.key: layer.module for layer in layers})
        steps = [step for layer in layers for step in layer.steps]
        last = max(i for i, (_, name) in enumerate(steps) if name in wanted)
        # Paths, not module references: the steps then follow the extractor when it is copied or replicated.
        self._steps = steps[: last + 1]
        self._returned = frozenset(wanted)

    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    def forward(self, x: torch.Tensor) -> list[torch.Tensor] | dict[str, torch.Tensor]:
        outputs = {
            name: out for name, out in _run(self, self._steps, x, self.grad_checkpointing) if name in self._returned
        }
        return outputs if self.as_dict else list(outputs.values())


class _Tap:
    """A forward hook that stores its module's output in ``store`` under ``name``.

    An object rather than a closure, so that a copied extractor's hooks write to the copy's store.
    """

    def __init__(self, store: dict[str, torch.Tensor], name: str) -> None:
        self.store = store
        self.name = name

    def __call__(self, module: nn.Module, inputs: object, output: object) -> None:
        self.store[self.name] = cast(torch.Tensor, output[0] if isinstance(output, (tuple, list)) else output)


class HookFeatures(nn.ModuleDict):
    """Stage outputs taken by forward hooks on the stage modules.

    Without ``flatten`` the model is held whole as ``body`` (nothing removed: its state
    dict is the model's under ``body.``) and run through ``forward_features``; with it,
    the model is rebuilt from its lifted top-level modules up to the last hooked stage.
    """

    def __init__(self, model: nn.Module, feature_info: FeatureInfo, *, flatten: bool = False) -> None:
        super().__init__()
        self.feature_info = feature_info
        self.grad_checkpointing = False
        self._names = [feature_info.module_name(i) for i in feature_info.out_indices]
        self._captured: dict[str, torch.Tensor] = {}
        if flatten:
            layers = _layers(model, lift=True)
            holds = {layer.key: _module_names(layer) for layer in layers}
            kept = _through(layers, self._names, holds)
            self.update({layer.key: layer.module for layer in kept})
            self._steps: list[tuple[str, str]] | None = [step for layer in kept for step in layer.steps]
        else:
            self["body"] = model
            self._steps = None
        for name in self._names:
            model.get_submodule(name).register_forward_hook(_Tap(self._captured, name))

    def set_grad_checkpointing(self, enable: bool = True) -> None:
        if self._steps is None:
            cast(ImageModel, self["body"]).set_grad_checkpointing(enable)
        else:
            self.grad_checkpointing = enable

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        self._captured.clear()
        if self._steps is None:
            cast(ImageModel, self["body"]).forward_features(x)
        else:
            for _ in _run(self, self._steps, x, self.grad_checkpointing):
                pass
        outputs = [self._captured[name] for name in self._names]
        self._captured.clear()
        return outputs


def _module_names(layer: _Layer) -> set[str]:
    """The model names of every module a lifted layer holds, itself included."""
    ((_, model_name),) = layer.steps
    return {name for name, _ in layer.module.named_modules(prefix=model_name)}


class GetterFeatures(nn.Module):
    """Features from the model's ``forward_intermediates``, as NCHW maps; the caller prunes the model first."""

    def __init__(self, model: nn.Module, feature_info: FeatureInfo) -> None:
        super().__init__()
        self.feature_info = feature_info
        self.model = model

    def set_grad_checkpointing(self, enable: bool = True) -> None:
        cast(ImageModel, self.model).set_grad_checkpointing(enable)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        features: list[torch.Tensor] = cast(ImageModel, self.model).forward_intermediates(
            x, indices=list(self.feature_info.out_indices), output_fmt="NCHW", intermediates_only=True
        )
        return features
