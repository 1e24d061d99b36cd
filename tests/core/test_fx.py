"""hub.layers' tracing leaves and input checks, and hub.fx: tracing, feature extraction, and what plain torch.fx does."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys

import pytest
import torch
import torch.fx
import torch.nn.functional as F
from support.registry import native_models
from torch import nn

import hub
import hub.fx
from hub._build import skip_init
from hub.layers import (
    AvgPool2dSame,
    BatchNormAct2d,
    Conv2dSame,
    MaxPool2dSame,
    input_check,
    leaf_functions,
    leaf_modules,
    pad_same,
    register_leaf_function,
    register_leaf_module,
    resample_abs_pos_embed,
)
from hub.layers import tracing as tracing_registry


@pytest.fixture()
def registry(monkeypatch):
    """A private copy of the leaf registry, so that this test's registrations do not outlive it."""
    monkeypatch.setattr(tracing_registry, "_LEAF_MODULES", dict(tracing_registry._LEAF_MODULES))
    monkeypatch.setattr(tracing_registry, "_LEAF_FUNCTIONS", dict(tracing_registry._LEAF_FUNCTIONS))


class SizeBranch(nn.Module):
    """Branches in Python on the input's size: plain torch.fx cannot trace it."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * 2 if x.shape[-1] % 2 else x + 1


class WithSizeBranch(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.branch = SizeBranch()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.branch(self.conv(x))


def odd_width_doubled(x: torch.Tensor) -> torch.Tensor:
    return x * 2 if x.shape[-1] % 2 else x


class CallsAFunction(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return odd_width_doubled(x) + 1


def test_core_layers_are_registered_even_before_hub_layers_loads_them() -> None:
    code = (
        "import json, hub.layers.tracing as t; "
        "print(json.dumps([[c.__name__ for c in t.leaf_modules()], [f.__name__ for f in t.leaf_functions()]]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules, functions = json.loads(result.stdout)
    assert sorted(modules) == ["AvgPool2dSame", "BatchNormAct2d", "Conv2dSame", "MaxPool2dSame", "OneDNNLinear"]
    assert sorted(functions) == ["pad_same", "resample_abs_pos_embed"]
    assert {Conv2dSame, MaxPool2dSame, AvgPool2dSame, BatchNormAct2d} <= set(leaf_modules())
    assert {pad_same, resample_abs_pos_embed} <= set(leaf_functions())


def test_registration_is_a_decorator_and_checks_its_argument(registry) -> None:
    assert register_leaf_module(SizeBranch) is SizeBranch
    assert leaf_modules()[-1] is SizeBranch
    assert register_leaf_function(odd_width_doubled) is odd_width_doubled
    assert leaf_functions()[-1] is odd_width_doubled
    with pytest.raises(TypeError, match="nn.Module subclass"):
        register_leaf_module(SizeBranch())  # type: ignore[type-var]
    with pytest.raises(TypeError, match="takes a function"):
        register_leaf_function(3)  # type: ignore[type-var]


def test_a_registered_module_stays_one_call(registry) -> None:
    model = WithSizeBranch().eval()
    with pytest.raises(torch.fx.proxy.TraceError):
        hub.fx.symbolic_trace(model)
    register_leaf_module(SizeBranch)
    traced = hub.fx.symbolic_trace(model)
    assert [n.target for n in traced.graph.nodes if n.op == "call_module"] == ["conv", "branch"]
    for width in (8, 9):  # the leaf's own forward decides at run time
        x = torch.randn(1, 3, 8, width)
        torch.testing.assert_close(traced(x), model(x), rtol=0, atol=0)


def test_a_registered_function_is_recorded_not_entered(registry) -> None:
    model = CallsAFunction()
    with pytest.raises(torch.fx.proxy.TraceError):
        hub.fx.symbolic_trace(model)
    register_leaf_function(odd_width_doubled)
    traced = hub.fx.symbolic_trace(model)
    assert odd_width_doubled in [n.target for n in traced.graph.nodes if n.op == "call_function"]
    x = torch.randn(1, 3, 4, 5)
    torch.testing.assert_close(traced(x), x * 2 + 1)


def test_the_tracer_takes_more_leaves_than_the_registered_ones() -> None:
    tracer = hub.fx.Tracer(leaf_modules=[SizeBranch], autowrap_functions=[odd_width_doubled])
    graph = tracer.trace(WithSizeBranch())
    assert "branch" in [n.target for n in graph.nodes if n.op == "call_module"]
    assert odd_width_doubled in [n.target for n in tracer.trace(CallsAFunction()).nodes]


@input_check
def _check_square(x: torch.Tensor, what: str) -> None:
    if x.shape[-1] != x.shape[-2]:
        raise ValueError(f"{what} must be square, got {x.shape[-2]}x{x.shape[-1]}")


class SquareOnly(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _check_square(x, "the image").flatten(1)


def test_an_input_check_raises_its_own_error_eagerly_and_when_traced() -> None:
    x = torch.randn(1, 2, 4, 4)
    assert _check_square(x, "the image") is x
    with pytest.raises(ValueError, match="the image must be square, got 4x5"):
        SquareOnly()(torch.randn(1, 2, 4, 5))
    for traced in (torch.fx.symbolic_trace(SquareOnly()), hub.fx.symbolic_trace(SquareOnly())):
        torch.testing.assert_close(traced(x), x.flatten(1))
        with pytest.raises(ValueError, match="the image must be square, got 4x5"):  # real sizes, not proxies
            traced(torch.randn(1, 2, 4, 5))


def test_an_input_check_survives_dead_code_elimination_copies_and_pickling() -> None:
    traced = torch.fx.symbolic_trace(SquareOnly())
    traced.graph.eliminate_dead_code()
    traced.recompile()
    for module in (traced, copy.deepcopy(traced), pickle.loads(pickle.dumps(traced))):
        with pytest.raises(ValueError, match="must be square"):
            module(torch.randn(1, 2, 4, 5))


@pytest.mark.parametrize(
    "layer",
    [
        Conv2dSame(3, 4, 3, stride=2),
        Conv2dSame(3, 4, 4, stride=1, dilation=2),
        MaxPool2dSame(3, 2),
        AvgPool2dSame(2, 2, ceil_mode=True, count_include_pad=False),
    ],
    ids=["conv-stride", "conv-even-dilated", "maxpool", "avgpool"],
)
def test_same_padding_traced_once_pads_each_input_size(layer: nn.Module) -> None:
    traced = hub.fx.symbolic_trace(nn.Sequential(layer, nn.ReLU()))
    for size in (16, 17, 15):
        x = torch.randn(1, 3, size, size + 2)
        torch.testing.assert_close(traced(x), F.relu(layer(x)), rtol=0, atol=0)


def test_norm_act_is_one_node_with_the_norms_keys_and_training_behaviour() -> None:
    norm = nn.Sequential(BatchNormAct2d(4, act="silu"))  # the root module itself is always entered
    assert list(norm.state_dict()) == list(nn.Sequential(nn.BatchNorm2d(4)).state_dict())
    eager = copy.deepcopy(norm)
    traced = hub.fx.symbolic_trace(norm.train())
    assert [n.op for n in traced.graph.nodes] == ["placeholder", "call_module", "output"]
    for _ in range(2):  # running statistics and the batch count move as in eager mode
        x = torch.randn(2, 4, 3, 3)
        torch.testing.assert_close(traced(x), eager(x))
    torch.testing.assert_close(traced.state_dict(), eager.state_dict())
    with pytest.raises(ValueError, match="expected 4D input"):
        traced(torch.randn(2, 4, 3))


def test_plain_torch_fx_cannot_trace_the_leaves() -> None:
    """Why the registry exists: torch.fx alone enters these layers and stops at a size-dependent branch."""
    with pytest.raises(torch.fx.proxy.TraceError):
        torch.fx.symbolic_trace(nn.Sequential(Conv2dSame(3, 4, 3, stride=2)))
    with pytest.raises(torch.fx.proxy.TraceError):
        torch.fx.symbolic_trace(nn.Sequential(BatchNormAct2d(4, act="relu")))


class Stages(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.stem = Conv2dSame(3, 8, 3, stride=2)
        self.stage = nn.Sequential(BatchNormAct2d(8, act="relu"), nn.Conv2d(8, 16, 3, stride=2, padding=1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.stage(self.stem(x)).mean((2, 3))


def test_feature_extraction_with_the_leaves() -> None:
    model = Stages().eval()
    train_nodes, eval_nodes = hub.fx.get_graph_node_names(model)
    assert train_nodes == eval_nodes
    assert {"stem", "stage.0", "stage.1"} <= set(eval_nodes)
    extractor = hub.fx.create_feature_extractor(model, {"stem": "low", "stage": "high"})
    x = torch.randn(2, 3, 33, 33)
    out = extractor(x)
    assert list(out) == ["low", "high"]
    torch.testing.assert_close(out["low"], model.stem(x))
    torch.testing.assert_close(out["high"], model.stage(model.stem(x)))


def test_feature_extraction_merges_the_callers_tracer_kwargs() -> None:
    model = nn.Sequential(Stages().stem, SizeBranch())
    with pytest.raises(torch.fx.proxy.TraceError):
        hub.fx.create_feature_extractor(model, ["1"])
    extractor = hub.fx.create_feature_extractor(model, ["1"], tracer_kwargs={"leaf_modules": [SizeBranch]})
    x = torch.randn(1, 3, 8, 8)
    torch.testing.assert_close(extractor(x)["1"], model(x))


@pytest.mark.parametrize("name", native_models())
def test_every_architecture_traces(name: str) -> None:
    """Every native architecture traces whole, at full size, on the meta device (the kit's fx
    check runs traced models and compares them on a sample, see support.registry)."""
    with torch.device("meta"), skip_init():
        model = hub.create_model(name).eval()
    graph = hub.fx.symbolic_trace(model).graph
    assert [node.op for node in graph.nodes].count("output") == 1
    assert sum(node.op == "call_module" for node in graph.nodes) > 5
