"""Round trip: random results → store → query / iter_table / JSONL export → equal to to_dict."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from records import results

from dragoman.query import get_document, get_event, iter_table, query_quotes
from dragoman.query.export import export
from dragoman.store import Store
from dragoman.types import Result, to_dict

TABLE_FIELDS = ("events", "quotes", "places", "dates", "actors", "frames")


def _key(d: dict) -> str:
    return json.dumps(d, sort_keys=True, ensure_ascii=False)


def _expected(batch: list[Result], table: str) -> list[dict]:
    if table == "documents":
        return [to_dict(r.document) for r in batch]
    return [to_dict(x) for r in batch for x in getattr(r, table)]


def _same(a: list[dict], b: list[dict]) -> bool:
    return sorted(map(_key, a)) == sorted(map(_key, b))


@st.composite
def batches(draw: st.DrawFn) -> list[Result]:
    ids = draw(st.lists(st.text(max_size=6).filter(lambda s: "\ud800" not in s),
                        min_size=1, max_size=4, unique=True))
    return [draw(results(doc_id=d)) for d in ids]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=batches())
def test_roundtrip(batch: list[Result]) -> None:
    root = Path(tempfile.mkdtemp(prefix="dragoman-rt-"))
    try:
        store = Store.open(root / "s", create=True)
        with store.writer("run", segment_size=2) as w:
            for r in batch:
                w.add(r)
        for table in ("documents", *TABLE_FIELDS):
            expected = _expected(batch, table)
            got = list(iter_table(store, table))
            assert _same(got, expected), table
            if table == "runs":
                continue
            buf = io.BytesIO()
            n = export(store, table, "jsonl", buf)
            lines = [json.loads(x) for x in buf.getvalue().decode("utf-8").split("\n") if x]
            assert n == len(expected)
            assert _same(lines, expected), f"{table} via export"
        for r in batch:
            doc = get_document(store, r.document.doc_id)
            assert doc is not None
            assert doc["document"] == to_dict(r.document)
            for table in TABLE_FIELDS:
                assert _same(doc[table], _expected([r], table)), table
            for e in r.events:
                got = get_event(store, e.id)
                # ids are random text here and may repeat; one of the equal-id events
                same_id = [to_dict(x) for x in r.events if x.id == e.id]
                assert got in same_id or any(
                    got == to_dict(x) for b in batch for x in b.events if x.id == e.id
                )
        quotes = query_quotes(store, limit=10_000)
        assert _same(quotes, _expected(batch, "quotes"))
    finally:
        shutil.rmtree(root, ignore_errors=True)
