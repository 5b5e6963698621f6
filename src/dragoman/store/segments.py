"""The store on disk: atomic segments of Parquet files, a writer lock, compaction.

Layout of a store directory ``ROOT``::

    ROOT/store.json                      {"format", "schema_version", "created", ...}
    ROOT/lock                            present while a writer is open: pid, host, time
    ROOT/tmp/<uuid>/                     a segment being written (invisible to readers)
    ROOT/segments/<seg-id>/<table>.parquet   one file per table, all eight tables
    ROOT/segments/<seg-id>/manifest.json     rows, bytes and sha256 of each file, run_id, ...

A segment is committed by one ``os.rename`` of its finished, fsynced temp folder into
``segments/``; readers list ``segments/`` and read only folders there, so they see a segment
entirely or not at all, and never wait for a writer. A crash loses at most the segment in
flight; its temp folder is removed when the next writer opens the store.

Compaction writes the merged segment the same way; its manifest lists the segments it
``replaces``, so a reader that lists the folder between the commit and the removal of the
old folders skips the replaced ones instead of seeing every record twice.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import socket
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import SchemaVersionError, StoreError, StoreLockedError
from ..types import Result
from .duck import Reader, connect
from .manifest import FORMAT, MANIFEST, STORE_JSON, SegmentInfo, StoreLayout, sha256_file
from .schema import (
    RECORD_TABLES,
    SCHEMA_VERSION,
    TABLES,
    result_rows,
    schema_fingerprint,
    table_schema,
)

__all__ = [
    "FORMAT",
    "KnownDocuments",
    "SegmentInfo",
    "SegmentSwap",
    "Store",
    "StoreWriter",
    "compact",
    "remove_replaced",
    "write_segment",
]

log = logging.getLogger(__name__)

#: Parquet row group size: small enough for parallel scans and min/max pruning on 2 cores
ROW_GROUP_SIZE = 64 * 1024
#: a merged segment holds at most SMALL_SEGMENT_ROWS event rows and COMPACT_MAX_DOCUMENTS
#: documents: compaction reads one such group at a time, so its memory does not grow with
#: the run (bench/memory.py over 50,000 articles, end-of-run compaction included: largest
#: process 0.54 GB; merging the whole run at once had taken the driver to 2.1 GB)
SMALL_SEGMENT_ROWS = 250_000
COMPACT_MAX_DOCUMENTS = 5_000
#: segments replaced by a compaction or a swap stay on disk this many seconds after their
#: replacement committed (readers already skip them): a reader that listed the segments just
#: before the commit can still read its files; the next writer or compaction removes them
REPLACED_GRACE_SECONDS = 30.0
#: ``StoreWriter.close`` compacts when at least this many small segments exist
AUTO_COMPACT_SEGMENTS = 16


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _new_segment_id() -> str:
    """Sortable by creation time, unique across processes and hosts."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"{stamp}-{uuid.uuid4().hex[:8]}"


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # some filesystems do not allow opening directories
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class KnownDocuments:
    """The committed documents: their ids and ``content_hash → doc_id``."""

    def __init__(self, ids: set[str], hashes: dict[str, str]) -> None:
        self.ids = ids
        self.hashes = hashes

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.ids

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"KnownDocuments({len(self.ids)} documents)"


class Store(StoreLayout):
    """A dragoman store directory. Cheap to open; many readers, one writer at a time."""

    def __init__(self, root: Path, info: dict[str, Any]) -> None:
        super().__init__(root)
        self.info = info
        self._reader_lock = threading.Lock()
        self._reader: Reader | None = None  # built on first query

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, root: str | Path, create: bool = False) -> Store:
        """Open the store at ``root``; with ``create=True`` make it if it does not exist."""
        root = Path(root).expanduser().absolute()
        meta = root / STORE_JSON
        if not meta.exists():
            if not create:
                if not root.exists():
                    raise StoreError(
                        f"no store at {root}: the directory does not exist "
                        "(create it with create=True / `dragoman run --store {root}`)"
                    )
                raise StoreError(
                    f"{root} is not a dragoman store (no {STORE_JSON}); "
                    "point to a store directory or create a new one with create=True"
                )
            if (
                root.exists()
                and any(p.name != STORE_JSON for p in root.iterdir())
                and not (root / "segments").is_dir()
            ):
                raise StoreError(
                    f"{root} exists, is not empty and is not a dragoman store; "
                    "choose an empty or new directory for the store"
                )
            root.mkdir(parents=True, exist_ok=True)
            (root / "segments").mkdir(exist_ok=True)
            (root / "tmp").mkdir(exist_ok=True)
            info = {
                "format": FORMAT,
                "schema_version": SCHEMA_VERSION,
                "created": _now(),
                "dragoman_version": _dragoman_version(),
            }
            tmp = root / f".{STORE_JSON}.{uuid.uuid4().hex}"
            tmp.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
            os.replace(tmp, meta)
            _fsync_dir(root)
            log.info("created store %s (schema version %d)", root, SCHEMA_VERSION)
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise StoreError(f"{meta} cannot be read ({e}); is this a dragoman store?") from e
        if not isinstance(info, dict) or info.get("format") != FORMAT:
            raise StoreError(f"{meta} is not a dragoman store description (format != {FORMAT})")
        version = info.get("schema_version")
        if not isinstance(version, int):
            raise StoreError(f"{meta} has no integer schema_version")
        if version > SCHEMA_VERSION:
            raise SchemaVersionError(
                f"store {root} has schema version {version}, written by dragoman "
                f"{info.get('dragoman_version', '?')}; this dragoman "
                f"({_dragoman_version()}) reads up to version {SCHEMA_VERSION}: "
                "upgrade dragoman (pip install -U dragoman) to read it"
            )
        (root / "segments").mkdir(exist_ok=True)
        return cls(root, info)

    def __repr__(self) -> str:
        return f"Store({str(self.root)!r})"

    # -- plain facts -----------------------------------------------------------------------

    def tables(self) -> tuple[str, ...]:
        return TABLES

    def schema_version(self) -> int:
        return int(self.info["schema_version"])

    # -- reading ---------------------------------------------------------------------------

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A new in-memory DuckDB connection with one view per table over committed segments."""
        return connect(self)

    def reader(self) -> Reader:
        """The store's shared query reader (one DuckDB connection, views kept current)."""
        with self._reader_lock:
            if self._reader is None:
                self._reader = Reader(self)
            return self._reader

    def known_documents(self) -> KnownDocuments:
        """Ids and content hashes of every committed document."""
        rows = self.reader().fetchall(
            "SELECT doc_id, content_hash, duplicate_of FROM documents", []
        )
        # a duplicate's hash must lead to its original, never to another copy
        hashes = {r[1]: r[0] for r in rows if r[2] is None}
        return KnownDocuments({r[0] for r in rows}, hashes)

    # -- writing ---------------------------------------------------------------------------

    def writer(self, run_id: str, segment_size: int = 500) -> StoreWriter:
        """Take the writer lock and return a writer (StoreLockedError if it is held)."""
        return StoreWriter(self, run_id, segment_size=segment_size)

    def compact(self, min_segments: int = 2) -> str | None:
        """Merge small segments into one; see ``compact``. Takes the writer lock."""
        return compact(self, min_segments=min_segments)


def _dragoman_version() -> str:
    try:
        from importlib.metadata import version

        return version("dragoman")
    except Exception:  # noqa: BLE001 - not installed as a distribution: report unknown
        return "unknown"


# -- the lock ------------------------------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Lock:
    """``ROOT/lock``, created with O_EXCL; a lock left by a dead process here is taken over."""

    def __init__(self, store: Store, purpose: str) -> None:
        self.path = store.lock_path
        self.store = store
        self.token = uuid.uuid4().hex
        self.held = False
        content = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "time": _now(),
            "purpose": purpose,
            "token": self.token,
        }
        self._content = json.dumps(content) + "\n"

    def acquire(self) -> None:
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if not self._take_over_stale():
                    raise self._locked_error() from None
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(self._content)
                f.flush()
                os.fsync(f.fileno())
            self.held = True
            return
        raise self._locked_error()

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _locked_error(self) -> StoreLockedError:
        data = self._read()
        return StoreLockedError(
            f"store {self.store.root} is being written by pid {data.get('pid', '?')} "
            f"on {data.get('host', '?')} since {data.get('time', '?')}; wait for it or remove "
            f"{self.path} if that process is gone"
        )

    def _take_over_stale(self) -> bool:
        data = self._read()
        pid = data.get("pid")
        if not data:
            # a lock being written this instant, or garbage; garbage older than a minute is stale
            try:
                age = time.time() - self.path.stat().st_mtime
            except FileNotFoundError:
                return True
            if age < 60:
                return False
        elif data.get("host") != socket.gethostname() or not isinstance(pid, int) or _pid_alive(pid):
            return False
        stale = self.path.with_name(f"lock.stale-{uuid.uuid4().hex[:8]}")
        try:
            os.rename(self.path, stale)
        except FileNotFoundError:
            return True  # someone else removed it; try again
        log.warning(
            "store %s: taking over a stale lock of pid %s (host %s, since %s): that "
            "process is gone",
            self.store.root,
            data.get("pid", "?"),
            data.get("host", "?"),
            data.get("time", "?"),
        )
        with contextlib.suppress(OSError):
            stale.unlink()
        return True

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        if self._read().get("token") == self.token:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        else:
            log.warning("store %s: the lock was replaced by another process", self.store.root)


# -- writing segments ----------------------------------------------------------------------


def _cleanup(store: Store) -> None:
    """Remove leftovers of crashed writers: temp folders, replaced segments, the parts of a
    swap that never committed; finish a committed swap's parts (drop their ``pending``)."""
    tmp = store.tmp_dir
    if tmp.is_dir():
        for p in tmp.iterdir():
            log.warning("store %s: removing unfinished segment %s left by a crash", store.root, p)
            shutil.rmtree(p, ignore_errors=True)
    everything = store.segments(include_replaced=True)
    commits = {s.manifest.get("commits") for s in everything} - {None}
    for s in everything:
        pending = s.manifest.get("pending")
        if pending is None:
            continue
        if pending in commits:
            _unpend(s)
        else:
            log.warning("store %s: removing segment %s of a swap (recode) that never "
                        "committed", store.root, s.id)
            shutil.rmtree(s.path, ignore_errors=True)
    remove_replaced(store)


def remove_replaced(store: Store, grace: float | None = None) -> int:
    """Remove the segments whose replacement committed more than ``grace`` seconds ago
    (default ``REPLACED_GRACE_SECONDS``); how many were removed."""
    grace = REPLACED_GRACE_SECONDS if grace is None else grace
    everything = store.segments(include_replaced=True)
    now = time.time()
    removed = 0
    for newer in everything:
        if not newer.replaces:
            continue
        try:
            age = now - (newer.path / MANIFEST).stat().st_mtime
        except OSError:
            continue
        if age < grace:
            continue
        for old in newer.replaces:
            path = store.segments_dir / old
            if path.exists():
                log.info("store %s: removing segment %s, replaced by %s", store.root, old,
                         newer.id)
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
    return removed


def _check_nulls(table: str, t: pa.Table) -> None:
    for f in t.schema:
        if not f.nullable and t.column(f.name).null_count:
            raise StoreError(
                f"cannot write table {table}: field {f.name!r} is None in "
                f"{t.column(f.name).null_count} record(s) but the record type does not allow "
                "None there; this is a bug in the extractor that made the record"
            )


def _rows_table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """``pa.Table.from_pylist(rows, schema=schema)``, built column by column: the same
    table (a key a row lacks is null, keys the schema lacks are left out) in less than
    half the time (0.40 → 0.17 s for 300 FA-KES articles' records)."""
    return pa.Table.from_pydict({name: [r.get(name) for r in rows] for name in schema.names},
                                schema=schema)


def write_segment(
    store: Store,
    tables: dict[str, pa.Table],
    run_id: str | None,
    replaces: tuple[str, ...] = (),
    sort: bool = True,
    extra: dict[str, Any] | None = None,
) -> str:
    """Write one segment with every table (missing ones empty) and commit it; its id.

    ``extra``: more manifest keys (a swap's ``pending`` / ``commits`` / ``parts``)."""
    seg_id = _new_segment_id()
    store.tmp_dir.mkdir(exist_ok=True)
    tmp = store.tmp_dir / uuid.uuid4().hex
    tmp.mkdir()
    files: dict[str, dict[str, Any]] = {}
    try:
        for name in TABLES:
            schema = table_schema(name)
            t = tables.get(name)
            if t is None:
                t = schema.empty_table()
            if sort and name == "events" and t.num_rows > 1:
                t = t.sort_by([("date", "ascending"), ("id", "ascending")])
            path = tmp / f"{name}.parquet"
            pq.write_table(t, path, row_group_size=ROW_GROUP_SIZE, compression="zstd")
            with open(path, "rb+") as f:
                os.fsync(f.fileno())
            files[name] = {
                "file": path.name,
                "rows": t.num_rows,
                "bytes": path.stat().st_size,
                "sha256": sha256_file(path),
                "schema": schema_fingerprint(name),
            }
        manifest = {
            "segment": seg_id,
            "schema_version": SCHEMA_VERSION,
            "run_id": run_id,
            "created": _now(),
            "replaces": list(replaces),
            "files": files,
            **(extra or {}),
        }
        with open(tmp / MANIFEST, "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=2)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        _fsync_dir(tmp)
        store.segments_dir.mkdir(exist_ok=True)
        os.rename(tmp, store.segments_dir / seg_id)
        _fsync_dir(store.segments_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.debug("store %s: committed segment %s", store.root, seg_id)
    return seg_id


class StoreWriter:
    """Buffers results and commits them as segments; holds the store's writer lock.

    Use as a context manager (the lock is released on exit). A result whose ``doc_id`` is
    already committed (or buffered) is skipped: ids are content hashes, so re-running the
    same input writes nothing twice.
    """

    def __init__(self, store: Store, run_id: str, segment_size: int = 500) -> None:
        if segment_size < 1:
            raise StoreError(f"segment_size must be at least 1, not {segment_size}")
        self.store = store
        self.run_id = run_id
        self.segment_size = segment_size
        self._lock = _Lock(store, f"run {run_id}")
        self._lock.acquire()
        self.closed = False
        try:
            _cleanup(store)
            self._known = store.known_documents()
        except BaseException:
            self._lock.release()
            raise
        self._rows: dict[str, list[dict[str, Any]]] = {t: [] for t in RECORD_TABLES}
        self._runs: list[dict[str, Any]] = []
        self._run_info: dict[str, Any] | None = None
        self._buffered_docs: set[str] = set()
        # add/flush may be called from several threads (the runner records duplicates from
        # the thread that feeds a worker pool while the main thread writes results): one
        # buffer, one flush at a time, or a segment is committed twice
        self._mutex = threading.RLock()
        self.segments_written: list[str] = []
        self.documents_written = 0
        self.skipped_known = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.close(flush=False)

    def _check_open(self) -> None:
        if self.closed:
            raise StoreError("this StoreWriter is closed; open a new one with store.writer()")

    def begin_run(self, info: dict[str, Any]) -> None:
        """Record the run: started, dragoman_version, model, model_version, config (JSON)."""
        with self._mutex:
            self._check_open()
            self._run_info = dict(info)
            self._runs.append(self._run_row(status="running"))

    def _run_row(self, status: str, summary: dict[str, Any] | None = None) -> dict[str, Any]:
        info = self._run_info or {}
        config = info.get("config")
        if config is not None and not isinstance(config, str):
            config = json.dumps(config, ensure_ascii=False, sort_keys=True, default=str)
        return {
            "run_id": str(info.get("run_id") or self.run_id),
            "started": info.get("started") or _now(),
            "ended": (summary or {}).get("ended") if summary is not None else None,
            "dragoman_version": info.get("dragoman_version") or _dragoman_version(),
            "model": info.get("model"),
            "model_version": info.get("model_version"),
            "config": config,
            "summary": (
                json.dumps(summary, ensure_ascii=False, sort_keys=True, default=str)
                if summary is not None
                else None
            ),
            "status": status,
            "updated": datetime.now(UTC).isoformat(timespec="microseconds"),
        }

    def add(self, result: Result) -> None:
        """Buffer one result; a segment is committed every ``segment_size`` documents.

        Thread-safe: results may be added from several threads."""
        with self._mutex:
            self._add(result)

    def _add(self, result: Result) -> None:
        self._check_open()
        doc_id = result.document.doc_id
        if doc_id in self._known or doc_id in self._buffered_docs:
            self.skipped_known += 1
            log.debug("document %s is already in the store: not written again", doc_id)
            return
        for table, rows in result_rows(result).items():
            self._rows[table].extend(rows)
        self._buffered_docs.add(doc_id)
        if len(self._buffered_docs) >= self.segment_size:
            self._flush()

    def flush(self) -> None:
        """Commit what is buffered as one segment (nothing to do if nothing is buffered)."""
        with self._mutex:
            self._flush()

    def _flush(self) -> None:
        self._check_open()
        if not self._buffered_docs and not self._runs:
            return
        tables: dict[str, pa.Table] = {}
        try:
            for name in RECORD_TABLES:
                t = _rows_table(self._rows[name], table_schema(name))
                _check_nulls(name, t)
                tables[name] = t
            tables["runs"] = _rows_table(self._runs, table_schema("runs"))
        except (pa.ArrowException, TypeError, ValueError) as e:
            raise StoreError(
                f"cannot convert the buffered records to the store schema: {e}"
            ) from e
        seg = write_segment(self.store, tables, self.run_id)
        self.segments_written.append(seg)
        self.documents_written += len(self._buffered_docs)
        self._known.ids.update(self._buffered_docs)
        for row in self._rows["documents"]:
            self._known.hashes[row["content_hash"]] = row["doc_id"]
        self._rows = {t: [] for t in RECORD_TABLES}
        self._runs = []
        self._buffered_docs = set()

    def finish_run(self, summary: dict[str, Any]) -> None:
        """Flush and record the run's summary (processed/skipped/duplicates counts, ended)."""
        with self._mutex:
            self._check_open()
            summary = dict(summary)
            summary.setdefault("ended", _now())
            self._runs.append(self._run_row(status="finished", summary=summary))
            self._flush()

    def close(self, flush: bool = True, auto_compact: bool = True) -> None:
        """Flush (unless ``flush=False``), maybe compact, and release the lock."""
        with self._mutex:
            self._close(flush, auto_compact)

    def _close(self, flush: bool, auto_compact: bool) -> None:
        if self.closed:
            return
        try:
            if flush:
                self._flush()
                if auto_compact:
                    small = _small_segments(self.store)
                    if len(small) >= AUTO_COMPACT_SEGMENTS:
                        _compact_locked(self.store, small)
        finally:
            self.closed = True
            self._lock.release()


# -- swapping segments (recode) ------------------------------------------------------------


def _unpend(seg: SegmentInfo) -> None:
    """Drop ``pending`` from a committed swap's part (one atomic manifest replace)."""
    manifest = dict(seg.manifest)
    if manifest.pop("pending", None) is None:
        return
    tmp = seg.path / f".{MANIFEST}.{uuid.uuid4().hex}"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, seg.path / MANIFEST)
    _fsync_dir(seg.path)


def _rows_to_tables(rows: dict[str, list[dict[str, Any]]]) -> dict[str, pa.Table]:
    tables: dict[str, pa.Table] = {}
    try:
        for name in TABLES:
            t = _rows_table(rows.get(name, []), table_schema(name))
            _check_nulls(name, t)
            tables[name] = t
    except (pa.ArrowException, TypeError, ValueError) as e:
        raise StoreError(f"cannot convert the records to the store schema: {e}") from e
    return tables


class SegmentSwap:
    """Replaces a store's segments by new ones in one commit; holds the writer lock.

    ``write`` commits a part that readers do not see yet (its manifest says ``pending``);
    ``commit`` writes the last segment, which ``commits`` the swap and ``replaces`` the old
    segments, so readers go from every old record to every new one with one ``rename`` and
    never see both or neither. An exception inside the ``with`` block, or a crash, leaves
    the old segments as they were; the parts are removed now or by the next writer.
    """

    def __init__(self, store: Store, run_id: str) -> None:
        self.store = store
        self.run_id = run_id
        self.token = f"swap-{uuid.uuid4().hex}"
        self.parts: list[str] = []
        self.committed: str | None = None
        self._lock = _Lock(store, f"recode {run_id}")
        self._lock.acquire()
        try:
            _cleanup(store)
        except BaseException:
            self._lock.release()
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self.committed is None:
                for part in self.parts:
                    shutil.rmtree(self.store.segments_dir / part, ignore_errors=True)
        finally:
            self._lock.release()

    def write(self, rows: dict[str, list[dict[str, Any]]]) -> str:
        """Write one part (table name → rows), invisible until ``commit``; its id."""
        if self.committed is not None:
            raise StoreError("this swap is already committed")
        seg = write_segment(self.store, _rows_to_tables(rows), self.run_id,
                            extra={"pending": self.token})
        self.parts.append(seg)
        return seg

    def commit(self, rows: dict[str, list[dict[str, Any]]], replaces: tuple[str, ...]) -> str:
        """Write the last segment, making every part visible and ``replaces`` invisible."""
        if self.committed is not None:
            raise StoreError("this swap is already committed")
        seg = write_segment(self.store, _rows_to_tables(rows), self.run_id, replaces=replaces,
                            extra={"commits": self.token, "parts": list(self.parts)})
        self.committed = seg
        for info in self.store.segments(include_replaced=True):
            if info.id in self.parts:
                _unpend(info)
        remove_replaced(self.store)  # older replaced ones; these go after the grace period
        log.info("store %s: swapped %d segments for %d", self.store.root, len(replaces),
                 len(self.parts) + 1)
        return seg


# -- compaction ----------------------------------------------------------------------------


def _small_segments(store: Store) -> list[SegmentInfo]:
    """Segments less than half full (a merged one is not merged again and again)."""
    return [s for s in store.segments() if s.rows("events") < SMALL_SEGMENT_ROWS // 2
            and s.rows("documents") < COMPACT_MAX_DOCUMENTS // 2]


def _groups(segments: list[SegmentInfo]) -> list[list[SegmentInfo]]:
    """Consecutive segments packed into groups of at most SMALL_SEGMENT_ROWS events and
    COMPACT_MAX_DOCUMENTS documents; groups of one are left alone."""
    groups: list[list[SegmentInfo]] = []
    cur: list[SegmentInfo] = []
    events = docs = 0
    for seg in segments:
        e, d = seg.rows("events"), seg.rows("documents")
        if cur and (events + e > SMALL_SEGMENT_ROWS or docs + d > COMPACT_MAX_DOCUMENTS):
            groups.append(cur)
            cur, events, docs = [], 0, 0
        cur.append(seg)
        events, docs = events + e, docs + d
    if cur:
        groups.append(cur)
    return [g for g in groups if len(g) > 1]


def _compact_locked(store: Store, segments: list[SegmentInfo]) -> str | None:
    """Merge ``segments`` group by group; the last new segment id (None: nothing merged)."""
    last = None
    for group in _groups(segments):
        last = _merge(store, group)
    return last


def _merge(store: Store, segments: list[SegmentInfo]) -> str:
    tables: dict[str, pa.Table] = {}
    for name in TABLES:
        parts = []
        for s in segments:
            entry = s.files.get(name)
            if entry is None:
                continue
            t = pq.read_table(s.path / entry["file"])
            parts.append(t)
        schema = table_schema(name)
        if parts:
            merged = pa.concat_tables(parts, promote_options="permissive")
            # older segments may lack fields added since: add them as nulls, current order
            cols = []
            for f in schema:
                if f.name in merged.column_names:
                    cols.append(merged.column(f.name).cast(f.type))
                else:
                    cols.append(pa.nulls(merged.num_rows, f.type))
            tables[name] = pa.Table.from_arrays(cols, schema=schema)
        else:
            tables[name] = schema.empty_table()
    runs = {s.manifest.get("run_id") for s in segments}
    seg = write_segment(
        store,
        tables,
        run_id=runs.pop() if len(runs) == 1 else None,
        replaces=tuple(s.id for s in segments),
    )
    remove_replaced(store)  # older replaced ones; these go after the grace period
    log.info("store %s: compacted %d segments into %s", store.root, len(segments), seg)
    return seg


def compact(store: Store, min_segments: int = 2) -> str | None:
    """Merge the store's small segments into segments of up to ``COMPACT_MAX_DOCUMENTS``
    documents; the (last) new segment id, or None if nothing to do.

    Takes the writer lock (StoreLockedError if a writer is running). The merged segment is
    committed atomically before the old ones are removed; readers see either.
    """
    lock = _Lock(store, "compact")
    lock.acquire()
    try:
        _cleanup(store)
        small = _small_segments(store)
        if len(small) < max(2, min_segments):
            return None
        return _compact_locked(store, small)
    finally:
        lock.release()
