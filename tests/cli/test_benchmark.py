"""``hub benchmark``: one row per model and bench, a failing model reported in its row, the others going on."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from hub._benchmark import BenchmarkSettings, benchmark_model
from hub._inspect import describe_model
from hub_cli.main import cli

QUICK = ["--img-size", "64", "-b", "2", "--warmup", "1", "--iterations", "2"]


def test_rows_for_each_model_and_bench_with_figures() -> None:
    result = CliRunner().invoke(
        cli, ["benchmark", "resnet10t", "vit_tiny_patch16_224", "--bench", "both", *QUICK, "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["model"], r["bench"]) for r in rows] == [
        ("resnet10t", "infer"),
        ("resnet10t", "train"),
        ("vit_tiny_patch16_224", "infer"),
        ("vit_tiny_patch16_224", "train"),
    ]
    for row in rows:
        assert row["error"] is None and row["input_size"] == [3, 64, 64] and row["batch_size"] == 2
        assert row["images_per_second"] == pytest.approx(2000 / row["ms_per_batch"])
        assert row["params_millions"] > 5 and row["gmacs"] > 0
    # the cost counted is the one `hub inspect` reports for the same size
    assert rows[0]["gmacs"] == pytest.approx(describe_model("resnet10t", input_size=64)["gmacs"])


def test_a_failing_model_is_reported_in_its_row_and_the_rest_go_on() -> None:
    result = CliRunner().invoke(cli, ["benchmark", "resnet5", "resnet10t", *QUICK, "--csv"])
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["model"] == "resnet5" and "unknown model 'resnet5'" in rows[0]["error"]
    assert rows[1]["model"] == "resnet10t" and not rows[1]["error"] and float(rows[1]["images_per_second"]) > 0
    assert "Error: 1 of 2 runs failed: resnet5" in result.stderr


def test_table_and_unsupported_combinations() -> None:
    table = CliRunner().invoke(cli, ["benchmark", "resnet10t", *QUICK, "--optimize", "--bench", "both"]).stdout
    lines = table.splitlines()
    assert lines[0].split()[:4] == ["model", "bench", "img/s", "ms/batch"]
    assert lines[1].split()[:2] == ["resnet10t", "infer"] and float(lines[1].split()[2]) > 0
    assert "failed: ValueError: --optimize makes an inference-only model" in lines[2]


def test_channels_last_and_amp_settings_reach_the_run() -> None:
    settings = BenchmarkSettings(batch_size=1, img_size=64, channels_last=True, amp="bfloat16", warmup=0, iterations=1)
    result = benchmark_model("convnext_atto", settings)
    assert result.error is None and result.channels_last is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["benchmark", "resnet10t", "--device", "cuda:3"], "device 'cuda:3'"),
        (["benchmark", "resnet10t", "--amp", "int8"], "'int8' is not one of"),
        (["benchmark", "nomatch*"], "'nomatch*' matches no installed model"),
        (["benchmark", "resnet10t", "--json", "--csv"], "give --json or --csv, not both"),
    ],
)
def test_user_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
