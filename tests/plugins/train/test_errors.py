"""Each user error of `hub train` / `hub validate` is one `Error:` line, exit status 1, and nothing lost."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.train_data import tiny_args, write_images

from hub_train.__main__ import main as cli


def _fails_with(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message in errors[0], result.output


@pytest.fixture(scope="module")
def finished_run(image_folder, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("runs") / "run"
    result = CliRunner().invoke(cli, ["train", *tiny_args(image_folder, output, "--epochs", "1")])
    assert result.exit_code == 0, result.output
    return output


def _layout(root: Path, name: str) -> Path:
    """A broken copy of a data folder, made by name."""
    if name == "empty":
        root.mkdir()
    elif name == "no-classes":
        (root / "train").mkdir(parents=True)
        (root / "train" / "notes.txt").write_text("no class folders here")
    elif name == "classes-differ":
        write_images(root / "train", ["ants", "bees", "wasps"], 2)
        write_images(root / "val", ["ants", "bees", "moths"], 1)
    elif name == "no-val":
        write_images(root / "train", ["ants", "bees"], 2)
    return root


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ("missing", "does not exist"),
        ("empty", "is empty"),
        ("no-classes", "has no class sub-folders"),
        ("classes-differ", "only in training: wasps; only in validation: moths"),
        ("no-val", "pass --val-fraction 0.2"),
    ],
)
def test_data_folder_errors(tmp_path, layout: str, message: str) -> None:
    data = tmp_path / "data"
    if layout != "missing":
        _layout(data, layout)
    _fails_with(["train", *tiny_args(data, tmp_path / "run")], message)
    assert not (tmp_path / "run").exists(), "a failed start leaves no run folder"


def test_corrupt_image_is_named_or_counted_and_skipped(image_folder, tmp_path) -> None:
    data = tmp_path / "data"
    shutil.copytree(image_folder, data)
    bad = data / "train" / "bees" / "0.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"broken" * 10)
    _fails_with(["train", *tiny_args(data, tmp_path / "stopped")], f"cannot read the image {bad}")
    result = CliRunner().invoke(
        cli, ["train", *tiny_args(data, tmp_path / "run", "--epochs", "1", "--skip-bad-images")]
    )
    assert result.exit_code == 0, result.output
    with (tmp_path / "run" / "summary.csv").open() as handle:
        assert [row["skipped_images"] for row in csv.DictReader(handle)] == ["1"]


def test_num_classes_that_disagree_with_the_data(image_folder, tmp_path) -> None:
    _fails_with(
        ["train", *tiny_args(image_folder, tmp_path / "run", "--num-classes", "5")], "--num-classes 5 does not match"
    )


def test_an_output_folder_with_a_run_is_never_overwritten(finished_run, image_folder) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in finished_run.iterdir()}
    _fails_with(["train", *tiny_args(image_folder, finished_run)], "already holds a run; pass --resume")
    assert {p.name: p.stat().st_mtime_ns for p in finished_run.iterdir()} == before


def test_resume_with_another_model_is_refused(finished_run, image_folder) -> None:
    before = (finished_run / "last.pth").read_bytes()
    args = ["train", "--resume", str(finished_run), "--model", "resnet18", "--epochs", "2"]
    _fails_with(args, "that run trained 'resnet10t'")
    assert (finished_run / "last.pth").read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--aa", "rand-m99"], "--aa: augmentation policy 'rand-m99': m must be in [0, 10]"),
        (["--scale", "0.9", "0.2"], "--scale must be LOW HIGH"),
        (["--train-csv", "x.csv"], "give one source of images"),
    ],
)
def test_bad_options(image_folder, tmp_path, args: list[str], message: str) -> None:
    _fails_with(["train", *tiny_args(image_folder, tmp_path / "run"), *args], message)


def test_unknown_key_in_a_config_file(tmp_path) -> None:
    config = tmp_path / "run.yaml"
    config.write_text("model: resnet10t\nlearning_rate: 0.1\n")
    _fails_with(["train", "--config", str(config)], "unknown option(s) learning_rate")


def test_validate_errors(finished_run, image_folder, tmp_path) -> None:
    _fails_with(["validate", str(finished_run), "--data-dir", str(image_folder), "--use-ema"], "has no EMA weights")
    _fails_with(["validate", str(finished_run), "--data-dir", str(tmp_path / "nowhere")], "does not exist")
    truncated = tmp_path / "broken.pth"
    truncated.write_bytes((finished_run / "last.pth").read_bytes()[:1000])
    _fails_with(
        ["validate", "resnet10t", "--checkpoint", str(truncated), "--data-dir", str(image_folder)], "is truncated"
    )


def test_the_hub_script_reports_one_line(tmp_path) -> None:
    hub_script = Path(sys.executable).with_name("hub")
    args = [str(hub_script), "train", *tiny_args(tmp_path / "missing", tmp_path / "run")]
    result = subprocess.run(args, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("Error: the data folder")
    assert "Traceback" not in result.stderr
