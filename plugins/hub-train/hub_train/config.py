"""`TrainConfig` and `ValidateConfig`: the typed records whose fields are the command-line flags. No torch.

Each field carries its flag (timm's name where timm has one), its help text and its valid
range, so the CLI, ``--config run.yaml`` files and Python callers are checked by the same
code, once, when the record is made. A field left as None is resolved when the run starts
(from the model, the data or the optimizer) and written to the run's ``config.yaml``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, Union

from hub.data import parse_augment_policy
from hub_train.errors import ConfigError

__all__ = [
    "DATASETS",
    "EVAL_METRICS",
    "OPTIMIZERS",
    "SCHEDULERS",
    "DataOptions",
    "TrainConfig",
    "ValidateConfig",
    "load_yaml",
    "save_yaml",
]

OPTIMIZERS = ("sgd", "momentum", "adamw", "adam", "rmsprop", "nadam", "radam")
SCHEDULERS = ("cosine", "step", "multistep", "plateau", "constant")
EVAL_METRICS = ("top1", "top5", "loss")
DATASETS = ("digits", "synthetic")
INTERPOLATIONS = ("bilinear", "bicubic", "nearest", "lanczos", "box", "hamming")

_Record = TypeVar("_Record", bound="DataOptions")


def option(
    default: Any,
    help: str,
    *,
    short: str | None = None,
    choices: tuple[str, ...] | None = None,
    low: float | None = None,
    high: float | None = None,
    cli: bool = True,
) -> Any:
    """A dataclass field that is also a flag: its help, short name, choices and range [low, high]."""
    metadata = {"help": help, "short": short, "choices": choices, "low": low, "high": high, "cli": cli}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default), metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass
class DataOptions:
    """Where the images are and how they reach the model; shared by training and validation."""

    data_dir: str | None = option(
        None, "Image folder: DATA_DIR/<train-split> and DATA_DIR/<val-split> hold one sub-folder per class."
    )
    dataset: str | None = option(
        None,
        "An embedded dataset instead of --data-dir: digits (scikit-learn's 8x8 digits, no download), or synthetic "
        "(random tensors in memory, to measure speed without a data-loading bottleneck).",
        choices=DATASETS,
    )
    train_split: str = option("train", "Sub-folder of --data-dir with the training images.")
    val_split: str = option("val", "Sub-folder of --data-dir with the validation images.")
    val_fraction: float | None = option(
        None,
        "Hold out this fraction of the training images (stratified) when there is no validation folder.",
        low=0.0,
        high=0.9,
    )
    train_csv: str | None = option(None, "CSV of path,label rows for training (Kaggle style).")
    val_csv: str | None = option(None, "CSV of path,label rows for validation.")
    image_root: str | None = option(None, "Folder that the CSV paths are relative to (default: the CSV's folder).")
    skip_bad_images: bool = option(False, "Count and skip unreadable images instead of stopping at the first.")
    num_classes: int | None = option(
        None, "Classes of the head (default: the data's; 1 = one-logit binary head).", low=1
    )
    in_chans: int | None = option(None, "Input channels of the model (default: the model's, 1 for digits).", low=1)
    img_size: int | None = option(None, "Input image size (default: the model's data config; 32 for digits).", low=8)
    interpolation: str | None = option(
        None, "Resize interpolation (default: the model's data config).", choices=INTERPOLATIONS
    )
    mean: tuple[float, ...] | None = option(None, "Normalisation mean, one value per channel (default: the model's).")
    std: tuple[float, ...] | None = option(None, "Normalisation std, one value per channel (default: the model's).")
    crop_pct: float | None = option(
        None, "Evaluation crop fraction (default: the model's data config).", low=0.05, high=1.0
    )
    batch_size: int = option(64, "Images per batch and process.", short="-b", low=1)
    workers: int | None = option(None, "Data loader worker processes (default: 2; 0 for digits).", short="-j", low=0)
    pin_mem: bool = option(False, "Pin loader memory (faster copies to a GPU).")
    amp: bool = option(False, "Mixed precision with torch.autocast.")
    amp_dtype: str = option(
        "float16", "Mixed-precision dtype (a GradScaler only for float16).", choices=("float16", "bfloat16")
    )
    channels_last: bool = option(False, "Use the channels-last memory format.")
    device: str | None = option(
        None, "Device: cpu, cuda, cuda:1 (default: cuda when available; under torchrun the local GPU)."
    )

    def __post_init__(self) -> None:
        _check_record(self)
        sources = [
            self.dataset is not None,
            self.data_dir is not None,
            self.train_csv is not None or self.val_csv is not None,
        ]
        if sum(sources) > 1:
            raise ConfigError("give one source of images: --dataset, --data-dir or --train-csv/--val-csv")

    @classmethod
    def from_mapping(cls: type[_Record], values: Mapping[str, Any], *, where: str = "config") -> _Record:
        """A record from a mapping of field names (dashes or underscores), checked like the flags."""
        names = {f.name for f in dataclasses.fields(cls)}
        normalised = {str(key).replace("-", "_"): value for key, value in values.items()}
        unknown = sorted(set(normalised) - names)
        if unknown:
            raise ConfigError(f"{where}: unknown option(s) {', '.join(unknown)}; run `hub train --help` for the flags")
        return cls(**normalised)

    def to_dict(self) -> dict[str, Any]:
        """Plain values (tuples as lists), ready for YAML or JSON."""
        return {
            key: list(value) if isinstance(value, tuple) else value for key, value in dataclasses.asdict(self).items()
        }


@dataclass
class TrainConfig(DataOptions):
    """Everything a training run needs; `hub train`'s flags are these fields."""

    model: str = option("", "Model name: arch, arch.tag, plugin:arch, hf-hub:org/repo or local-dir:PATH.")
    pretrained: bool = option(False, "Start from the model's pretrained weights (adapted to --in-chans/--num-classes).")
    initial_checkpoint: str | None = option(None, "Start from the weights of this checkpoint.")
    drop_path: float | None = option(None, "Stochastic depth rate.", low=0.0, high=0.99)
    epochs: int = option(10, "Epochs to train.", low=1)
    opt: str = option("adamw", "Optimizer.", choices=OPTIMIZERS)
    lr: float | None = option(
        None, "Learning rate (default: 1e-3 for the adam family and rmsprop, 0.05 for sgd).", low=0.0
    )
    weight_decay: float = option(
        0.05, "Weight decay (never on norms, biases and the model's no_weight_decay names).", low=0.0
    )
    momentum: float = option(0.9, "Momentum of sgd/momentum/rmsprop.", low=0.0, high=1.0)
    layer_decay: float | None = option(
        None, "Layer-wise learning-rate decay (0 < d <= 1) over the model's stages.", low=0.0, high=1.0
    )
    clip_grad: float | None = option(None, "Clip the gradient norm to this value.", low=0.0)
    sched: str = option("cosine", "Learning-rate schedule, stepped per update.", choices=SCHEDULERS)
    warmup_epochs: float = option(1.0, "Epochs of linear warmup from --warmup-lr.", low=0.0)
    warmup_lr: float = option(1e-5, "Learning rate at the start of the warmup.", low=0.0)
    min_lr: float = option(0.0, "Lowest learning rate of the cosine and plateau schedules.", low=0.0)
    decay_epochs: float = option(30.0, "Epochs between decays of the step schedule.", low=0.0)
    decay_milestones: tuple[int, ...] = option(
        (30, 60), "Epochs at which the multistep schedule decays (comma-separated)."
    )
    decay_rate: float = option(0.1, "Factor of each step/multistep/plateau decay.", low=0.0, high=1.0)
    patience_epochs: int = option(3, "Epochs without improvement before the plateau schedule decays.", low=0)
    grad_accum_steps: int = option(1, "Batches whose gradients are summed per update.", low=1)
    model_ema: bool = option(False, "Keep an exponential moving average of the weights, evaluated beside the model.")
    model_ema_decay: float = option(0.9998, "Decay of the weights' moving average.", low=0.0, high=1.0)
    no_aug: bool = option(False, "No training augmentation: resize only.")
    scale: tuple[float, float] | None = option(
        None, "RandomResizedCrop area range (default: 0.08 1.0; 0.5 1.0 for digits)."
    )
    ratio: tuple[float, float] = option((3 / 4, 4 / 3), "RandomResizedCrop aspect-ratio range.")
    hflip: float | None = option(None, "Horizontal flip probability (default: 0.5; 0 for digits).", low=0.0, high=1.0)
    vflip: float = option(0.0, "Vertical flip probability.", low=0.0, high=1.0)
    color_jitter: float = option(0.4, "Color jitter strength (off while --aa runs).", low=0.0)
    aa: str | None = option(None, "Augmentation policy: rand-m9-n2, trivialaugment, augmix-m3-w3 or original.")
    reprob: float = option(0.0, "Random erasing probability.", low=0.0, high=1.0)
    remode: str = option("pixel", "Random erasing fill.", choices=("pixel", "const"))
    mixup: float = option(0.0, "Mixup alpha (on when > 0).", low=0.0)
    cutmix: float = option(0.0, "CutMix alpha (on when > 0).", low=0.0)
    mixup_prob: float = option(1.0, "Probability of mixing a batch.", low=0.0, high=1.0)
    mixup_switch_prob: float = option(
        0.5, "Probability of CutMix instead of Mixup when both are on.", low=0.0, high=1.0
    )
    smoothing: float = option(0.1, "Label smoothing.", low=0.0, high=0.99)
    bce_loss: bool = option(False, "Binary cross-entropy on (smoothed) one-hot targets; always on for a 1-logit head.")
    sync_bn: bool = option(False, "Synchronise BatchNorm statistics across processes (DDP).")
    torchcompile: bool = option(False, "Compile the model with torch.compile.")
    seed: int = option(42, "Random seed: the same seed gives the same run on the CPU.", low=0)
    output: str | None = option(None, "Run folder (default: runs/<model>-<time>).")
    resume: str | None = option(None, "Continue the run in this folder from its last.pth.")
    overwrite: bool = option(False, "Replace a run already in --output.")
    eval_metric: str = option("top1", "Metric that picks the best checkpoints.", choices=EVAL_METRICS)
    checkpoint_hist: int = option(3, "Best checkpoints kept.", low=0)
    log_interval: int = option(50, "Updates between log lines when no progress bar is shown.", low=1)

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.model and not self.resume:
            raise ConfigError("name a model with --model (or continue a run with --resume)")
        if self.aa:
            try:
                parse_augment_policy(self.aa)
            except ValueError as exc:
                raise ConfigError(f"--aa: {exc}") from None
        if self.scale is not None and not 0 < self.scale[0] <= self.scale[1] <= 1:
            raise ConfigError(f"--scale must be LOW HIGH with 0 < LOW <= HIGH <= 1, got {self.scale}")
        if not 0 < self.ratio[0] <= self.ratio[1]:
            raise ConfigError(f"--ratio must be LOW HIGH with 0 < LOW <= HIGH, got {self.ratio}")
        if list(self.decay_milestones) != sorted(set(self.decay_milestones)):
            raise ConfigError(f"--decay-milestones must increase, got {self.decay_milestones}")


@dataclass
class ValidateConfig(DataOptions):
    """What `hub validate` measures: a model name, a local-dir folder, a checkpoint or a run folder."""

    model: str = option("", "Model name, local-dir:PATH, or a run folder.", cli=False)
    pretrained: bool = option(False, "Load the model's pretrained weights.")
    checkpoint: str | None = option(None, "Load the weights of this checkpoint (.pth or .safetensors).")
    use_ema: bool = option(False, "Take the EMA weights of the checkpoint or run.")
    results_file: str | None = option(None, "Write the results to this file (.csv or .json).")
    val_split: str = option("val", "Sub-folder of --data-dir with the images to evaluate.")

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.model:
            raise ConfigError("name a model, a local-dir: folder or a run folder to validate")
        if self.results_file and Path(self.results_file).suffix not in (".csv", ".json"):
            raise ConfigError(f"--results-file must end in .csv or .json, got {self.results_file!r}")


def load_yaml(path: str | Path) -> dict[str, Any]:
    """The mapping in a YAML config file; a ConfigError if it is missing or not a mapping."""
    import yaml  # here, not at the top: the manifest imports this module and `hub list` pays for it

    try:
        data = yaml.safe_load(Path(path).read_text())
    except OSError as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a mapping of option: value, not a {type(data).__name__}")
    return data


def save_yaml(record: DataOptions, path: Path) -> None:
    import yaml

    path.write_text(yaml.safe_dump(record.to_dict(), sort_keys=False))


def _check_record(record: DataOptions) -> None:
    hints = typing.get_type_hints(type(record))
    for item in dataclasses.fields(record):
        value = _coerce(getattr(record, item.name), hints[item.name], item.name)
        setattr(record, item.name, value)
        if value is None:
            continue
        choices, low, high = item.metadata["choices"], item.metadata["low"], item.metadata["high"]
        if choices and value not in choices:
            raise ConfigError(f"--{_flag(item.name)} must be one of {', '.join(choices)}, got {value!r}")
        if low is not None and value < low:
            raise ConfigError(f"--{_flag(item.name)} must be >= {low}, got {value}")
        if high is not None and value > high:
            raise ConfigError(f"--{_flag(item.name)} must be <= {high}, got {value}")


def _flag(name: str) -> str:
    return name.replace("_", "-")


def _coerce(value: Any, hint: Any, name: str) -> Any:
    """``value`` as type ``hint`` (None, bool, int, float, str or tuples of them); a ConfigError otherwise."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (Union, types.UnionType):
        if value is None:
            return None
        (hint,) = [a for a in args if a is not type(None)]
        args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple:
        if isinstance(value, str):
            value = [v for v in value.replace(",", " ").split() if v]
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"--{_flag(name)} takes a list of values, got {value!r}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_coerce(v, args[0], name) for v in value)
        if len(value) != len(args):
            raise ConfigError(f"--{_flag(name)} takes {len(args)} values, got {len(value)}")
        return tuple(_coerce(v, a, name) for v, a in zip(value, args, strict=True))
    if hint is bool:
        if isinstance(value, bool):
            return value
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
    elif hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
    elif hint is str:
        if isinstance(value, str):
            return value
        if isinstance(value, Path):
            return str(value)
    kind = getattr(hint, "__name__", str(hint))
    raise ConfigError(f"--{_flag(name)} must be {'a' if kind != 'int' else 'an'} {kind}, got {value!r}")
