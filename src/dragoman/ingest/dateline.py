"""Datelines and bylines (STUB — the ingest work replaces this)."""

from __future__ import annotations

from ..types import Dateline, Span

__all__ = ["split_dateline"]


def split_dateline(text: str) -> Dateline:
    return Dateline(body=Span(0, len(text), text))
