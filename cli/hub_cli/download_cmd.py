"""``hub download``: fetch pretrained weights into the Hugging Face cache ahead of time."""

from __future__ import annotations

import click

__all__ = ["download_command"]


@click.command("download")
@click.argument("names", nargs=-1, required=True)
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Cache folder (default: the Hugging Face cache).")
@click.option("--force", is_flag=True, help="Fetch again even when cached (repairs a corrupt file).")
@click.option(
    "--verify", is_flag=True, help="Hash every file against the hash its download recorded (finds files that rotted)."
)
def download_command(names: tuple[str, ...], cache_dir: str | None, force: bool, verify: bool) -> None:
    """Download the weights of NAMES (arch, arch.tag or hf-hub:org/repo) and print their local paths.

    Downloads go through huggingface_hub, with its cache, progress bar and HF_ENDPOINT /
    HF_TOKEN settings; later `create_model(..., pretrained=True)` calls find the files there,
    also with HF_HUB_OFFLINE=1.

    \b
    Examples:
      hub download resnet50.a1_in1k
      hub download efficientnet_b3 resnet34 --cache-dir /data/hf-cache
      hub download hf-hub:timm/resnet18.a1_in1k --force
      hub download resnet50.a1_in1k --verify
    """
    from hub._download import download_model_files, verify_cached_files

    for name in names:
        paths = download_model_files(name, cache_dir=cache_dir, force=force)
        if not verify:
            click.echo("\n".join(map(str, paths)))
            continue
        for path, intact in verify_cached_files(name, paths).items():
            click.echo(f"{path}  {'verified' if intact else 'no recorded hash to check'}")
