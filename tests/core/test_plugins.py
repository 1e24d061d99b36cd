"""Plugins load through pluggy; a broken one is reported and isolated; HUB_PLUGINS decides which load."""

from __future__ import annotations

import sys
import types
from typing import ClassVar

import pytest
from support.fake_plugins import catalog_of, plugin_module, register_tiny

import hub
from hub._compat import core_requirement_problem
from hub._plugins import Catalog, allowed_plugins, load_installed
from hub.errors import HubPluginWarning


def test_plugins_register_through_the_hook() -> None:
    with catalog_of(acme=register_tiny) as catalog:
        assert hub.list_models() == ["tinynet"]
        (info,) = hub.list_plugins()
        assert (info.name, info.status, info.num_models, info.version) == ("acme", "loaded", 1, "1.0")
        assert catalog.index.resolve("tinynet").entry.plugin == "acme"


def test_a_plugin_whose_hook_raises_is_isolated() -> None:
    def broken(registry: hub.ModelRegistrar) -> None:
        registry.register("halfway", builder="m:f")
        raise RuntimeError("boom")

    warned = pytest.warns(HubPluginWarning, match="plugin 'broken' failed to load and was skipped: RuntimeError: boom")
    with warned, catalog_of(acme=register_tiny, broken=broken):
        assert hub.list_models() == ["tinynet"]  # nothing of the broken plugin is kept
        statuses = {p.name: (p.status, p.reason) for p in hub.list_plugins()}
        assert statuses["broken"] == ("failed", "RuntimeError: boom")
        assert statuses["acme"][0] == "loaded"


def test_an_invalid_registration_fails_the_plugin() -> None:
    def invalid(registry: hub.ModelRegistrar) -> None:
        registry.register("ok", builder="m:f")
        registry.register("not ok!", builder="m:f")

    warned = pytest.warns(HubPluginWarning, match="plugin 'invalid' failed.*InvalidRegistrationError")
    with warned, catalog_of(invalid=invalid):
        assert hub.list_models() == []


def test_a_hookimpl_with_a_wrong_signature_is_refused() -> None:
    module = types.ModuleType("wrong")

    @hub.hookimpl
    def register_models(registry, extra):  # type: ignore[no-untyped-def]
        pass

    module.register_models = register_models  # type: ignore[attr-defined]
    catalog = Catalog()
    with pytest.warns(HubPluginWarning, match="plugin 'wrong' failed"):
        info = catalog.add_plugin("wrong", module)
    assert info.status == "failed" and "extra" in (info.reason or "")


def test_the_same_plugin_name_twice_is_refused() -> None:
    catalog = Catalog()
    catalog.add_plugin("acme", plugin_module("a", register_tiny))
    with pytest.warns(HubPluginWarning, match="already loaded"):
        info = catalog.add_plugin("ACME", plugin_module("b", register_tiny))
    assert info.status == "failed" and len(catalog.index) == 1
    assert catalog.plugins["acme"].status == "loaded"  # the first one is untouched


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", set()),
        ("hub-resnet", {"hub-resnet"}),
        (" Hub_ResNet , acme.models ,", {"hub-resnet", "acme-models"}),
    ],
)
def test_hub_plugins_allow_list_parsing(value: str | None, expected: set[str] | None) -> None:
    environ = {} if value is None else {"HUB_PLUGINS": value}
    assert allowed_plugins(environ) == expected


class _Metadata(dict[str, str]):
    """A distribution's metadata headers: one value each, Requires-Dist repeated."""

    def __init__(self, name: str, requires: list[str] | None) -> None:
        super().__init__(Name=name, Version="2.0")
        self.requires = requires

    def get_all(self, key: str) -> list[str] | None:
        return self.requires if key == "Requires-Dist" else None


class _Dist:
    def __init__(self, name: str, requires: list[str] | None = None) -> None:
        self.metadata = _Metadata(name, requires)


class _EntryPoint:
    """An entry point as importlib.metadata gives it, whose load() is recorded."""

    loaded: ClassVar[list[str]] = []

    def __init__(self, name: str, dist: _Dist, module: object | Exception) -> None:
        self.name, self.dist, self._module = name, dist, module

    def load(self) -> object:
        _EntryPoint.loaded.append(self.name)
        if isinstance(self._module, Exception):
            raise self._module
        return self._module


def _installed(monkeypatch: pytest.MonkeyPatch, *entry_points: _EntryPoint) -> None:
    _EntryPoint.loaded = []
    monkeypatch.setattr("hub._plugins._entry_points", lambda: list(entry_points))


def test_discovery_isolates_import_errors_and_respects_the_allow_list(monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(
        monkeypatch,
        _EntryPoint("acme", _Dist("acme"), plugin_module("acme", register_tiny)),
        _EntryPoint("broken", _Dist("broken"), ImportError("No module named 'torchvisionx'")),
        _EntryPoint("other", _Dist("other"), plugin_module("other", lambda r: register_tiny(r, "othernet"))),
    )
    with pytest.warns(HubPluginWarning, match="'broken' failed to load.*No module named 'torchvisionx'"):
        catalog = load_installed({})
    assert {n: p.status for n, p in catalog.plugins.items()} == {
        "acme": "loaded",
        "broken": "failed",
        "other": "loaded",
    }

    _EntryPoint.loaded = []
    catalog = load_installed({"HUB_PLUGINS": "other"})
    assert _EntryPoint.loaded == ["other"]  # left-out plugins are never imported
    assert catalog.plugins["acme"].status == "disabled"
    assert [e.name for e in catalog.index] == ["othernet"]

    _EntryPoint.loaded = []
    assert len(load_installed({"HUB_PLUGINS": ""}).index) == 0 and _EntryPoint.loaded == []


def test_an_entry_point_must_be_named_after_its_distribution(monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(monkeypatch, _EntryPoint("models", _Dist("acme-models"), plugin_module("m", register_tiny)))
    with pytest.warns(HubPluginWarning, match="must be named after the distribution, 'acme-models'"):
        catalog = load_installed({})
    assert catalog.plugins["acme-models"].status == "failed" and _EntryPoint.loaded == []


def test_an_incompatible_plugin_is_refused_before_import(monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(
        monkeypatch,
        _EntryPoint("future", _Dist("future", ["hub-core>=9.0", "torch"]), plugin_module("f", register_tiny)),
        _EntryPoint("acme", _Dist("acme", ["hub-core>=0.1,<1"]), plugin_module("a", register_tiny)),
    )
    with pytest.warns(HubPluginWarning, match=r"'future' was refused: it needs hub-core>=9.0 but hub-core 0\.1\.0"):
        catalog = load_installed({})
    assert catalog.plugins["future"].status == "incompatible"
    assert catalog.plugins["acme"].status == "loaded"
    assert _EntryPoint.loaded == ["acme"]


@pytest.mark.parametrize(
    ("requires", "ok"),
    [
        (None, True),
        (["torch"], True),
        (["hub-core"], True),
        (["hub-core>=0.1,<0.2"], True),
        (["hub_core>=1.0"], False),
        (["hub-core<0.1"], False),
        (["hub-core>=5; extra == 'dev'"], True),
        (["hub-core>=5; python_version >= '3'"], False),
        (["hub-core (>=5)"], False),
        (["hub.core[export]>=5"], False),
        (["hub-core-extras>=5"], True),
    ],
)
def test_core_requirement_check(requires: list[str] | None, ok: bool) -> None:
    assert (core_requirement_problem(requires, "0.1.0") is None) is ok


def test_importing_hub_and_listing_does_not_import_torch() -> None:
    import subprocess

    code = "import sys, hub; hub.list_models(); hub.list_plugins(); print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
