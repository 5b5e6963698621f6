"""The cluster tables of a store: ``<store>/clusters/``, written atomically, read by anyone.

Layout (docs/store.md)::

    <store>/clusters/CURRENT                  the name of the current version (one line)
    <store>/clusters/<version>/members.parquet    incident → cluster assignments
    <store>/clusters/<version>/clusters.parquet   one row per cluster: sources, reports,
                                                  agreed fields, disagreements
    <store>/clusters/<version>/meta.json          settings, overrides file, counts
    <store>/clusters/overrides.yaml           hand-made splits and merges (optional)

A write makes ``.tmp-<version>/``, fills and fsyncs it, renames it to ``<version>/``, then
replaces ``CURRENT`` (a temp file and ``os.replace``): a reader sees the old version or the
new one, never a half-written one. Versions older than the previous one are removed. The
segments' own tables are never touched: the store stays append-only.

The overrides file (read through ``dragoman._data``, errors as ``file:line``)::

    split:            # each incident is taken out of its cluster and stays on its own
      - 3f2a9c...
    merge:            # the clusters of each list's incidents become one cluster
      - [3f2a9c..., 81be02...]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from .. import _data
from ..errors import DataFileError
from ..store.derived import DerivedTables

__all__ = [
    "CLUSTERS_SCHEMA",
    "MEMBERS_SCHEMA",
    "Overrides",
    "clusters_dir",
    "current_version",
    "read_meta",
    "read_overrides",
    "read_table",
    "write_tables",
]

_S, _I, _F = pa.string(), pa.int64(), pa.float64()

MEMBERS_SCHEMA = pa.schema([
    pa.field("incident_id", _S, nullable=False),
    pa.field("doc_id", _S, nullable=False),
    pa.field("cluster_id", _S, nullable=False),
    pa.field("auto_cluster", _S, nullable=False),  # before the overrides
    pa.field("how", _S, nullable=False),  # auto | split | merge
])

REPORT = pa.struct([
    ("incident_id", _S), ("doc_id", _S), ("source", _S), ("published", _S),
    ("copy_of", _S), ("date", _S), ("place", _S), ("admin1", _S), ("precision", _S),
    ("cause", _S), ("killed_low", _I), ("killed_high", _I), ("civilians_low", _I),
    ("civilians_high", _I), ("injured_low", _I), ("injured_high", _I),
    ("attributed_to", _S),
])

CLUSTERS_SCHEMA = pa.schema([
    pa.field("cluster_id", _S, nullable=False),
    pa.field("event_type", _S, nullable=False),
    pa.field("n_incidents", _I, nullable=False),
    pa.field("n_documents", _I, nullable=False),
    pa.field("n_sources", _I, nullable=False),
    pa.field("documents", pa.list_(_S)),
    pa.field("sources", pa.list_(_S)),
    pa.field("first_report", _S),
    pa.field("last_report", _S),
    pa.field("date", _S),
    pa.field("place", _S),
    pa.field("admin1", _S),
    pa.field("country", _S),
    pa.field("lat", _F),
    pa.field("lon", _F),
    pa.field("geonameid", _I),
    pa.field("cause", _S),
    pa.field("killed_min", _I),
    pa.field("killed_max", _I),
    pa.field("disagreements", pa.list_(_S)),
    pa.field("reports", pa.list_(REPORT)),
])

_SCHEMAS = {"members": MEMBERS_SCHEMA, "clusters": CLUSTERS_SCHEMA}


def clusters_dir(store_root: Path | str) -> Path:
    return Path(store_root) / "clusters"


def _tables(store_root: Path | str) -> DerivedTables:
    return DerivedTables(store_root, "clusters", _SCHEMAS, keep=())


def current_version(store_root: Path | str) -> Path | None:
    """The folder of the current cluster tables, or None when there are none."""
    return _tables(store_root).current()


def read_meta(store_root: Path | str) -> dict[str, Any] | None:
    return _tables(store_root).meta()


def read_table(store_root: Path | str, name: str) -> pa.Table:
    """A table of the current version (an empty one when there is none)."""
    return _tables(store_root).read(name)


def write_tables(store_root: Path | str, rows: dict[str, list[dict[str, Any]]],
                 meta: dict[str, Any]) -> Path:
    """Write a new version of the cluster tables and make it current; its folder."""
    return _tables(store_root).write(rows, meta)


@dataclass(frozen=True)
class Overrides:
    """Hand-made corrections: incidents split off on their own, incident groups merged.
    ``where`` gives each named incident id the ``file:line`` that names it."""

    split: tuple[str, ...] = ()
    merge: tuple[tuple[str, ...], ...] = ()
    where: tuple[tuple[str, str], ...] = ()

    def origin(self, incident_id: str) -> str:
        return dict(self.where).get(incident_id, "overrides")


def read_overrides(path: Path | str) -> Overrides:
    """The overrides file at ``path`` (an empty one when the file does not exist)."""
    path = Path(path)
    if not path.exists():
        return Overrides()
    node = _data.compose_yaml(path)
    if node is None:
        return Overrides()
    data = _data.construct(node, path)
    if not isinstance(data, dict) or set(data) - {"split", "merge"}:
        raise DataFileError(f"{path}:1: expected a mapping with `split` and/or `merge`")
    where: list[tuple[str, str]] = []
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:  # type: ignore[union-attr]
        lines[key_node.value] = value_node.start_mark.line + 1
        items = value_node.value if isinstance(value_node.value, list) else []
        for item in items:
            inner = item.value if isinstance(item.value, list) else [item]
            for leaf in inner:
                where.append((str(leaf.value), f"{path}:{leaf.start_mark.line + 1}"))
    split = data.get("split") or []
    merge = data.get("merge") or []
    if not isinstance(split, list) or not all(isinstance(x, str) for x in split):
        raise DataFileError(f"{path}:{lines.get('split', 1)}: `split` must be a list of "
                            "incident ids")
    if not isinstance(merge, list) or not all(
            isinstance(g, list) and len(g) >= 2 and all(isinstance(x, str) for x in g)
            for g in merge):
        raise DataFileError(f"{path}:{lines.get('merge', 1)}: `merge` must be a list of "
                            "lists of at least two incident ids")
    return Overrides(tuple(split), tuple(tuple(g) for g in merge), tuple(where))
