"""CLI arguments: each mistake is one `Error:` line and exit status 1; what the API accepts, the CLI accepts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import safetensors.torch
import torch
from click.testing import CliRunner

import hub
from hub_cli.main import cli


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--plugin", "nope"], "no plugin named 'nope' is installed; loaded plugins: "),
        (["list", "--plugin", ""], "no plugin named '' is installed"),
        (["inspect", "resnet34", "--model-arg", "depth"], "give KEY=VALUE"),
        (["inspect", "resnet34", "--model-arg", "1x=2"], "give KEY=VALUE"),
        (["inspect", "resnet34", "--model-arg", "zero_init_last=maybe"], "zero_init_last must be True or False"),
        (["inspect", "vit_tiny_patch16_224", "--model-arg", "depth=0"], r"depth must be an int (>= 1), got 0"),
        (["inspect", "resnet34", "--model-arg", "img_size=64"], "unexpected keyword argument(s) 'img_size'"),
        (["inspect", "local-dir:/nonexistent/folder"], "is not a folder"),
        (["inspect", "hf-hub:justone"], "a Hub model is named hf-hub:ORG/REPO"),
        (["inspect", "resnet34", "--input-size", "4"], "4 is not in the range x>=8"),
        (["download", "local-dir:."], "is a local folder; there is nothing to download"),
        (["new-plugin", "hub-core"], "one of hub's own distributions"),
        (["new-plugin", "torch"], "the name of an installed distribution"),
        (["new-plugin", "Bad_Name"], "not a usable distribution name"),
    ],
)
def test_each_mistake_is_one_error_line(args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code != 0, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert [line for line in result.output.splitlines() if line.startswith("Error")] != []


def test_an_empty_pattern_lists_everything_as_the_api_does() -> None:
    assert invoke("list", "").output.split() == hub.list_models("") == hub.list_models()


def test_inspect_builds_a_fixed_size_model_for_the_size_asked() -> None:
    info = json.loads(invoke("inspect", "vit_tiny_patch16_224", "--input-size", "384", "--json").output)
    assert info["input_size"] == [3, 384, 384] and info["model_args"] == {"img_size": 384}
    assert info["features"][-1]["shape"] == [1, 192, 24, 24]


def test_inspect_takes_builder_arguments() -> None:
    info = json.loads(
        invoke("inspect", "vit_tiny_patch16_224", "--model-arg", "depth=2", "--out-indices", "0,1", "--json").output
    )
    assert [s["module"] for s in info["feature_stages"]] == ["blocks.0", "blocks.1"]


def test_inspect_a_saved_folder(tmp_path: Path) -> None:
    hub.save_pretrained(hub.create_model("resnet10t", num_classes=3, in_chans=1), tmp_path)
    info = json.loads(invoke("inspect", f"local-dir:{tmp_path}", "--json").output)
    assert info["name"] == "resnet10t" and info["weights_from"] == "local-dir"
    assert info["input_size"] == [1, 176, 176]  # the default tag trains at 176 px, one channel as built


def test_inspect_a_hub_repository(hub_server, hf_cache) -> None:
    hub_server.add_commit(
        "acme/gray", {"config.json": json.dumps({"architecture": "resnet10t", "num_classes": 2}).encode()}
    )
    info = json.loads(invoke("inspect", "hf-hub:acme/gray", "--json").output)
    assert info["name"] == "resnet10t" and info["weights_from"] == "hf-hub"


def test_download_verify_finds_a_rotten_cache_file(hub_server, hf_cache) -> None:
    weights = safetensors.torch.save(hub.create_model("resnet18").state_dict())
    hub_server.add_commit("timm/resnet18.a1_in1k", {"model.safetensors": weights})
    first = invoke("download", "resnet18.a1_in1k", "--verify")
    assert first.exit_code == 0 and first.output.strip().endswith("verified")
    blob = Path(first.output.split()[0]).resolve()
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped bit: still a loadable file, silently different weights
    blob.write_bytes(bytes(data))
    rotten = invoke("download", "resnet18.a1_in1k", "--verify")
    assert rotten.exit_code == 1
    assert "no longer matches the hash" in rotten.output and "hub download resnet18.a1_in1k --force" in rotten.output
    assert invoke("download", "resnet18.a1_in1k", "--force", "--verify").exit_code == 0
    assert torch.equal(
        hub.create_model("resnet18.a1_in1k", pretrained=True).fc.weight, safetensors.torch.load(weights)["fc.weight"]
    )
