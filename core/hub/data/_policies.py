"""Augmentation policies by name (timm's ``auto_augment`` strings), parsed into a typed record. No torch.

The names a user passes as ``--aa``: ``rand-m9-n2`` (RandAugment, magnitude 0-10 on timm's
scale, ``n`` operations), ``trivialaugment``, ``augmix-m3-w3`` (severity, width) and
``original`` (AutoAugment's ImageNet policy).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AUGMENT_POLICIES", "AugmentPolicy", "parse_augment_policy"]

AUGMENT_POLICIES = ("rand-mM[-nN]", "trivialaugment", "augmix[-mM][-wW]", "original")

# Option letters each policy takes, with (default, lowest, highest).
_OPTIONS: dict[str, dict[str, tuple[int, int, int]]] = {
    "rand": {"m": (9, 0, 10), "n": (2, 1, 10)},
    "augmix": {"m": (3, 1, 10), "w": (3, 1, 10)},
    "trivialaugment": {},
    "original": {},
}


@dataclass(frozen=True)
class AugmentPolicy:
    """One augmentation policy: ``kind`` is rand, augmix, trivialaugment or original.

    ``magnitude`` is RandAugment's magnitude (0-10, timm's scale) or AugMix's severity;
    ``num_ops`` is RandAugment's operations per image; ``width`` AugMix's chains.
    """

    kind: str
    magnitude: int = 0
    num_ops: int = 0
    width: int = 0


def parse_augment_policy(name: str) -> AugmentPolicy:
    """The policy that ``name`` spells; a ValueError that lists the valid spellings otherwise."""
    kind, *options = name.strip().lower().split("-")
    if kind == "ta_wide":
        kind = "trivialaugment"
    allowed = _OPTIONS.get(kind)
    if allowed is None:
        raise ValueError(f"unknown augmentation policy {name!r}; use one of {', '.join(AUGMENT_POLICIES)}")
    values = {key: default for key, (default, _, _) in allowed.items()}
    for option in options:
        key, digits = option[:1], option[1:]
        if key not in allowed or not digits.isdigit():
            keys = ", ".join(f"{k}<int>" for k in allowed) or "no options"
            raise ValueError(f"augmentation policy {name!r}: {option!r} is not an option of {kind!r} (it takes {keys})")
        _, low, high = allowed[key]
        if not low <= int(digits) <= high:
            raise ValueError(f"augmentation policy {name!r}: {key} must be in [{low}, {high}], got {digits}")
        values[key] = int(digits)
    if kind == "rand":
        return AugmentPolicy(kind, magnitude=values["m"], num_ops=values["n"])
    if kind == "augmix":
        return AugmentPolicy(kind, magnitude=values["m"], width=values["w"])
    return AugmentPolicy(kind)
