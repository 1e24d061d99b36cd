"""Every error and warning that hub raises on purpose.

Each message says what went wrong and what the user can do about it. The classes also
derive from the builtin a caller would expect (``KeyError``, ``ValueError``, ``OSError``),
so generic handlers keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = [
    "AmbiguousModelError",
    "CheckpointError",
    "HubError",
    "HubPluginWarning",
    "InvalidArgumentError",
    "InvalidRegistrationError",
    "MissingPluginError",
    "ModelTooLargeError",
    "NoPretrainedWeightsError",
    "OfflineError",
    "PretrainedCfgKeyError",
    "StateDictMismatchError",
    "UnknownModelError",
    "UnknownTagError",
    "WeightDownloadError",
]


class HubError(Exception):
    """Base class of the errors that hub raises on purpose."""

    def __str__(self) -> str:
        # KeyError quotes its message; every hub error prints its text as written.
        return str(self.args[0]) if self.args else ""


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(repr(n) for n in names)


class UnknownModelError(HubError, KeyError):
    """No installed plugin provides a model of this name."""

    def __init__(self, name: str, suggestions: Sequence[str] = (), *, hint: str = "") -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        message = f"unknown model {name!r}"
        if self.suggestions:
            message += f"; did you mean {_quoted(self.suggestions)}?"
        message += " Run `hub list` to see the installed models, or `hub plugins` to see the plugins."
        if hint:
            message += f" {hint}"
        super().__init__(message)


class AmbiguousModelError(HubError, KeyError):
    """Two or more plugins register the same model name."""

    def __init__(self, name: str, plugins: Sequence[str]) -> None:
        self.name = name
        self.plugins = tuple(plugins)
        choices = " or ".join(repr(f"{p}:{name}") for p in self.plugins)
        super().__init__(
            f"model {name!r} is provided by several plugins ({', '.join(self.plugins)}); "
            f"name the one you want as {choices}"
        )


class UnknownTagError(HubError, KeyError):
    """The model exists but has no pretrained tag of this name."""

    def __init__(self, model: str, tag: str, valid_tags: Sequence[str], *, elsewhere: Sequence[str] = ()) -> None:
        self.model = model
        self.tag = tag
        self.valid_tags = tuple(valid_tags)
        self.elsewhere = tuple(elsewhere)
        hint = f"valid tags: {', '.join(self.valid_tags)}" if self.valid_tags else "it has no pretrained tags"
        if self.elsewhere:  # another provider of the architecture has the tag
            hint += f"; another plugin offers it as {_quoted(self.elsewhere)}"
        super().__init__(f"model {model!r} has no pretrained tag {tag!r}; {hint}")


class InvalidArgumentError(HubError, ValueError):
    """An argument's value is of the wrong type or out of range; the message says what is allowed."""


class PretrainedCfgKeyError(HubError, KeyError):
    """A `PretrainedCfg` read as a mapping has no such key: an unknown field, or one these weights leave unset."""

    def __init__(self, key: object, present: Sequence[str], fields: Sequence[str]) -> None:
        self.key = key
        if key in fields:
            hint = f"{key!r} is not set for these weights; cfg.get({key!r}) gives None"
        else:
            hint = f"PretrainedCfg has no field {key!r}"
        super().__init__(f"{hint}. Keys of this cfg: {', '.join(present)}")


class NoPretrainedWeightsError(HubError, ValueError):
    """``pretrained=True`` was asked of a model or tag without a weight source."""


class ModelTooLargeError(HubError, MemoryError):
    """The arguments ask for a model bigger than the memory available; found before it is filled."""


class MissingPluginError(HubError, LookupError):
    """A saved model names an architecture that no installed plugin provides."""


class InvalidRegistrationError(HubError, ValueError):
    """A plugin tried to register something malformed."""


class OfflineError(HubError, OSError):
    """Weights are needed from the network, which is off or unreachable, and are not cached."""


class WeightDownloadError(HubError, OSError):
    """Fetching weights failed (server error, refused connection, interrupted transfer)."""


class CheckpointError(HubError, OSError):
    """A weight file is missing, truncated, corrupt or of an unsupported format."""


class StateDictMismatchError(HubError, RuntimeError):
    """Checkpoint keys or shapes do not match the model."""


class HubPluginWarning(UserWarning):
    """A plugin failed to load and was skipped; the other plugins keep working."""
