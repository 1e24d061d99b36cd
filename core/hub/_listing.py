"""Questions about what is installed: which models, which tags, which plugins. No torch."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hub._plugins import LOADED, PluginInfo, get_catalog
from hub._pretrained_cfg import PretrainedCfg
from hub._registry import ModelEntry, canonical_plugin_name
from hub.errors import HubError

__all__ = [
    "ListedModel",
    "get_pretrained_cfg",
    "is_model",
    "list_model_records",
    "list_models",
    "list_plugins",
    "list_pretrained",
    "natural_key",
]

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


@dataclass(frozen=True)
class ListedModel:
    """A listed name, the plugin that builds it, and the other providers' names for the same model."""

    name: str
    plugin: str
    others: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "plugin": self.plugin, "others": list(self.others)}


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
    ``plugin`` keeps the models of one distribution. Each model is listed once, under the
    name that builds it: a fallback provider's model that a native plugin also registers
    is left out unless its plugin is asked for (``plugin=`` or a ``plugin:*`` pattern),
    which lists it as ``plugin:arch``; and a name that
    several plugins of the same rank register is listed qualified, ready to pass to
    ``create_model``.
    """
    return [record.name for record in list_model_records(filter, exclude=exclude, pretrained=pretrained, plugin=plugin)]


def list_model_records(
    filter: Patterns = "",
    *,
    exclude: Patterns | None = None,
    pretrained: bool = False,
    plugin: str | None = None,
) -> list[ListedModel]:
    """What `list_models` lists, each name with the plugin that builds it and the other providers."""
    index = get_catalog().index
    include, leave_out = _as_list(filter, "filter"), _as_list(exclude, "exclude")
    if pretrained:  # as in timm, 'resnet50' also matches its tagged names 'resnet50.*'
        include = include + [f"{p}.*" for p in include if "." not in p]
        leave_out = leave_out + [f"{p}.*" for p in leave_out if "." not in p]
    wanted_plugin = _loaded_plugin(plugin) if plugin is not None else None
    records: list[ListedModel] = []
    for entry in index:
        if wanted_plugin and entry.plugin != wanted_plugin:
            continue
        # A fallback that a native registration shadows is listed only when asked for by
        # plugin, by --plugin or by a 'plugin:...' pattern; otherwise its namesake stands for it.
        shadowed = not wanted_plugin and index.is_shadowed(entry)
        if shadowed and not any(":" in p for p in include):
            continue
        qualify = index.listed_name(entry) != entry.name
        others = [e for e in index.providers(entry.name) if e is not entry]
        candidates = _tagged_names(entry) if pretrained else [entry.name]
        for bare in candidates:
            qualified = f"{entry.plugin}:{bare}"
            if include and not _matches(bare, qualified, include):
                continue
            if shadowed and not _matches(bare, qualified, [p for p in include if ":" in p]):
                continue
            if leave_out and _matches(bare, qualified, leave_out):
                continue
            tag = bare.partition(".")[2]
            also = tuple(f"{e.plugin}:{bare}" for e in others if not tag or tag in e.pretrained)
            records.append(ListedModel(qualified if qualify else bare, entry.plugin, also))
    # Qualified names ('plugin:arch') sort by their architecture, next to their namesakes.
    return sorted(records, key=lambda r: (natural_key(r.name.rpartition(":")[2]), r.name))


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
