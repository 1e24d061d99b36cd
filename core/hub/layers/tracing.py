"""What symbolic tracing (``torch.fx``) must not enter, and input checks that survive it.

Tracing runs ``forward`` on proxies that stand for tensors: a Python ``if`` or ``max`` over a
tensor's size, or a call that needs a real int, stops it. A layer whose forward does that
is registered here as a *leaf* (traced as one opaque call, run for real when the traced
module runs); `hub.fx` and the conformance kit's ``fx`` check read this registry. This
module does not import ``torch.fx``: registering costs nothing.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import torch
from torch import nn
from torch.overrides import handle_torch_function, has_torch_function_unary

__all__ = ["input_check", "leaf_functions", "leaf_modules", "register_leaf_function", "register_leaf_module"]

_P = ParamSpec("_P")
_ModuleT = TypeVar("_ModuleT", bound=type[nn.Module])
_FunctionT = TypeVar("_FunctionT", bound=Callable[..., Any])

_LEAF_MODULES: dict[type[nn.Module], None] = {}  # dicts, not sets: registration order is kept
_LEAF_FUNCTIONS: dict[Callable[..., Any], None] = {}

# The core's leaves register when their modules are imported, and hub.layers imports its
# modules lazily: the listings import these first, so that they are complete.
_CORE_LEAF_MODULES = ("hub.layers.norm_act", "hub.layers.onednn_linear", "hub.layers.padding", "hub.layers.pos_embed")


def register_leaf_module(cls: _ModuleT) -> _ModuleT:
    """Mark a module class (and its subclasses) as a leaf for tracing; usable as a class decorator.

    The traced graph then holds one ``call_module`` node per instance, and the module's own
    forward runs, unchanged, whenever the traced module runs.
    """
    if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        raise TypeError(f"register_leaf_module takes an nn.Module subclass, got {cls!r}")
    _LEAF_MODULES[cls] = None
    return cls


def register_leaf_function(fn: _FunctionT) -> _FunctionT:
    """Mark a module-level function as a leaf for tracing; usable as a decorator.

    The tracer records a call to it instead of entering it. Only calls through a global name
    are caught (``pad_same(x, ...)`` in a forward, after ``from hub.layers import pad_same``),
    not calls through an attribute (``layers.pad_same(...)``): that is how torch.fx's
    ``autowrap_functions`` works.
    """
    if not callable(fn) or not hasattr(fn, "__name__"):
        raise TypeError(f"register_leaf_function takes a function, got {fn!r}")
    _LEAF_FUNCTIONS[fn] = None
    return fn


def leaf_modules() -> tuple[type[nn.Module], ...]:
    """The registered leaf module classes, in registration order."""
    _import_core_leaves()
    return tuple(_LEAF_MODULES)


def leaf_functions() -> tuple[Callable[..., Any], ...]:
    """The registered leaf functions, in registration order."""
    _import_core_leaves()
    return tuple(_LEAF_FUNCTIONS)


def _import_core_leaves() -> None:
    for module in _CORE_LEAF_MODULES:
        importlib.import_module(module)


def input_check(
    check: Callable[Concatenate[torch.Tensor, _P], None],
) -> Callable[Concatenate[torch.Tensor, _P], torch.Tensor]:
    """Turn ``check(x, ...)``, which raises on a bad input, into a pass-through that tracing keeps.

    The decorated function returns ``x``; use it as ``x = check(x, ...)``. Run eagerly, it
    raises the check's own error with its own message. Traced, it becomes one graph node
    (the way ``torch._assert`` does), so the check runs with real sizes whenever the traced
    module runs, and a graph pass that drops unused nodes cannot drop it: its output is used.
    The arguments after ``x`` must be plain values (ints, tuples, bools), not tensors.
    """

    @functools.wraps(check)
    def checked(x: torch.Tensor, *args: _P.args, **kwargs: _P.kwargs) -> torch.Tensor:
        if has_torch_function_unary(x):  # a tracing proxy: record this call instead of running it
            return handle_torch_function(checked, (x,), x, *args, **kwargs)  # type: ignore[no-any-return]
        check(x, *args, **kwargs)
        return x

    return checked
