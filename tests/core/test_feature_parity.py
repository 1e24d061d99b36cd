"""Every registered architecture's feature extractors against timm's: the same state dict, either way.

Every architecture's default extractor has the layout and stages of timm's default, on the
meta device. By value, for the registry's sample (the smallest architecture of each kind and
every fifth besides, up to 100M parameters): the family's default wrapper against timm's
default, and for the smallest architecture of each kind each other wrapper timm also builds:
strict loads from hub's extractor into timm's and back, the same stages and equal outputs.
Models are built on the meta device and given weights by assignment, so each check costs a
forward pass, not an initialisation.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import pytest
import torch
from support.registry import kind, native_models, native_sample, parameter_count
from support.timm_oracle import (
    TIMM_BUILD_KWARGS,
    assert_close,
    assert_same_state_dict_layout,
    hub_with_state,
    noise,
    on_meta,
    sample_input,
    timm,
    timm_computes_buffers,
)

import hub
from hub._build import accepted_keywords
from hub._listing import get_model_entry

SIZE = 64
WIDE = 100_000_000  # parameters: random weights for wider models take gigabytes; their layout is checked
OUT_INDICES = [None, (0, 2)]  # the family's default, and a selection that leaves later stages out


def _case_id(value: object) -> str:
    return "family-default" if value is None else str(value)


def _class_kind(name: str) -> tuple[str, str]:
    """The plugin and kind of ``name``: architectures that share them share their model class."""
    return get_model_entry(name).plugin, kind(name)


def _cases() -> list[tuple[str, str | None]]:
    """(architecture, wrapper): every sampled architecture with its family's default (None),
    against timm's default; and for the smallest architecture of each kind, every other wrapper
    timm names, against timm's of that name (a wrapper's layout follows the model's class, which a
    kind shares, so the other wrappers need not run for each of the ~440 variants)."""
    sample = sorted(native_sample(WIDE))
    smallest: dict[tuple[str, str], str] = {}
    for name in sorted(sample, key=parameter_count):
        smallest.setdefault(_class_kind(name), name)
    cases: list[tuple[str, str | None]] = []
    for name in sample:
        cases.append((name, None))
        if smallest[_class_kind(name)] == name:
            default = get_model_entry(name).features.feature_cls
            cases += [(name, cls) for cls in ("list", "dict", "hook", "getter") if cls != default]
    return cases


@dataclass
class Arch:
    name: str
    kwargs: dict[str, Any]
    state: dict[str, torch.Tensor]
    x: torch.Tensor


def _weights(layout: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Random weights for a classifier's state-dict layout that keep activations near unit scale.

    Kernels get a 1/sqrt(fan-in) scale, norm weights sit around 1 and running variances
    stay positive, so that deep networks neither vanish nor overflow and a swapped or
    misplaced tensor shows in the outputs.
    """
    state = {}
    for key, tensor in layout.items():
        if not tensor.is_floating_point():
            state[key] = torch.zeros(tensor.shape, dtype=tensor.dtype)
            continue
        values = noise(key, tensor.shape)
        if key.endswith("running_var"):
            state[key] = 1.0 + 0.4 * values.clamp(-1, 1)
        elif tensor.ndim > 1:
            state[key] = values / math.sqrt(tensor.numel() // tensor.shape[0])
        elif key.endswith("weight"):
            state[key] = 1.0 + 0.1 * values
        else:
            state[key] = 0.1 * values
    return state


@functools.lru_cache(maxsize=1)  # the tests of one architecture run one after the other
def _arch(name: str) -> Arch:
    # transformers are built for the small input (their position embeddings depend on it)
    accepted = accepted_keywords(get_model_entry(name).load_builder()) or frozenset()
    kwargs = {"img_size": SIZE} if "img_size" in accepted else {}
    with on_meta():
        layout = hub.create_model(name, **kwargs).state_dict()
    return Arch(name, kwargs, _weights(layout), sample_input(SIZE, batch=1))


@pytest.fixture()
def arch(request: pytest.FixtureRequest) -> Arch:
    return _arch(request.param)


def _timm_extractor(arch: Arch, **kwargs: Any) -> torch.nn.Module | None:
    """timm's extractor on the meta device (built for real where timm computes a buffer), or None
    where timm builds none for this family and wrapper."""
    kwargs = {**TIMM_BUILD_KWARGS.get(arch.name, {}), **arch.kwargs, **kwargs}
    try:
        if timm_computes_buffers(arch.name):
            return timm.create_model(arch.name, features_only=True, **kwargs)
        with on_meta():
            return timm.create_model(arch.name, features_only=True, **kwargs)
    except AssertionError:  # timm's extractors assert that the stage modules are reachable
        return None


def _hub_extractor(arch: Arch, **kwargs: Any) -> torch.nn.Module:
    return hub_with_state(arch.name, arch.state, features_only=True, **arch.kwargs, **kwargs)


@pytest.mark.parametrize("out_indices", OUT_INDICES, ids=["default", "0-2"])
@pytest.mark.parametrize(("arch", "feature_cls"), _cases(), indirect=["arch"], ids=_case_id)
def test_extractor_state_dict_loads_into_timms_and_back(
    arch: Arch, feature_cls: str | None, out_indices: tuple[int, ...] | None
) -> None:
    kwargs: dict[str, Any] = {}
    if feature_cls is not None:
        kwargs["feature_cls"] = feature_cls
    if out_indices is not None:
        kwargs["out_indices"] = out_indices
    default_cls = get_model_entry(arch.name).features.feature_cls
    if default_cls == "getter" and feature_cls not in (None, "getter"):
        # timm has no "list" or "dict" extractor for these models and its "hook" one returns token
        # sequences; hub refuses all three and says why.
        with pytest.raises(ValueError, match="token sequences"):
            _hub_extractor(arch, **kwargs)
        return
    ours = _hub_extractor(arch, **kwargs)
    theirs = _timm_extractor(arch, **kwargs)
    with torch.no_grad():
        got = _as_list(ours(arch.x))
    if theirs is None:
        # timm cannot lift stages out of these families' containers (EfficientNet's "list" and
        # "dict"); hub's extractor still returns the stages forward_intermediates gives.
        assert feature_cls in ("list", "dict") and default_cls == "trunk"
        with on_meta():
            model = hub.create_model(arch.name, **arch.kwargs)
        model.load_state_dict(arch.state, strict=True, assign=True)
        with torch.no_grad():
            expected = model.eval().forward_intermediates(
                arch.x, indices=list(ours.feature_info.out_indices), intermediates_only=True
            )
        assert_close(got, expected)
        return

    assert_same_state_dict_layout(theirs, ours)
    for accessor in ("module_name", "channels", "reduction"):
        assert getattr(ours.feature_info, accessor)() == getattr(theirs.feature_info, accessor)(), accessor
    theirs.load_state_dict(ours.state_dict(), strict=True, assign=True)
    with torch.no_grad():
        want = _as_list(theirs.eval()(arch.x))
    assert len(got) == len(want) == len(ours.feature_info.out_indices)
    assert_close(got, want)

    # and back: timm's state dict, strictly, into hub's extractor
    ours.load_state_dict(theirs.state_dict(), strict=True, assign=True)


def _as_list(outputs: Any) -> list[torch.Tensor]:
    return list(outputs.values()) if isinstance(outputs, dict) else list(outputs)


@pytest.mark.parametrize("name", sorted(native_models()))
def test_every_default_extractor_has_timms_layout(name: str) -> None:
    """The default extractor's state-dict layout and stages equal timm's default, on the meta device."""
    accepted = accepted_keywords(get_model_entry(name).load_builder()) or frozenset()
    kwargs = {"img_size": SIZE} if "img_size" in accepted else {}
    with on_meta():
        ours = hub.create_model(name, features_only=True, **kwargs)
        theirs = timm.create_model(name, features_only=True, **TIMM_BUILD_KWARGS.get(name, {}), **kwargs)
    assert_same_state_dict_layout(theirs, ours)
    for accessor in ("module_name", "channels", "reduction"):
        assert getattr(ours.feature_info, accessor)() == getattr(theirs.feature_info, accessor)(), accessor
