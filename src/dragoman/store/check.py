"""``check_store``: verify a store's integrity and say what to do about each problem."""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from dataclasses import dataclass
from typing import Literal

import pyarrow.parquet as pq

from .manifest import MANIFEST, SegmentInfo, sha256_file
from .schema import LATER_TABLES, RECORD_TABLES, SCHEMA_VERSION, TABLES
from .segments import REPLACED_GRACE_SECONDS, Store

__all__ = ["Problem", "check_store"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    """One finding of ``check_store``. ``severity``: error (data unreadable, wrong or
    duplicated) or warning (harmless leftovers, cleaned automatically)."""

    severity: Literal["error", "warning"]
    path: str
    message: str
    fix: str


def _recently_replaced(store: Store, everything: list[SegmentInfo]) -> set[str]:
    now = time.time()
    out: set[str] = set()
    for seg in everything:
        try:
            age = now - (seg.path / MANIFEST).stat().st_mtime
        except OSError:
            continue
        if seg.replaces and age < REPLACED_GRACE_SECONDS:
            out.update(seg.replaces)
    return out


def check_store(store: Store, sample: int = 5) -> list[Problem]:
    """Every problem found in the store (an empty list means it is sound).

    Checks the schema version, every segment's manifest, file sizes and sha256 checksums,
    that each Parquet file reads with the row count its manifest records, duplicate
    ``events.id`` / ``documents.doc_id`` across segments, and records whose ``doc_id`` has no
    document. ``sample`` bounds how many example ids a message lists.
    """
    problems: list[Problem] = []
    root = store.root

    version = store.schema_version()
    if version > SCHEMA_VERSION:  # Store.open refuses this; kept for stores opened otherwise
        problems.append(
            Problem("error", str(root / "store.json"),
                    f"schema version {version} is newer than this dragoman's {SCHEMA_VERSION}",
                    "upgrade dragoman")
        )

    # leftovers
    tmp = store.tmp_dir
    if tmp.is_dir():
        for p in sorted(tmp.iterdir()):
            problems.append(
                Problem("warning", str(p), "unfinished segment left by a writer that stopped",
                        "nothing to do: the next writer removes it (it was never visible)")
            )
    lock = store.lock_path
    if lock.exists():
        try:
            data = json.loads(lock.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        pid, host = data.get("pid"), data.get("host")
        alive = True
        if host == socket.gethostname() and isinstance(pid, int):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                alive = False
            except PermissionError:
                pass
        if not alive:
            problems.append(
                Problem("warning", str(lock), f"stale lock of pid {pid}, which is gone",
                        "nothing to do: the next writer takes it over")
            )

    # segments
    everything = store.segments(include_replaced=True)
    replaced = {r for s in everything for r in s.replaces}
    listed = {s.id for s in everything}
    if store.segments_dir.is_dir():
        for p in sorted(store.segments_dir.iterdir()):
            if p.name.startswith("."):
                continue
            if not p.is_dir():
                problems.append(
                    Problem("warning", str(p), "a stray file among the segments",
                            "remove it; only segment folders belong in segments/")
                )
            elif p.name not in listed:
                problems.append(
                    Problem("error", str(p), f"segment without a readable {MANIFEST}; "
                            "its records are not visible",
                            f"restore it from a backup or remove the folder {p}")
                )
    fresh = _recently_replaced(store, everything)
    for seg in everything:
        if seg.id in fresh:
            continue  # replaced moments ago: kept for readers that listed it, then removed
        if seg.id in replaced:
            problems.append(
                Problem("warning", str(seg.path), "segment already merged by compaction",
                        "nothing to do: the next writer removes it (readers skip it)")
            )
            continue
        for table in TABLES:
            entry = seg.files.get(table)
            if entry is None and table in LATER_TABLES:
                continue  # written before the table existed: read as empty
            if entry is None:
                problems.append(
                    Problem("error", str(seg.path), f"manifest lists no file for table {table}",
                            f"restore the segment from a backup or remove {seg.path}")
                )
                continue
            path = seg.path / entry["file"]
            fix = (f"restore {path} from a backup, or remove the segment folder {seg.path} "
                   "(its documents are then re-processed by the next run of the same input)")
            if not path.exists():
                problems.append(Problem("error", str(path), "file missing", fix))
                continue
            size = path.stat().st_size
            if entry.get("bytes") is not None and size != entry["bytes"]:
                problems.append(
                    Problem("error", str(path),
                            f"size {size} bytes, manifest says {entry['bytes']} (truncated?)", fix)
                )
                continue
            if entry.get("sha256") and sha256_file(path) != entry["sha256"]:
                problems.append(
                    Problem("error", str(path), "sha256 checksum does not match the manifest",
                            fix)
                )
                continue
            try:
                rows = pq.read_table(path).num_rows
            except Exception as e:  # noqa: BLE001 - any reader failure is the finding
                problems.append(Problem("error", str(path), f"unreadable Parquet: {e}", fix))
                continue
            if rows != entry.get("rows", rows):
                problems.append(
                    Problem("error", str(path),
                            f"{rows} rows, manifest says {entry['rows']}", fix)
                )

    # records (over the segments connect() can read)
    con = store.connect()
    try:
        for table, col in (("events", "id"), ("documents", "doc_id"), ("quotes", "id")):
            dups = con.execute(
                f'SELECT "{col}", count(*) AS n FROM "{table}" GROUP BY 1 HAVING n > 1 '
                "ORDER BY n DESC, 1 LIMIT ?",
                [sample],
            ).fetchall()
            if dups:
                total = con.execute(
                    f'SELECT count(*) FROM (SELECT "{col}" FROM "{table}" GROUP BY 1 '
                    "HAVING count(*) > 1)"
                ).fetchone()
                problems.append(
                    Problem("error", str(store.segments_dir),
                            f"{total[0] if total else len(dups)} duplicated {table}.{col} "
                            f"(e.g. {', '.join(repr(d[0]) for d in dups)})",
                            "two segments hold the same records: remove the newer duplicate "
                            "segment (see each segment's manifest.json run_id)")
                )
        for table in RECORD_TABLES:
            if table == "documents":
                continue
            orphans = con.execute(
                f'SELECT DISTINCT t.doc_id FROM "{table}" t ANTI JOIN documents d '
                "ON t.doc_id = d.doc_id ORDER BY 1 LIMIT ?",
                [sample],
            ).fetchall()
            if orphans:
                problems.append(
                    Problem("error", str(store.segments_dir),
                            f"{table} records whose document is missing (doc_id "
                            f"{', '.join(repr(o[0]) for o in orphans)})",
                            "a segment was removed or damaged: restore it, or re-run the "
                            "input so the documents are written again")
                )
    finally:
        con.close()
    for prob in problems:
        log.debug("check %s: %s %s: %s", root, prob.severity, prob.path, prob.message)
    return problems
