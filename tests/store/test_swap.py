"""SegmentSwap: many new segments replace the old ones in one commit, or not at all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dragoman.errors import StoreLockedError
from dragoman.store import Store
from dragoman.store import segments as segments_module
from dragoman.store.segments import SegmentSwap, _rows_to_tables, write_segment
from dragoman.types import Document, Result, to_dict


def _document(doc_id: str, run_id: str) -> Document:
    return Document(doc_id=doc_id, text=f"text of {doc_id}", title=None, published=None,
                    source=None, url=None, content_hash=f"h-{doc_id}", dateline=None,
                    run_id=run_id)


def _doc(doc_id: str, run_id: str) -> dict[str, Any]:
    row: dict[str, Any] = to_dict(_document(doc_id, run_id))
    return row


def _ids(store: Store) -> list[tuple[str, str]]:
    rows = store.connect().execute("SELECT doc_id, run_id FROM documents ORDER BY doc_id")
    return [(r[0], r[1]) for r in rows.fetchall()]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "s", create=True)
    with store.writer("old", segment_size=2) as writer:
        for i in range(5):
            writer.add(Result(document=_document(f"d{i}", "old")))
    assert len(store.segments()) == 3
    return store


def test_parts_stay_hidden_until_the_commit(store: Store,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # replaced segments are removed once their grace period is over (0 here)
    monkeypatch.setattr(segments_module, "REPLACED_GRACE_SECONDS", 0.0)
    old = [s.id for s in store.segments()]
    with SegmentSwap(store, "new") as swap:
        swap.write({"documents": [_doc("d0", "new"), _doc("d1", "new")]})
        swap.write({"documents": [_doc("d2", "new"), _doc("d3", "new")]})
        # a reader between the parts and the commit sees every old record and no new one
        assert _ids(store) == [(f"d{i}", "old") for i in range(5)]
        with pytest.raises(StoreLockedError):
            store.writer("other")
        swap.commit({"documents": [_doc("d4", "new")]}, replaces=tuple(old))
        assert _ids(store) == [(f"d{i}", "new") for i in range(5)]
    # the parts lost their pending mark; the old segments are gone from disk
    names = store.segment_names()
    assert not set(old) & set(names)
    for seg in store.segments(include_replaced=True):
        assert "pending" not in seg.manifest
    assert _ids(Store.open(store.root)) == [(f"d{i}", "new") for i in range(5)]


def test_an_exception_before_the_commit_leaves_the_old_records(store: Store) -> None:
    before = store.segment_names()
    with pytest.raises(RuntimeError, match="boom"), SegmentSwap(store, "new") as swap:
        swap.write({"documents": [_doc("d0", "new")]})
        raise RuntimeError("boom")
    assert store.segment_names() == before
    assert _ids(store) == [(f"d{i}", "old") for i in range(5)]
    assert not store.lock_path.exists()


def test_a_crash_leaves_parts_that_the_next_writer_removes(store: Store) -> None:
    before = store.segment_names()
    # what a killed recode leaves: a committed part marked pending, no commit
    part = write_segment(store, {}, "new", extra={"pending": "swap-dead"})
    assert _ids(store) == [(f"d{i}", "old") for i in range(5)]
    assert part in store.segment_names()
    with store.writer("next"):
        pass
    assert store.segment_names() == before


def test_a_crash_after_the_commit_is_finished_by_the_next_writer(store: Store,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # replaced segments are removed once their grace period is over (0 here)
    monkeypatch.setattr(segments_module, "REPLACED_GRACE_SECONDS", 0.0)
    old = tuple(s.id for s in store.segments())
    # killed after the commit, before the parts lost their pending mark and the old folders
    # were removed: readers already see the new records only
    part = write_segment(store, _rows_to_tables({"documents": [_doc("d0", "new")]}), "new",
                         extra={"pending": "swap-x"})
    write_segment(store, _rows_to_tables({"documents": [_doc("d1", "new")]}), "new",
                  replaces=old, extra={"commits": "swap-x", "parts": [part]})
    assert _ids(store) == [("d0", "new"), ("d1", "new")]
    with store.writer("next"):
        pass
    manifest = json.loads((store.segments_dir / part / "manifest.json").read_text())
    assert "pending" not in manifest
    assert not set(old) & set(store.segment_names())
    assert _ids(store) == [("d0", "new"), ("d1", "new")]
