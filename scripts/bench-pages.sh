#!/usr/bin/env bash
# Times server-rendered pages of a running Leadline: signs in, requests each page N times,
# prints p50/p95/max of the full response time (curl's time_total, loopback).
# Usage: scripts/bench-pages.sh BASE_URL EMAIL PASSWORD [N] [PATH...]
set -euo pipefail
base="$1"; email="$2"; password="$3"; n="${4:-50}"; shift 4 || true
paths=("$@"); [ ${#paths[@]} -gt 0 ] || paths=(/admin/leads "/admin/leads?page=200" /admin/settings/pipelines)
jar=$(mktemp); trap 'rm -f "$jar"' EXIT
curl -s -c "$jar" -o /dev/null -w '' --data-urlencode "email=$email" --data-urlencode "password=$password" "$base/rpc/login"
for path in "${paths[@]}"; do
  for _ in $(seq "$n"); do
    curl -s -b "$jar" -o /dev/null -w '%{time_total}\n' "$base$path"
  done | sort -n | awk -v path="$path" '{ t[NR] = $1 } END {
    printf "%-32s n=%d  p50=%.1f ms  p95=%.1f ms  max=%.1f ms\n", path, NR, t[int(NR*0.5)+1]*1000, t[int(NR*0.95)]*1000, t[NR]*1000 }'
done
