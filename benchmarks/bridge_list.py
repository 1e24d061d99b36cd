"""`hub list` with hub-timm installed: warm and first-ever, against timm's own listing, as cold processes.

- warm: ``hub list`` (every name) and ``hub list --pretrained`` (every tag) with hub-timm's
  index cached, against ``python -c "import timm; timm.list_models()"`` (and ``pretrained=True``);
  runs alternate so that both see the same machine;
- first ever: ``hub list`` with an empty cache folder (``HUB_CACHE``), so hub-timm indexes timm
  in a subprocess first;
- counts: the names and tags hub lists against timm's, each listed once.

Medians; "user+sys" is the CPU time of the process and its children, a figure that a busy
machine inflates less than wall time.

    python benchmarks/bridge_list.py --runs 11
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import tempfile
import time
from pathlib import Path

from _common import PYTHON, cached_bytecode_env, median, table

HUB = str(Path(PYTHON).with_name("hub"))


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the children, stdout) of one cold run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, check=True, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--first-runs", type=int, default=3)
    args = parser.parse_args()
    env = cached_bytecode_env()
    cases = {
        "hub list": ([HUB, "list"], [PYTHON, "-c", "import timm; print(len(timm.list_models()))"]),
        "hub list --pretrained": (
            [HUB, "list", "--pretrained"],
            [PYTHON, "-c", "import timm; print(len(timm.list_models(pretrained=True)))"],
        ),
    }
    rows = [["case", "hub s", "hub user+sys s", "timm s", "timm / hub", "hub lines", "timm count"]]
    for name, (ours, theirs) in cases.items():
        timed(ours, env), timed(theirs, env)  # build or warm the index, the file cache and bytecode
        hub_runs, timm_runs = [], []
        for _ in range(args.runs):
            hub_runs.append(timed(ours, env))
            timm_runs.append(timed(theirs, env))
        lines = hub_runs[0][2].split()
        assert len(lines) == len(set(lines)), "a name listed twice"
        h, t = median([r[0] for r in hub_runs]), median([r[0] for r in timm_runs])
        cpu = median([r[1] for r in hub_runs])
        rows.append(
            [name, f"{h:.3f}", f"{cpu:.3f}", f"{t:.3f}", f"{t / h:.0f}x", str(len(lines)), timm_runs[0][2].strip()]
        )
    first = []
    for _ in range(args.first_runs):
        with tempfile.TemporaryDirectory() as cache:
            first.append(timed([HUB, "list"], {**env, "HUB_CACHE": cache}))
    rows.append(["hub list, first ever", f"{median([r[0] for r in first]):.2f}", f"{median([r[1] for r in first]):.2f}", "", "", str(len(first[0][2].split())), ""])  # fmt: skip
    print(table(rows))


if __name__ == "__main__":
    main()
