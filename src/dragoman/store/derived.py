"""Tables derived from a store's records, kept beside its segments (tracks, clusters).

Layout, for a derived set named ``NAME``::

    <store>/NAME/CURRENT              the name of the current version (one line)
    <store>/NAME/<version>/<table>.parquet
    <store>/NAME/<version>/meta.json  what the version was computed from

A write makes ``.tmp-<version>/``, fills and fsyncs it, renames it to ``<version>/``, then
replaces ``CURRENT`` (a temp file and ``os.replace``): a reader sees the old version or the
new one, never a half-written one. Versions older than the previous one are removed; the
names in ``keep`` (e.g. a folder of digests) are never touched, nor are the segments: the
store itself stays append-only.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["DerivedTables"]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class DerivedTables:
    """One set of derived tables of a store (``<store>/<name>/``)."""

    def __init__(self, store_root: Path | str, name: str, schemas: Mapping[str, pa.Schema],
                 keep: Sequence[str] = ()) -> None:
        self.dir = Path(store_root) / name
        self.schemas = dict(schemas)
        self.keep = frozenset(keep)

    def current(self) -> Path | None:
        """The folder of the current version, or None when nothing was written yet."""
        try:
            name = (self.dir / "CURRENT").read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        path = self.dir / name
        return path if name and path.is_dir() else None

    def meta(self) -> dict[str, Any] | None:
        """``meta.json`` of the current version."""
        cur = self.current()
        if cur is None:
            return None
        meta: dict[str, Any] = json.loads((cur / "meta.json").read_text(encoding="utf-8"))
        return meta

    def read(self, table: str) -> pa.Table:
        """A table of the current version (an empty one when there is none)."""
        cur = self.current()
        if cur is None or not (cur / f"{table}.parquet").exists():
            return self.schemas[table].empty_table()
        return pq.read_table(cur / f"{table}.parquet")

    def write(self, rows: Mapping[str, list[dict[str, Any]]], meta: Mapping[str, Any]) -> Path:
        """Write a new version with these rows and make it current; its folder."""
        self.dir.mkdir(parents=True, exist_ok=True)
        version = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:8]
        tmp = self.dir / f".tmp-{version}"
        tmp.mkdir()
        info = {**meta, "version": version}
        try:
            for name, schema in self.schemas.items():
                table = pa.Table.from_pylist(rows.get(name, []), schema=schema)
                pq.write_table(table, tmp / f"{name}.parquet")
                _fsync(tmp / f"{name}.parquet")
            (tmp / "meta.json").write_text(json.dumps(info, indent=1, default=str),
                                           encoding="utf-8")
            _fsync(tmp / "meta.json")
            final = self.dir / version
            os.rename(tmp, final)
            pointer = self.dir / f".CURRENT-{version}"
            pointer.write_text(version + "\n", encoding="utf-8")
            _fsync(pointer)
            previous = self.current()
            os.replace(pointer, self.dir / "CURRENT")
            _fsync(self.dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        keep = {version, previous.name if previous else None, *self.keep}
        for p in self.dir.iterdir():
            if p.is_dir() and p.name not in keep and not p.name.startswith(".tmp-"):
                shutil.rmtree(p, ignore_errors=True)
        return final
