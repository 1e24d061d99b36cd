"""Local weight files: checkpoint_path, pretrained_cfg_overlay(file=...), and what goes wrong with them."""

from __future__ import annotations

import os

import pytest
import safetensors.torch
import torch
from support.timm_oracle import assert_close, sample_input, timm

import hub
from hub._build import skip_init
from hub.errors import CheckpointError, StateDictMismatchError

ARCH = "resnet18"


@pytest.fixture(scope="module")
def reference() -> torch.nn.Module:
    torch.manual_seed(0)
    return timm.create_model(ARCH, num_classes=10).eval()


def _same_outputs(model: torch.nn.Module, reference: torch.nn.Module) -> None:
    x = sample_input(64)
    with torch.no_grad():
        assert_close(model.eval()(x), reference(x))


def test_safetensors_checkpoint(reference, tmp_path) -> None:
    path = tmp_path / "weights.safetensors"
    safetensors.torch.save_file(reference.state_dict(), path)
    _same_outputs(hub.create_model(ARCH, num_classes=10, checkpoint_path=path), reference)


def test_training_checkpoint_with_ema_and_wrapper_prefixes(reference, tmp_path) -> None:
    state = reference.state_dict()
    noise = {k: v + 1 for k, v in state.items() if v.is_floating_point()}
    checkpoint = {
        "epoch": 7,
        "arch": ARCH,
        "state_dict": {f"module.{k}": v for k, v in noise.items()},  # DDP-wrapped training weights
        "state_dict_ema": {f"module._orig_mod.{k}": v for k, v in state.items()},  # compiled EMA weights
        "optimizer": {"state": {}, "param_groups": []},
    }
    path = tmp_path / "checkpoint.pth.tar"
    torch.save(checkpoint, path)
    _same_outputs(hub.create_model(ARCH, num_classes=10, checkpoint_path=path), reference)  # EMA wins


def test_plain_state_dict_under_model_key(reference, tmp_path) -> None:
    path = tmp_path / "model.pt"
    torch.save({"model": {f"_orig_mod.{k}": v for k, v in reference.state_dict().items()}}, path)
    _same_outputs(hub.create_model(ARCH, num_classes=10, checkpoint_path=path), reference)


def test_classifier_size_mismatch_is_an_error_unless_asked(reference, tmp_path) -> None:
    path = tmp_path / "ten_classes.safetensors"
    safetensors.torch.save_file(reference.state_dict(), path)
    with pytest.raises(
        StateDictMismatchError, match="10-class classifier but the model has 1000.*num_classes=10.*reinit_head=True"
    ):
        hub.create_model(ARCH, checkpoint_path=path)
    model = hub.create_model(ARCH, num_classes=3, checkpoint_path=path, reinit_head=True).eval()
    x = sample_input(64)
    with torch.no_grad():
        assert_close(model.forward_features(x), reference.forward_features(x))
        assert model(x).shape == (2, 3)


def test_wrong_architecture_names_the_keys(reference, tmp_path) -> None:
    path = tmp_path / "r18.safetensors"
    safetensors.torch.save_file(reference.state_dict(), path)
    with pytest.raises(StateDictMismatchError, match=r"do not fit the model \(missing keys: layer1\.2\.conv1\.weight"):
        hub.create_model("resnet34", num_classes=10, checkpoint_path=path)


class Sneaky:
    """An object whose unpickling would run code."""

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (print, ("pwned",))


def test_pickled_code_is_refused(reference, tmp_path) -> None:
    path = tmp_path / "evil.pth"
    torch.save({"state_dict": reference.state_dict(), "extra": Sneaky()}, path)
    with pytest.raises(CheckpointError, match="safe loading refuses"):
        hub.create_model(ARCH, num_classes=10, checkpoint_path=path)


@pytest.mark.parametrize("suffix", [".safetensors", ".pth"])
def test_truncated_local_file_names_the_file(reference, tmp_path, suffix: str) -> None:
    path = tmp_path / f"weights{suffix}"
    if suffix == ".safetensors":
        safetensors.torch.save_file(reference.state_dict(), path)
    else:
        torch.save(reference.state_dict(), path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    with pytest.raises(CheckpointError, match=f"{path}.*truncated"):
        hub.create_model(ARCH, num_classes=10, checkpoint_path=path)


def test_missing_file(tmp_path) -> None:
    with pytest.raises(CheckpointError, match="does not exist"):
        hub.create_model(ARCH, checkpoint_path=tmp_path / "nope.safetensors")


def test_kaggle_style_offline_file_overlay(reference, tmp_path) -> None:
    """pretrained_cfg_overlay=dict(file=...) loads a local copy and still adapts it."""
    path = tmp_path / "resnet18.safetensors"
    safetensors.torch.save_file(reference.state_dict(), path)
    overlay = {"file": str(path), "num_classes": 10}
    _same_outputs(hub.create_model(ARCH, pretrained=True, pretrained_cfg_overlay=overlay), reference)
    model = hub.create_model(ARCH, pretrained=True, pretrained_cfg_overlay=overlay, num_classes=1, in_chans=1)
    assert model.eval()(sample_input(64, channels=1)).shape == (2, 1)


def test_half_precision_checkpoint_loads_as_float32(reference, tmp_path) -> None:
    path = tmp_path / "half.safetensors"
    safetensors.torch.save_file(
        {k: v.half() if v.is_floating_point() else v for k, v in reference.state_dict().items()}, path
    )
    model = hub.create_model(ARCH, num_classes=10, checkpoint_path=path)
    assert {p.dtype for p in model.parameters()} == {torch.float32}
    _same_outputs(model.half().float(), reference.half().float())


def test_loaded_model_trains(reference, tmp_path) -> None:
    """Weights are memory-mapped from the file; training must still update them in memory only."""
    path = tmp_path / "weights.safetensors"
    safetensors.torch.save_file(reference.state_dict(), path)
    before = path.read_bytes()
    model = hub.create_model(ARCH, num_classes=10, checkpoint_path=path).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model(sample_input(64)).sum().backward()
    optimizer.step()
    assert not torch.equal(model.conv1.weight, reference.conv1.weight)
    assert path.read_bytes() == before


def _resident_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_skip_init_leaves_weights_unwritten_and_untouched() -> None:
    """Under skip_init a 256 MiB layer costs no resident memory: initialisers never write it."""
    before = _resident_bytes()
    with skip_init() as spared:
        layer = torch.nn.Linear(8192, 8192)
    assert _resident_bytes() - before < 32 * 2**20
    assert layer.weight.untyped_storage().data_ptr() in spared
    written = torch.nn.Linear(8192, 8192)
    assert _resident_bytes() - before > 200 * 2**20
    del layer, written


def test_a_key_missing_from_the_checkpoint_is_an_error(tmp_path) -> None:
    from support.fake_plugins import catalog_of, register_tiny

    with catalog_of(acme=register_tiny):
        state = {k: v for k, v in hub.create_model("tinynet").state_dict().items() if k != "stem.bias"}
        path = tmp_path / "partial.safetensors"
        safetensors.torch.save_file(state, path)
        with pytest.raises(StateDictMismatchError, match="missing keys: stem.bias"):
            hub.create_model("tinynet", checkpoint_path=path)


def test_a_buffer_no_checkpoint_holds_is_initialised_for_real(tmp_path) -> None:
    """Built without initialisation, a model whose computed buffer the weights cannot cover is rebuilt."""
    from support.fake_plugins import catalog_of

    def register(registry: hub.ModelRegistrar) -> None:
        registry.register("scaled", builder="support.tiny_models:ScaledNet")

    with catalog_of(acme=register):
        torch.manual_seed(0)
        reference = hub.create_model("scaled").eval()
        path = tmp_path / "scaled.safetensors"
        safetensors.torch.save_file(reference.state_dict(), path)
        loaded = hub.create_model("scaled", checkpoint_path=path).eval()
        assert loaded.scale.item() == 2.0
        x = torch.randn(1, 3, 32, 32)
        with torch.no_grad():
            torch.testing.assert_close(loaded(x), reference(x))


def test_headless_weights_keep_an_initialised_head(tmp_path, caplog) -> None:
    """Weights published without a classifier (num_classes=0 in their cfg) may also lack the head's norm."""
    from support.fake_plugins import TINY_CFG, catalog_of

    def register(registry: hub.ModelRegistrar) -> None:
        cfg = TINY_CFG.replace(num_classes=0, classifier="head.fc")
        registry.register("normed", builder="support.tiny_models:HeadNormNet", pretrained={"ssl": cfg})

    with catalog_of(acme=register):
        torch.manual_seed(0)
        reference = hub.create_model("normed", num_classes=0).eval()
        backbone = {k: v for k, v in reference.state_dict().items() if not k.startswith("head.")}
        path = tmp_path / "backbone.safetensors"
        safetensors.torch.save_file(backbone, path)
        with caplog.at_level("INFO", logger="hub"):
            model = hub.create_model("normed", pretrained=True, pretrained_cfg_overlay={"file": str(path)}).eval()
        assert (
            "the weights have no classifier head; head.norm.bias, head.norm.weight keep their initialisation"
            in caplog.text
        )
        assert torch.equal(model.head.norm.weight, torch.ones(32))  # LayerNorm's own initialisation, not garbage
        torch.testing.assert_close(model.stem.weight, reference.stem.weight)


def test_skip_init_cannot_loop_in_trunc_normal() -> None:
    """trunc_normal_ redraws out-of-range values; on unwritten memory it must not spin forever."""
    import threading

    garbage = torch.nn.Parameter(torch.full((1000,), 1e6))
    done = threading.Event()

    def build() -> None:
        with skip_init():
            torch.nn.init.trunc_normal_(garbage, std=0.02)
        done.set()

    threading.Thread(target=build, daemon=True).start()
    assert done.wait(timeout=10), "trunc_normal_ kept redrawing under skip_init"
    assert torch.equal(garbage.detach(), torch.full((1000,), 1e6))  # left unwritten
    assert torch.nn.init._no_grad_trunc_normal_.__name__ == "_no_grad_trunc_normal_"  # restored


def test_skip_init_spares_parameters_and_computes_buffers() -> None:
    """Buffers computed in place (a relative position index, say) are right without a rebuild."""

    class Computed(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.weight = torch.nn.Parameter(torch.empty(4, 4))
            torch.nn.init.normal_(self.weight)
            index = torch.arange(4)
            index += 10  # in place, as timm's relative position indices are made
            self.register_buffer("index", index, persistent=False)
            self.register_buffer("scale", torch.empty(1).fill_(2.0), persistent=False)

    with skip_init() as spared:
        model = Computed()
    assert spared == {model.weight.untyped_storage().data_ptr()}
    assert model.index.tolist() == [10, 11, 12, 13] and model.scale.item() == 2.0


def test_a_meta_device_build_runs_no_initialiser_and_nests_in_skip_init(monkeypatch) -> None:
    """On "meta" there are no values to write, so initialisers are skipped (they cost seconds there)."""
    from support.fake_plugins import catalog_of, register_tiny

    calls: list[str] = []
    original = torch.nn.init._calculate_correct_fan  # run by the body of torch's kaiming initialisers

    def counting(tensor, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append("fan")
        return original(tensor, *args, **kwargs)

    monkeypatch.setattr(torch.nn.init, "_calculate_correct_fan", counting)
    with catalog_of(acme=register_tiny):
        hub.create_model("tinynet")
        assert calls  # a real build initialises
        calls.clear()
        with torch.device("meta"):
            model = hub.create_model("tinynet")
        assert model.stem.weight.is_meta
        with torch.device("meta"), skip_init():  # a caller's own block: shared, not a second lock
            hub.create_model("tinynet")
    assert calls == []
