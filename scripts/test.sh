#!/usr/bin/env bash
# Runs every test: Rust unit and integration tests on SQLite and PostgreSQL, then the
# REST API contract test as an outside client, and the Playwright end-to-end tests in
# Debian's Chromium (each on both databases).
# PostgreSQL: LEADLINE_TEST_PG (default postgres://postgres@127.0.0.1:5432/test); the tests
# create and drop their own databases on that server. Unreachable PostgreSQL fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser

export LEADLINE_TEST_PG="${LEADLINE_TEST_PG:-postgres://postgres@127.0.0.1:5432/test}"
if ! psql "$LEADLINE_TEST_PG" -Atc 'SELECT 1' >/dev/null 2>&1; then
  if [ -z "${CI:-}" ] && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "==> starting the local PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
    sleep 2
  fi
  psql "$LEADLINE_TEST_PG" -Atc 'SELECT 1' >/dev/null || {
    echo "PostgreSQL is not reachable at $LEADLINE_TEST_PG: the tests need it (set LEADLINE_TEST_PG)." >&2
    exit 1
  }
fi

echo "==> building (cargo leptos build)"
cargo leptos build

echo "==> Rust tests (SQLite and PostgreSQL)"
cargo test -p app -p server --features app/ssr

export LEADLINE_BIN="$PWD/${CARGO_TARGET_DIR:-target}/debug/leadline"
case "${CARGO_TARGET_DIR:-}" in /*) export LEADLINE_BIN="$CARGO_TARGET_DIR/debug/leadline" ;; esac

echo "==> REST API contract, as an outside client (SQLite and PostgreSQL)"
bash tests/contract/run.sh

echo "==> end-to-end tests (Chromium)"
(cd end2end && npx playwright test)
