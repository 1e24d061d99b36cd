"""GPU inference: `hub benchmark --device cuda --amp bfloat16 --channels-last` next to timm's models, one table.

Runs on a machine with torch, timm and a CUDA GPU where hub itself may not be installed:
it then runs this checkout from its source folders (nothing is built or downloaded; the
plugins' entry points are written as distribution records under /tmp). For each model it times, in one process each and with the same settings
(warm-up, then the median of synchronised steps):

- hub: `hub benchmark MODEL --device cuda --amp bfloat16 --channels-last` (the command);
- hub + optimize: the same with `--optimize` (BatchNorm folded, channels-last);
- timm: `timm.create_model(MODEL)` in eval mode, channels-last, under the same autocast.

    python benchmarks/inference_gpu.py                      # on the GPU machine: about 2 minutes
    python benchmarks/inference_gpu.py --device cpu --models resnet50 -b 2 --iterations 2   # a dry check
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODELS = ["resnet50", "efficientnet_b0", "vit_small_patch16_224", "convnext_tiny"]
SITE = Path("/tmp/hub-inference-gpu-site")  # the checkout's distribution records, when hub is not installed


def ensure_hub() -> None:
    """Re-run this script with this checkout importable, unless hub and its plugins are installed here.

    Nothing is built or downloaded: the source folders go on ``PYTHONPATH``, and a folder of
    ``.dist-info`` records (name, version, entry points, read from each ``pyproject.toml``)
    lets the plugins be found by their entry points, as an installed copy is.
    """
    try:
        import hub  # noqa: F401
        import hub_resnet  # noqa: F401
    except ImportError:
        pass
    else:
        return
    if os.environ.get("HUB_BENCH_REEXEC"):
        sys.exit("hub is still not importable with this checkout on PYTHONPATH")
    try:
        import tomllib
    except ImportError:  # Python 3.10: pip's own copy of the same parser
        from pip._vendor import tomli as tomllib
    SITE.mkdir(parents=True, exist_ok=True)
    paths = [str(SITE), str(ROOT / "core"), str(ROOT / "cli")]
    for folder in [ROOT, *sorted((ROOT / "plugins").glob("hub-*"))]:
        project = tomllib.loads((folder / "pyproject.toml").read_text())["project"]
        version = project.get("version", "0+checkout")
        record = SITE / f"{project['name'].replace('-', '_')}-{version}.dist-info"
        record.mkdir(exist_ok=True)
        (record / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {version}\n")
        groups = dict(project.get("entry-points", {}), console_scripts=project.get("scripts", {}))
        (record / "entry_points.txt").write_text(
            "".join(f"[{g}]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items()) for g, eps in groups.items() if eps)
        )
        if folder != ROOT:
            paths.append(str(folder))
    pythonpath = os.pathsep.join([*paths, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env = {**os.environ, "PYTHONPATH": pythonpath, "HUB_BENCH_REEXEC": "1"}
    os.execve(sys.executable, [sys.executable, *sys.argv], env)


def hub_rows(args: argparse.Namespace, optimize: bool) -> dict[str, dict]:
    """`hub benchmark` of every model in one command, as the user would run it; rows by model."""
    command = [sys.executable, "-c", "from hub_cli.main import main; main()", "benchmark", *args.models]
    command += ["--device", args.device]
    command += ["--amp", args.amp, "--channels-last", "-b", str(args.batch_size), "--json"]
    command += ["--warmup", str(args.warmup), "--iterations", str(args.iterations)]
    command += ["--optimize"] if optimize else []
    done = subprocess.run(command, capture_output=True, text=True)
    if not done.stdout.strip():
        sys.exit(f"hub benchmark gave no rows:\n{done.stderr}")
    return {row["model"]: row for row in json.loads(done.stdout)}


def timm_images_per_second(name: str, args: argparse.Namespace) -> float | str:
    """timm's eval model under the same settings; the error's first line when it fails."""
    import timm
    import torch

    device = torch.device(args.device)
    try:
        model = timm.create_model(name).to(device).eval().to(memory_format=torch.channels_last)
        size = model.pretrained_cfg["input_size"]
        x = torch.randn(args.batch_size, *size, device=device).contiguous(memory_format=torch.channels_last)
        dtype = {"bfloat16": torch.bfloat16, "float16": torch.float16}[args.amp]
        times = []
        with torch.inference_mode(), torch.autocast(device.type, dtype=dtype):
            for step in range(args.warmup + args.iterations):
                if device.type == "cuda":
                    torch.cuda.synchronize()
                start = time.perf_counter()
                model(x)
                if device.type == "cuda":
                    torch.cuda.synchronize()
                if step >= args.warmup:
                    times.append(time.perf_counter() - start)
        del model
        if device.type == "cuda":
            torch.cuda.empty_cache()
        return args.batch_size / statistics.median(times)
    except Exception as exc:  # reported in the table; the other models go on
        return f"failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=MODELS)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--amp", default="bfloat16", choices=["bfloat16", "float16"])
    parser.add_argument("-b", "--batch-size", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=40)
    args = parser.parse_args()
    ensure_hub()
    import torch

    started = time.perf_counter()
    plain, optimized = hub_rows(args, optimize=False), hub_rows(args, optimize=True)
    header = [
        "model",
        "hub img/s",
        "hub+optimize img/s",
        "timm img/s",
        "hub / timm",
        "hub+opt / timm",
        "hub ms",
        "GMACs",
    ]
    rows = [header]
    for name in args.models:
        ours, fast, reference = plain.get(name, {}), optimized.get(name, {}), timm_images_per_second(name, args)
        cells = [name]
        for row in (ours, fast):
            cells.append(
                f"{row['images_per_second']:.1f}" if row.get("images_per_second") else f"failed: {row.get('error')}"
            )
        cells.append(f"{reference:.1f}" if isinstance(reference, float) else reference)
        for row in (ours, fast):
            both = isinstance(reference, float) and row.get("images_per_second")
            cells.append(f"{row['images_per_second'] / reference:.3f}" if both else "-")
        cells.append(f"{ours['ms_per_batch']:.2f}" if ours.get("ms_per_batch") else "-")
        cells.append(f"{ours['gmacs']:.2f}" if ours.get("gmacs") else "-")
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    device = torch.cuda.get_device_name() if args.device.startswith("cuda") else "cpu"
    print(f"{device}, torch {torch.__version__}, batch {args.batch_size}, {args.amp} autocast, channels-last")
    for row in rows:
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
