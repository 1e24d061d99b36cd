"""Builder arguments, for every registered architecture: a wrong type or range is one clear error.

Each case is refused before a model is built (or, for sizes that cannot fit, before the
tensor is allocated), by an `InvalidArgumentError` / `ModelTooLargeError` that names the
argument and the model.
"""

from __future__ import annotations

import functools
import typing

import pytest
import torch
from support.registry import native_models

import hub
from hub._build import _argument_hints, accepted_keywords
from hub._listing import get_model_entry
from hub.errors import InvalidArgumentError, ModelTooLargeError

ARCHS = native_models()

# create_model's own options: (keyword arguments, what the message must say).
OPTION_CASES = [
    ({"pretrained": "no"}, "pretrained must be True or False, got 'no'"),
    ({"pretrained": 1}, "pretrained must be True or False, got 1"),
    ({"features_only": "no"}, "features_only must be True or False"),
    ({"num_classes": "10"}, r"num_classes must be an int \(>= 0\) or None, got '10' \(str\)"),
    ({"num_classes": -1}, r"num_classes must be an int \(>= 0\)"),
    ({"num_classes": 2.5}, r"num_classes must be an int \(>= 0\)"),
    ({"num_classes": True}, r"num_classes must be an int \(>= 0\)"),
    ({"in_chans": 0}, r"in_chans must be an int \(>= 1\)"),
    ({"in_chans": "3"}, r"in_chans must be an int \(>= 1\)"),
    ({"drop_rate": 1.0}, r"drop_rate must be a number \(>= 0 and < 1\)"),
    ({"drop_path_rate": -0.1}, r"drop_path_rate must be a number \(>= 0 and < 1\)"),
    ({"drop_path_rate": "0.1"}, r"drop_path_rate must be a number"),
    ({"global_pool": 3}, "global_pool must be a string or None"),
    ({"output_stride": 0}, r"output_stride must be an int \(>= 1\)"),
    ({"pretrained_cfg_overlay": "file.pth"}, "pretrained_cfg_overlay must be a mapping or None"),
    ({"checkpoint_path": 5}, "checkpoint_path must be a string or a PathLike or None"),
    ({"reinit_head": "yes"}, "reinit_head must be True or False"),
]


@pytest.mark.parametrize(("kwargs", "message"), OPTION_CASES, ids=[str(k) for k, _ in OPTION_CASES])
def test_create_model_options(kwargs: dict, message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=f"create_model: {message}"):
        hub.create_model("resnet18", **kwargs)


def _wrong_value(hint: typing.Any) -> object:
    """A value none of the types builders use admits (they take numbers, strings, sizes, flags)."""
    return {"not": "an argument value"}


def _family_arguments(arch: str) -> dict[str, typing.Any]:
    """The typed keywords of the builder beyond create_model's own options (which are checked first)."""
    builder = get_model_entry(arch).load_builder()
    options = set(typing.get_type_hints(hub.create_model)) - {"return"}
    accepted = accepted_keywords(builder) or set()
    hints = _argument_hints(builder)
    return {name: hints[name] for name in sorted(accepted - options) if name in hints and hints[name] is not typing.Any}


@pytest.mark.parametrize("arch", [a for a in ARCHS if _family_arguments(a)])
def test_every_hinted_builder_argument_is_checked(arch: str) -> None:
    """Each argument the builder's signature types is refused with a value of another type, naming it and the model."""
    hints = _family_arguments(arch)
    for name in hints:
        with pytest.raises(InvalidArgumentError, match=rf"model '{arch}': {name} must be .*, got \{{'not'"):
            hub.create_model(arch, **{name: _wrong_value(hints[name])})


def _fixed_size(arch: str) -> bool:
    return hub.get_pretrained_cfg(arch).fixed_input_size


SIZE_CASES = [
    (0, r"img_size must be an int or a pair of ints \(each >= 1\), got 0"),
    (-16, r"img_size must be an int or a pair of ints \(each >= 1\), got -16"),
    (224.5, r"img_size must be an int or a pair of ints \(each >= 1\), got 224.5"),
    ((0, 224), r"img_size must be an int or a pair of ints \(each >= 1\), got \(0, 224\)"),
    ((224, 224, 3), r"img_size must be an int or a pair of ints"),
    ("224", r"img_size must be an int or a pair of ints"),
    (4, r"img_size \(4, 4\) is smaller than one patch"),
]


@pytest.mark.parametrize("arch", [a for a in ARCHS if _fixed_size(a)])
@pytest.mark.parametrize(("img_size", "message"), SIZE_CASES, ids=[repr(s) for s, _ in SIZE_CASES])
def test_image_sizes_of_fixed_size_models(arch: str, img_size: object, message: str) -> None:
    with torch.device("meta"), pytest.raises(InvalidArgumentError, match=f"model '{arch}': {message}"):
        hub.create_model(arch, img_size=img_size)


@pytest.mark.parametrize("arch", [a for a in ARCHS if "depth" in _family_arguments(a)])
@pytest.mark.parametrize("depth", [0, -1, 1.5])
def test_depths(arch: str, depth: object) -> None:
    with (
        torch.device("meta"),
        pytest.raises(InvalidArgumentError, match=rf"model '{arch}': depth must be an int \(>= 1\)"),
    ):
        hub.create_model(arch, depth=depth)


@pytest.mark.parametrize(
    ("arch", "kwargs", "argument"),
    [
        ("resnet18", {"num_classes": 10**9}, "num_classes=1000000000"),
        ("convnext_atto", {"num_classes": 10**9}, "num_classes=1000000000"),
        ("vit_tiny_patch16_224", {"img_size": 100_000}, "img_size=100000"),
    ],
)
def test_a_model_too_large_for_memory_is_stopped_before_allocating(arch: str, kwargs: dict, argument: str) -> None:
    with pytest.raises(ModelTooLargeError, match=rf"model '{arch}' with {argument} needs more than .* GiB of memory"):
        hub.create_model(arch, **kwargs)


def test_a_size_that_fits_still_builds() -> None:
    model = hub.create_model("vit_tiny_patch16_224", img_size=(32, 48), depth=1)
    assert model.patch_embed.grid_size == (2, 3)


# The hint machinery itself, on hints no first-party builder uses yet.
@pytest.mark.parametrize(
    ("hint", "good", "bad", "allowed"),
    [
        (typing.Literal["a", "b"], "a", "c", "one of 'a', 'b'"),
        (tuple[int, ...], (1, 2, 3), (1, "x"), "a sequence of ints"),
        (typing.Annotated[float, hub.Range(min=0, max=1)], 1.0, 1.5, "a number (>= 0 and <= 1)"),
        (list[str], ["a"], "a", "a list of strings"),
    ],
)
def test_hint_checks(hint: typing.Any, good: object, bad: object, allowed: str) -> None:
    from hub._arguments import allowed_values

    assert allowed_values(good, hint) is None
    assert allowed_values(bad, hint) == allowed


def test_builders_through_partial_and_classes_have_their_hints() -> None:
    class Net(torch.nn.Module):
        def __init__(self, spec: str, *, depth: hub.PositiveInt = 2) -> None:
            super().__init__()

    assert set(_argument_hints(functools.partial(Net, "spec"))) >= {"depth", "spec"}
