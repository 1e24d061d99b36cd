"""Whether an installed plugin was written for this hub-core.

A plugin states the hub-core versions it supports through its ``hub-core`` dependency
(``hub-core>=0.1,<0.2``). pip checks that at install time, but not when hub-core is
upgraded later or a plugin is installed with ``--no-deps``; hub checks it again before it
imports the plugin, so an incompatible plugin never runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from hub._version import __version__

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

__all__ = ["CORE_DISTRIBUTION", "core_requirement_problem"]

CORE_DISTRIBUTION = "hub-core"


def core_requirement_problem(requires: Iterable[str] | None, core_version: str = __version__) -> str | None:
    """Why a distribution with these Requires-Dist lines cannot run on this core; None when it can."""
    for line in requires or ():
        specifier = _core_specifier(line)
        if specifier is None:
            continue
        from packaging.version import Version

        if not specifier.contains(Version(core_version), prereleases=True):
            return (
                f"it needs {CORE_DISTRIBUTION}{specifier} but {CORE_DISTRIBUTION} {core_version} "
                f"is installed; install a release of the plugin made for {CORE_DISTRIBUTION} {core_version}, "
                f"or a {CORE_DISTRIBUTION} that the plugin supports"
            )
    return None


def _core_specifier(line: str) -> SpecifierSet | None:
    """The versions of hub-core that a Requires-Dist line allows; None if the line is about something else.

    Every plugin is checked on every `hub list`, so the usual plain line (``hub-core<0.2,>=0.1``)
    is read with packaging's specifier parser alone; a line with extras or a marker gets its
    full requirement parser, which costs tens of milliseconds to import.
    """
    if not _NAMES_CORE.match(line):
        return None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    plain = _PLAIN_CORE_LINE.fullmatch(line)
    if plain:
        try:
            return SpecifierSet(plain["specifier"])
        except InvalidSpecifier:
            return None
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(line)
    except InvalidRequirement:
        return None
    if requirement.name.lower().replace("_", "-").replace(".", "-") != CORE_DISTRIBUTION:
        return None
    if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
        return None
    return requirement.specifier


# A Requires-Dist line that may name hub-core (any spelling PEP 503 normalises to it), and
# one that names it with versions only: no extras, no marker.
_NAMES_CORE = re.compile(r"\s*hub[-_.]+core\b", re.IGNORECASE)
_PLAIN_CORE_LINE = re.compile(r"\s*hub[-_.]+core\s*\(?(?P<specifier>[^;\[\]()]*?)\)?\s*", re.IGNORECASE)
