"""Pretrained weights through the real huggingface_hub client, served from loopback.

The weights are timm's randomly initialised models, so every load can be checked
against timm with the same numbers.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import safetensors.torch
import torch
from support.hf_server import Fault
from support.timm_oracle import assert_close, sample_input, timm

import hub
from hub.errors import CheckpointError, OfflineError, WeightDownloadError

ARCH = "resnet18"
REPO = "timm/resnet18.a1_in1k"  # the default tag's hf_hub_id


@pytest.fixture(scope="module")
def reference() -> torch.nn.Module:
    torch.manual_seed(0)
    return timm.create_model(ARCH).eval()


@pytest.fixture()
def served(hub_server, reference):
    hub_server.add_commit(REPO, {"model.safetensors": safetensors.torch.save(reference.state_dict())})
    return hub_server


def test_download_then_reuse_the_cache(served, reference) -> None:
    x = sample_input(64)
    model = hub.create_model(ARCH, pretrained=True).eval()
    with torch.no_grad():
        assert_close(model(x), reference(x))
    assert served.count("GET", "model.safetensors") == 1
    hub.create_model(f"{ARCH}.a1_in1k", pretrained=True)
    assert served.count("GET", "model.safetensors") == 1  # the second load came from the cache


def test_offline_mode_loads_from_the_cache(served, reference, monkeypatch) -> None:
    hub.create_model(ARCH, pretrained=True)
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    before = len(served.requests)
    model = hub.create_model(ARCH, pretrained=True).eval()
    assert len(served.requests) == before  # no network at all
    with torch.no_grad():
        assert_close(model(sample_input(64)), reference(sample_input(64)))


def test_offline_and_not_cached_names_the_repository_and_the_fix(served, offline) -> None:
    with pytest.raises(OfflineError, match=f"{REPO}.*HF_HUB_OFFLINE=1.*`hub download {ARCH}`"):
        hub.create_model(ARCH, pretrained=True)


def test_falls_back_to_pytorch_model_bin(hub_server, reference, tmp_path) -> None:
    path = tmp_path / "pytorch_model.bin"
    torch.save(reference.state_dict(), path)
    hub_server.add_commit(REPO, {"pytorch_model.bin": path})
    model = hub.create_model(ARCH, pretrained=True).eval()
    with torch.no_grad():
        assert_close(model(sample_input(64)), reference(sample_input(64)))
    assert hub_server.count("HEAD", "model.safetensors") >= 1


def test_repository_without_weights(hub_server) -> None:
    hub_server.add_commit(REPO, {"README.md": b"nothing here"})
    with pytest.raises(CheckpointError, match="has none of model.safetensors, pytorch_model.bin"):
        hub.create_model(ARCH, pretrained=True)


@pytest.mark.parametrize("in_chans", [1, 2, 4, 5])
def test_in_chans_adaptation_arithmetic(served, reference, in_chans: int) -> None:
    model = hub.create_model(ARCH, pretrained=True, in_chans=in_chans)
    source = reference.conv1.weight.detach()
    if in_chans == 1:
        expected = source.sum(dim=1, keepdim=True)
    else:
        channels = [i % 3 for i in range(in_chans)]
        expected = source[:, channels] * (3 / in_chans)
    torch.testing.assert_close(model.conv1.weight.detach(), expected)
    # every other weight is the checkpoint's, untouched
    assert torch.equal(model.layer1[0].conv1.weight, reference.layer1[0].conv1.weight)
    assert model.eval()(sample_input(64, channels=in_chans)).shape == (2, 1000)


@pytest.mark.parametrize("num_classes", [0, 10])
def test_num_classes_adaptation(served, reference, num_classes: int, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="hub"):
        model = hub.create_model(ARCH, pretrained=True, num_classes=num_classes).eval()
    x = sample_input(64)
    with torch.no_grad():
        out = model(x)
        assert_close(model.forward_features(x), reference.forward_features(x))
    if num_classes == 0:
        assert out.shape == (2, 512) and isinstance(model.fc, torch.nn.Identity)
        assert "removed the classifier" in caplog.text
    else:
        assert out.shape == (2, 10) and not model.fc.weight.is_meta
        assert "initialised a new 10-class head" in caplog.text
    assert caplog.text.count("fc.weight") == 1  # each adaptation is logged once


def test_in_chans_adaptation_is_logged(served, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="hub"):
        hub.create_model(ARCH, pretrained=True, in_chans=1)
    assert "adapted conv1.weight from 3 to 1 input channel(s)" in caplog.text


def test_a_revision(hub_server, reference) -> None:
    config = json.dumps({"architecture": ARCH, "num_classes": 1000}).encode()
    weights = safetensors.torch.save(reference.state_dict())
    first = hub_server.add_commit("acme/r18", {"model.safetensors": weights, "config.json": config})
    hub_server.tag("acme/r18", "v1", first)
    changed = {k: v + 1 if v.is_floating_point() else v for k, v in reference.state_dict().items()}
    hub_server.add_commit("acme/r18", {"model.safetensors": safetensors.torch.save(changed)})
    old = hub.create_model("hf-hub:acme/r18@v1", pretrained=True)
    new = hub.create_model("hf-hub:acme/r18", pretrained=True)
    assert torch.equal(old.fc.bias, reference.fc.bias)
    assert torch.equal(new.fc.bias, reference.fc.bias + 1)
    assert old.pretrained_cfg.hf_hub_id == "acme/r18@v1"


def test_unknown_revision(hub_server, reference) -> None:
    hub_server.add_commit(REPO, {"model.safetensors": safetensors.torch.save(reference.state_dict())})
    with pytest.raises(WeightDownloadError, match="has no revision 'nope'"):
        hub.create_model(ARCH, pretrained=True, pretrained_cfg_overlay={"hf_hub_id": f"{REPO}@nope"})


def test_missing_repository(hub_server) -> None:
    with pytest.raises(WeightDownloadError, match=f"repository {REPO} was not found"):
        hub.create_model(ARCH, pretrained=True)


def test_a_server_error_is_reported_with_its_status(served) -> None:
    served.fault(REPO, "model.safetensors", Fault(status=500))
    with pytest.raises(WeightDownloadError, match="HTTP 500"):
        hub.create_model(ARCH, pretrained=True)


def test_a_refused_connection(hf_cache, no_retry_waits, monkeypatch) -> None:
    import socket

    from huggingface_hub import constants

    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{sock.getsockname()[1]}"
    monkeypatch.setattr(constants, "ENDPOINT", endpoint)
    monkeypatch.setattr(constants, "HUGGINGFACE_CO_URL_TEMPLATE", endpoint + "/{repo_id}/resolve/{revision}/{filename}")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    with pytest.raises(OfflineError, match="Hugging Face Hub at .* could not be reached.*not in the local cache"):
        hub.create_model(ARCH, pretrained=True)


def _blobs(cache: str) -> list[Path]:
    return [p for p in Path(cache).rglob("*") if p.is_file() and "blobs" in p.parts]


def test_a_transfer_cut_short_leaves_nothing_behind(served, hf_cache) -> None:
    served.fault(REPO, "model.safetensors", Fault(cut_after=1000))
    with pytest.raises(WeightDownloadError, match="nothing partial was kept"):
        hub.create_model(ARCH, pretrained=True)
    assert _blobs(hf_cache) == []
    served.faults.clear()
    hub.create_model(ARCH, pretrained=True)  # and the next try succeeds


def test_corrupt_bytes_are_caught_by_the_sha256_and_removed(served, hf_cache) -> None:
    served.fault(REPO, "model.safetensors", Fault(corrupt=True))
    with pytest.raises(CheckpointError, match=f"arrived corrupt.*`hub download {ARCH}`"):
        hub.create_model(ARCH, pretrained=True)
    assert _blobs(hf_cache) == []
    served.faults.clear()
    hub.create_model(ARCH, pretrained=True)


def test_a_cached_file_truncated_later_says_how_to_refetch(served, hf_cache) -> None:
    hub.create_model(ARCH, pretrained=True)
    (blob,) = _blobs(hf_cache)
    blob.write_bytes(blob.read_bytes()[: blob.stat().st_size // 2])
    with pytest.raises(CheckpointError, match=f"truncated or corrupt.*`hub download {ARCH} --force`"):
        hub.create_model(ARCH, pretrained=True)


def test_url_source(hub_server, reference, tmp_path) -> None:
    hub_server.add_commit("files/weights", {"resnet18-weights.bin": safetensors.torch.save(reference.state_dict())})
    url = f"{hub_server.endpoint}/files/weights/resolve/main/resnet18-weights.bin"
    model = hub.create_model(
        ARCH, pretrained=True, cache_dir=tmp_path / "url-cache", pretrained_cfg_overlay={"hf_hub_id": None, "url": url}
    ).eval()
    with torch.no_grad():
        assert_close(model(sample_input(64)), reference(sample_input(64)))
    assert (tmp_path / "url-cache" / "resnet18-weights.bin").is_file()


def test_cache_dir_is_honoured(served, tmp_path) -> None:
    cache = tmp_path / "elsewhere"
    hub.create_model(ARCH, pretrained=True, cache_dir=cache)
    assert _blobs(str(cache))


def test_features_only_pretrained_drops_the_head_and_adapts_in_chans(served, reference) -> None:
    extractor = hub.create_model(ARCH, pretrained=True, features_only=True, in_chans=1, out_indices=(1, 2))
    assert extractor.pretrained_cfg.classifier is None and extractor.pretrained_cfg.num_classes == 0
    maps = extractor(sample_input(64, channels=1))
    assert [m.shape[1] for m in maps] == [64, 128]
    assert "layer3" not in dict(extractor.named_children()) and "fc" not in dict(extractor.named_children())


def test_weights_in_their_original_format_are_refused_with_the_way_out(tmp_path) -> None:
    """custom_load weights (the ViT AugReg .npz files) never reach torch.load to be called corrupt."""
    npz = tmp_path / "augreg.npz"
    npz.write_bytes(b"PK\x03\x04 a JAX archive")
    cfg = hub.get_pretrained_cfg("vit_tiny_patch16_224.augreg_in21k_ft_in1k")
    assert cfg.custom_load and cfg.url and cfg.url.endswith(".npz")
    with pytest.raises(CheckpointError, match=r"original format \(custom_load=True.*hf_hub_id.*dict\(file=PATH\)"):
        hub.create_model(
            "vit_tiny_patch16_224.augreg_in21k_ft_in1k",
            pretrained=True,
            pretrained_cfg_overlay={"hf_hub_id": None, "file": str(npz), "custom_load": True},
        )
    with pytest.raises(CheckpointError, match="original format"):  # the registry's own URL, the Hub left out
        hub.create_model(
            "vit_tiny_patch16_224.augreg_in21k_ft_in1k", pretrained=True, pretrained_cfg_overlay={"hf_hub_id": None}
        )


def test_an_overlaid_file_is_a_standard_checkpoint(tmp_path) -> None:
    """Naming another source in the overlay resets custom_load, as timm does."""
    torch.manual_seed(0)
    reference = timm.create_model("vit_tiny_patch16_224", img_size=32, patch_size=16).eval()
    path = tmp_path / "w.safetensors"
    safetensors.torch.save_file(reference.state_dict(), path)
    model = hub.create_model(
        "vit_tiny_patch16_224.augreg_in21k_ft_in1k",
        pretrained=True,
        img_size=32,
        pretrained_cfg_overlay={"file": str(path)},
    ).eval()
    assert model.pretrained_cfg.custom_load is False
    x = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        assert_close(model(x), reference(x))


@pytest.fixture()
def silent_endpoint(hf_cache, monkeypatch):
    """A loopback endpoint that accepts connections and never answers."""
    import socket
    import threading

    from huggingface_hub import constants

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])  # kept open, never read, never answered
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{server.getsockname()[1]}"
    monkeypatch.setattr(constants, "ENDPOINT", endpoint)
    monkeypatch.setattr(constants, "HUGGINGFACE_CO_URL_TEMPLATE", endpoint + "/{repo_id}/resolve/{revision}/{filename}")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_HUB_ETAG_TIMEOUT", 1)
    yield endpoint
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def test_an_endpoint_that_never_answers_fails_within_one_timeout(silent_endpoint) -> None:
    """One request bounded by HF_HUB_ETAG_TIMEOUT, and no second weight file tried after it."""
    import time

    start = time.monotonic()
    with pytest.raises(
        OfflineError, match=r"did not answer in time.*HF_HUB_ETAG_TIMEOUT \(now 1 s\).*HF_HUB_OFFLINE=1"
    ):
        hub.create_model(ARCH, pretrained=True)
    assert time.monotonic() - start < 5  # huggingface_hub alone would retry for minutes
