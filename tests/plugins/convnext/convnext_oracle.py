"""Helpers shared by the hub-convnext tests: timm's model with random weights, and ours holding them."""

from __future__ import annotations

import torch
from support.timm_oracle import timm

import hub


def random_state(model: torch.nn.Module, seed: int = 0) -> dict[str, torch.Tensor]:
    """Random weights for ``model``'s layout, none of them inert.

    Layer scale (1e-6 at init) and GRN (zero at init) get values that matter; norms get
    weights around 1. Drawing them directly also spares timm's slow init of the large models.
    """
    generator = torch.Generator().manual_seed(seed)
    norm_weights = {f"{name}.weight" for name, m in model.named_modules() if isinstance(m, torch.nn.LayerNorm)}
    state = {}
    for name, tensor in model.state_dict().items():
        noise = torch.randn(tensor.shape, generator=generator)
        if tensor.ndim > 1:
            state[name] = 0.02 * noise
        else:
            state[name] = 0.2 * noise + (1.0 if name in norm_weights else 0.0)
    return state


def timm_model(arch: str, state: dict[str, torch.Tensor] | None = None, **kwargs) -> torch.nn.Module:
    """timm's model built without initialising, holding ``state`` (random weights when None)."""
    with torch.device("meta"):
        model = timm.create_model(arch, **kwargs)
    model.load_state_dict(state if state is not None else random_state(model), strict=True, assign=True)
    return model.eval()


def build_ours(arch: str, state: dict[str, torch.Tensor], **kwargs) -> torch.nn.Module:
    """Our model through the core's pretrained path (built on the meta device, then assigned).

    The model shares its tensors with ``state``; the tests here only run it in eval mode.
    """
    return hub.create_model(arch, pretrained=True, pretrained_cfg_overlay={"state_dict": state}, **kwargs).eval()
