#!/usr/bin/env bash
# Starts a fresh Leadline for the end-to-end tests: `serve.sh sqlite|postgres PORT`.
# Each run begins on an empty database, so the first-start admin exists and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="$1"; port="$2"
mkdir -p end2end/.data
case "$backend" in
  sqlite)
    rm -f end2end/.data/e2e.db end2end/.data/e2e.db-wal end2end/.data/e2e.db-shm
    export DATABASE_URL="sqlite://end2end/.data/e2e.db" ;;
  postgres)
    admin_url="${LEADLINE_TEST_PG:-postgres://postgres@127.0.0.1:5432/test}"
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS leadline_e2e WITH (FORCE)" -c "CREATE DATABASE leadline_e2e" >/dev/null
    export DATABASE_URL="${admin_url%/*}/leadline_e2e" ;;
esac
export LEPTOS_SITE_ADDR="127.0.0.1:$port"
export LEPTOS_SITE_ROOT="$PWD/target/site"
export LEADLINE_ADMIN_EMAIL=admin@e2e.local
export LEADLINE_ADMIN_PASSWORD=e2e-admin-password
export LEADLINE_LOGIN_PER_MINUTE=50
# Each backend's attached files in their own fresh directory; a small limit to test it.
rm -rf "end2end/.data/files-$backend"
export LEADLINE_DATA_DIR="end2end/.data/files-$backend"
export LEADLINE_MAX_UPLOAD_MB=1
exec "${LEADLINE_BIN:-target/debug/leadline}" serve
