"""The conformance checks: each takes a model name and raises `ConformanceError` when it fails.

Every check builds what it needs with ``hub.create_model`` at a small input size, so it
tests the model exactly as users get it (through the plugin's real registration).
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import fnmatch
import math
import re
import subprocess
import sys
import tempfile
import types
from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast

import torch
from torch import nn

from hub._build import accepted_keywords
from hub._factory import create_model
from hub._feature_cfg import FEATURE_CLASSES
from hub._listing import get_catalog
from hub._pretrained_cfg import PretrainedCfg
from hub._registry import ModelEntry
from hub._save import save_pretrained
from hub.fx import create_feature_extractor, symbolic_trace
from hub.testing._grouping import UNMATCHED, compile_matcher, group_names, ordinal_of

__all__ = ["CHECKS", "ConformanceError", "check_manifest_is_torch_free"]

SMALL = 64  # pixels: big enough for a 32x reduction, small enough to be quick
BATCH = 2
# Builder arguments that every model a check builds gets (`hub.testing.run_check`'s ``model_kwargs``).
MODEL_KWARGS: contextvars.ContextVar[Mapping[str, Any]] = contextvars.ContextVar(
    "MODEL_KWARGS", default=types.MappingProxyType({})
)


class ConformanceError(AssertionError):
    """A model does not follow the contract; the message names the model, the check and what was expected."""


def _fail(name: str, check: str, message: str) -> ConformanceError:
    return ConformanceError(f"model {name!r}, check {check!r}: {message}")


def _expect(condition: bool, name: str, check: str, message: str) -> None:
    if not condition:
        raise _fail(name, check, message)


@dataclasses.dataclass(frozen=True)
class _Setup:
    """How to build and feed a model at a small size.

    ``build`` gives a real model with a quick deterministic initialisation (the checks test
    structure, not training quality, and the models' own initialisers dominate the cost
    of building large models); ``build_meta`` gives one on the meta device, for checks
    that only need shapes.
    """

    entry: ModelEntry
    kwargs: dict[str, Any]
    size: tuple[int, int]
    in_chans: int

    def build_meta(self, **overrides: Any) -> Any:  # a plugin's model: checked at run time, not typed
        with torch.device("meta"):
            return create_model(self.entry.qualified_name, **{**self.kwargs, **overrides})

    def build(self, **overrides: Any) -> Any:
        if overrides.get("pretrained"):  # the weights are given: nothing to initialise
            return create_model(self.entry.qualified_name, **{**self.kwargs, **overrides})
        model = self.build_meta(**overrides)
        if _has_computed_buffers(model):  # a buffer only the model's own code can fill: build for real
            torch.manual_seed(0)
            return create_model(self.entry.qualified_name, **{**self.kwargs, **overrides})
        model.to_empty(device="cpu")
        _quick_init(model)
        return model

    def input(self, in_chans: int | None = None, device: str = "cpu") -> torch.Tensor:
        if device == "meta":
            return torch.empty(BATCH, in_chans or self.in_chans, *self.size, device="meta")
        generator = torch.Generator().manual_seed(0)
        return torch.randn(BATCH, in_chans or self.in_chans, *self.size, generator=generator)


def _norm_layers(model: nn.Module) -> list[nn.modules.batchnorm._NormBase]:
    return [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._NormBase)]


def _has_computed_buffers(model: nn.Module) -> bool:
    norm_buffers = {id(b) for m in _norm_layers(model) for b in m.buffers(recurse=False)}
    return any(id(b) not in norm_buffers for b in model.buffers())


def _quick_init(model: nn.Module) -> None:
    """Uniform weights scaled by fan-in, unit norm scales, small biases, fresh norm statistics."""
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for name, param in model.named_parameters():
            if param.ndim > 1:
                bound = 1.0 / math.sqrt(max(1, param[0].numel()))
                param.uniform_(-bound, bound, generator=generator)
            elif name.endswith("weight"):
                param.fill_(1.0)
            else:
                param.uniform_(-0.1, 0.1, generator=generator)
        for norm in _norm_layers(model):
            if norm.track_running_stats:
                norm.reset_running_stats()


def _setup(name: str) -> _Setup:
    entry = get_catalog().index.resolve(name).entry
    cfg = entry.pretrained_cfg()
    accepted = accepted_keywords(entry.load_builder())
    kwargs: dict[str, Any] = dict(MODEL_KWARGS.get())
    size = (SMALL, SMALL)
    min_size = cfg.min_input_size[1:] if cfg.min_input_size else (0, 0)
    size = (max(size[0], min_size[0]), max(size[1], min_size[1]))
    if cfg.fixed_input_size:
        if accepted is None or "img_size" in accepted:
            kwargs["img_size"] = size
        else:
            size = (cfg.input_size[1], cfg.input_size[2])
    return _Setup(entry, kwargs, size, cfg.in_chans)


def check_forward(name: str) -> None:
    """forward, forward_features and forward_head(pre_logits=True) agree with num_classes / num_features."""
    setup = _setup(name)
    model = setup.build().eval()
    x = setup.input()
    with torch.no_grad():
        logits = model(x)
        features = model.forward_features(x)
        pre_logits = model.forward_head(features, pre_logits=True)
        head = model.forward_head(features)
    pooled = getattr(model, "head_hidden_size", None) or model.num_features
    outputs = model.num_classes or pooled  # a model built without a classifier gives its pooled features
    _expect(
        tuple(logits.shape) == (BATCH, outputs),
        name,
        "forward",
        f"outputs of shape ({BATCH}, {outputs}), got {tuple(logits.shape)}",
    )
    _expect(bool(torch.isfinite(logits).all()), name, "forward", "finite logits, got NaN or inf")
    _expect(
        torch.allclose(head, logits, atol=1e-5),
        name,
        "forward",
        "forward(x) to equal forward_head(forward_features(x))",
    )
    channels_last = features.ndim != 4 or getattr(model, "output_fmt", "NCHW") == "NHWC"
    channels = features.shape[-1] if channels_last else features.shape[1]
    _expect(
        channels == model.num_features,
        name,
        "forward",
        f"forward_features to give num_features={model.num_features} channels, got {channels}",
    )
    width = _head_hidden_size(model, name, "forward")
    _expect(
        pre_logits.ndim == 2 and pre_logits.shape[1] == width,
        name,
        "forward",
        f"forward_head(pre_logits=True) of shape ({BATCH}, head_hidden_size={width}), got {tuple(pre_logits.shape)}",
    )
    classifier = model.get_classifier()
    heads = classifier if isinstance(classifier, tuple) else (classifier,)  # distilled models have two
    _expect(
        all(isinstance(h, nn.Module) for h in heads),
        name,
        "forward",
        "get_classifier() to return the classifier module (or a tuple of them)",
    )


def _head_hidden_size(model: Any, name: str, check: str) -> int:
    """The model's ``head_hidden_size``: the width of ``forward_head(pre_logits=True)``, a positive int."""
    width = getattr(model, "head_hidden_size", None)
    _expect(
        isinstance(width, int) and width > 0,
        name,
        check,
        f"a head_hidden_size attribute (the width of forward_head(pre_logits=True)), got {width!r}",
    )
    return int(width)  # type: ignore[arg-type]  # checked just above


def _output_shape(setup: _Setup, model: nn.Module, in_chans: int | None = None) -> tuple[int, ...]:
    """Output shape of an eval forward, computed on the meta device (no allocation, no arithmetic)."""
    model.eval()
    with torch.no_grad(), torch.device("meta"):
        return tuple(model(setup.input(in_chans, device="meta")).shape)


def _features_shape(model: Any, x: torch.Tensor) -> tuple[int, ...]:
    """Shape of ``forward_features`` for ``x``, computed on the meta device."""
    model.eval()
    with torch.no_grad(), torch.device("meta"):
        return tuple(model.forward_features(x.to("meta")).shape)


def _spatial(shape: tuple[int, ...], output_fmt: str) -> tuple[int, ...]:
    """Height and width of a feature map's shape in the model's layout ("NCHW" or "NHWC")."""
    return shape[1:3] if output_fmt == "NHWC" else shape[2:4]


def check_reset_classifier(name: str) -> None:
    """reset_classifier to 0 classes gives pooled features; to another count, that many logits.

    On a real model the new head is made where the model lives: its device and dtype
    (float64 here), and its train or eval mode.
    """
    setup = _setup(name)
    real = setup.build().double().eval()
    real.reset_classifier(3)
    expected = f"a float64 model reset to 3 classes to give float64 logits ({BATCH}, 3)"
    try:
        with torch.no_grad():
            logits = real(setup.input().double())
    except RuntimeError as exc:  # a head left in float32, or on another device
        raise _fail(
            name,
            "reset_classifier",
            f"{expected}; forward failed: {exc} (place the new head with hub.layers.place_like)",
        ) from exc
    _expect(
        tuple(logits.shape) == (BATCH, 3) and logits.dtype == torch.float64,
        name,
        "reset_classifier",
        f"{expected}, got {logits.dtype} {tuple(logits.shape)}",
    )
    real.train().reset_classifier(2)
    _expect(
        all(module.training for module in real.modules()),
        name,
        "reset_classifier",
        "a head reset in train mode to be in train mode too (hub.layers.place_like sets it)",
    )
    model = setup.build_meta()
    original = model.num_classes
    features = _features_shape(model, setup.input(device="meta"))
    with torch.device("meta"):
        model.reset_classifier(0)
    width = _head_hidden_size(model, name, "reset_classifier")
    shape = _output_shape(setup, model)
    _expect(
        shape == (BATCH, width) and model.num_classes == 0,
        name,
        "reset_classifier",
        f"reset_classifier(0) then forward to give ({BATCH}, head_hidden_size={width}) and num_classes 0, "
        f"got {shape} and {model.num_classes}",
    )
    for classes in (7, original):  # another count, then back to the model's own (0: registered without a head)
        with torch.device("meta"):
            model.reset_classifier(classes)
        shape, outputs = _output_shape(setup, model), classes or width
        _expect(
            shape == (BATCH, outputs) and model.num_classes == classes,
            name,
            "reset_classifier",
            f"reset_classifier({classes}) then forward to give ({BATCH}, {outputs}) and num_classes {classes}, "
            f"got {shape} and {model.num_classes}",
        )
    if len(features) == 4:  # feature maps: without pooling the output keeps their size (timm's check)
        fmt = getattr(model, "output_fmt", "NCHW")
        with torch.device("meta"):
            model.reset_classifier(0, "")
        shape = _output_shape(setup, model)
        _expect(
            len(shape) == 4 and _spatial(shape, fmt) == _spatial(features, fmt),
            name,
            "reset_classifier",
            f"reset_classifier(0, '') then forward to give unpooled maps of {_spatial(features, fmt)} pixels, "
            f"got {shape}",
        )


def check_build_variants(name: str) -> None:
    """num_classes 3 and 0, and in_chans 1 and 4, build and run."""
    setup = _setup(name)
    for kwargs, chans in (
        ({"num_classes": 3}, None),
        ({"num_classes": 0}, None),
        ({"in_chans": 1}, 1),
        ({"in_chans": 4}, 4),
    ):
        model = setup.build_meta(**kwargs)
        width = model.num_classes or _head_hidden_size(model, name, "build_variants")
        shape = _output_shape(setup, model, chans)
        _expect(
            shape == (BATCH, width),
            name,
            "build_variants",
            f"create_model(**{kwargs}) to give outputs ({BATCH}, {width}), got {shape}",
        )


def check_global_pool(name: str) -> None:
    """Every global_pool the model accepts builds and runs; an unknown one is a ValueError."""
    setup = _setup(name)
    model = setup.build_meta()
    _expect(
        hasattr(model, "global_pool") or hasattr(getattr(model, "head", None), "global_pool"),
        name,
        "global_pool",
        "a global_pool attribute (module or string) on the model or its head module",
    )
    offered = []
    for pool in ("avg", "max", "avgmax", "catavgmax", "token", ""):
        # Without pooling there is nothing to classify: "" goes with num_classes=0 and keeps the map.
        classes = 5 if pool else 0
        try:
            model = setup.build_meta(global_pool=pool, num_classes=classes)
        except ValueError:
            continue  # not a pool this family offers
        offered.append(pool)
        shape = _output_shape(setup, model)
        if pool:
            _expect(
                shape == (BATCH, classes),
                name,
                "global_pool",
                f"global_pool={pool!r} to give ({BATCH}, {classes}) logits, got {shape}",
            )
        else:
            _expect(
                len(shape) >= 3,
                name,
                "global_pool",
                f"global_pool='' with num_classes=0 to return unpooled features, got {shape}",
            )
    _expect(
        any(offered),
        name,
        "global_pool",
        "at least one of the pools 'avg', 'max', 'avgmax', 'catavgmax' or 'token' to build and run",
    )
    try:
        setup.build_meta(global_pool="no-such-pool")
    except ValueError:
        return
    raise _fail(name, "global_pool", "global_pool='no-such-pool' to raise ValueError naming the allowed pools")


def check_features(name: str) -> None:
    """feature_info agrees with every feature_cls's outputs and with forward_intermediates."""
    setup = _setup(name)
    model = setup.build().eval()
    stages = model.feature_info
    _expect(isinstance(stages, list) and len(stages) > 0, name, "features", "feature_info to be a non-empty list")
    x = setup.input()
    with torch.no_grad():
        intermediates = model.forward_intermediates(x, intermediates_only=True)
        final, _ = model.forward_intermediates(x)
        features = model.forward_features(x)
    _expect(
        final.shape == features.shape and torch.allclose(final, features, atol=1e-5, rtol=1e-5),
        name,
        "features",
        "forward_intermediates(x) to return forward_features(x) as its final output",
    )
    model.reset_classifier(0)  # an extractor has no classifier: give it the weights without one
    weights = {"state_dict": model.state_dict()}
    _expect(
        len(intermediates) == len(stages),
        name,
        "features",
        f"forward_intermediates to return {len(stages)} maps (one per feature_info stage), got {len(intermediates)}",
    )
    outputs: dict[str, list[torch.Tensor]] = {}
    every_stage = tuple(range(len(stages)))
    for feature_cls in FEATURE_CLASSES:
        if setup.entry.features.feature_cls == "getter" and feature_cls != "getter":
            continue  # a model registered for the getter refuses the module wrappers
        # the model's own weights, so that the comparison does not depend on how a family initialises
        extractor = setup.build(
            features_only=True,
            feature_cls=feature_cls,
            out_indices=every_stage,
            pretrained=True,
            pretrained_cfg_overlay=weights,
        ).eval()
        _expect(
            getattr(extractor, "default_cfg", None) is getattr(extractor, "pretrained_cfg", None) is not None,
            name,
            "features",
            f"feature_cls={feature_cls!r}: the extractor's pretrained_cfg, and default_cfg the same object",
        )
        with torch.no_grad():
            result = extractor(x)
        maps = list(result.values()) if isinstance(result, dict) else list(result)
        outputs[feature_cls] = maps
        info = extractor.feature_info
        for stage_map, chans, reduction in zip(maps, info.channels(), info.reduction(), strict=True):
            shape = tuple(stage_map.shape)
            expected_hw = (-(-setup.size[0] // reduction), -(-setup.size[1] // reduction))
            _expect(
                shape[1] == chans,
                name,
                "features",
                f"feature_cls={feature_cls!r}: {chans} channels as feature_info says, got shape {shape}",
            )
            _expect(
                abs(shape[2] - expected_hw[0]) <= 1 and abs(shape[3] - expected_hw[1]) <= 1,
                name,
                "features",
                f"feature_cls={feature_cls!r}: about {expected_hw} pixels at reduction {reduction}, got {shape[2:]}",
            )
    reference = outputs[next(iter(outputs))]
    for feature_cls, maps in outputs.items():
        for got, expected in zip(maps, reference, strict=True):
            _expect(
                torch.allclose(got, expected, atol=1e-4, rtol=1e-4),
                name,
                "features",
                f"feature_cls={feature_cls!r} to give the same maps as {next(iter(outputs))!r}",
            )
    for got, expected in zip(reference, intermediates, strict=True):
        _expect(
            got.shape == expected.shape and torch.allclose(got, expected, atol=1e-4, rtol=1e-4),
            name,
            "features",
            "features_only outputs to equal forward_intermediates outputs",
        )


def check_backward(name: str) -> None:
    """Training forward and backward, without and with gradient checkpointing (as timm checks them).

    The logits have the asked-for class count and are finite, and every trainable
    parameter gets a gradient. After ``set_grad_checkpointing(True)`` every feature stage
    but the first (often the stem, which models keep out because it needs the input's
    gradient) is recomputed in backward, and logits and gradients stay the same.
    """
    setup = _setup(name)
    model = setup.build(num_classes=4).train()
    x = setup.input()
    logits, grads, rerun = _run_recording(model, x)
    _expect(
        tuple(logits.shape) == (BATCH, 4) and bool(torch.isfinite(logits).all()),
        name,
        "backward",
        f"finite training logits of shape ({BATCH}, 4), got {tuple(logits.shape)}",
    )
    missing = [n for n, p in model.named_parameters() if p.requires_grad and grads[n] is None]
    _expect(not missing, name, "backward", f"every parameter to get a gradient; none reached {missing[:5]}")
    _expect(not rerun, name, "backward", f"no recomputation before checkpointing is enabled, got {sorted(rerun)[:5]}")
    model.set_grad_checkpointing(True)
    checkpointed, checkpointed_grads, rerun = _run_recording(model, x)
    stages = [stage["module"] for stage in model.feature_info[1:]]
    missed = [s for s in stages if not any(n == s or n.startswith(f"{s}.") for n in rerun)]
    _expect(
        not missed,
        name,
        "backward",
        f"set_grad_checkpointing(True) to recompute the feature stages in backward; nothing of {missed} ran again",
    )
    _expect(
        torch.allclose(checkpointed, logits, atol=1e-5, rtol=1e-4),
        name,
        "backward",
        "the same logits with gradient checkpointing as without",
    )
    differ = [n for n, grad in grads.items() if not _close(checkpointed_grads[n], grad)]
    _expect(not differ, name, "backward", f"the same gradients with gradient checkpointing; {differ[:5]} differ")


def _close(got: torch.Tensor | None, expected: torch.Tensor | None) -> bool:
    if got is None or expected is None:
        return got is expected
    return torch.allclose(got, expected, atol=1e-5, rtol=1e-4)


def _run_recording(model: nn.Module, x: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor | None], set[str]]:
    """Forward and backward: the logits, each parameter's gradient (None if none reached it), and the
    modules that ran during backward (recomputed by checkpointing)."""
    names = {module: name for name, module in model.named_modules()}
    in_backward = False
    rerun: set[str] = set()

    def record(module: nn.Module, inputs: object, output: object) -> None:
        if in_backward:
            rerun.add(names[module])

    hooks = [module.register_forward_hook(record) for module in names]
    try:
        model.zero_grad(set_to_none=True)
        logits = model(x)
        in_backward = True
        logits.sum().backward()
    finally:
        for hook in hooks:
            hook.remove()
    grads = {n: None if p.grad is None else p.grad.clone() for n, p in model.named_parameters()}
    return logits.detach(), grads, rerun


def check_fx(name: str) -> None:
    """``hub.fx.symbolic_trace`` traces the model, the traced module gives its outputs and trains, and
    torchvision's feature extractor at the ``feature_info`` modules gives the stated maps."""
    setup = _setup(name)
    model = setup.build().eval()
    x = setup.input()
    traced = _trace(name, model)
    nodes = [stage["module"] for stage in model.feature_info]
    with torch.no_grad():
        with _module_outputs(model, nodes) as stage_outputs:
            expected = model(x)
        got = traced(x)
    _expect(
        got.shape == expected.shape and bool((got - expected).abs().max() <= 1e-5),
        name,
        "fx",
        "the traced module to give the model's outputs (within 1e-5)",
    )
    _check_fx_features(name, setup, model, x, stage_outputs)

    traced = _trace(name, model.train())  # a trace records one mode: trace again for training
    traced(x).sum().backward()
    missing = [n for n, p in traced.named_parameters() if p.requires_grad and p.grad is None]
    _expect(
        not missing,
        name,
        "fx",
        f"a backward pass through the traced module to reach every parameter; none reached {missing[:5]}",
    )


def _trace(name: str, model: nn.Module) -> nn.Module:
    try:
        return symbolic_trace(model)
    except Exception as error:
        raise _fail(
            name, "fx", f"hub.fx.symbolic_trace to trace the model; it failed: {_untraceable(error)}"
        ) from error


def _untraceable(error: Exception) -> str:
    text = str(error).strip()
    first_line = text.splitlines()[0] if text else ""
    return (
        f"{type(error).__name__}: {first_line}. Make the layer's input checks traceable (hub.layers.input_check) "
        "or register the layer with hub.layers.register_leaf_module"
    )


@contextlib.contextmanager
def _module_outputs(model: nn.Module, names: list[str]) -> Iterator[dict[str, torch.Tensor]]:
    """Copies of the outputs of the named submodules, taken while the block runs."""
    outputs: dict[str, torch.Tensor] = {}

    def keeper(name: str) -> Callable[..., None]:
        def keep(module: nn.Module, inputs: object, output: torch.Tensor) -> None:
            outputs[name] = output.clone()  # a later in-place layer must not change the copy

        return keep

    handles = [model.get_submodule(name).register_forward_hook(keeper(name)) for name in names]
    try:
        yield outputs
    finally:
        for handle in handles:
            handle.remove()


def _check_fx_features(
    name: str, setup: _Setup, model: nn.Module, x: torch.Tensor, stage_outputs: dict[str, torch.Tensor]
) -> None:
    """torchvision's feature extractor at the ``feature_info`` modules gives those modules' outputs,
    with the stated channels and reductions (NCHW maps, or tokens for transformers)."""
    stages = cast(list[dict[str, Any]], model.feature_info)
    nodes = [stage["module"] for stage in stages]
    try:
        extractor = create_feature_extractor(model, nodes)
    except Exception as error:
        raise _fail(
            name,
            "fx",
            f"create_feature_extractor at the feature_info modules {nodes}; it failed: {_untraceable(error)}",
        ) from error
    with torch.no_grad():
        maps = extractor.eval()(x)
    prefix_tokens = getattr(model, "num_prefix_tokens", 0)
    for node, stage in zip(nodes, stages, strict=True):
        out, where = maps[node], f"feature node {node!r}"
        _expect(
            out.shape == stage_outputs[node].shape and torch.allclose(out, stage_outputs[node], atol=1e-4, rtol=1e-4),
            name,
            "fx",
            f"{where}: the output of module {node!r} in the model's own forward",
        )
        rows, cols = -(-setup.size[0] // stage["reduction"]), -(-setup.size[1] // stage["reduction"])
        if out.ndim == 3:  # tokens (B, prefix + grid, C), with the grid at the stated reduction
            # whole patches (a strided projection drops the remainder) or padded ones (rounded up)
            whole = (setup.size[0] // stage["reduction"]) * (setup.size[1] // stage["reduction"])
            _expect(
                out.shape[-1] == stage["num_chs"] and out.shape[1] - prefix_tokens in (rows * cols, whole),
                name,
                "fx",
                f"{where}: {stage['num_chs']} channels and {prefix_tokens} + {rows}x{cols} tokens "
                f"(reduction {stage['reduction']}), got {tuple(out.shape)}",
            )
            continue
        _expect(
            out.ndim == 4 and out.shape[1] == stage["num_chs"],
            name,
            "fx",
            f"{where}: {stage['num_chs']} channels as feature_info says, got shape {tuple(out.shape)}",
        )
        _expect(
            abs(out.shape[2] - rows) <= 1 and abs(out.shape[3] - cols) <= 1,
            name,
            "fx",
            f"{where}: about {(rows, cols)} pixels at reduction {stage['reduction']}, got {tuple(out.shape[2:])}",
        )


def check_save_and_reload(name: str) -> None:
    """save_pretrained then create_model('local-dir:...') gives identical outputs."""
    setup = _setup(name)
    model = setup.build(num_classes=3).eval()
    x = setup.input()
    with tempfile.TemporaryDirectory() as folder:
        save_pretrained(model, folder)
        reloaded = create_model(f"local-dir:{folder}", pretrained=True).eval()
    with torch.no_grad():
        same = torch.equal(model(x), reloaded(x))
    _expect(same, name, "save_and_reload", "the reloaded model to give identical outputs")


def check_pretrained_cfgs(name: str) -> None:
    """Every tag's cfg is well formed: a weight source, real first_conv / classifier, matching mean / std."""
    setup = _setup(name)
    model = setup.build()
    parameters = {n for n, _ in model.named_parameters()}
    for tag, cfg in setup.entry.pretrained.items():
        where = f"tag {tag!r}"
        if tag != "untrained":
            _expect(cfg.has_weights, name, "pretrained_cfgs", f"{where}: a weight source (hf_hub_id, url or file)")
        for conv in cfg.first_conv_names:
            _expect(
                f"{conv}.weight" in parameters,
                name,
                "pretrained_cfgs",
                f"{where}: first_conv {conv!r} to name a parameter ({conv}.weight)",
            )
        for head in cfg.classifier_names:
            if model.num_classes:
                _expect(
                    f"{head}.weight" in parameters,
                    name,
                    "pretrained_cfgs",
                    f"{where}: classifier {head!r} to name a parameter ({head}.weight)",
                )
        _expect(
            len(cfg.mean) == len(cfg.std) == cfg.in_chans,
            name,
            "pretrained_cfgs",
            f"{where}: mean and std with {cfg.in_chans} values (input_size[0]), got {len(cfg.mean)} and {len(cfg.std)}",
        )


def check_default_cfg(name: str) -> None:
    """The cfg a model is built with describes it: input conv, classifier, class count and pooled size.

    ``default_cfg`` is ``pretrained_cfg`` (the default tag's); ``first_conv`` names convs
    taking ``input_size[0]`` channels; ``classifier`` names the head ``get_classifier()``
    returns, with ``num_classes`` outputs; and each tag's ``pool_size`` (and
    ``test_pool_size``) is the size of ``forward_features`` at its ``input_size`` (and
    ``test_input_size``). Checked on the meta device, so full-size inputs cost nothing.
    """
    setup = _setup(name)
    check = "default_cfg"
    with torch.device("meta"):
        # the default build at the cfg's own size, with run_check's builder arguments
        model: Any = create_model(setup.entry.qualified_name, **MODEL_KWARGS.get())
    cfg: PretrainedCfg = model.pretrained_cfg
    _expect(
        cfg == setup.entry.pretrained_cfg() and getattr(model, "default_cfg", None) is cfg,
        name,
        check,
        "pretrained_cfg to be the default tag's cfg and default_cfg the same object",
    )
    _expect(
        model.num_classes == cfg.num_classes,
        name,
        check,
        f"num_classes {cfg.num_classes} as the cfg says, got {model.num_classes}",
    )
    _head_hidden_size(model, name, check)
    for conv_name in cfg.first_conv_names:
        weight = getattr(_submodule(model, conv_name, name, check), "weight", None)
        _expect(
            isinstance(weight, torch.Tensor) and weight.ndim == 4 and weight.shape[1] == cfg.in_chans,
            name,
            check,
            f"first_conv {conv_name!r} to be a conv taking input_size[0]={cfg.in_chans} channels, "
            f"got weight {None if weight is None else tuple(weight.shape)}",
        )
    if cfg.num_classes:
        classifier = model.get_classifier()
        heads = classifier if isinstance(classifier, tuple) else (classifier,)
        for head_name in cfg.classifier_names:
            head = _submodule(model, head_name, name, check)
            weight = getattr(head, "weight", None)
            _expect(
                any(head is h for h in heads),
                name,
                check,
                f"classifier {head_name!r} to be the module get_classifier() returns",
            )
            _expect(
                isinstance(weight, torch.Tensor) and weight.shape[0] == cfg.num_classes,
                name,
                check,
                f"classifier {head_name!r} with num_classes={cfg.num_classes} outputs, "
                f"got weight {None if weight is None else tuple(weight.shape)}",
            )
    fmt = getattr(model, "output_fmt", "NCHW")
    built_size = tuple(cfg.input_size[1:])
    for tag, tag_cfg in setup.entry.pretrained.items():
        for size, pool in ((tag_cfg.input_size, tag_cfg.pool_size), (tag_cfg.test_input_size, tag_cfg.test_pool_size)):
            if size is None or pool is None or (tag_cfg.fixed_input_size and tuple(size[1:]) != built_size):
                continue
            shape = _features_shape(model, torch.empty(1, cfg.in_chans, *size[1:], device="meta"))
            _expect(
                len(shape) == 4 and _spatial(shape, fmt) == tuple(pool),
                name,
                check,
                f"tag {tag!r}: forward_features at {tuple(size[1:])} pixels to give maps of pool_size {tuple(pool)}, "
                f"got {shape}",
            )


def _submodule(model: nn.Module, path: str, name: str, check: str) -> nn.Module:
    try:
        return model.get_submodule(path)
    except AttributeError:
        raise _fail(name, check, f"the cfg names module {path!r}, which the model does not have") from None


def _body_parameters(model: Any, x: torch.Tensor) -> set[str]:
    """Names of the parameters ``forward_features`` uses: the model's own and those of every module it runs."""
    ran: set[nn.Module] = set()
    hooks = [m.register_forward_hook(lambda module, *_: ran.add(module)) for m in model.modules()]
    try:
        _features_shape(model, x)
    finally:
        for hook in hooks:
            hook.remove()
    owners = {model} | ran
    return {
        f"{prefix}.{p}" if prefix else p
        for prefix, module in model.named_modules()
        if module in owners
        for p, _ in module.named_parameters(recurse=False)
    }


def check_param_groups(name: str) -> None:
    """group_matcher puts every parameter in one group, in stage order; no_weight_decay names real parameters.

    For ``coarse`` False and True, no parameter is matched by two rules, and every
    parameter ``forward_features`` uses is matched (only the head may be left for the
    last group); the groups follow the order of ``feature_info``. ``no_weight_decay()``
    (optional) gives parameter names or fnmatch patterns that match some parameter, or
    name an optional parameter this configuration leaves out (an attribute set to None).
    """
    setup = _setup(name)
    model = setup.build_meta()
    _expect(
        callable(getattr(model, "group_matcher", None)),
        name,
        "param_groups",
        "a group_matcher(coarse=False) method (the parameter groups of layer-wise learning-rate decay)",
    )
    parameters = [n for n, _ in model.named_parameters()]
    body = _body_parameters(model, setup.input(device="meta"))
    for coarse in (False, True):
        try:
            _check_matcher(model, coarse, parameters, body, name)
        except (ValueError, re.error) as exc:  # a malformed matcher
            raise _fail(name, "param_groups", f"group_matcher(coarse={coarse}): {exc}") from exc
    no_weight_decay = getattr(model, "no_weight_decay", None)
    if no_weight_decay is None:
        return
    for pattern in no_weight_decay():
        _expect(
            isinstance(pattern, str)
            and (any(fnmatch.fnmatchcase(n, pattern) for n in parameters) or _left_out(model, pattern)),
            name,
            "param_groups",
            f"no_weight_decay() to name parameters, got {pattern!r}, which matches none "
            "and is not an optional parameter set to None",
        )


def _check_matcher(model: Any, coarse: bool, parameters: list[str], body: set[str], name: str) -> None:
    where = f"group_matcher(coarse={coarse})"
    matcher = model.group_matcher(coarse=coarse)
    _expect(
        isinstance(matcher, Mapping) or callable(matcher),
        name,
        "param_groups",
        f"{where} to return a dict of group name to regex (or a callable), got {type(matcher).__name__}",
    )
    rules = matcher if callable(matcher) else compile_matcher(matcher)
    if not callable(rules):
        matching = {n: [r.pattern.pattern for r in rules if r.ordinal(n)] for n in parameters}
        twice = {n: patterns for n, patterns in matching.items() if len(patterns) > 1}
        listed = "; ".join(f"{n} by {' and '.join(patterns)}" for n, patterns in list(twice.items())[:3])
        _expect(not twice, name, "param_groups", f"{where}: parameters matched by several rules: {listed}")
    unmatched = sorted(n for n in body if ordinal_of(rules, n) == UNMATCHED)
    _expect(
        not unmatched,
        name,
        "param_groups",
        f"{where} to match every parameter forward_features uses; unmatched: {unmatched[:5]}",
    )
    group_of = {n: i for i, group in enumerate(group_names(parameters, matcher)) for n in group}
    previous: tuple[str, int] | None = None
    for stage in model.feature_info:
        members = [group_of[n] for n in parameters if n.startswith(f"{stage['module']}.")]
        if not members:
            continue
        if previous is not None:
            _expect(
                min(members) >= previous[1],
                name,
                "param_groups",
                f"{where}: the groups of stage {stage['module']!r} to come after those of {previous[0]!r}",
            )
        previous = (stage["module"], max(members))


def _left_out(model: nn.Module, path: str) -> bool:
    """True when ``path`` is an attribute of the model (or a submodule) that holds None."""
    owner, _, attribute = path.rpartition(".")
    try:
        module = model.get_submodule(owner)
    except AttributeError:
        return False
    return attribute in vars(module) and vars(module)[attribute] is None


def check_manifest_is_torch_free(plugin: str) -> None:
    """Importing the plugin's manifest (and hub) in a fresh process imports no torch."""
    info = get_catalog().plugins.get(plugin)
    if info is None or info.module is None:
        raise ConformanceError(f"plugin {plugin!r} is not loaded, so its manifest cannot be checked")
    code = f"import sys, hub, {info.module}; hub.list_models(); print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if result.returncode != 0 or result.stdout.strip() != "False":
        raise ConformanceError(
            f"plugin {plugin!r}, check 'manifest_is_torch_free': importing {info.module} must not import torch "
            f"(stdout {result.stdout.strip()!r}, stderr {result.stderr.strip()[-300:]!r})"
        )


CHECKS: dict[str, Callable[[str], None]] = {
    "forward": check_forward,
    "default_cfg": check_default_cfg,
    "reset_classifier": check_reset_classifier,
    "build_variants": check_build_variants,
    "global_pool": check_global_pool,
    "features": check_features,
    "backward": check_backward,
    "param_groups": check_param_groups,
    "save_and_reload": check_save_and_reload,
    "fx": check_fx,
    "pretrained_cfgs": check_pretrained_cfgs,
}
