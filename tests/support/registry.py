"""The architectures hub's own families provide, for tests parametrized over the registry.

hub-timm registers every timm architecture as a fallback; tests that build each native
architecture leave those out (hub-timm's own tests sample them).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
import torch

import hub
from hub._build import skip_init
from hub._listing import get_model_entry
from hub.testing import conformance_cases

# The conformance kit builds and runs the whole model for most checks, seconds each, and the
# four families hold ~440 architectures: on a 2-core machine all checks on all of them would
# take most of an hour. Every architecture runs the checks that read its facts; the checks that
# run the model go to a sample that holds the smallest architecture of each kind (its name's
# first word: resnet, seresnext, mobilenetv4, deit, ...) and every fifth one besides, none wider
# than KIT_FULL_LIMIT parameters. Every architecture is also traced (tests/core/test_fx.py) and
# compared with timm's model, outputs, features and surface (each family's parity tests).
KIT_FULL_LIMIT = 30_000_000  # parameters
FACT_CHECKS = ("default_cfg", "param_groups", "pretrained_cfgs")
SAMPLE_EVERY = 5


def native_models() -> list[str]:
    """Registered bare names that a native (non-fallback) registration builds."""
    return [name for name in hub.list_models() if ":" not in name and not get_model_entry(name).fallback]


@functools.cache
def parameter_count(name: str) -> int:
    """The parameters of ``name`` as registered, counted on the meta device."""
    with torch.device("meta"), skip_init():
        model = hub.create_model(name)
    return sum(p.numel() for p in model.parameters())


def kind(name: str) -> str:
    """An architecture's kind: its name's first word (with a version: mobilenetv4, convnextv2), without ``tf_``."""
    match = re.match(r"[a-z]+(?<=v)\d+|[a-z]+", name.removeprefix("tf_"))
    return match.group() if match else name


def kit_sample(plugin: str, limit: int | None = KIT_FULL_LIMIT) -> set[str]:
    """The architectures of ``plugin`` that run every check of the kit (see the note above);
    ``limit=None`` for a family whose tests build its wide models smaller."""
    names = sorted(hub.list_models(plugin=plugin))
    fits = [name for name in names if limit is None or parameter_count(name) <= limit]
    smallest: dict[str, str] = {}
    for name in sorted(fits, key=parameter_count):
        smallest.setdefault(kind(name), name)
    return set(smallest.values()) | set(fits[::SAMPLE_EVERY])


def native_sample(limit: int | None = KIT_FULL_LIMIT) -> set[str]:
    """`kit_sample` over every native family: the architectures that registry-wide tests run
    by value (the rest they check on the meta device)."""
    plugins = {get_model_entry(name).plugin for name in native_models()}
    return set().union(*(kit_sample(plugin, limit) for plugin in plugins))


def kit_cases(
    plugin: str, expected_failures: dict[tuple[str, str], str] | None = None, *, limit: int | None = KIT_FULL_LIMIT
) -> list[Any]:
    """The kit's (model, check) cases for ``plugin``: the fact checks for every architecture,
    every check for `kit_sample`; ``expected_failures`` become strict xfails with their reasons."""
    known = expected_failures or {}
    sample = kit_sample(plugin, limit)
    cases = []
    for case in conformance_cases(plugin):
        name, check = case.values
        if check not in FACT_CHECKS and name not in sample:
            continue
        if case.values in known:
            case = pytest.param(
                name, check, id=case.id, marks=pytest.mark.xfail(strict=True, reason=known[case.values])
            )
        cases.append(case)
    return cases
