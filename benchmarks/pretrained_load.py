"""`create_model(name, pretrained=True)` from a local safetensors file: hub against timm, side by side.

For each model a checkpoint is made once (timm's random initialisation, saved with
safetensors). Then, alternating hub and timm, a fresh process imports the library,
records its peak RSS (the baseline), loads the model with
``pretrained_cfg_overlay=dict(file=...)`` and reports the wall time of that call and how
far the peak RSS rose above the baseline. hub memory-maps safetensors files, so their pages
are read only when used: to compare like with like, both models then read every weight once
(as a first forward pass would), and the peak RSS is taken after that; "+read" is the time of
the call and that read together. Ratios: timm time / hub time (higher is better for hub) and
peak RSS increase / checkpoint size.

    python benchmarks/pretrained_load.py resnet50 vit_large_patch16_384 convnext_xlarge --runs 3
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path

from _common import PYTHON, median, table

PROBE = """
import json, resource, sys, time
import torch
import {lib}
name, path = sys.argv[1], sys.argv[2]
if "{lib}" == "hub":
    # start-up as complete as timm's import: the factory module and plugin discovery
    hub.create_model, hub.list_models()
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
model = {lib}.create_model(name, pretrained=True, pretrained_cfg_overlay=dict(file=path))
elapsed = time.perf_counter() - start
with torch.no_grad():
    total = sum(float(t.sum()) for t in model.state_dict().values() if t.is_floating_point())
with_read = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": elapsed, "with_read": with_read, "rss_increase": (peak - baseline) * 1024}}))
"""


def make_checkpoint(name: str, folder: Path) -> Path:
    path = folder / f"{name}.safetensors"
    if not path.exists():
        code = (
            "import sys, timm, safetensors.torch\n"
            "m = timm.create_model(sys.argv[1])\n"
            "safetensors.torch.save_file({k: v.contiguous() for k, v in m.state_dict().items()}, sys.argv[2])"
        )
        subprocess.run([PYTHON, "-c", code, name, str(path)], check=True)
    return path


def probe(lib: str, name: str, path: Path) -> dict[str, float]:
    result = subprocess.run(
        [PYTHON, "-W", "ignore", "-c", PROBE.format(lib=lib), name, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("models", nargs="*", default=["resnet50", "vit_large_patch16_384", "convnext_xlarge"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "hub-bench-checkpoints")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    rows = [[
        "model", "checkpoint", "hub s", "timm s", "timm/hub", "hub s +read", "timm s +read", "timm/hub +read",
        "hub RSS+", "timm RSS+", "hub RSS+/ckpt", "timm RSS+/ckpt",
    ]]  # fmt: skip
    for name in args.models:
        path = make_checkpoint(name, args.cache)
        size = path.stat().st_size
        ours, theirs = [], []
        for _ in range(args.runs):
            ours.append(probe("hub", name, path))
            theirs.append(probe("timm", name, path))
        hub_s, timm_s = median([r["seconds"] for r in ours]), median([r["seconds"] for r in theirs])
        hub_r, timm_r = median([r["with_read"] for r in ours]), median([r["with_read"] for r in theirs])
        hub_rss, timm_rss = median([r["rss_increase"] for r in ours]), median([r["rss_increase"] for r in theirs])
        rows.append([
            name, f"{size / 2**20:.0f} MiB", f"{hub_s:.2f}", f"{timm_s:.2f}", f"{timm_s / hub_s:.1f}x",
            f"{hub_r:.2f}", f"{timm_r:.2f}", f"{timm_r / hub_r:.1f}x",
            f"{hub_rss / 2**20:.0f} MiB", f"{timm_rss / 2**20:.0f} MiB", f"{hub_rss / size:.2f}", f"{timm_rss / size:.2f}",
        ])  # fmt: skip
        print(table(rows), flush=True)
        print()


if __name__ == "__main__":
    main()
