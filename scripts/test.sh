#!/usr/bin/env bash
# Run every check: install what is needed, lint, type-check, then the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

.venv/bin/ruff check .
.venv/bin/ruff format --check .
packages=()
for plugin in plugins/hub-*; do
    name=$(basename "$plugin")
    packages+=("$plugin/${name//-/_}")
done
.venv/bin/mypy core/hub cli/hub_cli "${packages[@]}"
# Two test processes with one thread each use the two cores better than one process with two threads.
OMP_NUM_THREADS=1 .venv/bin/python -m pytest -n 2 "$@"
