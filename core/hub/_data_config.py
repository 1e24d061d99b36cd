"""The preprocessing a model expects: input size, resize interpolation, normalisation, crop.

Resolved as timm resolves it, so ``timm.data.create_transform(**resolve_data_config(m).as_dict())``
builds the same eval transform for a hub model as for timm's. No torch here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from hub._as_built import as_built_cfg_of, per_channel
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

    A model is described by its cfg as built (``model.as_built_cfg``): its own input
    channels, its image size for fixed-size models, and normalisation for its channels.
    ``use_test_size`` takes the cfg's test-time size and crop where it has them.
    """
    if isinstance(model, str):
        from hub._listing import get_pretrained_cfg

        cfg = get_pretrained_cfg(model)
    elif isinstance(model, PretrainedCfg):
        cfg = model
    else:
        cfg = as_built_cfg_of(model, needed_for="resolve_data_config (given a model, not a PretrainedCfg or a name)")
    channels = cfg.in_chans
    size = cfg.test_input_size if use_test_size and cfg.test_input_size and not cfg.fixed_input_size else cfg.input_size
    crop = cfg.test_crop_pct if use_test_size and cfg.test_crop_pct else cfg.crop_pct
    return DataConfig(
        input_size=(channels, size[1], size[2]),
        interpolation=cfg.interpolation,
        mean=per_channel(cfg.mean, channels),
        std=per_channel(cfg.std, channels),
        crop_pct=crop,
        crop_mode=cfg.crop_mode,
    )
