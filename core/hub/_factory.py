"""`create_model`: from a name to a ready model, for every family the same way."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import torch
from torch import nn

from hub._arguments import Range
from hub._as_built import as_built_cfg
from hub._build import (
    accepted_keywords,
    assign_weights,
    build_uninitialised,
    check_argument_values,
    check_keywords,
    instantiate,
    layout_of,
)
from hub._feature_cfg import FEATURE_CLASSES
from hub._features import wrap_features
from hub._listing import get_catalog
from hub._names import ModelName, parse_model_name
from hub._pretrained_cfg import PretrainedCfg
from hub._registry import ModelEntry
from hub._saved_config import CONFIG_NAME, read_saved_config
from hub._weights import WeightSource, locate_checkpoint, locate_pretrained, prepare_weights
from hub._weights.hf import download_config
from hub.errors import (
    CheckpointError,
    InvalidArgumentError,
    MissingPluginError,
    NoPretrainedWeightsError,
    UnknownModelError,
)

__all__ = ["create_model"]

_logger = logging.getLogger("hub")

# Builder arguments that describe training, not the architecture: never saved with a model.
RUNTIME_ARGS = frozenset({"drop_rate", "drop_path_rate"})
# cfg fields that locate weights; an overlay that sets one describes a file of standard format.
_SOURCE_KEYS = ("file", "url", "hf_hub_id", "hf_hub_filename")


@dataclass(frozen=True)
class _Target:
    """What a model name resolved to: the registration, its cfg, and saved builder arguments."""

    entry: ModelEntry
    cfg: PretrainedCfg
    saved_args: Mapping[str, Any] = field(default_factory=dict)
    where: str = ""  # the config.json the saved arguments come from


def create_model(
    model_name: str,
    *,
    pretrained: bool = False,
    num_classes: Annotated[int, Range(min=0)] | None = None,
    in_chans: Annotated[int, Range(min=1)] | None = None,
    global_pool: str | None = None,
    drop_rate: Annotated[float, Range(min=0, below=1)] | None = None,
    drop_path_rate: Annotated[float, Range(min=0, below=1)] | None = None,
    features_only: bool = False,
    out_indices: int | Sequence[int] | None = None,
    feature_cls: str | None = None,
    output_stride: Annotated[int, Range(min=1)] | None = None,
    pretrained_cfg_overlay: Mapping[str, Any] | None = None,
    checkpoint_path: str | os.PathLike[str] | None = None,
    reinit_head: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
    **kwargs: Any,
) -> nn.Module:
    """Build an installed model, optionally with pretrained weights, adapted, or as a feature extractor.

    ``model_name`` is ``arch``, ``arch.tag``, ``plugin:arch[.tag]``, ``hf-hub:org/repo[@rev]``
    or ``local-dir:PATH``. Arguments left as None take the model's (or the weights') value.

    - ``pretrained``: load the tag's weights (the default tag for a bare ``arch``). The input
      conv is adapted when ``in_chans`` differs from the weights', and the classifier is
      re-initialised when ``num_classes`` differs (0 removes it).
    - ``pretrained_cfg_overlay``: change cfg fields, e.g. ``dict(file="weights.safetensors")``
      to load a local copy.
    - ``checkpoint_path``: load your own checkpoint (safetensors, or a torch file read with
      ``weights_only=True``). A classifier of another size is an error unless ``reinit_head``.
    - ``features_only``: return a feature extractor over the stages ``out_indices`` with
      wrapper ``feature_cls`` ("list", "dict", "hook", "getter", "trunk"); both default to
      the family's choice, which is timm's (see docs/features.md).
    - ``output_stride``: 8, 16 or 32 on families with dilated stages.
    - ``**kwargs``: family-specific architecture arguments (``img_size``, ...).
    """
    # Every option is checked against this signature's hints before anything is built.
    options = {k: v for k, v in locals().items() if k not in ("model_name", "kwargs")}
    check_argument_values("create_model", create_model, options)
    name = parse_model_name(model_name)
    target = _resolve(name, cache_dir)
    cfg = _overlaid(target.cfg, pretrained_cfg_overlay)
    _check_overlay_needs_pretrained(pretrained_cfg_overlay, pretrained)
    _check_feature_args(features_only, out_indices, feature_cls, num_classes)
    if pretrained and checkpoint_path is not None:
        raise ValueError("pass either pretrained=True or checkpoint_path, not both: each is a source of weights")
    if reinit_head and checkpoint_path is None:
        raise ValueError("reinit_head applies to checkpoint_path; pretrained weights adapt the head on their own")

    entry = target.entry
    if features_only and feature_cls not in (None, "getter") and entry.features.feature_cls == "getter":
        raise ValueError(
            f"model {entry.name!r} gives its features through forward_intermediates: its stage outputs are "
            f"token sequences that feature_cls={feature_cls!r} cannot return as maps; use feature_cls='getter'"
        )
    builder = entry.load_builder()
    accepted = accepted_keywords(builder)
    _check_saved_args(entry.name, builder, target)
    arguments = dict(target.saved_args)
    arguments.update(kwargs)
    explicit = {
        "num_classes": 0 if features_only else num_classes,
        "in_chans": in_chans,
        "global_pool": global_pool,
        "drop_rate": drop_rate,
        "drop_path_rate": drop_path_rate,
        "output_stride": output_stride,
    }
    arguments.update({k: v for k, v in explicit.items() if v is not None})
    _fill_defaults_from_cfg(arguments, cfg, accepted)
    if output_stride is not None and accepted is not None and "output_stride" not in accepted:
        raise ValueError(f"model {entry.name!r} does not support output_stride; build it without one")
    check_keywords(entry.name, arguments, accepted)
    check_argument_values(
        f"model {entry.name!r}", builder, {**kwargs, **{k: v for k, v in explicit.items() if v is not None}}
    )

    weights = _locate_weights(name, entry, cfg, pretrained, checkpoint_path, cache_dir)
    in_chans = arguments.get("in_chans", cfg.in_chans)
    if weights is None and torch.get_default_device().type == "meta":
        # no values to write on the meta device: initialisers would only cost time (seconds
        # for a large model, each one running through torch's reference kernels)
        model, _ = build_uninitialised(builder, arguments, name=entry.name)
    elif weights is None:
        model = instantiate(builder, arguments, name=entry.name)
    else:  # built without initialisation: the weights replace what it would write
        model, spared = build_uninitialised(builder, arguments, name=entry.name)
        prepared = prepare_weights(
            weights, cfg, layout_of(model, in_chans=in_chans), adapt=pretrained, reinit_head=reinit_head
        )
        rebuild = partial(instantiate, builder, arguments, name=entry.name)
        model = assign_weights(model, spared, prepared, rebuild=rebuild)
    # nn.Module attributes that are neither parameters nor modules: set without type-checker noise
    setattr(model, "pretrained_cfg", cfg)
    setattr(model, "as_built_cfg", as_built_cfg(cfg, in_chans=in_chans, img_size=arguments.get("img_size")))
    setattr(model, "model_args", {k: v for k, v in arguments.items() if k not in RUNTIME_ARGS})
    if features_only:
        model = wrap_features(model, feature_cls=feature_cls, out_indices=out_indices, cfg=entry.features)
    # timm's older name for the same cfg, still the first thing code written for timm reads
    setattr(model, "default_cfg", getattr(model, "pretrained_cfg"))
    return model


def _resolve(name: ModelName, cache_dir: str | os.PathLike[str] | None) -> _Target:
    index = get_catalog().index
    if name.kind == "registry":
        resolved = index.resolve(name.text)
        return _Target(resolved.entry, resolved.pretrained_cfg())
    if name.kind == "hf-hub":
        assert name.repo_id is not None
        config_path = download_config(name.repo_id, revision=name.revision, cache_dir=cache_dir)
        source = {"hf_hub_id": name.hf_hub_id, "source": "hf-hub", "file": None, "url": None}
    else:
        assert name.path is not None
        if not name.path.is_dir():
            raise FileNotFoundError(f"{name.text!r}: {name.path} is not a folder")
        config_path = name.path / CONFIG_NAME
        source = {"file": str(name.path), "source": "local-dir", "hf_hub_id": None, "url": None}
    saved = read_saved_config(Path(config_path), source=source)
    try:
        entry = index.resolve(saved.architecture).entry
    except UnknownModelError:
        raise MissingPluginError(
            f"{name.text!r} is a {saved.architecture!r} model, and no installed plugin provides "
            f"{saved.architecture!r}; install the plugin of that family (see `hub plugins`)"
        ) from None
    return _Target(entry, saved.pretrained_cfg, saved.model_args, where=str(config_path))


def _overlaid(cfg: PretrainedCfg, overlay: Mapping[str, Any] | None) -> PretrainedCfg:
    """``cfg`` changed by a ``pretrained_cfg_overlay``.

    ``custom_load`` describes the registry's own weight file; an overlay that names
    another source gives a file of standard format unless it says otherwise.
    """
    if not overlay:
        return cfg
    changes = dict(overlay)
    if any(changes.get(key) for key in _SOURCE_KEYS):
        changes.setdefault("custom_load", False)
    try:
        return cfg.replace(changes)
    except TypeError as exc:  # a field PretrainedCfg does not have
        raise TypeError(f"pretrained_cfg_overlay: {exc}") from None
    except ValueError as exc:
        raise InvalidArgumentError(f"pretrained_cfg_overlay: {exc}") from None


def _check_overlay_needs_pretrained(overlay: Mapping[str, Any] | None, pretrained: bool) -> None:
    named = [key for key in (*_SOURCE_KEYS, "state_dict") if overlay and overlay.get(key) is not None]
    if named and not pretrained:
        raise ValueError(
            f"pretrained_cfg_overlay names weights ({', '.join(named)}) but pretrained=False builds random "
            "weights; pass pretrained=True to load them (or checkpoint_path=PATH for a checkpoint of your own)"
        )


def _check_saved_args(model_name: str, builder: Any, target: _Target) -> None:
    """The builder arguments a saved folder's config.json holds, checked as if the user had passed them."""
    if not target.saved_args:
        return
    try:
        check_argument_values(f"model {model_name!r}", builder, target.saved_args)
    except InvalidArgumentError as exc:
        raise CheckpointError(f"{target.where}: model_args are invalid ({exc})") from None


def _check_feature_args(
    features_only: bool, out_indices: object, feature_cls: str | None, num_classes: int | None
) -> None:
    if not features_only:
        for label, value in (("out_indices", out_indices), ("feature_cls", feature_cls)):
            if value is not None:
                raise ValueError(f"{label} applies to feature extractors; pass features_only=True as well")
        return
    if num_classes is not None:
        raise ValueError("a feature extractor has no classifier; leave num_classes out with features_only=True")
    if feature_cls is not None and feature_cls not in FEATURE_CLASSES:
        raise ValueError(f"feature_cls must be one of {', '.join(FEATURE_CLASSES)}; got {feature_cls!r}")


def _fill_defaults_from_cfg(arguments: dict[str, Any], cfg: PretrainedCfg, accepted: frozenset[str] | None) -> None:
    """Unset arguments take the weights' values, so ``arch.tag`` builds the model its weights fit."""
    defaults: dict[str, Any] = {"num_classes": cfg.num_classes, "in_chans": cfg.in_chans}
    if cfg.fixed_input_size:
        defaults["img_size"] = tuple(cfg.input_size[1:])
    for key, value in defaults.items():
        if accepted is None or key in accepted:
            arguments.setdefault(key, value)


def _locate_weights(
    name: ModelName,
    entry: ModelEntry,
    cfg: PretrainedCfg,
    pretrained: bool,
    checkpoint_path: str | os.PathLike[str] | None,
    cache_dir: str | os.PathLike[str] | None,
) -> WeightSource | None:
    if checkpoint_path is not None:
        return locate_checkpoint(Path(checkpoint_path))
    if not pretrained:
        return None
    if not cfg.has_weights:
        tags = ", ".join(t for t, c in entry.pretrained.items() if c.has_weights) or "none"
        raise NoPretrainedWeightsError(
            f"{name.text!r} has no pretrained weights (tags with weights: {tags}); pick a tag, "
            "pass pretrained_cfg_overlay=dict(file=PATH) for a local copy, or use pretrained=False"
        )
    return locate_pretrained(cfg, display_name=name.text, cache_dir=cache_dir)
