"""Whether an installed plugin was written for this hub-core.

A plugin states the hub-core versions it supports through its ``hub-core`` dependency
(``hub-core>=0.1,<0.2``). pip checks that at install time, but not when hub-core is
upgraded later or a plugin is installed with ``--no-deps``; hub checks it again before it
imports the plugin, so an incompatible plugin never runs.
"""

from __future__ import annotations

from collections.abc import Iterable

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import Version

from hub._version import __version__

__all__ = ["CORE_DISTRIBUTION", "core_requirement_problem"]

CORE_DISTRIBUTION = "hub-core"


def core_requirement_problem(requires: Iterable[str] | None, core_version: str = __version__) -> str | None:
    """Why a distribution with these Requires-Dist lines cannot run on this core; None when it can."""
    for line in requires or ():
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        if requirement.name.lower().replace("_", "-") != CORE_DISTRIBUTION:
            continue
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        if requirement.specifier and not requirement.specifier.contains(Version(core_version), prereleases=True):
            return (
                f"it needs {CORE_DISTRIBUTION}{requirement.specifier} but {CORE_DISTRIBUTION} {core_version} "
                f"is installed; install a release of the plugin made for {CORE_DISTRIBUTION} {core_version}, "
                f"or a {CORE_DISTRIBUTION} that the plugin supports"
            )
    return None
