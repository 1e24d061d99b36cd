"""Checking values against type hints, for the arguments that enter hub from outside. No torch.

A builder's keyword arguments are checked against its signature's hints when
``create_model`` is called, so that a wrong type or an out-of-range size is one clear error
naming the argument, and never a silently different model or an error deep inside torch.
Plugins state ranges with ``Annotated`` and `Range`::

    depth: Annotated[int, hub.Range(min=1)] = 12
    img_size: Annotated[int | tuple[int, int], hub.Range(min=1)] = 224
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

__all__ = ["ImageSize", "PositiveInt", "Probability", "Range", "allowed_values", "describe_value"]


@dataclass(frozen=True)
class Range:
    """Bounds on a numeric argument, checked on every number in it (both sides of a size pair).

    ``min`` and ``max`` are inclusive, ``below`` is an exclusive upper bound.
    """

    min: float | None = None
    max: float | None = None
    below: float | None = None

    def admits(self, number: float) -> bool:
        return (
            (self.min is None or number >= self.min)
            and (self.max is None or number <= self.max)
            and (self.below is None or number < self.below)
        )

    def describe(self) -> str:
        parts = []
        if self.min is not None:
            parts.append(f">= {_number(self.min)}")
        if self.max is not None:
            parts.append(f"<= {_number(self.max)}")
        if self.below is not None:
            parts.append(f"< {_number(self.below)}")
        return " and ".join(parts)


# Hints for the arguments most families take.
PositiveInt = Annotated[int, Range(min=1)]
Probability = Annotated[float, Range(min=0, below=1)]  # a drop rate
ImageSize = Annotated[int | tuple[int, int], Range(min=1)]  # pixels: square, or (height, width)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def describe_value(value: Any) -> str:
    """How an error shows the value it got: its repr and, when it could mislead, its type."""
    shown = repr(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return (
        shown
        if isinstance(value, (int, float, type(None))) and not isinstance(value, bool)
        else (f"{shown} ({type(value).__name__})")
    )


def allowed_values(value: Any, hint: Any) -> str | None:
    """None when ``value`` fits ``hint``; else a description of what the hint allows.

    Hints that say nothing checkable (``Any``, a class of the plugin's own) admit anything.
    """
    try:
        check = _cached_checker(hint)
    except TypeError:  # an unhashable hint
        check = _checker(hint)
    return None if check.fits(value) else check.description


@dataclass(frozen=True)
class _Check:
    fits: Callable[[Any], bool]
    description: str
    numeric: bool = False  # numbers inside (a Range may apply)


def _anything(value: Any) -> bool:
    return True


_ANY = _Check(_anything, "anything")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_float(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_SIMPLE: dict[Any, _Check] = {
    int: _Check(_is_int, "an int", numeric=True),
    float: _Check(_is_float, "a number", numeric=True),
    bool: _Check(lambda v: isinstance(v, bool), "True or False"),
    str: _Check(lambda v: isinstance(v, str), "a string"),
    type(None): _Check(lambda v: v is None, "None"),
}


@functools.lru_cache(maxsize=1024)
def _cached_checker(hint: Any) -> _Check:
    return _checker(hint)


def _checker(hint: Any) -> _Check:
    if hint in _SIMPLE:
        return _SIMPLE[hint]
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Annotated:
        return _bounded(_checker(args[0]), [a for a in args[1:] if isinstance(a, Range)])
    if origin in (typing.Union, types.UnionType):
        return _either([_checker(a) for a in args])
    if origin is typing.Literal:
        return _Check(
            lambda v: any(v == a and type(v) is type(a) for a in args), "one of " + ", ".join(map(repr, args))
        )
    if origin is tuple:
        return _tuple(args)
    if origin in (list, Sequence):
        item = _checker(args[0]) if args else _ANY
        return _Check(
            lambda v: isinstance(v, (list, tuple)) and all(item.fits(i) for i in v),
            f"a list of {_plural(item.description)}",
            numeric=item.numeric,
        )
    if origin in (dict, Mapping) or hint in (dict, Mapping):
        return _Check(lambda v: isinstance(v, Mapping), "a mapping")
    kind = origin if isinstance(origin, type) else hint
    if isinstance(kind, type) and kind is not object:  # a class: a path, a module, a spec of the plugin's
        return _Check(lambda v: isinstance(v, kind), f"a {kind.__name__}")
    return _ANY


def _tuple(args: tuple[Any, ...]) -> _Check:
    if len(args) == 2 and args[1] is Ellipsis:
        item = _checker(args[0])
        return _Check(
            lambda v: isinstance(v, (list, tuple)) and all(item.fits(i) for i in v),
            f"a sequence of {_plural(item.description)}",
            numeric=item.numeric,
        )
    items = [_checker(a) for a in args]
    if items and all(i.description == items[0].description for i in items):
        what = f"a {'pair' if len(items) == 2 else f'{len(items)}-tuple'} of {_plural(items[0].description)}"
    else:
        what = "a tuple (" + ", ".join(i.description for i in items) + ")"
    return _Check(
        lambda v: (
            isinstance(v, (list, tuple))
            and len(v) == len(items)
            and all(i.fits(x) for i, x in zip(items, v, strict=True))
        ),
        what,
        numeric=any(i.numeric for i in items),
    )


def _either(options: list[_Check]) -> _Check:
    if any(o is _ANY for o in options):
        return _ANY
    return _Check(
        lambda v: any(o.fits(v) for o in options),
        " or ".join(o.description for o in options),
        numeric=any(o.numeric for o in options),
    )


def _bounded(check: _Check, ranges: list[Range]) -> _Check:
    if not ranges or not check.numeric:
        return check

    def fits(value: Any) -> bool:
        return check.fits(value) and all(r.admits(n) for n in _numbers(value) for r in ranges)

    bounds = " and ".join(r.describe() for r in ranges)
    return _Check(fits, f"{check.description} ({'each ' if _has_pairs(check) else ''}{bounds})", numeric=True)


def _has_pairs(check: _Check) -> bool:
    return any(word in check.description for word in ("pair", "tuple", "sequence", "list"))


def _numbers(value: Any) -> list[float]:
    if isinstance(value, (list, tuple)):
        return [n for item in value for n in _numbers(item)]
    return [value] if _is_float(value) else []


def _plural(description: str) -> str:
    for single, plural in (("an int", "ints"), ("a number", "numbers"), ("a string", "strings")):
        description = description.replace(single, plural)
    return description
