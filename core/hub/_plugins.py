"""Finding, loading and isolating plugins.

Plugins are installed distributions with an entry point in the group ``hub``; the entry
point names the plugin's manifest module, whose ``@hub.hookimpl`` functions pluggy calls.
A plugin that fails to import, raises in a hook or registers something malformed is
reported once and skipped; the others keep working.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import importlib_metadata
import pluggy

from hub import hookspecs
from hub._compat import core_requirement_problem
from hub._registry import ModelIndex, ModelRegistrar, canonical_plugin_name
from hub.errors import HubPluginWarning

__all__ = ["ENTRY_POINT_GROUP", "Catalog", "PluginInfo", "get_catalog", "set_catalog"]

ENTRY_POINT_GROUP = "hub"
ALLOW_LIST_ENV = "HUB_PLUGINS"

LOADED = "loaded"
FAILED = "failed"
DISABLED = "disabled"
INCOMPATIBLE = "incompatible"


@dataclass(frozen=True)
class PluginInfo:
    """What ``hub plugins`` shows for one installed plugin."""

    name: str
    version: str | None
    status: str
    reason: str | None = None
    num_models: int = 0
    module: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "status": self.status,
            "reason": self.reason,
            "num_models": self.num_models,
            "module": self.module,
        }


class Catalog:
    """The plugins of this process and the models they registered."""

    def __init__(self) -> None:
        self.plugin_manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.plugin_manager.add_hookspecs(hookspecs)
        self.index = ModelIndex()
        self.plugins: dict[str, PluginInfo] = {}

    def add_plugin(self, name: str, module: object, *, version: str | None = None) -> PluginInfo:
        """Register a plugin object (normally its manifest module) and collect its models.

        On failure nothing of the plugin is kept, a `HubPluginWarning` names it, and it is
        recorded as failed with the reason.
        """
        name = canonical_plugin_name(name)
        module_name = getattr(module, "__name__", None)
        if name in self.plugins:  # the first one stays as it is
            duplicate = PluginInfo(
                name, version, FAILED, f"a plugin named {name!r} is already loaded", module=module_name
            )
            _warn(duplicate)
            return duplicate
        registrar = ModelRegistrar(name)
        try:
            self.plugin_manager.register(module, name=name)
        except Exception as exc:  # pluggy validation errors, or a plugin object pluggy rejects
            return self.record(name, version, FAILED, _describe(exc), module_name)
        try:
            self.call_hook(name, "register_models", registry=registrar)
        except Exception as exc:  # whatever the plugin's own code raised
            self.plugin_manager.unregister(name=name)
            return self.record(name, version, FAILED, _describe(exc), module_name)
        entries = registrar.entries()
        self.index.add(entries)
        info = PluginInfo(name, version, LOADED, num_models=len(entries), module=module_name)
        self.plugins[name] = info
        return info

    def record(self, name: str, version: str | None, status: str, reason: str, module: str | None = None) -> PluginInfo:
        """Note a plugin that was not loaded: left out by HUB_PLUGINS, refused, or failed.

        A refused or failed plugin gets one `HubPluginWarning` naming it and the reason.
        """
        info = PluginInfo(canonical_plugin_name(name), version, status, reason, module=module)
        self.plugins[info.name] = info
        _warn(info)
        return info

    def call_hook(self, plugin: str, hook_name: str, **kwargs: Any) -> list[Any]:
        """Call one hook of one plugin only, so that a failure is attributed to it."""
        others = [p for p in self.plugin_manager.get_plugins() if self.plugin_manager.get_name(p) != plugin]
        caller = self.plugin_manager.subset_hook_caller(hook_name, remove_plugins=others)
        result: list[Any] = caller(**kwargs)
        return result

    def loaded_plugins(self) -> list[str]:
        return [name for name, info in self.plugins.items() if info.status == LOADED]


def _warn(info: PluginInfo) -> None:
    if info.status == FAILED:
        message = f"hub: plugin {info.name!r} failed to load and was skipped: {info.reason}"
    elif info.status == INCOMPATIBLE:
        message = f"hub: plugin {info.name!r} was refused: {info.reason}"
    else:
        return
    warnings.warn(message, HubPluginWarning, stacklevel=4)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def allowed_plugins(environ: Mapping[str, str] = os.environ) -> set[str] | None:
    """The HUB_PLUGINS allow-list in canonical names; None when unset (load every plugin)."""
    raw = environ.get(ALLOW_LIST_ENV)
    if raw is None:
        return None
    return {canonical_plugin_name(part.strip()) for part in raw.split(",") if part.strip()}


def load_installed(environ: Mapping[str, str] = os.environ) -> Catalog:
    """Discover the installed plugins and load those HUB_PLUGINS allows.

    A plugin left out by the allow-list, or refused as incompatible, is never imported.
    """
    catalog = Catalog()
    allowed = allowed_plugins(environ)
    installed: set[str] = set()
    for entry_point in _entry_points():
        dist_name, version, requires = _distribution_facts(entry_point)
        name = canonical_plugin_name(dist_name)
        installed.add(name)
        if allowed is not None and name not in allowed:
            catalog.record(name, version, DISABLED, f"not listed in {ALLOW_LIST_ENV}")
            continue
        if canonical_plugin_name(entry_point.name) != name:
            catalog.record(
                name,
                version,
                FAILED,
                f"its entry point in group {ENTRY_POINT_GROUP!r} is named {entry_point.name!r}; "
                f"it must be named after the distribution, {name!r}",
            )
            continue
        problem = core_requirement_problem(requires)
        if problem:
            catalog.record(name, version, INCOMPATIBLE, problem)
            continue
        try:
            module = entry_point.load()
        except Exception as exc:  # an import error in a third-party plugin must not break hub
            catalog.record(name, version, FAILED, _describe(exc))
            continue
        catalog.add_plugin(name, module, version=version)
    if allowed is not None:
        _check_allow_list(catalog, allowed, installed)
    return catalog


def _distribution_facts(entry_point: importlib_metadata.EntryPoint) -> tuple[str, str | None, list[str] | None]:
    """The name, version and Requires-Dist lines of the distribution behind an entry point.

    Its metadata file is parsed once: ``dist.name``, ``dist.version`` and ``dist.requires``
    would each parse it again, on every `hub list`.
    """
    dist = entry_point.dist
    if dist is None:
        return entry_point.name, None, None
    metadata = dist.metadata
    return metadata["Name"], metadata["Version"], metadata.get_all("Requires-Dist")


def _check_allow_list(catalog: Catalog, allowed: set[str], installed: set[str]) -> None:
    """Warn about HUB_PLUGINS names no installed plugin has, and let 'unknown model' mention the list."""
    unknown = sorted(allowed - installed)
    if unknown:
        warnings.warn(
            f"hub: {ALLOW_LIST_ENV} names {', '.join(map(repr, unknown))}, which no installed plugin is called "
            f"(installed: {', '.join(sorted(installed)) or 'none'})",
            HubPluginWarning,
            stacklevel=3,
        )
    left_out = sorted(installed - allowed)
    if left_out:
        catalog.index.unknown_hint = (
            f"{ALLOW_LIST_ENV} is set, so only {', '.join(sorted(allowed & installed)) or 'no plugin'} loaded; "
            f"left out: {', '.join(left_out)}."
        )


def _entry_points() -> Iterable[importlib_metadata.EntryPoint]:
    return sorted(importlib_metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


_lock = threading.Lock()
_catalog: Catalog | None = None
_loader: Callable[[], Catalog] = load_installed


def get_catalog() -> Catalog:
    """The process-wide catalog, loading the installed plugins on first use."""
    global _catalog
    if _catalog is None:
        with _lock:
            if _catalog is None:
                _catalog = _loader()
    return _catalog


def set_catalog(catalog: Catalog | None) -> Catalog | None:
    """Replace the process-wide catalog (None: load again on next use); returns the old one.

    For tests and embedding applications that register plugins directly.
    """
    global _catalog
    with _lock:
        previous, _catalog = _catalog, catalog
    return previous
