"""Fake plugins registered directly into a catalog, for unit tests of the core.

The models are tiny real ``nn.Module``s (see ``tiny_models``), built through the same
factory path as real plugins.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import hub
from hub._plugins import Catalog, set_catalog

TINY_CFG = hub.PretrainedCfg(
    hf_hub_id="acme/tiny.a_in1k",
    input_size=(3, 32, 32),
    num_classes=10,
    first_conv="stem",
    classifier="fc",
    license="mit",
)


def plugin_module(name: str, register: Callable[[hub.ModelRegistrar], None]) -> types.ModuleType:
    """A module object with a ``register_models`` hookimpl that calls ``register``."""
    module = types.ModuleType(name)

    @hub.hookimpl
    def register_models(registry: hub.ModelRegistrar) -> None:
        register(registry)

    module.register_models = register_models  # type: ignore[attr-defined]
    return module


def register_tiny(registry: hub.ModelRegistrar, *names: str) -> None:
    for name in names or ("tinynet",):
        registry.register(
            name,
            builder="support.tiny_models:TinyNet",
            pretrained={"a_in1k": TINY_CFG, "b_in1k": TINY_CFG.replace(hf_hub_id="acme/tiny.b_in1k", num_classes=5)},
        )


@contextmanager
def catalog_of(**plugins: Callable[[hub.ModelRegistrar], None]) -> Iterator[Catalog]:
    """Make a catalog with these plugins (distribution name -> register function) the process-wide one."""
    catalog = Catalog()
    for dist, register in plugins.items():
        catalog.add_plugin(dist.replace("_", "-"), plugin_module(f"fake_{dist}", register), version="1.0")
    previous = set_catalog(catalog)
    try:
        yield catalog
    finally:
        set_catalog(previous)
