"""``hub list``: the installed models, by name pattern."""

from __future__ import annotations

import json

import click

import hub

__all__ = ["list_command"]


@click.command("list")
@click.argument("patterns", nargs=-1)
@click.option("--pretrained", is_flag=True, help="List arch.tag for every tag that has weights.")
@click.option("--exclude", "excludes", multiple=True, metavar="PATTERN", help="Leave out names matching PATTERN.")
@click.option("--plugin", metavar="NAME", help="Only the models of this plugin (a distribution name).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def list_command(
    patterns: tuple[str, ...], pretrained: bool, excludes: tuple[str, ...], plugin: str | None, as_json: bool
) -> None:
    """List installed models whose names match PATTERNS (fnmatch wildcards).

    \b
    Examples:
      hub list
      hub list '*efficientnet*' --exclude 'tf_*'
      hub list 'resnet50*' --pretrained
      hub list --plugin hub-resnet --json
    """
    names = hub.list_models(list(patterns), exclude=list(excludes), pretrained=pretrained, plugin=plugin)
    if as_json:
        click.echo(json.dumps(names))
    else:
        for name in names:
            click.echo(name)
