"""What ``hub inspect`` reports about a model: its plugin, tags, size, cost and feature stages.

The model is built and run on the meta device: shapes, parameter counts and FLOPs are
exact, and nothing is allocated or computed, so even the largest models answer at once.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import torch
from torch.utils.flop_counter import FlopCounterMode

from hub._factory import create_model
from hub._features import FeatureInfo
from hub._listing import get_catalog
from hub._weights.hf import cached_weights

__all__ = ["describe_model"]


def describe_model(
    name: str,
    *,
    input_size: int | None = None,
    out_indices: int | Sequence[int] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """A JSON-ready description of ``name`` (``arch``, ``arch.tag`` or ``plugin:arch[.tag]``).

    ``input_size`` (pixels, square) defaults to the pretrained cfg's; ``out_indices``
    selects the stages whose feature-extractor outputs are shown. ``plugin`` is the
    provider that builds the name; ``others`` names the other providers' versions.
    """
    catalog = get_catalog()
    resolved = catalog.index.resolve(name)
    entry, cfg = resolved.entry, resolved.pretrained_cfg()
    plugin = catalog.plugins[entry.plugin]
    others = [e.qualified_name for e in catalog.index.providers(entry.name) if e is not entry]
    height, width = (input_size, input_size) if input_size else tuple(cfg.input_size[1:])
    with torch.device("meta"):
        model = create_model(name).eval()
        x = torch.empty(1, cfg.in_chans, height, width)
        with FlopCounterMode(display=False) as counter:
            model(x)
        extractor = create_model(name, features_only=True, out_indices=out_indices)
        outputs = extractor(x)
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
        "input_size": [cfg.in_chans, height, width],
        "num_params": sum(p.numel() for p in model.parameters()),
        "gmacs": counter.get_total_flops() / 2 / 1e9,
        "num_features": model.num_features,
        "feature_stages": stages,
        "features": returned,
        "pretrained": tags,
    }
