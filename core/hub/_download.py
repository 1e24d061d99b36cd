"""Fetching a model's files ahead of time (``hub download``)."""

from __future__ import annotations

import os
from pathlib import Path

from hub._listing import get_catalog
from hub._names import parse_model_name, split_hf_hub_id
from hub._saved_config import CONFIG_NAME
from hub._weights.hf import blob_is_intact, download_file, download_weights
from hub._weights.source import locate_pretrained
from hub.errors import CheckpointError, NoPretrainedWeightsError

__all__ = ["download_model_files", "verify_cached_files"]


def download_model_files(
    name: str, *, cache_dir: str | os.PathLike[str] | None = None, force: bool = False
) -> list[Path]:
    """Download what ``create_model(name, pretrained=True)`` would load; returns the local paths.

    For ``hf-hub:`` names, the repository's ``config.json`` and weights. For registered
    names, the tag's weights from its ``hf_hub_id`` (or its ``url``).
    """
    return _download(name, cache_dir=cache_dir, force=force)


def verify_cached_files(name: str, paths: list[Path]) -> dict[Path, bool | None]:
    """Hash each downloaded file against the hash the cache recorded for it (None: none recorded).

    A file whose content changed since it was downloaded (bit rot, a partial overwrite) is a
    `CheckpointError` that names it and the command that fetches it again.
    """
    intact = {path: blob_is_intact(path) for path in paths}
    corrupt = [str(path) for path, ok in intact.items() if ok is False]
    if corrupt:
        raise CheckpointError(
            f"{', '.join(corrupt)}: the cached content no longer matches the hash recorded when it was downloaded; "
            f"fetch it again with `hub download {name} --force`"
        )
    return intact


def _download(name: str, *, cache_dir: str | os.PathLike[str] | None, force: bool) -> list[Path]:
    parsed = parse_model_name(name)
    hint = f"hub download {name}"
    if parsed.kind == "hf-hub":
        assert parsed.repo_id is not None
        repo, revision = parsed.repo_id, parsed.revision
        config = download_file(repo, CONFIG_NAME, revision=revision, cache_dir=cache_dir, force=force, hint=hint)
        weights = download_weights(repo, revision=revision, cache_dir=cache_dir, force=force, hint=hint)
        return [config, weights]
    if parsed.kind == "local-dir":
        raise ValueError(f"{name!r} is a local folder; there is nothing to download")
    cfg = get_catalog().index.resolve(name).pretrained_cfg()
    if not cfg.has_weights:
        raise NoPretrainedWeightsError(f"{name!r} has no pretrained weights to download")
    if cfg.hf_hub_id:
        repo, revision = split_hf_hub_id(cfg.hf_hub_id)
        return [
            download_weights(
                repo, revision=revision, filename=cfg.hf_hub_filename, cache_dir=cache_dir, force=force, hint=hint
            )
        ]
    source = locate_pretrained(cfg, display_name=name, cache_dir=cache_dir)
    assert source.path is not None
    return [source.path]
