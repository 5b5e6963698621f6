"""DuckDB views over a store's committed segments.

``connect(store)`` gives a new in-memory connection with one view per table (a snapshot of
the segments committed when it was made). ``Reader`` is the query API's shared connection:
one per ``Store`` object, its views rebuilt only when the ``segments/`` listing changes, a
fresh cursor per call so threads (the web server's) can query at once.

Each view reads a list of Parquet files (``read_parquet([...], union_by_name=true)``); a
segment whose files are missing, truncated or not Parquet (size or magic bytes differ from
its manifest) is left out with a warning, so the rest of the store stays readable.
``check_store`` verifies the sha256 of every file.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ._intervals import date_interval
from .manifest import SegmentInfo, StoreLayout, sha256_file
from .schema import TABLES, schema_fingerprint, table_schema

__all__ = ["Reader", "conform", "connect", "record_batches", "to_arrow", "usable_segments"]

log = logging.getLogger(__name__)

# (path, size, mtime_ns) of files that passed the cheap integrity check
_checked: dict[tuple[str, int, int], bool] = {}
_checked_lock = threading.Lock()


def to_arrow(result: Any) -> pa.Table:
    """The Arrow table of a DuckDB result (across DuckDB versions)."""
    fn = getattr(result, "to_arrow_table", None) or result.fetch_arrow_table
    return fn()


def record_batches(result: Any, batch_size: int = 10_000) -> Iterator[pa.RecordBatch]:
    """The result as Arrow record batches (across DuckDB versions)."""
    fn = getattr(result, "to_arrow_reader", None) or result.fetch_record_batch
    reader = fn(batch_size)
    yield from reader


def _file_ok(
    path: Path, expected_bytes: int | None, expected_rows: int | None = None,
    expected_sha256: str | None = None,
) -> str | None:
    """None if the file looks whole, else what is wrong.

    Checks the size against the manifest, the Parquet magic bytes, and that the footer
    parses with the manifest's row count; a file that passed is remembered (by path, size
    and mtime), so this costs once per file per process.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return "file missing"
    key = (str(path), st.st_size, st.st_mtime_ns)
    with _checked_lock:
        if key in _checked:
            return None
    if expected_bytes is not None and st.st_size != expected_bytes:
        return f"size {st.st_size} bytes, manifest says {expected_bytes}"
    try:
        with open(path, "rb") as f:
            head = f.read(4)
            f.seek(max(0, st.st_size - 4))
            tail = f.read(4)
    except OSError as e:
        return f"unreadable ({e})"
    if head != b"PAR1" or tail != b"PAR1":
        return "not a complete Parquet file"
    try:
        rows = pq.read_metadata(path).num_rows
    except Exception as e:  # noqa: BLE001 - any footer failure means the file is damaged
        return f"unreadable Parquet footer ({e})"
    if expected_rows is not None and rows != expected_rows:
        return f"{rows} rows, manifest says {expected_rows}"
    if expected_sha256 and sha256_file(path) != expected_sha256:
        return "sha256 checksum does not match the manifest"
    with _checked_lock:
        _checked[key] = True
    return None


def usable_segments(store: StoreLayout) -> list[SegmentInfo]:
    """The visible segments whose every file passes the cheap integrity check."""
    out = []
    for seg in store.segments():
        problems = []
        for table in TABLES:
            entry = seg.files.get(table)
            if entry is None:
                continue
            why = _file_ok(seg.path / entry["file"], entry.get("bytes"), entry.get("rows"),
                           entry.get("sha256"))
            if why:
                problems.append(f"{entry['file']}: {why}")
        if problems:
            log.warning(
                "store %s: segment %s skipped, it is damaged (%s); run `dragoman check` "
                "and see docs/store.md",
                store.root,
                seg.id,
                "; ".join(problems),
            )
            continue
        out.append(seg)
    return out


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _create_empty_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES:
        empty = table_schema(table).empty_table()
        con.register("__dragoman_empty", empty)
        con.execute(f'CREATE OR REPLACE TABLE "_empty_{table}" AS SELECT * FROM __dragoman_empty')
        con.unregister("__dragoman_empty")


def _view_sql(table: str, segments: Sequence[SegmentInfo]) -> str:
    files = []
    current = True
    fp = schema_fingerprint(table)
    for seg in segments:
        entry = seg.files.get(table)
        if entry is None:
            continue
        files.append(str(seg.path / entry["file"]))
        if entry.get("schema") != fp:
            current = False
    if not files:
        source = f'SELECT * FROM "_empty_{table}"'
    else:
        scan = (
            "SELECT * FROM read_parquet(["
            + ", ".join(_sql_str(f) for f in files)
            + "], union_by_name=true)"
        )
        # segments written before a field was added lack it: the typed empty table supplies
        # every current column (NULL where a segment has none), in the current order
        source = scan if current else f'SELECT * FROM "_empty_{table}" UNION ALL BY NAME {scan}'
    if table == "runs":
        return (
            "SELECT * EXCLUDE (__rn) FROM (SELECT *, row_number() OVER "
            f"(PARTITION BY run_id ORDER BY updated DESC) AS __rn FROM ({source})) "
            "WHERE __rn = 1"
        )
    return source


def _verified(store: StoreLayout, segments: Sequence[SegmentInfo]) -> list[SegmentInfo]:
    """The segments whose every file matches its manifest's sha256 (the expensive check)."""
    out = []
    for seg in segments:
        bad = [
            e["file"] for e in seg.files.values()
            if e.get("sha256") and sha256_file(seg.path / e["file"]) != e["sha256"]
        ]
        if bad:
            log.warning(
                "store %s: segment %s skipped, checksum mismatch in %s; run `dragoman check`",
                store.root, seg.id, ", ".join(bad),
            )
            continue
        out.append(seg)
    return out


def _build_views(
    con: duckdb.DuckDBPyConnection, segments: Sequence[SegmentInfo], store: StoreLayout
) -> list[SegmentInfo]:
    """Create the views; the segments they read (damaged ones left out)."""
    try:
        for table in TABLES:
            con.execute(f'CREATE OR REPLACE VIEW "{table}" AS {_view_sql(table, segments)}')
        return list(segments)
    except duckdb.Error as e:
        if any(not seg.path.exists() for seg in segments):
            # a compaction committed meanwhile and removed segments it replaced: the listing
            # is stale, not damaged. Read the new listing (a few tries: compactions are rare)
            for _ in range(5):
                fresh = usable_segments(store)
                try:
                    for table in TABLES:
                        con.execute(
                            f'CREATE OR REPLACE VIEW "{table}" AS {_view_sql(table, fresh)}')
                    return fresh
                except duckdb.Error:
                    if all(seg.path.exists() for seg in fresh):
                        segments = fresh
                        break
        # a file passed the cheap checks but DuckDB cannot bind it: find it by checksum
        log.warning("store %s: building views failed (%s); verifying checksums", store.root, e)
        good = _verified(store, segments)
        for table in TABLES:
            con.execute(f'CREATE OR REPLACE VIEW "{table}" AS {_view_sql(table, good)}')
        return good


def _configure(con: duckdb.DuckDBPyConnection) -> None:
    for setting in ("SET parquet_metadata_cache = true", "SET enable_object_cache = true"):
        try:
            con.execute(setting)
        except duckdb.Error:
            continue


def connect(store: StoreLayout) -> duckdb.DuckDBPyConnection:
    """A new in-memory connection with a view per table over the committed segments."""
    con = duckdb.connect(":memory:")
    _configure(con)
    _create_empty_tables(con)
    _build_views(con, usable_segments(store), store)
    return con


#: the event index's derived columns (lower-cased search text, actor keys for networks);
#: each list is transformed before concatenation (concatenating struct lists is slow)
_INDEX_COLUMNS = """
    id, doc_id, date, event_type, quad_class, confidence, goldstein, location,
    lower(array_to_string(list_concat(
        [coalesce(x.name, '') || chr(31) || x.text for x in actor],
        [coalesce(x.name, '') || chr(31) || x.text for x in recipient]), chr(31))) AS _who,
    list_concat([x.country for x in actor], [x.country for x in recipient]) AS _countries,
    lower(coalesce(location.name, '') || chr(31) || coalesce(location.text, '')) AS _place,
    lower(sentence.text) AS _text,
    [struct_pack(n := coalesce(x.name, x.text), c := x.country, s := x.sector, k := x.kb_id)
     for x in actor] AS _a,
    [struct_pack(n := coalesce(x.name, x.text), c := x.country, s := x.sector, k := x.kb_id)
     for x in recipient] AS _r,
    __date_lo AS _date_lo, __date_hi AS _date_hi
"""

_ACTORS_TYPE = "STRUCT(n VARCHAR, c VARCHAR, s VARCHAR, k VARCHAR)[]"

#: search columns with few distinct values, replaced in ``_events_ix`` by an INTEGER key
#: into a dictionary table ``_d<column>(k, w)``: a filter then tests each distinct value
#: once and semi-joins the keys (an order of magnitude faster than testing every row)
DICT_COLUMNS: dict[str, str] = {
    "_who": "VARCHAR", "_countries": "VARCHAR[]", "_place": "VARCHAR", "event_type": "VARCHAR",
    # the actors and recipients as (name, country, sector, kb id) lists: networks and top
    # actors group by the keys first and unnest each distinct list once
    "_a": _ACTORS_TYPE, "_r": _ACTORS_TYPE,
}

#: the columns of ``_events_ix``
_IX_SELECT = (
    "n.__seg AS _seg, n.__row AS _row, n.id, n.doc_id, n.date, n.event_type, n.quad_class, "
    "n.confidence, n.goldstein, n.location, n._text, n._date_lo, n._date_hi, "
    + ", ".join(f"d{c}.k AS _k{c}" for c in DICT_COLUMNS)
)

#: above this many events the reader does not keep them in memory (env DRAGOMAN_MEMORY_EVENTS)
MEMORY_EVENTS = 5_000_000

#: how many filters' counts a reader remembers (per state of the segments)
COUNT_MEMO = 256


def _with_intervals(t: pa.Table) -> pa.Table:
    """``t`` with ``__date_lo``/``__date_hi``: the interval each ``date`` denotes, from the
    cached Python twin of the SQL (``_intervals``): planning that SQL for every new segment
    cost ~0.2 s a segment, which a live run's small segments paid on every read."""
    ivs = [date_interval(d) for d in t.column("date").to_pylist()]
    lo = pa.array([iv[0] if iv else None for iv in ivs], pa.date32())
    hi = pa.array([iv[1] if iv else None for iv in ivs], pa.date32())
    return t.append_column("__date_lo", lo).append_column("__date_hi", hi)


def conform(t: pa.Table, schema: pa.Schema) -> pa.Table:
    """``t`` with exactly ``schema``'s columns (missing ones as nulls), in its order."""
    if t.schema.equals(schema):
        return t
    cols = []
    for f in schema:
        if f.name in t.column_names:
            cols.append(t.column(f.name).cast(f.type))
        else:
            cols.append(pa.nulls(t.num_rows, f.type))
    return pa.Table.from_arrays(cols, schema=schema)


class Reader:
    """One shared DuckDB connection for a store; views follow the committed segments.

    For speed the events are also held in memory: each segment's events as an Arrow table
    (the rows the API returns, taken by position) plus one DuckDB table ``_events_ix`` of the
    filter and sort columns (``_seg``, ``_row`` locate the row). Both follow the segments
    incrementally: a new segment adds its rows, a removed (compacted) one drops them. About
    0.5–1 KB of memory per event; above ``MEMORY_EVENTS`` events the reader queries the
    Parquet views instead (``indexed`` is False).

    With ``background`` the first index is built in a thread (``wait_indexed`` waits for
    it): until it is ready, queries read the Parquet views, so a server answers at once.
    Later segments are added to the index synchronously, as without it.
    """

    def __init__(
        self, store: StoreLayout, memory_events: int | None = None, background: bool = False
    ) -> None:
        self.store = store
        self.con = duckdb.connect(":memory:")
        _configure(self.con)
        _create_empty_tables(self.con)
        for col, typ in DICT_COLUMNS.items():
            self.con.execute(f'CREATE TABLE "_d{col}" (k INTEGER, w {typ})')
        self.con.execute(
            f"CREATE TABLE _events_ix AS SELECT {_IX_SELECT} FROM (SELECT 0::INTEGER AS __seg, "
            f"0::BIGINT AS __row, {_INDEX_COLUMNS} FROM (SELECT *, NULL::DATE AS __date_lo, "
            "NULL::DATE AS __date_hi FROM _empty_events)) AS n "
            + " ".join(f'JOIN "_d{c}" AS "d{c}" ON "d{c}".w IS NOT DISTINCT FROM n.{c}'
                       for c in DICT_COLUMNS)
        )
        if memory_events is None:
            memory_events = int(os.environ.get("DRAGOMAN_MEMORY_EVENTS", MEMORY_EVENTS))
        self.memory_events = memory_events
        self.indexed = False
        self._lock = threading.RLock()
        self._state: tuple[int, tuple[str, ...]] | None = None
        self._seg_no: dict[str, int] = {}  # segment id -> number in _events_ix
        self._arrow: dict[int, pa.Table] = {}  # segment number -> its events
        self._next_no = 1
        self._generation = 0
        self._memo_lock = threading.Lock()  # not self._lock: a background build holds that
        self.background = background
        self._building: threading.Thread | None = None
        self._counts: dict[int, OrderedDict[tuple[Any, ...], int]] = {}
        self.refresh()

    def _current_state(self) -> tuple[int, tuple[str, ...]]:
        try:
            mtime = os.stat(self.store.segments_dir).st_mtime_ns
        except FileNotFoundError:
            mtime = 0
        return mtime, self.store.segment_names()

    def refresh(self, force: bool = False) -> None:
        """Follow the segments folder if it changed (or always with ``force``)."""
        state = self._current_state()
        if not force and state == self._state:
            return
        with self._lock:
            if not force and state == self._state:
                return
            good = _build_views(self.con, usable_segments(self.store), self.store)
            total = sum(s.rows("events") for s in good)
            if total <= self.memory_events and self.background and not self.indexed:
                self._start_build(good, total)
            elif total <= self.memory_events:
                self._sync_index(good)
                self.indexed = True
            else:
                if self.indexed:
                    log.info("store %s: %d events, more than %d: querying Parquet directly",
                             self.store.root, total, self.memory_events)
                self._sync_index([])
                self.indexed = False
            self._state = state
            with self._memo_lock:
                self._generation += 1
                self._counts = {}

    def _start_build(self, segments: Sequence[SegmentInfo], total: int) -> None:
        """Build the index in a thread; meanwhile queries read the Parquet views."""
        if self._building is not None and self._building.is_alive():
            return  # it holds the lock until done; the next refresh syncs what changed
        self._building = threading.Thread(
            target=self._build, args=(list(segments), total), name="dragoman-event-index",
            daemon=True)
        self._building.start()

    def _build(self, segments: list[SegmentInfo], total: int) -> None:
        t0 = time.perf_counter()
        with self._lock:  # a refresh that finds new segments waits for the index
            cur = self.con.cursor()
            try:
                self._sync_index(segments, cur)
            except Exception:  # the Parquet views keep answering
                log.warning("store %s: building the event index failed; querying Parquet",
                            self.store.root, exc_info=True)
                return
            finally:
                cur.close()
            self.indexed = True
        log.info("store %s: index of %d events ready in %.1f s", self.store.root, total,
                 time.perf_counter() - t0)

    def wait_indexed(self, timeout: float | None = None) -> bool:
        """Wait for a background index build (if any); whether the reader is indexed."""
        thread = self._building
        if thread is not None:
            thread.join(timeout)
        return self.indexed

    def _sync_index(
        self, segments: Sequence[SegmentInfo], con: duckdb.DuckDBPyConnection | None = None
    ) -> None:
        con = self.con if con is None else con
        wanted = {s.id: s for s in segments if s.files.get("events")}
        schema = table_schema("events")
        arrow = dict(self._arrow)
        for seg_id in [k for k in self._seg_no if k not in wanted]:
            no = self._seg_no.pop(seg_id)
            con.execute("DELETE FROM _events_ix WHERE _seg = ?", [no])
            arrow.pop(no, None)
        for seg_id, seg in wanted.items():
            if seg_id in self._seg_no:
                continue
            path = seg.path / seg.files["events"]["file"]
            try:
                t = conform(pq.read_table(path), schema)
            except Exception as e:  # noqa: BLE001 - a damaged file: leave the segment out
                log.warning("store %s: segment %s skipped, events unreadable (%s)",
                            self.store.root, seg_id, e)
                continue
            no = self._next_no
            self._next_no += 1
            numbered = _with_intervals(
                t.append_column("__row", pa.array(range(t.num_rows), pa.int64())))
            con.register("__dragoman_new", numbered)
            try:
                self._insert(con, no)
            finally:
                con.unregister("__dragoman_new")
                con.execute("DROP TABLE IF EXISTS __dragoman_derived")
            self._seg_no[seg_id] = no
            arrow[no] = t
        self._arrow = arrow  # replaced, never mutated: readers holding the old one are safe

    def _insert(self, con: duckdb.DuckDBPyConnection, no: int) -> None:
        """Index the registered ``__dragoman_new`` rows as segment number ``no``."""
        con.execute(
            "CREATE TEMP TABLE __dragoman_derived AS SELECT ?::INTEGER AS __seg, __row, "
            f"{_INDEX_COLUMNS} FROM __dragoman_new",
            [no],
        )
        for col in DICT_COLUMNS:
            # new distinct values get the next keys; keys of removed segments stay (unused)
            con.execute(
                f'INSERT INTO "_d{col}" SELECT (SELECT coalesce(max(k), 0) FROM "_d{col}") '
                f'+ row_number() OVER ()::INTEGER, w FROM (SELECT DISTINCT {col} AS w '
                f'FROM __dragoman_derived EXCEPT SELECT w FROM "_d{col}")'
            )
        con.execute(
            f"INSERT INTO _events_ix SELECT {_IX_SELECT} FROM __dragoman_derived AS n "
            + " ".join(f'LEFT JOIN "_d{c}" AS "d{c}" ON "d{c}".w IS NOT DISTINCT FROM n.{c}'
                       for c in DICT_COLUMNS)
        )

    def count(self, key: tuple[Any, ...], compute: Any) -> int:
        """``compute()`` (a count over the current segments), remembered per ``key``.

        The memo is emptied whenever the segments change, so a count is never stale; it
        makes paging through one filter (and the web page's total) cost one count.
        """
        gen = self._generation
        with self._memo_lock:
            if gen in self._counts and key in self._counts[gen]:
                memo = self._counts[gen]
                memo.move_to_end(key)
                return int(memo[key])
        n = int(compute())
        with self._memo_lock:
            if gen == self._generation:
                memo = self._counts.setdefault(gen, OrderedDict())
                memo[key] = n
                while len(memo) > COUNT_MEMO:
                    memo.popitem(last=False)
        return n

    def clear_counts(self) -> None:
        """Forget the remembered counts (benchmarks use this to time the count itself)."""
        with self._memo_lock:
            self._counts = {}

    def take(self, locs: Sequence[tuple[int, int]]) -> list[dict[str, Any]] | None:
        """The events at (segment number, row) positions, in that order; None if stale."""
        arrow = self._arrow
        by_seg: dict[int, list[int]] = {}
        for no, row in locs:
            by_seg.setdefault(no, []).append(row)
        got: dict[tuple[int, int], dict[str, Any]] = {}
        for no, rows in by_seg.items():
            t = arrow.get(no)
            if t is None:
                return None
            # slices are zero-copy; Table.take would concatenate the chunks of nested columns
            for row in rows:
                got[(no, row)] = t.slice(row, 1).to_pylist()[0]
        return [got[(no, row)] for no, row in locs]

    def cursor(self) -> duckdb.DuckDBPyConnection:
        self.refresh()
        return self.con.cursor()

    def _run(self, fn: Any) -> Any:
        cur = self.cursor()
        try:
            try:
                return fn(cur)
            except duckdb.IOException:
                # a compaction removed files between our listing and the scan: relist, retry
                self.refresh(force=True)
                cur.close()
                cur = self.con.cursor()
                return fn(cur)
        finally:
            cur.close()

    def fetchall(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return self._run(lambda cur: cur.execute(sql, list(params)).fetchall())

    def fetch_arrow(self, sql: str, params: Sequence[Any]) -> pa.Table:
        return self._run(lambda cur: to_arrow(cur.sql(sql, params=list(params))))

    def fetch_dicts(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        return self.fetch_arrow(sql, params).to_pylist()

    def iter_batches(
        self, sql: str, params: Sequence[Any], batch_size: int = 10_000
    ) -> Iterator[pa.RecordBatch]:
        """Stream a query's result; the cursor stays open until the iterator is exhausted."""
        cur = self.cursor()
        try:
            yield from record_batches(cur.sql(sql, params=list(params)), batch_size)
        finally:
            cur.close()
