"""How the CLI reports a user's mistake: one line on stderr, exit status 1, no traceback."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click

from hub.errors import HubError

__all__ = ["report_user_errors"]

# What a user can cause with a bad name, argument or file; anything else is a bug and keeps its traceback.
USER_ERRORS = (HubError, ValueError, TypeError, FileNotFoundError, FileExistsError, PermissionError)


@contextlib.contextmanager
def report_user_errors() -> Iterator[None]:
    try:
        yield
    except click.ClickException:
        raise
    except USER_ERRORS as exc:
        raise click.ClickException(str(exc)) from None
