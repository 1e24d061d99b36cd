"""``python -m hub_train train|validate ...``: the same commands without the ``hub`` script (e.g. under torchrun)."""

from __future__ import annotations

import click

from hub_cli.main import HubGroup
from hub_train.cli import train_command, validate_command


@click.group(cls=HubGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """hub-train: `train` and `validate` (the same commands as `hub train` and `hub validate`)."""


main.add_command(train_command)
main.add_command(validate_command)

if __name__ == "__main__":
    main(prog_name="python -m hub_train")
