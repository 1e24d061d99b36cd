"""Real training runs of a few steps: the run folder, seeded reproducibility, exact resume, export, the recipe's options."""

from __future__ import annotations

import csv
import json
import os
import signal
from pathlib import Path

import pytest
import torch
from click.testing import CliRunner
from support.timm_oracle import timm
from support.train_data import MODEL, write_images

import hub
from hub_train import TrainConfig, ValidateConfig, evaluate, train
from hub_train.__main__ import main as cli
from hub_train.run_folder import load_checkpoint

# summary.csv columns that depend on the machine's speed, not on the training
TIMING = {"train_images_per_second", "epoch_seconds"}


def _tiny(data: Path, output: Path | None, **changes) -> TrainConfig:
    values = dict(
        model=MODEL, data_dir=str(data), output=str(output) if output else None, img_size=32, batch_size=8,
        epochs=2, workers=0, warmup_epochs=0.5, model_ema=True, model_ema_decay=0.9,
    )  # fmt: skip
    values.update(changes)
    return TrainConfig(**values)


def _metrics(output: Path) -> list[dict[str, str]]:
    with (output / "summary.csv").open() as handle:
        return [{k: v for k, v in row.items() if k not in TIMING} for row in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def finished_run(image_folder, tmp_path_factory):
    output = tmp_path_factory.mktemp("runs") / "full"
    return train(_tiny(image_folder, output))


def test_a_run_is_a_folder_of_config_summary_checkpoints_and_best_model(finished_run, image_folder) -> None:
    output = finished_run.output
    assert sorted(p.name for p in output.iterdir()) == [
        "best", "checkpoint-1.pth", "checkpoint-2.pth", "config.yaml", "last.pth", "summary.csv", "summary.jsonl",
    ]  # fmt: skip
    rows = [json.loads(line) for line in (output / "summary.jsonl").read_text().splitlines()]
    assert [r["epoch"] for r in rows] == [1, 2]
    for key in ("train_loss", "eval_loss", "eval_top1", "eval_top5", "ema_eval_top1", "lr", "train_images_per_second"):
        assert isinstance(rows[-1][key], float), key
    assert len(finished_run.epochs) == 2 and finished_run.best_source in ("model", "ema")
    saved = TrainConfig.from_mapping(__import__("yaml").safe_load((output / "config.yaml").read_text()))
    assert saved.num_classes == 3 and saved.lr == 1e-3 and saved.in_chans == 3 and saved.hflip == 0.5
    assert load_checkpoint(output / "last.pth")["epoch"] == 2  # read back with weights_only=True


def test_best_model_loads_in_hub_and_timm_with_its_class_names(finished_run, image_folder) -> None:
    best = finished_run.best_dir
    ours = hub.create_model(f"local-dir:{best}", pretrained=True).eval()
    theirs = timm.create_model(f"local-dir:{best}", pretrained=True).eval()
    assert ours.as_built_cfg.label_names == ("ants", "bees", "wasps")
    assert ours.as_built_cfg.input_size == (3, 32, 32)  # the size it was trained at
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), theirs(x), rtol=0, atol=1e-5)
    result = evaluate(ValidateConfig(model=str(finished_run.output), data_dir=str(image_folder), workers=0))
    assert result.top1 == pytest.approx(finished_run.best_metric) and result.images == 18


def test_same_seed_same_summary_and_resume_continues_exactly(finished_run, image_folder, tmp_path) -> None:
    again = train(_tiny(image_folder, tmp_path / "again", workers=2))  # loader processes draw the same augmentation
    assert _metrics(again.output) == _metrics(finished_run.output)

    def stop_after_first_epoch(row) -> None:
        if row.epoch == 1:
            os.kill(os.getpid(), signal.SIGTERM)  # as `kill` or a cluster's scheduler would

    stopped = train(_tiny(image_folder, tmp_path / "stopped"), on_epoch_end=stop_after_first_epoch)
    assert stopped.interrupted and len(stopped.epochs) == 1
    resumed = train(_tiny(image_folder, None, resume=str(tmp_path / "stopped")))
    assert not resumed.interrupted and resumed.output == tmp_path / "stopped"
    assert _metrics(resumed.output) == _metrics(finished_run.output)
    final = load_checkpoint(resumed.output / "last.pth")["state_dict"]
    reference = load_checkpoint(finished_run.output / "last.pth")["state_dict"]
    assert all(torch.equal(final[k], reference[k]) for k in reference)


def test_the_recipe_options_run_together(finished_run, image_folder, tmp_path) -> None:
    start = str(finished_run.output / "checkpoint-1.pth")  # a training checkpoint as the starting weights
    result = train(
        _tiny(
            image_folder, tmp_path / "recipe", initial_checkpoint=start, epochs=1, mixup=0.2, cutmix=1.0, smoothing=0.1, grad_accum_steps=2,
            clip_grad=1.0, opt="sgd", lr=0.01, sched="step", decay_epochs=0.5, layer_decay=0.7, aa="rand-m5-n1",
            reprob=0.25, drop_path=0.05, amp=True, amp_dtype="bfloat16", channels_last=True, eval_metric="loss",
            val_fraction=0.25, checkpoint_hist=1,
        )
    )  # fmt: skip
    row = result.epochs[0]
    assert row.ema_eval_loss is not None and row.lr < 0.01  # the step schedule decayed within the epoch
    assert (result.output / "checkpoint-1.pth").is_file()


def test_cli_kaggle_style_csv_grey_images_one_logit_head(tmp_path) -> None:
    rows = write_images(tmp_path / "images", ["0", "1"], 12, mode="L", seed=3)
    train_csv, val_csv = tmp_path / "train.csv", tmp_path / "val.csv"
    train_csv.write_text("image,target\n" + "".join(f"{p},{label}\n" for p, label in rows[::2] + rows[1::4]))
    val_csv.write_text("image,target\n" + "".join(f"{p},{label}\n" for p, label in rows[3::4]))
    common = ["--val-csv", str(val_csv), "--image-root", str(tmp_path / "images"), "--workers", "0"]
    output = tmp_path / "run"
    args = ["train", "--model", MODEL, "--train-csv", str(train_csv), *common, "--output", str(output)]
    args += ["--in-chans", "1", "--num-classes", "1", "--img-size", "32", "-b", "4", "--epochs", "1", "--model-ema"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    model = hub.create_model(f"local-dir:{output / 'best'}", pretrained=True)
    assert model.conv1[0].weight.shape[1] == 1 and model.fc.weight.shape[0] == 1
    assert model.as_built_cfg.label_names == ("1",)  # the one logit is class "1"
    results = tmp_path / "results.json"
    validate = ["validate", str(output), "--use-ema", *common]
    outcome = CliRunner().invoke(cli, [*validate, "--results-file", str(results)], catch_exceptions=False)
    assert outcome.exit_code == 0, outcome.output
    saved = json.loads(results.read_text())
    assert saved["images"] == 6 and 0 <= saved["top1"] <= 100


def test_config_file_and_flags_and_digits(tmp_path) -> None:
    config_file = tmp_path / "run.yaml"
    config_file.write_text(f"model: {MODEL}\ndataset: digits\nepochs: 5\nbatch-size: 256\nimg_size: 16\n")
    output = tmp_path / "digits"
    args = ["train", "--config", str(config_file), "--epochs", "1", "--output", str(output), "--lr", "0.003"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    saved = TrainConfig.from_mapping(__import__("yaml").safe_load((output / "config.yaml").read_text()))
    assert (saved.epochs, saved.batch_size, saved.lr, saved.img_size, saved.in_chans) == (1, 256, 0.003, 16, 1)
    assert (saved.hflip, saved.scale, saved.num_classes) == (0.0, (0.5, 1.0), 10)  # the digits defaults
    rows = _metrics(output)
    assert len(rows) == 1 and float(rows[0]["eval_top1"]) > 10  # better than chance after 5 updates
