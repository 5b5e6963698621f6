"""Reading gold files: one JSON document per line, spans as ``{start, end, text}``."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..extract import DocContext
from ..pipeline import Pipeline, make_document
from ..types import Article

__all__ = ["gold_article", "gold_contexts", "match_by_overlap", "read_gold"]


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
            if not isinstance(doc, dict) or ("text" not in doc and "corpus" not in doc):
                raise InputError(f"{p}:{lineno}: a gold document needs a 'text' field "
                                 "(or 'corpus' and 'id' naming a corpus article)")
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


def gold_contexts(pipeline: Pipeline, gold: Path, limit: int | None,
              timer: list[float]) -> Iterator[tuple[dict[str, Any], DocContext]]:
    """(gold document, DocContext) pairs: each gold text parsed over its body, no extractor
    run yet; ``timer[0]`` accumulates the time spent in ``nlp.pipe``."""

    def bodies() -> Iterator[tuple[str, tuple[dict[str, Any], Any, Any]]]:
        for g in read_gold(gold, limit):
            article = gold_article(g)
            document = make_document(article, pipeline.run_id)
            assert document.dateline is not None
            b = document.dateline.body
            yield article.text[b.start:b.end], (g, article, document)

    it = pipeline.parse(bodies())
    while True:
        t0 = time.perf_counter()
        try:
            doc, (g, article, document) = next(it)
        except StopIteration:
            return
        timer[0] += time.perf_counter() - t0
        yield g, DocContext(doc_id=article.id, run_id=pipeline.run_id, article=article,
                            dateline=document.dateline, doc=doc,
                            base=document.dateline.body.start, resources=pipeline.resources)


def match_by_overlap(gold: list[dict[str, Any]], pred: Sequence[Any]) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs, one to one: each gold span takes the unused
    prediction (anything with ``start``/``end``) that overlaps it most."""
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for gi, g in enumerate(gold):
        best, best_ov = None, 0
        for pi, p in enumerate(pred):
            if pi in used:
                continue
            ov = min(g["end"], p.end) - max(g["start"], p.start)
            if ov > best_ov:
                best, best_ov = pi, ov
        if best is not None:
            used.add(best)
            pairs.append((gi, best))
    return pairs
