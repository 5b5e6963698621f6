"""dragoman's dashboard: ``create_app`` (a FastAPI app over a store) and ``serve`` (uvicorn).

The app is read-only over the store and fully offline (no CDN, no tiles, no web fonts).
FastAPI, Jinja2 and uvicorn are imported only when this package is.
"""

from __future__ import annotations

import ipaddress
import logging
from pathlib import Path

from fastapi import FastAPI

from .app import create_app

__all__ = ["LOOPBACK_HOSTS", "create_app", "serve"]

log = logging.getLogger(__name__)

#: Host headers accepted when the server is bound to a loopback address.
LOOPBACK_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]", "::1")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(store_path: str | Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the dashboard over ``store_path`` with uvicorn until interrupted.

    Binds to loopback by default; on a loopback address only loopback ``Host`` headers are
    accepted (DNS-rebinding protection). Raises ``StoreError`` if the store cannot be opened.
    """
    import uvicorn

    allowed = LOOPBACK_HOSTS if _is_loopback(host) else None
    app: FastAPI = create_app(store_path, allowed_hosts=allowed)
    log.info("dragoman dashboard on http://%s:%d/ over %s", host, port, store_path)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
