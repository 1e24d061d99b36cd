"""Reads timm's model registry and prints hub-timm's index as JSON. Run as ``python -m hub_timm._scan``.

This is the one part of hub-timm that imports timm (and so torch) without building a
model: the manifest runs it in a subprocess once per installed timm version and caches
what it prints. For each architecture it records its timm module, its pretrained tags
with their cfgs, the keyword arguments its model class takes and the feature wrapper
that suits it.

The model class and timm's feature settings are not in the registry; they are what an
architecture's entry point hands to ``build_model_with_cfg``. The scan calls every entry
point with that function replaced by one that records its arguments and stops, so no
model is built (under the meta device in case an entry point builds one directly).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import timm
import torch
from timm.models import get_arch_pretrained_cfgs, list_models, list_modules, model_entrypoint

from hub import PretrainedCfg
from hub._build import accepted_keywords
from hub_timm._index import INDEX_FORMAT, UNTRAINED

_HUB_FIELDS = frozenset(PretrainedCfg.field_names()) - {"state_dict"}

# timm's feature wrappers and the hub wrapper that does the same job.
_FEATURE_CLS = {"getter": "getter", "hook": "hook"}  # anything else: timm's sequential list wrapper


class _Recorded(Exception):
    """Raised by the stand-in builder to stop an entry point once its arguments are known."""

    def __init__(self, model_cls: type, variant: str, kwargs: dict[str, Any]) -> None:
        super().__init__(variant)
        self.model_cls, self.variant, self.kwargs = model_cls, variant, kwargs


def _record(model_cls: type, variant: str, pretrained: bool = False, *args: Any, **kwargs: Any) -> None:
    raise _Recorded(model_cls, variant, kwargs)


@contextmanager
def _recording_builders() -> Iterator[None]:
    """Every timm model module's ``build_model_with_cfg`` records instead of building, for the block."""
    patched: list[tuple[Any, Callable[..., Any]]] = []
    for name, module in list(sys.modules.items()):
        original = getattr(module, "build_model_with_cfg", None) if name.startswith("timm.models.") else None
        if original is not None:
            patched.append((module, original))
            setattr(module, "build_model_with_cfg", _record)
    try:
        with torch.device("meta"):
            yield
    finally:
        for module, original in patched:
            setattr(module, "build_model_with_cfg", original)


def _class_facts(arch: str) -> tuple[list[str] | None, str]:
    """(keyword arguments the model class takes, or None for any; hub feature_cls) of ``arch``.

    Models with ``forward_intermediates`` (nearly all of timm's) get the getter: it returns
    NCHW maps whatever the model's own layout (timm's swin, say, works channels-last).
    The others get the wrapper that does what timm's own feature wrapper for them does.
    """
    try:
        model_entrypoint(arch)(pretrained=False)
    except _Recorded as recorded:
        if recorded.variant != arch:  # a hybrid building its backbone first: the class is not the model's
            return None, "getter"
        if callable(getattr(recorded.model_cls, "forward_intermediates", None)):
            feature_cls = "getter"
        else:
            feature_cfg = recorded.kwargs.get("feature_cfg") or {}
            timm_cls = recorded.kwargs.get("feature_cls", feature_cfg.get("feature_cls"))
            feature_cls = _FEATURE_CLS.get(str(timm_cls), "list")
        accepted = accepted_keywords(recorded.model_cls)
        return (None if accepted is None else sorted(accepted)), feature_cls
    except Exception:  # an entry point that needs more than its defaults: leave the facts open
        return None, "getter"
    return None, "getter"  # built without build_model_with_cfg: nothing recorded


def _tags(arch: str) -> dict[str, dict[str, Any]]:
    """Tags with weights and their cfgs as hub's `PretrainedCfg` fields; an ``untrained`` cfg when none has weights."""
    cfgs = {full_name.partition(".")[2]: cfg for full_name, cfg in get_arch_pretrained_cfgs(arch).items()}
    tags = {tag: _fields(cfg) for tag, cfg in cfgs.items() if cfg.hf_hub_id or cfg.url or cfg.file}
    if not tags and cfgs:  # the default cfg describes the untrained model's inputs
        tags[UNTRAINED] = _fields(next(iter(cfgs.values())))
    return tags


def _fields(cfg: Any) -> dict[str, Any]:
    data: dict[str, Any] = cfg.to_dict(remove_source=False, remove_null=True)
    data = {key: value for key, value in data.items() if key in _HUB_FIELDS and key not in ("architecture", "tag")}
    if data.get("hf_hub_id") or not data.get("url"):
        data.pop("url", None)  # hub loads from the Hub when a cfg names a repository, never from the url
    return data


def _split_shared(tags: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """(fields every tag has with the same value, each tag's other fields): the index stays small."""
    cfgs = list(tags.values())
    shared = {k: v for k, v in cfgs[0].items() if all(k in c and c[k] == v for c in cfgs[1:])}
    return shared, {tag: {k: v for k, v in cfg.items() if k not in shared} for tag, cfg in tags.items()}


def scan() -> dict[str, Any]:
    """hub-timm's index of the installed timm, as JSON-ready data (the layout `hub_timm._index` reads)."""
    archs: dict[str, Any] = {}
    arg_sets: dict[tuple[str, ...], int] = {}  # many architectures share a model class: list its arguments once
    with _recording_builders():
        for module in list_modules():
            for arch in list_models(module=module):
                args, feature_cls = _class_facts(arch)
                shared, tags = _split_shared(_tags(arch))
                args_id = None if args is None else arg_sets.setdefault(tuple(args), len(arg_sets))
                archs[arch] = {
                    "module": module,
                    "feature_cls": feature_cls,
                    "args": args_id,
                    "shared": shared,
                    "tags": tags,
                }
    return {"format": INDEX_FORMAT, "timm_version": timm.__version__, "arg_sets": list(arg_sets), "archs": archs}


if __name__ == "__main__":
    json.dump(scan(), sys.stdout, separators=(",", ":"))
