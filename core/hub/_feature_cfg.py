"""`FeatureCfg`: how ``features_only=True`` wraps a family's models. Torch-free (plugin manifests use it).

The fields are the facts timm's ``feature_cfg`` holds for the same family, so that hub's
extractors have the state-dict layout of timm's and backbones trained with either load
into the other.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FEATURE_CLASSES", "FeatureCfg"]

# The wrappers `create_model(features_only=True, feature_cls=...)` offers (see docs/features.md).
FEATURE_CLASSES = ("list", "dict", "hook", "getter", "trunk")


@dataclass(frozen=True)
class FeatureCfg:
    """A family's feature-extraction defaults, given once at registration.

    - ``feature_cls``: the wrapper used when the caller names none. "list" for models whose
      stages run as a plain sequence of modules, "trunk" to keep the model's own module
      names (stem and every stage, as timm's EfficientNet and MobileNet extractors do),
      "getter" for models whose features need ``forward_intermediates`` (transformers).
    - ``out_indices``: the stages returned when the caller names none: None for every
      stage, an int n for the last n, or a tuple of stage indices.
    - ``flatten_sequential``: the module wrappers lift the children of the model's top-level
      ``nn.Sequential`` containers into the extractor (``stages.0`` is stored as
      ``stages_0``), and the "hook" wrapper rebuilds the model that way instead of wrapping
      it whole.
    """

    feature_cls: str = "list"
    out_indices: int | tuple[int, ...] | None = None
    flatten_sequential: bool = False
