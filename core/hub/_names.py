"""The forms a model name can take, parsed into what they point at. No torch, no network."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["HF_HUB_PREFIX", "LOCAL_DIR_PREFIX", "ModelName", "parse_model_name"]

HF_HUB_PREFIX = "hf-hub:"
LOCAL_DIR_PREFIX = "local-dir:"


@dataclass(frozen=True)
class ModelName:
    """One of: a registry name (``arch``, ``arch.tag``, ``plugin:arch``), a Hub repository, a local folder."""

    text: str
    kind: str  # "registry", "hf-hub" or "local-dir"
    repo_id: str | None = None
    revision: str | None = None
    path: Path | None = None

    @property
    def hf_hub_id(self) -> str | None:
        """The repository as timm writes it in a cfg: ``org/repo`` or ``org/repo@revision``."""
        if self.repo_id is None:
            return None
        return f"{self.repo_id}@{self.revision}" if self.revision else self.repo_id


def parse_model_name(text: str) -> ModelName:
    """Split ``hf-hub:org/repo[@rev]`` and ``local-dir:PATH`` from registry names."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"a model name must be a non-empty string, got {text!r}")
    text = text.strip()
    lowered = text.lower()
    for prefix in (HF_HUB_PREFIX, "hf_hub:"):
        if lowered.startswith(prefix):
            repo, _, revision = text[len(prefix) :].partition("@")
            if repo.count("/") != 1 or not all(repo.split("/")):
                raise ValueError(f"{text!r}: a Hub model is named hf-hub:ORG/REPO or hf-hub:ORG/REPO@REVISION")
            return ModelName(text, "hf-hub", repo_id=repo, revision=revision or None)
    if lowered.startswith(LOCAL_DIR_PREFIX):
        path = text[len(LOCAL_DIR_PREFIX) :]
        if not path:
            raise ValueError(f"{text!r}: give the folder, as local-dir:PATH")
        return ModelName(text, "local-dir", path=Path(path).expanduser())
    return ModelName(text, "registry")


def split_hf_hub_id(hf_hub_id: str) -> tuple[str, str | None]:
    """``org/repo@rev`` into (``org/repo``, ``rev``); the revision is None when absent."""
    repo, _, revision = hf_hub_id.partition("@")
    return repo, revision or None
