"""``hub list``: the installed models, by name pattern."""

from __future__ import annotations

import json

import click

from hub._listing import list_model_records

__all__ = ["list_command"]


@click.command("list")
@click.argument("patterns", nargs=-1)
@click.option("--pretrained", is_flag=True, help="List arch.tag for every tag that has weights.")
@click.option("--exclude", "excludes", multiple=True, metavar="PATTERN", help="Leave out names matching PATTERN.")
@click.option("--plugin", metavar="NAME", help="Only the models of this plugin (a distribution name).")
@click.option("-l", "--long", "long", is_flag=True, help="Show the plugin that builds each name, and the others.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of {name, plugin, others} objects.")
def list_command(
    patterns: tuple[str, ...],
    pretrained: bool,
    excludes: tuple[str, ...],
    plugin: str | None,
    long: bool,
    as_json: bool,
) -> None:
    """List installed models whose names match PATTERNS (fnmatch wildcards).

    Each model is listed once. When a native plugin and a fallback (a bridge such as
    hub-timm) both provide a name, the native one builds it and the fallback's stays
    reachable as PLUGIN:NAME; --long and --json show both.

    \b
    Examples:
      hub list
      hub list '*efficientnet*' --exclude 'tf_*'
      hub list 'resnet50*' --pretrained --long
      hub list --plugin hub-resnet --json
    """
    records = list_model_records(list(patterns), exclude=list(excludes), pretrained=pretrained, plugin=plugin)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in records]))
    elif long:
        rows = [("NAME", "PLUGIN", "ALSO OFFERED AS")]
        rows += [(r.name, r.plugin, ", ".join(r.others)) for r in records]
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        for row in rows:
            click.echo(f"{row[0].ljust(widths[0])}  {row[1].ljust(widths[1])}  {row[2]}".rstrip())
    elif records:  # one write: a full listing is over a thousand lines
        click.echo("\n".join(record.name for record in records))
