"""`optimize`: an inference-only copy of a model that computes the same outputs, faster.

Three changes, each kept only where it is exact or measured to help:

- **BatchNorm folding.** An eval-mode BatchNorm that is the only consumer of a convolution
  (or linear layer) is an affine map per channel, so it folds into that layer's weight and
  bias (torch's ``fuse_conv_bn_eval`` / ``fuse_linear_bn_eval``) and disappears. Which
  norm follows which layer is read from a ``torch.fx`` trace of ``forward`` (with hub's
  tracing leaves); a model whose forward does not trace is traced submodule by
  submodule, so its blocks still fold.
- **oneDNN linear layers** on the CPU (`hub.layers.OneDNNLinear`): the bias added and a
  GELU or ReLU that only the layer feeds applied inside the matrix product, for inputs of
  enough rows that this pays (the layer decides per call).
- **Channels-last** memory format, where timing both layouts on the model shows it faster.
- **torch.compile**, when asked.

The model keeps its class, attributes and methods (``forward_features``, ``feature_info``,
``pretrained_cfg``, ...): folded layers are swapped in place in a deep copy.
"""

from __future__ import annotations

import copy
import logging
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import torch
import torch.fx
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_weights, fuse_linear_bn_weights

from hub._build import check_argument_values
from hub._device import synchronize
from hub.fx import Tracer
from hub.layers.norm_act import BatchNormAct2d
from hub.layers.onednn_linear import OneDNNLinear, onednn_linear_available
from hub.layers.padding import Conv2dSame

__all__ = ["OptimizeReport", "optimize"]

_logger = logging.getLogger("hub")

# Layers whose forward is "weight and bias applied the standard way", so a fold into them is exact.
_CONVS: tuple[type[nn.Module], ...] = (nn.Conv1d, nn.Conv2d, nn.Conv3d, Conv2dSame)
_NORMS: tuple[type[nn.Module], ...] = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d, BatchNormAct2d)
# Channels-last must win by this margin in the timing, so that noise does not decide.
_CHANNELS_LAST_MARGIN = 0.95
_TIMING_ROUNDS = 5


@dataclass(frozen=True)
class OptimizeReport:
    """What `optimize` did to a model, kept on the result as ``hub_optimize_report``.

    ``folded`` names each (layer, norm) pair folded, by dotted module name. ``untraced``
    names the modules whose forward did not trace (their children were traced instead),
    ``""`` being the model itself. ``onednn_linears`` names the linear layers run by
    oneDNN, each with the activation fused into it ("none" if none). ``timings_ms`` is the
    (contiguous, channels-last) time of one forward on the sample when the layout was
    decided by timing.
    """

    folded: tuple[tuple[str, str], ...]
    untraced: tuple[str, ...]
    channels_last: bool
    timings_ms: tuple[float, float] | None
    compiled: bool
    onednn_linears: tuple[tuple[str, str], ...] = ()


def optimize(
    model: nn.Module,
    *,
    channels_last: bool | None = None,
    compile: bool = False,
    sample: torch.Tensor | None = None,
    onednn: bool = True,
) -> nn.Module:
    """An inference-only copy of ``model``: same outputs (within float rounding), faster.

    The copy is in eval mode with gradients off, BatchNorm folded into the layer before
    it wherever that is exact, its float32 CPU linear layers run by oneDNN with the
    activation they feed fused in (unless ``onednn`` is False), in channels-last memory
    format when ``channels_last`` is True (None: when timing both layouts on ``sample``
    shows it faster; False: never), and wrapped by ``torch.compile`` when ``compile`` is True. ``sample`` is an input like
    the ones the model will see (default: one random image of the model's as-built input
    size). ``model`` itself is never changed. Feature extractors (``features_only=True``)
    are optimized the same way. What was done is on the result as ``hub_optimize_report``.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"optimize takes an nn.Module, got {type(model).__name__}")
    if sample is not None and not isinstance(sample, torch.Tensor):
        raise TypeError(f"optimize: sample must be a tensor (an input batch), got {type(sample).__name__}")
    check_argument_values("optimize", optimize, {"channels_last": channels_last, "compile": compile, "onednn": onednn})
    optimized = copy.deepcopy(model).eval().requires_grad_(False)
    found = _search(optimized, "")
    _fold(optimized, found.folds)
    linears = _use_onednn(optimized, found.activations) if onednn else []
    timings = None
    if channels_last is None:
        timings = _time_layouts(optimized, sample)
        channels_last = timings is not None and timings[1] < _CHANNELS_LAST_MARGIN * timings[0]
    if channels_last:
        optimized = optimized.to(memory_format=torch.channels_last)
    report = OptimizeReport(
        tuple(found.folds), tuple(found.untraced), bool(channels_last), timings, compile, tuple(linears)
    )
    setattr(optimized, "hub_optimize_report", report)
    _logger.info(
        "optimize %s: %d norms folded, %d linear layers on oneDNN, channels-last %s%s",
        type(model).__name__,
        len(found.folds),
        len(linears),
        "on" if channels_last else "off",
        f" (timed {timings[0]:.2f} ms contiguous, {timings[1]:.2f} ms channels-last)" if timings else "",
    )
    if compile:
        optimized = torch.compile(optimized)  # type: ignore[assignment]
    return optimized


@dataclass
class _Found:
    """What a trace of the model shows: norms to fold, activations to fuse, modules that did not trace."""

    folds: list[tuple[str, str]] = field(default_factory=list)  # (layer, norm)
    # linear -> (the activation only it feeds, that activation as OneDNNLinear names it)
    activations: dict[str, tuple[str, str]] = field(default_factory=dict)
    untraced: list[str] = field(default_factory=list)


def _search(module: nn.Module, prefix: str) -> _Found:
    """Trace ``module`` for folds and fusions (names from the model's root); one that does not trace, child by child."""
    try:
        graph = Tracer().trace(module)
    except Exception:  # any construct tracing cannot follow: the children may still trace
        found = _Found(untraced=[prefix.rstrip(".")])
        for name, child in module.named_children():
            inner = _search(child, f"{prefix}{name}.")
            found.folds += inner.folds
            found.activations.update(inner.activations)
            found.untraced += inner.untraced
        return found
    calls = Counter(node.target for node in graph.nodes if node.op == "call_module")
    shared = _shared_parameters(module)
    found = _Found()
    for node, layer_node in _single_input_modules(graph, calls):
        layer = module.get_submodule(str(layer_node.target))
        if any(id(p) in shared for p in layer.parameters()):
            continue
        second = module.get_submodule(str(node.target))
        if _is_foldable_norm(second) and _fits(layer, second):
            found.folds.append((prefix + str(layer_node.target), prefix + str(node.target)))
        elif type(layer) is nn.Linear and (fusable := _fusable_activation(second)) is not None:
            found.activations[prefix + str(layer_node.target)] = (prefix + str(node.target), fusable)
    return found


def _single_input_modules(graph: torch.fx.Graph, calls: Counter[object]) -> list[tuple[torch.fx.Node, torch.fx.Node]]:
    """(module call, module call feeding it) pairs where each module runs once and the first is the second's only user."""
    pairs = []
    for node in graph.nodes:
        if node.op != "call_module" or calls[node.target] != 1 or len(node.args) != 1 or node.kwargs:
            continue
        source = node.args[0]
        if (
            isinstance(source, torch.fx.Node)
            and source.op == "call_module"
            and calls[source.target] == 1
            and len(source.users) == 1
        ):
            pairs.append((node, source))
    return pairs


def _fold(model: nn.Module, pairs: list[tuple[str, str]]) -> None:
    """Fold each norm into the layer before it, in place (the model is in eval mode)."""
    for layer_name, norm_name in pairs:
        layer, norm = model.get_submodule(layer_name), model.get_submodule(norm_name)
        assert isinstance(norm, nn.modules.batchnorm._BatchNorm)  # as _fits checked
        _fold_into(layer, norm)
        model.set_submodule(norm_name, _what_stays(norm))


def _fold_into(layer: nn.Module, norm: nn.modules.batchnorm._BatchNorm) -> None:
    """Give ``layer`` the weight and bias that make it compute ``norm(layer(x))``.

    In place: the model is already a copy, and torch's module-level fusion would copy each layer again.
    """
    assert norm.running_mean is not None and norm.running_var is not None  # as _is_foldable_norm checked
    scale = norm.weight if norm.weight is not None else torch.ones_like(norm.running_mean)
    shift = norm.bias if norm.bias is not None else torch.zeros_like(norm.running_mean)
    statistics = (norm.running_mean, norm.running_var, norm.eps, scale, shift)
    if isinstance(layer, nn.Linear):
        layer.weight, layer.bias = fuse_linear_bn_weights(layer.weight, layer.bias, *statistics)
    else:
        assert isinstance(layer, nn.modules.conv._ConvNd)
        layer.weight, layer.bias = fuse_conv_bn_weights(layer.weight, layer.bias, *statistics)


def _fusable_activation(module: nn.Module) -> str | None:
    """The `OneDNNLinear` activation that computes ``module``, if it is one oneDNN fuses."""
    if type(module) is nn.GELU:
        return "gelu_tanh" if module.approximate == "tanh" else "gelu"
    if type(module) is nn.ReLU:
        return "relu"
    return None


def _use_onednn(model: nn.Module, activations: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """Swap every float32 CPU ``nn.Linear`` for a `OneDNNLinear`, the activation only it feeds fused in.

    Returns each swapped layer's name and fused activation ("none" if none).
    """
    if not onednn_linear_available():
        return []
    shared = _shared_parameters(model)
    swapped = []
    for name, layer in list(model.named_modules()):
        if (
            not name
            or type(layer) is not nn.Linear
            or layer.weight.device.type != "cpu"
            or layer.weight.dtype != torch.float32
            or any(id(p) in shared for p in layer.parameters())
        ):
            continue
        act_name, fused = activations.get(name, ("", "none"))
        model.set_submodule(name, OneDNNLinear(layer, fused))
        if act_name:
            model.set_submodule(act_name, nn.Identity())
        swapped.append((name, fused))
    return swapped


def _what_stays(norm: nn.Module) -> nn.Module:
    """What is left of a folded norm: a norm-act layer's dropout and activation; nothing of a plain norm."""
    if type(norm) is BatchNormAct2d:
        return norm.act
    if type(norm) in _timm_norm_acts():
        drop, act = norm.drop, norm.act
        assert isinstance(drop, nn.Module) and isinstance(act, nn.Module)
        return nn.Sequential(drop, act)
    return nn.Identity()


def _timm_norm_acts() -> tuple[type[nn.Module], ...]:
    """timm's BatchNorm + dropout + activation layer (models from the hub-timm bridge), when timm is loaded.

    A model holding one was built by timm, so timm is imported already; hub never imports it for this.
    """
    module = sys.modules.get("timm.layers.norm_act")
    layer = getattr(module, "BatchNormAct2d", None)
    return (layer,) if isinstance(layer, type) else ()


def _is_foldable_norm(norm: nn.Module) -> bool:
    return (
        (type(norm) in _NORMS or type(norm) in _timm_norm_acts())
        and not norm.training
        and getattr(norm, "running_mean", None) is not None
        and getattr(norm, "running_var", None) is not None
    )


def _fits(layer: nn.Module, norm: nn.Module) -> bool:
    """Whether ``norm`` normalises ``layer``'s output channels and the layer is one whose weights fold exactly."""
    channels = getattr(norm, "num_features", None)
    if type(layer) is nn.Linear:
        return isinstance(norm, nn.BatchNorm1d) and layer.out_features == channels
    if type(layer) not in _CONVS:
        return False
    return _spatial_dims(layer) == _spatial_dims(norm) and getattr(layer, "out_channels", None) == channels


def _spatial_dims(module: nn.Module) -> int | None:
    """1, 2 or 3 for a convolution or BatchNorm over that many spatial dimensions."""
    kinds = ((nn.Conv1d, nn.BatchNorm1d), (nn.Conv2d, nn.BatchNorm2d), (nn.Conv3d, nn.BatchNorm3d))
    return next((dims for dims, kind in enumerate(kinds, start=1) if isinstance(module, kind)), None)


def _shared_parameters(root: nn.Module) -> set[int]:
    """Ids of parameters that appear under more than one name: folding would change every user."""
    seen: Counter[int] = Counter(id(p) for _, p in root.named_parameters(remove_duplicate=False))
    return {key for key, count in seen.items() if count > 1}


def _time_layouts(model: nn.Module, sample: torch.Tensor | None) -> tuple[float, float] | None:
    """Milliseconds per forward on ``sample`` in the contiguous and channels-last layouts; None: nothing to time.

    Models without 4-D convolutions, on the meta device, or without a known input size
    are not timed (channels-last cannot help the first two, and the last has no sample).
    """
    if not any(isinstance(m, nn.Conv2d) for m in model.modules()):
        return None
    parameter = next(model.parameters(), None)
    device = parameter.device if parameter is not None else torch.device("cpu")
    if device.type == "meta":
        return None
    if sample is None:
        built = getattr(model, "as_built_cfg", None)
        if built is None:
            _logger.info("optimize: no as-built cfg and no sample given, so channels-last was not timed")
            return None
        sample = torch.randn(1, *built.input_size, device=device)
    dtype = parameter.dtype if parameter is not None else torch.float32
    sample = sample.to(device=device, dtype=dtype)
    layouts = {
        torch.contiguous_format: sample.contiguous(),
        torch.channels_last: sample.contiguous(memory_format=torch.channels_last),
    }
    # Alternating rounds, the fastest of each: other work on the machine then weighs on both alike.
    best = {layout: float("inf") for layout in layouts}
    for round_ in range(_TIMING_ROUNDS):
        for layout, x in layouts.items():
            model.to(memory_format=layout)
            best[layout] = min(best[layout], _forward_ms(model, x, warm_up=round_ == 0))
    model.to(memory_format=torch.contiguous_format)
    return best[torch.contiguous_format], best[torch.channels_last]


def _forward_ms(model: nn.Module, x: torch.Tensor, *, warm_up: bool) -> float:
    """Milliseconds of one forward on ``x`` (after one untimed, with ``warm_up``: kernel choice, caches)."""
    with torch.inference_mode():
        if warm_up:
            model(x)
        synchronize(x.device)
        start = time.perf_counter()
        model(x)
        synchronize(x.device)
    return 1000 * (time.perf_counter() - start)
