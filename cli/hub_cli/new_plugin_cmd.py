"""``hub new-plugin``: write a ready-to-install plugin distribution (filled in by the plugin-kit work)."""

from __future__ import annotations

import click

__all__ = ["new_plugin_command"]


@click.command("new-plugin", hidden=True)
@click.argument("name")
def new_plugin_command(name: str) -> None:
    """Create a plugin distribution NAME in a new folder."""
    raise click.ClickException("hub new-plugin is not available in this version")
