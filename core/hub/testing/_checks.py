"""The conformance checks: each takes a model name and raises `ConformanceError` when it fails.

Every check builds what it needs with ``hub.create_model`` at a small input size, so it
tests the model exactly as users get it (through the plugin's real registration).
"""

from __future__ import annotations

import contextvars
import dataclasses
import math
import subprocess
import sys
import tempfile
import types
from collections.abc import Callable, Mapping
from typing import Any

import torch
from torch import nn

from hub._build import accepted_keywords
from hub._factory import create_model
from hub._listing import get_catalog
from hub._registry import FEATURE_CLASSES, ModelEntry
from hub._save import save_pretrained

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
    # A model registered without a head (image embeddings, self-supervised weights) gives pooled features.
    outputs = model.num_classes or getattr(model, "head_hidden_size", None) or model.num_features
    _expect(
        tuple(logits.shape) == (BATCH, outputs),
        name,
        "forward",
        f"logits of shape ({BATCH}, {outputs}) for num_classes={model.num_classes}, got {tuple(logits.shape)}",
    )
    _expect(
        torch.allclose(head, logits, atol=1e-5),
        name,
        "forward",
        "forward(x) to equal forward_head(forward_features(x))",
    )
    channels = features.shape[1] if features.ndim == 4 else features.shape[-1]
    _expect(
        channels == model.num_features,
        name,
        "forward",
        f"forward_features to give num_features={model.num_features} channels, got {channels}",
    )
    width = getattr(model, "head_hidden_size", None) or model.num_features
    _expect(
        pre_logits.ndim == 2 and pre_logits.shape[1] == width,
        name,
        "forward",
        f"forward_head(pre_logits=True) of shape ({BATCH}, {width}), got {tuple(pre_logits.shape)}",
    )
    classifier = model.get_classifier()
    heads = classifier if isinstance(classifier, tuple) else (classifier,)  # distilled models have two
    _expect(
        all(isinstance(h, nn.Module) for h in heads),
        name,
        "forward",
        "get_classifier() to return the classifier module (or a tuple of them)",
    )


def _output_shape(setup: _Setup, model: nn.Module, in_chans: int | None = None) -> tuple[int, ...]:
    """Output shape of an eval forward, computed on the meta device (no allocation, no arithmetic)."""
    model.eval()
    with torch.no_grad(), torch.device("meta"):
        return tuple(model(setup.input(in_chans, device="meta")).shape)


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
    width = getattr(model, "head_hidden_size", None) or model.num_features
    with torch.device("meta"):
        model.reset_classifier(0)
    shape = _output_shape(setup, model)
    _expect(
        shape == (BATCH, width),
        name,
        "reset_classifier",
        f"reset_classifier(0) then forward to give ({BATCH}, {width}), got {shape}",
    )
    with torch.device("meta"):
        model.reset_classifier(7)
    shape = _output_shape(setup, model)
    _expect(
        shape == (BATCH, 7) and model.num_classes == 7,
        name,
        "reset_classifier",
        f"reset_classifier(7) then forward to give ({BATCH}, 7) and num_classes 7, got {shape}",
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
        pooled = getattr(model, "head_hidden_size", None) or model.num_features
        width = model.num_classes or pooled
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
    _expect(
        hasattr(setup.build_meta(), "global_pool"), name, "global_pool", "a global_pool attribute (module or string)"
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
    model.reset_classifier(0)  # an extractor has no classifier: give it the weights without one
    weights = {"state_dict": model.state_dict()}
    _expect(
        len(intermediates) == len(stages),
        name,
        "features",
        f"forward_intermediates to return {len(stages)} maps (one per feature_info stage), got {len(intermediates)}",
    )
    outputs: dict[str, list[torch.Tensor]] = {}
    for feature_cls in FEATURE_CLASSES:
        if setup.entry.feature_cls == "getter" and feature_cls != "getter":
            continue  # a model registered for the getter refuses the module wrappers
        # the model's own weights, so that the comparison does not depend on how a family initialises
        extractor = setup.build(
            features_only=True, feature_cls=feature_cls, pretrained=True, pretrained_cfg_overlay=weights
        ).eval()
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
    """A backward pass from the logits reaches every trainable parameter."""
    setup = _setup(name)
    model = setup.build(num_classes=4).train()
    model(setup.input()).sum().backward()
    missing = [n for n, p in model.named_parameters() if p.requires_grad and p.grad is None]
    _expect(not missing, name, "backward", f"every parameter to get a gradient; none reached {missing[:5]}")


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
    "reset_classifier": check_reset_classifier,
    "build_variants": check_build_variants,
    "global_pool": check_global_pool,
    "features": check_features,
    "backward": check_backward,
    "save_and_reload": check_save_and_reload,
    "pretrained_cfgs": check_pretrained_cfgs,
}
