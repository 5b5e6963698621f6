"""Fixtures of the dashboard tests (data and helpers in ``web_store_data``)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import CHROMIUM_ARGS, serving
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


@pytest.fixture(scope="session")
def live_server(web_store: dict[str, Any]) -> Iterator[str]:
    """A real uvicorn server on loopback over the test store, in a background thread."""
    with serving(web_store["root"]) as (url, _):
        yield url


FAKES = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "fakes.jsonl"


@pytest.fixture(scope="session")
def fakes_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the 804 FA-KES Syria articles, built once by ``dragoman run --workers 2``.

    It needs ``../shared`` (CI has it): without it the tests that use it fail, loudly.
    ``DRAGOMAN_TEST_FAKES_STORE`` names a store already built that way, to reuse it
    (a developer's shortcut; CI builds it).
    """
    reuse = os.environ.get("DRAGOMAN_TEST_FAKES_STORE")
    if reuse and (Path(reuse) / "store.json").is_file():
        return Path(reuse)
    if not FAKES.is_file():
        pytest.fail(f"{FAKES} is missing: the dashboard question tests need ../shared/corpus "
                    "(a checkout of the shared folder beside the repository)", pytrace=False)
    root = tmp_path_factory.mktemp("fakes") / "store"
    done = subprocess.run(
        [sys.executable, "-m", "dragoman", "run", "--workers", "2", "-q", "--store",
         str(root), str(FAKES)],
        capture_output=True, text=True, timeout=900, check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"dragoman run on {FAKES} failed ({done.returncode}):\n{done.stderr[-3000:]}",
                    pytrace=False)
    return root


@pytest.fixture(scope="session")
def fakes_server(fakes_store: Path) -> Iterator[str]:
    """A real uvicorn server over the FA-KES store, on loopback."""
    with serving(fakes_store) as (url, app):
        app.state.store.reader().wait_indexed(60)
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, one for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()
