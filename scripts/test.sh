#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting, clippy, the Rust
# unit and integration tests (SQLite and PostgreSQL), and the Playwright tests
# in Chromium against a freshly built server. Prints the time of each stage.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PATH="$HOME/.cargo/bin:$PATH"
# cargo-leptos builds the server with this flag; using it here too lets every
# stage share one build cache instead of compiling everything twice.
export RUSTFLAGS="--cfg erase_components"

started=$(date +%s)
stage_start=$started
timings=()
stage() {
  local now
  now=$(date +%s)
  if [ -n "${current:-}" ]; then
    timings+=("$(printf '%-28s %5ss' "$current" $((now - stage_start)))")
  fi
  current=$1
  stage_start=$now
  printf '\n==> [%s] %s\n' "$(date +%T)" "$1"
}
report() {
  stage ""
  printf '\n==> stage times\n'
  printf '  %s\n' "${timings[@]}"
  printf '  %-28s %5ss\n' "total" $(( $(date +%s) - started ))
}
trap report EXIT

stage "install tools"
bash scripts/setup.sh --tests

stage "postgresql"
if [ "${LATCHKEY_SKIP_PG:-}" = 1 ]; then
  echo "LATCHKEY_SKIP_PG=1: the PostgreSQL variants of the tests are skipped"
elif ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  pg_isready -h 127.0.0.1 -p 5432
fi

stage "cargo fmt --check"
cargo fmt --all -- --check

stage "clippy (server, tests)"
cargo clippy --features ssr --all-targets -- -D warnings

stage "clippy (browser, wasm32)"
cargo clippy --lib --no-default-features --features hydrate \
  --target wasm32-unknown-unknown -- -D warnings

stage "rust tests"
rust_log=$(mktemp)
cargo test --features ssr 2>&1 | tee "$rust_log"
# Sums the counts of "N passed" / "N failed" in a log (0 when absent).
count() { { grep -oE "$1" "$2" || true; } | awk '{s+=$1} END {print s+0}'; }
rust_passed=$(count '[0-9]+ passed' "$rust_log")
rust_failed=$(count '[0-9]+ failed' "$rust_log")

stage "cargo leptos build"
cargo leptos build

stage "playwright"
work=$(mktemp -d)
port=3100
export LATCHKEY_URL="http://127.0.0.1:$port"
export MAIL_OUTBOX="$work/outbox"
(
  cd "$work"
  LEPTOS_SITE_ADDR="127.0.0.1:$port" AUTH_URL="$LATCHKEY_URL" \
    AUTH_SECRET="end-to-end-test-secret-0123456789abcdef" \
    DATABASE_URL="sqlite:$work/latchkey.db" MAIL_OUTBOX="$MAIL_OUTBOX" RATE_LIMIT=off \
    LEPTOS_SITE_ROOT="$root/target/site" \
    exec "$root/target/debug/latchkey"
) >"$work/server.log" 2>&1 &
server_pid=$!
e2e_log=$(mktemp)
set +e
(cd end2end && npx playwright test) 2>&1 | tee "$e2e_log"
e2e_status=${PIPESTATUS[0]}
set -e
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
if [ "$e2e_status" -ne 0 ]; then
  echo "--- server log (last 60 lines) ---"
  tail -60 "$work/server.log"
fi
e2e_passed=$(count '^ *[0-9]+ passed' "$e2e_log")
e2e_failed=$(count '^ *[0-9]+ failed' "$e2e_log")

passed=$((rust_passed + e2e_passed))
failed=$((rust_failed + e2e_failed))
[ "$e2e_status" -eq 0 ] || failed=$((failed > 0 ? failed : 1))
trap - EXIT
report
echo
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
