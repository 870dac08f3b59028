#!/usr/bin/env python3
"""Times a bulk reassignment on a running Leadline, as the list's bulk bar does it: the preview
count, then the run (every lead through the lead door: history, timeline, notification, live
event), polled until finished, then its undo. Picks the (source, assignee) filter whose lead
count is closest to TARGET, so the run changes about that many leads.

Usage: scripts/bench-bulk.py BASE_URL EMAIL PASSWORD [TARGET]
With BULK_FILTER='{"source": "5", "assignee": "3"}' it takes that filter instead of searching
(so that a profiler attached to the server records the runs alone).
"""
import http.client
import json
import os
import sys
import time
import urllib.parse

from leadline_http import sign_in


def main():
    base, email, password = sys.argv[1:4]
    target = int(sys.argv[4]) if len(sys.argv) > 4 else 10_000
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=600)
    cookie = sign_in(conn, email, password)

    def rpc(path, body=None, form=None):
        headers = {"Cookie": cookie, "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(form)
        start = time.perf_counter()
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            sys.exit(f"{path}: HTTP {response.status}: {data[:300]!r}")
        return elapsed, json.loads(data)

    _, page = rpc("/rpc/leads/list", {"query": {"filter": {}, "sort": "Created", "desc": True, "page": 1}})
    users = [u["id"] for u in page["users"]]
    sources = [s["id"] for s in page["sources"]]
    def matching(filter):
        return {"Matching": {"filter": filter, "sort": "Created", "desc": True, "page": 1}}

    best = None
    if os.environ.get("BULK_FILTER"):
        best = (0, matching(json.loads(os.environ["BULK_FILTER"])), None)
    for source in [] if best else sources:
        for user in users[:6]:
            selection = matching({"source": str(source), "assignee": str(user)})
            _, preview = rpc("/rpc/leads/bulk/preview", {"selection": selection, "action": {"kind": "assign", "user": users[-1]}})
            n = preview["selected"] - preview["unchanged"]
            if best is None or abs(n - target) < abs(best[0] - target):
                best = (n, selection, user)
    n, selection, owner = best
    action = {"kind": "assign", "user": users[-1]}
    preview_ms, preview = rpc("/rpc/leads/bulk/preview", {"selection": selection, "action": action})
    print(f"selection: {json.dumps(selection['Matching']['filter'])} → {preview['selected']} leads, "
          f"{preview['selected'] - preview['unchanged']} to change (preview {preview_ms:.0f} ms)")

    def follow(start_path, body, form, label):
        start = time.perf_counter()
        _, run = rpc(start_path, body, form)
        started = (time.perf_counter() - start) * 1000
        while True:
            _, status = rpc("/rpc/leads/bulk/run", form={"run": run})
            if status["finished"]:
                break
            time.sleep(0.05)
        total = (time.perf_counter() - start) * 1000
        skipped = sum(g["count"] for g in status["skipped"])
        print(f"{label}: {status['changed']} changed, {status['unchanged']} unchanged, {skipped} skipped; "
              f"started in {started:.0f} ms, finished in {total:.0f} ms "
              f"({total / max(status['changed'], 1):.2f} ms per lead)")
        return run

    run = follow("/rpc/leads/bulk/start", {"selection": selection, "action": action}, None, "reassign")
    follow("/rpc/leads/bulk/undo", None, {"run": run}, "undo")


if __name__ == "__main__":
    main()
