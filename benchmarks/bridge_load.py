"""Loading timm's architectures through hub-timm against timm itself: fresh processes, import included.

For each model a checkpoint is written once from timm's random initialisation (safetensors).
Then, alternating, fresh processes run

- hub:  ``import hub``; ``hub.create_model(NAME, pretrained=True, pretrained_cfg_overlay=dict(file=...))``
  (hub-timm's builder imports timm when the model is built);
- timm: ``import timm``; ``timm.create_model(`` the same arguments ``)``;
- hub, timm imported: as hub, with ``import timm`` done before the clock starts, to isolate
  the load itself and the memory its weights take.

Each process then reads every weight once (hub memory-maps the file, so pages load when
first used; a first forward pass would read them too). Reported, as medians:

- "process": wall time of the whole process, interpreter start and imports included, to the
  model ready with its weights read; the ratio timm / hub is the issue's "fresh processes,
  import included" figure;
- "load": the ``create_model`` call plus the read, both libraries already imported;
- "RSS+ / ckpt": how far the peak RSS rose during the load, over the checkpoint size (both
  libraries imported before the baseline).

    python benchmarks/bridge_load.py --runs 3
    python benchmarks/bridge_load.py regnety_160 --runs 5
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

from _common import PYTHON, median, table
from pretrained_load import make_checkpoint

MODELS = ["eva02_base_patch14_224.mim_in22k", "swin_base_patch4_window7_224", "regnety_160", "maxvit_tiny_tf_224"]

PROBE = """
import json, resource, sys, time
name, path, variant = sys.argv[1], sys.argv[2], sys.argv[3]
import torch
if variant == "timm":
    import timm as lib
else:
    import hub as lib
    lib.create_model, lib.list_models()  # start-up as complete as timm's import: factory and plugins
    if variant == "hub+timm":
        import timm
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
model = lib.create_model(name, pretrained=True, pretrained_cfg_overlay=dict(file=path))
with torch.no_grad():
    total = sum(float(t.sum()) for t in model.state_dict().values() if t.is_floating_point())
loaded = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"load": loaded, "rss_increase": (peak - baseline) * 1024, "provider": type(model).__module__}))
"""


def probe(variant: str, name: str, path: Path) -> dict[str, float | str]:
    start = time.perf_counter()
    result = subprocess.run(
        [PYTHON, "-W", "ignore", "-c", PROBE, name, str(path), variant], check=True, capture_output=True, text=True
    )
    record: dict[str, float | str] = json.loads(result.stdout.strip().splitlines()[-1])
    record["process"] = time.perf_counter() - start
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="*", default=MODELS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "hub-bench-checkpoints")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    rows = [[
        "model", "checkpoint", "hub process s", "timm process s", "timm/hub process",
        "hub load s", "timm load s", "timm/hub load", "hub RSS+/ckpt", "timm RSS+/ckpt",
    ]]  # fmt: skip
    for name in args.models:
        path = make_checkpoint(name, args.cache)
        size = path.stat().st_size
        runs: dict[str, list[dict[str, float | str]]] = {"hub": [], "timm": [], "hub+timm": []}
        for _ in range(args.runs):
            for variant, records in runs.items():
                records.append(probe(variant, name, path))
        assert all(str(r["provider"]).startswith("timm.") for r in runs["hub"]), "hub-timm must build these models"

        def mid(variant: str, key: str, runs: dict[str, list[dict[str, float | str]]] = runs) -> float:
            return median([float(r[key]) for r in runs[variant]])

        hub_p, timm_p = mid("hub", "process"), mid("timm", "process")
        hub_l, timm_l = mid("hub+timm", "load"), mid("timm", "load")
        rows.append([
            name, f"{size / 2**20:.0f} MiB", f"{hub_p:.2f}", f"{timm_p:.2f}", f"{timm_p / hub_p:.2f}x",
            f"{hub_l:.2f}", f"{timm_l:.2f}", f"{timm_l / hub_l:.1f}x",
            f"{mid('hub+timm', 'rss_increase') / size:.2f}", f"{mid('timm', 'rss_increase') / size:.2f}",
        ])  # fmt: skip
        print(table(rows), flush=True)
        print()


if __name__ == "__main__":
    main()
