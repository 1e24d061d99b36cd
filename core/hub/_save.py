"""Saving a model in timm's layout (``config.json`` + ``model.safetensors``) and publishing it.

A folder written here loads with ``hub.create_model("local-dir:...")`` and with timm's
``create_model("local-dir:...")``; pushed to the Hub it loads as ``hf-hub:org/repo`` in both.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import safetensors.torch
from torch import nn

from hub._as_built import as_built_cfg_of
from hub._files import replace_folder
from hub._saved_config import CONFIG_NAME
from hub._version import __version__
from hub._weights.hf import SAFETENSORS_NAME
from hub.layers.helpers import to_2tuple

__all__ = ["push_to_hub", "save_pretrained"]


def save_pretrained(
    model: nn.Module,
    directory: str | os.PathLike[str],
    *,
    label_names: Sequence[str] | None = None,
    label_descriptions: Mapping[str, str] | None = None,
) -> Path:
    """Write ``config.json`` and ``model.safetensors`` for ``model`` into ``directory``; returns it.

    The model must come from ``hub.create_model`` (it records the architecture and its
    arguments). ``label_names`` (one per class) are stored for inference code. The folder
    is written as a whole: the files go into a new folder beside it, which then replaces
    it, so an interrupted save leaves the old folder (or none), never new weights beside an
    old ``config.json``. Other files already in the folder are kept.
    """
    config = model_config(model, label_names=label_names, label_descriptions=label_descriptions)
    tensors = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    with replace_folder(directory) as staging:
        safetensors.torch.save_file(tensors, staging / SAFETENSORS_NAME, metadata={"format": "pt"})
        (staging / CONFIG_NAME).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return Path(directory)


def model_config(
    model: nn.Module,
    *,
    label_names: Sequence[str] | None = None,
    label_descriptions: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The ``config.json`` content describing ``model`` as it is now."""
    cfg = as_built_cfg_of(model, needed_for="save_pretrained")
    if getattr(model, "feature_info", None) is not None and not hasattr(model, "reset_classifier"):
        raise ValueError("a feature extractor cannot be saved as a model; save the model it was made from")
    num_classes = int(getattr(model, "num_classes", cfg.num_classes))
    if label_names is not None and len(label_names) != num_classes:
        raise ValueError(f"label_names has {len(label_names)} names but the model has {num_classes} classes")
    # num_classes lives at the top level only: readers pass it to the builder themselves.
    model_args = {k: v for k, v in getattr(model, "model_args", {}).items() if k != "num_classes"}
    if model_args.get("img_size") is not None:
        model_args["img_size"] = to_2tuple(model_args["img_size"])
    pool = _global_pool_type(model)
    if pool is not None:
        model_args["global_pool"] = pool

    data = cfg.to_dict(remove_source=True)
    data.pop("architecture")
    data.pop("label_offset", None)  # any offset was applied when the weights were loaded
    data["custom_load"] = False  # hub writes plain safetensors
    data["num_classes"] = num_classes
    if num_classes != cfg.num_classes:
        data.pop("label_names", None)
        data.pop("label_descriptions", None)

    config: dict[str, Any] = {
        "architecture": cfg.architecture,
        "num_classes": num_classes,
        "num_features": int(getattr(model, "num_features", 0)),
    }
    if pool:
        config["global_pool"] = pool
    if label_names is not None:
        config["label_names"] = list(label_names)
    if label_descriptions is not None:
        config["label_descriptions"] = dict(label_descriptions)
    config["model_args"] = model_args
    config["pretrained_cfg"] = data
    return json.loads(json.dumps(config))  # tuples become lists, as JSON will read them back


def _global_pool_type(model: nn.Module) -> str | None:
    pool = getattr(model, "global_pool", None)
    if isinstance(pool, str):
        return pool
    pool_type = getattr(pool, "pool_type", None)
    return pool_type if isinstance(pool_type, str) else None


_MODEL_CARD = """---
tags:
- image-classification
- timm
- hub
library_name: timm
---
# {repo_id}

A `{architecture}` image model published with hub {version}. Load it with hub or timm:

```python
import hub
model = hub.create_model("hf-hub:{repo_id}", pretrained=True)
```
"""


def push_to_hub(
    model: nn.Module,
    repo_id: str,
    *,
    commit_message: str = "Add model",
    token: str | None = None,
    revision: str | None = None,
    private: bool = False,
    create_pr: bool = False,
    label_names: Sequence[str] | None = None,
    label_descriptions: Mapping[str, str] | None = None,
) -> str:
    """Publish ``model`` to the Hugging Face Hub as ``repo_id`` (created if needed); returns the commit URL.

    The repository holds ``config.json``, ``model.safetensors`` and a model card, in the
    layout ``hub.create_model("hf-hub:...")`` and timm read.
    """
    from huggingface_hub import HfApi

    api = HfApi(token=token, library_name="hub", library_version=__version__)
    repo_id = api.create_repo(repo_id, private=private, exist_ok=True).repo_id
    with tempfile.TemporaryDirectory() as folder:
        save_pretrained(model, folder, label_names=label_names, label_descriptions=label_descriptions)
        architecture = model_config(model)["architecture"]
        readme = _MODEL_CARD.format(repo_id=repo_id, architecture=architecture, version=__version__)
        Path(folder, "README.md").write_text(readme)
        commit = api.upload_folder(
            repo_id=repo_id,
            folder_path=folder,
            commit_message=commit_message,
            revision=revision,
            create_pr=create_pr,
        )
    return str(commit.commit_url)
