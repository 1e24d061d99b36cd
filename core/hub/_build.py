"""Calling a plugin's builder: checking its arguments, building with or without initialising, and
putting prepared weights into the model.

When a checkpoint will replace the weights anyway, random initialisation is wasted work
(most of the time of building a large model) and, once written, its memory stays resident
next to the loaded weights. `build_uninitialised` builds the model with the initialisers of
its parameters turned into no-ops: parameters are allocated but never written, so their
pages are never touched, while buffers the model computes are computed as usual.
`assign_weights` then swaps in the checkpoint's own tensors (memory-mapped for safetensors,
so memory holds one copy) and initialises for real only what the checkpoint does not cover.
(The meta device would do the same, but on first use it imports ``torch._dynamo``, which
costs more than a small model's whole load.)
"""

from __future__ import annotations

import functools
import inspect
import logging
import math
import os
import threading
import typing
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, cast

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from hub._arguments import allowed_values, describe_value
from hub._contract import ImageModel
from hub._weights import ModelLayout, PreparedWeights
from hub.errors import InvalidArgumentError, ModelTooLargeError

__all__ = [
    "accepted_keywords",
    "assign_weights",
    "build_uninitialised",
    "check_argument_values",
    "check_keywords",
    "instantiate",
    "layout_of",
    "named_tensors",
    "skip_init",
]

_logger = logging.getLogger("hub")

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


def check_argument_values(where: str, builder: Callable[..., Any], arguments: Mapping[str, Any]) -> None:
    """`InvalidArgumentError` naming the first argument whose value the hints of ``builder`` do not admit.

    The hints are the builder's (through ``functools.partial`` and classes): a type, or
    ``Annotated[type, hub.Range(...)]`` for numbers that have bounds. ``where`` starts the
    message ("model 'vit_base_patch16_224'").
    """
    hints = _argument_hints(builder)
    for name, value in arguments.items():
        hint = hints.get(name)
        allowed = None if hint is None else allowed_values(value, hint)
        if allowed is not None:
            raise InvalidArgumentError(f"{where}: {name} must be {allowed}, got {describe_value(value)}")


def _argument_hints(builder: Callable[..., Any]) -> dict[str, Any]:
    target: Any = builder
    while isinstance(target, functools.partial):
        target = target.func
    if isinstance(target, type):
        target = getattr(target, "__init__")
    try:
        return typing.get_type_hints(target, include_extras=True)
    except Exception:  # hints that do not resolve (a plugin's own forward references): nothing to check
        return {}


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
_active = threading.local()  # the thread's current _SkipFilling, when a skip_init block is open


@contextmanager
def skip_init() -> Iterator[set[int]]:
    """Within this block, initialisers leave parameters unwritten; yields the storages they spared.

    A block opened inside another (a meta-device build within a caller's own block) shares the outer one.
    """
    outer = getattr(_active, "mode", None)
    if outer is not None:
        yield outer.spared
        return
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
        _active.mode = mode
        try:
            with mode:
                yield mode.spared
        finally:
            _active.mode = None
            registration.remove()
            torch.nn.init._no_grad_trunc_normal_ = original


def _skipped_tensors(model: nn.Module, spared: set[int], originals: Mapping[str, torch.Tensor]) -> list[str]:
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


def instantiate(
    builder: Callable[..., Any], arguments: Mapping[str, Any], *, name: str, budget: bool = True
) -> nn.Module:
    """Call the builder of model ``name`` and check that it returned a module.

    A `ValueError` the builder raises for its arguments becomes an `InvalidArgumentError`
    that names the model. With ``budget`` the model's tensors must fit in the memory
    available: a size that cannot (``num_classes=10**9``, say) is a `ModelTooLargeError`
    raised before the tensor is allocated.
    """
    limit = available_memory() if budget else None
    try:
        if limit is None:
            model = builder(**arguments)
        else:
            with _MemoryBudget(limit):
                model = builder(**arguments)
    except ModelTooLargeError as exc:
        raise ModelTooLargeError(f"model {name!r}{_changed(builder, arguments)} {exc}") from None
    except InvalidArgumentError:
        raise
    except ValueError as exc:
        raise InvalidArgumentError(f"model {name!r}: {exc}") from None
    except RuntimeError as exc:
        if "allocate" not in str(exc):
            raise
        raise ModelTooLargeError(
            f"model {name!r}{_changed(builder, arguments)} cannot be allocated ({str(exc).splitlines()[0]})"
        ) from None
    if not isinstance(model, nn.Module):
        raise TypeError(f"builder {builder!r} returned {type(model).__name__}, not a torch.nn.Module")
    return model


def _changed(builder: Callable[..., Any], arguments: Mapping[str, Any]) -> str:
    """' with a=1, b=2': the arguments that differ from the builder's defaults, for messages."""
    try:
        defaults = {k: p.default for k, p in inspect.signature(builder).parameters.items()}
    except (TypeError, ValueError):
        defaults = {}
    changed = [f"{k}={v!r}" for k, v in arguments.items() if defaults.get(k, inspect.Parameter.empty) != v]
    return f" with {', '.join(changed)}" if changed else ""


def build_uninitialised(
    builder: Callable[..., Any], arguments: Mapping[str, Any], *, name: str
) -> tuple[nn.Module, set[int]]:
    """The model with its tensors allocated but unwritten, and the storages `skip_init` spared.

    Unwritten memory is never touched, so no budget applies: the weights replace it.
    """
    with skip_init() as spared:
        model = instantiate(builder, arguments, name=name, budget=False)
    return model, spared


# Functions that allocate a new tensor: what a model's parameters and buffers are made with.
_ALLOCATORS = frozenset(
    {torch.empty, torch.zeros, torch.ones, torch.full, torch.rand, torch.randn, torch.empty_strided}
)


class _MemoryBudget(TorchFunctionMode):
    """Adds up the memory of the CPU tensors a build allocates; past ``limit`` bytes, stops it."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.total = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        kwargs = kwargs or {}
        if func not in _ALLOCATORS or not _on_cpu(kwargs.get("device")):
            return func(*args, **kwargs)
        shape = _requested_shape(func, args)
        dtype = kwargs.get("dtype") or torch.get_default_dtype()
        size = math.prod(shape) * dtype.itemsize
        self.total += size
        if self.total > self.limit:  # before the allocation: nothing is taken
            raise ModelTooLargeError(
                f"needs more than {_gib(self.total)} of memory (one tensor of shape {shape} would take "
                f"{_gib(size)}) and {_gib(self.limit)} is available; check those arguments"
            )
        return func(*args, **kwargs)


def _requested_shape(func: Callable[..., Any], args: tuple[Any, ...]) -> tuple[int, ...]:
    """The shape an allocator call asks for: ``f(2, 3)``, ``f((2, 3))``, ``full((2, 3), value)``."""
    first = args[0] if args else ()
    if isinstance(first, (tuple, list, torch.Size)):
        return tuple(int(d) for d in first)
    return tuple(int(d) for d in args) if func is not torch.full else (int(first),)


def _on_cpu(device: Any) -> bool:
    current = torch.get_default_device() if device is None else torch.device(device)
    return current.type == "cpu"


def _gib(size: int) -> str:
    return f"{size / 2**30:.1f} GiB"


def available_memory() -> int | None:
    """Bytes of memory available to a new model, as the system reports it; None where it does not."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def layout_of(model: nn.Module, *, in_chans: int) -> ModelLayout:
    """What weights for ``model`` must fit; ``in_chans`` is the input channels it was built with."""
    grids = getattr(model, "pos_embed_grids", None)
    return ModelLayout(
        tensors=model.state_dict(),
        in_chans=in_chans,
        num_classes=int(getattr(model, "num_classes", 0)),
        grids=grids() if callable(grids) else {},
    )


def assign_weights(
    model: nn.Module, spared: set[int], weights: PreparedWeights, *, rebuild: Callable[[], nn.Module]
) -> nn.Module:
    """Put ``weights`` into ``model`` (built by `build_uninitialised`); returns the ready model.

    The model takes the weights' own tensors. A classifier the weights leave out on purpose
    is made anew by ``reset_classifier``; anything else they leave uncovered (a buffer only
    the model's code can fill, say) makes ``rebuild`` build the model normally first.
    """
    originals = named_tensors(model)
    model.load_state_dict(weights.state_dict, strict=False, assign=True)
    uncovered = [n for n in _skipped_tensors(model, spared, originals) if n not in weights.fresh_head]
    del originals
    if weights.fresh_head:
        cast(ImageModel, model).reset_classifier(int(getattr(model, "num_classes", 0)))
    if uncovered:
        _logger.debug("rebuilding with initialisation, %s not covered by the weights", ", ".join(uncovered))
        model = rebuild()
        model.load_state_dict(weights.state_dict, strict=False)
    return model
