"""hub-timm against timm: timm's models built by hub's core path give timm's outputs, weights, features and files.

Weights come from the loopback Hub (``timm/<arch>.<tag>`` repositories holding random
weights), through ``huggingface_hub`` on both sides. The architectures are timm's tiny
``test_*`` models (160 px). The ViT, EfficientNet and ConvNeXt ones are native too (their
bare names are hub-vit's, hub-efficientnet's and hub-convnext's), so they are built here as
``hub-timm:NAME``; the NFNet and BYOBNet ones are hub-timm's alone. ``resnet10t`` is a
name hub-resnet provides natively, built both ways.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import safetensors.torch
import torch
from click.testing import CliRunner
from support.timm_oracle import (
    assert_close,
    assert_outputs_match,
    assert_same_state_dict_layout,
    on_meta,
    random_state,
    sample_input,
    timm,
    timm_random,
)

import hub
from hub._listing import get_model_entry
from hub_cli.main import cli

TAG = "r160_in1k"
SIZE = 160


def _weights(arch: str, **kwargs: object) -> dict[str, torch.Tensor]:
    """Random weights in the layout of timm's ``arch``, with valid norm statistics."""
    with on_meta():
        layout = timm.create_model(arch, **kwargs).state_dict()
    state = random_state(
        timm_random(arch, {k: torch.zeros(v.shape, dtype=v.dtype) for k, v in layout.items()}, **kwargs)
    )
    for key, value in state.items():
        if key.endswith("running_var"):
            state[key] = value.abs() + 0.5
        state[key] = state[key].to(layout[key].dtype)
    return state


def _publish(hub_server, arch: str, tag: str = TAG) -> dict[str, torch.Tensor]:
    """Random weights for ``arch`` as the loopback Hub's ``timm/arch.tag``; returns them."""
    state = _weights(arch)
    hub_server.add_commit(f"timm/{arch}.{tag}", {"model.safetensors": safetensors.torch.save(state)})
    return state


@pytest.mark.parametrize(
    "name", ["hub-timm:test_vit", "hub-timm:test_efficientnet", "test_nfnet", "test_byobnet", "hub-timm:test_convnext3"]
)
def test_pretrained_weights_from_the_hub_give_timms_outputs(name: str, hub_server, caplog) -> None:
    arch = name.removeprefix("hub-timm:")
    _publish(hub_server, arch)
    assert get_model_entry(name).plugin == "hub-timm"
    with caplog.at_level(logging.INFO, logger="hub"):
        ours = hub.create_model(f"{name}.{TAG}", pretrained=True).eval()
    assert f"loaded weights from timm/{arch}.{TAG} (model.safetensors)" in caplog.text
    reference = timm.create_model(f"{arch}.{TAG}", pretrained=True).eval()
    assert type(ours) is type(reference)
    assert ours.pretrained_cfg.architecture == arch and ours.pretrained_cfg.tag == TAG
    assert_same_state_dict_layout(reference, ours)
    assert_outputs_match(ours, reference, sample_input(SIZE))


def test_a_native_name_and_its_bridged_twin_load_the_same_weights_and_agree(hub_server) -> None:
    _publish(hub_server, "resnet10t", "c3_in1k")
    native = hub.create_model("resnet10t", pretrained=True).eval()
    bridged = hub.create_model("hub-timm:resnet10t", pretrained=True).eval()
    assert type(native).__module__.startswith("hub_resnet") and type(bridged).__module__.startswith("timm.")
    assert hub_server.count("GET", "model.safetensors") == 1  # the second build found the file in the cache
    x = sample_input(64)
    with torch.no_grad():
        assert_close(bridged(x), native(x))


def test_in_chans_and_num_classes_are_adapted_as_timm_adapts_them(hub_server) -> None:
    _publish(hub_server, "test_efficientnet")
    kwargs = {"pretrained": True, "in_chans": 1, "num_classes": 5}
    ours = hub.create_model(f"hub-timm:test_efficientnet.{TAG}", **kwargs).eval()
    reference = timm.create_model(f"test_efficientnet.{TAG}", **kwargs).eval()
    assert_close(ours.conv_stem.weight, reference.conv_stem.weight)
    assert ours.classifier.weight.shape == reference.classifier.weight.shape == (5, ours.num_features)
    x = sample_input(64, channels=1)
    with torch.no_grad():
        assert_close(ours.forward_features(x), reference.forward_features(x))


def test_position_embeddings_are_resampled_for_another_image_size(hub_server) -> None:
    """hub-timm declares timm's patch grid, so the core resamples the embedding as timm's loader does."""
    _publish(hub_server, "test_vit")
    ours = hub.create_model(f"hub-timm:test_vit.{TAG}", pretrained=True, img_size=96).eval()
    reference = timm.create_model(f"test_vit.{TAG}", pretrained=True, img_size=96).eval()
    assert ours.pos_embed_grids()["pos_embed"] == hub.layers.PosEmbedGrid(num_prefix_tokens=1, grid_size=(6, 6))
    assert_close(ours.pos_embed, reference.pos_embed)
    assert_outputs_match(ours, reference, sample_input(96))


@pytest.mark.parametrize(
    ("arch", "out_indices", "size"),
    [("test_efficientnet", (1, 2, 4), 64), ("test_nfnet", (0, 3), 64), ("test_vit", (0, 2), SIZE)],
)
def test_features_match_timms_feature_extractor(arch: str, out_indices: tuple[int, ...], size: int) -> None:
    state = _weights(arch)
    kwargs = {"features_only": True, "out_indices": out_indices, "pretrained": True}
    ours = hub.create_model(f"hub-timm:{arch}", pretrained_cfg_overlay={"state_dict": state}, **kwargs).eval()
    reference = timm.create_model(arch, pretrained_cfg_overlay={"state_dict": state}, **kwargs).eval()
    assert ours.feature_info.channels() == reference.feature_info.channels()
    assert ours.feature_info.reduction() == reference.feature_info.reduction()
    x = sample_input(size)
    with torch.no_grad():
        assert_close(ours(x), reference(x))


def test_a_saved_bridged_model_loads_in_timm_and_a_timm_folder_in_hub(tmp_path: Path) -> None:
    from timm.models._hub import save_for_hf

    reference = timm_random("test_byobnet", _weights("test_byobnet", num_classes=3), num_classes=3)
    overlay = {"state_dict": reference.state_dict(), "num_classes": 3}  # weights with a 3-class head
    ours = hub.create_model("test_byobnet", pretrained=True, pretrained_cfg_overlay=overlay)
    hub.save_pretrained(ours, tmp_path / "hub")
    assert json.loads((tmp_path / "hub" / "config.json").read_text())["architecture"] == "test_byobnet"
    x = sample_input(64)
    with torch.no_grad():
        assert_close(timm.create_model(f"local-dir:{tmp_path / 'hub'}", pretrained=True).eval()(x), reference(x))
        save_for_hf(reference, tmp_path / "timm")
        assert_close(hub.create_model(f"local-dir:{tmp_path / 'timm'}", pretrained=True).eval()(x), reference(x))


def test_push_to_hub_then_hf_hub_names_in_hub_and_timm(hub_server) -> None:
    reference = timm_random("test_vit", _weights("test_vit", num_classes=4), num_classes=4)
    overlay = {"state_dict": reference.state_dict(), "num_classes": 4}
    ours = hub.create_model("hub-timm:test_vit", pretrained=True, pretrained_cfg_overlay=overlay)
    hub.push_to_hub(ours, "acme/test-vit-4")
    x = sample_input(SIZE)
    with torch.no_grad():
        assert_close(hub.create_model("hf-hub:acme/test-vit-4", pretrained=True).eval()(x), reference(x))
        assert_close(timm.create_model("hf-hub:acme/test-vit-4", pretrained=True).eval()(x), reference(x))


def test_what_a_bridged_model_cannot_do_is_said_clearly() -> None:
    with pytest.raises(ValueError, match="use feature_cls='getter'"):
        hub.create_model("hub-timm:test_vit", features_only=True, feature_cls="list")
    with pytest.raises(ValueError, match="'test_vit' does not support output_stride"):
        hub.create_model("hub-timm:test_vit", output_stride=16)
    with pytest.raises(TypeError, match=r"'test_efficientnet' got unexpected keyword argument\(s\) 'nope'; it accepts"):
        hub.create_model("hub-timm:test_efficientnet", nope=1)
    with torch.device("meta"), pytest.raises(TypeError, match="timm's 'halonet26t' refused its arguments"):
        hub.create_model("halonet26t", nope=1)  # a class that takes **kwargs: timm itself refuses


def test_download_and_inspect_take_bridged_names(hub_server, hf_cache) -> None:
    _publish(hub_server, "test_nfnet")
    result = CliRunner().invoke(cli, ["download", f"hub-timm:test_nfnet.{TAG}"], catch_exceptions=False)
    assert result.exit_code == 0 and Path(result.output.strip()).is_file()
    assert result.output.strip().startswith(hf_cache)
    lines = CliRunner().invoke(cli, ["inspect", "hub-timm:resnet10t"], catch_exceptions=False).output.splitlines()
    assert lines[0] == "hub-timm:resnet10t  (plugin hub-timm 0.1.0, a fallback)"
    assert lines[1] == "  also offered as: hub-resnet:resnet10t"
    lines = CliRunner().invoke(cli, ["inspect", "test_nfnet"], catch_exceptions=False).output.splitlines()
    assert lines[0] == "test_nfnet  (plugin hub-timm 0.1.0, a fallback)"
    assert any(line.split()[:2] == [TAG, f"timm/test_nfnet.{TAG}"] and line.split()[-1] == "yes" for line in lines)


def test_a_custom_load_tag_loads_its_converted_copy_from_the_hub_as_timm_does(hub_server) -> None:
    """timm marks weights first published in another format custom_load; its Hub repository holds them converted."""
    arch, tag = "vit_tiny_r_s16_p8_224", "augreg_in21k_ft_in1k"
    assert hub.get_pretrained_cfg(f"{arch}.{tag}").custom_load
    _publish(hub_server, arch, tag)
    ours = hub.create_model(f"{arch}.{tag}", pretrained=True).eval()
    reference = timm.create_model(f"{arch}.{tag}", pretrained=True).eval()
    assert_outputs_match(ours, reference, sample_input(224, batch=1))
