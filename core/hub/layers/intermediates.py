"""Choosing which stage outputs ``forward_intermediates`` returns, and in which layout."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["check_output_fmt", "feature_take_indices"]


def feature_take_indices(num_stages: int, indices: int | Sequence[int] | None = None) -> tuple[list[int], int]:
    """Absolute stage indices to return, and the largest of them.

    ``indices``: None for every stage; an int n for the last n stages; a sequence of
    indices, negative ones counting from the end. Anything out of range is a
    `ValueError` that gives the valid range.
    """
    if indices is None:
        indices = num_stages
    if isinstance(indices, bool) or not isinstance(indices, (int, Sequence)):
        raise TypeError(f"indices must be an int or a sequence of ints, got {indices!r}")
    if isinstance(indices, int):
        if not 0 < indices <= num_stages:
            raise ValueError(f"cannot take the last {indices} of {num_stages} stages; use 1 to {num_stages}")
        take = list(range(num_stages - indices, num_stages))
    else:
        if len(indices) == 0:
            raise ValueError(f"no stage indices given; use indices from {-num_stages} to {num_stages - 1}")
        take = []
        for index in indices:
            if isinstance(index, bool) or not isinstance(index, int):
                raise TypeError(f"stage indices must be ints, got {index!r}")
            if not -num_stages <= index < num_stages:
                raise ValueError(
                    f"stage index {index} is out of range: this model has {num_stages} stages, "
                    f"use indices from {-num_stages} to {num_stages - 1}"
                )
            take.append(index % num_stages)
    return take, max(take)


def check_output_fmt(output_fmt: str, allowed: Sequence[str] = ("NCHW",)) -> None:
    """`ValueError` unless ``output_fmt`` is a layout the model's intermediates come in (NCHW maps by default)."""
    if output_fmt not in allowed:
        raise ValueError(
            f"output_fmt must be {' or '.join(repr(f) for f in allowed)} for this model's intermediates, "
            f"got {output_fmt!r}"
        )
