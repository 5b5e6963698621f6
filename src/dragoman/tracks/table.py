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

from pathlib import Path
from typing import Any

import pyarrow as pa

from ..store.derived import DerivedTables

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


def _tables(store_root: Path | str) -> DerivedTables:
    return DerivedTables(store_root, "tracks", _SCHEMAS, keep=('digests',))


def current_version(store_root: Path | str) -> Path | None:
    """The folder of the current track tables, or None when there are none."""
    return _tables(store_root).current()


def read_meta(store_root: Path | str) -> dict[str, Any] | None:
    return _tables(store_root).meta()


def read_table(store_root: Path | str, name: str) -> pa.Table:
    """A table of the current version (an empty one when there is none)."""
    return _tables(store_root).read(name)


def write_tables(store_root: Path | str, rows: dict[str, list[dict[str, Any]]],
                 meta: dict[str, Any]) -> Path:
    """Write a new version of the track tables and make it current; its folder."""
    return _tables(store_root).write(rows, meta)
