#!/usr/bin/env bash
# Runs the outside-client API contract test against a fresh Leadline on SQLite and on
# PostgreSQL: starts the server, makes a token with `leadline token create`, runs the test.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${LEADLINE_BIN:-target/debug/leadline}"
export PGOPTIONS="--client-min-messages=warning"
pg="${LEADLINE_TEST_PG:-postgres://postgres@127.0.0.1:5432/test}"
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for backend in sqlite postgres; do
  case "$backend" in
    sqlite) export DATABASE_URL="sqlite://$work/contract.db" ;;
    postgres)
      psql "$pg" -qc "DROP DATABASE IF EXISTS leadline_contract WITH (FORCE)" -c "CREATE DATABASE leadline_contract" >/dev/null
      export DATABASE_URL="${pg%/*}/leadline_contract" ;;
  esac
  export LEPTOS_SITE_ADDR="127.0.0.1:3990" LEPTOS_SITE_ROOT="$PWD/target/site"
  export LEADLINE_ADMIN_EMAIL=admin@contract.local LEADLINE_ADMIN_PASSWORD=contract-password-1 RUST_LOG=warn
  "$bin" migrate >/dev/null
  token=$("$bin" token create --user admin@contract.local --name contract)
  "$bin" serve >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do curl -sf "http://$LEPTOS_SITE_ADDR/healthz" >/dev/null && break; sleep 0.2; done
  echo "==> API contract on $backend"
  python3 tests/contract/api_contract.py "http://$LEPTOS_SITE_ADDR" "$token" || { cat "$work/server.log"; exit 1; }
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
psql "$pg" -qc "DROP DATABASE IF EXISTS leadline_contract WITH (FORCE)" >/dev/null
