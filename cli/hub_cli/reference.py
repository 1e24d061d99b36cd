"""The CLI reference (docs/cli.md), generated from the commands' own ``--help``.

Regenerate with ``python -m hub_cli.reference > docs/cli.md``; a test checks that the
page matches the commands.
"""

from __future__ import annotations

import copy

import click

from hub_cli.main import cli

__all__ = ["render_reference"]

_INTRO = """# CLI reference

`hub` lists, inspects and downloads the models of the installed plugins. Each section is
the command's own `--help`; regenerate this page with `python -m hub_cli.reference > docs/cli.md`.
Plugins can add commands of their own (see the plugin author's guide): those of the first-party
plugins are listed too (`hub train` and `hub validate` come from `hub-train`).
"""


def render_reference() -> str:
    """The whole page: the group's help, then each visible command's, as a terminal 100 wide shows them."""
    group = copy.copy(cli)
    group.commands = dict(cli.commands)
    group.add_plugin_commands()  # as `hub --help` does
    root = click.Context(group, info_name="hub", terminal_width=100, max_content_width=100, **group.context_settings)
    sections = [_INTRO, f"## hub\n\n```text\n{group.get_help(root)}\n```\n"]
    for name in sorted(group.commands):
        command = group.commands[name]
        if not command.hidden:
            context = click.Context(command, info_name=name, parent=root)
            sections.append(f"## hub {name}\n\n```text\n{command.get_help(context)}\n```\n")
    return "\n".join(sections)


if __name__ == "__main__":
    click.echo(render_reference(), nl=False)
