"""Small arithmetic shared by architecture definitions."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["make_divisible", "to_2tuple"]


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
