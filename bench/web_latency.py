"""Dashboard latency on a store of one million synthetic events, through a real server.

Builds the store with ``bench/query_latency.py``'s builder (or reuses ``--store``), starts
uvicorn on loopback in a background thread, then measures with a plain HTTP client:

- ``GET /api/events`` with a filter: p50/p95 over ``--requests`` requests (target p95 < 200 ms),
  cycling through a few realistic filters;
- every page and API call of the dashboard (events, event, document, timeline, map,
  network, quotes and their JSON), ``--per-endpoint`` requests each: p50/p95;
- the events page's first render: time to the full HTML of ``/events`` (target < 1 s), and
  with ``--browser`` the time until Chromium has loaded and painted it.

    .venv/bin/python bench/web_latency.py --store /tmp/dragoman-web-bench --events 1000000

Not part of the test run.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import logging
import os
import socket
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent


def _builder():  # type: ignore[no-untyped-def]
    """``build(root, n_events, events_per_doc)`` from bench/query_latency.py (one builder)."""
    spec = importlib.util.spec_from_file_location("query_latency", HERE / "query_latency.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["query_latency"] = module
    spec.loader.exec_module(module)
    return module.build


FILTERS: list[dict[str, object]] = [
    {"type": "ASSAULT", "limit": 50},
    {"country": "SYR", "limit": 50, "order": "-date"},
    {"quad": ["3", "4"], "since": "2018-01-01", "until": "2019-06-30", "limit": 50},
    {"actor": "person 04", "limit": 50},
    {"type": ["ACCUSE", "THREATEN"], "country": "RUS", "order": "-confidence", "limit": 50},
    {"place": "city 1", "offset": 500, "limit": 50},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(xs: list[float], k: int) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[k - 1]


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes, float]:
    t = time.perf_counter()
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    return resp.status, body, 1000 * (time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, default=Path("/tmp/dragoman-web-bench-store"))
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--events-per-doc", type=int, default=10)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--per-endpoint", type=int, default=20,
                    help="requests per page/API call in the every-endpoint table")
    ap.add_argument("--browser", action="store_true",
                    help="also time the first render in Chromium (/usr/bin/chromium)")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}")
    logging.basicConfig(level=logging.WARNING)

    import uvicorn

    from dragoman.query import EventQuery, count_events
    from dragoman.store import Store
    from dragoman.web import create_app

    if (args.store / "store.json").exists():
        store = Store.open(args.store)
        print(f"reusing {args.store}")
    else:
        store = _builder()(args.store, args.events, args.events_per_doc)
    print(f"store: {count_events(store, EventQuery()):,} events in "
          f"{len(store.segments())} segment(s)")

    port = free_port()
    app = create_app(args.store)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    started = time.perf_counter()
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    # first request of all: opens the reader (views over the segments)
    status, _, cold = get(conn, "/api/events?" + urlencode(FILTERS[0], doseq=True))
    assert status == 200
    print(f"first /api/events (cold reader): {cold:.0f} ms")
    status, _, page_ms = get(conn, "/events")
    assert status == 200
    print(f"first /events page HTML: {page_ms:.0f} ms")
    # the server builds its event index in the background (answering from Parquet until
    # then): measure the steady state once it is ready
    app.state.store.reader().wait_indexed()
    print(f"event index ready {time.perf_counter() - started:.1f} s after the server started")
    conn.close()  # idle past uvicorn's keep-alive: open a new connection
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    lat: list[float] = []
    per: dict[int, list[float]] = {i: [] for i in range(len(FILTERS))}
    for i in range(args.requests):
        k = i % len(FILTERS)
        status, body, ms = get(conn, "/api/events?" + urlencode(FILTERS[k], doseq=True))
        if status != 200:
            raise SystemExit(f"HTTP {status}: {body[:300]!r}")
        lat.append(ms)
        per[k].append(ms)
    print(f"/api/events with a filter, {args.requests} requests: p50 {pct(lat, 50):.1f} ms, "
          f"p95 {pct(lat, 95):.1f} ms, max {max(lat):.1f} ms (target p95 < 200 ms)")
    for k, xs in per.items():
        print(f"  {urlencode(FILTERS[k], doseq=True):70s} p50 {statistics.median(xs):6.1f} ms")

    # the reader remembers each filter's count: time filters it has not seen as well
    fresh: list[float] = []
    for i in range(args.requests):
        params = dict(FILTERS[i % len(FILTERS)])
        params["since"] = f"{2015 + i % 3}-{1 + i % 12:02d}-{1 + i // 12 % 28:02d}"
        params.pop("until", None)
        status, body, ms = get(conn, "/api/events?" + urlencode(params, doseq=True))
        if status != 200:
            raise SystemExit(f"HTTP {status}: {body[:300]!r}")
        fresh.append(ms)
    print(f"/api/events, {args.requests} filters each seen once (no remembered count): "
          f"p50 {pct(fresh, 50):.1f} ms, p95 {pct(fresh, 95):.1f} ms, max {max(fresh):.1f} ms")

    # every page and API call of the dashboard, each timed --per-endpoint times
    print(f"every page and API call, {args.per_endpoint} requests each (p95 target < 200 ms):")
    first_id = None
    status, body, _ = get(conn, "/api/events?limit=1")
    if status == 200:
        import json

        first = json.loads(body)["events"][0]
        first_id, first_doc = first["id"], first["doc_id"]
    endpoints = [
        "/events", "/events?type=ASSAULT&country=SYR&sector=GOV",
        "/events?since=2018-01-01&until=2018-03-31&order=date",
        "/events?since=2018-W10&until=2018-W12&date_match=overlap",
        "/events?place=c%C3%AFty%201", "/events?geonameid=524901",
        "/timeline", "/map", "/network", "/network?by=sector&nodes=50", "/quotes",
        "/quotes?speaker=person", "/api", "/api/summary",
        "/api/timeline", "/api/timeline?quad=3&quad=4&country=RUS",
        "/api/locations", "/api/locations?type=ASSAULT",
        "/api/network", "/api/network?by=sector&nodes=50",
        "/api/network?actor=person%2004&by=actor",
        "/api/quotes?speaker=person", "/api/quotes/speakers", "/api/world",
        "/api/events?since=2017-12-31&until=2018-01-01",
        "/api/events?order=-date&country=IRN&sector=MIL",
    ]
    if first_id:
        endpoints += [f"/events/{first_id}", f"/api/events/{first_id}",
                      f"/documents/{first_doc}?event={first_id}",
                      f"/api/documents/{first_doc}"]
    worst = 0.0
    for path in endpoints:
        xs = []
        for _ in range(args.per_endpoint):
            status, body, ms = get(conn, path)
            if status != 200:
                raise SystemExit(f"{path}: HTTP {status}: {body[:300]!r}")
            xs.append(ms)
        p95 = pct(xs, 95)
        worst = max(worst, p95)
        print(f"  {path[:70]:70s} p50 {statistics.median(xs):6.1f}  p95 {p95:6.1f} ms")
    print(f"slowest p95 of every page and API call: {worst:.1f} ms (target < 200 ms)")

    pages = []
    for _ in range(10):
        status, body, ms = get(conn, "/events")
        assert status == 200 and b"<table" in body
        pages.append(ms)
    print(f"/events page HTML (50 rows + count): median {statistics.median(pages):.0f} ms, "
          f"max {max(pages):.0f} ms (target first render < 1 s)")
    conn.close()

    if args.browser:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync"])
            times = []
            for _ in range(5):
                page = b.new_page()
                t = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/events", wait_until="load")
                page.wait_for_selector("#events tbody tr")
                times.append(1000 * (time.perf_counter() - t))
                page.close()
            b.close()
        print(f"/events first render in Chromium (load event, rows visible): "
              f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")

    print(f"load average {os.getloadavg()[0]:.2f}")
    server.should_exit = True
    thread.join(timeout=10)


if __name__ == "__main__":
    main()
