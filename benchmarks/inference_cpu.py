"""CPU inference: `hub.optimize(model)` against timm's eval model and onnxruntime, same weights, same input.

For each model, in one process: timm's model in eval mode (the reference), hub's model with
timm's weights loaded, `hub.optimize` of it, and onnxruntime running the file that
`hub export --format onnx` writes of the same model. They run alternately, round after
round, so that all see the same machine, and the order turns every round (on a shared
machine the one that runs first in a round would otherwise meet other caches and clocks
than the one that runs last). The table gives the median images per second and the
medians of the per-round ratios hub.optimize / timm (targets: 1.25x for resnet50 and
efficientnet_b0, 1.0x for vit_small_patch16_224 and convnext_tiny) and hub.optimize /
onnxruntime. The largest difference between hub.optimize's outputs and timm's is shown too.

    python benchmarks/inference_cpu.py                    # the four models, 2 threads, batch 8
    python benchmarks/inference_cpu.py resnet50 --rounds 9 --iterations 3
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import onnxruntime
import timm
import torch
from _common import median, paired_ratio, table

import hub

MODELS = ["resnet50", "efficientnet_b0", "vit_small_patch16_224", "convnext_tiny"]


def rate(run: Callable[[], object], batch: int, iterations: int) -> float:
    start = time.perf_counter()
    for _ in range(iterations):
        run()
    return iterations * batch / (time.perf_counter() - start)


def onnx_runner(model: torch.nn.Module, x: torch.Tensor, folder: Path, threads: int) -> Callable[[], object]:
    """onnxruntime on the file hub.export_model writes (what `hub export --format onnx` does), on ``x``."""
    path = folder / "model.onnx"
    hub.export_model(model, path, format="onnx", dynamic_batch=True)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = threads, 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    feed = {session.get_inputs()[0].name: np.ascontiguousarray(x.numpy())}
    return lambda: session.run(None, feed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="*", default=MODELS)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--iterations", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    load = os.getloadavg()[0]
    header = ["model", "timm img/s", "hub img/s", "optimize img/s", "ort img/s", "opt / timm", "opt / ort"]
    rows = [[*header, "layout", "folded", "oneDNN linears", "max diff"]]
    for name in args.models:
        torch.manual_seed(0)
        reference = timm.create_model(name).eval()
        ours = hub.create_model(name).eval()
        ours.load_state_dict(reference.state_dict())
        x = torch.randn(args.batch, *hub.get_pretrained_cfg(name).input_size)
        optimized = hub.optimize(ours, sample=x)
        report = optimized.hub_optimize_report
        x_fast = x.contiguous(memory_format=torch.channels_last) if report.channels_last else x
        with tempfile.TemporaryDirectory() as folder, torch.inference_mode():
            runners = {
                "timm": partial(reference, x),
                "hub": partial(ours, x),
                "optimize": partial(optimized, x_fast),
                "ort": onnx_runner(ours, x, Path(folder), args.threads),
            }
            diff = float((optimized(x_fast) - reference(x)).abs().max())
            for run in runners.values():  # warm-up: allocator, kernel choice, caches
                rate(run, args.batch, 2)
            rates: dict[str, list[float]] = {key: [] for key in runners}
            order = list(runners)
            for round_index in range(args.rounds):
                turn = round_index % len(order)
                for key in order[turn:] + order[:turn]:
                    rates[key].append(rate(runners[key], args.batch, args.iterations))
        m = {key: median(values) for key, values in rates.items()}
        rows.append(
            [
                name,
                *(f"{m[key]:.1f}" for key in runners),
                f"{paired_ratio(rates['optimize'], rates['timm']):.3f}",
                f"{paired_ratio(rates['optimize'], rates['ort']):.3f}",
                "channels-last" if report.channels_last else "contiguous",
                str(len(report.folded)),
                str(len(report.onednn_linears)),
                f"{diff:.1e}",
            ]
        )
        print(table(rows), flush=True)
        print()
    print(
        f"batch {args.batch}, {args.threads} threads, torch {torch.__version__}, onnxruntime {onnxruntime.__version__}"
    )
    print(f"load average before: {load:.2f}, after: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
