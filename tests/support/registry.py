"""The architectures hub's own families provide, for tests parametrized over the registry.

hub-timm registers every timm architecture as a fallback; tests that build each native
architecture leave those out (hub-timm's own tests sample them).
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
import torch

import hub
from hub._build import skip_init
from hub._listing import get_model_entry
from hub.testing import conformance_cases

# The conformance kit builds and runs the whole model for most checks: seconds each for the
# widest architectures of a family. Those run the checks that read the model's facts; their
# blocks are the blocks of smaller siblings that run every check, and the parity tests compare
# each of them with timm's.
KIT_FULL_LIMIT = 30_000_000  # parameters
FACT_CHECKS = ("default_cfg", "param_groups", "pretrained_cfgs")


def native_models() -> list[str]:
    """Registered bare names that a native (non-fallback) registration builds."""
    return [name for name in hub.list_models() if ":" not in name and not get_model_entry(name).fallback]


@functools.cache
def parameter_count(name: str) -> int:
    """The parameters of ``name`` as registered, counted on the meta device."""
    with torch.device("meta"), skip_init():
        model = hub.create_model(name)
    return sum(p.numel() for p in model.parameters())


def kit_cases(plugin: str, expected_failures: dict[tuple[str, str], str] | None = None) -> list[Any]:
    """The kit's (model, check) cases for ``plugin``: every check up to `KIT_FULL_LIMIT` parameters,
    the fact checks beyond; ``expected_failures`` become strict xfails with their reasons."""
    known = expected_failures or {}
    cases = []
    for case in conformance_cases(plugin):
        name, check = case.values
        if check not in FACT_CHECKS and parameter_count(name) > KIT_FULL_LIMIT:
            continue
        if case.values in known:
            case = pytest.param(
                name, check, id=case.id, marks=pytest.mark.xfail(strict=True, reason=known[case.values])
            )
        cases.append(case)
    return cases
