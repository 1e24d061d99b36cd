"""timm as the oracle: build timm's model and ours with the same weights and compare.

Shared by the parity tests of every family, so that a family's tests are a list of
names plus calls to these helpers.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import torch

timm = pytest.importorskip("timm")  # a test dependency; .ci/run installs it

import hub  # noqa: E402


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


def random_state(model: torch.nn.Module, seed: int = 0) -> dict[str, torch.Tensor]:
    """Random weights for ``model``'s layout (which may be on the meta device), none of them inert.

    Layer scale (1e-6 at init) and response norms (zero at init) get values that matter;
    LayerNorm weights sit around 1; batch-norm variances are positive and counters zero.
    """
    generator = torch.Generator().manual_seed(seed)
    norm_weights = {f"{name}.weight" for name, m in model.named_modules() if isinstance(m, torch.nn.LayerNorm)}
    state = {}
    for name, tensor in model.state_dict().items():
        if not tensor.is_floating_point():  # num_batches_tracked
            state[name] = torch.zeros(tensor.shape, dtype=tensor.dtype)
            continue
        if name.endswith("running_var"):
            state[name] = torch.rand(tensor.shape, generator=generator) + 0.5
            continue
        noise = torch.randn(tensor.shape, generator=generator)
        if tensor.ndim > 1:
            state[name] = 0.02 * noise
        else:
            state[name] = 0.2 * noise + (1.0 if name in norm_weights else 0.0)
    return state


def timm_random(arch: str, state: dict[str, torch.Tensor] | None = None, **kwargs: Any) -> torch.nn.Module:
    """timm's model built without initialising, holding ``state`` (`random_state` when None), in eval."""
    with torch.device("meta"):
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
