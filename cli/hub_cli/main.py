"""The ``hub`` command: a click group with one module per command, plus commands from plugins."""

from __future__ import annotations

import sys
import warnings
from typing import Any

import click

from hub._version import __version__
from hub_cli import (
    benchmark_cmd,
    download_cmd,
    export_cmd,
    inspect_cmd,
    list_cmd,
    new_plugin_cmd,
    plugins_cmd,
    predict_cmd,
)
from hub_cli.errors import report_user_errors

__all__ = ["cli", "main"]


class HubGroup(click.Group):
    """A click group that turns user errors into one line on stderr and a non-zero exit.

    The plugins' commands join on first need (a name that is not a core command, or the
    list for ``--help``), so that `hub list` and the other core commands do not wait for
    the plugins to build theirs.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plugin_commands_added = False

    def invoke(self, ctx: click.Context) -> Any:
        with report_user_errors():
            return super().invoke(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            self.add_plugin_commands()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self.add_plugin_commands()
        return super().list_commands(ctx)

    def add_plugin_commands(self) -> None:
        """Add the loaded plugins' commands, once."""
        if not self.plugin_commands_added:
            self.plugin_commands_added = True
            add_plugin_commands(self)


@click.group(cls=HubGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hub")
def cli() -> None:
    """hub: a plugin-based hub of PyTorch image models.

    \b
    Examples:
      hub list '*efficientnet*'
      hub inspect resnet34
      hub download resnet50.a1_in1k
    """


for command in (
    list_cmd.list_command,
    plugins_cmd.plugins_command,
    inspect_cmd.inspect_command,
    download_cmd.download_command,
    new_plugin_cmd.new_plugin_command,
    predict_cmd.predict_command,
    benchmark_cmd.benchmark_command,
    export_cmd.export_command,
):
    cli.add_command(command)


def add_plugin_commands(group: click.Group) -> None:
    """Let each loaded plugin add commands; a failing plugin or a taken name only warns."""
    from hub._plugins import get_catalog
    from hub.errors import HubPluginWarning

    catalog = get_catalog()
    for plugin in catalog.loaded_plugins():
        staging = click.Group(name=plugin)
        try:
            catalog.call_hook(plugin, "register_commands", cli=staging)
        except Exception as exc:  # a plugin's own bug must not break the CLI
            warnings.warn(f"hub: plugin {plugin!r} failed to add its commands: {exc}", HubPluginWarning, stacklevel=1)
            continue
        for name, command in staging.commands.items():
            if name in group.commands:
                warnings.warn(
                    f"hub: plugin {plugin!r} adds a command {name!r}, which is already taken; it was not added",
                    HubPluginWarning,
                    stacklevel=1,
                )
                continue
            group.add_command(command, name)


def _print_warning(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    click.echo(f"warning: {message}", err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``hub`` console script."""
    warnings.showwarning = _print_warning  # one readable line, not a source location
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="hub")
