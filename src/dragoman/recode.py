"""``recode``: re-extract every stored document with the current coder and swap it in.

This is the library function behind ``dragoman recode``::

    old segments ─▶ documents (text kept in the store) ─▶ engine.run (Pipeline)
                 ─▶ one new segment per old one, with the old one's duplicates and runs
                 ─▶ SegmentSwap: parts invisible until the last segment commits them all

A user who upgrades the event model (or the lexicon) brings a store up to date without the
input files: the documents table keeps each article's text. Readers see every old record
until the swap's last ``rename`` and every new one after it, never both and never neither;
an exception or a crash before that leaves the old records as they were.

What changed is told event by event: an old and a new event are the same event when they
share the document, the sentence and the trigger span. A pair whose type, mode, context,
actor, recipient, negation, modality, attribution, location or date differ is *changed*;
an event only in the new records is *added*, one only in the old records *removed*.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from . import __version__
from .config import Config
from .engines import Engine, get_engine
from .runner import new_run_id
from .store import Store
from .store.manifest import SegmentInfo
from .store.schema import RECORD_TABLES, result_rows
from .store.segments import SegmentSwap
from .types import Article, Result

__all__ = ["RecodeSummary", "diff_events", "recode"]

log = logging.getLogger(__name__)

#: the event fields whose difference makes a matched event "changed"
COMPARED = ("event_type", "mode", "context", "actor", "recipient", "negated", "modality",
            "attributed_to", "location", "date")


@dataclass
class RecodeSummary:
    """What a recode did and what changed, event types as keys of the counters."""

    run_id: str
    store: str
    segments: int = 0  # old segments replaced
    documents: int = 0  # documents re-extracted
    kept: int = 0  # documents kept as they were (duplicates, or no result from the engine)
    events_before: int = 0
    events_after: int = 0
    unchanged: int = 0
    added: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    changed: Counter[str] = field(default_factory=Counter)  # by the new event's type
    type_changes: Counter[str] = field(default_factory=Counter)  # "OLD -> NEW"
    fields: Counter[str] = field(default_factory=Counter)  # which fields changed, how often
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        types = sorted(set(self.added) | set(self.removed) | set(self.changed))
        return {
            "run_id": self.run_id, "store": self.store, "segments": self.segments,
            "documents": self.documents, "kept": self.kept,
            "events_before": self.events_before, "events_after": self.events_after,
            "added": sum(self.added.values()), "removed": sum(self.removed.values()),
            "changed": sum(self.changed.values()), "unchanged": self.unchanged,
            "by_type": {t: {"added": self.added[t], "removed": self.removed[t],
                            "changed": self.changed[t]} for t in types},
            "type_changes": dict(self.type_changes.most_common()),
            "fields": dict(self.fields.most_common()),
            "seconds": round(self.seconds, 3),
        }


def _key(row: dict[str, Any]) -> tuple[str, int, int, int]:
    return (row["doc_id"], row["sentence"]["start"], row["trigger"]["start"],
            row["trigger"]["end"])


def _ref(ref: dict[str, Any] | None) -> tuple[Any, ...] | None:
    if ref is None:
        return None
    return (ref.get("start"), ref.get("end"), ref.get("name"), ref.get("country"),
            ref.get("sector"), ref.get("kb_id"))


def _view(row: dict[str, Any]) -> dict[str, Any]:
    """The compared fields of an event row, as comparable plain values."""
    location = row.get("location")
    return {
        "event_type": row.get("event_type"),
        "mode": row.get("mode"),
        "context": tuple(row.get("context") or ()),
        "actor": tuple(_ref(r) for r in row.get("actor") or ()),
        "recipient": tuple(_ref(r) for r in row.get("recipient") or ()),
        "negated": row.get("negated"),
        "modality": row.get("modality"),
        "attributed_to": _ref(row.get("attributed_to")),
        "location": None if location is None else location.get("geonameid"),
        "date": row.get("date"),
    }


def diff_events(old: list[dict[str, Any]], new: list[dict[str, Any]],
                summary: RecodeSummary) -> None:
    """Add to ``summary`` the differences between two lists of event rows.

    Events are matched by (document, sentence start, trigger span); several events on one
    trigger are paired in the order of their compared fields, the unpaired ones counted
    added or removed."""
    by_key: dict[tuple[str, int, int, int], tuple[list[dict[str, Any]], list[dict[str, Any]]]]
    by_key = {}
    for row in old:
        by_key.setdefault(_key(row), ([], []))[0].append(_view(row))
    for row in new:
        by_key.setdefault(_key(row), ([], []))[1].append(_view(row))
    for olds, news in by_key.values():
        olds.sort(key=repr)
        news.sort(key=repr)
        for a, b in zip(olds, news, strict=False):
            diffs = [f for f in COMPARED if a[f] != b[f]]
            if not diffs:
                summary.unchanged += 1
                continue
            summary.changed[b["event_type"]] += 1
            summary.fields.update(diffs)
            if a["event_type"] != b["event_type"]:
                summary.type_changes[f"{a['event_type']} -> {b['event_type']}"] += 1
        for a in olds[len(news):]:
            summary.removed[a["event_type"]] += 1
        for b in news[len(olds):]:
            summary.added[b["event_type"]] += 1


def _read(seg: SegmentInfo, table: str) -> list[dict[str, Any]]:
    entry = seg.files.get(table)
    if entry is None:
        return []
    rows: list[dict[str, Any]] = pq.read_table(seg.path / entry["file"]).to_pylist()
    return rows


def _article(row: dict[str, Any]) -> Article:
    try:
        meta = json.loads(row.get("meta_json") or "{}")
    except ValueError:
        meta = {}
    return Article(id=row["doc_id"], text=row["text"], title=row.get("title"),
                   published=row.get("published"), source=row.get("source"),
                   url=row.get("url"), meta=meta if isinstance(meta, dict) else {},
                   origin=row.get("origin"))


def _extracted(doc: dict[str, Any]) -> bool:
    """Whether a stored document has its own records: all but exact copies (a near-copy
    is extracted and linked to its original)."""
    return doc.get("duplicate_of") is None or doc.get("duplicate_kind") == "near"


class _Pending:
    """One old segment on its way to its replacement."""

    def __init__(self, seg: SegmentInfo, documents: list[dict[str, Any]]) -> None:
        self.seg = seg
        self.documents = documents
        self.waiting = {d["doc_id"] for d in documents if _extracted(d)}
        self.results: list[Result] = []


def _replacement(p: _Pending, summary: RecodeSummary) -> dict[str, list[dict[str, Any]]]:
    """The new segment's rows for an old one, counting what changed."""
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in (*RECORD_TABLES, "runs")}
    recoded = {r.document.doc_id for r in p.results}
    missing = {d["doc_id"] for d in p.documents} - recoded
    lost = sum(1 for d in p.documents if d["doc_id"] in missing and _extracted(d))
    if lost:
        log.warning("recode: %d document(s) of segment %s came back without a result; "
                    "their records are kept as they were", lost, p.seg.id)
    # what is not re-extracted (duplicates, documents without a result) is kept as it was
    for table in RECORD_TABLES:
        rows[table] = [r for r in _read(p.seg, table) if r["doc_id"] in missing]
    rows["runs"] = _read(p.seg, "runs")
    old_events = [r for r in _read(p.seg, "events") if r["doc_id"] in recoded]
    links = {d["doc_id"]: (d.get("duplicate_of"), d.get("duplicate_kind")) for d in p.documents}
    for result in p.results:
        for table, part in result_rows(result).items():
            if table == "documents":  # a near-copy keeps its link to the original
                for row in part:
                    row["duplicate_of"], row["duplicate_kind"] = links.get(
                        row["doc_id"], (None, None))
            rows[table].extend(part)
    new_events = [r for r in rows["events"] if r["doc_id"] in recoded]
    summary.documents += len(recoded)
    summary.kept += len(missing)
    summary.events_before += len(old_events)
    summary.events_after += len(new_events)
    diff_events(old_events, new_events, summary)
    return rows


def recode(
    store_path: str | Path,
    config: Config | None = None,
    *,
    engine: Engine | str = "local",
    run_id: str | None = None,
    on_progress: Callable[[RecodeSummary], None] | None = None,
) -> RecodeSummary:
    """Re-extract every document of the store at ``store_path`` with ``config``'s coder
    and model, swap the new records in atomically, and say what changed.

    Exact duplicates are kept as they are (near-copies are re-extracted). Takes the writer lock
    (``StoreLockedError`` while a run writes). Any exception leaves the old records.
    """
    store = Store.open(store_path)
    config = config or Config()
    run_id = run_id or new_run_id().replace("run-", "recode-", 1)
    eng = get_engine(engine, workers=config.workers) if isinstance(engine, str) else engine
    summary = RecodeSummary(run_id=run_id, store=str(store.root))
    started = time.perf_counter()
    begun = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with SegmentSwap(store, run_id) as swap:
        old = store.segments()
        if not old:
            return summary
        queue: list[_Pending] = []
        owner: dict[str, _Pending] = {}

        def articles() -> Iterator[Article]:
            for seg in old:
                p = _Pending(seg, _read(seg, "documents"))
                queue.append(p)
                for d in p.documents:
                    if d["doc_id"] in p.waiting:
                        owner[d["doc_id"]] = p
                        yield _article(d)

        ready: dict[str, list[dict[str, Any]]] | None = None

        def finish_done() -> None:
            nonlocal ready
            # old segments are replaced in their order, each once all its results are in
            while queue and not queue[0].waiting:
                rows = _replacement(queue.pop(0), summary)
                if ready is not None:
                    swap.write(ready)
                ready = rows

        for result in eng.run(articles(), config, run_id):
            p = owner.pop(result.document.doc_id, None)
            if p is None:
                log.warning("recode: unexpected result for %s: ignored", result.document.doc_id)
                continue
            p.waiting.discard(result.document.doc_id)
            p.results.append(result)
            finish_done()
            if on_progress is not None:
                summary.seconds = time.perf_counter() - started
                on_progress(summary)
        for p in queue:  # segments without documents to re-extract, or results never came
            p.waiting.clear()
        finish_done()
        summary.segments = len(old)
        summary.seconds = time.perf_counter() - started
        last = ready or {}
        last.setdefault("runs", []).append({
            "run_id": run_id, "started": begun,
            "ended": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "dragoman_version": __version__, "model": config.model, "model_version": None,
            "config": json.dumps({**config.to_dict(), "recode": True, "engine": eng.info()},
                                 default=str, sort_keys=True),
            "summary": json.dumps(summary.to_dict(), sort_keys=True),
            "status": "finished",
            "updated": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        })
        swap.commit(last, replaces=tuple(s.id for s in old))
    return summary
