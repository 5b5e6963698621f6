"""Helpers of the browser tests: Chromium's arguments, a watch on what a page does that it
should not, screenshots under ``test-artifacts/web/`` and the injected-markup check."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "web"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@contextlib.contextmanager
def serving(store_root: Path) -> Iterator[tuple[str, Any]]:
    """A real uvicorn server on loopback over a store, in a background thread: (url, app)."""
    import uvicorn

    from dragoman.web import LOOPBACK_HOSTS, create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    app = create_app(Path(store_root), allowed_hosts=LOOPBACK_HOSTS)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class Watch:
    """Everything a page did that it should not: dialogs, JS errors, off-origin requests."""

    def __init__(self, page: Any, origin: str) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.failed: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("request", lambda r: None if r.url.startswith((origin, "data:"))
                else self.foreign.append(r.url))
        page.on("requestfailed", self._failed)

    def _failed(self, request: Any) -> None:
        reason = request.failure or ""
        if "ERR_ABORTED" in reason:
            return  # abandoned by the page itself on navigation (a favicon mid-load), no error
        self.failed.append(f"{request.url} ({reason})")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self) -> None:
        assert self.dialogs == [], f"a dialog fired: {self.dialogs}"
        assert self.errors == [], self.errors
        assert self.foreign == [], f"requests outside the app: {self.foreign}"
        assert self.failed == [], self.failed


def shot(pg: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path


def assert_no_injected_elements(pg: Any) -> None:
    found = pg.evaluate("""() => ({
        inlineScripts: document.querySelectorAll('script:not([src])').length,
        foreignScripts: [...document.scripts].filter(s => !s.src.startsWith(location.origin)).length,
        imgs: document.querySelectorAll('img').length,
        jsLinks: [...document.querySelectorAll('a[href]')].filter(
            a => (a.getAttribute('href') || '').trim().toLowerCase().startsWith('javascript:')).length,
        handlers: [...document.querySelectorAll('*')].filter(
            el => [...el.attributes].some(at => at.name.startsWith('on'))).length,
    })""")
    assert found == {"inlineScripts": 0, "foreignScripts": 0, "imgs": 0, "jsLinks": 0,
                     "handlers": 0}, found
