"""Adapting pretrained weights to the model that was asked for, driven by the cfg.

- ``in_chans``: the convs named by ``first_conv`` get weights for the new channel count.
- ``num_classes``: the layers named by ``classifier`` are left out, for a fresh head.
- ``label_offset``: weights with an extra background class lose it.
- Position embeddings: those a model reports (``pos_embed_grids()``) are resampled to
  its own grid.

Each change is logged once at INFO level on the "hub" logger.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

import torch

from hub._pretrained_cfg import PretrainedCfg
from hub.errors import StateDictMismatchError
from hub.layers.pos_embed import PosEmbedGrid, resample_abs_pos_embed

__all__ = ["adapt_input_conv", "adapt_pretrained", "classifier_keys"]

_logger = logging.getLogger("hub")


def adapt_input_conv(weight: torch.Tensor, in_chans: int, source_chans: int) -> torch.Tensor:
    """Conv weights (out, source_chans, kh, kw) rewritten for ``in_chans`` input channels.

    One channel: the sum over the source channels (a grey image is the sum of its RGB
    weights). Any other count: the source channels repeated cyclically and scaled by
    source/target, so the expected activation stays the same.
    """
    if in_chans == source_chans:
        return weight
    dtype = weight.dtype
    weight = weight.float()
    chans = weight.shape[1]
    if chans != source_chans:
        raise StateDictMismatchError(
            f"the input conv has {chans} input channels but the cfg says the weights take {source_chans}"
        )
    if in_chans == 1:
        adapted = weight.sum(dim=1, keepdim=True)
    else:
        repeats = -(-in_chans // source_chans)  # ceil
        adapted = weight.repeat(1, repeats, 1, 1)[:, :in_chans]
        adapted = adapted * (source_chans / in_chans)
    return adapted.to(dtype)


def classifier_keys(cfg: PretrainedCfg, keys: Iterable[str]) -> list[str]:
    """Checkpoint keys that belong to the classifier layers the cfg names."""
    names = cfg.classifier_names
    return [k for k in keys if any(k == f"{n}.weight" or k == f"{n}.bias" for n in names)]


def adapt_pretrained(
    state_dict: dict[str, torch.Tensor],
    cfg: PretrainedCfg,
    *,
    in_chans: int,
    num_classes: int,
    model_shapes: Mapping[str, tuple[int, ...]],
    grids: Mapping[str, PosEmbedGrid],
) -> list[str]:
    """Rewrite ``state_dict`` in place for the model; returns the model keys it must not expect.

    ``model_shapes`` are the model's state-dict keys (in order) and shapes: a new head's
    keys are left out whether or not the checkpoint has them. ``grids`` are the model's
    position embeddings that may be resampled from another grid.
    """
    for conv_name in cfg.first_conv_names:
        key = f"{conv_name}.weight"
        if key in state_dict and in_chans != cfg.in_chans:
            if model_shapes.get(key) == tuple(state_dict[key].shape):
                continue  # it fits as it is: a stem that folds pixels into channels reads 16 x 3 of them
            state_dict[key] = adapt_input_conv(state_dict[key], in_chans, cfg.in_chans)
            _logger.info("adapted %s from %d to %d input channel(s)", key, cfg.in_chans, in_chans)

    left_out: list[str] = []
    if num_classes != cfg.num_classes:
        left_out = classifier_keys(cfg, dict.fromkeys([*model_shapes, *state_dict]))  # model order, no repeats
        for key in left_out:
            state_dict.pop(key, None)
        if left_out:
            action = "removed the classifier" if num_classes == 0 else f"initialised a new {num_classes}-class head"
            _logger.info("the weights have %d classes; %s (%s left out)", cfg.num_classes, action, ", ".join(left_out))
    elif cfg.label_offset:
        for key in classifier_keys(cfg, state_dict):
            state_dict[key] = state_dict[key][cfg.label_offset :]
        _logger.info("dropped %d leading class(es) of the pretrained classifier (label_offset)", cfg.label_offset)

    for key, grid in grids.items():
        if key in state_dict and key in model_shapes and tuple(state_dict[key].shape) != model_shapes[key]:
            old = state_dict[key]
            state_dict[key] = resample_abs_pos_embed(old, grid.grid_size, num_prefix_tokens=grid.num_prefix_tokens)
            _logger.info(
                "resampled %s from %d to %d tokens (%dx%d grid)",
                key,
                old.shape[1],
                state_dict[key].shape[1],
                *grid.grid_size,
            )
    return left_out
