"""The feature-extractor modules: one per ``feature_cls``, shared by every family.

- ``ModuleSequenceFeatures`` ("list" / "dict"): re-runs the model's top-level modules in
  order, flattening one level of ``nn.Sequential`` where a stage lives inside one, and
  keeps only the modules up to the last returned stage.
- ``HookFeatures`` ("hook"): the model unchanged but pruned, stage outputs taken by
  forward hooks.
- ``GetterFeatures`` ("getter"): the model's own ``forward_intermediates``, for models
  whose stages are not a plain sequence of modules (transformers).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import cast

import torch
import torch.utils.checkpoint
from torch import nn

from hub._contract import ImageModel
from hub._features.info import FeatureInfo

__all__ = ["GetterFeatures", "HookFeatures", "ModuleSequenceFeatures"]


class ModuleSequenceFeatures(nn.ModuleDict):
    """Runs the model's modules in registration order and returns the requested stage outputs."""

    def __init__(self, model: nn.Module, feature_info: FeatureInfo, *, as_dict: bool = False) -> None:
        super().__init__()
        self.feature_info = feature_info
        self.as_dict = as_dict
        self.grad_checkpointing = False
        wanted = {feature_info.module_name(i): feature_info.module_name(i) for i in feature_info.out_indices}
        nested = any("." in name for name in wanted)
        self.return_layers: dict[str, str] = {}
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        for flat_name, name, module in _children(model, flatten=nested):
            layers[flat_name] = module
            if name in wanted:
                self.return_layers[flat_name] = wanted.pop(name)
            if not wanted:
                break
        if wanted:
            raise ValueError(
                f"feature modules {', '.join(wanted)} are not top-level modules of the model (nor children of a "
                "top-level nn.Sequential); use feature_cls='hook' or 'getter' for this model"
            )
        self.update(layers)

    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    def forward(self, x: torch.Tensor) -> list[torch.Tensor] | dict[str, torch.Tensor]:
        outputs: dict[str, torch.Tensor] = {}
        last = len(self) - 1
        for i, (name, module) in enumerate(self.items()):
            # The first module needs the input's gradient and in-place modules cannot be
            # recomputed, so neither is checkpointed.
            if self.grad_checkpointing and 0 < i < last and not getattr(module, "inplace", False):
                x = torch.utils.checkpoint.checkpoint(module, x, use_reentrant=False)
            else:
                x = module(x)
            if name in self.return_layers:
                outputs[self.return_layers[name]] = x
        return outputs if self.as_dict else list(outputs.values())


def _children(model: nn.Module, *, flatten: bool) -> list[tuple[str, str, nn.Module]]:
    """(name in the wrapper, dotted name in the model, module) in registration order."""
    found = []
    for name, child in model.named_children():
        if flatten and isinstance(child, nn.Sequential):
            for sub_name, sub in child.named_children():
                found.append((f"{name}_{sub_name}", f"{name}.{sub_name}", sub))
        else:
            found.append((name, name, child))
    return found


class HookFeatures(nn.Module):
    """The pruned model run as is; forward hooks collect the stage outputs."""

    def __init__(self, model: nn.Module, feature_info: FeatureInfo, *, as_dict: bool = False) -> None:
        super().__init__()
        self.feature_info = feature_info
        self.as_dict = as_dict
        self.body = model
        self._names = [feature_info.module_name(i) for i in feature_info.out_indices]
        self._captured: dict[str, torch.Tensor] = {}
        for name in self._names:
            model.get_submodule(name).register_forward_hook(self._capture(name))

    def _capture(self, name: str):  # type: ignore[no-untyped-def]
        def hook(module: nn.Module, inputs: object, output: torch.Tensor) -> None:
            self._captured[name] = output[0] if isinstance(output, (tuple, list)) else output

        return hook

    def set_grad_checkpointing(self, enable: bool = True) -> None:
        cast(ImageModel, self.body).set_grad_checkpointing(enable)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor] | dict[str, torch.Tensor]:
        self._captured = {}
        cast(ImageModel, self.body).forward_features(x)
        outputs, self._captured = {n: self._captured[n] for n in self._names}, {}
        return outputs if self.as_dict else list(outputs.values())


class GetterFeatures(nn.Module):
    """Features from the model's ``forward_intermediates`` after pruning what follows the last stage."""

    def __init__(self, model: nn.Module, feature_info: FeatureInfo, *, output_fmt: str = "NCHW") -> None:
        super().__init__()
        self.feature_info = feature_info
        self.output_fmt = output_fmt
        self.model = model

    def set_grad_checkpointing(self, enable: bool = True) -> None:
        cast(ImageModel, self.model).set_grad_checkpointing(enable)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        features: list[torch.Tensor] = cast(ImageModel, self.model).forward_intermediates(
            x, indices=list(self.feature_info.out_indices), output_fmt=self.output_fmt, intermediates_only=True
        )
        return features
