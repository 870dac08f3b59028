#!/usr/bin/env python3
"""Times a CSV import on a running Leadline, as the import page does it: the preview, the check
(every row through the lead door, nothing written), then the import (one transaction: leads,
tags, stage history, "created" entries, owners' notifications, live events).

The file has ROWS generated leads (name, email, company, phone, city, source by name, owner by
email, tags), each row unique to this run so it can be repeated on the same database.

Usage: scripts/bench-import.py BASE_URL EMAIL PASSWORD [ROWS]
"""
import http.client
import json
import sys
import time
import urllib.parse
import uuid

from leadline_http import sign_in

SOURCES = ["Website", "Referral", "Google Ads", "LinkedIn"]


def main():
    base, email, password = sys.argv[1:4]
    rows = int(sys.argv[4]) if len(sys.argv) > 4 else 10_000
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=900)
    cookie = sign_in(conn, email, password)
    run = uuid.uuid4().hex[:8]
    lines = ["Name,Email,Company,Phone,City,Source,Owner,Tags"]
    for i in range(rows):
        lines.append(f"Import {run} {i},imp{i}.{run}@bench.example,Bench {i % 997} SRL,"
                     f"+40 721 {i:06d},Cluj,{SOURCES[i % len(SOURCES)]},{email},\"bench, run-{run}\"")
    csv = ("\n".join(lines) + "\n").encode()

    def post(plan):
        boundary = uuid.uuid4().hex
        parts = [(b'Content-Disposition: form-data; name="file"; filename="bench.csv"\r\n'
                  b"Content-Type: text/csv\r\n\r\n", csv)]
        if plan is not None:
            parts.append((b'Content-Disposition: form-data; name="plan"\r\n\r\n', json.dumps(plan).encode()))
        body = b"".join(b"--" + boundary.encode() + b"\r\n" + head + data + b"\r\n" for head, data in parts)
        body += b"--" + boundary.encode() + b"--\r\n"
        start = time.perf_counter()
        conn.request("POST", "/admin/leads/import", body=body, headers={
            "Cookie": cookie, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        response = conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            sys.exit(f"HTTP {response.status}: {data[:300]!r}")
        return elapsed, json.loads(data)

    took, preview = post(None)
    mapping = [c["target"] for c in preview["columns"]]
    print(f"{rows} rows ({len(csv) / 1e6:.1f} MB): preview {took * 1000:.0f} ms, columns → {mapping}")
    plan = {"mapping": mapping, "stage": "", "source": "", "assigned": "", "tags": "",
            "skip_refused": False, "check_only": True}
    took, report = post(plan)
    print(f"check: {took:.2f} s, {report['refused_count']} refused")
    plan["check_only"] = False
    took, report = post(plan)
    print(f"import: {took:.2f} s, {report['imported']} imported "
          f"({report['imported'] / took:.0f} leads/s)")


if __name__ == "__main__":
    main()
