"""Bounded load test of ``dragoman serve`` from a second process, on loopback only.

Builds a store from the bundled samples (``dragoman demo --store``) unless ``--store`` is
given, starts ``dragoman serve`` on 127.0.0.1 on a free port in a subprocess, then sends
``--requests`` requests from this process with ``--concurrency`` concurrent clients
(httpx ``AsyncClient``): a mix of API calls with filters, single events and documents,
aggregates, HTML pages, static assets, and requests that must be refused (400/404/422).
Reports errors (5xx, connection failures, any status other than the one expected),
p50/p95/p99 latency, throughput, and the server's RSS before and after.

    .venv/bin/python bench/server_load.py                      # 2,000 requests, 20 clients
    .venv/bin/python bench/server_load.py --requests 20000 --record

Not part of the test run (``tests/reliability/test_server_load.py`` runs a small version).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"


@dataclass
class LoadResult:
    requests: int = 0
    errors: int = 0
    unexpected: list[str] = field(default_factory=list)  # first few error descriptions
    by_status: dict[int, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def quantile(self, q: float) -> float:
        if not self.latencies_ms:
            return 0.0
        xs = sorted(self.latencies_ms)
        return xs[min(len(xs) - 1, int(q * len(xs)))]

    def to_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "errors": self.errors,
            "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
            "p50_ms": round(self.quantile(0.50), 1),
            "p95_ms": round(self.quantile(0.95), 1),
            "p99_ms": round(self.quantile(0.99), 1),
            "max_ms": round(max(self.latencies_ms, default=0.0), 1),
            "mean_ms": round(statistics.fmean(self.latencies_ms), 1) if self.latencies_ms else 0,
            "requests_per_second": round(self.requests / self.seconds, 1) if self.seconds else 0,
            "first_errors": self.unexpected[:5],
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MB (from /proc)."""
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def build_demo_store(root: Path) -> None:
    subprocess.run([sys.executable, "-m", "dragoman", "demo", "--store", str(root), "--quiet"],
                   check=True, capture_output=True, text=True)


class Server:
    """``dragoman serve`` in a subprocess on a free loopback port (a context manager)."""

    def __init__(self, store: Path, port: int | None = None) -> None:
        self.store = store
        self.port = port or free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Self:
        import httpx

        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dragoman", "serve", "--store", str(self.store), "--host",
             HOST, "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while True:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise RuntimeError(f"dragoman serve exited {self.proc.returncode}: {err}")
            try:
                if httpx.get(self.base + "/api/summary", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("dragoman serve did not answer within 120 s")
            time.sleep(0.2)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def request_mix(base: str, seed: int = 0) -> list[tuple[str, int]]:
    """(path, expected status) pairs covering the app, built from the store's own ids."""
    import httpx

    page = httpx.get(base + "/api/events", params={"limit": 200}, timeout=30).json()
    events = page["events"]
    event_ids = [e["id"] for e in events] or ["none"]
    doc_ids = sorted({e["doc_id"] for e in events}) or ["none"]
    actors = sorted({(a.get("name") or a["text"]).split()[-1]
                     for e in events for a in e["actor"]}) or ["army"]
    rng = random.Random(seed)
    fixed: list[tuple[str, int]] = [
        ("/api/summary", 200), ("/api/timeline", 200), ("/api/network", 200),
        ("/api/locations", 200), ("/api/events?limit=50", 200),
        ("/api/events?order=-confidence&limit=20", 200),
        ("/api/events?type=ASSAULT&type=ACCUSE", 200), ("/api/events?quad=3&quad=4", 200),
        ("/api/events?since=2017-01-01&until=2030-12-31", 200),
        ("/api/events?text=minister", 200), ("/api/events?offset=5&limit=5", 200),
        ("/events", 200), ("/timeline", 200), ("/map", 200), ("/network", 200),
        ("/static/style.css", 200), ("/static/common.js", 200),
        # refused requests: must be 4xx, never 5xx
        ("/api/events?limit=0", 422), ("/api/events?since=2017-02-30", 400),
        ("/api/events?order=drop_table", 400), ("/api/events/no-such-event", 404),
        ("/api/documents/no-such-doc", 404), ("/static/../pyproject.toml", 404),
    ]
    mix = list(fixed)
    for _ in range(40):
        mix.append((f"/api/events/{rng.choice(event_ids)}", 200))
        mix.append((f"/api/documents/{rng.choice(doc_ids)}", 200))
        mix.append((f"/documents/{rng.choice(doc_ids)}", 200))
        mix.append((f"/events/{rng.choice(event_ids)}", 200))
        mix.append((f"/api/events?actor={rng.choice(actors)}&limit=20", 200))
    return mix


async def _load(base: str, mix: list[tuple[str, int]], n: int, concurrency: int,
                seed: int) -> LoadResult:
    import httpx

    result = LoadResult()
    rng = random.Random(seed)
    plan = [rng.choice(mix) for _ in range(n)]
    queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
    for item in plan:
        queue.put_nowait(item)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker() -> None:
            while True:
                try:
                    path, expected = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                    await r.aread()
                    status = r.status_code
                except httpx.HTTPError as e:
                    status = -1
                    result.unexpected.append(f"{path}: {type(e).__name__}: {e}")
                result.latencies_ms.append((time.perf_counter() - t0) * 1000)
                result.requests += 1
                result.by_status[status] = result.by_status.get(status, 0) + 1
                ok = status == expected or (expected == 400 and status == 422) or (
                    expected == 422 and status == 400)
                if not ok:
                    result.errors += 1
                    if status != -1:
                        result.unexpected.append(f"{path}: {status}, expected {expected}")

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.seconds = time.perf_counter() - t0
    return result


def load(base: str, n: int, concurrency: int, seed: int = 0) -> LoadResult:
    """Send ``n`` requests of the mix with ``concurrency`` clients; the measurements."""
    mix = request_mix(base, seed)
    return asyncio.run(_load(base, mix, n, concurrency, seed))


def measure(store: Path, n: int, concurrency: int, seed: int = 0) -> dict[str, Any]:
    """Start a server over ``store``, warm it up, load it; the figures as a dict."""
    with Server(store) as server:
        warm = load(server.base, 100, 4, seed=seed + 1)  # first touch of every page
        rss_before = rss_mb(server.pid)
        result = load(server.base, n, concurrency, seed=seed)
        rss_after = rss_mb(server.pid)
        return {
            **result.to_dict(),
            "concurrency": concurrency,
            "warmup_errors": warm.errors,
            "server_rss_before_mb": round(rss_before, 1),
            "server_rss_after_mb": round(rss_after, 1),
            "server_rss_growth_mb": round(rss_after - rss_before, 1),
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, default=None,
                    help="Store to serve (default: a new demo store in a temp folder).")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--record", action="store_true", help="Append to bench/RESULTS.md.")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "demo-store"
            build_demo_store(store)
        figures = measure(store, args.requests, args.concurrency, args.seed)
    figures["store"] = "demo (bundled samples)" if args.store is None else str(args.store)
    if args.record:
        sys.path.insert(0, str(HERE))
        from _common import record

        record("server load (dragoman serve, loopback)", figures, [
            ("errors = 5xx, connection failures, or any status other than the expected one "
            "(refused requests must be 4xx)"),
            "RSS of the server process after a 100-request warm-up and after the load",
        ])
    else:
        print(json.dumps(figures))
    sys.exit(1 if figures["errors"] or figures["warmup_errors"] else 0)


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
