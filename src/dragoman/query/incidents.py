"""Incidents over a store: one record per real happening within a document, filtered.

``query_incidents(store, IncidentQuery(...))`` is what ``dragoman incidents`` and the
dashboard call; ``count_incidents`` gives the number that match (for paging). Rows are the
``incidents`` table's contract dicts (``docs/schema.md``) plus ``killed`` (the largest
killed figure, low bound) for sorting and display, and the document's ``duplicate_of``;
``cluster_id`` comes from the cluster tables (``dragoman cluster``) when the store has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..clusters.table import read_table
from ..errors import QueryError
from ..extract.incidents.lexicon import CAUSES
from ..store._intervals import lo_sql, within_sql
from ..store.segments import Store
from .api import MAX_LIMIT, check_date, columns
from .tracked import check_track, track_clause

__all__ = ["IncidentQuery", "count_incidents", "incident_where", "query_incidents"]

_ORDERS = {"date": f"{lo_sql('i.date')} ASC NULLS LAST, i.doc_id, i.id",
           "killed": f"killed DESC NULLS LAST, {lo_sql('i.date')}, i.id",
           "doc": "i.doc_id, i.id"}

_KILLED = ("greatest(coalesce(i.casualties.killed.total.low, i.casualties.killed.total.high), "
           "coalesce(i.casualties.killed.civilians.low, i.casualties.killed.civilians.high), "
           "coalesce(i.casualties.killed.combatants.low, i.casualties.killed.combatants.high), "
           "coalesce(i.casualties.killed.children.low, i.casualties.killed.children.high), "
           "coalesce(i.casualties.killed.women.low, i.casualties.killed.women.high))")


@dataclass(frozen=True)
class IncidentQuery:
    """Filters over incidents; every field optional.

    ``place`` matches the location's name, text or first-order division (substring, case
    ignored); ``since``/``until`` are ISO dates the incident's date falls within;
    ``min_killed`` keeps incidents whose largest killed figure reaches it; ``copies=False``
    leaves out incidents of near-copies (documents with ``duplicate_of``).
    """

    doc_id: str | None = None
    event_type: str | None = None
    cause: str | None = None
    country: str | None = None
    place: str | None = None
    since: str | None = None
    until: str | None = None
    min_killed: int | None = None
    with_casualties: bool = False
    copies: bool = True
    order: str = "date"
    limit: int = 50
    offset: int = 0
    track: str | None = None  # incidents `dragoman track` linked to this track

    def validate(self) -> None:
        check_track(self.track)
        if self.cause is not None and self.cause not in CAUSES:
            raise QueryError(f"unknown cause {self.cause!r}; choose one of {', '.join(CAUSES)}")
        if self.order not in _ORDERS:
            raise QueryError(f"unknown order {self.order!r}; choose one of "
                             f"{', '.join(_ORDERS)}")
        check_date("since", self.since)
        check_date("until", self.until)
        if not 0 <= self.limit <= MAX_LIMIT or self.offset < 0:
            raise QueryError(f"limit must be 0..{MAX_LIMIT} and offset >= 0")
        if self.min_killed is not None and self.min_killed < 0:
            raise QueryError("min_killed must be >= 0")


def incident_where(q: IncidentQuery, store: Store | None = None) -> tuple[str, list[Any]]:
    """The WHERE clause (leading `` WHERE ``, or '') of an incident filter over
    ``incidents i LEFT JOIN documents d``, and its parameters; ``q.track`` needs ``store``."""
    parts: list[str] = []
    params: list[Any] = []
    if q.doc_id is not None:
        parts.append("i.doc_id = ?")
        params.append(q.doc_id)
    if q.event_type is not None:
        parts.append("i.event_type = ?")
        params.append(q.event_type.upper())
    if q.cause is not None:
        parts.append("i.cause = ?")
        params.append(q.cause)
    if q.country is not None:
        parts.append("i.location.country = ?")
        params.append(q.country.upper())
    if q.place is not None:
        parts.append("(lower(i.location.name) LIKE ? OR lower(i.location.text) LIKE ? "
                     "OR lower(i.location.admin1) LIKE ?)")
        params += [f"%{q.place.lower()}%"] * 3
    # dates are compared as the days they denote (a week, a month), like the events' filter
    days, values = within_sql("i.date", q.since, q.until)
    parts += days
    params += values
    if q.min_killed is not None:
        parts.append(f"{_KILLED} >= ?")
        params.append(q.min_killed)
    if q.with_casualties:
        parts.append("len(i.casualties.figures) > 0")
    if not q.copies:
        parts.append("d.duplicate_of IS NULL")
    if q.track is not None:
        cond, extra = track_clause(store, q.track, "incident", "i.id")
        parts.append(cond)
        params += extra
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def query_incidents(store: Store, q: IncidentQuery | None = None) -> list[dict[str, Any]]:
    """The incidents that match ``q``, in its order, one page."""
    q = q or IncidentQuery()
    q.validate()
    where, params = incident_where(q, store)
    cols = ", ".join(f"i.{c}" for c in columns("incidents").split(", "))
    sql = (f"SELECT {cols}, {_KILLED} AS killed, d.duplicate_of AS duplicate_of "
           f"FROM incidents i LEFT JOIN documents d ON d.doc_id = i.doc_id{where} "
           f"ORDER BY {_ORDERS[q.order]} LIMIT ? OFFSET ?")
    rows = store.reader().fetch_dicts(sql, [*params, q.limit, q.offset])
    clusters = _clusters_of(store, [r["id"] for r in rows])
    for r in rows:
        r["cluster_id"] = clusters.get(r["id"], r.get("cluster_id"))
    return rows


def _clusters_of(store: Store, ids: list[str]) -> dict[str, str]:
    """incident id → cluster id from the cluster tables (``dragoman cluster``), if any."""
    members = read_table(store.root, "members")
    if not ids or members.num_rows == 0:
        return {}
    wanted = set(ids)
    return {i: c for i, c in zip(members.column("incident_id").to_pylist(),
                                 members.column("cluster_id").to_pylist(), strict=True)
            if i in wanted}


def count_incidents(store: Store, q: IncidentQuery | None = None) -> int:
    """How many incidents match ``q`` (its limit and offset ignored)."""
    q = q or IncidentQuery()
    q.validate()
    where, params = incident_where(q, store)
    rows = store.reader().fetch_dicts(
        "SELECT count(*) AS n FROM incidents i LEFT JOIN documents d ON d.doc_id = i.doc_id"
        f"{where}", params)
    return int(rows[0]["n"]) if rows else 0
