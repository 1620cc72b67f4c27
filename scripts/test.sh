#!/usr/bin/env bash
# Install everything from the project's own files, start a private Postgres and Redis, run lint
# and all tests. The local model is optional (`bootstrap.sh local-model`): its tests skip without it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh dev
# the web app's toolchain: Debian's Chromium for the browser tests, npm packages from the lock
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ]; then
  apt-get install -y -qq chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
fi
(cd web && npm ci --no-audit --no-fund --prefer-offline --silent && npm run --silent typecheck)
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/lint-imports
# Servers of this run only, on free ports, stopped on exit however the run ends.
SERVICES_DIR="$(mktemp -d "${TMPDIR:-/tmp}/coursegen-services.XXXXXX")"
trap 'bash scripts/services.sh stop "$SERVICES_DIR"' EXIT
bash scripts/services.sh start "$SERVICES_DIR"
# shellcheck disable=SC1091
. "$SERVICES_DIR/env"
# A test that needs Postgres or Redis fails, never skips, when its server is missing.
export COURSEGEN_REQUIRE_SERVICES=1
# pytest exits 5 when it collects nothing: `set -e` turns that into a failure, never a pass.
.venv/bin/pytest -q -p no:cacheprovider "$@"
