"""``hub plugins``: the installed plugins, their versions and whether they loaded."""

from __future__ import annotations

import json

import click

import hub

__all__ = ["plugins_command"]


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects.")
def plugins_command(as_json: bool) -> None:
    """Show each installed plugin: distribution, version, status and model count.

    A plugin that failed to load is shown with the reason; HUB_PLUGINS (a comma-separated
    list of distribution names) limits which plugins load.

    \b
    Examples:
      hub plugins
      HUB_PLUGINS=hub-resnet hub plugins --json
    """
    plugins = hub.list_plugins()
    if as_json:
        click.echo(json.dumps([p.as_dict() for p in plugins], indent=2))
        return
    if not plugins:
        click.echo("no plugins installed (pip install hub-resnet, for example)")
        return
    rows = [("PLUGIN", "VERSION", "STATUS", "MODELS", "")]
    for p in plugins:
        rows.append((p.name, p.version or "-", p.status, str(p.num_models), p.reason or ""))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[4]
        click.echo(line.rstrip())
