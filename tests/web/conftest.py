"""Fixtures of the dashboard tests (data and helpers in ``web_store_data``)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from web_store_data import ARTICLES, crafted_result, write_store

from dragoman import Pipeline


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("web") / "store"
    results = write_store(root, pipeline, ARTICLES, extra=(crafted_result(pipeline.run_id),))
    return {"root": root, "results": results}


@pytest.fixture(scope="session")
def client(web_store: dict[str, Any]) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from dragoman.web import create_app

    with TestClient(create_app(web_store["root"]), raise_server_exceptions=False) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(web_store: dict[str, Any]) -> Iterator[str]:
    """A real uvicorn server on loopback over the test store, in a background thread."""
    import uvicorn

    from dragoman.web import LOOPBACK_HOSTS, create_app

    port = free_port()
    app = create_app(web_store["root"], allowed_hosts=LOOPBACK_HOSTS)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
