#!/usr/bin/env bash
# Install everything from the project's own files, start the services, run lint and all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh dev
bash scripts/services.sh
# the web app's toolchain: Debian's Chromium for the browser tests, npm packages from the lock
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ]; then
  apt-get install -y -qq chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
fi
(cd web && npm ci --no-audit --no-fund --prefer-offline --silent && npm run --silent typecheck)
export COURSEGEN_REQUIRE_SERVICES=1
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/lint-imports
# pytest exits 5 when it collects nothing: `set -e` turns that into a failure, never a pass.
.venv/bin/pytest -q -p no:cacheprovider "$@"
