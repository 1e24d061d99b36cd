"""Questions about what is installed: which models, which tags, which plugins. No torch."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence

from hub._plugins import LOADED, PluginInfo, get_catalog
from hub._pretrained_cfg import PretrainedCfg
from hub._registry import ModelEntry, canonical_plugin_name
from hub.errors import HubError

__all__ = ["get_pretrained_cfg", "is_model", "list_models", "list_plugins", "list_pretrained", "natural_key"]

Patterns = str | Sequence[str]


def natural_key(name: str) -> list[int | str]:
    """Sort key that orders digits by value: resnet18 < resnet50 < resnet101."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def _as_list(patterns: Patterns | None, what: str) -> list[str]:
    """The patterns as a list; empty strings match everything, so they filter nothing."""
    if patterns is None:
        return []
    listed = [patterns] if isinstance(patterns, str) else patterns
    if not isinstance(listed, (list, tuple)) or not all(isinstance(p, str) for p in listed):
        raise TypeError(f"{what} must be a string or a list of strings (fnmatch patterns), got {patterns!r}")
    return [p for p in listed if p]


def _matches(bare: str, qualified: str, patterns: list[str]) -> bool:
    """A pattern with a ':' matches ``plugin:arch`` names, any other the bare ``arch``."""
    return any(fnmatch.fnmatchcase(qualified if ":" in p else bare, p) for p in patterns)


def list_models(
    filter: Patterns = "",
    *,
    exclude: Patterns | None = None,
    pretrained: bool = False,
    plugin: str | None = None,
) -> list[str]:
    """Names of the installed models, in natural order.

    ``filter`` and ``exclude`` take fnmatch wildcards, a string or a list of them.
    ``pretrained=True`` lists ``arch.tag`` for every tag with weights, as timm does.
    ``plugin`` keeps the models of one distribution. A name that several plugins
    register is listed qualified (``plugin:arch``), ready to pass to ``create_model``.
    """
    catalog = get_catalog()
    include, leave_out = _as_list(filter, "filter"), _as_list(exclude, "exclude")
    if pretrained:  # as in timm, 'resnet50' also matches its tagged names 'resnet50.*'
        include = include + [f"{p}.*" for p in include if "." not in p]
        leave_out = leave_out + [f"{p}.*" for p in leave_out if "." not in p]
    wanted_plugin = _loaded_plugin(plugin) if plugin is not None else None
    names: list[str] = []
    for entry in catalog.index:
        if wanted_plugin and entry.plugin != wanted_plugin:
            continue
        shown = catalog.index.listed_name(entry)
        candidates = _tagged_names(entry) if pretrained else [entry.name]
        for bare in candidates:
            qualified = f"{entry.plugin}:{bare}"
            if include and not _matches(bare, qualified, include):
                continue
            if leave_out and _matches(bare, qualified, leave_out):
                continue
            names.append(qualified if shown != entry.name else bare)
    # Qualified names ('plugin:arch') sort by their architecture, next to their namesakes.
    return sorted(names, key=lambda n: (natural_key(n.rpartition(":")[2]), n))


def _loaded_plugin(plugin: str) -> str:
    """The canonical name of a loaded plugin; a `ValueError` that says why another name lists nothing."""
    if not isinstance(plugin, str):
        raise TypeError(f"plugin must be a distribution name (a string), got {plugin!r}")
    name = canonical_plugin_name(plugin)
    plugins = get_catalog().plugins
    info = plugins.get(name)
    if info is not None and info.status == LOADED:
        return name
    if info is not None:
        raise ValueError(f"plugin {plugin!r} is installed but {info.status} ({info.reason}); see `hub plugins`")
    loaded = ", ".join(n for n, i in sorted(plugins.items()) if i.status == LOADED) or "none"
    raise ValueError(f"no plugin named {plugin!r} is installed; loaded plugins: {loaded} (see `hub plugins`)")


def _tagged_names(entry: ModelEntry) -> Iterable[str]:
    for tag, cfg in entry.pretrained.items():
        if cfg.has_weights:
            yield f"{entry.name}.{tag}"


def list_pretrained(filter: Patterns = "", *, exclude: Patterns | None = None) -> list[str]:
    """``arch.tag`` names that have pretrained weights; shorthand for ``list_models(pretrained=True)``."""
    return list_models(filter, exclude=exclude, pretrained=True)


def is_model(name: str) -> bool:
    """True when ``name`` (``arch``, ``arch.tag`` or ``plugin:arch``) names exactly one installed model."""
    if not isinstance(name, str):
        raise TypeError(f"a model name is a string ('resnet50', 'resnet50.a1_in1k'), got {name!r}")
    try:
        get_catalog().index.resolve(name)
    except HubError:
        return False
    return True


def get_model_entry(name: str) -> ModelEntry:
    """The registration behind a model name; raises `UnknownModelError` with close names."""
    return get_catalog().index.resolve(name).entry


def get_pretrained_cfg(name: str) -> PretrainedCfg:
    """The pretrained cfg of ``arch.tag``, or of the default tag for a bare ``arch``."""
    return get_catalog().index.resolve(name).pretrained_cfg()


def list_plugins() -> list[PluginInfo]:
    """Every installed plugin with its version, status (loaded, failed, ...) and model count."""
    return sorted(get_catalog().plugins.values(), key=lambda info: info.name)
