"""The hub CLI: commands, output formats, user errors, plugin commands, and its reference page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
import safetensors.torch
import torch
from click.testing import CliRunner

import hub
from hub_cli.main import add_plugin_commands, cli
from hub_cli.reference import render_reference

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_list_with_patterns_and_filters() -> None:
    excluded = ["--exclude", "*[cdst]", "--exclude", "*_*"]  # the stem variants and named variants
    result = run("list", "resnet1*", "--plugin", "hub-resnet", *excluded)
    assert result.exit_code == 0
    assert result.output.split() == ["resnet18", "resnet101", "resnet152"]
    listed = json.loads(run("list", "resnet50*", "--plugin", "hub-resnet", "--exclude", "*_*", "--json").output)
    assert [r["name"] for r in listed] == ["resnet50", "resnet50c", "resnet50d", "resnet50s", "resnet50t"]
    assert "resnet50.a1_in1k" in run("list", "resnet50", "--pretrained").output.split()
    assert set(run("list", "--plugin", "hub-resnet").output.split()) == set(hub.list_models(plugin="hub-resnet"))


def test_list_long_and_json_name_the_provider_of_each_name() -> None:
    """A native plugin's name is built by it; other providers are shown under the names that reach them."""
    records = json.loads(run("list", "resnet18", "--json").output)
    others = ["hub-timm:resnet18"] if "hub-timm" in hub._plugins.get_catalog().loaded_plugins() else []
    assert records == [{"name": "resnet18", "plugin": "hub-resnet", "others": others}]
    lines = run("list", "resnet18*", "--long").output.splitlines()
    assert lines[0].split() == ["NAME", "PLUGIN", "ALSO", "OFFERED", "AS"]
    assert lines[1].split() == ["resnet18", "hub-resnet", *others]


def test_plugins_table_and_json() -> None:
    table = run("plugins").output
    assert table.splitlines()[0].split() == ["PLUGIN", "VERSION", "STATUS", "MODELS"]
    assert any(line.split()[:3] == ["hub-resnet", "0.1.0", "loaded"] for line in table.splitlines())
    records = {p["name"]: p for p in json.loads(run("plugins", "--json").output)}
    assert records["hub-resnet"]["num_models"] == 81 and records["hub-resnet"]["status"] == "loaded"


def test_inspect_reports_size_cost_stages_and_tags() -> None:
    output = run("inspect", "resnet34").output
    assert "resnet34  (plugin hub-resnet 0.1.0)" in output
    assert "parameters:    21.80 M" in output
    assert "GMACs:         3.66 at 3x224x224" in output
    assert "4      layer4  512       32" in output
    assert "a1_in1k" in output and "timm/resnet34.a1_in1k" in output


def test_inspect_feature_outputs_for_an_input_size() -> None:
    info = json.loads(run("inspect", "resnet34", "--out-indices", "1,-1", "--input-size", "128", "--json").output)
    assert info["features"] == [
        {"index": 1, "module": "layer1", "shape": [1, 64, 32, 32]},
        {"index": 4, "module": "layer4", "shape": [1, 512, 4, 4]},
    ]
    assert [s["num_chs"] for s in info["feature_stages"]] == [64, 64, 128, 256, 512]
    assert info["num_params"] == 21797672 and info["pretrained"][0]["tag"] == "a1_in1k"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["inspect", "resnet5"], "unknown model 'resnet5'; did you mean"),
        (["inspect", "resnet34", "--out-indices", "9"], "stage index 9 is out of range"),
        (["inspect", "resnet34", "--out-indices", "x"], "give stage indices separated by commas"),
        (["inspect", "resnet34.zz"], "valid tags: a1_in1k"),
        (["download", "resnet34.zz"], "valid tags"),
    ],
)
def test_user_errors_are_one_line_without_traceback(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert len([line for line in result.output.splitlines() if line.startswith("Error")]) == 1


def test_download_prints_paths_and_force_fetches_again(hub_server, hf_cache) -> None:
    torch.manual_seed(0)
    weights = safetensors.torch.save(hub.create_model("resnet18").state_dict())
    hub_server.add_commit("timm/resnet18.a1_in1k", {"model.safetensors": weights})
    result = run("download", "resnet18.a1_in1k")
    path = Path(result.output.strip())
    assert result.exit_code == 0 and path.is_file() and str(path).startswith(hf_cache)
    assert "yes" in next(line for line in run("inspect", "resnet18").output.splitlines() if "a1_in1k" in line)
    run("download", "resnet18.a1_in1k")
    assert hub_server.count("GET", "model.safetensors") == 1
    run("download", "resnet18.a1_in1k", "--force")
    assert hub_server.count("GET", "model.safetensors") == 2


def test_download_an_hf_hub_repository(hub_server, tmp_path) -> None:
    hub_server.add_commit("acme/tiny", {"config.json": b'{"architecture": "resnet18"}', "model.safetensors": b"x" * 0})
    result = run("download", "hf-hub:acme/tiny", "--cache-dir", str(tmp_path))
    assert [Path(p).name for p in result.output.split()] == ["config.json", "model.safetensors"]


def test_plugin_commands_are_added_and_collisions_refused(monkeypatch) -> None:
    from support.fake_plugins import catalog_of, plugin_module, register_tiny

    @click.command("hello")
    def hello() -> None:
        click.echo("hello from acme")

    @click.command("list")
    def hijack() -> None:
        click.echo("hijacked")

    @hub.hookimpl
    def register_commands(cli: click.Group) -> None:
        cli.add_command(hello)
        cli.add_command(hijack)

    with catalog_of() as catalog:
        module = plugin_module("acme", register_tiny)
        module.register_commands = register_commands  # type: ignore[attr-defined]
        catalog.add_plugin("acme", module)
        group = click.Group(commands=dict(cli.commands))
        with pytest.warns(hub.errors.HubPluginWarning, match="adds a command 'list', which is already taken"):
            add_plugin_commands(group)
    assert CliRunner().invoke(group, ["hello"]).output == "hello from acme\n"
    assert group.commands["list"] is cli.commands["list"]


@pytest.mark.parametrize("args", [["--help"], ["list", "resnet*"], ["plugins"], ["list", "--help"]])
def test_fast_commands_import_no_torch(args: list[str]) -> None:
    code = (
        "import sys\nfrom hub_cli.main import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print('torch' in sys.modules, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr.strip().splitlines()[-1] == "False"


def test_console_script_is_installed() -> None:
    hub_script = Path(sys.executable).with_name("hub")
    result = subprocess.run([str(hub_script), "list", "resnet18"], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["resnet18"]


def test_cli_reference_page_is_up_to_date() -> None:
    page = (ROOT / "docs" / "cli.md").read_text()
    assert page == render_reference(), "docs/cli.md is stale: run `python -m hub_cli.reference > docs/cli.md`"


def test_inspect_says_which_provider_builds_a_name_and_which_others_offer_it() -> None:
    from support.fake_plugins import catalog_of, register_tiny

    def bridge(registry: hub.ModelRegistrar) -> None:
        registry.declare_fallback()
        register_tiny(registry)

    with catalog_of(acme=register_tiny, bridge=bridge):
        native = run("inspect", "tinynet").output.splitlines()
        assert native[:2] == ["tinynet  (plugin acme 1.0)", "  also offered as: bridge:tinynet"]
        fallback = run("inspect", "bridge:tinynet").output.splitlines()
        assert fallback[:2] == ["bridge:tinynet  (plugin bridge 1.0, a fallback)", "  also offered as: acme:tinynet"]
        info = json.loads(run("inspect", "bridge:tinynet", "--json").output)
        assert (info["plugin"], info["fallback"], info["others"]) == ("bridge", True, ["acme:tinynet"])
        lines = run("list", "tiny*", "--long").output.splitlines()
        assert [line.split() for line in lines[1:]] == [["tinynet", "acme", "bridge:tinynet"]]
