"""`hub new-plugin`: the generated distribution installs, registers, builds and passes its own tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.venvs import Venv, build_wheel

from hub_cli.main import cli
from hub_cli.new_plugin_cmd import core_range

ROOT = Path(__file__).resolve().parents[2]


def test_generated_plugin_works_in_a_fresh_environment(tmp_path: Path) -> None:
    target = tmp_path / "acme-vision"
    result = CliRunner().invoke(cli, ["new-plugin", "acme-vision", "--directory", str(target)])
    assert result.exit_code == 0, result.output
    files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    assert files == [
        "README.md",
        "acme_vision/__init__.py",
        "acme_vision/blocks.py",
        "acme_vision/model.py",
        "pyproject.toml",
        "tests/test_conformance.py",
    ]
    assert 'dependencies = ["hub-core>=0.1,<0.2"]' in (target / "pyproject.toml").read_text()

    venv = Venv(tmp_path / "venv")
    venv.install(build_wheel(ROOT, tmp_path / "wheels"), build_wheel(target, tmp_path / "wheels"))
    plugins = {p["name"]: p for p in json.loads(venv.run([venv.bin("hub"), "plugins", "--json"]).stdout)}
    assert plugins == {"acme-vision": {**plugins["acme-vision"], "status": "loaded", "num_models": 1}}
    assert venv.run([venv.bin("hub"), "list"]).stdout.split() == ["acme_vision_small"]
    code = "import hub, torch; m = hub.create_model('acme_vision_small', num_classes=4).eval(); print(tuple(m(torch.randn(1, 3, 64, 64)).shape))"
    assert venv.run([venv.python, "-c", code]).stdout.strip() == "(1, 4)"

    tests = venv.run([venv.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(target / "tests")])
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "12 passed" in tests.stdout  # eleven contract checks and the torch-free manifest


def test_refuses_to_overwrite_and_bad_names(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["new-plugin", "acme", "--directory", str(tmp_path / "taken")])
    assert result.exit_code == 1 and "is not empty" in result.output
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["keep.txt"]
    result = CliRunner().invoke(cli, ["new-plugin", "Bad_Name", "--directory", str(tmp_path / "x")])
    assert result.exit_code == 1 and "not a usable distribution name" in result.output


@pytest.mark.parametrize(("api", "expected"), [("0.1", ">=0.1,<0.2"), ("1.3", ">=1.3,<2")])
def test_core_range_follows_the_plugin_api(api: str, expected: str) -> None:
    assert core_range(api) == expected
