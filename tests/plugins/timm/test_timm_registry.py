"""What hub-timm registers: every timm name and tag once, timm's cfgs, natives first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support.timm_oracle import cfg_facts, timm

import hub
from hub._plugins import get_catalog
from hub_timm._index import UNTRAINED, get_index

NATIVE_PLUGINS = ("hub-resnet", "hub-efficientnet", "hub-vit", "hub-convnext")


def test_every_timm_name_and_pretrained_tag_is_listed_once() -> None:
    names, tags = hub.list_models(), hub.list_pretrained()
    assert len(names) == len(set(names)) == len(timm.list_models())  # 1,371 at timm 1.0.31
    assert set(names) == set(timm.list_models())
    assert len(tags) == len(set(tags)) == len(timm.list_pretrained())  # 1,826 at timm 1.0.31
    assert set(tags) == set(timm.list_pretrained())


def test_the_hub_command_lists_them_in_a_fresh_process() -> None:
    get_index()  # built by now if this is the first use, so the command finds it cached
    hub_script = Path(sys.executable).with_name("hub")
    names = subprocess.run([hub_script, "list"], capture_output=True, text=True, check=True)
    tags = subprocess.run([hub_script, "list", "--pretrained"], capture_output=True, text=True, check=True)
    assert len(names.stdout.split()) == len(timm.list_models()) and names.stderr == ""  # the index is cached
    assert len(tags.stdout.split()) == len(timm.list_pretrained())


def test_native_plugins_build_their_names_and_hub_timm_the_rest() -> None:
    index = get_catalog().index
    natives = {name for plugin in NATIVE_PLUGINS for name in hub.list_models(plugin=plugin)}
    assert len(natives) == 439
    for name in timm.list_models():
        expected = "hub-timm" if name not in natives else index.providers(name)[0].plugin
        assert index.resolve(name).entry.plugin == expected
        assert index.resolve(f"hub-timm:{name}").entry.plugin == "hub-timm"
    assert hub.list_models(plugin="hub-timm").count("hub-timm:resnet50") == 1
    assert "resnet50" not in hub.list_models(plugin="hub-timm")


def test_cfgs_are_timms() -> None:
    """Every tag with weights has timm's cfg (its url aside: hub loads from the Hub repository)."""
    from timm.models import get_pretrained_cfg

    compared = 0
    for arch in get_index().archs.values():
        for tag, cfg in arch.tags.items():
            expected = cfg_facts(get_pretrained_cfg(arch.name if tag == UNTRAINED else f"{arch.name}.{tag}"))
            actual = cfg_facts(cfg)
            if expected["hf_hub_id"] or tag == UNTRAINED:
                expected["url"] = None
            expected.update(architecture=arch.name, tag=tag)
            assert actual == expected, f"{arch.name}.{tag}"
            compared += 1
    assert compared == len(timm.list_pretrained()) + sum(UNTRAINED in a.tags for a in get_index().archs.values())
