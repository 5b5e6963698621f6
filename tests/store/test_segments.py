"""The store on disk: opening, segments, atomic commits, the lock, compaction, checks."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from records import simple_result

from dragoman.errors import SchemaVersionError, StoreError, StoreLockedError
from dragoman.store import SCHEMA_VERSION, TABLES, Store, check_store, compact
from dragoman.store.schema import result_rows, table_schema
from dragoman.store.segments import write_segment


def write(store: Store, doc_ids: list[str], run_id: str = "r1", segment_size: int = 500) -> None:
    with store.writer(run_id, segment_size=segment_size) as w:
        w.begin_run({"started": "2024-01-01T00:00:00Z", "model": "m", "config": {"a": 1}})
        for d in doc_ids:
            w.add(simple_result(d, run_id=run_id))
        w.finish_run({"processed": len(doc_ids)})


def count(store: Store, table: str) -> int:
    con = store.connect()
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_open_missing_without_create(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "nope")
    (tmp_path / "dir").mkdir()
    with pytest.raises(StoreError, match="not a dragoman store"):
        Store.open(tmp_path / "dir")


def test_create_refuses_a_non_empty_foreign_directory(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not empty"):
        Store.open(tmp_path, create=True)


def test_create_and_empty_views(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s", create=True)
    info = json.loads((store.root / "store.json").read_text())
    assert info["schema_version"] == SCHEMA_VERSION == store.schema_version()
    assert store.tables() == TABLES
    con = store.connect()
    for table in TABLES:
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    cols = [r[0] for r in con.execute("DESCRIBE events").fetchall()]
    assert cols[:4] == ["id", "doc_id", "run_id", "sentence"]
    assert "actor" in cols and "location" in cols
    assert len(store.known_documents()) == 0


def test_newer_schema_version_is_refused(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s", create=True)
    meta = store.root / "store.json"
    info = json.loads(meta.read_text())
    info["schema_version"] = SCHEMA_VERSION + 1
    meta.write_text(json.dumps(info))
    with pytest.raises(SchemaVersionError, match="upgrade dragoman"):
        Store.open(store.root)


def test_segments_every_segment_size_docs_and_runs(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s", create=True)
    write(store, [f"d{i}" for i in range(5)], segment_size=2)
    # 2 + 2 + 1 documents; the last flush also carries the finished run
    assert len(store.segments()) == 3
    for seg in store.segments():
        assert set(seg.files) == set(TABLES)
        for entry in seg.files.values():
            assert (seg.path / entry["file"]).stat().st_size == entry["bytes"]
    assert count(store, "documents") == 5
    assert count(store, "events") == 10
    con = store.connect()
    runs = con.execute("SELECT run_id, status, model, config, summary FROM runs").fetchall()
    assert len(runs) == 1
    run_id, status, model, config, summary = runs[0]
    assert (run_id, status, model) == ("r1", "finished", "m")
    assert json.loads(config) == {"a": 1}
    assert json.loads(summary)["processed"] == 5
    known = store.known_documents()
    assert "d3" in known and "zz" not in known
    assert known.hashes["hash-d3"] == "d3"


def test_rerun_writes_nothing_twice(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s", create=True)
    write(store, ["a", "b"])
    with store.writer("r2") as w:
        w.add(simple_result("a", run_id="r2"))
        w.add(simple_result("c", run_id="r2"))
        w.add(simple_result("c", run_id="r2"))
        assert w.skipped_known == 2
    assert count(store, "documents") == 3
    assert count(store, "events") == 6
    assert [p for p in check_store(store) if p.severity == "error"] == []


def test_uncommitted_tmp_folder_is_invisible_and_cleaned(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s", create=True)
    write(store, ["a"])
    # simulate a writer that crashed mid-segment: a complete-looking folder in tmp/
    seg = store.segments()[0]
    crashed = store.tmp_dir / "deadbeef"
    crashed.mkdir()
    for f in seg.path.iterdir():
        (crashed / f.name).write_bytes(f.read_bytes())
    assert count(store, "documents") == 1
    assert any(p.severity == "warning" and "unfinished" in p.message
               for p in check_store(store))
    with store.writer("r2"):
        pass
    assert not crashed.exists()
    assert count(store, "documents") == 1


def test_second_writer_is_refused(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s", create=True)
    with store.writer("r1"):
        with pytest.raises(StoreLockedError, match=f"pid {os.getpid()}"):
            Store.open(store.root).writer("r2")
        with pytest.raises(StoreLockedError):
            compact(store)
    # released on exit
    with store.writer("r3"):
        pass
    assert not store.lock_path.exists()


def test_stale_lock_of_a_dead_process_is_taken_over(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store.open(tmp_path / "s", create=True)
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead = int(proc.stdout)
    store.lock_path.write_text(json.dumps(
        {"pid": dead, "host": socket.gethostname(), "time": "2020-01-01T00:00:00Z"}))
    with (
        caplog.at_level(logging.WARNING, logger="dragoman.store.segments"),
        store.writer("r1") as w,
    ):
        w.add(simple_result("a"))
    assert any("stale lock" in r.getMessage() for r in caplog.records)
    assert count(store, "documents") == 1
    assert not store.lock_path.exists()


def test_lock_of_a_live_process_on_another_host_is_respected(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s", create=True)
    store.lock_path.write_text(json.dumps(
        {"pid": 1, "host": "elsewhere.example", "time": "2020-01-01T00:00:00Z"}))
    with pytest.raises(StoreLockedError, match="remove .*lock if that process is gone"):
        store.writer("r1")


def test_failed_writer_releases_lock_and_commits_nothing_in_flight(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s", create=True)
    with pytest.raises(RuntimeError), store.writer("r1", segment_size=2) as w:
        for d in ("a", "b", "c"):
            w.add(simple_result(d))
        raise RuntimeError("boom")
    # a and b were committed as a segment; c was in flight and is lost
    assert store.known_documents().ids == {"a", "b"}
    assert not store.lock_path.exists()


def test_compaction_merges_atomically(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s", create=True)
    for i in range(4):
        write(store, [f"d{i}a", f"d{i}b"], run_id=f"r{i}")
    assert len(store.segments()) == 4
    reader_before = store.reader()
    assert count(store, "events") == 16
    new = compact(store)
    assert new is not None
    segs = store.segments()
    assert [s.id for s in segs] == [new]
    assert count(store, "events") == 16
    assert count(store, "runs") == 4
    # the shared reader notices the change and reads the new segment
    assert reader_before.fetchall("SELECT count(*) FROM events", [])[0][0] == 16
    assert compact(store) is None
    assert check_store(store) == []


def test_replaced_segments_are_skipped_by_readers(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Between compaction's commit and the removal of the old folders readers see no doubles."""
    from dragoman.store import segments as seg_mod

    monkeypatch.setattr(seg_mod, "REPLACED_GRACE_SECONDS", 0.0)
    store = Store.open(tmp_path / "s", create=True)
    write(store, ["a"])
    write(store, ["b"], run_id="r2")
    old = {s.id: s.path for s in store.segments()}
    backup = tmp_path / "backup"
    backup.mkdir()
    for sid, path in old.items():
        (backup / sid).mkdir()
        for f in path.iterdir():
            (backup / sid / f.name).write_bytes(f.read_bytes())
    compact(store)
    for sid in old:  # put the old folders back, as if the removal had not happened yet
        os.rename(backup / sid, store.segments_dir / sid)
    assert count(store, "documents") == 2
    assert len(store.segments(include_replaced=True)) == 3
    with store.writer("r3"):
        pass
    assert len(store.segments(include_replaced=True)) == 1


def test_auto_compaction_on_close(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s", create=True)
    with store.writer("r1", segment_size=1) as w:
        for i in range(17):
            w.add(simple_result(f"d{i}"))
    assert len(store.segments()) == 1
    assert count(store, "documents") == 17


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete"])
def test_damaged_segment_is_reported_and_skipped(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store.open(tmp_path / "s", create=True)
    write(store, ["a"])
    write(store, ["b"], run_id="r2")
    seg = store.segments()[-1]
    target = seg.path / "events.parquet"
    data = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(data[: len(data) // 2])
    elif damage == "flip":  # same size, different bytes: only the checksum notices
        mid = len(data) // 2
        target.write_bytes(data[:mid] + bytes([data[mid] ^ 0xFF]) + data[mid + 1:])
    else:
        target.unlink()
    problems = check_store(store)
    errors = [p for p in problems if p.severity == "error"]
    assert errors and all(p.path == str(target) for p in errors)
    assert errors[0].fix
    if damage != "flip":
        with caplog.at_level(logging.WARNING, logger="dragoman.store.duck"):
            con = store.connect()
        assert any("skipped" in r.getMessage() for r in caplog.records)
        assert con.execute("SELECT list(doc_id) FROM documents").fetchone()[0] == ["a"]
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 2


def test_check_finds_duplicates_and_orphans(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s", create=True)
    write(store, ["a", "b"])
    seg = store.segments()[0]
    # a copy of a committed segment under a new name: every id twice
    copy = store.segments_dir / (seg.id[:-1] + "x")
    copy.mkdir()
    for f in seg.path.iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    messages = [p.message for p in check_store(store)]
    assert any("duplicated events.id" in m for m in messages)
    assert any("duplicated documents.doc_id" in m for m in messages)
    # events whose document is gone
    shutil.rmtree(copy)
    rows = result_rows(simple_result("ghost"))
    events = pa.Table.from_pylist(rows["events"], schema=table_schema("events"))
    write_segment(store, {"events": events}, "rX")
    problems = check_store(store)
    assert any("events records whose document is missing" in p.message and "ghost" in p.message
               for p in problems)


def test_none_in_a_required_field_is_refused(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s", create=True)
    bad = simple_result("a")
    bad = dataclasses.replace(bad, events=(dataclasses.replace(bad.events[0], event_type=None),))
    with pytest.raises(StoreError, match="event_type"), store.writer("r1") as w:
        w.add(bad)
        w.flush()
    assert not store.lock_path.exists()
    assert count(store, "events") == 0


def test_writer_from_several_threads_commits_each_document_once(tmp_path: Path) -> None:
    """The runner adds duplicates from the pool's feeder thread while the main thread adds
    results: every document must land in exactly one segment."""
    import threading

    from dragoman.store import Store

    store = Store.open(tmp_path / "s", create=True)
    n_threads, per_thread = 4, 120
    with store.writer("r1", segment_size=7) as writer:
        def feed(k: int) -> None:
            for i in range(per_thread):
                writer.add(simple_result(f"t{k}-{i}", n_events=1))

        threads = [threading.Thread(target=feed, args=(k,)) for k in range(n_threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    ids = [r[0] for r in store.reader().fetchall("SELECT doc_id FROM documents", [])]
    assert len(ids) == n_threads * per_thread
    assert len(set(ids)) == len(ids)
    events = store.reader().fetchall("SELECT count(*) FROM events", [])[0][0]
    assert events == n_threads * per_thread


def test_compaction_is_bounded_per_merged_segment(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A long run's many segments are merged into several bounded ones, not one huge one
    (compaction reads a group at a time: its memory does not grow with the run)."""
    from dragoman.store import segments as seg_mod

    monkeypatch.setattr(seg_mod, "COMPACT_MAX_DOCUMENTS", 6)
    store = Store.open(tmp_path / "s", create=True)
    with store.writer("r1", segment_size=1) as w:
        for i in range(20):
            w.add(simple_result(f"d{i}"))
    segs = store.segments()
    assert 1 < len(segs) < 20
    assert all(s.rows("documents") <= 6 for s in segs)
    assert count(store, "documents") == 20
    # merged segments are not "small" any more: a second compaction leaves them alone
    # (20 one-document segments → 6 + 6 + 6 + 2: only the last is small, one is no merge)
    assert sorted(s.rows("documents") for s in segs) == [2, 6, 6, 6]
    assert compact(store) is None
    assert [s.id for s in store.segments()] == [s.id for s in segs]


def test_a_reader_that_listed_before_a_compaction_can_still_read(tmp_path: Path) -> None:
    """Compaction keeps the folders it replaced for a grace period: a connection whose views
    were built just before the commit still reads them; readers made after it skip them."""
    store = Store.open(tmp_path / "s", create=True)
    for i in range(3):
        write(store, [f"d{i}"], run_id=f"r{i}")
    con = store.connect()  # views over the three segments
    new = compact(store)
    assert new is not None and [s.id for s in store.segments()] == [new]
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 3
    assert count(store, "documents") == 3
    assert check_store(store) == []  # recently replaced segments are not a problem
    from dragoman.store.segments import remove_replaced

    assert remove_replaced(store, grace=0.0) == 3
    assert len(store.segments(include_replaced=True)) == 1
