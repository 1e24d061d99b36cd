#!/usr/bin/env bash
# Create .venv and install hub-core, the first-party plugins and the test tools into it.
# Idempotent: a second run only re-installs hub's own packages (editable, quick).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
pip() { .venv/bin/python -m pip --disable-pip-version-check -q "$@"; }

# torch and torchvision first and pinned, so that nothing pulls in another build of them.
if ! .venv/bin/python -c "import torch, torchvision" 2>/dev/null; then
    pip install --upgrade pip setuptools wheel
    pip install torch==2.14.1 torchvision==0.29.1
fi
pip install "pluggy>=1.3" "importlib-metadata>=6" "packaging>=22" "safetensors>=0.4" "huggingface_hub>=0.25" "click>=8.1" \
    "timm==1.0.31" "transformers>=5" pytest pytest-xdist build ruff mypy
# hub-train's own dependencies (torch and torchvision are above)
pip install "tqdm>=4.60" "PyYAML>=6" "scikit-learn>=1.2"
pip install --no-deps --no-build-isolation -e .
for plugin in plugins/hub-*/; do
    pip install --no-deps --no-build-isolation -e "$plugin"
done
