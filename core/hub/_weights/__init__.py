"""Finding, reading, adapting and loading weights (the torch side of pretrained models)."""

from hub._weights.apply import load_weights
from hub._weights.source import WeightSource, locate_checkpoint, locate_pretrained

__all__ = ["WeightSource", "load_weights", "locate_checkpoint", "locate_pretrained"]
