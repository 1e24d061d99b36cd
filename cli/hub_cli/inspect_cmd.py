"""``hub inspect``: one model's plugin, pretrained tags, size, cost and feature stages."""

from __future__ import annotations

import json
from typing import Any

import click

__all__ = ["inspect_command"]


def _parse_indices(text: str | None) -> int | list[int] | None:
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise click.BadParameter("give stage indices separated by commas, e.g. 1,2,3 or -1") from None
    if not values:
        raise click.BadParameter("give at least one stage index")
    return values


def _parse_model_args(pairs: tuple[str, ...]) -> dict[str, Any]:
    """KEY=VALUE pairs; a VALUE that reads as JSON (64, [64, 96], true) is taken as such, else as text."""
    arguments: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key.isidentifier():
            raise click.BadParameter(
                f"{pair!r}: give KEY=VALUE, e.g. img_size=384 or depth=6", param_hint="--model-arg"
            )
        try:
            arguments[key] = json.loads(text)
        except json.JSONDecodeError:
            arguments[key] = text
    return arguments


@click.command("inspect")
@click.argument("name")
@click.option(
    "--input-size",
    type=click.IntRange(min=8),
    metavar="PIXELS",
    help="Square input size (default: the cfg's); fixed-size models are built for it.",
)
@click.option(
    "--out-indices", metavar="I,J,...", help="Stages a feature extractor would return (default: the family's)."
)
@click.option(
    "--model-arg",
    "model_args",
    multiple=True,
    metavar="KEY=VALUE",
    help="A builder argument (repeatable), e.g. img_size=384 or depth=6; VALUE is read as JSON when it can be.",
)
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Hugging Face cache to check for weights.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def inspect_command(
    name: str,
    input_size: int | None,
    out_indices: str | None,
    model_args: tuple[str, ...],
    cache_dir: str | None,
    as_json: bool,
) -> None:
    """Describe model NAME: plugin, parameters, GMACs, feature stages and pretrained tags.

    NAME is any name create_model takes: arch, arch.tag, plugin:arch, local-dir:PATH or
    hf-hub:ORG/REPO. The model is built on the meta device, so this is instant and
    allocates nothing. The first line names the plugin that builds NAME; other plugins
    that offer the same architecture are listed under the names that build theirs.

    \b
    Examples:
      hub inspect resnet34
      hub inspect hub-timm:resnet34
      hub inspect resnet50.a1_in1k --input-size 288 --out-indices 2,3,4
      hub inspect vit_base_patch16_224 --input-size 384
      hub inspect local-dir:my-model/ --json
    """
    from hub._inspect import describe_model

    info = describe_model(
        name,
        input_size=input_size,
        out_indices=_parse_indices(out_indices),
        cache_dir=cache_dir,
        model_args=_parse_model_args(model_args),
    )
    if as_json:
        click.echo(json.dumps(info, indent=2))
    else:
        click.echo(_render(info))


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["    " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]


def _render(info: dict[str, Any]) -> str:
    c, h, w = info["input_size"]
    role = ", a fallback" if info["fallback"] else ""
    lines = [f"{info['name']}  (plugin {info['plugin']} {info['plugin_version'] or ''}".rstrip() + f"{role})"]
    if info["others"]:
        lines.append(f"  also offered as: {', '.join(info['others'])}")
    lines += [
        f"  parameters:    {info['num_params'] / 1e6:.2f} M",
        f"  GMACs:         {info['gmacs']:.2f} at {c}x{h}x{w}",
        f"  num_features:  {info['num_features']}",
        "  feature stages:",
    ]
    stage_rows = [["index", "module", "channels", "reduction"]]
    stage_rows += [
        [str(s["index"]), s["module"], str(s["num_chs"]), str(s["reduction"])] for s in info["feature_stages"]
    ]
    lines += _table(stage_rows)
    lines.append(f"  features_only outputs at {c}x{h}x{w}:")
    lines += _table(
        [["index", "module", "shape"]]
        + [[str(f["index"]), f["module"], "x".join(map(str, f["shape"]))] for f in info["features"]]
    )
    if not info["pretrained"]:
        lines.append("  pretrained tags: none")
        return "\n".join(lines)
    lines.append("  pretrained tags (the first is the default):")
    tag_rows = [["tag", "weights", "input", "crop", "interpolation", "classes", "license", "cached"]]
    for t in info["pretrained"]:
        source = t.get("hf_hub_id") or t.get("url") or "-"
        size = "x".join(map(str, t["input_size"]))
        cached = "yes" if t["cached"] else "no"
        tag_rows.append(
            [
                t["tag"],
                source,
                size,
                str(t["crop_pct"]),
                t["interpolation"],
                str(t["num_classes"]),
                str(t.get("license") or "-"),
                cached,
            ]
        )
    lines += _table(tag_rows)
    return "\n".join(lines)
