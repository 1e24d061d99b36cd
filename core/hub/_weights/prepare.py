"""Turning located weights into the state dict a model takes: read, adapt, check. No module here.

The model side is described by a `ModelLayout` (its tensors' names, shapes and dtypes, and
the input channels and classes it was built with); building the model and putting the
weights into it is `hub._build`'s job.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

import torch

from hub._pretrained_cfg import PretrainedCfg
from hub._weights.adapt import adapt_pretrained, classifier_keys
from hub._weights.read import read_state_dict
from hub._weights.source import WeightSource
from hub.errors import StateDictMismatchError
from hub.layers.pos_embed import PosEmbedGrid

__all__ = ["ModelLayout", "PreparedWeights", "prepare_weights"]

_logger = logging.getLogger("hub")
_MAX_LISTED = 8


@dataclass(frozen=True)
class ModelLayout:
    """What weights must fit: the model's tensors and the input channels and classes it was built with.

    ``tensors`` are the model's own (unwritten) tensors by state-dict name; only their
    shapes and dtypes are read. ``grids`` are the position embeddings it declares for
    resampling (``pos_embed_grids()``).
    """

    tensors: Mapping[str, torch.Tensor]
    in_chans: int
    num_classes: int
    grids: Mapping[str, PosEmbedGrid] = field(default_factory=dict)


@dataclass(frozen=True)
class PreparedWeights:
    """A state dict ready for ``load_state_dict(assign=True)``.

    ``fresh_head`` names the classifier tensors it leaves out on purpose: the model
    makes a new classifier for them.
    """

    state_dict: dict[str, torch.Tensor]
    fresh_head: tuple[str, ...] = ()


def prepare_weights(
    source: WeightSource, cfg: PretrainedCfg, layout: ModelLayout, *, adapt: bool, reinit_head: bool
) -> PreparedWeights:
    """Read ``source`` and fit it to ``layout``.

    ``adapt``: pretrained weights, adapted to the model's input channels, classes and
    position-embedding grids (``cfg`` says what the weights are). Otherwise (a user's
    checkpoint) keys and shapes must match exactly, except that ``reinit_head`` allows a
    classifier of another size, which is then left for a new one.
    """
    state_dict = read_state_dict(source)
    expected = layout.tensors
    if adapt:
        fresh = adapt_pretrained(
            state_dict,
            cfg,
            in_chans=layout.in_chans,
            num_classes=layout.num_classes,
            model_shapes={name: tuple(tensor.shape) for name, tensor in expected.items()},
            grids=layout.grids,
        )
    else:
        fresh = _fit_checkpoint_head(state_dict, expected, cfg, reinit_head, source)
    missing_ok = set(fresh)
    if adapt and cfg.num_classes == 0:
        missing_ok |= _headless(state_dict, expected, cfg)
    _check_keys(state_dict, expected, missing_ok, source)
    for key, value in state_dict.items():
        if value.dtype != expected[key].dtype and value.is_floating_point():
            state_dict[key] = value.to(expected[key].dtype)
    _logger.info("loaded weights from %s", source.description)
    return PreparedWeights(state_dict, tuple(fresh))


def _headless(
    state_dict: dict[str, torch.Tensor], expected: Mapping[str, torch.Tensor], cfg: PretrainedCfg
) -> set[str]:
    """Model keys of the head module that weights published without a classifier may lack.

    Self-supervised backbones (ConvNeXt-V2's FCMAE, say) come without the classifier and
    without the norm or pre-logits layers beside it; those layers keep their initialisation.
    """
    heads = tuple(name.rpartition(".")[0] + "." for name in cfg.classifier_names if "." in name)
    absent = {k for k in expected if heads and k.startswith(heads) and k not in state_dict}
    if absent:
        _logger.info("the weights have no classifier head; %s keep their initialisation", ", ".join(sorted(absent)))
    return absent


def _fit_checkpoint_head(
    state_dict: dict[str, torch.Tensor],
    expected: Mapping[str, torch.Tensor],
    cfg: PretrainedCfg,
    reinit_head: bool,
    source: WeightSource,
) -> list[str]:
    """A user's checkpoint: the body must fit exactly; its classifier must fit too, unless left out.

    The classifier is left out (for a new one) with ``reinit_head``, and when the model has
    none (``num_classes=0``, a feature extractor). Returns the model's classifier keys left
    to a new head.
    """
    head = classifier_keys(cfg, dict.fromkeys([*expected, *state_dict]))
    # Another architecture shows in the body: say that, not something about classes.
    _check_keys({k: v for k, v in state_dict.items() if k not in head}, expected, set(head), source)
    in_model = [k for k in head if k in expected]
    in_checkpoint = [k for k in head if k in state_dict]
    fits = in_model == in_checkpoint and all(state_dict[k].shape == expected[k].shape for k in in_model)
    if fits and not (reinit_head and in_checkpoint):
        return []
    if reinit_head or not in_model:
        for key in in_checkpoint:
            del state_dict[key]
        reason = "reinit_head=True" if reinit_head else "the model has no classifier"
        _logger.info("left the checkpoint's classifier out (%s): %s", reason, ", ".join(in_checkpoint) or "none")
        return in_model
    ckpt, ours = _classes_in(state_dict, head), _classes_in(expected, head)
    if not in_checkpoint:
        raise StateDictMismatchError(
            f"the checkpoint {source.description} has no classifier ({', '.join(in_model)}) but the model has a "
            f"{ours}-class one; build it with num_classes=0 (features), or pass reinit_head=True to start a new "
            "classifier"
        )
    raise StateDictMismatchError(
        f"the checkpoint {source.description} has a {ckpt}-class classifier but the model has "
        f"{ours} classes; build it with num_classes={ckpt}, or pass reinit_head=True to start a new classifier"
    )


def _classes_in(state_dict: Mapping[str, torch.Tensor], head: list[str]) -> int:
    weights = [state_dict[k] for k in head if k.endswith(".weight") and k in state_dict]
    return int(weights[0].shape[0]) if weights else 0


def _check_keys(
    state_dict: dict[str, torch.Tensor],
    expected: Mapping[str, torch.Tensor],
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
