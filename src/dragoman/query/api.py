"""The typed query API over a store, used by the CLI and the web app.

Every function takes a ``Store`` and returns contract-shaped plain data: an event is the dict
``dragoman.types.to_dict(Event)`` would give. Every user value goes to DuckDB as a bound
parameter; the SQL text depends only on which filters are set.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
import threading
import unicodedata
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import QueryError
from ..extract.actors.lexicons import load_pronouns
from ..extract.events.lexicon import plover_types
from ..store._intervals import date_interval, hi_sql, lo_sql
from ..store.duck import Reader, usable_segments
from ..store.schema import TABLES, table_schema
from ..store.segments import Store
from .tracked import check_track, track_clause

__all__ = [
    "DATE_MATCHES",
    "MAX_LIMIT",
    "NETWORK_MODES",
    "ORDER_FIELDS",
    "PLOVER_TYPES",
    "EventQuery",
    "QuoteQuery",
    "check_date",
    "columns",
    "count_events",
    "date_interval",
    "event_where",
    "fold",
    "get_document",
    "get_event",
    "iter_table",
    "locations",
    "network",
    "pronoun_words",
    "query_events",
    "query_page",
    "query_quotes",
    "quote_page",
    "quote_speakers",
    "quote_where",
    "summary",
    "timeline",
]

PLOVER_TYPES: tuple[str, ...] = plover_types()

log = logging.getLogger(__name__)

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

_DATE_VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")
_SECTOR = re.compile(r"^[A-Z]{3}$")

#: how ``network`` makes its nodes: one per actor (its canonical name) or one per
#: country and sector ("SYR GOV", "SYR REB"; the country alone when the sector is unknown)
NETWORK_MODES: tuple[str, ...] = ("actor", "sector")

#: how a ``since``/``until`` range matches an event's date interval: the whole interval in
#: the range, or any overlap
DATE_MATCHES: tuple[str, ...] = ("within", "overlap")


def fold(text: str) -> str:
    """``text`` lower-cased without accents, as searches compare it ("Dūmā" → "duma").

    DuckDB's ``strip_accents(lower(x))`` folds the stored side the same way.
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def pronoun_words() -> tuple[str, ...]:
    """Every pronoun of the actor resolver's lexicon (``data/actors/pronouns.yaml``).

    An actor whose name or text is one of them never becomes a network node.
    """
    lex = load_pronouns()  # the resolver's own loader and validation
    return tuple(sorted(lex.person | lex.singular | lex.plural | lex.speaker))


def check_date(name: str, value: str | None) -> tuple[date, date] | None:
    """The interval of a ``since``/``until`` value (a day, month, year or ISO week)."""
    if value is None:
        return None
    if not isinstance(value, str) or not _DATE_VALUE.match(value):
        raise QueryError(
            f"{name}={value!r} is not an ISO date; use YYYY-MM-DD (or YYYY-MM, YYYY, YYYY-Www)"
        )
    interval = date_interval(value)
    if interval is None:
        raise QueryError(f"{name}={value!r} is not a valid date")
    return interval


def _check_page(limit: int, offset: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit={limit!r} must be an integer from 1 to {MAX_LIMIT}")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise QueryError(f"offset={offset!r} must be an integer >= 0")


@dataclass(frozen=True)
class EventQuery:
    """A filter over events; every field is optional and the set ones are ANDed.

    ``since``/``until`` compare the interval each event's date denotes (a day, an ISO week,
    a month, a year…), never the strings. With ``date_match="within"`` (the default) an
    event matches when its whole interval lies in ``[since, until]``: a 31 Dec–1 Jan filter
    keeps ``2017-12-31`` but neither ``2017-12`` nor ``2017``. With ``"overlap"`` every
    event whose interval meets the range matches (vaguer dates included).
    ``actor`` and ``place`` ignore case and accents ("duma" finds "Dūmā").
    """

    types: tuple[str, ...] = ()  # PLOVER types
    quad_class: tuple[int, ...] = ()
    actor: str | None = None  # substring of actor/recipient name or text
    country: str | None = None  # ISO-3 of actor or recipient
    sector: str | None = None  # sector of an actor or recipient (of ``country`` when set)
    place: str | None = None  # substring of location name/text
    geonameid: int | None = None  # the location's GeoNames id
    since: str | None = None  # date value, inclusive (by the event date's interval)
    until: str | None = None  # date value, inclusive
    text: str | None = None  # substring of the sentence text
    doc_id: str | None = None
    limit: int = 50  # 1..10000
    offset: int = 0
    order: str = "date"  # one of ORDER_FIELDS, '-' prefix = descending
    date_match: str = "within"  # one of DATE_MATCHES
    track: str | None = None  # events `dragoman track` linked to this track

    def validate(self) -> None:
        """Raise QueryError with a clear message on any bad value."""
        if self.date_match not in DATE_MATCHES:
            raise QueryError(f"date_match={self.date_match!r} unknown; use one of "
                             + ", ".join(DATE_MATCHES))
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
        if self.sector is not None and (
            not isinstance(self.sector, str) or not _SECTOR.match(self.sector)
        ):
            raise QueryError(f"sector={self.sector!r} must be a PLOVER sector code such as "
                             "GOV, MIL or REB")
        if self.geonameid is not None and (
            isinstance(self.geonameid, bool) or not isinstance(self.geonameid, int)
        ):
            raise QueryError(f"geonameid={self.geonameid!r} must be an integer")
        for name in ("actor", "place", "text", "doc_id"):
            v = getattr(self, name)
            if v is not None and not isinstance(v, str):
                raise QueryError(f"{name} must be a string, not {type(v).__name__}")
        lo = check_date("since", self.since)
        hi = check_date("until", self.until)
        if lo and hi and lo[0] > hi[1]:
            raise QueryError(f"since={self.since!r} is after until={self.until!r}")
        _check_page(self.limit, self.offset)
        check_track(self.track)
        if not isinstance(self.order, str) or self.order.lstrip("-") not in ORDER_FIELDS:
            raise QueryError(
                f"order={self.order!r} unknown; use one of {', '.join(ORDER_FIELDS)} "
                "(prefix '-' for descending)"
            )

    def interval(self) -> tuple[date | None, date | None]:
        """The first and last day of the ``since``–``until`` filter (None: open)."""
        lo, hi = date_interval(self.since), date_interval(self.until)
        return (lo[0] if lo else None), (hi[1] if hi else None)

    def order_sql(self, alias: str = "", indexed: bool = False) -> str:
        """The ORDER BY list: dates sort by the first day they denote (``2017-W48`` in
        November), ties by id; ``indexed`` for the reader's ``_events_ix``."""
        a = f"{alias}." if alias else ""
        desc = self.order.startswith("-")
        field = self.order.lstrip("-")
        direction = "DESC" if desc else "ASC"
        if field == "date":
            col = f"{a}_date_lo" if indexed else lo_sql(f"{a}date")
        else:
            col = a + ORDER_FIELDS[field]
        tie = "" if field == "id" else f", {a}id {direction}"
        return f"{col} {direction} NULLS LAST{tie}"


def _substr(expr: str) -> str:
    """SQL: ``expr`` folded (lower case, no accents) contains the (folded) bound parameter."""
    return f"contains(strip_accents(lower(coalesce({expr}, ''))), ?)"


def _keyed(a: str, col: str, test: str) -> str:
    """SQL: the event's key for the dictionary-encoded index column ``col`` passes ``test``.

    ``test`` is evaluated once per distinct value (``w``) of the dictionary table.
    """
    return f'{a}"_k{col}" IN (SELECT k FROM "_d{col}" WHERE {test})'


def _sector_test(var: str) -> str:
    """SQL: some actor struct of the list ``var`` has the sector (and country) bound next."""
    return f"list_bool_or([x.s = ? AND (?::VARCHAR IS NULL OR x.c = ?) for x in {var}])"


def event_where(q: EventQuery, alias: str = "", indexed: bool = False,
                store: Store | None = None) -> tuple[str, list[Any]]:
    """The WHERE clause (with its bound parameters) of an event query; '' when no filter.

    With ``indexed`` the clause is for the reader's in-memory ``_events_ix`` table (derived
    lower-cased search columns); otherwise for the ``events`` view (same results).
    ``q.track`` needs ``store`` (its track tables).
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
        needle = fold(q.actor)
        if indexed:
            clauses.append(_keyed(a, "_who", "contains(strip_accents(w), ?)"))
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
    if q.sector:
        triple = [q.sector, q.country, q.country]
        if indexed:
            clauses.append(f"({_keyed(a, '_a', _sector_test('w'))} OR "
                           f"{_keyed(a, '_r', _sector_test('w'))})")
        else:
            structs = "[struct_pack(s := y.sector, c := y.country) for y in {col}]"
            clauses.append(f"({_sector_test(structs.format(col=a + 'actor'))} OR "
                           f"{_sector_test(structs.format(col=a + 'recipient'))})")
        params.extend(triple * 2)
    if q.place:
        if indexed:
            clauses.append(_keyed(a, "_place", "contains(strip_accents(w), ?)"))
            params.append(fold(q.place))
        else:
            clauses.append(
                f"({_substr(a + 'location.name')} OR {_substr(a + 'location.text')})"
            )
            params.extend([fold(q.place)] * 2)
    if q.geonameid is not None:
        clauses.append(f"{a}location.geonameid = ?")
        params.append(q.geonameid)
    lo, hi = q.interval()
    first = f"{a}_date_lo" if indexed else lo_sql(a + "date")
    last = f"{a}_date_hi" if indexed else hi_sql(a + "date")
    within = q.date_match == "within"
    if lo is not None:
        clauses.append(f"{first if within else last} >= ?")
        params.append(lo)
    if hi is not None:
        clauses.append(f"{last if within else first} <= ?")
        params.append(hi)
    if q.text:
        clauses.append(f"contains({a}_text, ?)" if indexed
                       else f"contains(lower(coalesce({a}sentence.text, '')), ?)")
        params.append(q.text.lower())
    if q.doc_id is not None:
        clauses.append(f"{a}doc_id = ?")
        params.append(q.doc_id)
    if q.track is not None:
        cond, extra = track_clause(store, q.track, "event", f"{a}id")
        clauses.append(cond)
        params.extend(extra)
    return (" AND ".join(clauses), params)


def _where(q: EventQuery, indexed: bool = False,
           store: Store | None = None) -> tuple[str, list[Any]]:
    sql, params = event_where(q, indexed=indexed, store=store)
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
    where, params = _where(q, indexed, store)
    tail = f" ORDER BY {q.order_sql(indexed=indexed)} LIMIT ? OFFSET ?"
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
    where, params = _where(q, indexed, store)
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


@dataclass(frozen=True)
class QuoteQuery:
    """A filter over quotes; the set fields are ANDed.

    ``speaker`` is a substring of the speaker's resolved name or mention text (case and
    accents ignored), ``country``/``sector`` the speaker's, ``text`` a substring of what was
    said.
    """

    speaker: str | None = None
    country: str | None = None
    sector: str | None = None
    text: str | None = None
    doc_id: str | None = None
    limit: int = 50
    offset: int = 0
    track: str | None = None  # quotes `dragoman track` linked to this track

    def validate(self) -> None:
        """Raise QueryError with a clear message on any bad value."""
        check_track(self.track)
        for name in ("speaker", "text", "doc_id"):
            v = getattr(self, name)
            if v is not None and not isinstance(v, str):
                raise QueryError(f"{name} must be a string, not {type(v).__name__}")
        if self.country is not None and (
            not isinstance(self.country, str) or not _COUNTRY.match(self.country)
        ):
            raise QueryError(f"country={self.country!r} must be an ISO-3 code such as RUS")
        if self.sector is not None and (
            not isinstance(self.sector, str) or not _SECTOR.match(self.sector)
        ):
            raise QueryError(f"sector={self.sector!r} must be a sector code such as GOV")
        _check_page(self.limit, self.offset)


def quote_where(qq: QuoteQuery, alias: str = "", indexed: bool = False,
                store: Store | None = None) -> tuple[str, list[Any]]:
    """The WHERE clause (and its parameters) of a quote filter over the ``quotes`` view, or
    with ``indexed`` over the in-memory quote table (its folded ``_who``/``_said``).
    ``qq.track`` needs ``store`` (its track tables)."""
    a = f"{alias}." if alias else ""
    clauses: list[str] = []
    params: list[Any] = []
    if qq.speaker and indexed:
        clauses.append(f"contains({a}_who, ?)")
        params.append(fold(qq.speaker))
    elif qq.speaker:
        clauses.append(f"({_substr(a + 'speaker.name')} OR {_substr(a + 'speaker.text')})")
        params.extend([fold(qq.speaker)] * 2)
    if qq.country:
        clauses.append(f"{a}speaker.country = ?")
        params.append(qq.country)
    if qq.sector:
        clauses.append(f"{a}speaker.sector = ?")
        params.append(qq.sector)
    if qq.text:
        clauses.append(f"contains({a}_said, ?)" if indexed else _substr(a + "content.text"))
        params.append(fold(qq.text))
    if qq.doc_id is not None:
        clauses.append(f"{a}doc_id = ?")
        params.append(qq.doc_id)
    if qq.track is not None:
        cond, extra = track_clause(store, qq.track, "quote", f"{a}id")
        clauses.append(cond)
        params.extend(extra)
    return " AND ".join(clauses), params


#: characters of the document shown on each side of a quote
QUOTE_CONTEXT = 160


def quote_page(store: Store, qq: QuoteQuery) -> tuple[list[dict[str, Any]], int]:
    """One page of quotes (newest documents first) and the number matching ``qq``.

    Each quote is the contract's quote dict plus ``_doc`` (``title``, ``published``,
    ``source``) and ``_before``/``_after``: up to ``QUOTE_CONTEXT`` characters of the
    document around the quote, so a page shows it in its sentence.
    """
    qq.validate()
    reader = store.reader()
    table = _quote_table(store, reader)
    where, params = quote_where(qq, "q", indexed=table is not None, store=store)
    where = f" WHERE {where}" if where else ""
    cols = ", ".join(f'q."{f.name}"' for f in table_schema("quotes"))
    if table is not None:
        source = f"{table} q"
        order = "q._published DESC NULLS LAST"
    else:
        source = "quotes q LEFT JOIN (SELECT doc_id, published FROM documents) d " \
                 "ON d.doc_id = q.doc_id"
        order = "d.published DESC NULLS LAST"
    rows = reader.fetch_dicts(
        f"SELECT {cols} FROM {source}{where} ORDER BY {order}, q.doc_id, q.content.start, "
        "q.id LIMIT ? OFFSET ?",
        [*params, qq.limit, qq.offset],
    )
    # the page's documents only: their metadata and the text around each quote
    doc_ids = sorted({r["doc_id"] for r in rows})
    docs: dict[str, dict[str, Any]] = {}
    if rows:
        marks = ", ".join("?" for _ in doc_ids)
        for d in reader.fetch_dicts(
            f"SELECT doc_id, title, published, source, text FROM documents "
            f"WHERE doc_id IN ({marks})", doc_ids,
        ):
            docs.setdefault(d["doc_id"], d)
    for r in rows:
        d = docs.get(r["doc_id"]) or {}
        text = d.get("text") or ""
        content = r.get("content") or {}
        start, end = content.get("start"), content.get("end")
        r["_doc"] = {k: d.get(k) for k in ("title", "published", "source")}
        if isinstance(start, int) and isinstance(end, int):
            r["_before"] = text[max(start - QUOTE_CONTEXT, 0):start]
            r["_after"] = text[end:end + QUOTE_CONTEXT]
        else:
            r["_before"] = r["_after"] = ""
    if len(rows) < qq.limit and (rows or qq.offset == 0):
        return rows, qq.offset + len(rows)
    count_sql = f"SELECT count(*) FROM {table or 'quotes'} q{where}"
    total = reader.count((count_sql, *params),
                         lambda: int(reader.fetchall(count_sql, params)[0][0]))
    return rows, total


# the in-memory quote table of each reader: (segments it was built from, its name)
_QUOTE_TABLES: weakref.WeakKeyDictionary[Reader, tuple[tuple[str, ...], str]] = \
    weakref.WeakKeyDictionary()
_QUOTE_LOCK = threading.Lock()
_QUOTE_NAMES = itertools.count(1)


def _quote_table(store: Store, reader: Reader) -> str | None:
    """The name of an in-memory table of the quotes (with the document's publication date
    and the folded speaker and text), rebuilt when the segments change; None when the
    reader keeps no index (a store too large for memory: the Parquet views are queried)."""
    if not reader.indexed:
        return None
    key = tuple(store.segment_names())
    with _QUOTE_LOCK:
        built = _QUOTE_TABLES.get(reader)
        if built is not None and built[0] == key:
            return built[1]
        name = f"_dm_quotes_{next(_QUOTE_NAMES)}"
        reader.fetchall(
            f"CREATE TABLE {name} AS SELECT q.*, d.published AS _published, "
            "strip_accents(lower(coalesce(q.speaker.name, '') || chr(31) || "
            "coalesce(q.speaker.text, ''))) AS _who, "
            "strip_accents(lower(coalesce(q.content.text, ''))) AS _said FROM quotes q "
            "LEFT JOIN (SELECT doc_id, any_value(published) AS published FROM documents "
            "GROUP BY doc_id) d ON d.doc_id = q.doc_id", [])
        if built is not None:  # queries still running on the old table finish first
            old = built[1]
            timer = threading.Timer(30.0, _drop, args=(reader, old))
            timer.daemon = True
            timer.start()
        _QUOTE_TABLES[reader] = (key, name)
        return name


def _drop(reader: Reader, table: str) -> None:
    try:
        reader.fetchall(f"DROP TABLE IF EXISTS {table}", [])
    except Exception:  # a closed reader: nothing to free
        log.debug("could not drop %s", table, exc_info=True)


def quote_speakers(store: Store, qq: QuoteQuery, top: int = 30) -> list[dict[str, Any]]:
    """How many quotes each speaker has under ``qq``: ``[{"name", "country", "sector",
    "n"}]``, most first; ``name`` is the resolved name (the mention when unresolved)."""
    qq.validate()
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= MAX_LIMIT:
        raise QueryError(f"top={top!r} must be an integer from 1 to {MAX_LIMIT}")
    reader = store.reader()
    table = _quote_table(store, reader)
    where, params = quote_where(qq, "q", indexed=table is not None, store=store)
    where = f" WHERE {where}" if where else ""
    rows = reader.fetchall(
        "SELECT coalesce(q.speaker.name, q.speaker.text) AS who, q.speaker.country, "
        f"q.speaker.sector, count(*) AS n FROM {table or 'quotes'} q{where} GROUP BY ALL "
        "ORDER BY n DESC, who NULLS LAST LIMIT ?",
        [*params, top],
    )
    return [{"name": w, "country": c, "sector": s, "n": int(n)} for w, c, s, n in rows]


def query_quotes(
    store: Store,
    speaker: str | None = None,
    doc_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Quotes, optionally by speaker (substring of name or text, case and accents ignored)
    or doc, in document order."""
    qq = QuoteQuery(speaker=speaker, doc_id=doc_id, limit=limit, offset=offset)
    qq.validate()
    where, params = quote_where(qq, store=store)
    where = f" WHERE {where}" if where else ""
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
    """Counts per table, events per type, top actors, the events' date range (the first and
    last day their dates denote), the runs."""
    r = store.reader()
    _, indexed = _source(r)
    # the rows of the segments the reader reads (their manifests count them)
    segments = usable_segments(store)
    counts = {t: sum(seg.rows(t) for seg in segments) for t in TABLES}
    if indexed:  # the in-memory index answers the event aggregates (same results)
        type_sql = ('SELECT d.w, count(*) FROM _events_ix e JOIN "_devent_type" d '
                    "ON d.k = e._kevent_type GROUP BY 1 ORDER BY 2 DESC, 1")
        range_sql = "SELECT min(_date_lo), max(_date_hi) FROM _events_ix"
    else:
        type_sql = "SELECT event_type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1"
        range_sql = f"SELECT min({lo_sql('date')}), max({hi_sql('date')}) FROM events"
    by_type = {t: int(n) for t, n in r.fetchall(type_sql, [])}
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
    lo, hi = (None if d is None else d.isoformat() for d in r.fetchall(range_sql, [])[0])
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
    """Events per date interval and quad class, by date: ``[{"date", "start", "end",
    "quad_class", "n"}]``; ``start``/``end`` are the first and last day the events' dates
    denote (a day, a week, a month…) and ``date`` is that day, or the ISO interval
    ``start/end``. Dates without an interval are left out."""
    q.validate()
    reader = store.reader()
    table, indexed = _source(reader)
    where, params = _where(q, indexed, store)
    lo, hi = ("_date_lo", "_date_hi") if indexed else (lo_sql("date"), hi_sql("date"))
    where = _and(where, f"{lo} IS NOT NULL")
    rows = reader.fetchall(
        f"SELECT {lo}, {hi}, quad_class, count(*) FROM {table}{where} GROUP BY 1, 2, 3 "
        "ORDER BY 1, 2, 3 NULLS LAST", params,
    )
    return [{"date": a.isoformat() if a == b else f"{a.isoformat()}/{b.isoformat()}",
             "start": a.isoformat(), "end": b.isoformat(), "quad_class": qc, "n": int(n)}
            for a, b, qc, n in rows]


def _node_sql(var: str, mode: str) -> str:
    """SQL: a struct (id, country, sector) per real actor of the struct list ``var``.

    A real actor is resolved (a knowledge-base id or a country) and is not a pronoun
    (the first parameter: the list of pronoun words); the rest never become nodes.
    """
    node_id = ("coalesce(x.c || coalesce(' ' || x.s, ''), x.s)" if mode == "sector"
               else "x.n")
    return (f"[struct_pack(i := {node_id}, c := x.c, s := x.s) for x in {var} "
            "if (x.k IS NOT NULL OR x.c IS NOT NULL) AND x.n IS NOT NULL "
            "AND NOT list_contains(?, lower(x.n))]")


#: SQL: the cooperation (quad 1–2) and conflict (quad 3–4) events of a group
_QUADS = ("count(*) FILTER (WHERE quad_class IN (1, 2)) AS coop, "
          "count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict")


def network(store: Store, q: EventQuery, top: int = 50, nodes: int = 30,
            by: str = "actor") -> dict[str, Any]:
    """Who acts on whom: the ``nodes`` most active actors and the ``top`` heaviest edges
    between them, plus every pair ranked.

    ``by="actor"`` makes a node per actor (canonical name), ``by="sector"`` per country and
    sector ("SYR GOV", "SYR REB"). Unresolved mentions and pronouns are never nodes. An
    edge from a node to itself is kept (Syria's army against Syria's rebels is ``SYR MIL →
    SYR REB`` by sector, ``Syria → Syria`` by actor). ``{"by", "nodes": [{"id",
    "country", "sector", "n"}], "edges": [{"source", "target", "n", "coop",
    "conflict"}], "pairs": [the 100 heaviest edges, kept nodes or not], "total_nodes"}``;
    ``coop`` counts quad classes 1–2, ``conflict`` 3–4; a node's country and sector are
    those of most of its events.
    """
    q.validate()
    for name, value in (("top", top), ("nodes", nodes)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LIMIT:
            raise QueryError(f"{name}={value!r} must be an integer from 1 to {MAX_LIMIT}")
    if by not in NETWORK_MODES:
        raise QueryError(f"by={by!r} unknown; use one of {', '.join(NETWORK_MODES)}")
    reader = store.reader()
    table, indexed = _source(reader)
    where, params = _where(q, indexed, store)
    if indexed:
        # count per distinct (actors, recipients) pair of lists first: far fewer rows to unnest
        # the node lists are made once per distinct list of the dictionaries
        events = (
            f"SELECT da.l AS _a, dr.l AS _r, cnt, coop, conflict FROM (SELECT _k_a, _k_r, "
            f"count(*) AS cnt, {_QUADS} FROM {table}{where} GROUP BY ALL) AS g "
            f'JOIN (SELECT k, {_node_sql("w", by)} AS l FROM "_d_a") AS da ON da.k = g._k_a '
            f'JOIN (SELECT k, {_node_sql("w", by)} AS l FROM "_d_r") AS dr ON dr.k = g._k_r'
        )
    else:
        structs = ("[struct_pack(n := coalesce(y.name, y.text), c := y.country, "
                   "s := y.sector, k := y.kb_id) for y in {col}]")
        events = (
            f"SELECT {_node_sql(structs.format(col='actor'), by)} AS _a, "
            f"{_node_sql(structs.format(col='recipient'), by)} AS _r, 1 AS cnt, "
            "(quad_class IN (1, 2))::INTEGER AS coop, (quad_class IN (3, 4))::INTEGER "
            f"AS conflict FROM {table}{where}"
        )
    # the node lists' parameters come after the filter's in the index query, before it else
    lists = [pronoun_words(), pronoun_words()]
    params = [*params, *lists] if indexed else [*lists, *params]
    sql = f"""
        WITH e AS ({events}),
        pairs AS (
            SELECT a.i AS src, a.c AS sc, a.s AS ss, r.i AS dst, r.c AS dc, r.s AS ds,
                   cnt, coop, conflict
            FROM (SELECT unnest(_a) AS a, _r, cnt, coop, conflict FROM e)
            CROSS JOIN LATERAL (SELECT unnest(_r) AS r)
        )
        SELECT src, dst, sum(cnt) AS n, sum(coop) AS coop, sum(conflict) AS conflict,
               arg_max(sc, cnt), arg_max(ss, cnt), arg_max(dc, cnt), arg_max(ds, cnt)
        FROM pairs GROUP BY src, dst ORDER BY n DESC, src, dst
    """
    rows = reader.fetchall(sql, params)
    weight: dict[str, dict[str, Any]] = {}
    pairs = []
    for src, dst, n, coop, conflict, sc, ss, dc, ds in rows:
        pairs.append({"source": src, "target": dst, "n": int(n), "coop": int(coop),
                      "conflict": int(conflict)})
        ends = ((src, sc, ss), (dst, dc, ds)) if src != dst else ((src, sc, ss),)
        for name, country, sector in ends:
            node = weight.setdefault(name, {"id": name, "country": country, "sector": sector,
                                            "n": 0})
            node["n"] += int(n)
    ranked = sorted(weight.values(), key=lambda x: (-x["n"], x["id"]))
    kept = {node["id"] for node in ranked[:nodes]}
    edges = [p for p in pairs if p["source"] in kept and p["target"] in kept][:top]
    used = {p["source"] for p in edges} | {p["target"] for p in edges}
    return {
        "by": by,
        "nodes": [node for node in ranked if node["id"] in used],
        "edges": edges,
        "pairs": pairs[:100],
        "total_nodes": len(ranked),
    }


def locations(store: Store, q: EventQuery) -> list[dict[str, Any]]:
    """Event locations with coordinates and their event counts, most events first.

    ``[{"geonameid", "name", "country", "lat", "lon", "n", "quads": [n1, n2, n3, n4]}]``:
    ``quads`` counts the events of each quad class (a map colours a place by them).
    """
    q.validate()
    reader = store.reader()
    table, indexed = _source(reader)
    where, params = _where(q, indexed, store)
    where = _and(where, "location.lat IS NOT NULL AND location.lon IS NOT NULL")
    rows = reader.fetchall(
        "SELECT location.geonameid, any_value(location.name), any_value(location.country), "
        "location.lat, location.lon, count(*) AS n, "
        + ", ".join(f"count(*) FILTER (WHERE quad_class = {c})" for c in (1, 2, 3, 4))
        + f" FROM {table}{where} GROUP BY location.geonameid, location.lat, location.lon "
        "ORDER BY n DESC, 2 LIMIT 10000",
        params,
    )
    return [
        {"geonameid": g, "name": nm, "country": c, "lat": lat, "lon": lon, "n": int(n),
         "quads": [int(q1), int(q2), int(q3), int(q4)]}
        for g, nm, c, lat, lon, n, q1, q2, q3, q4 in rows
    ]
