"""`PretrainedCfg`: what a set of pretrained weights is and how its inputs must look.

The field names are timm's, so a cfg serialises to the ``pretrained_cfg`` of a timm
``config.json`` and back without renaming, and reads as the dict that timm's models carry.
"""

from __future__ import annotations

import dataclasses
import os
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from hub._arguments import Range, allowed_values, describe_value
from hub.errors import InvalidArgumentError, PretrainedCfgKeyError

__all__ = [
    "IMAGENET_DEFAULT_MEAN",
    "IMAGENET_DEFAULT_STD",
    "IMAGENET_INCEPTION_MEAN",
    "IMAGENET_INCEPTION_STD",
    "OPENAI_CLIP_MEAN",
    "OPENAI_CLIP_STD",
    "PretrainedCfg",
]

# Normalisation constants that many published weights were trained with.
IMAGENET_DEFAULT_MEAN = (0.485, 0.456, 0.406)
IMAGENET_DEFAULT_STD = (0.229, 0.224, 0.225)
IMAGENET_INCEPTION_MEAN = (0.5, 0.5, 0.5)  # inputs scaled to [-1, 1]
IMAGENET_INCEPTION_STD = (0.5, 0.5, 0.5)
OPENAI_CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_CLIP_STD = (0.26862954, 0.26130258, 0.27577711)

# Fields that say where weights come from, as opposed to what they are.
SOURCE_FIELDS = frozenset({"url", "file", "state_dict", "hf_hub_id", "hf_hub_filename", "source"})
# timm keeps these in a serialised cfg even when they are null.
_KEEP_WHEN_NULL = frozenset({"pool_size", "first_conv", "classifier"})
_Size3 = tuple[Annotated[int, Range(min=1)], Annotated[int, Range(min=1)], Annotated[int, Range(min=1)]]
_SEQUENCE_FIELDS = frozenset(
    {
        "input_size",
        "test_input_size",
        "min_input_size",
        "mean",
        "std",
        "label_names",
        "pool_size",
        "test_pool_size",
        "notes",
        "first_conv",
        "classifier",
        "paper_ids",
    }
)


@dataclass(frozen=True)
class PretrainedCfg(Mapping[str, Any]):
    """Facts about one set of pretrained weights: source, input config, head and licence.

    Instances are immutable and shared by the registry; derive a changed copy with
    :meth:`replace`, which is also how a family writes its defaults and training recipes
    once: ``RECIPE = FAMILY.replace(...)``, then ``RECIPE.replace(url=...)`` per tag.
    ``first_conv`` and ``classifier`` name the modules (a string, or a tuple of strings)
    that input-channel and class-count adaptation rewrite. An ``hf_hub_id`` that ends in
    "/" names only the organisation: registration completes it as ``ORG/ARCH.TAG``.

    A cfg also reads as the read-only dict that timm gives its models as ``pretrained_cfg``:
    ``cfg["mean"]``, ``cfg.get("crop_pct")``, ``"mean" in cfg``, ``dict(cfg)``, ``**cfg``.
    Its keys are the fields that are set (not None), plus ``pool_size``, ``first_conv`` and
    ``classifier`` always, as timm keeps them; any other key is a
    `hub.errors.PretrainedCfgKeyError` (a ``KeyError``) that lists the keys there are.
    Equality stays the record's: compare ``dict(cfg)`` with a dict.
    """

    # where the weights are
    url: str | None = None  # http(s) only: a local file goes in ``file``
    file: str | None = None
    state_dict: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)
    hf_hub_id: str | None = None
    hf_hub_filename: str | None = None
    source: str | None = None
    architecture: str | None = None
    tag: str | None = None
    custom_load: bool = False

    # what the inputs look like
    input_size: _Size3 = (3, 224, 224)
    test_input_size: _Size3 | None = None
    min_input_size: _Size3 | None = None
    fixed_input_size: bool = False
    interpolation: str = "bicubic"
    crop_pct: Annotated[float, Range(min=0)] = 0.875
    test_crop_pct: Annotated[float, Range(min=0)] | None = None
    crop_mode: str = "center"
    mean: tuple[float, ...] = IMAGENET_DEFAULT_MEAN
    std: tuple[float, ...] = IMAGENET_DEFAULT_STD

    # the head the weights were trained with
    num_classes: Annotated[int, Range(min=0)] = 1000
    label_offset: Annotated[int, Range(min=0)] | None = None
    label_names: tuple[str, ...] | None = None
    label_descriptions: Mapping[str, str] | None = None

    # modules that adaptation needs to find
    pool_size: tuple[Annotated[int, Range(min=1)], ...] | None = None
    test_pool_size: tuple[Annotated[int, Range(min=1)], ...] | None = None
    first_conv: str | tuple[str, ...] | None = None
    classifier: str | tuple[str, ...] | None = None

    # provenance
    license: str | None = None
    description: str | None = None
    origin_url: str | None = None
    paper_name: str | None = None
    paper_ids: str | tuple[str, ...] | None = None
    notes: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        _settle(self, _FIELD_ORDER)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    # The mapping view: timm's dict of the same weights.

    def __getitem__(self, key: str) -> Any:
        if key in self:
            return getattr(self, key)
        raise PretrainedCfgKeyError(key, present=list(self), fields=self.field_names())

    def __contains__(self, key: object) -> bool:
        return key in _FIELDS and (key in _KEEP_WHEN_NULL or getattr(self, str(key)) is not None)

    def __iter__(self) -> Iterator[str]:
        return (name for name in self.field_names() if name in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    @property
    def has_weights(self) -> bool:
        """True when the cfg names a place to load weights from."""
        return bool(self.state_dict is not None or self.file or self.hf_hub_id or self.url)

    @property
    def in_chans(self) -> int:
        """Input channels the weights were trained with."""
        return self.input_size[0]

    @property
    def first_conv_names(self) -> tuple[str, ...]:
        return _as_names(self.first_conv)

    @property
    def classifier_names(self) -> tuple[str, ...]:
        return _as_names(self.classifier)

    def replace(self, *presets: Mapping[str, Any], **changes: Any) -> PretrainedCfg:
        """A copy with fields changed: by each preset (a mapping of fields) in order, then by ``changes``.

        An unknown field name is a `TypeError`.
        """
        merged: dict[str, Any] = {}
        for preset in presets:
            merged.update(preset)
        merged.update(changes)
        _reject_unknown_fields(merged)
        # A copy with only the changed fields checked: the others were checked when this cfg was made.
        changed = object.__new__(type(self))
        changed.__dict__.update(self.__dict__, **merged)
        _settle(changed, merged)
        return changed

    def to_dict(self, *, remove_source: bool = False, remove_null: bool = True) -> dict[str, Any]:
        """The cfg as a plain dict, in timm's serialised form (nulls dropped by default)."""
        out: dict[str, Any] = {}
        for name in self if remove_null else self.field_names():
            if name == "state_dict" or (remove_source and name in SOURCE_FIELDS):
                continue
            value = getattr(self, name)
            out[name] = dict(value) if isinstance(value, Mapping) else value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PretrainedCfg:
        """Build a cfg from a dict such as the ``pretrained_cfg`` of a ``config.json``.

        Fields this version does not know (written by a newer timm, say) are ignored.
        """
        known = set(cls.field_names())
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def from_checked_dict(cls, data: Mapping[str, Any]) -> PretrainedCfg:
        """Rebuild a cfg from the `to_dict` of one that was checked before, without checking each field again.

        For a cache that hub wrote itself and verifies as a whole (hub-timm's index carries
        a checksum): thousands of cfgs load in milliseconds. JSON lists become tuples, and
        an unknown field is still a `TypeError`. Data from anywhere else goes through the
        constructor or `from_dict`, which check every field.
        """
        _reject_unknown_fields(data)
        cfg = object.__new__(cls)
        state = cfg.__dict__
        state.update(_DEFAULTS)
        for name, value in data.items():
            state[name] = tuple(value) if type(value) is list else value
        return cfg


_FIELD_ORDER = PretrainedCfg.field_names()
_FIELDS = frozenset(_FIELD_ORDER)


def _reject_unknown_fields(fields: Mapping[str, Any]) -> None:
    """A `TypeError` naming any of ``fields`` that PretrainedCfg does not have, and the valid ones."""
    if not fields.keys() <= _FIELDS:
        raise TypeError(
            f"PretrainedCfg has no field(s) {', '.join(sorted(set(fields) - _FIELDS))}; "
            f"valid fields: {', '.join(_FIELD_ORDER)}"
        )


def _as_names(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


# Every cfg is checked where it is made (a registration, a config.json, an overlay): a wrong
# type is one error naming the field, never a silently different model later.
_HINTS: dict[str, Any] = {}
# Field values already found valid: a registry repeats a few values (mean, std, input_size,
# license) thousands of times, and hub list reads every cfg.
_VALID: set[tuple[Any, ...]] = set()
_SCALARS = frozenset({str, int, float, bool})
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(PretrainedCfg)}


def _settle(cfg: PretrainedCfg, names: Iterable[str]) -> None:
    """Normalise the fields ``names`` of a new cfg (JSON lists become tuples, paths strings) and check them."""
    if not _HINTS:
        _HINTS.update(typing.get_type_hints(PretrainedCfg, include_extras=True))
    state = cfg.__dict__  # written directly: the cfg is frozen only once it is handed out
    for name in names:
        value = state[name]
        if value is _DEFAULTS[name]:
            continue
        kind = type(value)
        if kind is list and name in _SEQUENCE_FIELDS:  # the cfg is hashable data
            value = state[name] = tuple(value)
            kind = tuple
        elif name == "file" and isinstance(value, os.PathLike):
            value = state[name] = os.fspath(value)
            kind = str
        # A scalar is known by type and value (True == 1, yet only one may be valid); anything
        # else by its repr, except a state dict: never repeated, and its repr formats every tensor.
        if kind in _SCALARS:
            key: tuple[Any, ...] | None = (name, kind, value)
        else:
            key = None if name == "state_dict" else (name, repr(value))
        if key in _VALID:
            continue
        allowed = allowed_values(value, _HINTS[name])
        if allowed is not None:
            raise InvalidArgumentError(f"PretrainedCfg.{name} must be {allowed}, got {describe_value(value)}")
        if key is not None:
            _VALID.add(key)
    if cfg.url is not None and not cfg.url.startswith(("https://", "http://")):
        raise InvalidArgumentError(
            f"PretrainedCfg.url must be an http(s) URL, got {cfg.url!r}; give a local file as file=PATH"
        )
    if len(cfg.mean) != len(cfg.std) or not all(s > 0 for s in cfg.std):
        raise InvalidArgumentError(
            f"PretrainedCfg mean and std must have one value per channel each, std positive; got mean={cfg.mean}, "
            f"std={cfg.std}"
        )
