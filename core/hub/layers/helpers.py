"""Small arithmetic and lookups shared by architecture definitions. No torch here.

A plugin's architecture tables and its manifest may use these without importing torch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

__all__ = ["JOIN_PREVIOUS_GROUP", "make_divisible", "to_2tuple", "variant_builders"]

# The suffix of a ``group_matcher`` rule whose parameters join the group sorted before them
# (a final norm with the last block), rather than forming a group of their own. The value is
# the one timm's training code reads.
JOIN_PREVIOUS_GROUP = (99999,)

_Spec = TypeVar("_Spec")


def make_divisible(value: float, divisor: int = 8, min_value: int | None = None, round_limit: float = 0.9) -> int:
    """Round a channel count to a multiple of ``divisor``, never more than 10% below ``value``."""
    min_value = min_value or divisor
    rounded = max(min_value, int(value + divisor / 2) // divisor * divisor)
    if rounded < round_limit * value:
        rounded += divisor
    return rounded


def to_2tuple(value: int | Iterable[int]) -> tuple[int, int]:
    """(value, value) for an int; the pair itself for a 2-sequence."""
    if isinstance(value, int):
        return (value, value)
    pair = tuple(value)
    if len(pair) != 2:
        raise ValueError(f"expected an int or a pair, got {value!r}")
    return (int(pair[0]), int(pair[1]))


def variant_builders(
    table: Mapping[str, _Spec], make: Callable[[_Spec], Callable[..., Any]]
) -> Callable[[str], Callable[..., Any]]:
    """A module ``__getattr__`` that serves one builder per entry of a family's variant table.

    In a plugin's model module, ``__getattr__ = variant_builders(VARIANTS, lambda spec:
    functools.partial(MyNet, spec))`` makes ``module:NAME`` a builder for every ``NAME`` in
    the table, so the registrations and the builders come from the same table.
    """
    built: dict[str, Callable[..., Any]] = {}

    def module_getattr(name: str) -> Callable[..., Any]:
        if name not in table:
            raise AttributeError(f"no builder {name!r}: it is not in the family's variant table")
        if name not in built:
            built[name] = make(table[name])
        return built[name]

    return module_getattr
