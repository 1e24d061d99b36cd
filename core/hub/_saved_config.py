"""``config.json`` in timm's layout: what a saved or published model is and how to rebuild it.

Layout: ``architecture``, ``num_classes``, ``num_features``, ``global_pool``,
``model_args`` (the builder's keyword arguments), ``pretrained_cfg`` (a `PretrainedCfg`
without its source fields) and, optionally, ``label_names`` / ``label_descriptions``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub._as_built import as_built_cfg
from hub._pretrained_cfg import PretrainedCfg
from hub.errors import CheckpointError

__all__ = ["CONFIG_NAME", "SavedConfig", "read_saved_config"]

CONFIG_NAME = "config.json"


@dataclass(frozen=True)
class SavedConfig:
    """A parsed ``config.json``."""

    architecture: str
    pretrained_cfg: PretrainedCfg
    model_args: Mapping[str, Any] = field(default_factory=dict)


def read_saved_config(path: Path, *, source: Mapping[str, Any]) -> SavedConfig:
    """Parse the ``config.json`` at ``path``; ``source`` adds the weight location to the cfg.

    Accepts timm's current layout and its older single-dict layout.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CheckpointError(
            f"{path} does not exist; a saved model folder holds config.json and model.safetensors, "
            "as written by hub.save_pretrained or timm"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{path} is not a readable JSON file ({exc}); re-create or re-download it") from exc
    if not isinstance(raw, dict):
        raise CheckpointError(f"{path} must hold a JSON object")
    return parse_saved_config(raw, source=source, where=str(path))


def parse_saved_config(raw: dict[str, Any], *, source: Mapping[str, Any], where: str) -> SavedConfig:
    raw = dict(raw)
    if "pretrained_cfg" not in raw:  # older timm: one flat dict
        flat = dict(raw)
        if "labels" in flat:
            flat["label_names"] = flat.pop("labels")
        raw = {"architecture": flat.pop("architecture", None), "pretrained_cfg": flat}
    architecture = raw.get("architecture")
    if not isinstance(architecture, str) or not architecture:
        raise CheckpointError(f"{where} does not name an 'architecture'")
    cfg_data = dict(raw.get("pretrained_cfg") or {})
    for key in ("num_classes", "label_names", "label_descriptions"):
        if key in raw:
            cfg_data[key] = raw[key]
    model_args = dict(raw.get("model_args") or {})
    cfg_data.update(source)
    cfg_data["architecture"] = architecture
    try:
        cfg = PretrainedCfg.from_dict(cfg_data)
        # The weights were saved from a model built with these arguments (older timm folders
        # keep the source cfg): describe them as such.
        if model_args.get("in_chans") is not None or (model_args.get("img_size") is not None and cfg.fixed_input_size):
            cfg = as_built_cfg(
                cfg,
                in_chans=int(model_args.get("in_chans") or cfg.in_chans),
                img_size=model_args.get("img_size") if cfg.fixed_input_size else None,
            )
    except (TypeError, ValueError) as exc:
        raise CheckpointError(f"{where} has an invalid pretrained_cfg: {exc}") from exc
    return SavedConfig(architecture=architecture, pretrained_cfg=cfg, model_args=model_args)
