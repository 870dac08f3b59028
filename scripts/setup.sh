#!/usr/bin/env bash
# Installs what building and testing Leadline needs, only where it is missing (idempotent).
# Everything comes from the package registries: rustup targets, crates.io, npm, Debian.
# Usage: scripts/setup.sh [--browser]   (--browser also installs Chromium and the e2e packages)
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen = "=…"` pin in Cargo.toml
BINARYEN_VERSION=123           # wasm-opt; never Debian's binaryen 108 (its output breaks hydration)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes, once)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its lock file names a crate version the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION) from npm"
  as_root npm install -g --prefix /usr/local "binaryen@$BINARYEN_VERSION"
fi

if [ "${1:-}" = "--browser" ]; then
  # The API contract test is an outside client: Python's standard library and curl.
  for tool in python3 curl; do
    if ! command -v "$tool" >/dev/null; then
      say "installing $tool from Debian"
      as_root apt-get install -y "$tool" || { as_root apt-get update && as_root apt-get install -y "$tool"; }
    fi
  done
  if ! command -v chromium >/dev/null; then
    say "installing Chromium from Debian"
    as_root apt-get install -y chromium || { as_root apt-get update && as_root apt-get install -y chromium; }
  fi
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "installing the end-to-end test packages"
    (cd end2end && npm ci --no-audit --no-fund)
  fi
fi
