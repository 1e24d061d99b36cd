"""The plugin conformance kit: check that every model a plugin registers follows hub's contract.

A plugin's test suite runs it with plain pytest::

    import pytest
    from hub.testing import check_manifest_is_torch_free, conformance_cases, run_check

    @pytest.mark.parametrize(("model_name", "check"), conformance_cases("hub-myfamily"))
    def test_conformance(model_name, check):
        run_check(model_name, check)

    def test_manifest_is_torch_free():
        check_manifest_is_torch_free("hub-myfamily")

Each failure is a `ConformanceError` naming the model, the check and what was expected.
"""

from __future__ import annotations

from typing import Any

from hub._listing import list_models
from hub.testing._checks import CHECKS, MODEL_KWARGS, ConformanceError, check_manifest_is_torch_free

__all__ = ["CHECKS", "ConformanceError", "check_manifest_is_torch_free", "conformance_cases", "run_check"]


def conformance_cases(plugin: str, checks: list[str] | None = None) -> list[Any]:
    """pytest parameters ``(model_name, check)`` for every model of ``plugin`` and every check."""
    import pytest

    selected = list(CHECKS) if checks is None else checks
    unknown = sorted(set(selected) - set(CHECKS))
    if unknown:
        raise ValueError(f"unknown checks {unknown}; the checks are {', '.join(CHECKS)}")
    names = list_models(plugin=plugin)
    if not names:
        raise ValueError(f"plugin {plugin!r} registers no models (is it installed and loaded? see `hub plugins`)")
    return [pytest.param(name, check, id=f"{name}-{check}") for name in names for check in selected]


def run_check(model_name: str, check: str, **model_kwargs: Any) -> None:
    """Run one conformance check on one model; raises `ConformanceError` when it fails.

    ``model_kwargs`` are builder arguments that every model the check builds gets: a plugin
    whose largest architectures are too big to build on a test machine checks them at a
    reduced ``depth``, say, with everything else unchanged.
    """
    try:
        function = CHECKS[check]
    except KeyError:
        raise ValueError(f"unknown check {check!r}; the checks are {', '.join(CHECKS)}") from None
    token = MODEL_KWARGS.set(dict(model_kwargs))
    try:
        function(model_name)
    finally:
        MODEL_KWARGS.reset(token)
