#!/usr/bin/env bash
# Installs what is missing, builds Latchkey and serves it on
# http://127.0.0.1:3000 with the defaults: SQLite in data/, mails written to
# data/outbox, AUTH_PROVIDER=betterauth.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
exec cargo leptos serve
