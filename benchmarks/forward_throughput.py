"""Eval-mode forward throughput on the CPU: hub's model against timm's of the same name, same weights.

Both models run in this process, alternately, so they see the same machine state, and
the one that goes first changes every round (a shared machine drifts, and whichever runs
second in a pair would otherwise meet a different cache and clock). The table gives the
median images per second of each over the rounds and the median of the per-round ratios
hub / timm (the targets ask for at least 0.95).

    python benchmarks/forward_throughput.py efficientnet_b0 mobilenetv3_large_100 tf_efficientnetv2_s
    python benchmarks/forward_throughput.py vit_small_patch16_224 vit_base_patch16_224 convnext_tiny
"""

from __future__ import annotations

import argparse
import time

import timm
import torch
from _common import median, paired_ratio, table

import hub


def images_per_second(model: torch.nn.Module, x: torch.Tensor, iterations: int) -> float:
    with torch.inference_mode():
        start = time.perf_counter()
        for _ in range(iterations):
            model(x)
        return iterations * x.shape[0] / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("models", nargs="+")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--iterations", type=int, default=3)
    args = parser.parse_args()
    rows = [["model", "input", "hub img/s", "timm img/s", "hub / timm"]]
    for name in args.models:
        reference = timm.create_model(name).eval()
        ours = hub.create_model(name).eval()
        ours.load_state_dict(reference.state_dict())
        size = hub.get_pretrained_cfg(name).input_size
        x = torch.randn(args.batch, *size)
        for model in (ours, reference):  # warm-up: allocator, kernels, caches
            images_per_second(model, x, 2)
        hub_rates, timm_rates = [], []
        for round_index in range(args.rounds):
            if round_index % 2:
                timm_rates.append(images_per_second(reference, x, args.iterations))
                hub_rates.append(images_per_second(ours, x, args.iterations))
            else:
                hub_rates.append(images_per_second(ours, x, args.iterations))
                timm_rates.append(images_per_second(reference, x, args.iterations))
        ratio = paired_ratio(hub_rates, timm_rates)
        h, t = median(hub_rates), median(timm_rates)
        rows.append([name, "x".join(map(str, size)), f"{h:.1f}", f"{t:.1f}", f"{ratio:.3f}"])
        print(table(rows), flush=True)
        print()


if __name__ == "__main__":
    main()
