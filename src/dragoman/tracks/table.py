"""The track tables of a store: ``<store>/tracks/``, written atomically, read by anyone.

Layout (docs/store.md)::

    <store>/tracks/CURRENT             the name of the current version (one line)
    <store>/tracks/<version>/links.parquet     record → track links with score and evidence
    <store>/tracks/<version>/stances.parquet   the stance table's rows
    <store>/tracks/<version>/meta.json         tracks file, its fingerprint, the segments read
    <store>/tracks/digests/<track>/<stamp>.json  what each digest reported (for the next one)

A write makes ``.tmp-<version>/``, fills and fsyncs it, renames it to ``<version>/``, then
replaces ``CURRENT`` (a temp file and ``os.replace``): a reader sees the old version or the
new one, never a half-written one. Versions older than the previous one are removed.
The segments' own tables are never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

__all__ = [
    "LINKS_SCHEMA",
    "STANCES_SCHEMA",
    "current_version",
    "read_meta",
    "read_table",
    "tracks_dir",
    "write_tables",
]

LINKS_SCHEMA = pa.schema([
    pa.field("track", pa.string(), nullable=False),
    pa.field("proposal", pa.string()),
    pa.field("kind", pa.string(), nullable=False),  # document | event | quote | incident
    pa.field("record_id", pa.string(), nullable=False),
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("score", pa.float64(), nullable=False),
    pa.field("basis", pa.string(), nullable=False),  # sentence | paragraph | document
    pa.field("evidence_start", pa.int64(), nullable=False),
    pa.field("evidence_end", pa.int64(), nullable=False),
    pa.field("evidence", pa.string(), nullable=False),
    pa.field("terms", pa.list_(pa.string())),
    pa.field("date", pa.string()),
    pa.field("event_type", pa.string()),
    pa.field("actor", pa.string()),
    pa.field("recipient", pa.string()),
    pa.field("place", pa.string()),
])

STANCES_SCHEMA = pa.schema([
    pa.field("track", pa.string(), nullable=False),
    pa.field("proposal", pa.string()),
    pa.field("actor", pa.string(), nullable=False),
    pa.field("actor_kb", pa.string()),
    pa.field("actor_country", pa.string()),
    pa.field("stance", pa.string(), nullable=False),
    pa.field("source", pa.string(), nullable=False),  # event | quote
    pa.field("via", pa.string(), nullable=False),  # actor | speaker | partner
    pa.field("record_id", pa.string(), nullable=False),
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("date", pa.string()),
    pa.field("evidence_start", pa.int64(), nullable=False),
    pa.field("evidence_end", pa.int64(), nullable=False),
    pa.field("evidence", pa.string(), nullable=False),
    pa.field("cue", pa.string()),
    pa.field("hedge", pa.string()),
    pa.field("score", pa.float64(), nullable=False),
    pa.field("previous", pa.string()),
    pa.field("changed", pa.bool_(), nullable=False),
])

_SCHEMAS = {"links": LINKS_SCHEMA, "stances": STANCES_SCHEMA}


def tracks_dir(store_root: Path | str) -> Path:
    return Path(store_root) / "tracks"


def current_version(store_root: Path | str) -> Path | None:
    """The folder of the current track tables, or None when ``dragoman track`` never ran."""
    root = tracks_dir(store_root)
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = root / name
    return path if path.is_dir() else None


def read_meta(store_root: Path | str) -> dict[str, Any] | None:
    cur = current_version(store_root)
    if cur is None:
        return None
    meta: dict[str, Any] = json.loads((cur / "meta.json").read_text(encoding="utf-8"))
    return meta


def read_table(store_root: Path | str, name: str) -> pa.Table:
    """``links`` or ``stances`` of the current version (an empty table when there is none)."""
    schema = _SCHEMAS[name]
    cur = current_version(store_root)
    if cur is None or not (cur / f"{name}.parquet").exists():
        return schema.empty_table()
    return pq.read_table(cur / f"{name}.parquet")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_tables(store_root: Path | str, rows: dict[str, list[dict[str, Any]]],
                 meta: dict[str, Any]) -> Path:
    """Write a new version of the track tables and make it current; its folder."""
    root = tracks_dir(store_root)
    root.mkdir(parents=True, exist_ok=True)
    version = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:8]
    tmp = root / f".tmp-{version}"
    tmp.mkdir()
    meta = {**meta, "version": version}
    try:
        for name, schema in _SCHEMAS.items():
            table = pa.Table.from_pylist(rows.get(name, []), schema=schema)
            pq.write_table(table, tmp / f"{name}.parquet")
            _fsync(tmp / f"{name}.parquet")
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        _fsync(tmp / "meta.json")
        final = root / version
        os.rename(tmp, final)
        pointer = root / f".CURRENT-{version}"
        pointer.write_text(version + "\n", encoding="utf-8")
        _fsync(pointer)
        previous = current_version(store_root)
        os.replace(pointer, root / "CURRENT")
        _fsync(root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    keep = {version, previous.name if previous else None, "digests"}
    for p in root.iterdir():
        if p.is_dir() and p.name not in keep and not p.name.startswith(".tmp-"):
            shutil.rmtree(p, ignore_errors=True)
    return final
