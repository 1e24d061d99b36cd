"""Registrations are checked when made, and names resolve across plugins."""

from __future__ import annotations

import pytest
from support.fake_plugins import TINY_CFG

import hub
from hub import PretrainedCfg
from hub._registry import ModelIndex, ModelRegistrar
from hub.errors import AmbiguousModelError, InvalidRegistrationError, UnknownModelError, UnknownTagError


def _registrar(plugin: str = "acme") -> ModelRegistrar:
    return ModelRegistrar(plugin)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "bad.name", "builder": "m:f"}, "a model name is letters"),
        ({"name": "ok", "builder": "no_colon"}, "builder must be 'module:callable'"),
        ({"name": "ok", "builder": "m:f", "features": {"feature_cls": "list"}}, "features must be a hub.FeatureCfg"),
        (
            {"name": "ok", "builder": "m:f", "features": hub.FeatureCfg(feature_cls="fx")},
            "FeatureCfg.feature_cls must be one of list, dict, hook, getter, trunk, got 'fx'",
        ),
        ({"name": "ok", "builder": "m:f", "features": hub.FeatureCfg(out_indices=0)}, "FeatureCfg.out_indices must be"),
        ({"name": "ok", "builder": "m:f", "features": hub.FeatureCfg(out_indices=())}, "a non-empty tuple"),
        ({"name": "ok", "builder": "m:f", "features": hub.FeatureCfg(out_indices=[1, 2])}, "got \\[1, 2\\]"),
        ({"name": "ok", "builder": "m:f", "features": hub.FeatureCfg(out_indices=(1.0,))}, "FeatureCfg.out_indices"),
        (
            {"name": "ok", "builder": "m:f", "features": hub.FeatureCfg(flatten_sequential="yes")},
            "flatten_sequential must be True or False",
        ),
        ({"name": "ok", "builder": "m:f", "pretrained": {"bad tag": TINY_CFG}}, "invalid pretrained tag"),
        ({"name": "ok", "builder": "m:f", "pretrained": {"t": {"num_classes": 3}}}, "expected a hub.PretrainedCfg"),
        (
            {"name": "ok", "builder": "m:f", "pretrained": {"t": TINY_CFG.replace(architecture="other")}},
            "the cfg says it is other",
        ),
    ],
)
def test_malformed_registrations_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(InvalidRegistrationError, match=message):
        _registrar().register(**kwargs)


def test_registering_a_name_twice_in_one_plugin_is_refused() -> None:
    registrar = _registrar()
    registrar.register("tiny", builder="m:f")
    with pytest.raises(InvalidRegistrationError, match="registered twice"):
        registrar.register("tiny", builder="m:f")


def test_cfgs_get_their_architecture_and_tag() -> None:
    registrar = _registrar()
    registrar.register("tiny", builder="m:f", pretrained={"a": TINY_CFG, "b": TINY_CFG})
    (entry,) = registrar.entries()
    assert entry.default_tag == "a"
    assert entry.tags == ("a", "b")
    assert entry.pretrained_cfg("b").architecture == "tiny"
    assert entry.pretrained_cfg("b").tag == "b"
    assert entry.pretrained_cfg().tag == "a"


def _index(*plugins: str, name: str = "tiny") -> ModelIndex:
    index = ModelIndex()
    for plugin in plugins:
        registrar = _registrar(plugin)
        registrar.register(name, builder="m:f", pretrained={"a_in1k": TINY_CFG})
        index.add(registrar.entries())
    return index


def test_resolve_bare_tagged_and_qualified_names() -> None:
    index = _index("acme")
    assert index.resolve("tiny").tag is None
    assert index.resolve("tiny.a_in1k").tag == "a_in1k"
    assert index.resolve("acme:tiny.a_in1k").entry.plugin == "acme"


def test_unknown_model_suggests_close_names() -> None:
    with pytest.raises(UnknownModelError, match=r"did you mean 'tiny'\?") as caught:
        _index("acme").resolve("tinny")
    assert caught.value.suggestions == ("tiny",)
    assert "hub list" in str(caught.value)


def test_unknown_tag_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownTagError, match="valid tags: a_in1k"):
        _index("acme").resolve("tiny.zz_in1k")


def test_a_name_from_two_plugins_is_never_silent() -> None:
    index = _index("acme", "globex")
    with pytest.raises(AmbiguousModelError) as caught:
        index.resolve("tiny")
    message = str(caught.value)
    assert "acme, globex" in message and "'acme:tiny'" in message and "'globex:tiny'" in message
    assert index.resolve("acme:tiny").entry.plugin == "acme"
    assert index.resolve("globex:tiny.a_in1k").entry.plugin == "globex"
    assert sorted(index.listed_name(e) for e in index) == ["acme:tiny", "globex:tiny"]


def test_builder_that_cannot_be_imported_names_the_plugin() -> None:
    registrar = _registrar("acme")
    registrar.register("tiny", builder="no_such_module_xyz:build")
    (entry,) = registrar.entries()
    with pytest.raises(InvalidRegistrationError, match="plugin 'acme' registers 'tiny' with builder"):
        entry.load_builder()


def test_pretrained_cfg_round_trips_through_dicts() -> None:
    cfg = TINY_CFG.replace(label_names=["a", "b"], mean=[0.5, 0.5, 0.5])
    assert cfg.label_names == ("a", "b") and cfg.mean == (0.5, 0.5, 0.5)
    data = cfg.to_dict()
    assert "url" not in data and data["classifier"] == "fc" and data["pool_size"] is None
    assert hub.PretrainedCfg.from_dict({**data, "some_future_field": 1}) == cfg
    assert "hf_hub_id" not in cfg.to_dict(remove_source=True)


def test_pretrained_cfg_rejects_unknown_fields_and_bad_sizes() -> None:
    with pytest.raises(TypeError, match="no field"):
        TINY_CFG.replace(numclasses=3)
    with pytest.raises(ValueError, match="input_size must be"):
        hub.PretrainedCfg(input_size=(3, 224))


def _ranked_index(*providers: tuple[str, bool], name: str = "tiny") -> ModelIndex:
    """An index in which each (plugin, fallback) registers ``name``; a fallback also has the tag 'extra_in1k'."""
    index = ModelIndex()
    for plugin, fallback in providers:
        registrar = _registrar(plugin)
        if fallback:
            registrar.declare_fallback()
        tags = {"a_in1k": TINY_CFG, **({"extra_in1k": TINY_CFG} if fallback else {})}
        registrar.register(name, builder="m:f", pretrained=tags)
        index.add(registrar.entries())
    return index


@pytest.mark.parametrize("order", [[("bridge", True), ("acme", False)], [("acme", False), ("bridge", True)]])
def test_a_native_registration_wins_the_bare_name_over_a_fallback(order: list[tuple[str, bool]]) -> None:
    index = _ranked_index(*order)
    assert index.resolve("tiny").entry.plugin == "acme"
    assert index.resolve("tiny.a_in1k").entry.plugin == "acme"
    assert index.resolve("bridge:tiny").entry.plugin == "bridge"  # the fallback stays reachable
    assert [e.plugin for e in index.providers("tiny")] == ["acme", "bridge"]
    assert {e.plugin: index.listed_name(e) for e in index} == {"acme": "tiny", "bridge": "bridge:tiny"}
    assert [index.is_shadowed(e) for e in index.providers("tiny")] == [False, True]


def test_a_tag_only_the_fallback_has_is_pointed_at() -> None:
    index = _ranked_index(("acme", False), ("bridge", True))
    with pytest.raises(UnknownTagError, match="another plugin offers it as 'bridge:tiny.extra_in1k'"):
        index.resolve("tiny.extra_in1k")
    assert index.resolve("bridge:tiny.extra_in1k").tag == "extra_in1k"


def test_a_lone_fallback_owns_its_name_and_equal_ranks_still_clash() -> None:
    assert _ranked_index(("bridge", True)).resolve("tiny").entry.plugin == "bridge"
    with pytest.raises(AmbiguousModelError, match="bridge, zoo"):
        _ranked_index(("bridge", True), ("zoo", True)).resolve("tiny")
    natives = _ranked_index(("acme", False), ("globex", False), ("bridge", True))
    with pytest.raises(AmbiguousModelError, match="acme, globex"):  # the fallback is not among the choices
        natives.resolve("tiny")
    assert sorted(natives.listed_name(e) for e in natives) == ["acme:tiny", "bridge:tiny", "globex:tiny"]


def test_fallback_per_registration_and_its_validation() -> None:
    registrar = _registrar()
    registrar.register("one", builder="m:f", fallback=True)
    registrar.register("two", builder="m:f")
    registrar.declare_fallback()
    registrar.register("three", builder="m:f")
    registrar.register("four", builder="m:f", fallback=False)  # a registration may opt out of its plugin's rank
    assert {e.name: e.fallback for e in registrar.entries()} == {
        "one": True,
        "two": False,
        "three": True,
        "four": False,
    }
    with pytest.raises(InvalidRegistrationError, match="fallback must be True or False"):
        registrar.register("five", builder="m:f", fallback="yes")  # type: ignore[arg-type]


def test_an_organisation_hf_hub_id_is_completed_with_arch_and_tag() -> None:
    registrar = ModelRegistrar("hub-acme")
    family = PretrainedCfg(hf_hub_id="acme/", num_classes=10)
    registrar.register(
        "acmenet",
        builder="acme.model:AcmeNet",
        pretrained={
            "in1k": family,
            "own": family.replace(hf_hub_id="someone/weights"),
            "none": family.replace(hf_hub_id=None),
        },
    )
    (entry,) = registrar.entries()
    assert entry.pretrained["in1k"].hf_hub_id == "acme/acmenet.in1k"
    assert entry.pretrained["own"].hf_hub_id == "someone/weights"
    assert entry.pretrained["none"].hf_hub_id is None


def test_cfg_presets_apply_in_order_then_the_fields() -> None:
    family = PretrainedCfg(crop_pct=0.9, interpolation="bilinear")
    recipe = {"interpolation": "bicubic", "crop_pct": 0.95}
    cfg = family.replace(recipe, {"crop_pct": 1.0}, url="https://example.org/w.pth")
    assert (cfg.interpolation, cfg.crop_pct, cfg.url) == ("bicubic", 1.0, "https://example.org/w.pth")
    with pytest.raises(TypeError, match="no field"):
        family.replace({"not_a_field": 1})
