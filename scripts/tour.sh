#!/usr/bin/env bash
# The README tour: list, inspect, build, adapt and reload models, fine-tune on embedded digits, offline (HF_HUB_OFFLINE=1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
HF_HUB_OFFLINE=1 .venv/bin/python scripts/tour.py
