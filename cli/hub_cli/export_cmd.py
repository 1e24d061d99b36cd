"""``hub export``: a model as an ONNX file, a ``torch.export`` program or a TorchScript trace."""

from __future__ import annotations

import click

from hub_cli.model_options import load_model, parse_model_args

__all__ = ["export_command"]

_FORMATS = ("onnx", "torch-export", "torchscript")


@click.command("export")
@click.argument("model")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The file to write.")
@click.option(
    "--format", "format_", type=click.Choice(_FORMATS), default="onnx", show_default=True, help="File format."
)
@click.option(
    "--img-size", type=click.IntRange(min=8), metavar="PIXELS", help="Square input size (default: the model's)."
)
@click.option("--dynamic-batch", is_flag=True, help="Let the file take any batch size (default: batch 1).")
@click.option("--opset", type=click.IntRange(min=7), help="ONNX opset (default: torch's).")
@click.option("--optimize", is_flag=True, help="Export hub.optimize(model): BatchNorm folded into the convolutions.")
@click.option("--check", is_flag=True, help="Run the written file by its runtime and compare with eager mode (1e-4).")
@click.option("--pretrained", is_flag=True, help="Export with the tag's weights (implied for local-dir:, hf-hub:).")
@click.option(
    "--checkpoint", type=click.Path(exists=True, dir_okay=False), help="Export with this checkpoint's weights."
)
@click.option("--model-arg", "model_args", multiple=True, metavar="KEY=VALUE", help="A builder argument (repeatable).")
def export_command(
    model: str,
    output: str,
    format_: str,
    img_size: int | None,
    dynamic_batch: bool,
    opset: int | None,
    optimize: bool,
    check: bool,
    pretrained: bool,
    checkpoint: str | None,
    model_args: tuple[str, ...],
) -> None:
    """Export MODEL to the file --output in --format.

    onnx goes through torch.onnx.export(dynamo=True) and needs the export extra
    (pip install "hub-core[export]": onnx, onnxscript, onnxruntime); torch-export writes
    a torch.export program (torch.export.save); torchscript traces the model
    (torch.jit.trace; torch.jit.script is deprecated and not offered). --check runs the
    written file (onnxruntime, torch.export.load, torch.jit.load) on random input and
    fails when it differs from eager mode by more than 1e-4. A model the format cannot
    express fails with the reason; no partial file is left.

    \b
    Examples:
      hub export resnet50.a1_in1k --pretrained -o resnet50.onnx --check
      hub export convnext_tiny -o convnext.pt2 --format torch-export --dynamic-batch
      hub export efficientnet_b0 -o effnet.pt --format torchscript --optimize --check
      hub export local-dir:my-model/ -o my-model.onnx --img-size 320 --opset 18
    """
    from hub._export import export_model

    fixed_size = {"img_size": img_size} if img_size and _builds_for_size(model, model_args) else {}
    arguments = tuple(f"{k}={v}" for k, v in fixed_size.items()) + model_args
    built = load_model(model, pretrained=pretrained, checkpoint=checkpoint, model_args=arguments)
    result = export_model(
        built,
        output,
        format=format_,
        img_size=img_size,
        dynamic_batch=dynamic_batch,
        opset=opset,
        optimize=optimize,
        check=check,
    )
    click.echo(f"wrote {output} ({format_})")
    if result is not None:
        accepted = "1e-4" if result.output_scale == 1 else f"1e-4 x the largest output, {result.output_scale:.3g}"
        click.echo(
            f"check passed: {result.runtime} at batch {result.batch_size} differs from eager mode by "
            f"{result.max_abs_diff:.2e} (at most {accepted} accepted)"
        )


def _builds_for_size(model: str, model_args: tuple[str, ...]) -> bool:
    """Whether ``model`` is of fixed input size (ViT-like), so that --img-size must be built into it."""
    import hub

    if "img_size" in parse_model_args(model_args):
        return False
    import torch

    with torch.device("meta"):
        meta = hub.create_model(model, **parse_model_args(model_args))
    return bool(getattr(meta, "as_built_cfg").fixed_input_size)
