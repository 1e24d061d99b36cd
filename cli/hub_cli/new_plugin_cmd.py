"""``hub new-plugin``: write a ready-to-install plugin distribution into a new folder."""

from __future__ import annotations

import importlib.util
import re
from importlib import resources
from pathlib import Path

import click
import importlib_metadata

from hub._files import replace_folder
from hub._version import PLUGIN_API_VERSION

__all__ = ["new_plugin_command", "write_plugin"]

_DIST_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def core_range(api_version: str = PLUGIN_API_VERSION) -> str:
    """The hub-core requirement for a plugin written against ``api_version`` (major.minor)."""
    major, minor = (int(part) for part in api_version.split("."))
    return f">={major}.{minor},<{major}.{minor + 1}" if major == 0 else f">={major}.{minor},<{major + 1}"


# hub's own distributions: a plugin must not take their names, installed here or not.
HUB_DISTRIBUTIONS = frozenset(
    {"hub-core", "hub-resnet", "hub-efficientnet", "hub-vit", "hub-convnext", "hub-timm", "hub-train"}
)


def write_plugin(dist: str, target: Path, model: str | None = None) -> list[Path]:
    """Render the plugin template for distribution ``dist`` into ``target`` (a new or empty folder).

    The folder is written whole or not at all.
    """
    if not _DIST_NAME.fullmatch(dist):
        raise ValueError(
            f"{dist!r} is not a usable distribution name: use lowercase letters, digits and '-' (e.g. acme-vision)"
        )
    package = dist.replace("-", "_")
    _check_name_is_free(dist, package)
    model = model or f"{package}_small"
    if not re.fullmatch(r"[a-z][a-z0-9_]*", model):
        raise ValueError(f"{model!r} is not a usable model name: use lowercase letters, digits and '_'")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        what = "is not empty" if target.is_dir() else "is a file"
        raise FileExistsError(f"{target} exists and {what}; pick a new folder (nothing was written)")
    values = {"dist": dist, "package": package, "model": model, "core_range": core_range()}
    template_root = resources.files("hub_cli") / "templates" / "plugin"
    relatives = []
    with replace_folder(target) as staging:
        for source, relative in _template_files(template_root):
            text = source.read_text(encoding="utf-8")
            for key, value in values.items():
                text = text.replace("{{" + key + "}}", value)
            destination = Path(relative.replace("package/", f"{package}/").removesuffix(".tmpl"))
            (staging / destination).parent.mkdir(parents=True, exist_ok=True)
            (staging / destination).write_text(text, encoding="utf-8")
            relatives.append(destination)
    return [target / relative for relative in relatives]


def _check_name_is_free(dist: str, package: str) -> None:
    """Installing a plugin under a taken name would replace that distribution, or shadow that package."""
    if dist in HUB_DISTRIBUTIONS:
        raise ValueError(f"{dist!r} is one of hub's own distributions; pick another name (e.g. acme-vision)")
    try:
        installed = importlib_metadata.distribution(dist)
    except importlib_metadata.PackageNotFoundError:
        installed = None
    if installed is not None:
        raise ValueError(
            f"{dist!r} is the name of an installed distribution ({dist} {installed.version}); installing the new "
            "plugin would replace it. Pick another name"
        )
    if importlib.util.find_spec(package) is not None:
        raise ValueError(
            f"the plugin's package would be {package!r}, which is already importable here; it would shadow that "
            "package. Pick another name"
        )


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
