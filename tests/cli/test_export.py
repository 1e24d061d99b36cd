"""``hub export`` and ``hub.export_model``: real ONNX, torch.export and TorchScript files, run by their runtimes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch
from click.testing import CliRunner

import hub
from hub.errors import ExportError
from hub_cli.main import cli


def _missing_onnx_module() -> str | None:
    import importlib.util

    return next((m for m in ("onnx", "onnxscript", "onnxruntime") if importlib.util.find_spec(m) is None), None)


MISSING = _missing_onnx_module()
needs_onnx = pytest.mark.skipif(
    MISSING is not None, reason=f'{MISSING} is not installed: pip install "hub-core[export]"'
)


def export(*args: str) -> object:
    return CliRunner().invoke(cli, ["export", *args])


@needs_onnx
@pytest.mark.parametrize("name", ["resnet10t", "mobilenetv3_small_100", "convnext_atto", "vit_tiny_patch16_224"])
def test_onnx_export_of_each_family_runs_in_onnxruntime_like_eager(tmp_path: Path, name: str) -> None:
    output = tmp_path / f"{name}.onnx"
    result = export(name, "-o", str(output), "--img-size", "64", "--dynamic-batch", "--check")
    assert result.exit_code == 0, result.output
    assert f"wrote {output} (onnx)" in result.stdout
    assert "check passed: onnxruntime at batch 2 differs from eager mode by" in result.stdout
    import onnx

    graph = onnx.load(str(output)).graph
    assert graph.input[0].type.tensor_type.shape.dim[0].dim_param  # the batch is a named, free dimension
    assert [d.dim_value for d in graph.input[0].type.tensor_type.shape.dim[1:]] == [3, 64, 64]
    assert sorted(p.name for p in tmp_path.iterdir()) == [output.name]  # no staging file left


@pytest.mark.parametrize(
    ("name", "fmt", "file"),
    [
        ("resnet10t", "torch-export", "m.pt2"),
        ("vit_tiny_patch16_224", "torch-export", "m.pt2"),
        ("mobilenetv3_small_100", "torchscript", "m.pt"),
        ("convnext_atto", "torchscript", "m.pt"),
    ],
)
def test_torch_export_and_torchscript_files_load_and_match(tmp_path: Path, name: str, fmt: str, file: str) -> None:
    result = export(name, "-o", str(tmp_path / file), "--format", fmt, "--img-size", "64", "--check", "--optimize")
    assert result.exit_code == 0, result.output
    runtime = {"torch-export": "torch.export.load", "torchscript": "torch.jit.load"}[fmt]
    assert f"check passed: {runtime} at batch 1" in result.stdout
    assert "deprecated" not in result.output


def test_library_export_returns_the_check_and_exports_a_feature_extractor(tmp_path: Path) -> None:
    extractor = hub.create_model("resnet10t", features_only=True, out_indices=(2, 4))
    check = hub.export_model(extractor, tmp_path / "features.pt", format="torchscript", img_size=64, check=True)
    assert check is not None and check.passed and check.runtime == "torch.jit.load"
    assert check.max_abs_diff <= check.tolerance == 1e-4 * check.output_scale
    loaded = torch.jit.load(str(tmp_path / "features.pt"))
    assert [tuple(t.shape) for t in loaded(torch.randn(1, 3, 64, 64))] == [(1, 128, 8, 8), (1, 512, 2, 2)]


def test_a_model_the_format_cannot_express_is_one_error_and_no_file(tmp_path: Path) -> None:
    model = hub.create_model("resnet10t")
    eager = model.forward
    # A branch on the input's values: torch.export cannot follow it without a guard.
    model.forward = lambda x: eager(x) if x.sum() > 0 else eager(-x)  # type: ignore[method-assign]
    with pytest.raises(ExportError, match=r"model 'resnet10t' cannot be exported as torch-export: \w+"):
        hub.export_model(model, tmp_path / "m.pt2", format="torch-export", img_size=64)
    assert list(tmp_path.iterdir()) == []


def test_missing_onnx_extra_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "onnxscript", None)  # what an environment without the extra gives
    result = export("resnet10t", "-o", str(tmp_path / "m.onnx"))
    assert result.exit_code == 1
    assert (
        'exporting to onnx needs the onnxscript package; install the export extra: pip install "hub-core[export]"'
        in (result.output)
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["resnet10t", "-o", "{tmp}/m.onnx", "--format", "tflite"], "'tflite' is not one of"),
        (["resnet10t", "-o", "{tmp}/m.pt", "--format", "torch-export"], "torch.export programs are .pt2 files"),
        (["resnet10t", "-o", "{tmp}/m.pt", "--format", "torchscript", "--opset", "17"], "an opset applies to the onnx"),
        (["resnet5", "-o", "{tmp}/m.onnx"], "unknown model 'resnet5'"),
    ],
)
def test_user_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = export(*[a.format(tmp=tmp_path) for a in args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
