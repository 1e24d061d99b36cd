"""The hooks a plugin may implement, and the markers that declare them.

A plugin's entry-point module (its *manifest*) implements these with ``@hub.hookimpl``.
It is imported when hub starts, so it must stay cheap: no torch, no model code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from hub._registry import ModelRegistrar

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec", "register_commands", "register_models"]

PROJECT_NAME = "hub"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def register_models(registry: ModelRegistrar) -> None:
    """Register the plugin's models with ``registry.register(name, builder=..., pretrained=...)``.

    Called once per process, the first time the model registry is used. Raising, or
    registering something malformed, fails the whole plugin: none of its models are kept.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add click commands (or groups) to the ``hub`` command line.

    Called when the ``hub`` CLI starts. A command whose name is already taken is refused
    with a warning; the plugin's models stay available.
    """
