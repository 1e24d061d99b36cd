"""Calling a plugin's builder: checking its arguments, building with or without initialising, and
putting prepared weights into the model.

When a checkpoint will replace the weights anyway, random initialisation is wasted work
(most of the time of building a large model) and, once written, its memory stays resident
next to the loaded weights. `build_uninitialised` builds the model with initialisers turned
into no-ops: tensors are allocated but never written, so their pages are never touched.
`assign_weights` then swaps in the checkpoint's own tensors (memory-mapped for safetensors,
so memory holds one copy) and initialises for real only what the checkpoint does not cover.
(The meta device would do the same, but on first use it imports ``torch._dynamo``, which
costs more than a small model's whole load.)
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, cast

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from hub._contract import ImageModel
from hub._weights import ModelLayout, PreparedWeights

__all__ = [
    "accepted_keywords",
    "assign_weights",
    "build_uninitialised",
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
    """Turns filling operations into no-ops and remembers the storage of every tensor it spared."""

    def __init__(self) -> None:
        super().__init__()
        self.spared: set[int] = set()

    def __torch_function__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        kwargs = kwargs or {}
        # torch.nn.init functions dispatch here themselves, passing the tensor by keyword.
        is_initialiser = getattr(func, "__module__", None) == "torch.nn.init" and func.__name__.endswith("_")
        if is_initialiser or func in _FILLING_OPS:
            target = args[0] if args else kwargs.get("tensor")
            if isinstance(target, torch.Tensor):
                self.spared.add(target.untyped_storage().data_ptr())
                return target
        return func(*args, **kwargs)


_skip_lock = threading.Lock()


@contextmanager
def skip_init() -> Iterator[set[int]]:
    """Within this block, initialisers leave tensors unwritten; yields the storages they spared."""
    mode = _SkipFilling()

    def spare_trunc_normal(tensor: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
        mode.spared.add(tensor.untyped_storage().data_ptr())
        return tensor

    # nn.init.trunc_normal_ does not dispatch to the mode, and redraws out-of-range values
    # until none is left: on unwritten memory that loop might never end. Its worker is
    # replaced for the duration (one build at a time, so the swap cannot interleave).
    with _skip_lock:
        original = torch.nn.init._no_grad_trunc_normal_
        torch.nn.init._no_grad_trunc_normal_ = spare_trunc_normal
        try:
            with mode:
                yield mode.spared
        finally:
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


def instantiate(builder: Callable[..., Any], arguments: Mapping[str, Any]) -> nn.Module:
    """Call the builder and check that it returned a module."""
    model = builder(**arguments)
    if not isinstance(model, nn.Module):
        raise TypeError(f"builder {builder!r} returned {type(model).__name__}, not a torch.nn.Module")
    return model


def build_uninitialised(builder: Callable[..., Any], arguments: Mapping[str, Any]) -> tuple[nn.Module, set[int]]:
    """The model with its tensors allocated but unwritten, and the storages `skip_init` spared."""
    with skip_init() as spared:
        model = instantiate(builder, arguments)
    return model, spared


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
