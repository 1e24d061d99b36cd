"""Architecture-agnostic building blocks for plugin authors.

Family-specific layers (an SE variant, a ViT attention block) belong to the family's own
``blocks.py``; what lives here is shared by several families and has one meaning.
"""

from hub.layers.checkpoint import checkpoint_seq
from hub.layers.drop import DropPath, drop_path, drop_path_rates
from hub.layers.helpers import make_divisible, to_2tuple
from hub.layers.init import trunc_normal_
from hub.layers.intermediates import feature_take_indices
from hub.layers.padding import AvgPool2dSame, Conv2dSame, MaxPool2dSame, get_padding, is_static_same_padding, pad_same
from hub.layers.pooling import POOL_TYPES, GlobalPool, create_classifier
from hub.layers.pos_embed import PosEmbedGrid, resample_abs_pos_embed

__all__ = [
    "POOL_TYPES",
    "AvgPool2dSame",
    "Conv2dSame",
    "DropPath",
    "GlobalPool",
    "MaxPool2dSame",
    "PosEmbedGrid",
    "checkpoint_seq",
    "create_classifier",
    "drop_path",
    "drop_path_rates",
    "feature_take_indices",
    "get_padding",
    "is_static_same_padding",
    "make_divisible",
    "pad_same",
    "resample_abs_pos_embed",
    "to_2tuple",
    "trunc_normal_",
]
