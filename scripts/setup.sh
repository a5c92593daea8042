#!/usr/bin/env bash
# Installs what Latchkey needs to build, run and test on a fresh Debian machine.
# Every step is guarded by a version check, so a second run takes seconds.
# Only package registries are used (crates.io, npm, Debian); nothing is downloaded
# from anywhere else.
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.11
# Must equal the `wasm-bindgen` crate pinned in Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

want_tests=${1:-}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos's lockfile pins crates that need a newer rustc (or are yanked), so
# `cargo install --locked` fails. We unpack its source, relax those two pins, and
# install a debug build: it is a build tool, and debug takes a third of the time.
install_from_source() { # crate version bin fix...
  local crate=$1 version=$2 bin=$3; shift 3
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -q "$version"; then
    return
  fi
  step "installing $crate $version (from crates.io source)"
  local work
  work=$(mktemp -d)
  (cd "$work" && cargo new --quiet fetch && cd fetch \
    && cargo add --quiet "$crate@=$version" && cargo fetch --quiet)
  local src
  src=$(ls -d "$HOME"/.cargo/registry/src/*/"$crate-$version" | head -1)
  cp -r "$src" "$work/src-copy"
  (
    cd "$work/src-copy"
    for fix in "$@"; do
      # shellcheck disable=SC2086
      cargo update --quiet $fix || true
    done
    local features=()
    [ "$crate" = cargo-leptos ] && features=(--features no_downloads)
    cargo install --debug --path . --locked "${features[@]}"
  )
  rm -rf "$work"
}

install_from_source cargo-leptos "$CARGO_LEPTOS_VERSION" cargo-leptos \
  "-p cargo-util-schemas --precise 0.14.1"
install_from_source wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen \
  "-p webpki-roots@1.0.11 --precise 1.0.10"

if [ ! -x node_modules/.bin/tailwindcss ] || [ package-lock.json -nt node_modules/.stamp ]; then
  step "installing Tailwind (npm)"
  npm ci --no-audit --no-fund
  touch node_modules/.stamp
fi

if [ "$want_tests" = "--tests" ]; then
  if ! command -v chromium >/dev/null; then
    step "installing Chromium (Debian)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  fi
  if [ ! -d end2end/node_modules/@playwright/test ] \
    || [ end2end/package-lock.json -nt end2end/node_modules/.stamp ]; then
    step "installing Playwright (npm, no browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund \
      && touch node_modules/.stamp)
  fi
fi
