"""Real distributions in a fresh virtual environment: wheels, entry points, isolation, HUB_PLUGINS.

hub-core, hub-resnet, hub-timm (the bridge to timm), a third-party plugin written here, a
broken plugin and a plugin for a future hub-core are built as wheels and pip-installed
into a new environment; the ``hub`` console script and ``hub.create_model`` are then
driven there.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import safetensors.torch
import torch
from support.timm_oracle import perturbed_state, timm
from support.venvs import Venv, build_wheel

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

ACME_MANIFEST = '''
"""acme-models: a third party's plugin. Torch-free manifest."""
import hub


@hub.hookimpl
def register_models(registry):
    registry.register(
        "acmenet",
        builder="acme_models.model:AcmeNet",
        pretrained={"demo": hub.PretrainedCfg(hf_hub_id="acme/acmenet.demo", num_classes=3, first_conv="conv", classifier="fc")},
    )


@hub.hookimpl
def register_commands(cli):
    import click

    @cli.command("acme-hello")
    def hello():
        """Say hello from acme."""
        click.echo("hello from acme-models")
'''

ACME_MODEL = """
import torch
from torch import nn
from hub.layers import create_classifier


class AcmeNet(nn.Module):
    pretrained_cfg = None

    def __init__(self, *, num_classes=3, in_chans=3, global_pool="avg", drop_rate=0.0, drop_path_rate=0.0):
        super().__init__()
        self.num_classes, self.num_features = num_classes, 8
        self.conv = nn.Conv2d(in_chans, 8, 3, stride=2, padding=1)
        self.feature_info = [{"num_chs": 8, "reduction": 2, "module": "conv"}]
        self.global_pool, self.fc = create_classifier(8, num_classes, global_pool)

    def forward(self, x):
        return self.fc(self.global_pool(self.conv(x)))
"""


def _write_plugin(
    folder: Path, dist: str, package: str, files: dict[str, str], requires: str = "hub-core>=0.1,<0.2"
) -> Path:
    folder.mkdir(parents=True)
    (folder / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""
            [build-system]
            requires = ["setuptools>=68"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "{dist}"
            version = "1.2.3"
            dependencies = ["{requires}"]

            [project.entry-points.hub]
            {dist} = "{package}"

            [tool.setuptools]
            packages = ["{package}"]
            """
        )
    )
    (folder / package).mkdir()
    for name, text in files.items():
        (folder / package / name).write_text(textwrap.dedent(text))
    return folder


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> Venv:
    work = tmp_path_factory.mktemp("integration")
    wheels = work / "wheels"
    acme = _write_plugin(
        work / "src" / "acme", "acme-models", "acme_models", {"__init__.py": ACME_MANIFEST, "model.py": ACME_MODEL}
    )
    broken = _write_plugin(
        work / "src" / "broken", "broken-plugin", "broken_plugin", {"__init__.py": "import no_such_dependency_xyz\n"}
    )
    future = _write_plugin(
        work / "src" / "future",
        "future-plugin",
        "future_plugin",
        {"__init__.py": "raise RuntimeError('an incompatible plugin must never be imported')\n"},
        requires="hub-core>=9",
    )
    plugins = ROOT / "plugins"
    built = [build_wheel(p, wheels) for p in (ROOT, plugins / "hub-resnet", plugins / "hub-timm", acme, broken, future)]
    venv = Venv(work / "venv")  # hub-timm's index: this environment's cached one (same timm)
    venv.install(*built)
    return venv


def test_the_wheels_are_installed_not_the_checkout(env: Venv) -> None:
    result = env.run([env.python, "-c", "import hub, hub_resnet; print(hub.__file__); print(hub_resnet.__file__)"])
    assert result.returncode == 0, result.stderr
    assert all(str(env.site_packages) in line for line in result.stdout.split())


def test_entry_points_come_from_the_installed_distributions(env: Venv) -> None:
    result = env.run([env.bin("hub"), "plugins", "--json"])
    assert result.returncode == 0, result.stderr
    plugins = {p["name"]: p for p in json.loads(result.stdout)}
    assert plugins["hub-resnet"]["status"] == "loaded" and plugins["hub-resnet"]["num_models"] == 81
    assert plugins["acme-models"]["status"] == "loaded" and plugins["acme-models"]["version"] == "1.2.3"
    assert plugins["broken-plugin"]["status"] == "failed"
    assert "No module named 'no_such_dependency_xyz'" in plugins["broken-plugin"]["reason"]
    assert plugins["future-plugin"]["status"] == "incompatible"
    assert "needs hub-core>=9 but hub-core 0.1.0" in plugins["future-plugin"]["reason"]
    # one warning per failing plugin, naming it; no traceback
    assert result.stderr.count("warning: hub: plugin 'broken-plugin' failed to load") == 1
    assert result.stderr.count("warning: hub: plugin 'future-plugin' was refused") == 1
    assert "Traceback" not in result.stderr


def test_a_broken_plugin_does_not_stop_the_others(env: Venv) -> None:
    result = env.run([env.bin("hub"), "list", "acme*", "resnet34"])
    assert result.stdout.split() == ["acmenet", "resnet34"]
    code = (
        "import hub, torch\n"
        "m = hub.create_model('resnet34', in_chans=1, num_classes=10).eval()\n"
        "a = hub.create_model('acmenet').eval()\n"
        "print(tuple(m(torch.randn(1, 1, 64, 64)).shape), tuple(a(torch.randn(1, 3, 16, 16)).shape))"
    )
    result = env.run([env.python, "-W", "ignore", "-c", code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(1, 10) (1, 3)"


def test_plugin_cli_commands(env: Venv) -> None:
    result = env.run([env.bin("hub"), "acme-hello"])
    assert result.stdout.strip() == "hello from acme-models"
    assert "acme-hello" in env.run([env.bin("hub"), "--help"]).stdout


def test_hub_plugins_allow_list(env: Venv) -> None:
    result = env.run([env.bin("hub"), "plugins", "--json"], env={"HUB_PLUGINS": "acme-models"})
    statuses = {p["name"]: p["status"] for p in json.loads(result.stdout)}
    assert statuses == {
        "acme-models": "loaded",
        "broken-plugin": "disabled",
        "future-plugin": "disabled",
        "hub-resnet": "disabled",
        "hub-timm": "disabled",
    }
    assert "warning" not in result.stderr  # a plugin left out is not even imported
    assert env.run([env.bin("hub"), "list"], env={"HUB_PLUGINS": "acme-models"}).stdout.split() == ["acmenet"]
    assert env.run([env.bin("hub"), "list"], env={"HUB_PLUGINS": ""}).stdout.split() == []


def test_listing_imports_no_torch_in_a_fresh_process(env: Venv) -> None:
    code = "import sys, hub; hub.list_models(); print('torch' in sys.modules, len(hub.list_models()))"
    result = env.run([env.python, "-W", "ignore", "-c", code])
    assert result.stdout.split() == ["False", str(len(timm.list_models()) + 1)]  # timm's names and acmenet


def test_hub_timm_indexes_timm_once_on_first_use(env: Venv, tmp_path: Path) -> None:
    fresh = {"HUB_CACHE": str(tmp_path / "fresh-cache")}
    first = env.run([env.bin("hub"), "list", "--pretrained", "--plugin", "hub-timm"], env=fresh)
    assert first.returncode == 0, first.stderr
    assert [line for line in first.stderr.splitlines() if not line.startswith("warning:")] == [
        f"hub-timm: indexing the models of timm {timm.__version__} (first use with this timm version); "
        "this takes a few seconds, once"
    ]
    assert len(first.stdout.split()) == len(timm.list_pretrained())
    again = env.run([env.bin("hub"), "list", "--pretrained", "--plugin", "hub-timm"], env=fresh)
    assert "hub-timm" not in again.stderr and again.stdout == first.stdout


def test_natives_win_the_bare_name_and_hub_timm_builds_timms_model(env: Venv, hub_server) -> None:
    """resnet50 is hub-resnet's, hub-timm:resnet50 timm's: the same weights give the same logits."""
    torch.manual_seed(0)
    weights = perturbed_state(timm.create_model("resnet50"))  # norm statistics and biases that matter
    hub_server.add_commit("timm/resnet50.a1_in1k", {"model.safetensors": safetensors.torch.save(weights)})
    listed = env.run([env.bin("hub"), "list", "resnet50", "--long"]).stdout.splitlines()
    assert listed[1].split() == ["resnet50", "hub-resnet", "hub-timm:resnet50"]
    code = (
        "import hub, torch\n"
        "native = hub.create_model('resnet50', pretrained=True).eval()\n"
        "bridged = hub.create_model('hub-timm:resnet50', pretrained=True).eval()\n"
        "x = torch.randn(2, 3, 64, 64, generator=torch.Generator().manual_seed(0))\n"
        "with torch.no_grad():\n"
        "    a, b = native(x), bridged(x)\n"
        "print(type(native).__module__, type(bridged).__module__, torch.allclose(a, b, atol=1e-5), float(a.abs().max()) > 0)"
    )
    result = env.run([env.python, "-W", "ignore", "-c", code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["hub_resnet.model", "timm.models.resnet", "True", "True"]
