"""The options that say which model, with which weights, a command runs: ``-m``, ``--pretrained``, ``--checkpoint``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from hub_cli.inspect_cmd import _parse_model_args

__all__ = ["has_own_weights", "load_model", "model_options", "parse_model_args"]

parse_model_args = _parse_model_args


def model_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``-m/--model``, ``--pretrained``, ``--checkpoint`` and ``--model-arg`` to a command."""
    options = [
        click.option(
            "-m",
            "--model",
            required=True,
            help="A model name: arch, arch.tag, plugin:arch, local-dir:PATH or hf-hub:ORG/REPO.",
        ),
        click.option(
            "--pretrained", is_flag=True, help="Load the tag's weights (implied for local-dir: and hf-hub: names)."
        ),
        click.option(
            "--checkpoint", type=click.Path(exists=True, dir_okay=False), help="Load the weights of this checkpoint."
        ),
        click.option(
            "--model-arg",
            "model_args",
            multiple=True,
            metavar="KEY=VALUE",
            help="A builder argument (repeatable), e.g. img_size=384; VALUE is read as JSON when it can be.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def load_model(name: str, *, pretrained: bool, checkpoint: str | None, model_args: tuple[str, ...]) -> Any:
    """Build ``name`` with the weights asked for (a saved model's own, for local-dir: and hf-hub: names)."""
    import hub

    saved = has_own_weights(name)
    return hub.create_model(
        name,
        pretrained=(pretrained or saved) and not checkpoint,
        checkpoint_path=checkpoint,
        **parse_model_args(model_args),
    )


def has_own_weights(name: str) -> bool:
    """Whether ``name`` is a saved model (local-dir:, hf-hub:), whose weights always come with it."""
    return name.startswith(("local-dir:", "hf-hub:"))
