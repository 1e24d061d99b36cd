"""The images of a run: an ImageFolder, a CSV of path,label rows, or the embedded digits; and their loaders.

Every source becomes a list of (image source, class index) samples with class names, checked
where it enters (missing or empty folders, classes that differ between train and val). Images
are decoded lazily; one that cannot be read comes back as a `BadImage` so that the training
loop can stop with its name, or count and skip it.

Augmentation is seeded per (epoch, sample), so a seeded run gives the same batches with any
number of loader workers, and a resumed run picks up the same randomness it would have had.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from PIL import Image, UnidentifiedImageError
from torch.utils.data import DataLoader, Dataset, DistributedSampler, Sampler
from torch.utils.data import default_collate as torch_collate

from hub_train.config import DataOptions
from hub_train.errors import DataError

__all__ = [
    "DIGITS_DEFAULTS",
    "Batch",
    "DataSplits",
    "ImageSamples",
    "load_splits",
    "make_eval_loader",
    "make_train_loader",
]

# What `--dataset digits` changes in the defaults: grey 32-px digits, no flips, mild crops, in-process loading.
DIGITS_DEFAULTS: dict[str, Any] = {"img_size": 32, "in_chans": 1, "hflip": 0.0, "scale": (0.5, 1.0), "workers": 0}
_DIGITS_VAL_SIZE = 360  # a fixed, stratified fifth of scikit-learn's 1,797 digits


@dataclass(frozen=True)
class ImageSamples:
    """Samples of one split: each an image path (or an in-memory PIL image) and a class index."""

    sources: Sequence[str | Image.Image | torch.Tensor]
    targets: Sequence[int]
    where: str  # the folder or file the samples came from, for messages


@dataclass(frozen=True)
class DataSplits:
    """The training and validation samples of a run, with the class names (index order)."""

    train: ImageSamples | None
    val: ImageSamples
    class_names: tuple[str, ...]
    defaults: dict[str, Any] = field(default_factory=dict)  # option values this data suggests


@dataclass(frozen=True)
class BadImage:
    """An image that could not be read: its path and why."""

    path: str
    reason: str


@dataclass
class Batch:
    """A collated batch; ``bad`` lists the images of the batch that could not be read."""

    images: torch.Tensor | None
    targets: torch.Tensor | None
    bad: list[BadImage]


def load_splits(options: DataOptions, *, need_train: bool = True, seed: int = 0) -> DataSplits:
    """The samples that ``options`` point at; a DataError that says what to fix otherwise."""
    if options.dataset == "digits":
        return _digits()
    if options.dataset == "synthetic":
        return _synthetic(options)
    if options.train_csv or options.val_csv:
        return _csv_splits(options, need_train)
    if options.data_dir is None:
        raise DataError("no images: pass --data-dir DIR (an image folder), --train-csv/--val-csv, or --dataset digits")
    return _folder_splits(Path(options.data_dir), options, need_train, seed)


def _folder_splits(root: Path, options: DataOptions, need_train: bool, seed: int) -> DataSplits:
    if not root.is_dir():
        raise DataError(f"the data folder {root} does not exist")
    if not any(root.iterdir()):
        raise DataError(f"the data folder {root} is empty; put the images in {root}/{options.train_split}/<class>/")
    val_dir = root / options.val_split
    if not need_train:  # validation only: DIR/<val-split>, or DIR itself when it holds the class folders
        return _single_folder(val_dir if val_dir.is_dir() else root)
    train_dir = root / options.train_split
    if not train_dir.is_dir():
        raise DataError(
            f"no training folder {train_dir}; the layout is {root}/{options.train_split}/<class>/<image> "
            f"(or set --train-split)"
        )
    train = _scan_folder(train_dir)
    if val_dir.is_dir() and options.val_fraction is None:
        val = _scan_folder(val_dir)
        _check_same_classes(train, val)
        return DataSplits(_samples(train), _samples(val), train.classes)
    if options.val_fraction is None:
        raise DataError(f"no validation folder {val_dir}; add it, set --val-split, or pass --val-fraction 0.2")
    kept, held = _stratified_split(train.targets, options.val_fraction, seed, str(train_dir))
    return DataSplits(_subset(train, kept), _subset(train, held), train.classes)


def _single_folder(folder: Path) -> DataSplits:
    scanned = _scan_folder(folder)
    return DataSplits(None, _samples(scanned), scanned.classes)


@dataclass(frozen=True)
class _Scanned:
    classes: tuple[str, ...]
    paths: list[str]
    targets: list[int]
    where: str


def _scan_folder(folder: Path) -> _Scanned:
    from torchvision.datasets import ImageFolder

    if not any(p.is_dir() for p in folder.iterdir()):
        raise DataError(f"{folder} has no class sub-folders; the layout is {folder}/<class>/<image>")
    try:
        found = ImageFolder(str(folder), loader=lambda path: path)  # only the listing: images open later
    except FileNotFoundError as exc:
        raise DataError(f"{folder}: {exc}") from None
    return _Scanned(tuple(found.classes), [p for p, _ in found.samples], list(found.targets), str(folder))


def _samples(scanned: _Scanned) -> ImageSamples:
    return ImageSamples(scanned.paths, scanned.targets, scanned.where)


def _subset(scanned: _Scanned, indices: Sequence[int]) -> ImageSamples:
    return ImageSamples([scanned.paths[i] for i in indices], [scanned.targets[i] for i in indices], scanned.where)


def _check_same_classes(train: _Scanned, val: _Scanned) -> None:
    if train.classes == val.classes:
        return
    only_train = sorted(set(train.classes) - set(val.classes))
    only_val = sorted(set(val.classes) - set(train.classes))
    raise DataError(
        f"the classes of {train.where} and {val.where} differ: only in training: {', '.join(only_train) or '-'}; "
        f"only in validation: {', '.join(only_val) or '-'}"
    )


def _stratified_split(targets: Sequence[int], fraction: float, seed: int, where: str) -> tuple[list[int], list[int]]:
    from sklearn.model_selection import train_test_split

    if fraction <= 0:
        raise DataError("--val-fraction must be > 0")
    try:
        kept, held = train_test_split(
            list(range(len(targets))), test_size=fraction, stratify=list(targets), random_state=seed
        )
    except ValueError as exc:
        raise DataError(f"cannot hold out {fraction:g} of {where} per class: {exc}") from None
    return sorted(kept), sorted(held)


def _csv_splits(options: DataOptions, need_train: bool) -> DataSplits:
    if need_train and not options.train_csv:
        raise DataError("training from CSV needs --train-csv (and --val-csv or --val-fraction)")
    val_rows: list[tuple[str, str]] | None = None
    if options.val_csv:
        val_rows = _read_csv(Path(options.val_csv), options.image_root)
    if not need_train:
        if val_rows is None:
            raise DataError("validation from CSV needs --val-csv")
        names = _class_names([label for _, label in val_rows])
        return DataSplits(None, _csv_samples(val_rows, names, options.val_csv or ""), names)
    assert options.train_csv is not None
    train_rows = _read_csv(Path(options.train_csv), options.image_root)
    names = _class_names([label for _, label in train_rows])
    train = _csv_samples(train_rows, names, options.train_csv)
    if val_rows is not None:
        unknown = sorted({label for _, label in val_rows} - set(names))
        if unknown:
            raise DataError(
                f"the classes of {options.train_csv} and {options.val_csv} differ: only in validation: {', '.join(unknown)}"
            )
        return DataSplits(train, _csv_samples(val_rows, names, options.val_csv or ""), names)
    if options.val_fraction is None:
        raise DataError("pass --val-csv, or --val-fraction 0.2 to hold out part of the training rows")
    kept, held = _stratified_split(train.targets, options.val_fraction, 0, options.train_csv)
    pick = lambda indices: ImageSamples(  # noqa: E731
        [train.sources[i] for i in indices], [train.targets[i] for i in indices], train.where
    )
    return DataSplits(pick(kept), pick(held), names)


def _read_csv(path: Path, image_root: str | None) -> list[tuple[str, str]]:
    """(image path, label) rows after the header; paths relative to ``image_root`` or the CSV's folder."""
    if not path.is_file():
        raise DataError(f"the CSV file {path} does not exist")
    root = Path(image_root) if image_root else path.parent
    rows: list[tuple[str, str]] = []
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or len(header) < 2:
            raise DataError(f"{path} needs a header row, then path,label rows")
        for number, row in enumerate(reader, start=2):
            if not row:
                continue
            if len(row) < 2 or not row[0].strip() or not row[1].strip():
                raise DataError(f"{path}, line {number}: expected path,label, got {','.join(row)!r}")
            rows.append((str(root / row[0].strip()), row[1].strip()))
    if not rows:
        raise DataError(f"{path} has no rows after its header")
    return rows


def _class_names(labels: Sequence[str]) -> tuple[str, ...]:
    unique = set(labels)
    if all(label.lstrip("-").isdigit() for label in unique):  # numeric labels in numeric order: 2 before 10
        return tuple(sorted(unique, key=int))
    return tuple(sorted(unique))


def _csv_samples(rows: Sequence[tuple[str, str]], names: Sequence[str], where: str) -> ImageSamples:
    index = {name: i for i, name in enumerate(names)}
    return ImageSamples([p for p, _ in rows], [index[label] for _, label in rows], where)


def _digits() -> DataSplits:
    """scikit-learn's bundled 8x8 digits (1,797 images, 10 classes) as grey PIL images, in a fixed split."""
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    pixels = np.round(digits.images * (255 / 16)).astype(np.uint8)  # 17 grey levels to 0-255
    images = [Image.fromarray(p, mode="L") for p in pixels]
    targets = [int(t) for t in digits.target]
    kept, held = train_test_split(
        list(range(len(targets))), test_size=_DIGITS_VAL_SIZE, stratify=targets, random_state=0
    )
    pick = lambda indices: ImageSamples([images[i] for i in indices], [targets[i] for i in indices], "digits")  # noqa: E731
    return DataSplits(pick(sorted(kept)), pick(sorted(held)), tuple(str(d) for d in range(10)), dict(DIGITS_DEFAULTS))


_SYNTHETIC_SIZES = (512, 128)  # training and validation images


def _synthetic(options: DataOptions) -> DataSplits:
    """Random model-ready tensors (no decoding, no transform), to measure the training loop's own speed.

    They take ``--img-size`` (default 224), ``--in-chans`` (default 3) and ``--num-classes`` (default 10).
    """
    size, channels, classes = options.img_size or 224, options.in_chans or 3, options.num_classes or 10
    generator = torch.Generator().manual_seed(0)
    splits = []
    for count in _SYNTHETIC_SIZES:
        images = torch.randn(count, channels, size, size, generator=generator)
        targets = torch.randint(0, classes, (count,), generator=generator).tolist()
        splits.append(ImageSamples(list(images), targets, "synthetic"))
    names = tuple(str(c) for c in range(classes))
    return DataSplits(splits[0], splits[1], names, {"img_size": size, "in_chans": channels, "workers": 0})


class TransformedSamples(Dataset):
    """Samples opened and transformed on access, with augmentation seeded by (seed, epoch, index).

    Items are requested as ``(epoch, index)``. An unreadable image gives a `BadImage`.
    """

    def __init__(self, samples: ImageSamples, transform: Callable[[Any], torch.Tensor], *, seed: int | None) -> None:
        self.samples = samples
        self.transform = transform
        self.seed = seed

    def __len__(self) -> int:
        return len(self.samples.targets)

    def __getitem__(self, key: tuple[int, int]) -> tuple[torch.Tensor, int] | BadImage:
        epoch, index = key
        source = self.samples.sources[index]
        if isinstance(source, torch.Tensor):  # synthetic data: already the model's input, nothing to transform
            return source, self.samples.targets[index]
        try:
            image = _open_image(source)
        except (OSError, UnidentifiedImageError, ValueError, SyntaxError) as exc:
            return BadImage(str(source), str(exc) or type(exc).__name__)
        target = self.samples.targets[index]
        if self.seed is None:
            return self.transform(image), target
        with torch.random.fork_rng(devices=[]):  # the caller's random stream stays untouched
            torch.manual_seed((self.seed * 1_000_003 + epoch) * 10_000_019 + index)
            return self.transform(image), target


def _open_image(source: str | Image.Image | torch.Tensor) -> Image.Image:
    if isinstance(source, Image.Image):
        return source
    assert isinstance(source, str)
    with Image.open(source) as image:
        image.load()  # decode now: a truncated or corrupt file fails here, not inside a transform
        return image.copy()  # the file closes here; the transform gives it the model's channels


class EpochSampler(Sampler):
    """Yields ``(epoch, index)``: a sampler's indices tagged with the epoch, from a start offset."""

    def __init__(self, sampler: Sampler[int] | Sequence[int]) -> None:
        self.sampler = sampler
        self.epoch = 0
        self.skip = 0

    def set_epoch(self, epoch: int, *, skip: int = 0) -> None:
        """Start ``epoch``, leaving out its first ``skip`` samples (already trained on before a resume)."""
        self.epoch = epoch
        self.skip = skip
        if isinstance(self.sampler, DistributedSampler):
            self.sampler.set_epoch(epoch)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return ((self.epoch, int(i)) for i in itertools.islice(iter(self.sampler), self.skip, None))

    def __len__(self) -> int:
        return len(self.sampler) - self.skip  # type: ignore[arg-type]


def collate(items: list[tuple[torch.Tensor, int] | BadImage]) -> Batch:
    """Stack the readable samples; list the unreadable ones."""
    bad = [item for item in items if isinstance(item, BadImage)]
    good = [item for item in items if not isinstance(item, BadImage)]
    if not good:
        return Batch(None, None, bad)
    images, targets = torch_collate(good)
    return Batch(images, targets, bad)


def make_train_loader(
    samples: ImageSamples,
    transform: Callable[[Any], torch.Tensor],
    *,
    batch_size: int,
    workers: int,
    pin_memory: bool,
    seed: int,
    rank: int = 0,
    world_size: int = 1,
) -> tuple[DataLoader, EpochSampler]:
    """A shuffling loader (a fresh order each epoch, split across processes) that drops the last partial batch."""
    dataset = TransformedSamples(samples, transform, seed=seed)
    order: DistributedSampler = DistributedSampler(
        dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed, drop_last=True
    )
    sampler = EpochSampler(order)
    return _loader(dataset, sampler, batch_size, workers, pin_memory, drop_last=True, seed=seed), sampler


def make_eval_loader(
    samples: ImageSamples,
    transform: Callable[[Any], torch.Tensor],
    *,
    batch_size: int,
    workers: int,
    pin_memory: bool,
    rank: int = 0,
    world_size: int = 1,
) -> DataLoader:
    """A loader over this process's share of the samples (every ``world_size``-th), each seen once."""
    dataset = TransformedSamples(samples, transform, seed=None)
    sampler = EpochSampler(range(rank, len(dataset), world_size))
    return _loader(dataset, sampler, batch_size, workers, pin_memory, drop_last=False, seed=0)


def _loader(
    dataset: TransformedSamples,
    sampler: EpochSampler,
    batch_size: int,
    workers: int,
    pin_memory: bool,
    *,
    drop_last: bool,
    seed: int,
) -> DataLoader:
    return DataLoader(
        dataset,
        batch_size=batch_size,
        sampler=sampler,
        num_workers=workers,
        pin_memory=pin_memory,
        persistent_workers=workers > 0,
        drop_last=drop_last,
        collate_fn=collate,
        generator=torch.Generator().manual_seed(seed),  # worker seeds must not consume the global random stream
    )
