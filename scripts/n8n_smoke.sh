#!/usr/bin/env bash
# Real-n8n smoke test (not part of the default test run):
#   scripts/n8n_smoke.sh
# Installs n8n 1.123.81 into n8n/node_modules on first use (~4-10 min, ~1.8 GB; Node 20 works
# with the overrides in n8n/package.json and nodedir=/usr in n8n/.npmrc), then runs
# scripts/n8n_smoke.py: imports the shipped workflows + an SMTP credential, activates them,
# starts n8n, delivers signed events through the real outbox dispatcher and checks the e-mails
# reach a local aiosmtpd sink; posts a signed Stripe event and checks the API's user turns pro.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -x "$ROOT/n8n/node_modules/.bin/n8n" ]; then
  echo "installing n8n into $ROOT/n8n/node_modules (slow, once)..."
  (cd "$ROOT/n8n" && npm install --no-audit --no-fund)
fi
cd "$ROOT"
PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" exec "$ROOT/.venv/bin/python" scripts/n8n_smoke.py "$@"
