"""The preprocessing a model expects: input size, resize interpolation, normalisation, crop.

Resolved as timm resolves it, so ``timm.data.create_transform(**resolve_data_config(m).as_dict())``
builds the same eval transform for a hub model as for timm's. No torch here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from hub._pretrained_cfg import PretrainedCfg

__all__ = ["DataConfig", "resolve_data_config"]


@dataclass(frozen=True)
class DataConfig:
    """What a model's inputs should look like; ``mean`` and ``std`` have one value per input channel."""

    input_size: tuple[int, int, int]
    interpolation: str
    mean: tuple[float, ...]
    std: tuple[float, ...]
    crop_pct: float
    crop_mode: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def resolve_data_config(model: Any, *, use_test_size: bool = False) -> DataConfig:
    """The data config of a model made by ``hub.create_model``, of a `PretrainedCfg`, or of a model name.

    The model's own channels and (for fixed-size models) image size win over the cfg's;
    normalisation values made for another channel count become their mean, repeated per
    channel. ``use_test_size`` takes the cfg's test-time size and crop where it has them.
    """
    args: dict[str, Any] = {}
    if isinstance(model, str):
        from hub._listing import get_pretrained_cfg

        cfg = get_pretrained_cfg(model)
    elif isinstance(model, PretrainedCfg):
        cfg = model
    else:
        found = getattr(model, "pretrained_cfg", None)
        if not isinstance(found, PretrainedCfg):
            raise ValueError(
                "resolve_data_config needs a model made by hub.create_model, a PretrainedCfg or a model name"
            )
        cfg = found
        args = dict(getattr(model, "model_args", {}))
    channels = int(args.get("in_chans", cfg.in_chans))
    size = cfg.test_input_size if use_test_size and cfg.test_input_size and not cfg.fixed_input_size else cfg.input_size
    height, width = size[1], size[2]
    if cfg.fixed_input_size and args.get("img_size") is not None:
        image = args["img_size"]
        height, width = (image, image) if isinstance(image, int) else (int(image[0]), int(image[1]))
    crop = cfg.test_crop_pct if use_test_size and cfg.test_crop_pct else cfg.crop_pct
    return DataConfig(
        input_size=(channels, height, width),
        interpolation=cfg.interpolation,
        mean=_per_channel(cfg.mean, channels),
        std=_per_channel(cfg.std, channels),
        crop_pct=crop,
        crop_mode=cfg.crop_mode,
    )


def _per_channel(values: tuple[float, ...], channels: int) -> tuple[float, ...]:
    if len(values) == channels:
        return tuple(values)
    return (sum(values) / len(values),) * channels
