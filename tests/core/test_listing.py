"""list_models and friends: wildcards, natural order, pretrained tags, plugins."""

from __future__ import annotations

import pytest
from support.fake_plugins import catalog_of, register_tiny

import hub


def _many(registry: hub.ModelRegistrar) -> None:
    register_tiny(registry, "net101", "net18", "net50", "net18d", "tf_net50")


@pytest.fixture()
def catalog():
    with catalog_of(acme=_many, globex=lambda r: register_tiny(r, "gnet", "net50")) as catalog:
        yield catalog


def test_natural_order_and_wildcards(catalog) -> None:
    assert hub.list_models("net1*") == ["net18", "net18d", "net101"]
    assert hub.list_models(["net18*", "g*"]) == ["gnet", "net18", "net18d"]
    # a shared name is listed qualified, sorted by its architecture name
    assert hub.list_models("*net*", exclude="tf_*") == [
        "gnet",
        "net18",
        "net18d",
        "acme:net50",
        "globex:net50",
        "net101",
    ]
    assert hub.list_models("*", exclude=["net*", "tf_*"]) == ["gnet"]


def test_shared_names_are_listed_qualified(catalog) -> None:
    assert "acme:net50" in hub.list_models() and "globex:net50" in hub.list_models()
    assert hub.list_models("*:net50") == ["acme:net50", "globex:net50"]  # patterns also match qualified names
    assert hub.list_models("acme:net*") == ["net18", "net18d", "acme:net50", "net101"]


def test_plugin_filter(catalog) -> None:
    assert hub.list_models(plugin="globex") == ["gnet", "globex:net50"]
    assert hub.list_models(plugin="Globex") == ["gnet", "globex:net50"]


def test_pretrained_lists_tags_with_weights(catalog) -> None:
    assert hub.list_models("gnet", pretrained=True) == ["gnet.a_in1k", "gnet.b_in1k"]
    assert hub.list_pretrained("gnet.b*") == ["gnet.b_in1k"]


def test_is_model_and_get_pretrained_cfg(catalog) -> None:
    assert hub.is_model("gnet") and hub.is_model("gnet.b_in1k") and hub.is_model("acme:net50")
    assert not hub.is_model("net50") and not hub.is_model("gnet.zz") and not hub.is_model("nope")
    cfg = hub.get_pretrained_cfg("gnet.b_in1k")
    assert (cfg.architecture, cfg.tag, cfg.num_classes) == ("gnet", "b_in1k", 5)
    assert hub.get_pretrained_cfg("gnet").tag == "a_in1k"


@pytest.fixture()
def bridged():
    def bridge(registry: hub.ModelRegistrar) -> None:
        registry.declare_fallback()
        register_tiny(registry, "net50", "bnet")

    with catalog_of(acme=_many, bridge=bridge) as catalog:
        yield catalog


def test_each_name_is_listed_once_with_natives_first(bridged) -> None:
    names = hub.list_models()
    assert names == ["bnet", "net18", "net18d", "net50", "net101", "tf_net50"]
    assert hub.list_models(pretrained=True).count("net50.a_in1k") == 1
    assert hub.list_models(plugin="bridge") == ["bnet", "bridge:net50"]  # its own listing shows how to reach it
    assert hub.list_models("bridge:*") == ["bnet", "bridge:net50"]
    assert hub.get_pretrained_cfg("net50").architecture == "net50" and hub.is_model("bridge:net50")


def test_records_name_the_provider_and_the_others(bridged) -> None:
    from hub._listing import list_model_records

    (record,) = list_model_records("net50")
    assert (record.name, record.plugin, record.others) == ("net50", "acme", ("bridge:net50",))
    assert list_model_records("net50.b*", pretrained=True)[0].as_dict() == {
        "name": "net50.b_in1k",
        "plugin": "acme",
        "others": ["bridge:net50.b_in1k"],
    }
    assert [r.others for r in list_model_records("bnet")] == [()]
    assert [r.others for r in list_model_records(plugin="bridge")] == [(), ("acme:net50",)]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: hub.is_model(None), "a model name is a string"),
        (lambda: hub.is_model(123), "a model name is a string"),
        (lambda: hub.get_pretrained_cfg(None), "a model name is a string"),
        (lambda: hub.list_models(123), "filter must be a string or a list of strings"),
        (lambda: hub.list_models(["res*", 5]), "filter must be a string or a list of strings"),
        (lambda: hub.list_models(exclude=5), "exclude must be a string or a list of strings"),
        (lambda: hub.list_models(plugin=3), "plugin must be a distribution name"),
    ],
)
def test_arguments_of_the_wrong_type_say_what_is_accepted(catalog, call, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        call()


def test_an_empty_pattern_filters_nothing(catalog) -> None:
    assert hub.list_models("") == hub.list_models([""]) == hub.list_models()


def test_listing_a_plugin_that_is_not_loaded_says_which_are(catalog) -> None:
    with pytest.raises(ValueError, match="no plugin named 'nope' is installed; loaded plugins: "):
        hub.list_models(plugin="nope")
