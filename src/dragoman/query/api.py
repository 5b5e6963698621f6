"""The typed query API over a store, used by the CLI and the web app.

Every function takes a ``Store`` and returns contract-shaped plain data: an event is the dict
``dragoman.types.to_dict(Event)`` would give. Every user value goes to DuckDB as a bound
parameter; the SQL text depends only on which filters are set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import QueryError
from ..extract.events.lexicon import plover_types
from ..store.duck import Reader
from ..store.schema import TABLES, table_schema
from ..store.segments import Store

__all__ = [
    "MAX_LIMIT",
    "ORDER_FIELDS",
    "PLOVER_TYPES",
    "EventQuery",
    "count_events",
    "event_where",
    "get_document",
    "get_event",
    "iter_table",
    "locations",
    "network",
    "query_events",
    "query_page",
    "query_quotes",
    "summary",
    "timeline",
]

PLOVER_TYPES: tuple[str, ...] = plover_types()

#: allowed ``EventQuery.order`` fields → SQL expression (a '-' prefix sorts descending)
ORDER_FIELDS: dict[str, str] = {
    "date": "date",
    "confidence": "confidence",
    "goldstein": "goldstein",
    "event_type": "event_type",
    "quad_class": "quad_class",
    "id": "id",
    "doc_id": "doc_id",
}

MAX_LIMIT = 10_000

_ISO_PARTIAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")

# the highest code point: appended to `until` so that it includes every date it prefixes
_TOP = "\U0010ffff"


def _check_iso(name: str, value: str | None) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not _ISO_PARTIAL.match(value):
        raise QueryError(
            f"{name}={value!r} is not an ISO date; use YYYY-MM-DD (or YYYY-MM, YYYY)"
        )
    parts = value.split("-")
    try:
        date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
             int(parts[2]) if len(parts) > 2 else 1)
    except ValueError as e:
        raise QueryError(f"{name}={value!r} is not a valid date ({e})") from None


def _check_page(limit: int, offset: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit={limit!r} must be an integer from 1 to {MAX_LIMIT}")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise QueryError(f"offset={offset!r} must be an integer >= 0")


@dataclass(frozen=True)
class EventQuery:
    """A filter over events; every field is optional and the set ones are ANDed."""

    types: tuple[str, ...] = ()  # PLOVER types
    quad_class: tuple[int, ...] = ()
    actor: str | None = None  # substring of actor/recipient name or text (case-insensitive)
    country: str | None = None  # ISO-3 of actor or recipient
    place: str | None = None  # substring of location name/text
    since: str | None = None  # ISO date, inclusive (event `date`)
    until: str | None = None  # ISO date, inclusive
    text: str | None = None  # substring of the sentence text
    doc_id: str | None = None
    limit: int = 50  # 1..10000
    offset: int = 0
    order: str = "date"  # one of ORDER_FIELDS, '-' prefix = descending

    def validate(self) -> None:
        """Raise QueryError with a clear message on any bad value."""
        if isinstance(self.types, str):
            raise QueryError("types must be a tuple of PLOVER types, not a string")
        bad = [t for t in self.types if t not in PLOVER_TYPES]
        if bad:
            raise QueryError(
                f"unknown event type(s) {', '.join(map(repr, bad))}; the PLOVER types are "
                + " ".join(PLOVER_TYPES)
            )
        badq = [q for q in self.quad_class
                if isinstance(q, bool) or not isinstance(q, int) or not 1 <= q <= 4]
        if badq:
            raise QueryError(f"quad_class {badq!r} invalid: use integers 1 to 4")
        if self.country is not None and (
            not isinstance(self.country, str) or not _COUNTRY.match(self.country)
        ):
            raise QueryError(
                f"country={self.country!r} must be an ISO 3166 alpha-3 code in capitals "
                "(e.g. RUS) or IGO/NGO/MNC"
            )
        for name in ("actor", "place", "text", "doc_id"):
            v = getattr(self, name)
            if v is not None and not isinstance(v, str):
                raise QueryError(f"{name} must be a string, not {type(v).__name__}")
        _check_iso("since", self.since)
        _check_iso("until", self.until)
        if self.since and self.until and self.since > self.until + _TOP:
            raise QueryError(f"since={self.since!r} is after until={self.until!r}")
        _check_page(self.limit, self.offset)
        if not isinstance(self.order, str) or self.order.lstrip("-") not in ORDER_FIELDS:
            raise QueryError(
                f"order={self.order!r} unknown; use one of {', '.join(ORDER_FIELDS)} "
                "(prefix '-' for descending)"
            )

    def order_sql(self) -> str:
        desc = self.order.startswith("-")
        col = ORDER_FIELDS[self.order.lstrip("-")]
        direction = "DESC" if desc else "ASC"
        tie = "" if col == "id" else f", id {direction}"
        return f"{col} {direction} NULLS LAST{tie}"


def _substr(expr: str) -> str:
    """SQL: the lower-cased ``expr`` contains the (lower-cased) bound parameter."""
    return f"contains(lower(coalesce({expr}, '')), ?)"


def _keyed(a: str, col: str, test: str) -> str:
    """SQL: the event's key for the dictionary-encoded index column ``col`` passes ``test``.

    ``test`` is evaluated once per distinct value (``w``) of the dictionary table.
    """
    return f'{a}"_k{col}" IN (SELECT k FROM "_d{col}" WHERE {test})'


def event_where(q: EventQuery, alias: str = "", indexed: bool = False) -> tuple[str, list[Any]]:
    """The WHERE clause (with its bound parameters) of an event query; '' when no filter.

    With ``indexed`` the clause is for the reader's in-memory ``_events_ix`` table (derived
    lower-cased search columns); otherwise for the ``events`` view (same results).
    """
    a = f"{alias}." if alias else ""
    clauses: list[str] = []
    params: list[Any] = []
    if q.types:
        marks = ", ".join("?" for _ in q.types)
        clauses.append(_keyed(a, "event_type", f"w IN ({marks})") if indexed
                       else f"{a}event_type IN ({marks})")
        params.extend(q.types)
    if q.quad_class:
        clauses.append(f"{a}quad_class IN ({', '.join('?' for _ in q.quad_class)})")
        params.extend(int(x) for x in q.quad_class)
    if q.actor:
        needle = q.actor.lower()
        if indexed:
            clauses.append(_keyed(a, "_who", "contains(w, ?)"))
            params.append(needle)
        else:
            inner = f"[{_substr('x.name')} OR {_substr('x.text')} for x in {{col}}]"
            clauses.append(
                f"(list_bool_or({inner.format(col=a + 'actor')}) "
                f"OR list_bool_or({inner.format(col=a + 'recipient')}))"
            )
            params.extend([needle] * 4)
    if q.country:
        if indexed:
            clauses.append(_keyed(a, "_countries", "list_contains(w, ?)"))
            params.append(q.country)
        else:
            clauses.append(
                f"(list_contains([x.country for x in {a}actor], ?) "
                f"OR list_contains([x.country for x in {a}recipient], ?))"
            )
            params.extend([q.country, q.country])
    if q.place:
        if indexed:
            clauses.append(_keyed(a, "_place", "contains(w, ?)"))
            params.append(q.place.lower())
        else:
            clauses.append(
                f"({_substr(a + 'location.name')} OR {_substr(a + 'location.text')})"
            )
            params.extend([q.place.lower()] * 2)
    if q.since:
        clauses.append(f"{a}date >= ?")
        params.append(q.since)
    if q.until:
        clauses.append(f"{a}date <= ?")
        params.append(q.until + _TOP)
    if q.text:
        clauses.append(f"contains({a}_text, ?)" if indexed else _substr(a + "sentence.text"))
        params.append(q.text.lower())
    if q.doc_id is not None:
        clauses.append(f"{a}doc_id = ?")
        params.append(q.doc_id)
    return (" AND ".join(clauses), params)


def _where(q: EventQuery, indexed: bool = False) -> tuple[str, list[Any]]:
    sql, params = event_where(q, indexed=indexed)
    return (f" WHERE {sql}" if sql else ""), params


def _and(where: str, extra: str) -> str:
    return f"{where} AND {extra}" if where else f" WHERE {extra}"


def columns(table: str) -> str:
    """The table's columns in contract order, quoted, for SELECT lists."""
    return ", ".join(f'"{f.name}"' for f in table_schema(table))


def _source(reader: Reader) -> tuple[str, bool]:
    """The events relation to filter: the in-memory index when the reader has one."""
    reader.refresh()
    return ("_events_ix", True) if reader.indexed else ("events", False)


def _fetch_located(reader: Reader, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """Run an index query returning (_seg, _row) and take those events, in that order."""
    for _ in range(3):
        locs = reader.fetchall(sql, params)
        rows = reader.take([(int(a), int(b)) for a, b in locs])
        if rows is not None:
            return rows
        reader.refresh(force=True)  # a segment vanished between the two steps
    raise QueryError("the store changed during the query three times in a row; try again")


def query_events(store: Store, q: EventQuery) -> list[dict[str, Any]]:
    """The events matching ``q``, ordered and paged, as contract dicts."""
    q.validate()
    reader = store.reader()
    _, indexed = _source(reader)
    where, params = _where(q, indexed)
    tail = f" ORDER BY {q.order_sql()} LIMIT ? OFFSET ?"
    if indexed:
        return _fetch_located(
            reader, f"SELECT _seg, _row FROM _events_ix{where}{tail}",
            [*params, q.limit, q.offset],
        )
    return reader.fetch_dicts(
        f"SELECT {columns('events')} FROM events{where}{tail}", [*params, q.limit, q.offset]
    )


def count_events(store: Store, q: EventQuery) -> int:
    """How many events match ``q`` (limit and offset ignored)."""
    q.validate()
    reader = store.reader()
    table, indexed = _source(reader)
    where, params = _where(q, indexed)
    sql = f"SELECT count(*) FROM {table}{where}"
    return reader.count(
        (sql, *params), lambda: int(reader.fetchall(sql, params)[0][0])
    )


def query_page(store: Store, q: EventQuery) -> tuple[list[dict[str, Any]], int]:
    """One page of ``query_events`` and the total ``count_events`` of the filter.

    A page shorter than ``limit`` (and not past the end) gives the total without counting;
    otherwise the count is the reader's remembered one for this filter, or is computed once.
    """
    rows = query_events(store, q)
    if len(rows) < q.limit and (rows or q.offset == 0):
        return rows, q.offset + len(rows)
    return rows, count_events(store, q)


def get_event(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event by id, or None."""
    reader = store.reader()
    _, indexed = _source(reader)
    if indexed:
        rows = _fetch_located(
            reader, "SELECT _seg, _row FROM _events_ix WHERE id = ? LIMIT 1", [event_id]
        )
    else:
        rows = reader.fetch_dicts(
            f"SELECT {columns('events')} FROM events WHERE id = ? LIMIT 1", [event_id]
        )
    return rows[0] if rows else None


_DOC_ORDER = {
    "quotes": "content.start, id",
    "places": "start, \"end\"",
    "dates": "start, \"end\"",
    "actors": "start, \"end\"",
    "frames": "start, \"end\"",
}


def get_document(store: Store, doc_id: str) -> dict[str, Any] | None:
    """A document with all its annotations, or None::

    {"document": {...}, "events": [...], "quotes": [...], "places": [...], "dates": [...],
     "actors": [...], "frames": [...]}
    """
    reader = store.reader()
    docs = reader.fetch_dicts(
        f"SELECT {columns('documents')} FROM documents WHERE doc_id = ? LIMIT 1", [doc_id]
    )
    if not docs:
        return None
    _, indexed = _source(reader)
    if indexed:
        events = _fetch_located(
            reader, "SELECT _seg, _row FROM _events_ix WHERE doc_id = ?", [doc_id]
        )
    else:
        events = reader.fetch_dicts(
            f"SELECT {columns('events')} FROM events WHERE doc_id = ?", [doc_id]
        )
    events.sort(key=lambda e: (e["sentence"]["start"], e["trigger"]["start"], e["id"]))
    out: dict[str, Any] = {"document": docs[0], "events": events}
    for table, order in _DOC_ORDER.items():
        out[table] = reader.fetch_dicts(
            f"SELECT {columns(table)} FROM {table} WHERE doc_id = ? ORDER BY {order}", [doc_id]
        )
    return out


def query_quotes(
    store: Store,
    speaker: str | None = None,
    doc_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Quotes, optionally by speaker (substring of name or text, case-insensitive) or doc."""
    _check_page(limit, offset)
    clauses, params = [], []
    if speaker:
        clauses.append(f"({_substr('speaker.name')} OR {_substr('speaker.text')})")
        params.extend([speaker.lower()] * 2)
    if doc_id is not None:
        clauses.append("doc_id = ?")
        params.append(doc_id)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = (
        f"SELECT {columns('quotes')} FROM quotes{where} ORDER BY doc_id, content.start, id "
        "LIMIT ? OFFSET ?"
    )
    return store.reader().fetch_dicts(sql, [*params, limit, offset])


def iter_table(store: Store, what: str) -> Iterator[dict[str, Any]]:
    """Every row of a table as contract dicts, streamed in batches."""
    if what not in TABLES:
        raise QueryError(f"unknown table {what!r}; the tables are {', '.join(TABLES)}")
    for batch in store.reader().iter_batches(f"SELECT {columns(what)} FROM {what}", []):
        yield from batch.to_pylist()


def summary(store: Store, top: int = 10) -> dict[str, Any]:
    """Counts per table, events per type, top actors, the events' date range, the runs."""
    r = store.reader()
    counts = {t: int(r.fetchall(f"SELECT count(*) FROM {t}", [])[0][0]) for t in TABLES}
    by_type = {
        t: int(n)
        for t, n in r.fetchall(
            "SELECT event_type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1", []
        )
    }
    _, indexed = _source(r)
    if indexed:
        # count the events per distinct (actors, recipients) pair of lists, then unnest those
        sql = (
            "WITH c AS (SELECT _k_a, _k_r, count(*) AS cnt FROM _events_ix GROUP BY ALL) "
            "SELECT k.n, k.c, sum(cnt) AS total FROM (SELECT unnest(list_concat(da.w, dr.w)) "
            'AS k, cnt FROM c JOIN "_d_a" AS da ON da.k = c._k_a '
            'JOIN "_d_r" AS dr ON dr.k = c._k_r) GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT ?'
        )
    else:
        sql = (
            "SELECT k.n, k.c, count(*) AS cnt FROM (SELECT unnest("
            "[struct_pack(n := coalesce(x.name, x.text), c := x.country) "
            "for x in list_concat(actor, recipient)]) AS k FROM events) "
            "GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT ?"
        )
    top_actors = [
        {"name": name, "country": country, "n": int(n)}
        for name, country, n in r.fetchall(sql, [top])
    ]
    lo, hi = r.fetchall("SELECT min(date), max(date) FROM events", [])[0]
    runs = r.fetch_dicts(
        "SELECT run_id, started, ended, status, dragoman_version, model FROM runs "
        "ORDER BY started",
        [],
    )
    return {
        "counts": counts,
        "events_by_type": by_type,
        "top_actors": top_actors,
        "date_range": {"min": lo, "max": hi},
        "runs": runs,
    }


def timeline(store: Store, q: EventQuery) -> list[dict[str, Any]]:
    """Events per date and quad class: ``[{"date", "quad_class", "n"}]`` by date."""
    q.validate()
    reader = store.reader()
    table, indexed = _source(reader)
    where, params = _where(q, indexed)
    where = _and(where, "date IS NOT NULL")
    rows = reader.fetchall(
        f"SELECT date, quad_class, count(*) FROM {table}{where} GROUP BY 1, 2 "
        "ORDER BY 1, 2 NULLS LAST",
        params,
    )
    return [{"date": d, "quad_class": qc, "n": int(n)} for d, qc, n in rows]


def network(store: Store, q: EventQuery, top: int = 50) -> dict[str, Any]:
    """Who acts on whom: the ``top`` heaviest actor→recipient edges and their nodes.

    ``{"nodes": [{"id", "country", "n"}], "edges": [{"source", "target", "n", "coop",
    "conflict"}]}``; a node's id is the actor's canonical name (its text when unresolved);
    ``coop`` counts quad classes 1–2, ``conflict`` 3–4.
    """
    q.validate()
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= MAX_LIMIT:
        raise QueryError(f"top={top!r} must be an integer from 1 to {MAX_LIMIT}")
    reader = store.reader()
    table, indexed = _source(reader)
    where, params = _where(q, indexed)
    if indexed:
        # count per distinct (actors, recipients) pair of lists first: far fewer rows to unnest
        events = (
            f"SELECT da.w AS _a, dr.w AS _r, quad_class, cnt FROM (SELECT _k_a, _k_r, "
            f"quad_class, count(*) AS cnt FROM {table}{where} GROUP BY ALL) AS g "
            'JOIN "_d_a" AS da ON da.k = g._k_a JOIN "_d_r" AS dr ON dr.k = g._k_r'
        )
    else:
        events = (
            "SELECT [struct_pack(n := coalesce(x.name, x.text), c := x.country) "
            "for x in actor] AS _a, [struct_pack(n := coalesce(x.name, x.text), "
            f"c := x.country) for x in recipient] AS _r, quad_class, 1 AS cnt FROM {table}{where}"
        )
    sql = f"""
        WITH e AS ({events}),
        pairs AS (
            SELECT a.n AS src, a.c AS src_country, r.n AS dst, r.c AS dst_country, quad_class,
                   cnt
            FROM (SELECT unnest(_a) AS a, _r, quad_class, cnt FROM e)
            CROSS JOIN LATERAL (SELECT unnest(_r) AS r)
        )
        SELECT src, dst, sum(cnt) AS n,
               coalesce(sum(cnt) FILTER (WHERE quad_class IN (1, 2)), 0) AS coop,
               coalesce(sum(cnt) FILTER (WHERE quad_class IN (3, 4)), 0) AS conflict,
               any_value(src_country) AS src_country, any_value(dst_country) AS dst_country
        FROM pairs WHERE src IS NOT NULL AND dst IS NOT NULL
        GROUP BY src, dst ORDER BY n DESC, src, dst LIMIT ?
    """
    rows = reader.fetchall(sql, [*params, top])
    edges = []
    nodes: dict[str, dict[str, Any]] = {}
    for src, dst, n, coop, conflict, sc, dc in rows:
        edges.append(
            {"source": src, "target": dst, "n": int(n), "coop": int(coop),
             "conflict": int(conflict)}
        )
        for name, country in ((src, sc), (dst, dc)):
            node = nodes.setdefault(name, {"id": name, "country": country, "n": 0})
            node["n"] += int(n)
    return {"nodes": sorted(nodes.values(), key=lambda x: (-x["n"], x["id"])), "edges": edges}


def locations(store: Store, q: EventQuery) -> list[dict[str, Any]]:
    """Event locations with coordinates and their event counts, most events first."""
    q.validate()
    reader = store.reader()
    table, indexed = _source(reader)
    where, params = _where(q, indexed)
    where = _and(where, "location.lat IS NOT NULL AND location.lon IS NOT NULL")
    rows = reader.fetchall(
        "SELECT location.geonameid, any_value(location.name), any_value(location.country), "
        "location.lat, location.lon, count(*) AS n "
        f"FROM {table}{where} GROUP BY location.geonameid, location.lat, location.lon "
        "ORDER BY n DESC, 2 LIMIT 10000",
        params,
    )
    return [
        {"geonameid": g, "name": nm, "country": c, "lat": lat, "lon": lon, "n": int(n)}
        for g, nm, c, lat, lon, n in rows
    ]


