"""How a ``group_matcher`` sorts a model's parameters into ordered groups (layer-wise LR decay).

A matcher, as timm's training code reads it, is a dict from group name to a regex or to a
list of ``(regex, suffix)`` pairs, or a callable from a parameter name to its ordinal. A
regex is matched at the start of the name (``re.match``); its ordinal is the group's
position, then the regex's captured numbers, then the suffix. A suffix ending in
``hub.layers.JOIN_PREVIOUS_GROUP`` joins the group sorted before it (a final norm with the
last block). Parameters no regex matches form the last group: the head.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hub.layers.helpers import JOIN_PREVIOUS_GROUP

__all__ = ["UNMATCHED", "MatchRule", "compile_matcher", "group_names", "ordinal_of"]

_JOIN = JOIN_PREVIOUS_GROUP[0]
UNMATCHED = (float("inf"),)  # the ordinal of parameters no rule matches: the head, last


@dataclass(frozen=True)
class MatchRule:
    """One regex of a matcher: the position of its group in the matcher, and the suffix of its ordinals."""

    position: int
    pattern: re.Pattern[str]
    suffix: tuple[int, ...] = ()

    def ordinal(self, name: str) -> tuple[float, ...] | None:
        found = self.pattern.match(name)
        if found is None:
            return None
        captured = [g for g in found.groups() if g is not None]
        if not all(g.isdigit() for g in captured):
            raise ValueError(
                f"regex {self.pattern.pattern!r} captured {captured} from {name!r}: a rule may capture only "
                "numbers (write alternatives as (?:a|b))"
            )
        return tuple(float(v) for v in (self.position, *map(int, captured), *self.suffix))


def compile_matcher(matcher: Mapping[str, Any]) -> list[MatchRule]:
    """The rules of a dict matcher in order; a malformed entry is a `ValueError` naming it."""
    rules = []
    for position, (group_name, spec) in enumerate(matcher.items()):
        if spec is None:
            continue
        entries = [(spec, None)] if isinstance(spec, str) else spec
        for entry in entries:
            if not (isinstance(entry, Sequence) and len(entry) == 2 and isinstance(entry[0], str)):
                raise ValueError(f"group {group_name!r}: expected a regex or (regex, suffix) pairs, got {entry!r}")
            pattern, suffix = entry
            rules.append(MatchRule(position, re.compile(pattern), tuple(suffix or ())))
    return rules


def ordinal_of(rules: Sequence[MatchRule] | Callable[[str], Any], name: str) -> tuple[float, ...]:
    """The sort key of one parameter: the first matching rule's ordinal, or last place if none matches."""
    if callable(rules):
        value = rules(name)
        return tuple(float(v) for v in value) if isinstance(value, Iterable) else (float(value),)
    for rule in rules:
        found = rule.ordinal(name)
        if found is not None:
            return found
    return UNMATCHED


def group_names(names: Iterable[str], matcher: Mapping[str, Any] | Callable[[str], Any]) -> list[list[str]]:
    """The parameter names in their groups, first group first (the head, if unmatched, last)."""
    rules = matcher if callable(matcher) else compile_matcher(matcher)
    by_ordinal: dict[tuple[float, ...], list[str]] = {}
    for name in names:
        by_ordinal.setdefault(ordinal_of(rules, name), []).append(name)
    groups: list[list[str]] = []
    for key in sorted(by_ordinal):
        if groups and key[-1] == _JOIN:
            groups[-1].extend(by_ordinal[key])
        else:
            groups.append(list(by_ordinal[key]))
    return groups
