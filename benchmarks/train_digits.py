"""`hub train --model resnet18 --dataset digits` with its defaults: accuracy and wall time, one process and DDP.

Runs the command as a user would (the ``hub`` script, a cold process), then the same run
under ``torchrun --nproc-per-node 2`` (gloo on the CPU), each into a fresh folder. Reports
the best validation top-1, the first epoch that reached the target (97%) and the wall time
up to it, the wall time of the whole command, its CPU time (with its children; a machine
shared with other work stretches the wall time, less so the CPU time), and how many run
folders each wrote. Targets: at least 97% within 2 minutes of wall time on a 2-core CPU;
DDP reaches the same accuracy with one run folder.

    python benchmarks/train_digits.py
    python benchmarks/train_digits.py --processes 1 -- --epochs 12     # arguments after -- go to hub train
    python benchmarks/train_digits.py --threads 1                      # OMP_NUM_THREADS of the single process
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import PYTHON, table

HUB = str(Path(PYTHON).with_name("hub"))
TARGET = 97.0


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(processes: int, folder: Path, extra: list[str], threads: int | None) -> list[str]:
    output = folder / f"run-{processes}"
    command = [HUB, "train", "--model", "resnet18", "--dataset", "digits", "--output", str(output), *extra]
    if processes > 1:
        command = [PYTHON, "-m", "torch.distributed.run", "--standalone", f"--nproc-per-node={processes}", *command]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if threads is not None and processes == 1:  # torchrun gives each of its processes one thread
        env["OMP_NUM_THREADS"] = str(threads)
    cpu_before = _children_cpu_seconds()
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=folder, env=env)
    wall = time.perf_counter() - started
    cpu = _children_cpu_seconds() - cpu_before
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    with (output / "summary.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    top1 = [float(r["eval_top1"]) for r in rows]
    reached = next((i for i, value in enumerate(top1) if value >= TARGET), None)
    # wall time to the target: start-up (everything outside the epochs) plus the epochs up to it
    startup = wall - sum(float(r["epoch_seconds"]) for r in rows)
    to_target = startup + sum(float(r["epoch_seconds"]) for r in rows[: reached + 1]) if reached is not None else None
    folders = sorted(p.name for p in folder.iterdir() if p.is_dir())
    return [
        f"{processes}",
        f"{len(rows)}",
        f"{max(top1):.2f}",
        f"{top1[-1]:.2f}",
        f"{reached + 1}" if reached is not None else "never",
        f"{to_target:.1f}" if to_target is not None else "-",
        f"{wall:.1f}",
        f"{cpu:.1f}",
        f"{len(folders)}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--threads", type=int, help="OMP_NUM_THREADS of the single-process run (default: torch's)")
    parser.add_argument("extra", nargs="*", help="more `hub train` arguments (after --)")
    args = parser.parse_args()
    header = ["processes", "epochs", "best top1", "last top1", "epoch >= 97%", "s to 97%", "wall s", "CPU s"]
    rows = [[*header, "run folders"]]
    for count in args.processes:
        with tempfile.TemporaryDirectory() as folder:
            rows.append(run(count, Path(folder), args.extra, args.threads))
        print(table(rows), flush=True)
        print()


if __name__ == "__main__":
    main()
