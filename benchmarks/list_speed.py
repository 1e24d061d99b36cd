"""`hub list '*resnet*'` against timm's list_models, and `import hub` against `import timm`, as cold processes.

Runs alternate between hub and timm so that both see the same machine state; the table
gives medians and the ratio timm / hub (higher is better for hub).

    python benchmarks/list_speed.py --runs 15
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _common import PYTHON, cached_bytecode_env, median, table, time_process

HUB = str(Path(PYTHON).with_name("hub"))

CASES = {
    "list '*resnet*'": (
        [HUB, "list", "*resnet*"],
        [PYTHON, "-c", "import timm; timm.list_models('*resnet*')"],
    ),
    "import": (
        [PYTHON, "-c", "import hub"],
        [PYTHON, "-c", "import timm"],
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    env = cached_bytecode_env()
    rows = [["case", "hub median (s)", "timm median (s)", "timm / hub"]]
    for name, (ours, theirs) in CASES.items():
        time_process(ours, env), time_process(theirs, env)  # warm the file cache and bytecode
        hub_times, timm_times = [], []
        for _ in range(args.runs):
            hub_times.append(time_process(ours, env))
            timm_times.append(time_process(theirs, env))
        h, t = median(hub_times), median(timm_times)
        rows.append([name, f"{h:.3f}", f"{t:.3f}", f"{t / h:.1f}x"])
    print(table(rows))


if __name__ == "__main__":
    main()
