"""Helpers shared by the benchmarks: timing cold processes and printing a comparison table."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence


def time_process(args: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of one cold run of a command (it must succeed)."""
    start = time.perf_counter()
    subprocess.run(list(args), check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def cached_bytecode_env() -> dict[str, str]:
    """This environment, but with Python free to write and reuse .pyc files, as an installed package does.

    ``PYTHONDONTWRITEBYTECODE`` stops that whenever it is set to any non-empty value, "0" included.
    """
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def paired_ratio(ours: Sequence[float], theirs: Sequence[float]) -> float:
    """The median over rounds of ours / theirs, each ratio taken within one round."""
    return statistics.median([a / b for a, b in zip(ours, theirs, strict=True)])


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))) for r in rows
    )


PYTHON = sys.executable
