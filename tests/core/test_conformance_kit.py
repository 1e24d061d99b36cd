"""hub.testing, the conformance kit: passes a conforming model, names model and check when one fails."""

from __future__ import annotations

import pytest
from support.fake_plugins import TINY_CFG, catalog_of, register_tiny

import hub
from hub.testing import CHECKS, ConformanceError, conformance_cases, run_check


def _misfits(registry: hub.ModelRegistrar) -> None:
    registry.register("liar", builder="support.tiny_models:MisreportingNet", pretrained={"a": TINY_CFG})
    registry.register("unplaced", builder="support.tiny_models:UnplacedHeadNet", pretrained={"a": TINY_CFG})
    registry.register("poolless", builder="support.tiny_models:PoollessNet", pretrained={"a": TINY_CFG})


@pytest.fixture()
def catalog():
    with catalog_of(acme=register_tiny, fibs=_misfits) as catalog:
        yield catalog


@pytest.mark.parametrize("check", list(CHECKS))
def test_a_conforming_model_passes_every_check(catalog, check: str) -> None:
    run_check("tinynet", check)


@pytest.mark.parametrize(
    ("model", "check", "message"),
    [
        (
            "liar",
            "forward",
            r"model 'liar', check 'forward': forward_features to give num_features=99 channels, got 32",
        ),
        ("liar", "features", r"model 'liar', check 'features': feature_cls='list': 99 channels as feature_info says"),
        ("unplaced", "reset_classifier", r"model 'unplaced', check 'reset_classifier': a float64 model reset"),
        ("poolless", "global_pool", r"model 'poolless', check 'global_pool': at least one of the pools"),
    ],
)
def test_failures_name_the_model_the_check_and_the_expectation(catalog, model: str, check: str, message: str) -> None:
    with pytest.raises(ConformanceError, match=message):
        run_check(model, check)


def test_cases_cover_every_model_and_check(catalog) -> None:
    cases = conformance_cases("acme")
    assert [case.values for case in cases] == [("tinynet", check) for check in CHECKS]
    assert cases[0].id == "tinynet-forward"
    with pytest.raises(ValueError, match="unknown checks"):
        conformance_cases("acme", checks=["nope"])
    with pytest.raises(ValueError, match="no plugin named 'nobody' is installed"):
        conformance_cases("nobody")


def test_unknown_check(catalog) -> None:
    with pytest.raises(ValueError, match="unknown check 'speed'"):
        run_check("tinynet", "speed")


@pytest.mark.parametrize("check", list(CHECKS))
def test_model_kwargs_reach_every_model_a_check_builds(catalog, check: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from hub.testing import _checks

    built: list[dict[str, object]] = []
    create_model = _checks.create_model

    def recording(name: str, **kwargs: object) -> object:
        if not name.startswith("local-dir:"):  # a saved folder rebuilds from its own model_args
            built.append(kwargs)
        return create_model(name, **kwargs)

    monkeypatch.setattr(_checks, "create_model", recording)
    run_check("tinynet", check, width=4)
    assert built and all(kwargs.get("width") == 4 for kwargs in built), built
    assert _checks.MODEL_KWARGS.get() == {}  # reset once the check is done


def test_a_model_registered_without_a_head_passes_forward() -> None:
    """num_classes=0 by default (image embeddings, self-supervised weights): forward gives pooled features."""

    def headless(registry: hub.ModelRegistrar) -> None:
        registry.register(
            "headless", builder="support.tiny_models:TinyNet", pretrained={"a": TINY_CFG.replace(num_classes=0)}
        )

    with catalog_of(bare=headless):
        run_check("headless", "forward")
