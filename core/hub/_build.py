"""Calling a plugin's builder: checking its arguments and building without initialising."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

import torch
from torch import nn

__all__ = ["accepted_keywords", "check_keywords", "instantiate", "meta_tensor_names"]


def accepted_keywords(builder: Callable[..., Any]) -> frozenset[str] | None:
    """The keyword arguments ``builder`` accepts; None when it takes ``**kwargs`` (anything)."""
    try:
        parameters = inspect.signature(builder).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return None
    usable = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return frozenset(p.name for p in parameters if p.kind in usable)


def check_keywords(model_name: str, arguments: Mapping[str, Any], accepted: frozenset[str] | None) -> None:
    """`TypeError` naming the first keyword that the model's builder does not take."""
    if accepted is None:
        return
    unknown = sorted(set(arguments) - accepted)
    if unknown:
        raise TypeError(
            f"model {model_name!r} got unexpected keyword argument(s) {', '.join(repr(k) for k in unknown)}; "
            f"it accepts: {', '.join(sorted(accepted))}"
        )


def instantiate(builder: Callable[..., Any], arguments: Mapping[str, Any], *, on_meta: bool) -> nn.Module:
    """Call the builder; on the meta device when weights will replace every parameter anyway.

    On the meta device no memory is allocated and no initialiser runs, so building a
    large model before loading its checkpoint costs almost nothing.
    """
    if on_meta:
        with torch.device("meta"):
            model = builder(**arguments)
    else:
        model = builder(**arguments)
    if not isinstance(model, nn.Module):
        raise TypeError(f"builder {builder!r} returned {type(model).__name__}, not a torch.nn.Module")
    return model


def meta_tensor_names(model: nn.Module) -> list[str]:
    """Parameters and buffers still on the meta device (not covered by loaded weights)."""
    tensors = list(model.named_parameters()) + list(model.named_buffers())
    return [name for name, tensor in tensors if tensor.is_meta]
