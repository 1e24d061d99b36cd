"""What ``hub inspect`` reports about a model: its plugin, tags, size, cost and feature stages.

The model is built and run on the meta device: shapes, parameter counts and FLOPs are
exact, and nothing is allocated or computed, so even the largest models answer at once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import torch
from torch.utils.flop_counter import FlopCounterMode

from hub._as_built import as_built_cfg_of
from hub._factory import create_model
from hub._features import FeatureInfo
from hub._listing import get_catalog
from hub._names import parse_model_name
from hub._weights.hf import cached_weights

__all__ = ["describe_model"]


def describe_model(
    name: str,
    *,
    input_size: int | None = None,
    out_indices: int | Sequence[int] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    model_args: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A JSON-ready description of ``name``: any name ``create_model`` takes.

    ``input_size`` (pixels, square) defaults to the cfg's; a model of fixed input size is
    built for it (``img_size``). ``model_args`` are builder arguments (``img_size``,
    ``depth``, ...). ``out_indices`` selects the stages whose feature-extractor outputs are
    shown. A ``local-dir:`` or ``hf-hub:`` name reads the folder's or repository's config.
    ``plugin`` is the provider that builds the name; ``others`` names the other providers'
    versions (``plugin:arch``).
    """
    arguments = dict(model_args or {})
    catalog = get_catalog()
    with torch.device("meta"):
        model = create_model(name, **arguments).eval()
        built = as_built_cfg_of(model, needed_for="hub inspect")
        if input_size and built.fixed_input_size and "img_size" not in arguments:
            arguments["img_size"] = input_size  # a fixed-size model is built for the size asked for
            model = create_model(name, **arguments).eval()
            built = as_built_cfg_of(model, needed_for="hub inspect")
        height, width = (input_size, input_size) if input_size else tuple(built.input_size[1:])
        x = torch.empty(1, built.in_chans, height, width)
        with FlopCounterMode(display=False) as counter:
            model(x)
        extractor = create_model(name, features_only=True, out_indices=out_indices, **arguments)
        outputs = extractor(x)
    # A saved folder or repository names its architecture in its config.
    registered = name if parse_model_name(name).kind == "registry" else built.architecture
    assert registered is not None
    entry = catalog.index.resolve(registered).entry
    plugin = catalog.plugins[entry.plugin]
    others = [e.qualified_name for e in catalog.index.providers(entry.name) if e is not entry]
    stages = [
        {"index": i, "module": s["module"], "num_chs": s["num_chs"], "reduction": s["reduction"]}
        for i, s in enumerate(getattr(model, "feature_info"))
    ]
    info: FeatureInfo = getattr(extractor, "feature_info")
    returned = [
        {"index": i, "module": info.module_name(i), "shape": list(out.shape)}
        for i, out in zip(info.out_indices, outputs, strict=True)
    ]
    tags = []
    for tag, tag_cfg in entry.pretrained.items():
        cached = bool(tag_cfg.hf_hub_id and cached_weights(tag_cfg.hf_hub_id, cache_dir))
        tags.append({"tag": tag, "cached": cached, **tag_cfg.to_dict()})
    return {
        "name": catalog.index.listed_name(entry),  # the name that builds this provider's model
        "architecture": entry.name,
        "plugin": entry.plugin,
        "plugin_version": plugin.version,
        "fallback": entry.fallback,
        "others": others,
        "default_tag": entry.default_tag,
        "weights_from": built.source,  # "local-dir" or "hf-hub" for such names, else null
        "input_size": [built.in_chans, height, width],
        "model_args": arguments,
        "num_params": sum(p.numel() for p in model.parameters()),
        "gmacs": counter.get_total_flops() / 2 / 1e9,
        "num_features": model.num_features,
        "feature_stages": stages,
        "features": returned,
        "pretrained": tags,
    }
