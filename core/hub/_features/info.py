"""`FeatureInfo`: what each stage of a model outputs, and which stages an extractor returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["FeatureInfo", "check_stages"]

_REQUIRED = ("num_chs", "reduction", "module")


def check_stages(stages: Sequence[Mapping[str, Any]], model_name: str) -> list[dict[str, Any]]:
    """Validate a model's ``feature_info`` (one dict per stage) and return a private copy."""
    if not stages:
        raise ValueError(f"{model_name} reports no feature stages (its feature_info is empty)")
    checked = []
    for i, stage in enumerate(stages):
        missing = [k for k in _REQUIRED if k not in stage]
        if missing:
            raise ValueError(f"{model_name}.feature_info[{i}] lacks {', '.join(missing)}")
        checked.append({**stage, "index": i})
    return checked


class FeatureInfo:
    """Stage facts of a feature extractor; accessors answer for the returned stages.

    ``channels()``, ``reduction()`` and ``module_name()`` give one value per returned
    stage (``out_indices``); pass ``idx`` (an int or a list) to ask about any stage.
    """

    def __init__(self, stages: Sequence[Mapping[str, Any]], out_indices: Sequence[int]) -> None:
        self.info = [dict(s) for s in stages]
        self.out_indices = tuple(out_indices)

    def get(self, key: str, idx: int | Sequence[int] | None = None) -> Any:
        if idx is None:
            return [self.info[i][key] for i in self.out_indices]
        if isinstance(idx, int):
            return self.info[idx][key]
        return [self.info[i][key] for i in idx]

    def get_dicts(self, keys: Sequence[str] | None = None, idx: int | Sequence[int] | None = None) -> Any:
        """Stage dicts (restricted to ``keys`` when given) for the returned stages, or for ``idx``."""

        def pick(i: int) -> dict[str, Any]:
            return dict(self.info[i]) if keys is None else {k: self.info[i][k] for k in keys}

        if idx is None:
            return [pick(i) for i in self.out_indices]
        if isinstance(idx, int):
            return pick(idx)
        return [pick(i) for i in idx]

    def channels(self, idx: int | Sequence[int] | None = None) -> Any:
        return self.get("num_chs", idx)

    def reduction(self, idx: int | Sequence[int] | None = None) -> Any:
        return self.get("reduction", idx)

    def module_name(self, idx: int | Sequence[int] | None = None) -> Any:
        return self.get("module", idx)

    def __getitem__(self, item: int) -> dict[str, Any]:
        return self.info[item]

    def __len__(self) -> int:
        return len(self.info)

    def __repr__(self) -> str:
        return f"FeatureInfo(out_indices={self.out_indices}, channels={self.channels()}, reduction={self.reduction()})"
