"""The README tour, runnable offline: list, inspect, build, adapt, save and reload, extract features, fine-tune.

Run it with ``bash scripts/tour.sh`` (which sets HF_HUB_OFFLINE=1): nothing here touches
the network. The "pretrained" weights are an embedded default that the tour makes itself:
a seeded resnet34 saved with ``hub.save_pretrained``, then reloaded and adapted the way a
downloaded checkpoint would be.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
from pathlib import Path

import torch

import hub


def step(title: str) -> None:
    print(f"\n== {title}")


def run_cli(*args: str) -> None:
    hub_cli = Path(sys.executable).with_name("hub")
    print(f"$ hub {' '.join(args)}")
    subprocess.run([str(hub_cli), *args], check=True)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="   [%(name)s] %(message)s")
    torch.manual_seed(0)

    step("What is installed")
    run_cli("plugins")
    print(f"{len(hub.list_models())} models, {len(hub.list_pretrained())} pretrained tags; some ResNets:")
    run_cli("list", "resnet3*", "resnet50*")
    if hub.list_models("*efficientnet*"):
        run_cli("list", "*efficientnet_b*", "--exclude", "tf_*")

    step("One model, inspected without building it for real")
    run_cli("inspect", "resnet34", "--out-indices", "1,-1", "--input-size", "128")

    step("resnet34 for 1-channel images and 10 classes")
    model = hub.create_model("resnet34", in_chans=1, num_classes=10).eval()
    with torch.no_grad():
        logits = model(torch.randn(4, 1, 224, 224))
    print(
        f"logits {tuple(logits.shape)}; pretrained cfg {model.pretrained_cfg.architecture}.{model.pretrained_cfg.tag}"
    )

    with tempfile.TemporaryDirectory() as folder:
        step("Offline pretrained weights: an embedded checkpoint, saved then reloaded and adapted")
        source = hub.create_model("resnet34").eval()  # stands in for downloaded ImageNet weights
        hub.save_pretrained(source, folder)
        print(f"saved {sorted(p.name for p in Path(folder).iterdir())} to a temporary folder")
        reloaded = hub.create_model(f"local-dir:{folder}", pretrained=True).eval()
        x = torch.randn(2, 3, 224, 224)
        with torch.no_grad():
            same = torch.equal(reloaded(x), source(x))
        print(f"reloaded: identical outputs = {same}")
        adapted = hub.create_model(f"local-dir:{folder}", pretrained=True, in_chans=1, num_classes=10)
        print(
            f"adapted to grey images and 10 classes: conv1 {tuple(adapted.conv1.weight.shape)}, fc {tuple(adapted.fc.weight.shape)}"
        )
        weights = Path(folder, "model.safetensors")
        kaggle = hub.create_model("resnet34", pretrained=True, pretrained_cfg_overlay={"file": str(weights)})
        print(f"the Kaggle way, pretrained_cfg_overlay=dict(file=...): {type(kaggle).__name__} ready")

    step("Feature extraction: a resnet34 backbone for a detector or segmenter")
    backbone = hub.create_model("resnet34", features_only=True).eval()
    with torch.no_grad():
        maps = backbone(torch.randn(1, 3, 224, 224))
    for stage, feature_map in zip(backbone.feature_info.get_dicts(), maps, strict=True):
        print(f"  {stage['module']:<7} {tuple(feature_map.shape)}  stride {stage['reduction']}")

    step("Fine-tune on the embedded digits (hub train), evaluate the run (hub validate), load the result")
    with tempfile.TemporaryDirectory() as folder:
        run = str(Path(folder, "digits"))
        run_cli("train", "--model", "resnet18", "--dataset", "digits", "--epochs", "3", "--output", run)
        run_cli("validate", run, "--dataset", "digits")
        trained = hub.create_model(f"local-dir:{run}/best", pretrained=True).eval()
        preprocess = hub.create_transform(hub.resolve_data_config(trained))  # 8x8 grey digit -> 1x32x32 tensor
        names = trained.as_built_cfg.label_names
        image = _first_digit()
        with torch.no_grad():
            guess = names[int(trained(preprocess(image).unsqueeze(0)).argmax())]
        print(f"reloaded best/ ({trained.as_built_cfg.input_size} input): the set's first digit, a 0, reads as {guess}")

    if hub.is_model("efficientnet_b3"):
        step("The seed's example: efficientnet_b3 for a one-logit medical-imaging task")
        effnet = hub.create_model("efficientnet_b3", num_classes=1).eval()
        with torch.no_grad():
            print(f"logit shape {tuple(effnet(torch.randn(2, 3, 300, 300)).shape)}")


def _first_digit() -> object:
    """The first of scikit-learn's digits (a 0) as an 8x8 grey PIL image."""
    from PIL import Image
    from sklearn.datasets import load_digits

    return Image.fromarray((load_digits().images[0] * 255 / 16).astype("uint8"), "L")


if __name__ == "__main__":
    main()
