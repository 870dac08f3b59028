#!/usr/bin/env python3
"""Latency of REST API reads on a running Leadline: 100-row list pages (first and deep) and
searches (a surname, a company word, a tag, an email), one kept-alive connection, p50/p95.

Usage: scripts/bench-api.py BASE_URL TOKEN [N]
"""
import http.client
import statistics
import sys
import time
import urllib.parse


def main():
    base, token = sys.argv[1:3]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)

    def timed(path):
        start = time.perf_counter()
        conn.request("GET", path, headers={"authtoken": token})
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            sys.exit(f"GET {path}: HTTP {response.status}: {body[:200]!r}")
        return elapsed, response.getheader("X-Total-Count")

    for label, path in [
        ("list, page 1 of 100 rows", "/api/leads?nr_page=1&per_page=100"),
        ("list, page 5000 of 100 rows", "/api/leads?nr_page=5000&per_page=100"),
        ("search 'popescu' (a surname)", "/api/leads/search/popescu?per_page=100"),
        ("search 'carpathia' (a company word)", "/api/leads/search/carpathia?per_page=100"),
        ("search 'ana.pop' (an email prefix)", "/api/leads/search/ana.pop?per_page=100"),
        ("search '#enterprise' (a tag)", "/api/leads/search/%23enterprise?per_page=100"),
    ]:
        times, total = [], None
        for _ in range(n):
            elapsed, total = timed(path)
            times.append(elapsed)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"{label:<40} total={total:<8} p50={statistics.median(times):7.1f} ms  p95={p95:7.1f} ms")


if __name__ == "__main__":
    main()
