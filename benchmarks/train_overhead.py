"""Overhead of the training harness: `hub_train.train` against a plain hand-written PyTorch loop.

Same model (``hub.create_model``), batch, optimizer (AdamW, lr 1e-3), loss (cross-entropy with
label smoothing 0.1) and data: the ``synthetic`` dataset's in-memory tensors, so that image
decoding does not hide the loop's own cost. The harness runs with no augmentation, no EMA and
no warmup. Both run in this process and alternate epoch by epoch (the hand-written epoch runs
in the harness's end-of-epoch callback), so both see the same machine; each side's figure is
the median training images/s of its epochs after the first (warm-up). The harness's figure is
its own ``train_images_per_second`` (the training loop, without the evaluation and checkpoint
writing that follow each epoch). The ratio harness / hand-written should be at least 0.95.

    python benchmarks/train_overhead.py                                  # resnet18, 64 px, CPU
    python benchmarks/train_overhead.py --model resnet50 --img-size 224 --batch-size 64 \\
        --device cuda --amp --channels-last                              # the GPU figure
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import torch
from _common import median, table
from torch.utils.data import DataLoader, TensorDataset

import hub
from hub_train import TrainConfig, train
from hub_train.data import load_splits


def measure(args: argparse.Namespace, folder: Path, hand_epoch: Callable[[], float]) -> tuple[list[float], list[float]]:
    """Train with the harness; after each of its epochs run one hand-written epoch. Returns both sides' rates."""
    hand: list[float] = []
    config = TrainConfig(
        model=args.model,
        dataset="synthetic",
        img_size=args.img_size,
        batch_size=args.batch_size,
        epochs=args.epochs,
        no_aug=True,
        warmup_epochs=0,
        checkpoint_hist=0,
        device=args.device,
        amp=args.amp,
        amp_dtype=args.amp_dtype,
        channels_last=args.channels_last,
        pin_mem=args.device.startswith("cuda"),
        output=str(folder / "harness"),
    )
    result = train(config, on_epoch_end=lambda row: hand.append(hand_epoch()))
    return [row.train_images_per_second for row in result.epochs[1:]], hand[1:]


def hand_written(args: argparse.Namespace, images: torch.Tensor, targets: torch.Tensor) -> Callable[[], float]:
    """The loop a user would write (DataLoader over tensors, autocast, AdamW): a function that runs one epoch."""
    device = torch.device(args.device)
    model = hub.create_model(args.model, num_classes=10).to(device)
    if args.channels_last:
        model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    dtype = {"float16": torch.float16, "bfloat16": torch.bfloat16}[args.amp_dtype]
    scaler = torch.amp.GradScaler(device.type) if args.amp and dtype == torch.float16 else None
    loader = DataLoader(
        TensorDataset(images, targets),
        batch_size=args.batch_size,
        shuffle=True,
        drop_last=True,
        pin_memory=device.type == "cuda",
    )

    def epoch() -> float:
        model.train()
        seen = 0
        start = time.perf_counter()
        for x, y in loader:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            if args.channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            autocast = torch.autocast(device.type, dtype=dtype) if args.amp else contextlib.nullcontext()
            with autocast:
                loss = torch.nn.functional.cross_entropy(model(x).float(), y, label_smoothing=0.1)
            if scaler is not None:
                scaler.scale(loss).backward()
                scaler.step(optimizer)
                scaler.update()
            else:
                loss.backward()
                optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            seen += len(x)
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        return seen / (time.perf_counter() - start)

    return epoch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="resnet18")
    parser.add_argument("--img-size", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=8, help="epochs of each side; the first is warm-up")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--amp", action="store_true")
    parser.add_argument("--amp-dtype", default="float16", choices=("float16", "bfloat16"))
    parser.add_argument("--channels-last", action="store_true")
    args = parser.parse_args()

    splits = load_splits(TrainConfig(model=args.model, dataset="synthetic", img_size=args.img_size))
    assert splits.train is not None
    images = torch.stack(list(splits.train.sources))  # type: ignore[arg-type]
    targets = torch.tensor(list(splits.train.targets))
    with tempfile.TemporaryDirectory() as folder:
        harness, hand = measure(args, Path(folder), hand_written(args, images, targets))
    print("harness epochs (img/s):     ", " ".join(f"{v:.1f}" for v in harness))
    print("hand-written epochs (img/s):", " ".join(f"{v:.1f}" for v in hand))
    h, r = median(harness), median(hand)
    setting = f"{args.model} {args.img_size}px b{args.batch_size} {args.device}"
    setting += f"{' amp ' + args.amp_dtype if args.amp else ''}{' channels-last' if args.channels_last else ''}"
    rows = [
        ["setting", "hub train img/s", "hand-written img/s", "ratio"],
        [setting, f"{h:.1f}", f"{r:.1f}", f"{h / r:.3f}"],
    ]
    print()
    print(table(rows))


if __name__ == "__main__":
    main()
