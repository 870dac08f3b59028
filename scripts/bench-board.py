#!/usr/bin/env python3
"""Times the board on a running Leadline: the server-rendered page, load-more in the largest
column (first and deep pages), and moves of a card between two columns (each move sends the
version the previous one returned, as the board does). Full HTTP round trips on one kept-alive
connection; prints p50/p95/max per operation.

Usage: scripts/bench-board.py BASE_URL EMAIL PASSWORD [N]
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse

from leadline_http import sign_in


def main():
    base, email, password = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
    cookie = sign_in(conn, email, password)

    def request(method, path, body=None):
        headers = {"Cookie": cookie, "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            sys.exit(f"{method} {path}: HTTP {response.status}: {data[:300]!r}")
        return elapsed, data

    _, data = request("POST", "/rpc/board", {"filter": {}})
    board = json.loads(data)
    columns = board["columns"]
    total = sum(c["totals"]["leads"] for c in columns)
    print(f"board: pipeline {board['pipeline']}, {len(columns)} columns, {total} open leads")

    report("GET /admin/leads?view=board (SSR)", [request("GET", "/admin/leads?view=board")[0] for _ in range(n)])
    report("POST /rpc/board (board data)", [request("POST", "/rpc/board", {"filter": {}})[0] for _ in range(n)])

    largest = max(columns, key=lambda c: c["totals"]["leads"])
    stage = largest["stage"]["id"]
    cursor = largest["page"]["next"]
    first, deep = [], []
    for _ in range(n):
        elapsed, data = request("POST", "/rpc/board/more", {"filter": {}, "stage": stage, "after": cursor})
        first.append(elapsed)
    # Walk 20 pages down, then time the next page there.
    deep_cursor = cursor
    for _ in range(20):
        _, data = request("POST", "/rpc/board/more", {"filter": {}, "stage": stage, "after": deep_cursor})
        deep_cursor = json.loads(data)["next"] or deep_cursor
    for _ in range(n):
        elapsed, data = request("POST", "/rpc/board/more", {"filter": {}, "stage": stage, "after": deep_cursor})
        deep.append(elapsed)
    report(f"load more, page 2 of '{largest['stage']['name']}'", first)
    report("load more, page 22", deep)

    # Move the top card of the largest column to the next column and back, n times each way.
    # Stages with required fields would ask for them; pick a target without.
    card = largest["page"]["cards"][0]
    target = next(
        c for c in columns if c["stage"]["id"] != stage and not c["stage"]["required_fields"]
    )
    version = card["version"]
    moves = []
    for i in range(2 * n):
        to = target["stage"]["id"] if i % 2 == 0 else stage
        body = {"request": {"lead": card["id"], "to": to, "before": None, "after": None,
                            "version": version, "fields": {}}}
        elapsed, data = request("POST", "/rpc/board/move", body)
        version = json.loads(data)["card"]["version"]
        moves.append(elapsed)
    report(f"move '{largest['stage']['name']}' <-> '{target['stage']['name']}'", moves)


def report(label, times):
    times = sorted(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"{label:<48} n={len(times):<4} p50={statistics.median(times):7.1f} ms"
          f"  p95={p95:7.1f} ms  max={times[-1]:7.1f} ms")


if __name__ == "__main__":
    main()
