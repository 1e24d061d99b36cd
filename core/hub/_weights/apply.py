"""Putting a state dict into a model built without initialisation, without a second copy.

The model's tensors are replaced by the checkpoint's own (``load_state_dict(assign=True)``),
so memory holds one copy of the weights, memory-mapped for safetensors, and the unwritten
tensors of the build are freed. What the checkpoint does not cover (a new classifier) is
then created for real; when something else is left uncovered, the model is rebuilt with
normal initialisation instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import cast

import torch
from torch import nn

from hub._build import named_tensors, skipped_tensors
from hub._contract import ImageModel
from hub._pretrained_cfg import PretrainedCfg
from hub._weights.adapt import adapt_pretrained, classifier_keys
from hub._weights.read import read_state_dict
from hub._weights.source import WeightSource
from hub.errors import StateDictMismatchError

__all__ = ["load_weights"]

_logger = logging.getLogger("hub")
_MAX_LISTED = 8


def load_weights(
    model: nn.Module,
    source: WeightSource,
    cfg: PretrainedCfg,
    *,
    spared: set[int],
    adapt: bool,
    reinit_head: bool,
    rebuild: Callable[[], nn.Module],
) -> nn.Module:
    """Load ``source`` into ``model``, built under `skip_init` (``spared``); returns the ready model.

    ``adapt``: pretrained weights, adapted to the model's input channels, classes and
    grid. Otherwise (a user checkpoint) keys and shapes must match exactly, except that
    ``reinit_head`` allows a classifier of another size, which is re-initialised.
    """
    state_dict = read_state_dict(source)
    expected = model.state_dict()
    if adapt:
        left_out = adapt_pretrained(
            state_dict,
            model,
            cfg,
            in_chans=_model_in_chans(model, cfg),
            num_classes=_num_classes(model),
            model_keys=list(expected),
        )
    else:
        left_out = _check_head(state_dict, expected, cfg, reinit_head, source)
    missing_ok = set(left_out)
    if adapt and cfg.num_classes == 0:
        missing_ok |= _headless(state_dict, expected, cfg)
    _check_keys(state_dict, expected, missing_ok, source)
    for key, value in state_dict.items():
        if value.dtype != expected[key].dtype and value.is_floating_point():
            state_dict[key] = value.to(expected[key].dtype)
    originals = named_tensors(model)
    model.load_state_dict(state_dict, strict=False, assign=True)
    uncovered = [n for n in skipped_tensors(model, spared, originals) if n not in left_out]
    del originals
    if left_out:
        cast(ImageModel, model).reset_classifier(_num_classes(model))
    if uncovered:
        # Something the checkpoint cannot hold (a computed buffer, say): initialise normally.
        _logger.debug("rebuilding with initialisation, %s not covered by the weights", ", ".join(uncovered))
        model = rebuild()
        model.load_state_dict(state_dict, strict=False)
    _logger.info("loaded weights from %s", source.description)
    return model


def _headless(state_dict: dict[str, torch.Tensor], expected: dict[str, torch.Tensor], cfg: PretrainedCfg) -> set[str]:
    """Model keys of the head module that weights published without a classifier may lack.

    Self-supervised backbones (ConvNeXt-V2's FCMAE, say) come without the classifier and
    without the norm or pre-logits layers beside it; those layers keep their initialisation.
    """
    heads = tuple(name.rpartition(".")[0] + "." for name in cfg.classifier_names if "." in name)
    absent = {k for k in expected if heads and k.startswith(heads) and k not in state_dict}
    if absent:
        _logger.info("the weights have no classifier head; %s keep their initialisation", ", ".join(sorted(absent)))
    return absent


def _model_in_chans(model: nn.Module, cfg: PretrainedCfg) -> int:
    """Input channels of the model, read off its first conv (the one the cfg names)."""
    for name in cfg.first_conv_names:
        try:
            module = model.get_submodule(name)
        except AttributeError:
            continue
        weight = getattr(module, "weight", None)
        if isinstance(weight, torch.Tensor) and weight.ndim == 4:
            groups = getattr(module, "groups", 1)
            return int(weight.shape[1]) * int(groups)
    return cfg.in_chans


def _num_classes(model: nn.Module) -> int:
    return int(getattr(model, "num_classes", 0))


def _check_head(
    state_dict: dict[str, torch.Tensor],
    expected: dict[str, torch.Tensor],
    cfg: PretrainedCfg,
    reinit_head: bool,
    source: WeightSource,
) -> list[str]:
    """A checkpoint's classifier must fit the model, unless the caller asked for a new one."""
    head = classifier_keys(cfg, dict.fromkeys([*expected, *state_dict]))
    mismatched = [k for k in head if k in state_dict and k in expected and state_dict[k].shape != expected[k].shape]
    present_only_one_side = [k for k in head if (k in state_dict) != (k in expected)]
    if not (mismatched or present_only_one_side):
        return []
    if not reinit_head:
        ckpt = _classes_in(state_dict, head)
        raise StateDictMismatchError(
            f"the checkpoint {source.description} has a {ckpt}-class classifier but the model has "
            f"{_classes_in(expected, head)} classes; build it with num_classes={ckpt}, "
            "or pass reinit_head=True to start a new classifier"
        )
    left_out = [k for k in head if k in state_dict]
    for key in left_out:
        del state_dict[key]
    _logger.info("re-initialised the classifier (%s left out of the checkpoint)", ", ".join(left_out))
    return left_out


def _classes_in(state_dict: dict[str, torch.Tensor], head: list[str]) -> int:
    weights = [state_dict[k] for k in head if k.endswith(".weight") and k in state_dict]
    return int(weights[0].shape[0]) if weights else 0


def _check_keys(
    state_dict: dict[str, torch.Tensor],
    expected: dict[str, torch.Tensor],
    left_out: set[str],
    source: WeightSource,
) -> None:
    # BatchNorm fills in num_batches_tracked itself when old checkpoints lack it.
    missing = [
        k for k in expected if k not in state_dict and k not in left_out and not k.endswith("num_batches_tracked")
    ]
    unexpected = [k for k in state_dict if k not in expected]
    wrong_shape = [
        f"{k} {tuple(state_dict[k].shape)} vs model {tuple(expected[k].shape)}"
        for k in state_dict
        if k in expected and state_dict[k].shape != expected[k].shape
    ]
    problems = []
    if missing:
        problems.append(f"missing keys: {_some(missing)}")
    if unexpected:
        problems.append(f"unexpected keys: {_some(unexpected)}")
    if wrong_shape:
        problems.append(f"shape mismatches: {_some(wrong_shape)}")
    if problems:
        raise StateDictMismatchError(
            f"the weights in {source.description} do not fit the model ({'; '.join(problems)}); "
            "check that the model name and its arguments match the checkpoint"
        )


def _some(items: list[str]) -> str:
    shown = ", ".join(items[:_MAX_LISTED])
    return shown + (f" and {len(items) - _MAX_LISTED} more" if len(items) > _MAX_LISTED else "")
