"""Every registered architecture's feature extractors against timm's: the same state dict, either way.

For each architecture up to 100M parameters (the wider ones: layout only, on the meta device),
the family's default wrapper against timm's default, and for one
architecture of each kind, each other wrapper timm also builds: the same keys, order and
shapes, strict loads from hub's extractor into timm's and back, the same stages and equal
outputs. Models are built on the meta device and given
weights by assignment, so each check costs a forward pass, not an initialisation.
"""

from __future__ import annotations

import functools
import math
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import torch
from support.registry import native_models, parameter_count
from support.timm_oracle import (
    TIMM_BUILD_KWARGS,
    assert_close,
    assert_same_state_dict_layout,
    hub_with_state,
    sample_input,
    timm,
    timm_computes_buffers,
)

import hub
from hub._build import accepted_keywords, skip_init
from hub._listing import get_model_entry

SIZE = 64
WIDE = 100_000_000  # parameters: random weights for wider models take gigabytes; their layout is checked
OUT_INDICES = [None, (0, 2)]  # the family's default, and a selection that leaves later stages out


def _case_id(value: object) -> str:
    return "family-default" if value is None else str(value)


def _kind(name: str) -> str:
    """The architecture's kind ("resnet", "seresnext", "efficientnet", "vit", ...): its name's first word."""
    match = re.match(r"[a-z]+", name.removeprefix("tf_"))
    return match.group() if match else name


def _cases() -> list[tuple[str, str | None]]:
    """(architecture, wrapper): every registered architecture with its family's default (None),
    against timm's default; and for the first architecture of each kind, every other wrapper timm
    names, against timm's of that name (a wrapper's layout follows the model's class, which a
    kind shares, so the other wrappers need not run for each of the ~440 variants)."""
    cases: list[tuple[str, str | None]] = []
    kinds: set[str] = set()
    for name in sorted(native_models()):
        if parameter_count(name) > WIDE:
            continue  # test_wide_extractors_have_timms_layout
        cases.append((name, None))
        if _kind(name) in kinds:
            continue
        kinds.add(_kind(name))
        default = get_model_entry(name).features.feature_cls
        cases += [(name, cls) for cls in ("list", "dict", "hook", "getter") if cls != default]
    return cases


@dataclass
class Arch:
    name: str
    kwargs: dict[str, Any]
    state: dict[str, torch.Tensor]
    x: torch.Tensor


# Drawing fresh normal values for the ~5 billion weights of the registry would dominate the run:
# every tensor is a window of one shared draw instead, at an offset derived from its name.
_NOISE = torch.randn(1 << 24, generator=torch.Generator().manual_seed(0))


def _noise(key: str, shape: torch.Size) -> torch.Tensor:
    count = math.prod(shape)
    pool = _NOISE if count <= len(_NOISE) else _NOISE.repeat(count // len(_NOISE) + 1)
    offset = zlib.crc32(key.encode()) % (len(pool) - count + 1)
    return pool[offset : offset + count].view(shape)


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
        noise = _noise(key, tensor.shape)
        if key.endswith("running_var"):
            state[key] = 1.0 + 0.4 * noise.clamp(-1, 1)
        elif tensor.ndim > 1:
            state[key] = noise / math.sqrt(tensor.numel() // tensor.shape[0])
        elif key.endswith("weight"):
            state[key] = 1.0 + 0.1 * noise
        else:
            state[key] = 0.1 * noise
    return state


@functools.lru_cache(maxsize=1)  # the tests of one architecture run one after the other
def _arch(name: str) -> Arch:
    # transformers are built for the small input (their position embeddings depend on it)
    accepted = accepted_keywords(get_model_entry(name).load_builder()) or frozenset()
    kwargs = {"img_size": SIZE} if "img_size" in accepted else {}
    with _empty():
        layout = hub.create_model(name, **kwargs).state_dict()
    return Arch(name, kwargs, _weights(layout), sample_input(SIZE, batch=1))


@pytest.fixture()
def arch(request: pytest.FixtureRequest) -> Arch:
    return _arch(request.param)


@contextmanager
def _empty() -> Iterator[None]:
    """Build on the meta device without running initialisers (slow there, and overwritten anyway)."""
    with torch.device("meta"), skip_init():
        yield


def _timm_extractor(arch: Arch, **kwargs: Any) -> torch.nn.Module | None:
    """timm's extractor on the meta device (built for real where timm computes a buffer), or None
    where timm builds none for this family and wrapper."""
    kwargs = {**TIMM_BUILD_KWARGS.get(arch.name, {}), **arch.kwargs, **kwargs}
    try:
        if timm_computes_buffers(arch.name):
            return timm.create_model(arch.name, features_only=True, **kwargs)
        with _empty():
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
        with _empty():
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


@pytest.mark.parametrize("name", [n for n in sorted(native_models()) if parameter_count(n) > WIDE])
def test_wide_extractors_have_timms_layout(name: str) -> None:
    """The widest architectures (random weights for them would take gigabytes): the default
    extractor's state-dict layout and stages equal timm's default, on the meta device."""
    accepted = accepted_keywords(get_model_entry(name).load_builder()) or frozenset()
    kwargs = {"img_size": SIZE} if "img_size" in accepted else {}
    with _empty():
        ours = hub.create_model(name, features_only=True, **kwargs)
        theirs = timm.create_model(name, features_only=True, **TIMM_BUILD_KWARGS.get(name, {}), **kwargs)
    assert_same_state_dict_layout(theirs, ours)
    for accessor in ("module_name", "channels", "reduction"):
        assert getattr(ours.feature_info, accessor)() == getattr(theirs.feature_info, accessor)(), accessor
