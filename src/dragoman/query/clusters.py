"""Clusters over a store: one record per happening reported by several documents, filtered.

``query_clusters(store, ClusterQuery(...))`` is what ``dragoman clusters`` calls;
``count_clusters`` gives the number that match; ``export_clusters`` writes them as JSONL,
CSV or Parquet (``dragoman export --what clusters``). Rows are the cluster table's records
(``docs/schema.md``, section clusters): distinct sources and documents, first and last
report, the agreed date, place and cause, ``disagreements`` (the fields on which reports
differ) and ``reports`` (each document's own figures, place, date and cause).
The tables are written by ``dragoman cluster`` (and after every run); a store never
clustered has none.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ..clusters.table import CLUSTERS_SCHEMA, current_version
from ..errors import QueryError
from ..store._intervals import lo_sql, within_sql
from ..store.duck import to_arrow
from ..store.segments import Store
from .api import MAX_LIMIT, check_date
from .export import FORMATS, flatten

__all__ = ["DISAGREEMENTS", "ClusterQuery", "count_clusters", "export_clusters",
           "query_clusters"]

#: the fields a cluster's reports can disagree on
DISAGREEMENTS = ("killed", "civilians", "injured", "place", "admin1", "date", "cause")

_ORDERS = {"date": f"{lo_sql('date')} ASC NULLS LAST, cluster_id",
           "documents": "n_documents DESC, date, cluster_id",
           "killed": "killed_max DESC NULLS LAST, date, cluster_id"}


@dataclass(frozen=True)
class ClusterQuery:
    """Filters over clusters; every field optional.

    ``min_documents`` (default 2) leaves out clusters reported by fewer documents;
    ``disagreement`` keeps clusters whose reports differ on that field (``DISAGREEMENTS``);
    ``place`` matches the agreed place or first-order division (substring, case ignored);
    ``since``/``until`` bound the agreed date (else the first report).
    """

    cluster_id: str | None = None
    doc_id: str | None = None
    event_type: str | None = None
    cause: str | None = None
    country: str | None = None
    place: str | None = None
    since: str | None = None
    until: str | None = None
    min_documents: int = 2
    disagreement: str | None = None
    order: str = "date"
    limit: int = 50
    offset: int = 0

    def validate(self) -> None:
        if self.order not in _ORDERS:
            raise QueryError(f"unknown order {self.order!r}; choose one of {', '.join(_ORDERS)}")
        if self.disagreement is not None and self.disagreement not in DISAGREEMENTS:
            raise QueryError(f"unknown disagreement {self.disagreement!r}; choose one of "
                             f"{', '.join(DISAGREEMENTS)}")
        check_date("since", self.since)
        check_date("until", self.until)
        if not 0 <= self.limit <= MAX_LIMIT or self.offset < 0 or self.min_documents < 0:
            raise QueryError(f"limit must be 0..{MAX_LIMIT}, offset and min_documents >= 0")


def _where(q: ClusterQuery) -> tuple[str, list[Any]]:
    parts = ["n_documents >= ?"]
    params: list[Any] = [q.min_documents]
    for column, value in (("cluster_id", q.cluster_id), ("cause", q.cause),
                          ("event_type", q.event_type and q.event_type.upper()),
                          ("country", q.country and q.country.upper())):
        if value is not None:
            parts.append(f"{column} = ?")
            params.append(value)
    if q.doc_id is not None:
        parts.append("list_contains(documents, ?)")
        params.append(q.doc_id)
    if q.place is not None:
        parts.append("(lower(place) LIKE ? OR lower(admin1) LIKE ?)")
        params += [f"%{q.place.lower()}%"] * 2
    # the days the agreed date (else the first report) denotes, like the events' filter
    days, values = within_sql("coalesce(date, first_report)", q.since, q.until)
    parts += days
    params += values
    if q.disagreement is not None:
        parts.append("list_contains(disagreements, ?)")
        params.append(q.disagreement)
    return " WHERE " + " AND ".join(parts), params


def _run(store: Store, select: str, q: ClusterQuery, tail: str = "",
         extra: list[Any] | None = None) -> pa.Table:
    cur = current_version(store.root)
    if cur is None:
        return CLUSTERS_SCHEMA.empty_table() if select == "*" else pa.table({"n": [0]})
    where, params = _where(q)
    con = duckdb.connect()
    try:
        path = str(cur / "clusters.parquet").replace("'", "''")
        sql = f"SELECT {select} FROM read_parquet('{path}'){where}{tail}"
        return to_arrow(con.sql(sql, params=[*params, *(extra or [])]))
    finally:
        con.close()


def query_clusters(store: Store, q: ClusterQuery | None = None) -> list[dict[str, Any]]:
    """The clusters that match ``q``, in its order, one page."""
    q = q or ClusterQuery()
    q.validate()
    rows: list[dict[str, Any]] = _run(store, "*", q, f" ORDER BY {_ORDERS[q.order]} "
                                      "LIMIT ? OFFSET ?", [q.limit, q.offset]).to_pylist()
    return rows


def count_clusters(store: Store, q: ClusterQuery | None = None) -> int:
    """How many clusters match ``q`` (its limit and offset ignored)."""
    q = q or ClusterQuery()
    q.validate()
    return int(_run(store, "count(*) AS n", q).column("n")[0].as_py())


def _csv_columns() -> list[tuple[str, str, list[str], bool]]:
    out = []
    for f in CLUSTERS_SCHEMA:
        t = f.type
        if pa.types.is_list(t) and pa.types.is_struct(t.value_type):
            for i in range(t.value_type.num_fields):
                sub = t.value_type.field(i).name
                out.append((f"{f.name}_{sub}", f.name, [sub], True))
        else:
            out.append((f.name, f.name, [], pa.types.is_list(t)))
    return out


def export_clusters(store: Store, fmt: str, out: str | Path | BinaryIO | None,
                    q: ClusterQuery | None = None) -> int:
    """Write the clusters that match ``q`` (default: every cluster of two or more
    documents, no page limit) as ``fmt`` to ``out`` (a path, a binary file, or None for
    standard output); the number written. CSV flattens ``reports`` into one column per
    field, the reports' values joined with ``;`` in report order."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    q = q or ClusterQuery()
    q.validate()
    table = _run(store, "*", q, f" ORDER BY {_ORDERS[q.order]}")
    table = table.cast(CLUSTERS_SCHEMA) if table.num_rows else CLUSTERS_SCHEMA.empty_table()
    if fmt == "parquet":
        if out is None:
            raise QueryError("parquet export needs an output file")
        pq.write_table(table, out, compression="zstd")
        return table.num_rows
    rows = table.to_pylist()
    if fmt == "jsonl":
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    else:
        buf = io.StringIO(newline="")
        w = csv.writer(buf)
        cols = _csv_columns()
        w.writerow([c[0] for c in cols])
        w.writerows(flatten(r, cols) for r in rows)
        data = buf.getvalue()
    raw = data.encode("utf-8")
    if out is None:
        sys.stdout.buffer.write(raw)
    elif isinstance(out, (str, Path)):
        Path(out).write_bytes(raw)
    else:
        out.write(raw)
    return len(rows)
