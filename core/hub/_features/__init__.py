"""Feature extraction for every family: ``create_model(..., features_only=True)``."""

from hub._features.create import wrap_features
from hub._features.info import FeatureInfo

__all__ = ["FeatureInfo", "wrap_features"]
