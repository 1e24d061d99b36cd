"""Architecture-agnostic building blocks for plugin authors.

Family-specific layers (an SE variant, a ViT attention block) belong to the family's own
``blocks.py``; what lives here is shared by several families and has one meaning.

The names are loaded on first use, so that torch-free code (a plugin's manifest and its
architecture tables) can import ``hub.layers.helpers`` without importing torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hub._lazy import lazy_exports

if TYPE_CHECKING:
    from hub.layers.activations import ACTIVATIONS, create_act
    from hub.layers.checkpoint import checkpoint_seq
    from hub.layers.drop import DropPath, drop_path, drop_path_rates
    from hub.layers.helpers import JOIN_PREVIOUS_GROUP, make_divisible, to_2tuple, variant_builders
    from hub.layers.init import trunc_normal_
    from hub.layers.intermediates import check_output_fmt, feature_take_indices
    from hub.layers.norm_act import BatchNormAct2d
    from hub.layers.onednn_linear import OneDNNLinear
    from hub.layers.padding import (
        AvgPool2dSame,
        Conv2dSame,
        MaxPool2dSame,
        get_padding,
        is_static_same_padding,
        pad_same,
    )
    from hub.layers.pooling import POOL_TYPES, GlobalPool, check_pool_type, create_classifier, place_like
    from hub.layers.pos_embed import PosEmbedGrid, resample_abs_pos_embed
    from hub.layers.tracing import (
        input_check,
        leaf_functions,
        leaf_modules,
        register_leaf_function,
        register_leaf_module,
    )

# Public name -> the submodule that defines it.
_EXPORTS = {
    "ACTIVATIONS": "activations",
    "create_act": "activations",
    "checkpoint_seq": "checkpoint",
    "DropPath": "drop",
    "drop_path": "drop",
    "drop_path_rates": "drop",
    "JOIN_PREVIOUS_GROUP": "helpers",
    "make_divisible": "helpers",
    "to_2tuple": "helpers",
    "variant_builders": "helpers",
    "trunc_normal_": "init",
    "check_output_fmt": "intermediates",
    "feature_take_indices": "intermediates",
    "BatchNormAct2d": "norm_act",
    "OneDNNLinear": "onednn_linear",
    "AvgPool2dSame": "padding",
    "Conv2dSame": "padding",
    "MaxPool2dSame": "padding",
    "get_padding": "padding",
    "is_static_same_padding": "padding",
    "pad_same": "padding",
    "POOL_TYPES": "pooling",
    "GlobalPool": "pooling",
    "check_pool_type": "pooling",
    "create_classifier": "pooling",
    "place_like": "pooling",
    "PosEmbedGrid": "pos_embed",
    "resample_abs_pos_embed": "pos_embed",
    "input_check": "tracing",
    "leaf_functions": "tracing",
    "leaf_modules": "tracing",
    "register_leaf_function": "tracing",
    "register_leaf_module": "tracing",
}

__all__ = [
    "ACTIVATIONS",
    "JOIN_PREVIOUS_GROUP",
    "POOL_TYPES",
    "AvgPool2dSame",
    "BatchNormAct2d",
    "Conv2dSame",
    "DropPath",
    "GlobalPool",
    "MaxPool2dSame",
    "OneDNNLinear",
    "PosEmbedGrid",
    "check_output_fmt",
    "check_pool_type",
    "checkpoint_seq",
    "create_act",
    "create_classifier",
    "drop_path",
    "drop_path_rates",
    "feature_take_indices",
    "get_padding",
    "input_check",
    "is_static_same_padding",
    "leaf_functions",
    "leaf_modules",
    "make_divisible",
    "pad_same",
    "place_like",
    "register_leaf_function",
    "register_leaf_module",
    "resample_abs_pos_embed",
    "to_2tuple",
    "trunc_normal_",
    "variant_builders",
]


__getattr__, __dir__ = lazy_exports("hub.layers", {name: f"hub.layers.{module}" for name, module in _EXPORTS.items()})
