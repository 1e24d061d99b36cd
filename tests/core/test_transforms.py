"""hub.data.create_transform: eval tensors equal timm's for the same config; training augmentation; channels."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image
from support.timm_oracle import timm

import hub
from hub.data import create_transform, parse_augment_policy


def _image(height: int, width: int, mode: str = "RGB", seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    bands = 1 if mode == "L" else 3
    pixels = rng.integers(0, 256, size=(height, width, bands), dtype=np.uint8)
    return Image.fromarray(pixels[..., 0] if bands == 1 else pixels, mode)


def _config(**changes) -> dict:
    config = {
        "input_size": (3, 48, 48),
        "interpolation": "bicubic",
        "mean": (0.485, 0.456, 0.406),
        "std": (0.229, 0.224, 0.225),
        "crop_pct": 0.875,
        "crop_mode": "center",
    }
    config.update(changes)
    return config


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"interpolation": "bilinear", "crop_pct": 0.95},
        {"crop_mode": "squash", "crop_pct": 1.0},
        {"crop_mode": "border", "crop_pct": 0.9},
        {"input_size": (3, 40, 56)},
        {"input_size": (1, 48, 48), "mean": (0.5,), "std": (0.25,)},
    ],
    ids=["default", "bilinear", "squash", "border", "non-square", "one-channel"],
)
@pytest.mark.parametrize("size", [(60, 90), (90, 50), (30, 36)], ids=["wide", "tall", "small"])
def test_eval_transform_equals_timm(changes: dict, size: tuple[int, int]) -> None:
    config = _config(**changes)
    image = _image(*size, mode="L" if config["input_size"][0] == 1 else "RGB")
    ours = create_transform(config)(image)
    theirs = timm.data.create_transform(**config)(image)
    assert ours.shape == theirs.shape == config["input_size"]
    torch.testing.assert_close(ours, theirs, rtol=0, atol=1e-6)


def test_eval_transform_of_a_built_model_equals_timm() -> None:
    model = hub.create_model("resnet18", in_chans=1, num_classes=3)
    config = hub.resolve_data_config(model)
    assert config.input_size[0] == 1 and len(config.mean) == 1
    image = _image(250, 300, mode="L")
    torch.testing.assert_close(
        hub.create_transform(config)(image), timm.data.create_transform(**config.as_dict())(image), rtol=0, atol=1e-6
    )


def test_one_channel_models_get_grey_input_and_three_channel_models_rgb() -> None:
    grey = create_transform(_config(input_size=(1, 48, 48), mean=(0.5,), std=(0.25,)))
    colour = create_transform(_config())
    rgb_image = _image(64, 64)
    assert grey(rgb_image).shape == (1, 48, 48)
    torch.testing.assert_close(grey(rgb_image), grey(rgb_image.convert("L")))
    assert colour(_image(64, 64, mode="L")).shape == (3, 48, 48)
    tensor = torch.randint(0, 256, (3, 64, 64), dtype=torch.uint8)
    assert grey(tensor).shape == (1, 48, 48) and colour(tensor[:1]).shape == (3, 48, 48)
    with pytest.raises(ValueError, match="the image has 3 channels and the model takes 4"):
        create_transform(_config(input_size=(4, 48, 48), mean=(0.5,) * 4, std=(0.25,) * 4))(rgb_image)


@pytest.mark.parametrize("policy", [None, "rand-m9-n2", "trivialaugment", "augmix-m3-w2", "original"])
@pytest.mark.parametrize("channels", [1, 3])
def test_train_transform_augments_with_each_policy(policy: str | None, channels: int) -> None:
    mean, std = ((0.5,), (0.25,)) if channels == 1 else ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))
    transform = create_transform(
        _config(input_size=(channels, 32, 32), mean=mean, std=std),
        is_training=True,
        auto_augment=policy,
        re_prob=0.5,
        re_mode="pixel",
    )
    image = _image(50, 70)
    torch.manual_seed(0)
    first = [transform(image) for _ in range(3)]
    torch.manual_seed(0)
    again = [transform(image) for _ in range(3)]
    assert all(x.shape == (channels, 32, 32) and x.dtype == torch.float32 for x in first)
    assert all(torch.equal(a, b) for a, b in zip(first, again, strict=True)), "seeded augmentation repeats"
    assert not torch.equal(first[0], first[1]), "two draws differ"


def test_train_transform_keeps_timm_meaning() -> None:
    transform = create_transform(_config(), is_training=True, scale=(0.5, 1.0), hflip=0.0, vflip=1.0)
    names = [type(step).__name__ for step in transform.transforms]
    assert names == [
        "MatchChannels",
        "RandomResizedCrop",
        "RandomVerticalFlip",
        "ColorJitter",
        "ToImage",
        "ToDtype",
        "Normalize",
    ]
    crop = transform.transforms[1]
    assert crop.scale == (0.5, 1.0) and crop.ratio == pytest.approx((3 / 4, 4 / 3))
    with_policy = create_transform(_config(), is_training=True, auto_augment="rand-m9-n2")
    assert "ColorJitter" not in [type(step).__name__ for step in with_policy.transforms]  # as timm: AA replaces jitter
    no_aug = create_transform(_config(), is_training=True, no_aug=True)
    image = _image(60, 90)
    torch.testing.assert_close(
        no_aug(image), timm.data.create_transform(**_config(), is_training=True, no_aug=True)(image), rtol=0, atol=1e-6
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("rand-m11", "m must be in [0, 10]"),
        ("rand-m9-mstd0.5", "'mstd0.5' is not an option of 'rand'"),
        ("autoaug", "unknown augmentation policy 'autoaug'"),
    ],
)
def test_bad_policy_names_say_what_is_valid(name: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_augment_policy(name)


def test_policy_spellings() -> None:
    assert parse_augment_policy("rand-m7-n3") == hub.data.AugmentPolicy("rand", magnitude=7, num_ops=3)
    assert parse_augment_policy("ta_wide").kind == "trivialaugment"


@pytest.mark.parametrize(
    ("changes", "kwargs", "message"),
    [
        ({"crop_mode": "zoom"}, {}, "crop_mode must be one of"),
        ({"mean": (0.5,)}, {}, "mean and std need 3 values"),
        ({"interpolation": "random"}, {}, "interpolation must be one of"),
        ({}, {"is_training": True, "scale": (0.9, 0.1)}, "scale must be"),
        ({}, {"is_training": True, "re_mode": "rand"}, "re_mode must be one of"),
    ],
)
def test_bad_arguments_are_value_errors(changes: dict, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        create_transform(_config(**changes), **kwargs)


def test_import_hub_and_hub_data_stay_torch_free() -> None:
    code = "import sys, hub, hub.data; hub.data.parse_augment_policy('rand-m9'); print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
