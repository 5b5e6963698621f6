"""Content hashes for ids and duplicate detection (STUB — the ingest work replaces this)."""

from __future__ import annotations

import hashlib
import re

__all__ = ["content_hash", "normalize_for_hash"]

_WS = re.compile(r"\s+")


def normalize_for_hash(text: str) -> str:
    return _WS.sub(" ", text).strip().casefold()


def content_hash(text: str) -> str:
    """A stable hash of an article's normalised text (whitespace and case insensitive)."""
    return hashlib.sha1(normalize_for_hash(text).encode("utf-8")).hexdigest()
