"""Checks of the family's architecture arguments, where they enter the model. No torch.

Each check raises one `ValueError` that names the argument, the model class and what is
allowed, so a bad value never becomes a model that builds but cannot be used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hub_vit._variants import ACT_LAYERS, ATTN_LAYERS, BLOCK_FNS, MLP_LAYERS, NORM_LAYERS

__all__ = ["ArgChecker", "check_vit_arguments"]


class ArgChecker:
    """Checks for the arguments of one model class (``owner`` names it in the messages)."""

    def __init__(self, owner: str) -> None:
        self.owner = owner

    def fail(self, name: str, allowed: str, value: Any) -> ValueError:
        return ValueError(f"{self.owner}: {name} must be {allowed}, got {value!r}")

    def integer(self, name: str, value: Any, *, minimum: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(name, f"an int >= {minimum}", value)
        return value

    def size(self, name: str, value: Any, *, minimum: int = 1) -> tuple[int, int]:
        """An int or a pair of ints, each at least ``minimum``; returned as (height, width)."""
        allowed = f"an int >= {minimum} or a pair of them (height, width)"
        if isinstance(value, int) and not isinstance(value, bool):
            pair: tuple[Any, ...] = (value, value)
        elif isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
            pair = tuple(value)
        else:
            raise self.fail(name, allowed, value)
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= minimum for v in pair):
            raise self.fail(name, allowed, value)
        return pair[0], pair[1]

    def number(self, name: str, value: Any, *, above: float) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > above:
            raise self.fail(name, f"a number > {above}", value)
        return float(value)

    def rate(self, name: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value < 1.0:
            raise self.fail(name, "a probability in [0, 1)", value)
        return float(value)

    def flag(self, name: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.fail(name, "True or False", value)
        return value

    def optional_flag(self, name: str, value: Any) -> bool | None:
        if value is not None and not isinstance(value, bool):
            raise self.fail(name, "True, False or None", value)
        return value

    def choice(self, name: str, value: Any, choices: Sequence[str]) -> str:
        if not isinstance(value, str) or value not in choices:
            raise self.fail(name, f"one of {', '.join(map(repr, choices))}", value)
        return value


_FLAGS = (
    "qkv_bias",
    "qk_norm",
    "scale_attn_norm",
    "scale_mlp_norm",
    "proj_bias",
    "class_token",
    "no_embed_class",
    "pool_include_prefix",
    "pre_norm",
    "final_norm",
    "embed_norm",
    "dynamic_img_size",
    "dynamic_img_pad",
)
_RATES = ("drop_rate", "pos_drop_rate", "proj_drop_rate", "attn_drop_rate", "drop_path_rate")
_CHOICES = {
    "norm_layer": NORM_LAYERS,
    "act_layer": ACT_LAYERS,
    "mlp_layer": MLP_LAYERS,
    "block_fn": BLOCK_FNS,
    "attn_layer": ATTN_LAYERS,
}


def check_vit_arguments(owner: str, args: Mapping[str, Any]) -> None:
    """Check the architecture arguments of a Vision Transformer (``args``: its constructor's arguments)."""
    check = ArgChecker(owner)
    for name, choices in _CHOICES.items():
        check.choice(name, args[name], choices)
    for name in _FLAGS:
        check.flag(name, args[name])
    for name in _RATES:
        check.rate(name, args[name])
    check.optional_flag("fc_norm", args["fc_norm"])
    patch = check.size("patch_size", args["patch_size"])
    image = check.size("img_size", args["img_size"])
    if image[0] < patch[0] or image[1] < patch[1]:
        raise check.fail("img_size", f"at least one patch ({patch[0]}x{patch[1]}) in each dimension", args["img_size"])
    check.integer("in_chans", args["in_chans"], minimum=1)
    check.integer("num_classes", args["num_classes"], minimum=0)
    check.integer("depth", args["depth"], minimum=1)
    check.integer("reg_tokens", args["reg_tokens"], minimum=0)
    heads = check.integer("num_heads", args["num_heads"], minimum=1)
    width = check.integer("embed_dim", args["embed_dim"], minimum=1)
    # differential attention splits each head's queries and keys in two halves
    differential = args["attn_layer"] == "diff" or args["block_fn"] == "diff_parallel_scaling"
    split = 2 * heads if differential else heads
    if width % split:
        raise check.fail(
            "embed_dim", f"a multiple of {split} ({heads} heads{', split in two' if differential else ''})", width
        )
    check.number("mlp_ratio", args["mlp_ratio"], above=0.0)
    check.number("norm_eps", args["norm_eps"], above=0.0)
    if args["init_values"] is not None:
        check.number("init_values", args["init_values"], above=0.0)
