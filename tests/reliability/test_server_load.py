"""A small load test of ``dragoman serve`` over the demo store, from this (second) process.

200 requests at 10 concurrent clients on loopback, the mix of ``bench/server_load.py`` (API
filters, single events and documents, aggregates, pages, static files, and requests that must
be refused with a 4xx): no error, and the server's RSS grows by less than 64 MB over the run
after a warm-up (the demo store is a few hundred KB; the app keeps no per-request state, so
anything near that bound is a leak). The full 2,000-request run is the bench script.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from reliability_corpus import REPO

pytestmark = pytest.mark.slow


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("server_load", REPO / "bench" /
                                                  "server_load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["server_load"] = module
    spec.loader.exec_module(module)
    return module


def test_two_hundred_requests_ten_clients_no_errors_bounded_memory(tmp_path: Path) -> None:
    bench = _bench()
    store = tmp_path / "demo-store"
    bench.build_demo_store(store)
    figures = bench.measure(store, n=200, concurrency=10)
    assert figures["requests"] == 200
    assert figures["errors"] == 0 and figures["warmup_errors"] == 0, figures["first_errors"]
    assert sum(v for k, v in figures["by_status"].items() if k.startswith("4")) > 0
    assert figures["server_rss_growth_mb"] < 64, figures
