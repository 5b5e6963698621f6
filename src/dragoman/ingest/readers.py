"""Readers (STUB — the ingest work replaces this)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ..errors import RecordError
from ..types import Article

__all__ = ["ReadOptions", "read_inputs"]


@dataclass(frozen=True)
class ReadOptions:
    text_column: str = "text"
    id_column: str = "id"
    title_column: str = "title"
    published_column: str = "published"
    source_column: str = "source"
    url_column: str = "url"


def read_inputs(
    inputs: Sequence[str],
    options: ReadOptions = ReadOptions(),
    on_error: Callable[[RecordError], None] | None = None,
) -> Iterator[Article]:
    for path in inputs:
        with open(path, encoding="utf-8") as fh:
            for i, line in enumerate(fh, 1):
                d = json.loads(line)
                yield Article(id=str(d["id"]), text=d["text"], published=d.get("published"),
                              source=d.get("source"), origin=f"{path}:{i}")
