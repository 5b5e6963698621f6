"""Reading gold files: one JSON document per line, spans as ``{start, end, text}``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..types import Article

__all__ = ["read_gold", "gold_article"]


def read_gold(path: str | Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The documents of a gold JSONL file (``limit`` first ones)."""
    p = Path(path)
    try:
        fh = p.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read gold file {p}: {exc}") from exc
    with fh:
        n = 0
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{p}:{lineno}: not valid JSON ({exc})") from exc
            if not isinstance(doc, dict) or "text" not in doc:
                raise InputError(f"{p}:{lineno}: a gold document needs a 'text' field")
            yield doc
            n += 1
            if limit is not None and n >= limit:
                return


def gold_article(doc: dict[str, Any]) -> Article:
    """The article a gold document describes (gold fields are not passed on)."""
    return Article(
        id=str(doc.get("id") or ""),
        text=doc["text"],
        title=doc.get("title"),
        published=doc.get("published"),
        source=doc.get("source"),
        url=doc.get("url"),
    )
