"""What the dashboard reads of tracks: the tracks of a store, one track's timeline, stance
table and quotes.

Everything here reads the tables ``dragoman track`` wrote beside the segments
(``<store>/tracks/<version>/links.parquet`` and ``stances.parquet``, named by
``tracks/CURRENT``; ``docs/tracks.md``) through the store's DuckDB reader. Nothing is
re-tagged. The events, quotes and incidents tagged with a track are the query API's own
(``EventQuery(track=…)``, ``QuoteQuery(track=…)``, ``IncidentQuery(track=…)``; the filter
is ``query.tracked``).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ..store._intervals import date_interval
from ..store.segments import Store
from ..tracks.table import current_version, read_meta
from .tracked import NO_TRACKS, TRACK_RE, links_of, table_sql, track_names

__all__ = [
    "NO_TRACKS",
    "TRACK_RE",
    "list_tracks",
    "per_version",
    "stance_table",
    "track_info",
    "track_names",
    "track_quotes",
    "track_timeline",
]

#: the kinds of record a track links
KINDS = ("document", "event", "quote", "incident")

_table = table_sql


_DAYS: dict[str, list[list[Any]]] = {}
_DAYS_LOCK = threading.Lock()


def _days(store: Store, links: str) -> tuple[str, list[Any]]:
    """SQL of a relation ``(date, lo, hi)``: each date value of the links and the first and
    last day it denotes (the Python twin of the interval SQL, computed once per version of
    the tables: planning the SQL rules costs DuckDB ~0.15 s a query), with its parameters."""
    with _DAYS_LOCK:
        cols = _DAYS.get(links)
    if cols is None:
        values = [r[0] for r in store.reader().fetchall(
            f"SELECT DISTINCT date FROM {links} WHERE date IS NOT NULL", [])]
        spans = [(v, span) for v in values if (span := date_interval(v)) is not None]
        cols = [[v for v, _ in spans], [a for _, (a, _) in spans], [b for _, (_, b) in spans]]
        with _DAYS_LOCK:
            _DAYS.clear()  # one version at a time
            _DAYS[links] = cols
    sql = ("(SELECT unnest(?::VARCHAR[]) AS date, unnest(?::DATE[]) AS lo, "
           "unnest(?::DATE[]) AS hi)")
    return sql, list(cols)


_F = TypeVar("_F", bound=Callable[..., Any])
_KEPT: dict[tuple[Any, ...], Any] = {}


def per_version(fn: _F) -> _F:
    """Keep ``fn(store, *args)``'s answer for the current version of the track tables: a
    version never changes once written (a new ``dragoman track`` makes a new one), so the
    answer holds until ``CURRENT`` names another. Answers of older versions are dropped."""

    @functools.wraps(fn)
    def kept(store: Store, *args: Any, **kwargs: Any) -> Any:
        cur = current_version(store.root)
        if cur is None:
            return fn(store, *args, **kwargs)
        key = (str(cur), fn.__name__, args, tuple(sorted(kwargs.items())))
        with _DAYS_LOCK:
            if key in _KEPT:
                return _KEPT[key]
        value = fn(store, *args, **kwargs)
        with _DAYS_LOCK:
            for old in [k for k in _KEPT if k[0] != key[0]]:
                del _KEPT[old]
            _KEPT[key] = value
        return value

    return kept  # type: ignore[return-value]


def _meta(store: Store) -> dict[str, Any] | None:
    return read_meta(store.root)


def _require(store: Store, track: str, table: str = "links") -> str:
    """The SQL source of ``table`` after checking that ``track`` is one of the store's."""
    src = links_of(store, track)
    return src if table == "links" else (table_sql(store, table) or src)


# -- the tracks and one track ---------------------------------------------------------------

@per_version
def list_tracks(store: Store) -> list[dict[str, Any]]:
    """Every track of the store's tables: ``name, title, description, proposals,
    participants`` (from the tracks file) and ``documents, events, quotes, incidents``
    (records linked), ``stances`` (stance rows), ``first``/``last`` (the first and last day
    of the linked records' dates). [] when the store has no track tables."""
    meta = _meta(store)
    links = _table(store, "links")
    if meta is None or links is None:
        return []
    # one proposal-less link per record and track (the others repeat it per proposal)
    counts = ", ".join(f"count(*) FILTER (WHERE kind = '{k}' AND proposal IS NULL) AS {k}s"
                       for k in KINDS)
    reader = store.reader()
    days, params = _days(store, links)
    rows = {r["track"]: r for r in reader.fetch_dicts(
        f"SELECT l.track, {counts}, min(d.lo) AS first, max(d.hi) AS last FROM {links} l "
        f"LEFT JOIN {days} d ON d.date = l.date GROUP BY l.track", params)}
    stances = _table(store, "stances")
    n_stances = dict(reader.fetchall(
        f"SELECT track, count(*) FROM {stances} GROUP BY track", [])) if stances else {}
    out = []
    for t in meta.get("tracks", []):
        row = rows.get(t["name"], {})
        out.append({
            "name": t["name"], "title": t.get("title") or t["name"],
            "description": t.get("description") or "",
            "proposals": [{"name": p, "title": title} for p, title in t.get("proposals", [])],
            "participants": list(t.get("participants", [])),
            **{f"{k}s": int(row.get(f"{k}s") or 0) for k in KINDS},
            "stances": int(n_stances.get(t["name"], 0)),
            "first": row["first"].isoformat() if row.get("first") else None,
            "last": row["last"].isoformat() if row.get("last") else None,
        })
    return out


def track_info(store: Store, track: str) -> dict[str, Any] | None:
    """One track of ``list_tracks`` plus ``tables`` (the version, the tracks file, when it
    was made); None when the store has no such track."""
    info = next((t for t in list_tracks(store) if t["name"] == track), None)
    if info is None:
        return None
    meta = _meta(store) or {}
    return {**info, "tables": {k: meta.get(k) for k in ("version", "tracks_file", "created")}}


@per_version
def track_timeline(store: Store, track: str) -> list[dict[str, Any]]:
    """The track's tagged events per ISO week (its Monday) and type:
    ``[{"week", "monday", "event_type", "n"}]`` by week; undated events are left out."""
    src = _require(store, track)
    days, params = _days(store, src)
    rows = store.reader().fetchall(
        f"SELECT date_trunc('week', d.lo)::DATE AS m, l.event_type, count(*) "
        f"FROM {src} l JOIN {days} d ON d.date = l.date WHERE l.track = ? "
        "AND l.kind = 'event' AND l.proposal IS NULL GROUP BY ALL ORDER BY m, 3 DESC, 2",
        [*params, track])
    return [{"week": f"{m.isocalendar()[0]}-W{m.isocalendar()[1]:02d}",
             "monday": m.isoformat(), "event_type": t, "n": int(n)} for m, t, n in rows]


@per_version
def stance_table(store: Store, track: str, actors: int = 40,
                 per_cell: int = 6) -> dict[str, Any]:
    """Who stands where on the track: ``{"columns": [{"proposal", "title"}], "rows":
    [{"actor", "country", "n", "cells": [[statement, …] | [] per column]}], "actors"}``.

    The first column is the track as a whole (statements with no proposal); then each
    proposal with a statement. Rows are the ``actors`` actors with most statements; a cell
    lists the actor's last ``per_cell`` statements there, oldest first, each ``{stance,
    previous, changed, date, source, via, record_id, doc_id, evidence_start, evidence_end,
    evidence, cue, hedge}``; ``actors`` (top level) counts every actor with a statement,
    ``per_cell`` is the limit used.
    """
    _require(store, track)
    src = _table(store, "stances")
    if src is None:
        return {"columns": [], "rows": [], "actors": 0, "per_cell": per_cell}
    info: dict[str, Any] = next(
        (t for t in (_meta(store) or {}).get("tracks", []) if t["name"] == track), {})
    reader = store.reader()
    top = reader.fetchall(
        f"SELECT actor, any_value(actor_country), count(*) AS n, "
        f"count(*) OVER () FROM {src} WHERE track = ? GROUP BY actor "
        "ORDER BY n DESC, actor LIMIT ?", [track, actors])
    names = [a for a, _, _, _ in top]
    marks = ", ".join("?" for _ in names) or "NULL"
    cells = reader.fetch_dicts(
        f"SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY actor, proposal "
        f"ORDER BY date DESC NULLS LAST, doc_id DESC, evidence_start DESC) AS k FROM {src} "
        f"WHERE track = ? AND actor IN ({marks})) WHERE k <= ? "
        "ORDER BY date NULLS FIRST, doc_id, evidence_start", [track, *names, per_cell])
    used = {c["proposal"] for c in cells}
    columns = [{"proposal": None, "title": "the track as a whole"}]
    columns += [{"proposal": p, "title": title} for p, title in info.get("proposals", [])
                if p in used]
    at = {c["proposal"]: i for i, c in enumerate(columns)}
    rows = {a: {"actor": a, "country": c, "n": int(n), "cells": [[] for _ in columns]}
            for a, c, n, _ in top}
    for c in cells:
        if c["proposal"] in at:
            c.pop("k", None)
            rows[c["actor"]]["cells"][at[c["proposal"]]].append(c)
    return {"columns": columns, "rows": list(rows.values()),
            "actors": int(top[0][3]) if top else 0, "per_cell": per_cell}


@per_version
def track_quotes(store: Store, track: str, limit: int = 30) -> list[dict[str, Any]]:
    """The track's quotes, the principals' (the track's participants) first, then by score
    and newest: ``[{record_id, doc_id, actor, date, score, basis, evidence, evidence_start,
    evidence_end, principal}]``, one per quote."""
    src = _require(store, track)
    info: dict[str, Any] = next(
        (t for t in (_meta(store) or {}).get("tracks", []) if t["name"] == track), {})
    principals = list(info.get("participants", []))
    return store.reader().fetch_dicts(
        "SELECT record_id, doc_id, actor, date, score, basis, evidence, evidence_start, "
        "evidence_end, coalesce(list_contains(?::VARCHAR[], actor), false) AS principal "
        f"FROM {src} WHERE track = ? AND kind = 'quote' AND proposal IS NULL "
        "ORDER BY principal DESC, score DESC, date DESC NULLS LAST, doc_id, evidence_start "
        "LIMIT ?", [principals, track, limit])
