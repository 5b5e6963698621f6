"""``run``: read inputs, skip what the store already has, extract the rest, write segments.

This is the library function behind ``dragoman run`` and ``dragoman demo``::

    inputs ─▶ read_inputs ─▶ (known id? → skip) ─▶ (same content? → duplicate record)
           ─▶ engine.run (Pipeline) ─▶ StoreWriter.add ─▶ segments committed atomically

A document keeps the id its input gives. The same content arriving again under any id is
recorded as a document with ``duplicate_of`` set and is not extracted again (a near-copy is
extracted and linked by ``duplicate_of``); an id the
store already holds is skipped, so running the same input twice adds nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from . import __version__
from .clusters import ClusterSettings, cluster_store
from .config import Config
from .engines import Engine, get_engine
from .errors import DragomanError
from .ingest import NearDuplicateIndex, ReadOptions, content_hash, read_inputs
from .pipeline import dates_disagree, make_document
from .types import Article, Result

__all__ = ["RunSummary", "new_run_id", "run"]

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    """What a run did. ``ok`` is False when nothing could be processed."""

    run_id: str
    store: str
    read: int = 0
    processed: int = 0
    skipped: int = 0  # unreadable / empty / malformed records
    duplicates: int = 0  # same content as a document already in the store or this run
    near_copies: int = 0  # near-copies of an earlier article: extracted, linked by duplicate_of
    already: int = 0  # ids already in the store (rerun)
    events: int = 0
    quotes: int = 0
    places: int = 0
    dates: int = 0
    date_disagreements: int = 0  # documents whose header date is > 2 days from `published`
    seconds: float = 0.0
    issues: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.processed / self.seconds if self.seconds > 0 else 0.0

    @property
    def ok(self) -> bool:
        return self.processed > 0 or (self.read > 0 and self.skipped == 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id, "store": self.store, "read": self.read,
            "processed": self.processed, "skipped": self.skipped,
            "duplicates": self.duplicates, "near_copies": self.near_copies,
            "already": self.already, "events": self.events,
            "quotes": self.quotes, "places": self.places, "dates": self.dates,
            "date_disagreements": self.date_disagreements,
            "seconds": round(self.seconds, 3), "articles_per_second": round(self.rate, 2),
            "issues": len(self.issues),
        }


def new_run_id() -> str:
    """A sortable, unique run id: UTC time plus a random suffix."""
    now = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"run-{now}-{uuid.uuid4().hex[:6]}"


def _issue_text(issue: Any) -> str:
    origin = getattr(issue, "origin", None)
    message = getattr(issue, "message", None) or str(issue)
    if origin and not str(message).startswith(str(origin)):
        return f"{origin}: {message}"
    return str(message)


def _is_skip(issue: Any) -> bool:
    return bool(getattr(issue, "skipped", True))


def run(
    inputs: Sequence[str],
    store_path: str | Path,
    config: Config | None = None,
    *,
    engine: Engine | str = "local",
    read_options: ReadOptions | None = None,
    run_id: str | None = None,
    on_issue: Callable[[str], None] | None = None,
    on_progress: Callable[[RunSummary], None] | None = None,
    articles: Iterable[Article] | None = None,
    detect_near_duplicates: bool = True,
) -> RunSummary:
    """Process ``inputs`` (paths, folders or ``-``) into the store at ``store_path``.

    ``articles`` may be given instead of ``inputs`` (library use). Problems with single
    records are passed to ``on_issue`` and counted; they never stop the run.

    Duplicates: the same normalised content as a stored document or an earlier article of
    this run (``exact``) is recorded as a document with ``duplicate_of``/``duplicate_kind``
    and is not extracted again. A syndicated near-copy of an earlier article of this run
    (``near``: MinHash similarity of word shingles, see ``NearDuplicateIndex``) is extracted
    like any article — its figures or places may differ from the original's — and its
    document keeps ``duplicate_of``/``duplicate_kind="near"`` as a link, so counts can
    include or exclude it.
    """
    from .store import Store

    config = config or Config()
    run_id = run_id or new_run_id()
    eng = get_engine(engine, workers=config.workers) if isinstance(engine, str) else engine
    summary = RunSummary(run_id=run_id, store=str(store_path))

    def report(issue: Any) -> None:
        text = _issue_text(issue)
        summary.issues.append(text)
        if _is_skip(issue):
            summary.skipped += 1
        log.warning("%s", text)
        if on_issue is not None:
            on_issue(text)

    store = Store.open(store_path, create=True)
    options = dataclasses.replace(read_options or ReadOptions(), min_chars=config.min_chars)
    source: Iterable[Article] = (
        articles if articles is not None
        else read_inputs(list(inputs), options, on_error=report)
    )
    started = time.perf_counter()
    with store.writer(run_id, segment_size=config.segment_size) as writer:
        known = store.known_documents()
        hashes: dict[str, str] = dict(known.hashes)
        near = NearDuplicateIndex() if detect_near_duplicates else None
        near_links: dict[str, tuple[str, str]] = {}  # near-copy id → (original, kind)
        writer.begin_run({
            "run_id": run_id,
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "dragoman_version": __version__,
            "engine": json.dumps(eng.info()),
            "config": json.dumps(config.to_dict()),
            "inputs": json.dumps([str(i) for i in inputs]),
        })

        def fresh() -> Iterator[Article]:
            seen_ids: set[str] = set()
            for article in source:
                summary.read += 1
                where = article.origin or article.id
                size = len(article.text)
                if size > config.max_article_chars:
                    report(_Skip(where, f"article {article.id!r} has {size:,} characters, more "
                                 f"than max_article_chars={config.max_article_chars:,}; skipped "
                                 "(raise max_article_chars to process it)"))
                    continue
                if not _has_chars(article.text, config.min_chars):
                    report(_Skip(where, "empty article (no text to process)"))
                    continue
                if size > config.max_chars:
                    parts = -(-size // config.max_chars)
                    report(_Skip(where, f"article {article.id!r} has {size:,} characters, more "
                                 f"than max_chars={config.max_chars:,}; parsed in about {parts} "
                                 "parts", skipped=False))
                if article.id in known or article.id in seen_ids:
                    summary.already += 1
                    if near is not None and article.id not in seen_ids:
                        # committed by an earlier (perhaps killed) run of this input: its
                        # copies later in the input must still be found as near-duplicates
                        near.check_and_add(article.id, article.text)
                    seen_ids.add(article.id)
                    continue
                seen_ids.add(article.id)
                h = content_hash(article.text)
                original, kind = hashes.get(h), "exact"
                if original is None and near is not None:
                    match = near.check_and_add(article.id, article.text)
                    if match is not None:
                        original, kind = match.doc_id, match.kind
                if original is not None and kind == "exact":
                    summary.duplicates += 1
                    writer.add(Result(document=make_document(
                        article, run_id, duplicate_of=original, duplicate_kind=kind)))
                    continue
                if original is not None:
                    # a near-copy is extracted (its figures may differ) and keeps the link
                    summary.near_copies += 1
                    near_links[article.id] = (original, kind)
                hashes[h] = article.id
                yield article

        for result in eng.run(fresh(), config, run_id):
            link = near_links.pop(result.document.doc_id, None)
            if link is not None:
                result = dataclasses.replace(result, document=dataclasses.replace(
                    result.document, duplicate_of=link[0], duplicate_kind=link[1]))
            writer.add(result)
            summary.processed += 1
            summary.events += len(result.events)
            summary.quotes += len(result.quotes)
            summary.places += len(result.places)
            summary.dates += len(result.dates)
            summary.date_disagreements += dates_disagree(result.document)
            summary.seconds = time.perf_counter() - started
            if on_progress is not None:
                on_progress(summary)
        writer.flush()
        summary.seconds = time.perf_counter() - started
        writer.finish_run({**summary.to_dict(),
                           "ended": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
    if config.cluster and summary.processed:
        # the run is committed: a failure here (a bad overrides file, no memory left) loses
        # nothing and must not fail the run; it is reported and `dragoman cluster` redoes it
        try:
            cluster_store(store, ClusterSettings(config.cluster_days, config.cluster_km,
                                                 config.cluster_min_alike))
        except (DragomanError, duckdb.Error, MemoryError, OSError) as exc:
            report(_Skip(str(store.root), f"clustering skipped: {exc} (fix it and run "
                         "`dragoman cluster`)", skipped=False))
    return summary


def _has_chars(text: str, n: int) -> bool:
    """Whether ``text`` has at least ``n`` non-space characters (stops counting at ``n``)."""
    if n <= 0:
        return True
    count = 0
    for c in text:
        if not c.isspace():
            count += 1
            if count >= n:
                return True
    return False


@dataclass(frozen=True)
class _Skip:
    origin: str
    message: str
    skipped: bool = True
