"""Symbolic tracing (``torch.fx``) of hub's models, knowing the leaves that layers register.

``symbolic_trace(model)`` gives a ``torch.fx.GraphModule`` that computes what ``model``
does; the modules and functions registered with `hub.layers.register_leaf_module` and
`hub.layers.register_leaf_function` stay single calls in its graph. Tools that trace with a
tracer of their own take the same leaves through `tracer_kwargs`::

    from torchvision.models.feature_extraction import create_feature_extractor
    extractor = create_feature_extractor(model, ["blocks.3"], tracer_kwargs=hub.fx.tracer_kwargs())

`create_feature_extractor` and `get_graph_node_names` here do exactly that (torchvision
must be installed). A trace records one mode: trace in ``train()`` mode for training
(stochastic depth, dropout in functional form) and in ``eval()`` mode for inference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch.fx
from torch import nn

from hub.layers.tracing import leaf_functions, leaf_modules

__all__ = ["Tracer", "create_feature_extractor", "get_graph_node_names", "symbolic_trace", "tracer_kwargs"]


class Tracer(torch.fx.Tracer):
    """A ``torch.fx.Tracer`` that keeps hub's registered leaves, and ``leaf_modules`` given here, as single calls.

    Functions registered as leaves (and ``autowrap_functions`` given here) are recorded as
    calls wherever a traced forward calls them by their global name.
    """

    def __init__(
        self,
        *,
        leaf_modules: Sequence[type[nn.Module]] = (),
        autowrap_functions: Sequence[Callable[..., Any]] = (),
        **kwargs: Any,
    ) -> None:
        options = tracer_kwargs()
        super().__init__(autowrap_functions=(*options["autowrap_functions"], *autowrap_functions), **kwargs)
        self.leaf_module_types: tuple[type[nn.Module], ...] = (*options["leaf_modules"], *leaf_modules)

    def is_leaf_module(self, m: nn.Module, module_qualified_name: str) -> bool:
        return isinstance(m, self.leaf_module_types) or super().is_leaf_module(m, module_qualified_name)


def symbolic_trace(model: nn.Module, concrete_args: dict[str, Any] | None = None) -> torch.fx.GraphModule:
    """Trace ``model`` into a ``GraphModule`` that shares its parameters and submodules.

    The model's current mode (``train()`` / ``eval()``) is the one recorded. A model that
    cannot be traced raises torch.fx's error, which names the Python construct that stopped it.
    """
    tracer = Tracer()
    graph = tracer.trace(model, concrete_args)
    return torch.fx.GraphModule(tracer.root, graph, type(model).__name__)


def tracer_kwargs() -> dict[str, list[Any]]:
    """The leaves as torchvision's ``tracer_kwargs`` (``leaf_modules``, ``autowrap_functions``)."""
    return {"leaf_modules": list(leaf_modules()), "autowrap_functions": list(leaf_functions())}


def create_feature_extractor(
    model: nn.Module, return_nodes: list[str] | dict[str, str], **kwargs: Any
) -> torch.fx.GraphModule:
    """torchvision's ``create_feature_extractor`` with hub's leaves: the outputs of ``return_nodes``, by name.

    A module's dotted name (``"layer2"``, ``"blocks.3"``) names its output, so the modules
    in a model's ``feature_info`` are valid nodes. Further keyword arguments go to torchvision.
    """
    feature_extraction = _torchvision_feature_extraction()
    return feature_extraction.create_feature_extractor(
        model, return_nodes, tracer_kwargs=_merged_tracer_kwargs(kwargs.pop("tracer_kwargs", None)), **kwargs
    )


def get_graph_node_names(model: nn.Module, **kwargs: Any) -> tuple[list[str], list[str]]:
    """torchvision's ``get_graph_node_names`` with hub's leaves: the node names in train and in eval mode."""
    feature_extraction = _torchvision_feature_extraction()
    return feature_extraction.get_graph_node_names(  # type: ignore[no-any-return]
        model, tracer_kwargs=_merged_tracer_kwargs(kwargs.pop("tracer_kwargs", None)), **kwargs
    )


def _torchvision_feature_extraction() -> Any:
    try:
        from torchvision.models import feature_extraction
    except ImportError as error:
        raise ImportError(
            "hub.fx's feature extraction uses torchvision's; install it with `pip install torchvision` "
            "(the build that matches your torch)"
        ) from error
    return feature_extraction


def _merged_tracer_kwargs(extra: dict[str, Any] | None) -> dict[str, Any]:
    """hub's leaves added to a caller's ``tracer_kwargs``."""
    merged: dict[str, Any] = dict(extra or {})
    for key, values in tracer_kwargs().items():
        merged[key] = [*values, *merged.get(key, ())]
    return merged
