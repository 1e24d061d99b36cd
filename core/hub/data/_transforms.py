"""``create_transform``: a model's preprocessing (eval) or augmentation (train) as a ``transforms.v2`` pipeline.

The meaning is timm's: eval resizes by ``crop_pct`` (``crop_mode`` center, squash or border)
and crops the center with the weights' interpolation, mean and std, giving the same tensors
as ``timm.data.create_transform`` for the same config; train is RandomResizedCrop, flips, an
augmentation policy by name, color jitter and random erasing. Every pipeline first gives the
image the model's channel count (grey for ``in_chans=1``), never a silent RGB conversion.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import torch
from PIL import Image
from torchvision.transforms import v2
from torchvision.transforms.v2 import functional as F

from hub._data_config import DataConfig
from hub.data._policies import AugmentPolicy, parse_augment_policy

__all__ = ["MatchChannels", "create_transform"]

_INTERPOLATIONS = {
    "nearest": v2.InterpolationMode.NEAREST,
    "bilinear": v2.InterpolationMode.BILINEAR,
    "bicubic": v2.InterpolationMode.BICUBIC,
    "box": v2.InterpolationMode.BOX,
    "hamming": v2.InterpolationMode.HAMMING,
    "lanczos": v2.InterpolationMode.LANCZOS,
}
_CROP_MODES = ("center", "squash", "border")
_PIL_MODES = {1: "L", 3: "RGB"}  # the PIL modes that 1- and 3-channel models read
_ERASE_MODES = ("const", "pixel")


class MatchChannels:
    """Give an image (PIL or CHW tensor) ``channels`` channels: grey for 1, RGB for 3.

    Other counts must already match; an image that cannot be converted is a ValueError
    naming both counts.
    """

    def __init__(self, channels: int) -> None:
        self.channels = channels

    def __call__(self, image: Any) -> Any:
        if isinstance(image, Image.Image):
            mode = _PIL_MODES.get(self.channels)
            if mode is not None:
                return image if image.mode == mode else image.convert(mode)
            found = len(image.getbands())
        elif isinstance(image, torch.Tensor):
            found = image.shape[-3]
            if found == self.channels:
                return image
            if self.channels == 1 and found == 3:
                return F.rgb_to_grayscale(image)
            if self.channels == 3 and found == 1:
                return F.grayscale_to_rgb(image)
        else:
            raise TypeError(f"expected a PIL image or a CHW tensor, got {type(image).__name__}")
        if found != self.channels:
            raise ValueError(f"the image has {found} channels and the model takes {self.channels}")
        return image

    def __repr__(self) -> str:
        return f"{type(self).__name__}(channels={self.channels})"


def create_transform(
    data_config: DataConfig | Mapping[str, Any],
    *,
    is_training: bool = False,
    no_aug: bool = False,
    scale: tuple[float, float] = (0.08, 1.0),
    ratio: tuple[float, float] = (3 / 4, 4 / 3),
    hflip: float = 0.5,
    vflip: float = 0.0,
    color_jitter: float | tuple[float, ...] | None = 0.4,
    auto_augment: str | None = None,
    re_prob: float = 0.0,
    re_mode: str = "const",
) -> v2.Compose:
    """The transform from an image (PIL or uint8 CHW tensor) to the model's normalised float input.

    ``data_config`` is ``hub.resolve_data_config(model)`` (or its ``as_dict()``). With
    ``is_training`` the pipeline augments (``no_aug`` turns that off: a plain resize); the other arguments are timm's: RandomResizedCrop ``scale``/``ratio``, flip
    probabilities, ``color_jitter`` (one value for brightness, contrast and saturation, or
    3-4 values; off while an ``auto_augment`` policy runs), ``auto_augment`` by name (see
    ``hub.data.AUGMENT_POLICIES``), and random erasing with probability ``re_prob``, filled
    with zeros (``re_mode="const"``) or per-pixel noise (``"pixel"``).
    """
    config = _as_data_config(data_config)
    channels, height, width = config.input_size
    interpolation = _INTERPOLATIONS[config.interpolation]
    steps: list[Any] = [MatchChannels(channels)]
    if not is_training:
        steps += _eval_resize_and_crop(config, interpolation)
    elif no_aug:
        steps.append(v2.Resize((height, width), interpolation))  # both edges, as timm's no-aug training does
    else:
        _check_train_args(scale, ratio, hflip, vflip, re_prob, re_mode)
        steps += [v2.RandomResizedCrop((height, width), scale=scale, ratio=ratio, interpolation=interpolation)]
        if hflip > 0:
            steps.append(v2.RandomHorizontalFlip(hflip))
        if vflip > 0:
            steps.append(v2.RandomVerticalFlip(vflip))
        if auto_augment:
            policy = parse_augment_policy(auto_augment)
            steps.append(_policy_transform(policy, config, interpolation))
        elif color_jitter:
            steps.append(_color_jitter(color_jitter, channels))
    steps += [v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize(config.mean, config.std)]
    if is_training and not no_aug and re_prob > 0:
        steps.append(v2.RandomErasing(re_prob, value="random" if re_mode == "pixel" else 0))
    return v2.Compose(steps)


def _as_data_config(data_config: DataConfig | Mapping[str, Any]) -> DataConfig:
    if isinstance(data_config, DataConfig):
        config = data_config
    elif isinstance(data_config, Mapping):
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data_config.items()}
        values.setdefault("crop_pct", 0.875)
        values.setdefault("crop_mode", "center")
        try:
            config = DataConfig(**values)
        except TypeError as exc:
            raise ValueError(f"data_config: {exc}; pass hub.resolve_data_config(model)") from None
    else:
        raise TypeError(f"data_config must be a DataConfig or a mapping, got {type(data_config).__name__}")
    channels = config.input_size[0]
    if len(config.input_size) != 3 or min(config.input_size) < 1:
        raise ValueError(f"data_config input_size must be (channels, height, width), got {config.input_size}")
    if len(config.mean) != channels or len(config.std) != channels:
        raise ValueError(f"data_config mean and std need {channels} values (one per channel)")
    if config.interpolation not in _INTERPOLATIONS:
        raise ValueError(f"interpolation must be one of {', '.join(_INTERPOLATIONS)}, got {config.interpolation!r}")
    if config.crop_mode not in _CROP_MODES:
        raise ValueError(f"crop_mode must be one of {', '.join(_CROP_MODES)}, got {config.crop_mode!r}")
    if not 0 < config.crop_pct <= 1:
        raise ValueError(f"crop_pct must be in (0, 1], got {config.crop_pct}")
    return config


def _eval_resize_and_crop(config: DataConfig, interpolation: v2.InterpolationMode) -> list[Any]:
    """Resize to the crop size divided by ``crop_pct`` (rounded down), then take the crop."""
    _, height, width = config.input_size
    scaled = (math.floor(height / config.crop_pct), math.floor(width / config.crop_pct))
    if config.crop_mode == "squash":  # both edges scaled, aspect ratio not kept
        return [v2.Resize(scaled, interpolation), v2.CenterCrop((height, width))]
    if config.crop_mode == "border":  # the longest edge fits, the rest is padded with the mean colour
        fill = tuple(round(255 * v) for v in config.mean)
        return [_ResizeKeepRatio(scaled, interpolation, longest=True), _CenterCropOrPad((height, width), fill)]
    if scaled[0] == scaled[1]:
        return [v2.Resize(scaled[0], interpolation), v2.CenterCrop((height, width))]
    return [_ResizeKeepRatio(scaled, interpolation, longest=False), v2.CenterCrop((height, width))]


class _ResizeKeepRatio:
    """Resize keeping the aspect ratio so that the shortest (or longest) edge fits ``size``."""

    def __init__(self, size: tuple[int, int], interpolation: v2.InterpolationMode, *, longest: bool) -> None:
        self.size = size
        self.interpolation = interpolation
        self.longest = longest

    def __call__(self, image: Any) -> Any:
        height, width = F.get_size(image)
        ratios = (height / self.size[0], width / self.size[1])
        ratio = max(ratios) if self.longest else min(ratios)
        return F.resize(image, [round(height / ratio), round(width / ratio)], self.interpolation)


class _CenterCropOrPad:
    """Pad with ``fill`` to at least ``size`` (centred), then crop the center."""

    def __init__(self, size: tuple[int, int], fill: tuple[int, ...]) -> None:
        self.size = size
        self.fill = fill

    def __call__(self, image: Any) -> Any:
        height, width = F.get_size(image)
        pad_h, pad_w = max(self.size[0] - height, 0), max(self.size[1] - width, 0)
        if pad_h or pad_w:
            fill = self.fill[0] if len(self.fill) == 1 else list(self.fill)
            image = F.pad(image, [pad_w // 2, pad_h // 2, (pad_w + 1) // 2, (pad_h + 1) // 2], fill=fill)
        return F.center_crop(image, list(self.size))


def _policy_transform(policy: AugmentPolicy, config: DataConfig, interpolation: v2.InterpolationMode) -> Any:
    fill = [round(255 * v) for v in config.mean]
    if interpolation not in (v2.InterpolationMode.NEAREST, v2.InterpolationMode.BILINEAR):
        # the policies' rotations and shears also run on tensors (AugMix always), which take only these two
        interpolation = v2.InterpolationMode.BILINEAR
    if policy.kind == "rand":
        # 11 bins make ``magnitude`` count in tenths of each operation's range, as timm's m0-m10 do
        return v2.RandAugment(
            policy.num_ops, policy.magnitude, num_magnitude_bins=11, interpolation=interpolation, fill=fill
        )
    if policy.kind == "augmix":
        return v2.AugMix(severity=policy.magnitude, mixture_width=policy.width, interpolation=interpolation, fill=fill)
    if policy.kind == "trivialaugment":
        return v2.TrivialAugmentWide(interpolation=interpolation, fill=fill)
    return v2.AutoAugment(v2.AutoAugmentPolicy.IMAGENET, interpolation=interpolation, fill=fill)


def _color_jitter(color_jitter: float | tuple[float, ...], channels: int) -> v2.ColorJitter:
    values = (float(color_jitter),) * 3 if isinstance(color_jitter, (int, float)) else tuple(color_jitter)
    if len(values) not in (3, 4) or min(values) < 0:
        raise ValueError(f"color_jitter must be one value or 3-4 values >= 0, got {color_jitter!r}")
    if channels != 3:  # saturation and hue need colour
        values = (values[0], values[1])
    return v2.ColorJitter(*values)


def _check_train_args(
    scale: tuple[float, float],
    ratio: tuple[float, float],
    hflip: float,
    vflip: float,
    re_prob: float,
    re_mode: str,
) -> None:
    if len(scale) != 2 or not 0 < scale[0] <= scale[1] <= 1:
        raise ValueError(f"scale must be (low, high) with 0 < low <= high <= 1, got {scale}")
    if len(ratio) != 2 or not 0 < ratio[0] <= ratio[1]:
        raise ValueError(f"ratio must be (low, high) with 0 < low <= high, got {ratio}")
    for label, probability in (("hflip", hflip), ("vflip", vflip), ("re_prob", re_prob)):
        if not 0 <= probability <= 1:
            raise ValueError(f"{label} must be a probability in [0, 1], got {probability}")
    if re_mode not in _ERASE_MODES:
        raise ValueError(f"re_mode must be one of {', '.join(_ERASE_MODES)}, got {re_mode!r}")
