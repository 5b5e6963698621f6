"""Clustering a store's incidents across documents, incrementally.

``cluster_store(store)`` reads the incidents (with their documents' outlet and publication
date) through DuckDB, keeps every assignment the current cluster tables already hold, and
lets each incident not yet assigned join the cluster whose every member it matches
(``match.compatible``: complete link, so a chain of near matches cannot pull two different
raids together; the most alike cluster wins — ``match.similarity``: same town, cause,
killed figures of one order, a shared actor — then the nearest day, then the larger one),
else start a cluster of its own. Then the hand-made overrides apply (``table.read_overrides``), and a
new version of the cluster tables, with one summary row per cluster, is written atomically.

A cluster's id is ``c`` + 16 hex digits of its first incident's id, so it never changes
when later reports join it.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..store.duck import to_arrow
from ..store.segments import Store
from .match import (
    ClusterSettings,
    IncidentKey,
    compatible,
    incident_key,
    killed_of,
    similarity,
)
from .table import Overrides, clusters_dir, read_overrides, read_table, write_tables

__all__ = ["ClusterRun", "cluster_store", "summarise"]

log = logging.getLogger(__name__)

_PRECISION_RANK = {"site": 0, "town": 1, "district": 2, "province": 3, "country": 4}


@dataclass
class ClusterRun:
    """What one clustering did."""

    incidents: int = 0  # incidents in the store
    comparable: int = 0  # with a place and a day
    assigned_before: int = 0
    joined: int = 0  # new incidents that joined an existing cluster
    started: int = 0  # new clusters
    clusters: int = 0
    multi_document: int = 0  # clusters with reports from at least two documents
    seconds: float = 0.0
    version: str = ""
    overrides: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _cluster_id(incident_id: str) -> str:
    return "c" + hashlib.sha1(incident_id.encode("utf-8")).hexdigest()[:16]


_INCIDENT_SQL = (
    "SELECT i.id, i.doc_id, i.event_type, i.cause, i.date, i.date_precision, i.location, "
    "i.actor, i.target, i.casualties, d.source AS _source, d.published AS _published, "
    "d.duplicate_of AS _copy_of FROM incidents i "
    "LEFT JOIN documents d ON d.doc_id = i.doc_id ORDER BY i.doc_id, i.id")


def _assign(keys: list[IncidentKey], members: dict[str, str], pinned: set[str],
            settings: ClusterSettings) -> tuple[int, int]:
    """Add the unassigned ``keys`` to ``members`` (incident → cluster); (joined, started)."""
    by_cluster: dict[str, list[IncidentKey]] = defaultdict(list)
    key_of = {k.id: k for k in keys}
    by_day: dict[int, set[str]] = defaultdict(set)
    for iid, cid in members.items():
        k = key_of.get(iid)
        if k is not None:
            by_cluster[cid].append(k)
            by_day[k.day].add(cid)
    joined = started = 0
    # the reports with the largest tolls first: a story's main incident finds its peers
    # before its side mentions (an earlier raid, a raid elsewhere) can take the place (a
    # cluster holds two incidents of one document only when they name one place)
    fresh = sorted((k for k in keys if k.id not in members),
                   key=lambda k: (-(k.killed or 0), k.day, k.doc_id, k.id))
    for k in fresh:
        near: set[str] = set()
        for d in range(k.day - settings.days, k.day + settings.days + 1):
            near |= by_day.get(d, set())
        best: tuple[tuple[float, int, int, str], str] | None = None
        for cid in near:
            if cid in pinned:
                continue
            group = by_cluster[cid]
            if not all(compatible(k, m, settings) for m in group):
                continue
            # the most alike cluster (mean similarity to its members), then the nearest
            # day, then the larger, then the id (a set's order is no tie-break)
            alike = sum(similarity(k, m) for m in group) / len(group)
            if alike < settings.min_alike:
                continue  # nothing positive in common: the same day and province only
            rank = (-alike, min(abs(k.day - m.day) for m in group), -len(group), cid)
            if best is None or rank < best[0]:
                best = (rank, cid)
        if best is None:
            cid = _cluster_id(k.id)
            started += 1
        else:
            cid = best[1]
            joined += 1
        members[k.id] = cid
        by_cluster[cid].append(k)
        by_day[k.day].add(cid)
    return joined, started


def _apply(auto: dict[str, str], ov: Overrides, known: set[str]
           ) -> tuple[dict[str, str], dict[str, str]]:
    """The final assignment after ``ov`` and how each incident got it."""
    from ..errors import DataFileError

    for iid in [*ov.split, *(i for g in ov.merge for i in g)]:
        if iid not in known:
            raise DataFileError(f"{ov.origin(iid)}: no incident {iid!r} with a place and a "
                                "day in this store (see `dragoman incidents --format jsonl`)")
    final = dict(auto)
    how = {i: "auto" for i in auto}
    for iid in ov.split:
        own = _cluster_id(iid)
        if any(cid == own for other, cid in final.items() if other != iid):
            # (it founded the cluster it leaves: the others keep the id, it takes a new one)
            own = _cluster_id(iid + "|split")
        final[iid] = own
        how[iid] = "split"
    for group in ov.merge:
        targets = {final[i] for i in group}
        into = final[group[0]]
        for iid, cid in final.items():
            if cid in targets:
                final[iid] = into
                how[iid] = "merge"
    return final, how


def _report(row: dict[str, Any]) -> dict[str, Any]:
    loc = row.get("location") or {}
    cas = row.get("casualties") or {}
    kl, kh = killed_of(cas.get("killed"))
    il, ih = killed_of(cas.get("injured"))
    civ = (cas.get("killed") or {}).get("civilians") or {}
    return {
        "incident_id": row["id"], "doc_id": row["doc_id"], "source": row.get("_source"),
        "published": row.get("_published"), "copy_of": row.get("_copy_of"),
        "date": row.get("date"), "place": loc.get("name") or loc.get("text"),
        "admin1": loc.get("admin1"), "precision": loc.get("precision"),
        "cause": row.get("cause"), "killed_low": kl, "killed_high": kh,
        "civilians_low": civ.get("low"), "civilians_high": civ.get("high"),
        "injured_low": il, "injured_high": ih, "attributed_to": cas.get("source"),
    }


def _majority(values: list[Any]) -> Any:
    values = [v for v in values if v is not None]
    return Counter(values).most_common(1)[0][0] if values else None


def summarise(cluster_id: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One cluster's summary row (``table.CLUSTERS_SCHEMA``) from its incident rows."""
    reports = sorted((_report(r) for r in rows),
                     key=lambda r: (r["published"] or "", r["doc_id"], r["incident_id"]))
    docs = sorted({r["doc_id"] for r in reports})
    sources = sorted({r["source"] for r in reports if r["source"]})
    published = sorted(r["published"][:10] for r in reports if r["published"])
    locs = [r.get("location") or {} for r in rows]
    best = min(locs, key=lambda loc: _PRECISION_RANK.get(loc.get("precision") or "town", 1))
    specific = [loc.get("geonameid") for loc in locs
                if loc.get("precision") in ("site", "town") and loc.get("geonameid")]
    place = _majority([loc.get("name") or loc.get("text") for loc in locs
                       if loc.get("geonameid") == _majority(specific)]) if specific else (
        best.get("name") or best.get("text"))
    causes = [r["cause"] for r in reports if r["cause"] not in (None, "unknown", "other")]
    days = [r["date"][:10] for r in rows if r.get("date") and r.get("date_precision") == "day"]
    killed = [r["killed_low"] for r in reports if r["killed_low"] is not None]
    disagree = []
    for name, values in (
            ("killed", {(r["killed_low"], r["killed_high"]) for r in reports
                        if r["killed_low"] is not None}),
            ("civilians", {(r["civilians_low"], r["civilians_high"]) for r in reports
                           if r["civilians_low"] is not None or r["civilians_high"] is not None}),
            ("injured", {(r["injured_low"], r["injured_high"]) for r in reports
                         if r["injured_low"] is not None}),
            ("place", set(specific) or {loc.get("admin1") for loc in locs if loc.get("admin1")}),
            ("admin1", {loc.get("admin1") for loc in locs if loc.get("admin1")}),
            ("date", set(days)),
            ("cause", set(causes))):
        if len(values) > 1:
            disagree.append(name)
    return {
        "cluster_id": cluster_id, "event_type": rows[0]["event_type"],
        "n_incidents": len(rows), "n_documents": len(docs), "n_sources": len(sources),
        "documents": docs, "sources": sources,
        "first_report": published[0] if published else None,
        "last_report": published[-1] if published else None,
        "date": _majority(days), "place": place,
        "admin1": _majority([loc.get("admin1") for loc in locs]),
        "country": _majority([loc.get("country") for loc in locs]),
        "lat": best.get("lat"), "lon": best.get("lon"), "geonameid": best.get("geonameid"),
        "cause": _majority(causes) or "unknown",
        "killed_min": min(killed) if killed else None,
        "killed_max": max(killed) if killed else None,
        "disagreements": disagree, "reports": reports,
    }


def cluster_store(store: Store | Path | str, settings: ClusterSettings | None = None,
                  overrides: Path | str | None = None, rebuild: bool = False) -> ClusterRun:
    """Cluster the store's incidents across documents; the new version is current after it.

    ``overrides`` is a splits-and-merges file (default ``<store>/clusters/overrides.yaml``
    when it exists); ``rebuild`` forgets the current assignments and clusters afresh.
    """
    started = time.perf_counter()
    settings = settings or ClusterSettings()
    store = store if isinstance(store, Store) else Store.open(store)
    run = ClusterRun()
    # a connection of its own with plain views (the shared reader also builds the event
    # index, memory the clustering does not need right after a run)
    con = store.connect()
    try:
        rows = to_arrow(con.sql(_INCIDENT_SQL)).to_pylist()
    finally:
        con.close()
    run.incidents = len(rows)
    keys = []
    row_of: dict[str, dict[str, Any]] = {}
    for r in rows:
        k = incident_key(r, r.get("_published"))
        if k is not None:
            keys.append(k)
            row_of[k.id] = r
    run.comparable = len(keys)
    members: dict[str, str] = {}
    if not rebuild:
        old = read_table(store.root, "members").to_pylist()
        members = {m["incident_id"]: m["auto_cluster"] for m in old
                   if m["incident_id"] in row_of}
    run.assigned_before = len(members)
    ov_path = Path(overrides) if overrides is not None else (
        clusters_dir(store.root) / "overrides.yaml")
    if overrides is not None and not ov_path.exists():
        from ..errors import ConfigError

        raise ConfigError(f"overrides file {ov_path} does not exist")
    ov = read_overrides(ov_path)
    run.overrides = str(ov_path) if ov_path.exists() else None
    pinned = {_cluster_id(i) for i in ov.split}
    run.joined, run.started = _assign(keys, members, pinned, settings)
    final, how = _apply(members, ov, set(row_of))
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for iid, cid in final.items():
        groups[cid].append(row_of[iid])
    member_rows = [{"incident_id": iid, "doc_id": row_of[iid]["doc_id"], "cluster_id": cid,
                    "auto_cluster": members[iid], "how": how[iid]}
                   for iid, cid in sorted(final.items())]
    cluster_rows = [summarise(cid, g) for cid, g in sorted(groups.items())]
    run.clusters = len(cluster_rows)
    run.multi_document = sum(1 for c in cluster_rows if c["n_documents"] > 1)
    run.seconds = time.perf_counter() - started
    meta = {"settings": {"days": settings.days, "km": settings.km,
                         "min_alike": settings.min_alike},
            "overrides": run.overrides, **{k: v for k, v in run.to_dict().items()
                                           if k not in ("notes", "version", "overrides")}}
    path = write_tables(store.root, {"members": member_rows, "clusters": cluster_rows}, meta)
    run.version = path.name
    run.seconds = time.perf_counter() - started
    log.info("clustered %d incidents into %d clusters (%d with several documents) in %.2f s",
             run.comparable, run.clusters, run.multi_document, run.seconds)
    return run
