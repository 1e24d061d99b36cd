"""timm as the oracle: build timm's model and ours with the same weights and compare.

Shared by the parity tests of every family, so that a family's tests are a list of
names plus calls to these helpers.
"""

from __future__ import annotations

import dataclasses
import math
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import torch

timm = pytest.importorskip("timm")  # a test dependency; .ci/run installs it

import hub  # noqa: E402
from hub._build import skip_init  # noqa: E402


@contextmanager
def on_meta() -> Iterator[None]:
    """The meta device, initialisers skipped: timm's models initialise there too, where it only costs time."""
    with torch.device("meta"), skip_init():
        yield


def timm_tags(arch: str) -> list[str]:
    """timm's pretrained tags of ``arch`` in its registration order (the first is the default)."""
    from timm.models._registry import _model_default_cfgs

    return [t for t in _model_default_cfgs[arch].tags if t]


def _normalise(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_normalise(v) for v in value)
    if isinstance(value, tuple):
        return tuple(_normalise(v) for v in value)
    if value == "":
        return None
    return value


def cfg_facts(cfg: Any) -> dict[str, Any]:
    """A cfg (timm's or ours) as comparable data: every field but the in-memory state dict."""
    data = dataclasses.asdict(cfg) if dataclasses.is_dataclass(cfg) else dict(cfg)
    data.pop("state_dict", None)
    return {k: _normalise(v) for k, v in data.items()}


def assert_cfgs_match(arch: str) -> None:
    """Our registered tags and cfgs for ``arch`` equal timm's, default tag first."""
    from timm.models import get_pretrained_cfg as timm_cfg

    ours = hub.list_models(arch, pretrained=False)
    assert ours == [arch], f"{arch} is not registered (got {ours})"
    from hub._listing import get_model_entry

    entry = get_model_entry(arch)
    assert list(entry.tags) == timm_tags(arch), f"{arch}: tags or their order differ from timm's"
    for tag in entry.tags:
        expected = cfg_facts(timm_cfg(f"{arch}.{tag}"))
        actual = cfg_facts(hub.get_pretrained_cfg(f"{arch}.{tag}"))
        diff = {k: (actual.get(k), expected.get(k)) for k in expected if actual.get(k) != expected.get(k)}
        assert not diff, f"{arch}.{tag}: fields differ (ours, timm's): {diff}"
        # read as a mapping, our cfg is the dict timm gives its models: the same keys and values
        assert dict(hub.get_pretrained_cfg(f"{arch}.{tag}")) == timm_dict(timm_cfg(f"{arch}.{tag}")), f"{arch}.{tag}"


def timm_and_hub(arch: str, **kwargs: Any) -> tuple[torch.nn.Module, torch.nn.Module]:
    """timm's model and ours for the same arguments, ours holding timm's weights (strict load), both in eval."""
    reference = timm.create_model(arch, **kwargs).eval()
    ours = hub.create_model(arch, **kwargs).eval()
    ours.load_state_dict(reference.state_dict(), strict=True)
    return reference, ours


def assert_same_state_dict_layout(reference: torch.nn.Module, ours: torch.nn.Module) -> None:
    ref = {k: tuple(v.shape) for k, v in reference.state_dict().items()}
    got = {k: tuple(v.shape) for k, v in ours.state_dict().items()}
    assert list(got) == list(ref), (
        f"key order/names differ: only ours {set(got) - set(ref)}, only timm {set(ref) - set(got)}"
    )
    assert got == ref


def assert_close(actual: Any, expected: Any, atol: float = 1e-5, rtol: float = 1e-5) -> None:
    """Tensors, or lists / dicts of tensors, equal within tolerance."""
    if isinstance(expected, dict):
        expected = list(expected.values())
    if isinstance(actual, dict):
        actual = list(actual.values())
    if isinstance(expected, (list, tuple)):
        assert len(actual) == len(expected)
        for a, e in zip(actual, expected, strict=True):
            assert_close(a, e, atol, rtol)
        return
    assert actual.shape == expected.shape, f"shape {tuple(actual.shape)} != {tuple(expected.shape)}"
    torch.testing.assert_close(actual, expected, atol=atol, rtol=rtol)


def sample_input(size: int = 64, channels: int = 3, batch: int = 2, seed: int = 0) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(batch, channels, size, size, generator=generator)


def hub_with_state(arch: str, state: dict[str, torch.Tensor], **kwargs: Any) -> torch.nn.Module:
    """Our model given ``state`` through the core's pretrained path (built uninitialised, then assigned), in eval."""
    return hub.create_model(arch, pretrained=True, pretrained_cfg_overlay={"state_dict": state}, **kwargs).eval()


def timm_with_state(arch: str, state: dict[str, torch.Tensor], **kwargs: Any) -> torch.nn.Module:
    """timm's model given ``state`` through timm's own pretrained path, in eval."""
    return timm.create_model(arch, pretrained=True, pretrained_cfg_overlay={"state_dict": state}, **kwargs).eval()


def both_with_state(
    arch: str, state: dict[str, torch.Tensor], **kwargs: Any
) -> tuple[torch.nn.Module, torch.nn.Module]:
    """(timm's model, ours), each loading ``state`` through its library's pretrained path."""
    return timm_with_state(arch, state, **kwargs), hub_with_state(arch, state, **kwargs)


def perturbed_state(model: torch.nn.Module, seed: int = 0) -> dict[str, torch.Tensor]:
    """The model's own weights with random norm statistics, norm affines and conv biases.

    Freshly initialised norms are identities and biases zeros, which would hide a swapped
    norm, a wrong epsilon or a dropped bias; these values make every one of them show.
    """
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                n = module.num_features
                module.running_mean.copy_(torch.rand(n, generator=generator) * 0.2 - 0.1)
                module.running_var.copy_(torch.rand(n, generator=generator) + 0.5)
                module.weight.copy_(torch.rand(n, generator=generator) * 0.4 + 0.8)
                module.bias.copy_(torch.rand(n, generator=generator) * 0.2 - 0.1)
            elif isinstance(module, torch.nn.Conv2d) and module.bias is not None:
                module.bias.copy_(torch.rand(module.out_channels, generator=generator) * 0.2 - 0.1)
    return model.state_dict()


# Drawing fresh normal values for the billions of weights the registry's tests give models
# would dominate the run: every random tensor is a window of one shared draw instead, at an
# offset derived from its name (distinct tensors get distinct values, a swap shows).
_NOISE = torch.randn(1 << 24, generator=torch.Generator().manual_seed(0))


def noise(key: str, shape: torch.Size | tuple[int, ...]) -> torch.Tensor:
    """Standard normal values of ``shape`` for the tensor named ``key`` (a view: do not write to it)."""
    count = math.prod(shape)
    pool = _NOISE if count <= len(_NOISE) else _NOISE.repeat(count // len(_NOISE) + 1)
    offset = zlib.crc32(key.encode()) % (len(pool) - count + 1)
    return pool[offset : offset + count].view(shape)


def random_state(model: torch.nn.Module, seed: int = 0) -> dict[str, torch.Tensor]:
    """Random weights for ``model``'s layout (which may be on the meta device), none of them inert.

    Layer scale (1e-6 at init) and response norms (zero at init) get values that matter;
    LayerNorm weights sit around 1; batch-norm variances are positive and counters zero.
    """
    norm_weights = {f"{name}.weight" for name, m in model.named_modules() if isinstance(m, torch.nn.LayerNorm)}
    state = {}
    for name, tensor in model.state_dict().items():
        if not tensor.is_floating_point():  # num_batches_tracked
            state[name] = torch.zeros(tensor.shape, dtype=tensor.dtype)
            continue
        values = noise(f"{seed}:{name}", tensor.shape)
        if name.endswith("running_var"):
            state[name] = 1.0 + 0.5 * values.clamp(-1, 1)
        elif tensor.ndim > 1:
            state[name] = 0.02 * values
        else:
            state[name] = 0.2 * values + (1.0 if name in norm_weights else 0.0)
    return state


# Arguments timm's entry point needs to build the model its weights were made for: timm gives
# fbnetc_100 its 1e-3 norm epsilon only when it builds with pretrained=True.
TIMM_BUILD_KWARGS: dict[str, dict[str, Any]] = {"fbnetc_100": {"bn_eps": 1e-3}}


def timm_computes_buffers(arch: str) -> bool:
    """True where timm's model computes a buffer when built (a blur filter), so it cannot be built on the meta device."""
    return "blur" in arch


def timm_random(arch: str, state: dict[str, torch.Tensor] | None = None, **kwargs: Any) -> torch.nn.Module:
    """timm's model built without initialising, holding ``state`` (`random_state` when None), in eval."""
    with on_meta():
        model = timm.create_model(arch, **kwargs)
    model.load_state_dict(state if state is not None else random_state(model), strict=True, assign=True)
    return model.eval()


def assert_outputs_match(ours: torch.nn.Module, reference: torch.nn.Module, x: torch.Tensor) -> None:
    """forward, forward_features and forward_head(pre_logits=True) equal timm's, in eval and without grad."""
    with torch.no_grad():
        assert_close(ours(x), reference(x))
        features = ours.forward_features(x)
        assert_close(features, reference.forward_features(x))
        assert_close(ours.forward_head(features, pre_logits=True), reference.forward_head(features, pre_logits=True))


def timm_dict(cfg: Any) -> dict[str, Any]:
    """timm's ``pretrained_cfg`` dict of a model or cfg, without the empty strings timm writes for "no url"."""
    data = cfg.to_dict() if dataclasses.is_dataclass(cfg) else dict(cfg)
    return {k: v for k, v in data.items() if v != ""}


def assert_cfg_dict_matches(ours: Any, reference: Any, *, ignore: tuple[str, ...] = ()) -> None:
    """Our cfg read as a dict has every key of timm's dict (but ``ignore``), with equal values (types included)."""
    expected = {k: v for k, v in timm_dict(reference).items() if k not in ignore}
    got = {k: ours[k] for k in expected if k in ours}
    assert got == expected, {k: (got.get(k, "<missing>"), v) for k, v in expected.items() if got.get(k) != v}


def _stages(feature_info: Any) -> list[tuple[int, int, str]]:
    return [(s["num_chs"], s["reduction"], s["module"]) for s in feature_info]


def _classifiers(model: torch.nn.Module) -> list[tuple[str | None, dict[str, tuple[int, ...]]]]:
    """Where ``get_classifier()``'s modules sit in the model, and their tensors' shapes."""
    found = model.get_classifier()
    names = {id(m): n for n, m in model.named_modules()}
    return [
        (names.get(id(head)), {k: tuple(v.shape) for k, v in head.state_dict().items()})
        for head in (found if isinstance(found, tuple) else (found,))
    ]


def _head_facts(model: torch.nn.Module) -> tuple[Any, ...]:
    return model.num_classes, model.num_features, model.head_hidden_size, _classifiers(model)


def _timm_groups(model: torch.nn.Module, coarse: bool) -> list[list[str]]:
    """The parameter groups timm's training code makes of ``model`` from its ``group_matcher``."""
    from timm.models import group_parameters

    return list(group_parameters(model, model.group_matcher(coarse=coarse)).values())


def _layer_decay_groups(model: torch.nn.Module) -> list[tuple[float, float, list[str]]]:
    """timm's optimizer parameter groups for layer-wise LR decay and weight decay, by parameter name."""
    from timm.optim import param_groups_layer_decay

    names = {id(p): n for n, p in model.named_parameters()}
    excluded = model.no_weight_decay() if hasattr(model, "no_weight_decay") else ()
    groups = param_groups_layer_decay(model, weight_decay=0.05, no_weight_decay_list=excluded, layer_decay=0.75)
    return [(g["lr_scale"], g["weight_decay"], [names[id(p)] for p in g["params"]]) for g in groups]


def assert_timm_surface_matches(arch: str) -> None:
    """What code written for timm reads from a model, ours equal to timm's model of the same name.

    Compared on the meta device: ``pretrained_cfg`` / ``default_cfg`` as dicts, the head
    (``num_classes``, ``num_features``, ``head_hidden_size``, ``get_classifier()``) before
    and after ``reset_classifier``, ``feature_info``, the parameter groups of
    ``group_matcher`` (as timm groups them, and as ``hub.testing`` reads them),
    ``no_weight_decay()``, and timm's own layer-decay optimizer groups and data config.
    (Extractors get their cfg from the core, the same for every family: see
    ``tests/core/test_timm_surface.py``.)
    """
    from timm.data import resolve_model_data_config

    from hub.testing._grouping import group_names

    with on_meta():
        reference, ours = timm.create_model(arch), hub.create_model(arch)
    assert ours.default_cfg is ours.pretrained_cfg
    assert_cfg_dict_matches(ours.pretrained_cfg, reference.pretrained_cfg)
    assert resolve_model_data_config(ours) == resolve_model_data_config(reference)
    assert _stages(ours.feature_info) == _stages(reference.feature_info)
    assert _head_facts(ours) == _head_facts(reference)
    parameters = [n for n, _ in ours.named_parameters()]
    for coarse in (False, True):
        groups = _timm_groups(reference, coarse)
        assert _timm_groups(ours, coarse) == groups, f"group_matcher(coarse={coarse})"
        assert group_names(parameters, ours.group_matcher(coarse=coarse)) == groups
    assert set(getattr(ours, "no_weight_decay", set)()) == set(getattr(reference, "no_weight_decay", set)())
    assert _layer_decay_groups(ours) == _layer_decay_groups(reference)
    assert callable(ours.set_grad_checkpointing)
    with on_meta():
        for args in ((0,), (5,), (0, "")):
            ours.reset_classifier(*args)
            reference.reset_classifier(*args)
            assert _head_facts(ours) == _head_facts(reference), f"after reset_classifier{args}"


def training_step(model: torch.nn.Module, x: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Logits and parameter gradients of one training-mode step on ``x``."""
    model.train().zero_grad()
    logits = model(x)
    logits.sum().backward()
    return logits.detach(), {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}


def assert_grad_checkpointing_matches(reference: torch.nn.Module, ours: torch.nn.Module, x: torch.Tensor) -> None:
    """With checkpointing on in both, a training step gives timm's logits and gradients (and ours without it)."""
    plain_logits, plain_grads = training_step(ours, x)
    reference.set_grad_checkpointing(True)
    ours.set_grad_checkpointing(True)
    ref_logits, ref_grads = training_step(reference, x)
    logits, grads = training_step(ours, x)
    assert_close(logits, ref_logits)
    assert_close(logits, plain_logits)
    assert list(grads) == list(ref_grads)
    assert_close(grads, ref_grads, atol=1e-4, rtol=1e-4)
    assert_close(grads, plain_grads, atol=1e-4, rtol=1e-4)
