"""``hub new-plugin``: write a ready-to-install plugin distribution into a new folder."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import click

from hub._version import PLUGIN_API_VERSION

__all__ = ["new_plugin_command", "write_plugin"]

_DIST_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def core_range(api_version: str = PLUGIN_API_VERSION) -> str:
    """The hub-core requirement for a plugin written against ``api_version`` (major.minor)."""
    major, minor = (int(part) for part in api_version.split("."))
    return f">={major}.{minor},<{major}.{minor + 1}" if major == 0 else f">={major}.{minor},<{major + 1}"


def write_plugin(dist: str, target: Path, model: str | None = None) -> list[Path]:
    """Render the plugin template for distribution ``dist`` into ``target`` (a new or empty folder)."""
    if not _DIST_NAME.fullmatch(dist):
        raise ValueError(
            f"{dist!r} is not a usable distribution name: use lowercase letters, digits and '-' (e.g. acme-vision)"
        )
    package = dist.replace("-", "_")
    model = model or f"{package}_small"
    if not re.fullmatch(r"[a-z][a-z0-9_]*", model):
        raise ValueError(f"{model!r} is not a usable model name: use lowercase letters, digits and '_'")
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} exists and is not empty; pick a new folder (nothing was written)")
    values = {"dist": dist, "package": package, "model": model, "core_range": core_range()}
    template_root = resources.files("hub_cli") / "templates" / "plugin"
    written = []
    for source, relative in _template_files(template_root):
        text = source.read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", value)
        destination = target / relative.replace("package/", f"{package}/").removesuffix(".tmpl")
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text, encoding="utf-8")
        written.append(destination)
    return written


def _template_files(root, prefix: str = ""):  # type: ignore[no-untyped-def]
    for item in sorted(root.iterdir(), key=lambda i: i.name):
        if item.is_dir():
            yield from _template_files(item, f"{prefix}{item.name}/")
        elif item.name.endswith(".tmpl"):
            yield item, f"{prefix}{item.name}"


@click.command("new-plugin")
@click.argument("name")
@click.option(
    "--directory", type=click.Path(file_okay=False, path_type=Path), help="Where to write it (default: ./NAME)."
)
@click.option("--model", "model", metavar="MODEL_NAME", help="Name of the example model (default: PACKAGE_small).")
def new_plugin_command(name: str, directory: Path | None, model: str | None) -> None:
    """Create a ready plugin distribution NAME: manifest, model, conformance tests, README.

    The plugin registers one small working model that follows hub's model contract; its
    tests run hub's conformance kit. Install it with `pip install -e NAME`, then
    `hub plugins` lists it and `pytest NAME/tests` checks it.

    \b
    Examples:
      hub new-plugin acme-vision
      hub new-plugin acme-vision --directory src/acme-vision --model acmenet_tiny
    """
    target = directory or Path(name)
    files = write_plugin(name, target, model)
    click.echo(f"wrote {len(files)} files to {target}/:")
    for path in files:
        click.echo(f"  {path.relative_to(target)}")
    click.echo(f"next: pip install -e {target} && hub plugins && pytest {target}/tests")
