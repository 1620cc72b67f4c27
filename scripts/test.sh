#!/usr/bin/env bash
# Install everything from the project's own files, start the services, run lint and all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh dev local
bash scripts/services.sh
.venv/bin/ruff check .
.venv/bin/mypy
# pytest exits 5 when it collects nothing: `set -e` turns that into a failure, never a pass.
.venv/bin/pytest -q -p no:cacheprovider "$@"
