"""Calling a plugin's builder: checking its arguments, and building without initialising.

When a checkpoint will replace the weights anyway, random initialisation is wasted work
(most of the time of building a large model) and, once written, its memory stays resident
next to the loaded weights. `skip_init` builds the model with the initialisers of its
parameters turned into no-ops: parameters are allocated but never written, so their pages
are never touched, while buffers the model computes are computed as usual. A parameter
the checkpoint then does not cover is found with `skipped_tensors` and initialised for
real. (The meta device would do the same, but on first use it imports ``torch._dynamo``,
which costs more than a small model's whole load.)
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

__all__ = ["accepted_keywords", "check_keywords", "instantiate", "named_tensors", "skip_init", "skipped_tensors"]

_T = torch.Tensor
# In-place operations that initialisers (torch.nn.init and models' own init code) use to fill tensors.
_FILLING_OPS = frozenset(
    {
        _T.normal_, _T.uniform_, _T.fill_, _T.zero_, _T.bernoulli_, _T.exponential_, _T.log_normal_,
        _T.cauchy_, _T.geometric_, _T.random_, _T.erfinv_, _T.clamp_, _T.mul_, _T.add_, _T.sub_,
        _T.div_, _T.copy_,
    }
)  # fmt: skip


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


class _SkipFilling(TorchFunctionMode):
    """Turns filling operations on parameters into no-ops and remembers the storage of every one it spared.

    Only parameters are spared (an ``nn.Parameter``, or a tensor sharing the storage of a
    parameter registered in the block, such as ``weight.data``): the buffers a model computes
    in place (relative position indices, rotary tables) are computed as usual, since no
    checkpoint holds the non-persistent ones.
    """

    def __init__(self) -> None:
        super().__init__()
        self.spared: set[int] = set()
        self.parameters: set[int] = set()

    def spares(self, tensor: object) -> bool:
        """True (and remembered) when ``tensor`` is a parameter whose filling is skipped."""
        if not isinstance(tensor, torch.Tensor):
            return False
        storage = tensor.untyped_storage().data_ptr()
        if not isinstance(tensor, nn.Parameter) and storage not in self.parameters:
            return False
        self.spared.add(storage)
        return True

    def __torch_function__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        kwargs = kwargs or {}
        # torch.nn.init functions dispatch here themselves, passing the tensor by keyword.
        is_initialiser = getattr(func, "__module__", None) == "torch.nn.init" and func.__name__.endswith("_")
        if is_initialiser or func in _FILLING_OPS:
            target = args[0] if args else kwargs.get("tensor")
            if self.spares(target):
                return target
        return func(*args, **kwargs)


_skip_lock = threading.Lock()


@contextmanager
def skip_init() -> Iterator[set[int]]:
    """Within this block, initialisers leave parameters unwritten; yields the storages they spared."""
    mode = _SkipFilling()
    original = torch.nn.init._no_grad_trunc_normal_

    def spare_trunc_normal(tensor: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
        return tensor if mode.spares(tensor) else original(tensor, *args, **kwargs)

    def note_parameter(module: nn.Module, name: str, param: nn.Parameter | None) -> None:
        if param is not None:
            mode.parameters.add(param.untyped_storage().data_ptr())

    # nn.init.trunc_normal_ does not dispatch to the mode, and redraws out-of-range values
    # until none is left: on unwritten memory that loop might never end. Its worker is
    # replaced for the duration (one build at a time, so the swap cannot interleave).
    with _skip_lock:
        torch.nn.init._no_grad_trunc_normal_ = spare_trunc_normal
        registration = torch.nn.modules.module.register_module_parameter_registration_hook(note_parameter)
        try:
            with mode:
                yield mode.spared
        finally:
            registration.remove()
            torch.nn.init._no_grad_trunc_normal_ = original


def skipped_tensors(model: nn.Module, spared: set[int], originals: Mapping[str, torch.Tensor]) -> list[str]:
    """Names of the model's tensors that are still the unwritten originals of a `skip_init` build.

    ``originals`` maps names to the tensors the model had before loading; holding them keeps
    their memory from being reused, so storage addresses cannot be confused.
    """
    return [
        name
        for name, tensor in named_tensors(model).items()
        if originals.get(name) is tensor and tensor.untyped_storage().data_ptr() in spared
    ]


def named_tensors(model: nn.Module) -> dict[str, torch.Tensor]:
    """Every parameter and buffer of ``model`` by name."""
    tensors: dict[str, torch.Tensor] = dict(model.named_parameters())
    tensors.update(model.named_buffers())
    return tensors


def instantiate(builder: Callable[..., Any], arguments: Mapping[str, Any]) -> nn.Module:
    """Call the builder and check that it returned a module."""
    model = builder(**arguments)
    if not isinstance(model, nn.Module):
        raise TypeError(f"builder {builder!r} returned {type(model).__name__}, not a torch.nn.Module")
    return model
