"""Latency of the dashboard's incidents pages and API on an existing store (in-process ASGI
client, read-only): p50/p95 over ``--requests`` requests per URL (the first one included and
also shown alone: the first request after a new ``dragoman track`` computes what the track
pages keep).

    .venv/bin/python bench/web_incidents_latency.py --store /tmp/dragoman-web-bench-store

``--url`` (repeatable) times other pages instead, e.g. the track pages on a store tagged
with ``bench/tracks_synthetic.yaml`` (docs/dashboard.md, "Tracks").

Not part of the test run. The 1M-event synthetic store of bench/web_latency.py has no
incidents: there it measures the cost of the queries' scans and joins, not of many rows.
"""

from __future__ import annotations

import argparse
import statistics
import time

URLS = ["/api/incidents", "/api/incidents?order=killed&casualties=1", "/incidents",
        "/incidents?view=clusters", "/api/incidents/clusters", "/api/incidents/locations",
        "/incidents?place=city%201&since=2018-01", "/api/events?type=ASSAULT"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True)
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--url", action="append", help="a URL to time (repeatable; default: the "
                    "incidents pages and API)")
    args = ap.parse_args()
    from fastapi.testclient import TestClient

    from dragoman.web import create_app

    app = create_app(args.store)
    with TestClient(app) as client:
        app.state.store.reader().wait_indexed(300)
        print("counts:", client.get("/api/summary").json().get("counts"))
        for url in args.url or URLS:
            times = []
            for _ in range(args.requests):
                t0 = time.perf_counter()
                r = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
                r.raise_for_status()
            first = times[0]
            times.sort()
            p95 = times[max(0, round(0.95 * len(times)) - 1)]
            print(f"{url:45s} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
                  f"(first {first:.0f} ms)")


if __name__ == "__main__":
    main()
