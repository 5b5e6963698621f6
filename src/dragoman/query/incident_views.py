"""What the dashboard shows of incidents: one incident, its figures by source, clusters of
incidents across documents, and incident locations for the map.

Every function reads the ``incidents`` table (joined to ``documents`` for the outlet and
publication date; cluster membership from the cluster tables beside the segments) and never
the events: an incident already lists its ``event_ids``, so the
number of event mentions is ``len(event_ids)``. Filters are ``IncidentQuery``'s.
"""

from __future__ import annotations

from typing import Any

from ..clusters.table import current_version as _clusters_version
from ..store.segments import Store
from .api import columns
from .incidents import _KILLED, IncidentQuery, incident_where

__all__ = [
    "count_clusters", "format_count", "get_incident", "incident_clusters",
    "incident_documents", "incident_locations", "incident_sources",
]

_FROM = "FROM incidents i LEFT JOIN documents d ON d.doc_id = i.doc_id"


def _from_clustered(store: Store) -> str:
    """``_FROM`` with each incident's ``cluster_id`` taken from the cluster tables that
    ``dragoman cluster`` (and every run) writes beside the segments, when there are any."""
    cur = _clusters_version(store.root)
    members = cur / "members.parquet" if cur is not None else None
    if members is None or not members.exists():
        return _FROM
    path = str(members).replace("'", "''")
    return ("FROM (SELECT i0.* REPLACE (coalesce(cm.cluster_id, i0.cluster_id) AS cluster_id) "
            f"FROM incidents i0 LEFT JOIN read_parquet('{path}') cm ON cm.incident_id = i0.id) i "
            "LEFT JOIN documents d ON d.doc_id = i.doc_id")


def _and(where: str, cond: str) -> str:
    return f"{where} AND {cond}" if where else f" WHERE {cond}"


def format_count(count: Any) -> str:
    """A casualty count ``{low, high}`` as an analyst reads it: ``12``, ``≥12``, ``≤50``,
    ``12–15`` ('' when unknown)."""
    if not isinstance(count, dict):
        return ""
    low, high = count.get("low"), count.get("high")
    if low is not None and high is not None:
        return str(low) if low == high else f"{low}–{high}"
    if low is not None:
        return f"≥{low}"
    if high is not None:
        return f"≤{high}"
    return ""


def get_incident(store: Store, incident_id: str) -> dict[str, Any] | None:
    """One incident with ``killed`` (largest killed figure), and its document's
    ``duplicate_of``, ``title``, ``source`` (the outlet) and ``published``; None if absent."""
    cols = ", ".join(f"i.{c}" for c in columns("incidents").split(", "))
    rows = store.reader().fetch_dicts(
        f"SELECT {cols}, {_KILLED} AS killed, d.duplicate_of AS duplicate_of, "
        f"d.title AS doc_title, d.source AS doc_source, d.published AS doc_published "
        f"{_FROM} WHERE i.id = ? LIMIT 1", [incident_id])
    return rows[0] if rows else None


def incident_documents(store: Store, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Title, outlet (``source``) and ``published`` of the given documents, by id."""
    ids = sorted(set(doc_ids))
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = store.reader().fetch_dicts(
        f"SELECT doc_id, title, source, published FROM documents WHERE doc_id IN ({marks})",
        ids)
    return {r["doc_id"]: r for r in rows}


def incident_sources(incident: dict[str, Any], outlet: str | None = None
                     ) -> list[dict[str, Any]]:
    """The casualty figures an incident's document states, grouped by who gave them.

    A figure with no attributed source is the outlet's own (``outlet``, else "the report").
    Each row is ``{source, killed: [...], injured: [...]}`` where each figure is
    ``{category, count, text, start, end, rising, subset}``; background figures (a whole
    war's toll) are left out. Rows keep the order the text first names each source.
    """
    out: dict[str, dict[str, Any]] = {}
    casualties = incident.get("casualties") or {}
    for fig in casualties.get("figures") or []:
        if not isinstance(fig, dict) or fig.get("background"):
            continue
        source = fig.get("source") or outlet or "the report"
        row = out.setdefault(source, {"source": source, "killed": [], "injured": []})
        kind = fig.get("kind")
        if kind in ("killed", "injured"):
            row[kind].append({k: fig.get(k) for k in ("category", "count", "text", "start",
                                                     "end", "rising", "subset")})
    return list(out.values())


def _disagree(sources: list[dict[str, Any]]) -> bool:
    """Whether two sources give different killed figures of the same category."""
    seen: dict[str, set[str]] = {}
    for row in sources:
        for fig in row["killed"]:
            seen.setdefault(fig["category"], set()).add(format_count(fig["count"]))
    return any(len(v) > 1 for v in seen.values())


def incident_clusters(store: Store, q: IncidentQuery | None = None) -> list[dict[str, Any]]:
    """Clusters (incidents of several documents about one happening) with a member that
    matches ``q``, one page, most killed first.

    Each: ``{cluster_id, incidents, documents, sources, first_report, last_report,
    killed_low, killed_high, places, dates, reports, disagree}``; ``reports`` lists every
    member incident (``id, doc_id, outlet, published, killed, killed_source, place, date,
    cause``) by publication; ``disagree`` names the fields the reports differ on
    (``killed``, ``place``, ``date``). Empty when the store has no clusters.
    """
    q = q or IncidentQuery()
    q.validate()
    where, params = incident_where(q, store)
    src = _from_clustered(store)
    sql = f"""
        WITH hit AS (SELECT DISTINCT i.cluster_id {src}{_and(where, 'i.cluster_id IS NOT NULL')}),
        m AS (
            SELECT i.cluster_id, i.id, i.doc_id, {_KILLED} AS killed,
                   i.casualties.source AS killed_source, d.source AS outlet,
                   d.published AS published, i.date AS date, i.cause AS cause,
                   i.location.name AS place, i.location.admin1 AS admin1
            {src} WHERE i.cluster_id IN (SELECT cluster_id FROM hit))
        SELECT cluster_id, count(*) AS incidents, count(DISTINCT doc_id) AS documents,
               list(DISTINCT outlet) FILTER (WHERE outlet IS NOT NULL) AS sources,
               min(published) AS first_report, max(published) AS last_report,
               min(killed) AS killed_low, max(killed) AS killed_high,
               list(DISTINCT place) FILTER (WHERE place IS NOT NULL) AS places,
               list(DISTINCT date) FILTER (WHERE date IS NOT NULL) AS dates,
               list(struct_pack(id := id, doc_id := doc_id, outlet := outlet,
                                published := published, killed := killed,
                                killed_source := killed_source, place := place,
                                admin1 := admin1, date := date, cause := cause)
                    ORDER BY published NULLS LAST, doc_id) AS reports
        FROM m GROUP BY cluster_id
        ORDER BY max(killed) DESC NULLS LAST, cluster_id LIMIT ? OFFSET ?"""
    rows = store.reader().fetch_dicts(sql, [*params, q.limit, q.offset])
    for row in rows:
        for key in ("sources", "places", "dates"):
            row[key] = sorted(row[key] or [])
        row["disagree"] = [name for name, differs in (
            ("killed", row["killed_low"] != row["killed_high"]),
            ("place", len(row["places"]) > 1),
            ("date", len(row["dates"]) > 1)) if differs]
    return rows


def count_clusters(store: Store, q: IncidentQuery | None = None) -> int:
    """How many clusters have a member incident matching ``q`` (0 without clusters)."""
    q = q or IncidentQuery()
    q.validate()
    where, params = incident_where(q, store)
    rows = store.reader().fetch_dicts(
        f"SELECT count(DISTINCT i.cluster_id) AS n {_from_clustered(store)}"
        f"{_and(where, 'i.cluster_id IS NOT NULL')}", params)
    return int(rows[0]["n"]) if rows else 0


def incident_locations(store: Store, q: IncidentQuery | None = None,
                       top: int = 2000) -> list[dict[str, Any]]:
    """Incident places for the map: ``[{geonameid, name, admin1, country, lat, lon, n,
    killed, injured}]`` — ``n`` incidents there, ``killed`` the sum of their largest killed
    figures (low bounds), most killed first; ``q``'s paging is ignored."""
    q = q or IncidentQuery()
    q.validate()
    where, params = incident_where(q, store)
    cond = "i.location.lat IS NOT NULL AND i.location.lon IS NOT NULL"
    injured = ("coalesce(i.casualties.injured.total.low, i.casualties.injured.total.high, "
               "i.casualties.injured.civilians.low, i.casualties.injured.civilians.high)")
    sql = (f"SELECT i.location.geonameid AS geonameid, any_value(i.location.name) AS name, "
           f"any_value(i.location.admin1) AS admin1, any_value(i.location.country) AS country, "
           f"avg(i.location.lat) AS lat, avg(i.location.lon) AS lon, count(*) AS n, "
           f"coalesce(sum({_KILLED}), 0) AS killed, coalesce(sum({injured}), 0) AS injured "
           f"{_FROM}{_and(where, cond)} "
           f"GROUP BY i.location.geonameid, round(i.location.lat, 2), round(i.location.lon, 2) "
           f"ORDER BY killed DESC, n DESC LIMIT ?")
    rows = store.reader().fetch_dicts(sql, [*params, top])
    for row in rows:
        row["killed"], row["injured"] = int(row["killed"]), int(row["injured"])
    return rows
