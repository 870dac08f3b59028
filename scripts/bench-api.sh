#!/usr/bin/env bash
# REST API throughput and latency on a running Leadline (needs `wrk`, Debian's package, and a
# token; raise LEADLINE_API_PER_MINUTE on the server so the rate limit does not answer instead).
#   scripts/bench-api.sh BASE_URL TOKEN [MAX_ID] [SECONDS]
# 1. requests per second: /healthz, then GET /api/leads/:id with random ids in 1..MAX_ID,
#    same connections and duration, one after the other;
# 2. p50/p95 of a 100-row list page (first and deep) and of searches (scripts/bench-api.py).
set -euo pipefail
base="$1"; token="$2"; max_id="${3:-1000000}"; seconds="${4:-10}"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)" >&2; exit 1; }
script=$(mktemp --suffix=.lua); trap 'rm -f "$script"' EXIT
cat >"$script" <<LUA
wrk.headers["authtoken"] = "$token"
request = function()
  return wrk.format("GET", "/api/leads/" .. math.random(1, $max_id))
end
LUA
echo "== /healthz"; wrk -t2 -c32 -d"${seconds}s" --latency "$base/healthz" | grep -E "Requests/sec|50%|99%|Non-2xx"
echo "== GET /api/leads/:id (random ids)"; wrk -t2 -c32 -d"${seconds}s" --latency -s "$script" "$base" | grep -E "Requests/sec|50%|99%|Non-2xx"
python3 "$(dirname "$0")/bench-api.py" "$base" "$token"
