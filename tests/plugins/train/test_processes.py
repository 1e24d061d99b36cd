"""Real processes: a 2-process torchrun (gloo on the CPU) and a run stopped by SIGTERM, then resumed."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from support.train_data import tiny_args

from hub_train import TrainConfig, train
from hub_train.config import load_yaml
from hub_train.run_folder import load_checkpoint

HUB = str(Path(sys.executable).with_name("hub"))


def _env() -> dict[str, str]:
    return {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}


def test_torchrun_two_processes_write_one_run_folder(image_folder, tmp_path) -> None:
    output = tmp_path / "ddp"
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2", HUB, "train"]
    result = subprocess.run(
        [*command, *tiny_args(image_folder, output, "-b", "4")],
        capture_output=True, text=True, env=_env(), cwd=tmp_path, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ddp"], "one run folder, written by rank 0 only"
    rows = [json.loads(line) for line in (output / "summary.jsonl").read_text().splitlines()]
    assert [r["epoch"] for r in rows] == [1, 2]
    assert sum(line.startswith("epoch 2/2  train loss") for line in result.stderr.splitlines()) == 1  # rank 0 prints
    state = load_checkpoint(output / "last.pth")
    assert len(state["rng"]) == 2  # each process's random state, for an exact resume
    assert not any(k.startswith("module.") for k in state["state_dict"])


def test_sigterm_writes_a_recovery_checkpoint_and_the_run_resumes(image_folder, tmp_path) -> None:
    output = tmp_path / "run"
    args = [HUB, "train", *tiny_args(image_folder, output, "--epochs", "30", "-b", "4", "--log-interval", "1")]
    process = subprocess.Popen(args, stderr=subprocess.PIPE, text=True, env=_env())
    assert process.stderr is not None
    for line in process.stderr:  # the first update is done: stop it mid-epoch
        if "batch 1/" in line:
            process.send_signal(signal.SIGTERM)
            break
    rest = process.communicate(timeout=300)[1]
    assert process.returncode == 130, rest
    assert f"continue with: hub train --resume {output}" in rest
    state = load_checkpoint(output / "last.pth")
    assert state["epoch"] == 0 and state["step"]["batches"] >= 1
    assert not list(output.glob(".*.tmp")), "no half-written file is left"

    config = TrainConfig.from_mapping({**load_yaml(output / "config.yaml"), "output": None, "epochs": 1})
    resumed = train(dataclasses.replace(config, resume=str(output)))  # in this process: one cold start less
    assert not resumed.interrupted and [row.epoch for row in resumed.epochs] == [1]
    rows = [json.loads(line) for line in (output / "summary.jsonl").read_text().splitlines()]
    assert [r["epoch"] for r in rows] == [1]
    assert rows[0]["train_images_per_second"] > 0
