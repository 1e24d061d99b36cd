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
from typing import Annotated, Any

from hub._arguments import Range, allowed_values, describe_value
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


# The fields of config.json hub reads, and what each may hold.
_FIELD_HINTS: dict[str, Any] = {
    "architecture": str,
    "num_classes": Annotated[int, Range(min=0)],
    "num_features": Annotated[int, Range(min=0)],
    "global_pool": str,
    "label_names": list[str],
    "label_descriptions": Mapping,
    "model_args": Mapping,
    "pretrained_cfg": Mapping,
}
# The builder arguments hub itself reads from model_args (the builder checks the rest).
_MODEL_ARG_HINTS: dict[str, Any] = {
    "in_chans": Annotated[int, Range(min=1)],
    "img_size": Annotated[int | tuple[int, int], Range(min=1)],
}


def parse_saved_config(raw: dict[str, Any], *, source: Mapping[str, Any], where: str) -> SavedConfig:
    """The typed content of a ``config.json`` read from ``where`` (for messages).

    A field of the wrong type is one `CheckpointError` naming the file and the field.
    """
    raw = dict(raw)
    if "pretrained_cfg" not in raw:  # older timm: one flat dict
        flat = dict(raw)
        if "labels" in flat:
            flat["label_names"] = flat.pop("labels")
        raw = {"architecture": flat.pop("architecture", None), "pretrained_cfg": flat}
    architecture = raw.get("architecture")
    if not isinstance(architecture, str) or not architecture:
        raise CheckpointError(f"{where} does not name an 'architecture' (a model name such as 'resnet50')")
    for key, hint in _FIELD_HINTS.items():
        if raw.get(key) is not None and (allowed := allowed_values(raw[key], hint)) is not None:
            raise CheckpointError(f"{where}: field {key!r} must be {allowed}, got {describe_value(raw[key])}")
    cfg_data = dict(raw.get("pretrained_cfg") or {})
    for key in ("num_classes", "label_names", "label_descriptions"):
        if key in raw:
            cfg_data[key] = raw[key]
    model_args = dict(raw.get("model_args") or {})
    if not all(isinstance(key, str) for key in model_args):
        raise CheckpointError(f"{where}: field 'model_args' must map argument names to values")
    for key, hint in _MODEL_ARG_HINTS.items():
        if model_args.get(key) is not None and (allowed := allowed_values(model_args[key], hint)) is not None:
            raise CheckpointError(
                f"{where}: field 'model_args.{key}' must be {allowed}, got {describe_value(model_args[key])}"
            )
    cfg_data.update(source)
    cfg_data["architecture"] = architecture
    try:
        cfg = PretrainedCfg.from_dict(cfg_data)
    except (TypeError, ValueError) as exc:
        raise CheckpointError(f"{where}: field 'pretrained_cfg' is invalid: {exc}") from None
    in_chans, img_size = model_args.get("in_chans"), model_args.get("img_size")
    # The weights were saved from a model built with these arguments (older timm folders keep
    # the source cfg): describe them as such.
    if in_chans is not None or (img_size is not None and cfg.fixed_input_size):
        cfg = as_built_cfg(cfg, in_chans=in_chans or cfg.in_chans, img_size=img_size if cfg.fixed_input_size else None)
    return SavedConfig(architecture=architecture, pretrained_cfg=cfg, model_args=model_args)
