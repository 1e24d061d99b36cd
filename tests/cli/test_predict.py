"""``hub predict`` on real image files: formats, grey and RGBA conversion, a corrupt file, names and outputs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from PIL import Image

import hub
from hub._labels import imagenet_class_names
from hub_cli.main import cli

LABELS = ["cat", "dog", "fox"]


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real files: RGB PNG and JPEG, grey PNG, RGBA PNG in a subfolder, a truncated JPEG, a fake PNG, a text file."""
    folder = tmp_path_factory.mktemp("images")
    pixels = np.random.default_rng(0).integers(0, 256, (72, 96, 4), dtype=np.uint8)
    Image.fromarray(pixels[..., :3]).save(folder / "rgb.png")
    Image.fromarray(pixels[..., :3]).save(folder / "photo.jpg", quality=90)
    Image.fromarray(pixels[..., 0]).save(folder / "grey.png")
    (folder / "more").mkdir()
    Image.fromarray(pixels, mode="RGBA").save(folder / "more" / "rgba.png")
    jpeg = (folder / "photo.jpg").read_bytes()
    (folder / "broken.jpg").write_bytes(jpeg[: len(jpeg) // 2])  # a download cut short
    (folder / "garbage.png").write_bytes(b"these bytes are no PNG")
    (folder / "notes.txt").write_text("not an image, not picked by suffix")
    return folder


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A three-class resnet10t saved with its label names, as a fine-tuned model is."""
    torch.manual_seed(0)
    model = hub.create_model("resnet10t", num_classes=3)
    return hub.save_pretrained(model, tmp_path_factory.mktemp("model") / "pets", label_names=LABELS)


def test_predict_a_folder_reports_the_corrupt_file_and_classifies_the_rest(images: Path, saved_model: Path) -> None:
    result = CliRunner().invoke(cli, ["predict", str(images), "-m", f"local-dir:{saved_model}", "--json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [Path(r["path"]).relative_to(images).as_posix() for r in records] == [
        "grey.png",
        "more/rgba.png",
        "photo.jpg",
        "rgb.png",
    ]
    for record in records:
        assert sorted(c["name"] for c in record["classes"]) == sorted(LABELS)  # top-k is capped at 3 classes
        assert sum(c["probability"] for c in record["classes"]) == pytest.approx(1.0, abs=1e-5)
    assert f"{images / 'broken.jpg'}: image file is truncated" in result.stderr
    assert f"{images / 'garbage.png'}: not an image Pillow can read; skipped" in result.stderr
    assert "2 file(s) could not be read; 4 classified" in result.stderr


def test_predictions_are_the_models_outputs_on_the_eval_transform(images: Path, saved_model: Path) -> None:
    model = hub.create_model(f"local-dir:{saved_model}", pretrained=True).eval()
    transform = hub.create_transform(hub.resolve_data_config(model))
    result = CliRunner().invoke(cli, ["predict", str(images / "photo.jpg"), "-m", f"local-dir:{saved_model}", "--csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    with Image.open(images / "photo.jpg") as image, torch.inference_mode():
        expected = model(transform(image)[None]).softmax(-1)[0]
    assert [int(r["index"]) for r in rows] == expected.argsort(descending=True).tolist()
    assert [r["name"] for r in rows] == [LABELS[i] for i in expected.argsort(descending=True).tolist()]
    assert [float(r["probability"]) for r in rows] == pytest.approx(
        expected.sort(descending=True).values.tolist(), abs=1e-5
    )


@pytest.mark.parametrize("name", ["grey.png", "more/rgba.png"])
def test_grey_and_rgba_images_are_converted_for_a_one_channel_model(images: Path, name: str) -> None:
    result = CliRunner().invoke(
        cli, ["predict", str(images / name), "-m", "resnet10t", "--model-arg", "in_chans=1", "--top-k", "2", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert "random weights" in result.stderr
    (record,) = json.loads(result.stdout)
    names = imagenet_class_names("imagenet-1k")
    assert [c["name"] for c in record["classes"]] == [names.names[c["index"]] for c in record["classes"]]
    assert [c["label"] for c in record["classes"]] == [names.labels[c["index"]] for c in record["classes"]]


def test_table_output_and_only_unreadable_files_is_an_error(images: Path, saved_model: Path) -> None:
    table = run("predict", str(images / "rgb.png"), "-m", f"local-dir:{saved_model}", "--top-k", "1").stdout
    assert table.splitlines()[0] == str(images / "rgb.png")
    assert table.splitlines()[1].strip().split()[2] in LABELS
    failed = CliRunner().invoke(cli, ["predict", str(images / "broken.jpg"), "-m", f"local-dir:{saved_model}"])
    assert failed.exit_code == 1
    assert "Error: no image could be classified" in failed.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["predict", "missing.png", "-m", "resnet10t"], "does not exist"),
        (["predict", "{images}", "-m", "resnet5"], "unknown model 'resnet5'"),
        (["predict", "{images}", "-m", "resnet10t", "--json", "--csv"], "give --json or --csv, not both"),
        (["predict", "{images}", "-m", "resnet10t", "--device", "cuda:7"], "device 'cuda:7'"),
        (["predict", "{images}", "-m", "resnet10t", "--model-arg", "num_classes=0"], "has no classifier"),
    ],
)
def test_user_errors(images: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, [a.format(images=images) for a in args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
