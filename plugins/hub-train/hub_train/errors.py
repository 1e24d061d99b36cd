"""The errors hub-train raises on purpose; each is one ``Error:`` line on the command line. No torch."""

from __future__ import annotations

from hub.errors import HubError

__all__ = ["ConfigError", "DataError", "RunFolderError"]


class ConfigError(HubError, ValueError):
    """An option has a wrong type or value, or options contradict each other."""


class DataError(HubError, ValueError):
    """The images or labels cannot be used: missing, empty, unreadable, or not matching the model."""


class RunFolderError(HubError, ValueError):
    """A run folder cannot be written or resumed: it holds another run, or a run of another model."""
