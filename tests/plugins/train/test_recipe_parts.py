"""The recipe's parts on their own: flags and config records, parameter groups, optimizers, schedules, losses."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F

import hub
from hub.testing import check_manifest_is_torch_free
from hub_train import ConfigError, TrainConfig
from hub_train.cli import train_command
from hub_train.config import OPTIMIZERS, load_yaml, save_yaml
from hub_train.losses import Criterion, Mixing
from hub_train.optim import Schedule, create_optimizer, param_groups

# The flags the recipe names, with timm's spelling.
RECIPE_FLAGS = [
    "--model",
    "--pretrained",
    "--initial-checkpoint",
    "--num-classes",
    "--in-chans",
    "--img-size",
    "--data-dir",
    "--train-split",
    "--val-split",
    "-b",
    "--batch-size",
    "--epochs",
    "--opt",
    "--lr",
    "--weight-decay",
    "--momentum",
    "--sched",
    "--warmup-epochs",
    "--min-lr",
    "--amp",
    "--amp-dtype",
    "--grad-accum-steps",
    "--clip-grad",
    "--model-ema",
    "--model-ema-decay",
    "--mixup",
    "--cutmix",
    "--mixup-prob",
    "--mixup-switch-prob",
    "--smoothing",
    "--bce-loss",
    "--aa",
    "--reprob",
    "--drop-path",
    "--sync-bn",
    "--channels-last",
    "--torchcompile",
    "--workers",
    "--seed",
    "--output",
    "--resume",
    "--eval-metric",
    "--checkpoint-hist",
    "--log-interval",
    "--layer-decay",
    "--val-fraction",
    "--train-csv",
    "--val-csv",
    "--image-root",
    "--dataset",
    "--skip-bad-images",
    "--overwrite",
    "--config",
]


def test_every_recipe_flag_exists_and_every_field_is_a_flag() -> None:
    flags = {name for param in train_command.params for name in param.opts}
    assert set(RECIPE_FLAGS) <= flags
    fields = {name.replace("_", "-") for name in TrainConfig.__dataclass_fields__}
    assert {f"--{name}" for name in fields} <= flags


def test_config_records_check_types_and_round_trip_through_yaml(tmp_path) -> None:
    config = TrainConfig.from_mapping({"model": "resnet18", "batch-size": "32", "lr": 1, "scale": "0.5,1"})
    assert (config.batch_size, config.lr, config.scale) == (32, 1.0, (0.5, 1.0))
    save_yaml(config, tmp_path / "c.yaml")
    assert TrainConfig.from_mapping(load_yaml(tmp_path / "c.yaml")) == config
    with pytest.raises(ConfigError, match="--epochs must be an int, got 'ten'"):
        TrainConfig(model="resnet18", epochs="ten")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="--opt must be one of sgd, momentum"):
        TrainConfig(model="resnet18", opt="lamb")
    with pytest.raises(ConfigError, match="--smoothing must be <= 0.99"):
        TrainConfig(model="resnet18", smoothing=1.5)


def test_the_cli_module_and_config_import_no_torch() -> None:
    check_manifest_is_torch_free("hub-train")  # the conformance kit's check, as for a family plugin
    code = "import sys, hub_train, hub_train.cli; hub_train.TrainConfig(model='x'); print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.fixture(scope="module")
def resnet():
    return hub.create_model("resnet10t", num_classes=4)


def test_no_weight_decay_on_norms_biases_and_the_models_own_names(resnet) -> None:
    groups = param_groups(resnet, weight_decay=0.05)
    by_decay = {g["weight_decay"]: {id(p) for p in g["params"]} for g in groups}
    names = {id(p): n for n, p in resnet.named_parameters()}
    assert {names[i] for i in by_decay[0.0]} == {n for n, p in resnet.named_parameters() if p.ndim == 1}
    with torch.device("meta"):
        vit = hub.create_model("vit_tiny_patch16_224")
    skipped = {id(p) for g in param_groups(vit, weight_decay=0.1) if g["weight_decay"] == 0 for p in g["params"]}
    assert {id(vit.pos_embed), id(vit.cls_token)} <= skipped


def test_layer_decay_scales_the_stages_from_stem_to_head(resnet) -> None:
    groups = param_groups(resnet, weight_decay=0.0, layer_decay=0.5)
    scale_of = {id(p): g["lr_scale"] for g in groups for p in g["params"]}
    named = dict(resnet.named_parameters())
    assert scale_of[id(named["fc.weight"])] == 1.0
    assert scale_of[id(named["layer4.0.conv1.weight"])] == 0.5
    assert scale_of[id(named["conv1.0.weight"])] == 0.5**6  # the stem, below five stages (act1, layer1-4)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizers_by_name(resnet, name: str) -> None:
    optimizer = create_optimizer(resnet, TrainConfig(model="x", opt=name), lr=0.1)
    expected = {"sgd": "SGD", "momentum": "SGD", "adamw": "AdamW", "adam": "Adam", "rmsprop": "RMSprop"}
    assert type(optimizer).__name__ == expected.get(name, name.replace("adam", "Adam").upper().replace("ADAM", "Adam"))
    if name in ("sgd", "momentum"):
        assert optimizer.defaults["nesterov"] == (name == "sgd")


def _lrs(config: TrainConfig, updates_per_epoch: int, metrics: list[float] | None = None) -> list[float]:
    model = torch.nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    schedule = Schedule(optimizer, config, 0.1, updates_per_epoch)
    seen = []
    for epoch in range(config.epochs):
        for _ in range(updates_per_epoch):
            seen.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            schedule.after_update()
        schedule.after_epoch(metrics[epoch] if metrics else 0.0)
    return seen


def test_warmup_then_cosine_per_update() -> None:
    lrs = _lrs(TrainConfig(model="x", epochs=4, warmup_epochs=1, warmup_lr=0.001, min_lr=0.01), updates_per_epoch=5)
    assert lrs[0] == pytest.approx(0.001) and lrs[1] > lrs[0] and lrs[5] == pytest.approx(0.1)
    assert all(a > b for a, b in itertools.pairwise(lrs[5:])) and lrs[-1] > 0.01


def test_step_multistep_constant_and_plateau() -> None:
    step = _lrs(TrainConfig(model="x", sched="step", epochs=3, warmup_epochs=0, decay_epochs=1), 2)
    assert step == pytest.approx([0.1, 0.1, 0.01, 0.01, 0.001, 0.001])
    multi = _lrs(TrainConfig(model="x", sched="multistep", epochs=3, warmup_epochs=0, decay_milestones=(2,)), 2)
    assert multi == pytest.approx([0.1, 0.1, 0.1, 0.1, 0.01, 0.01])
    assert set(_lrs(TrainConfig(model="x", sched="constant", epochs=2, warmup_epochs=0), 3)) == {0.1}
    plateau = TrainConfig(model="x", sched="plateau", epochs=4, warmup_epochs=0, patience_epochs=1, decay_rate=0.5)
    assert _lrs(plateau, 1, metrics=[50.0, 40.0, 40.0, 40.0]) == pytest.approx([0.1, 0.1, 0.1, 0.05])


def test_losses_label_smoothing_soft_targets_and_the_one_logit_head() -> None:
    logits, targets = torch.randn(6, 4), torch.tensor([0, 1, 2, 3, 0, 1])
    criterion = Criterion(num_outputs=4, smoothing=0.1, bce=False)
    soft = F.one_hot(targets, 4).float()
    torch.testing.assert_close(criterion(logits, soft), criterion(logits, targets))  # smoothing on soft targets too
    binary = Criterion(num_outputs=1, smoothing=0.0, bce=False)
    one_logit, labels = torch.randn(6, 1), torch.tensor([0, 1, 1, 0, 1, 0])
    torch.testing.assert_close(
        binary(one_logit, labels), F.binary_cross_entropy_with_logits(one_logit[:, 0], labels.float())
    )
    torch.manual_seed(0)
    mixed, mixed_targets = Mixing(mixup=0.2, cutmix=1.0, prob=1.0, switch_prob=0.5, num_classes=4)(
        torch.randn(6, 3, 8, 8), targets
    )
    assert mixed.shape == (6, 3, 8, 8) and mixed_targets.shape == (6, 4)
    torch.testing.assert_close(mixed_targets.sum(dim=1), torch.ones(6))


def test_a_schedule_resumed_with_more_epochs_continues_on_the_new_length() -> None:
    def stepped(epochs: int, updates: int, state: dict | None = None) -> tuple[Schedule, torch.optim.Optimizer]:
        optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
        schedule = Schedule(optimizer, TrainConfig(model="x", epochs=epochs, warmup_epochs=1), 0.1, 5)
        if state is not None:
            schedule.load_state_dict(state)
        for _ in range(updates):
            optimizer.step()
            schedule.after_update()
        return schedule, optimizer

    saved, _ = stepped(4, 12)
    resumed, optimizer = stepped(8, 3, saved.state_dict())
    _, reference = stepped(8, 15)
    assert resumed.updates == 15
    assert optimizer.param_groups[0]["lr"] == pytest.approx(reference.param_groups[0]["lr"])
