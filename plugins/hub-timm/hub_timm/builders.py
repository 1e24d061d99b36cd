"""Builders for timm's architectures: ``hub_timm.builders:NAME`` builds timm's model NAME.

Each builder calls ``timm.create_model(NAME, pretrained=False, **kwargs)`` and nothing
more: hub's core loads and adapts the weights, wraps features and saves, as for any
family. Its signature lists the keyword arguments the model class takes (from the
index), so the core checks arguments and passes ``img_size`` exactly as for a native
family. Where timm's model keeps an absolute position embedding over its patch grid, the
builder declares that grid (``pos_embed_grids``), so the core resamples pretrained
embeddings for other image sizes.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

from hub_timm._index import TimmArch, get_index

__all__ = ["TimmBuilder"]


class TimmBuilder:
    """Builds one timm architecture; what the registry's ``hub_timm.builders:NAME`` resolves to."""

    def __init__(self, arch: TimmArch) -> None:
        self.arch = arch
        self.__name__ = self.__qualname__ = arch.name
        self.__module__ = __name__
        keyword = inspect.Parameter.KEYWORD_ONLY
        if arch.args is None:
            parameters = [inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD)]
        else:
            parameters = [inspect.Parameter(name, keyword) for name in arch.args]
        self.__signature__ = inspect.Signature(parameters)

    def __repr__(self) -> str:
        return f"<hub-timm builder of timm's {self.arch.name!r}>"

    def __call__(self, **kwargs: Any) -> Any:
        import timm

        try:
            model = timm.create_model(self.arch.name, pretrained=False, **kwargs)
        except TypeError as exc:  # an argument the model's class does not take (it takes **kwargs: no signature)
            raise TypeError(f"timm's {self.arch.name!r} refused its arguments ({exc})") from exc
        except AssertionError as exc:  # how timm checks argument values (a pool type it does not offer, say)
            raise ValueError(f"timm's {self.arch.name!r} refused its arguments ({exc})") from exc
        declare_pos_embed_grid(model)
        register_timm_leaves()
        return model


def register_timm_leaves() -> None:
    """Give hub's tracer the layers and functions timm keeps out of its own FX traces.

    timm marks what torch.fx cannot follow (size checks in Python, data-dependent
    padding) in its own registry; registered with hub's, ``hub.fx.symbolic_trace`` and
    every tool built on it trace timm's models as timm's tracer does. Called after each
    build, since timm registers a module's leaves when that module is imported.
    """
    from timm.layers import _fx

    from hub.layers import register_leaf_function, register_leaf_module

    for module in _fx.get_notrace_modules():
        register_leaf_module(module)
    for function in _fx.get_notrace_functions():
        if callable(function):
            register_leaf_function(function)


def declare_pos_embed_grid(model: Any) -> None:
    """Give ``model`` a ``pos_embed_grids()`` when its ``pos_embed`` is prefix tokens plus its patch grid.

    Only an embedding of shape (1, prefix + H * W, C) whose H x W is the model's
    ``patch_embed.grid_size`` qualifies, so the core never resamples what it misreads.
    """
    if _embedded_grid(model) is not None:
        model.pos_embed_grids = types.MethodType(_pos_embed_grids, model)


def _embedded_grid(model: Any) -> tuple[int, tuple[int, int]] | None:
    """(prefix tokens, grid) of the model's absolute position embedding; None when it has none such."""
    pos_embed: Any = getattr(model, "pos_embed", None)
    grid = getattr(getattr(model, "patch_embed", None), "grid_size", None)
    if getattr(pos_embed, "ndim", None) != 3 or pos_embed.shape[0] != 1 or grid is None or len(grid) != 2:
        return None
    height, width = int(grid[0]), int(grid[1])
    prefix = int(pos_embed.shape[1]) - height * width
    if prefix < 0 or prefix not in (0, int(getattr(model, "num_prefix_tokens", 0))):
        return None
    return prefix, (height, width)


def _pos_embed_grids(model: Any) -> dict[str, Any]:
    from hub.layers import PosEmbedGrid

    found = _embedded_grid(model)
    if found is None:
        return {}
    prefix, grid = found
    return {"pos_embed": PosEmbedGrid(num_prefix_tokens=prefix, grid_size=grid)}


def __getattr__(name: str) -> TimmBuilder:
    arch = get_index().archs.get(name)
    if arch is None:
        raise AttributeError(f"timm {get_index().timm_version} has no architecture {name!r}")
    builder = TimmBuilder(arch)
    globals()[name] = builder
    return builder
