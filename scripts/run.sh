#!/usr/bin/env bash
# Builds Leadline (release) and runs it on its embedded SQLite database.
# First start creates an admin and prints how to sign in.
# Environment: DATABASE_URL (default sqlite://data/leadline.db), LEPTOS_SITE_ADDR (default
# 127.0.0.1:3000), LEADLINE_ADMIN_EMAIL / LEADLINE_ADMIN_PASSWORD for the first admin.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo leptos build --release
target_dir="${CARGO_TARGET_DIR:-target}"
export LEPTOS_ENV=PROD
export LEPTOS_SITE_ROOT="$PWD/target/site"
export DATABASE_URL="${DATABASE_URL:-sqlite://data/leadline.db}"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
echo "Leadline on http://$LEPTOS_SITE_ADDR/admin/login  (database: $DATABASE_URL)"
exec "$target_dir/release/leadline" serve "$@"
