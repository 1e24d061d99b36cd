"""hub.testing, the conformance kit: passes a conforming model, names model and check when one fails."""

from __future__ import annotations

import pytest
import torch
from support.fake_plugins import TINY_CFG, catalog_of, register_tiny

import hub
from hub.testing import CHECKS, ConformanceError, conformance_cases, run_check


def _misfits(registry: hub.ModelRegistrar) -> None:
    registry.register("liar", builder="support.tiny_models:MisreportingNet", pretrained={"a": TINY_CFG})
    registry.register("unplaced", builder="support.tiny_models:UnplacedHeadNet", pretrained={"a": TINY_CFG})
    registry.register("poolless", builder="support.tiny_models:PoollessNet", pretrained={"a": TINY_CFG})
    registry.register("lazy", builder="support.tiny_models:NoRecomputeNet", pretrained={"a": TINY_CFG})
    registry.register("overlapping", builder="support.tiny_models:OverlappingGroupsNet", pretrained={"a": TINY_CFG})
    registry.register("headless", builder="support.tiny_models:HeadlessGroupsNet", pretrained={"a": TINY_CFG})
    registry.register("stray", builder="support.tiny_models:StrayDecayNet", pretrained={"a": TINY_CFG})
    tiny = "support.tiny_models:TinyNet"
    registry.register("misnamed", builder=tiny, pretrained={"a": TINY_CFG.replace(classifier="stem")})
    registry.register("inner", builder=tiny, pretrained={"a": TINY_CFG.replace(first_conv="stages.0.0")})
    registry.register("mispooled", builder=tiny, pretrained={"a": TINY_CFG, "b": TINY_CFG.replace(pool_size=(7, 7))})


def _size_checking(registry: hub.ModelRegistrar) -> None:
    registry.register("untraceable", builder="support.tiny_models:SizeCheckingNet", pretrained={"a": TINY_CFG})
    registry.register("traceable", builder="support.tiny_models:TraceableSizeCheckingNet", pretrained={"a": TINY_CFG})


@pytest.fixture()
def catalog():
    with catalog_of(acme=register_tiny, fibs=_misfits, checks=_size_checking) as catalog:
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
        (
            "liar",
            "fx",
            r"model 'liar', check 'fx': feature node 'stages.1': 99 channels as feature_info says, got shape",
        ),
        (
            "lazy",
            "backward",
            r"model 'lazy', check 'backward': set_grad_checkpointing\(True\) to recompute the feature "
            r"stages in backward; nothing of \['stages.0', 'stages.1'\] ran again",
        ),
        ("overlapping", "param_groups", r"several rules: stages.0.0.weight by \^st and \^stages\\.\(\\d\+\)"),
        ("headless", "param_groups", r"to match every parameter forward_features uses; unmatched: \['stages.0.0.bias'"),
        ("stray", "param_groups", r"no_weight_decay\(\) to name parameters, got 'pos_embed', which matches none"),
        ("misnamed", "default_cfg", r"classifier 'stem' to be the module get_classifier\(\) returns"),
        (
            "inner",
            "default_cfg",
            r"first_conv 'stages.0.0' to be a conv taking input_size\[0\]=3 channels, got weight \(16, 8, 3, 3\)",
        ),
        (
            "mispooled",
            "default_cfg",
            r"tag 'b': forward_features at \(32, 32\) pixels to give maps of pool_size \(7, 7\), "
            r"got \(1, 32, 4, 4\)",
        ),
    ],
)
def test_failures_name_the_model_the_check_and_the_expectation(catalog, model: str, check: str, message: str) -> None:
    with pytest.raises(ConformanceError, match=message):
        run_check(model, check)


def test_fx_names_an_untraceable_check_and_the_two_ways_out(catalog) -> None:
    message = (
        r"model 'untraceable', check 'fx': hub.fx.symbolic_trace to trace the model; it failed: TraceError: "
        r"symbolically traced variables cannot be used as inputs to control flow\. Make the layer's input checks "
        r"traceable \(hub.layers.input_check\) or register the layer with hub.layers.register_leaf_module"
    )
    with pytest.raises(ConformanceError, match=message):
        run_check("untraceable", "fx")
    run_check("traceable", "fx")
    model = hub.create_model("traceable")
    with pytest.raises(ValueError, match="the input width must be a multiple of 8, got 33"):
        model(torch.randn(1, 3, 32, 33))


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


@pytest.mark.parametrize("check", ["forward", "reset_classifier"])
def test_a_model_registered_without_a_head_passes(check: str) -> None:
    """num_classes=0 by default (image embeddings, self-supervised weights): forward gives pooled features,
    also after reset_classifier goes to another count and back."""

    def headless(registry: hub.ModelRegistrar) -> None:
        registry.register(
            "headless", builder="support.tiny_models:TinyNet", pretrained={"a": TINY_CFG.replace(num_classes=0)}
        )

    with catalog_of(bare=headless):
        run_check("headless", check)
