#!/usr/bin/env bash
# The web client and app: install (from package-lock.json), type-check, build, then the
# pytest suite in tests/web (client drift, typed contract flow, Chromium e2e).
# Needs Node 20 + npm and /usr/bin/chromium (apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
[ -x /usr/bin/chromium ] || { echo "missing /usr/bin/chromium: apt-get install -y chromium" >&2; exit 1; }
(cd web && npm ci --no-audit --no-fund --prefer-offline && npm run typecheck)
"$PY" -m pytest -q -p no:cacheprovider tests/web "$@"
