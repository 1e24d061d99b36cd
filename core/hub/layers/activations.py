"""Activation layers by name, for architectures described as data (stage tables, configs)."""

from __future__ import annotations

from torch import nn

__all__ = ["ACTIVATIONS", "create_act"]

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "relu6": nn.ReLU6,
    "silu": nn.SiLU,
    "hard_swish": nn.Hardswish,
    "sigmoid": nn.Sigmoid,
    "hard_sigmoid": nn.Hardsigmoid,
}


def create_act(name: str, inplace: bool = False) -> nn.Module:
    """A new activation module by name (a key of `ACTIVATIONS`); ``inplace`` where the layer has it."""
    try:
        cls = ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; known: {', '.join(ACTIVATIONS)}") from None
    return cls() if cls is nn.Sigmoid else cls(inplace=inplace)
