"""The environment: HUB_PLUGINS names are checked, and an allow-list shows in 'unknown model'."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    environ = {**os.environ, **env}
    return subprocess.run([sys.executable, "-W", "always", "-c", code], capture_output=True, text=True, env=environ)


@pytest.mark.parametrize("allow_list", ["hub-resnet,hub-nope", "resnet", "hub_vitt"])
def test_names_no_plugin_is_called_are_warned_about(allow_list: str) -> None:
    result = _run("import hub; hub.list_models()", HUB_PLUGINS=allow_list)
    assert result.returncode == 0
    assert "HUB_PLUGINS names" in result.stderr and "which no installed plugin is called" in result.stderr
    assert "installed: hub-convnext" in result.stderr


def test_a_valid_allow_list_warns_nothing() -> None:
    result = _run("import hub; print(len(hub.list_models()))", HUB_PLUGINS="hub-resnet")
    assert result.stderr == "" and int(result.stdout) == len(__import__("hub").list_models(plugin="hub-resnet"))


def test_unknown_model_mentions_the_allow_list() -> None:
    code = "import hub\ntry:\n    hub.create_model('vit_tiny_patch16_224')\nexcept KeyError as e:\n    print(e)"
    result = _run(code, HUB_PLUGINS="hub-resnet")
    assert "unknown model 'vit_tiny_patch16_224'" in result.stdout
    assert "HUB_PLUGINS is set, so only hub-resnet loaded; left out: hub-convnext" in result.stdout


def test_an_empty_allow_list_says_no_plugin_loaded() -> None:
    code = "import hub\ntry:\n    hub.create_model('resnet18')\nexcept KeyError as e:\n    print(e)"
    result = _run(code, HUB_PLUGINS="")
    assert "HUB_PLUGINS is set, so only no plugin loaded" in result.stdout
