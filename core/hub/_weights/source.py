"""Where a model's weights come from: resolve a cfg or a path to a local file (or a state dict).

The order is timm's: an in-memory state dict or ``file`` in the cfg, then ``hf_hub_id``,
then ``url``. A cfg whose ``source`` is "hf-hub" or "local-dir" (an ``hf-hub:`` or
``local-dir:`` model name) always loads from there.
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub._names import split_hf_hub_id
from hub._pretrained_cfg import PretrainedCfg
from hub._weights.hf import SAFETENSORS_NAME, TORCH_WEIGHTS_NAME, download_weights
from hub.errors import CheckpointError, OfflineError, WeightDownloadError

__all__ = ["WeightSource", "locate_checkpoint", "locate_pretrained", "weights_in_folder"]

# torch.hub's convention: the file name carries the first hex digits of its sha256.
_HASH_IN_NAME = re.compile(r"-([a-f0-9]*)\.")


@dataclass(frozen=True)
class WeightSource:
    """A located set of weights: a local file, or a state dict already in memory."""

    description: str
    path: Path | None = None
    state_dict: Mapping[str, Any] | None = field(default=None, repr=False)
    refetch: str = "replace the file"  # what fixes a corrupt file, for error messages


def locate_pretrained(
    cfg: PretrainedCfg, *, display_name: str, cache_dir: str | os.PathLike[str] | None = None
) -> WeightSource:
    """Find (downloading if needed) the weights a cfg describes."""
    if cfg.source == "hf-hub" and cfg.hf_hub_id:
        return _from_hub(cfg, display_name, cache_dir)
    if cfg.source == "local-dir" and cfg.file:
        return _from_path(Path(cfg.file), "the saved model folder")
    if cfg.state_dict is not None:
        return WeightSource(description="the state dict in pretrained_cfg", state_dict=cfg.state_dict)
    if cfg.file:
        _refuse_custom_format(cfg, cfg.file, display_name)
        return _from_path(Path(cfg.file), "pretrained_cfg file")
    if cfg.hf_hub_id:
        return _from_hub(cfg, display_name, cache_dir)
    if cfg.url:
        _refuse_custom_format(cfg, cfg.url, display_name)
        return _from_url(cfg.url, cache_dir)
    raise CheckpointError(f"{display_name!r} names no weight source (state_dict, file, hf_hub_id or url)")


def _refuse_custom_format(cfg: PretrainedCfg, where: str, display_name: str) -> None:
    """Weights in their original, non-PyTorch format (``custom_load``) need a converter hub does not have.

    Sent to ``torch.load`` they would be reported as corrupt; say what they are instead.
    """
    if cfg.custom_load:
        raise CheckpointError(
            f"the weights of {display_name!r} at {where} are in their original format (custom_load=True: "
            "a JAX .npz, say), which needs a converter hub does not have; load the converted copy from the "
            "Hugging Face Hub (the tag's hf_hub_id), or pass a PyTorch or safetensors file with "
            "pretrained_cfg_overlay=dict(file=PATH)"
        )


def locate_checkpoint(path: Path) -> WeightSource:
    """A user's checkpoint file (or a saved folder) for ``checkpoint_path``."""
    return _from_path(path, "checkpoint_path")


def weights_in_folder(folder: Path) -> Path:
    """The weight file of a saved model folder, safetensors first."""
    for name in (SAFETENSORS_NAME, TORCH_WEIGHTS_NAME, "open_clip_model.safetensors", "open_clip_pytorch_model.bin"):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise CheckpointError(f"{folder} holds no {SAFETENSORS_NAME} or {TORCH_WEIGHTS_NAME}; save the model there first")


def _from_path(path: Path, what: str) -> WeightSource:
    path = path.expanduser()
    if path.is_dir():
        path = weights_in_folder(path)
    elif not path.is_file():
        raise CheckpointError(f"{what} {path} does not exist")
    return WeightSource(description=str(path), path=path, refetch=f"replace {path} with a complete copy")


def _from_hub(cfg: PretrainedCfg, display_name: str, cache_dir: str | os.PathLike[str] | None) -> WeightSource:
    assert cfg.hf_hub_id is not None
    repo_id, revision = split_hf_hub_id(cfg.hf_hub_id)
    hint = f"hub download {display_name}"
    path = download_weights(repo_id, revision=revision, filename=cfg.hf_hub_filename, cache_dir=cache_dir, hint=hint)
    return WeightSource(
        description=f"{cfg.hf_hub_id} ({path.name})",
        path=path,
        refetch=f"fetch it again with `{hint} --force` (`{hint} --verify` checks every cached file)",
    )


def _from_url(url: str, cache_dir: str | os.PathLike[str] | None) -> WeightSource:
    import torch.hub

    folder = Path(cache_dir) if cache_dir else Path(torch.hub.get_dir()) / "checkpoints"
    filename = os.path.basename(urllib.parse.urlparse(url).path)
    target = folder / filename
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        match = _HASH_IN_NAME.search(filename)
        try:
            # Downloads to a temporary file and renames it only when complete and hash-checked.
            torch.hub.download_url_to_file(url, str(target), match.group(1) if match else None, progress=True)
        except urllib.error.URLError as exc:
            raise OfflineError(f"could not download {url} ({exc.reason}); check the connection and try again") from exc
        except (OSError, RuntimeError) as exc:
            raise WeightDownloadError(f"downloading {url} failed ({exc}); nothing was kept, try again") from exc
    return WeightSource(description=url, path=target, refetch=f"delete {target} and load again")
