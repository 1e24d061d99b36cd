"""hub's conformance kit over a stratified sample of timm architectures bridged by hub-timm.

The sample: for each timm module, its smallest architectures by parameter count (counted
on the meta device through ``hub.create_model``, among the few whose names say they are
small: ``test_``, ``atto``, ``nano``, ``tiny``, ``small``, ``18``, ``b0``, ...) and at most
``--max-params``, one per module, then a second one per module, largest modules first,
until ``--total`` are picked. Every check of ``hub.testing`` then runs on every sampled
architecture (as ``hub-timm:NAME``) in ``--jobs`` worker processes. The table lists the
failures by architecture and check; the JSON report (``--report``) has the sample, every
result and the error messages, and is written as results come, so ``--resume`` carries on
an interrupted run.

    python benchmarks/bridge_conformance.py --total 84 --jobs 2 --report conformance.json
    python benchmarks/bridge_conformance.py --report conformance.json --resume
    python benchmarks/bridge_conformance.py --archs test_vit levit_128s --jobs 1
"""

from __future__ import annotations

import argparse
import json
import re
import time
import warnings
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from _common import table

PLUGIN = "hub-timm"
# Words in timm's names that mark small variants, most telling first.
SMALL_WORDS = [
    "test", "atto", "femto", "pico", "nano", "xxs", "xxsmall", "xx_small", "zepto", "tiny", "xs", "xsmall",
    "mini", "small", "lite0", "b0", "s0", "t0", "t8", "050", "18", "24", "26", "cs2", "s", "t", "b",
]  # fmt: skip
CANDIDATES_PER_MODULE = 3


def _smallness(name: str) -> tuple[int, int, str]:
    tokens = set(name.split("_")) | set(re.findall(r"[a-z]+|\d+", name))
    rank = min((i for i, word in enumerate(SMALL_WORDS) if word in tokens), default=len(SMALL_WORDS))
    return rank, len(name), name


def parameter_count(name: str) -> int | None:
    """Parameters of ``hub-timm:NAME`` built on the meta device; None when it does not build."""
    import torch

    import hub

    try:
        with torch.device("meta"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = hub.create_model(f"{PLUGIN}:{name}")
    except Exception:
        return None
    return sum(p.numel() for p in model.parameters())


def stratified_sample(total: int, max_params: float) -> dict[str, list[tuple[str, int]]]:
    """Per timm module, its smallest architectures that build, in the order they are picked."""
    from hub_timm._index import get_index

    by_module: dict[str, list[str]] = defaultdict(list)
    for arch in get_index().archs.values():
        by_module[arch.module].append(arch.name)
    sized: dict[str, list[tuple[str, int]]] = {}
    for module, names in sorted(by_module.items()):
        candidates = sorted(names, key=_smallness)[:CANDIDATES_PER_MODULE]
        counted = [(n, c) for n in candidates if (c := parameter_count(n)) is not None and c <= max_params]
        sized[module] = sorted(counted, key=lambda item: item[1])
    picked: dict[str, list[tuple[str, int]]] = {m: s[:1] for m, s in sized.items() if s}
    for module in sorted(sized, key=lambda m: -len(by_module[m])):  # then a second one, largest modules first
        if sum(len(p) for p in picked.values()) >= total:
            break
        if len(sized[module]) > 1:
            picked[module].append(sized[module][1])
    return picked


def run_checks(name: str) -> dict[str, str | None]:
    """Every conformance check on ``hub-timm:NAME``: check -> None when it passed, else the error."""
    import torch

    from hub.testing import CHECKS, run_check

    torch.set_num_threads(1)
    results: dict[str, str | None] = {}
    for check in CHECKS:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                run_check(f"{PLUGIN}:{name}", check)
            results[check] = None
        except Exception as exc:
            results[check] = f"{type(exc).__name__}: {exc}"[:600]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--total", type=int, default=84, help="architectures in the sample (at least one per module)")
    parser.add_argument("--max-params", type=float, default=15e6, help="leave out larger architectures")
    parser.add_argument("--archs", nargs="*", help="check these architectures instead of a sample")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--report", type=Path, help="write the sample and every result as JSON here")
    parser.add_argument("--resume", action="store_true", help="take the sample and results from --report")
    args = parser.parse_args()

    start = time.perf_counter()
    report: dict = {"sample": {}, "results": {}}
    if args.resume and args.report and args.report.exists():
        report = json.loads(args.report.read_text())
    elif args.archs:
        report["sample"] = {"(given)": [(name, parameter_count(name) or 0) for name in args.archs]}
    else:
        report["sample"] = stratified_sample(args.total, args.max_params)
    sample: dict[str, list[list]] = report["sample"]
    results: dict[str, dict[str, str | None]] = report["results"]
    names = {name: module for module, picked in sample.items() for name, _ in picked}
    sizes = {name: size for picked in sample.values() for name, size in picked}
    print(f"sample: {len(names)} architectures from {len(sample)} timm modules ({time.perf_counter() - start:.0f} s)")

    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(run_checks, name): name for name in names if name not in results}
        for done, future in enumerate(as_completed(futures), 1):
            results[futures[future]] = future.result()
            failed = [check for check, error in results[futures[future]].items() if error is not None]
            print(f"[{done}/{len(futures)}] {futures[future]}: {', '.join(failed) or 'ok'}", flush=True)
            if args.report:
                args.report.write_text(json.dumps(report, indent=2) + "\n")
    passed = [n for n, r in results.items() if all(v is None for v in r.values())]
    rows = [["architecture", "timm module", "params (M)", "failed checks"]]
    for name in sorted(results):
        failed = [check for check, error in results[name].items() if error is not None]
        if failed:
            rows.append([name, names[name], f"{sizes[name] / 1e6:.1f}", ", ".join(failed)])
    print(f"{len(passed)} of {len(results)} architectures pass every check ({time.perf_counter() - start:.0f} s)")
    if len(rows) > 1:
        print(table(rows))


if __name__ == "__main__":
    main()
