"""Finding, reading and adapting weights (the torch side of pretrained models); `hub._build` loads them."""

from hub._weights.prepare import ModelLayout, PreparedWeights, prepare_weights
from hub._weights.source import WeightSource, locate_checkpoint, locate_pretrained

__all__ = [
    "ModelLayout",
    "PreparedWeights",
    "WeightSource",
    "locate_checkpoint",
    "locate_pretrained",
    "prepare_weights",
]
