"""Export store tables to JSONL, CSV or Parquet, natively or as POLECAT/GDELT-style tables.

``native`` keeps the contract records: JSONL has one record per line exactly as
``to_dict`` gives it; Parquet keeps the nested schema; CSV flattens nested fields —
a struct ``trigger`` becomes ``trigger_start``, ``trigger_end``, ``trigger_text``; a list of
structs ``actor`` becomes ``actor_text``, ``actor_name``, ``actor_country``, … each the
values of every item joined with ``;``; a list of strings (``context``) is joined with ``;``.
Booleans are ``true``/``false`` and None is the empty cell.

``polecat`` and ``gdelt`` (events only) map each event onto the columns of those datasets,
one row per event; several actors (recipients) are joined with ``;``.

POLECAT-style columns (snake_case versions of the POLECAT release columns)
--------------------------------------------------------------------------

=======================  ===============================================================
column                   from
=======================  ===============================================================
event_id                 ``id``
story_id                 ``doc_id``
event_date               ``date``
event_type               ``event_type``
event_mode               ``mode``
event_intensity          ``goldstein`` (a Goldstein-scale value, not POLECAT's intensity)
quad_code                ``quad_class``
contexts                 ``context`` joined with ``;``
actor_name               ``actor[].name`` (its ``text`` when unresolved)
actor_country            ``actor[].country`` (ISO-3, or IGO/NGO/MNC)
primary_actor_sector     ``actor[].sector``
actor_name_raw           ``actor[].text``
wikipedia_actor_id       ``actor[].kb_id``
recipient_name …         the same five for ``recipient``
                         (recipient_country, primary_recipient_sector,
                         recipient_name_raw, wikipedia_recipient_id)
placename                ``location.name``
raw_placename            ``location.text``
country                  ``location.country`` (ISO-3)
latitude, longitude      ``location.lat``, ``location.lon``
geonames_id              ``location.geonameid``
event_text               ``sentence.text``
trigger_text             ``trigger.text``
publication_date         the document's ``published``
source, headline, url    the document's ``source``, ``title``, ``url``
version                  ``extractor``
negated, modality,       dragoman's own fields, kept so no information is lost
attributed_to, cameo,
date_basis, confidence
=======================  ===============================================================

GDELT-style columns (the 58 columns of the GDELT 1.0 event table, in its order)
--------------------------------------------------------------------------------

=========================================  ================================================
column                                     from
=========================================  ================================================
GLOBALEVENTID                              ``id`` (a string here, not GDELT's integer)
SQLDATE, MonthYear, Year, FractionDate     ``date`` (empty when the event has no full date)
Actor1Code                                 country + sector of the first actor (``RUSGOV``)
Actor1Name                                 first actor's name (upper case, as GDELT)
Actor1CountryCode                          its ``country`` — ISO-3 (GDELT uses CAMEO
                                           country codes, which equal ISO-3 for states)
Actor1KnownGroupCode                       IGO/NGO/MNC when that is the country field
Actor1EthnicCode, Actor1Religion1/2Code    empty (dragoman does not code these)
Actor1Type1Code                            ``sector``; Type2/3 empty
Actor2…                                    the same for the first recipient
IsRootEvent                                1
EventCode, EventBaseCode, EventRootCode    ``cameo``, its first 3 and first 2 digits
QuadClass, GoldsteinScale                  ``quad_class``, ``goldstein``
NumMentions, NumSources, NumArticles       1 (one evidence sentence); AvgTone empty
Actor1Geo_*, Actor2Geo_*                   empty (dragoman locates events, not actors)
ActionGeo_Type                             1 country, 4 city/place (from the place feature)
ActionGeo_FullName                         ``location.name``
ActionGeo_CountryCode                      ``location.country`` (ISO-3, not FIPS)
ActionGeo_ADM1Code                         the place's ``admin1`` when the places table has it
ActionGeo_Lat, ActionGeo_Long              ``location.lat``, ``location.lon``
ActionGeo_FeatureID                        ``location.geonameid`` (GeoNames, not GNS)
DATEADDED                                  the document's ``published`` as YYYYMMDD
SOURCEURL                                  the document's ``url``
=========================================  ================================================
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
from collections.abc import Callable, Iterator
from datetime import date as _date
from pathlib import Path
from typing import IO, Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import QueryError
from ..store.schema import relaxed, table_schema
from ..store.segments import Store
from .api import EventQuery, QuoteQuery, columns, event_where, quote_where

__all__ = ["FORMATS", "STYLES", "WHATS", "csv_columns", "export", "flatten"]

FORMATS = ("jsonl", "csv", "parquet")
WHATS = ("events", "quotes", "places", "dates", "documents", "actors", "frames", "incidents")
STYLES = ("native", "polecat", "gdelt")

_ORDER = {
    "events": "date ASC NULLS LAST, id",
    "quotes": "doc_id, content.start, id",
    "documents": "doc_id",
    "incidents": "date ASC NULLS LAST, doc_id, id",
}

# -- native CSV flattening -----------------------------------------------------------------


def _flat_paths(t: pa.DataType, prefix: str) -> list[tuple[str, list[str], bool]]:
    """(column name, path of struct keys, inside a list) for every leaf of a type."""
    if pa.types.is_struct(t):
        out = []
        for i in range(t.num_fields):
            f = t.field(i)
            for name, path, in_list in _flat_paths(f.type, f"{prefix}_{f.name}"):
                out.append((name, [f.name, *path], in_list))
        return out
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return [(name, path, True) for name, path, _ in _flat_paths(t.value_type, prefix)]
    return [(prefix, [], False)]


def csv_columns(what: str) -> list[tuple[str, str, list[str], bool]]:
    """(csv column, top-level field, struct path, is a list) for a table's native CSV."""
    out = []
    for f in table_schema(what):
        for name, path, in_list in _flat_paths(f.type, f.name):
            out.append((name, f.name, path, in_list))
    return out


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _dig(v: Any, path: list[str]) -> Any:
    for key in path:
        if v is None:
            return None
        v = v.get(key)
    return v


def _collect(v: Any, path: list[str]) -> list[Any]:
    """The values at ``path`` under ``v``, a list's items each giving theirs (a list may sit
    at any depth, e.g. ``casualties.figures``)."""
    if isinstance(v, list):
        return [y for x in v for y in _collect(x, path)]
    if not path or v is None:
        return [None if path else v]
    return _collect(v.get(path[0]), path[1:])


def flatten(record: dict[str, Any], cols: list[tuple[str, str, list[str], bool]]) -> list[str]:
    """One native CSV row of a contract record."""
    row = []
    for _, top, path, in_list in cols:
        v = record.get(top)
        if in_list:
            row.append(";".join(_cell(x) for x in _collect(v if v is not None else [], path)))
        else:
            row.append(_cell(_dig(v, path)))
    return row


# -- POLECAT / GDELT styles ----------------------------------------------------------------

_S, _I, _F, _B = pa.string(), pa.int64(), pa.float64(), pa.bool_()

POLECAT_SCHEMA = pa.schema(
    [
        ("event_id", _S), ("story_id", _S), ("event_date", _S), ("event_type", _S),
        ("event_mode", _S), ("event_intensity", _F), ("quad_code", _I), ("contexts", _S),
        ("actor_name", _S), ("actor_country", _S), ("primary_actor_sector", _S),
        ("actor_name_raw", _S), ("wikipedia_actor_id", _S),
        ("recipient_name", _S), ("recipient_country", _S), ("primary_recipient_sector", _S),
        ("recipient_name_raw", _S), ("wikipedia_recipient_id", _S),
        ("placename", _S), ("raw_placename", _S), ("country", _S), ("latitude", _F),
        ("longitude", _F), ("geonames_id", _I), ("event_text", _S), ("trigger_text", _S),
        ("publication_date", _S), ("source", _S), ("headline", _S), ("url", _S),
        ("version", _S), ("negated", _B), ("modality", _S), ("attributed_to", _S),
        ("cameo", _S), ("date_basis", _S), ("confidence", _F),
    ]
)

_GDELT_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
                "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code"]
_GDELT_GEO = ["Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID"]


def _gdelt_schema() -> pa.Schema:
    fields: list[tuple[str, pa.DataType]] = [
        ("GLOBALEVENTID", _S), ("SQLDATE", _I), ("MonthYear", _I), ("Year", _I),
        ("FractionDate", _F),
    ]
    for n in (1, 2):
        fields += [(f"Actor{n}{c}", _S) for c in _GDELT_ACTOR]
    fields += [
        ("IsRootEvent", _I), ("EventCode", _S), ("EventBaseCode", _S), ("EventRootCode", _S),
        ("QuadClass", _I), ("GoldsteinScale", _F), ("NumMentions", _I), ("NumSources", _I),
        ("NumArticles", _I), ("AvgTone", _F),
    ]
    for g in ("Actor1Geo", "Actor2Geo", "ActionGeo"):
        for c in _GDELT_GEO:
            typ = {"Type": _I, "Lat": _F, "Long": _F}.get(c, _S)
            fields.append((f"{g}_{c}", typ))
    fields += [("DATEADDED", _I), ("SOURCEURL", _S)]
    return pa.schema(fields)


GDELT_SCHEMA = _gdelt_schema()


def _names(refs: list[dict[str, Any]], key: str) -> str | None:
    vals = [_cell(r.get("name") or r.get("text")) if key == "name" else _cell(r.get(key))
            for r in refs]
    return ";".join(vals) if vals and any(vals) else None


def _polecat(e: dict[str, Any]) -> dict[str, Any]:
    loc = e.get("location") or {}
    att = e.get("attributed_to")
    row: dict[str, Any] = {
        "event_id": e["id"], "story_id": e["doc_id"], "event_date": e["date"],
        "event_type": e["event_type"], "event_mode": e["mode"],
        "event_intensity": e["goldstein"], "quad_code": e["quad_class"],
        "contexts": ";".join(e["context"]) or None,
    }
    for role, out in (("actor", "actor"), ("recipient", "recipient")):
        refs = e.get(role) or []
        row[f"{out}_name"] = _names(refs, "name")
        row[f"{out}_country"] = _names(refs, "country")
        row[f"primary_{out}_sector"] = _names(refs, "sector")
        row[f"{out}_name_raw"] = _names(refs, "text")
        row[f"wikipedia_{out}_id"] = _names(refs, "kb_id")
    row.update(
        placename=loc.get("name"), raw_placename=loc.get("text"), country=loc.get("country"),
        latitude=loc.get("lat"), longitude=loc.get("lon"), geonames_id=loc.get("geonameid"),
        event_text=e["sentence"]["text"], trigger_text=e["trigger"]["text"],
        publication_date=e.get("_published"), source=e.get("_source"),
        headline=e.get("_title"), url=e.get("_url"), version=e["extractor"],
        negated=e["negated"], modality=e["modality"],
        attributed_to=(att.get("name") or att.get("text")) if att else None,
        cameo=e["cameo"], date_basis=e["date_basis"], confidence=e["confidence"],
    )
    return row


def _ymd(d: str | None) -> _date | None:
    if not d or len(d) < 10:
        return None
    try:
        return _date.fromisoformat(d[:10])
    except ValueError:
        return None


def _gdelt_actor(n: int, refs: list[dict[str, Any]]) -> dict[str, Any]:
    p = f"Actor{n}"
    row: dict[str, Any] = {f"{p}{c}": None for c in _GDELT_ACTOR}
    if not refs:
        return row
    a = refs[0]
    country = a.get("country")
    group = country if country in ("IGO", "NGO", "MNC") else None
    iso = None if group else country
    code = (iso or group or "") + (a.get("sector") or "")
    name = a.get("name") or a.get("text")
    row.update({
        f"{p}Code": code or None,
        f"{p}Name": name.upper() if name else None,
        f"{p}CountryCode": iso,
        f"{p}KnownGroupCode": group,
        f"{p}Type1Code": a.get("sector"),
    })
    return row


def _gdelt(e: dict[str, Any]) -> dict[str, Any]:
    d = _ymd(e["date"])
    row: dict[str, Any] = {c: None for c in GDELT_SCHEMA.names}
    row["GLOBALEVENTID"] = e["id"]
    if d is not None:
        row["SQLDATE"] = d.year * 10000 + d.month * 100 + d.day
        row["MonthYear"] = d.year * 100 + d.month
        row["Year"] = d.year
        row["FractionDate"] = round(d.year + (d.timetuple().tm_yday / 365.0), 4)
    row.update(_gdelt_actor(1, e.get("actor") or []))
    row.update(_gdelt_actor(2, e.get("recipient") or []))
    cameo = e.get("cameo")
    row.update(
        IsRootEvent=1, EventCode=cameo, EventBaseCode=cameo[:3] if cameo else None,
        EventRootCode=cameo[:2] if cameo else None, QuadClass=e["quad_class"],
        GoldsteinScale=e["goldstein"], NumMentions=1, NumSources=1, NumArticles=1,
    )
    loc = e.get("location")
    if loc:
        feature = e.get("_feature") or ""
        row.update(
            ActionGeo_Type=1 if feature.startswith("A.PCL") else 4,
            ActionGeo_FullName=loc.get("name") or loc.get("text"),
            ActionGeo_CountryCode=loc.get("country"), ActionGeo_ADM1Code=e.get("_admin1"),
            ActionGeo_Lat=loc.get("lat"), ActionGeo_Long=loc.get("lon"),
            ActionGeo_FeatureID=(
                str(loc["geonameid"]) if loc.get("geonameid") is not None else None
            ),
        )
    pub = _ymd(e.get("_published"))
    if pub is not None:
        row["DATEADDED"] = pub.year * 10000 + pub.month * 100 + pub.day
    row["SOURCEURL"] = e.get("_url")
    return row


# line separators other than \n that some readers split lines on: escaped in JSONL
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _json_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKS) + "\n"


# -- output --------------------------------------------------------------------------------


@contextlib.contextmanager
def _binary_out(out: str | Path | BinaryIO | None) -> Iterator[BinaryIO]:
    if out is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
    elif isinstance(out, (str, Path)):
        with open(out, "wb") as f:
            yield f
    else:
        yield out


class _Text(io.TextIOWrapper):
    """A text wrapper that never closes the binary stream under it."""

    def close(self) -> None:
        if not self.closed:
            self.flush()
            self.detach()


def _source(
    store: Store, what: str, q: EventQuery | None, style: str, limit: int | None,
    quotes: QuoteQuery | None = None,
) -> tuple[str, list[Any]]:
    params: list[Any] = []
    if what == "quotes" and quotes is not None:
        w, params = quote_where(quotes, store=store)
        where = f" WHERE {w}" if w else ""
        sql = f"SELECT {columns('quotes')} FROM quotes{where} ORDER BY {_ORDER['quotes']}"
    elif what == "events":
        where = ""
        if q is not None:
            w, params = event_where(q, alias="e", store=store)
            where = f" WHERE {w}" if w else ""
        order = (q.order_sql(alias="e") if q is not None
                 else "e.date ASC NULLS LAST, e.id ASC")
        if style == "native":
            cols = ", ".join(f'e."{f.name}"' for f in table_schema("events"))
            sql = f"SELECT {cols} FROM events e{where} ORDER BY {order}"
        else:
            sql = (
                "SELECT e.*, d.published AS _published, d.source AS _source, "
                "d.title AS _title, d.url AS _url, p.feature AS _feature, "
                "p.admin1 AS _admin1 FROM events e "
                "LEFT JOIN (SELECT doc_id, published, source, title, url FROM documents) d "
                "ON d.doc_id = e.doc_id "
                "LEFT JOIN (SELECT doc_id, start, \"end\", any_value(feature) AS feature, "
                "any_value(admin1) AS admin1 FROM places GROUP BY ALL) p "
                "ON p.doc_id = e.doc_id AND p.start = e.location.start "
                "AND p.\"end\" = e.location.\"end\""
                f"{where} ORDER BY {order}"
            )
    else:
        where = ""
        if q is not None:
            w, params = event_where(q, store=store)
            if w:
                where = f" WHERE doc_id IN (SELECT doc_id FROM events WHERE {w})"
        order = _ORDER.get(what, 'doc_id, start, "end"')
        sql = f"SELECT {columns(what)} FROM {what}{where} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params = [*params, limit]
    return sql, params


def export(
    store: Store,
    what: str,
    fmt: str,
    out: str | Path | BinaryIO | None,
    q: EventQuery | None = None,
    style: str = "native",
    limit: int | None = None,
    quotes: QuoteQuery | None = None,
) -> int:
    """Write a table (``WHATS``) as ``fmt`` (``FORMATS``) to ``out``; the number of records.

    ``out`` is a path, a binary file object, or None for standard output. ``q`` filters
    events (its ``limit``/``offset`` are ignored: an export is everything that matches, up
    to ``limit`` here); for the other tables it keeps the records of the documents that
    have at least one matching event. ``style`` ``polecat``/``gdelt`` apply to events only.
    ``quotes`` filters the quotes themselves (speaker, country, sector, text) when ``what``
    is ``quotes``.
    """
    if what not in WHATS:
        raise QueryError(f"cannot export {what!r}; choose one of {', '.join(WHATS)}")
    if fmt not in FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if style not in STYLES:
        raise QueryError(f"unknown export style {style!r}; choose one of {', '.join(STYLES)}")
    if style != "native" and what != "events":
        raise QueryError(f"style {style!r} applies to events only, not {what}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                              or limit < 0):
        raise QueryError(f"limit={limit!r} must be an integer >= 0")
    if q is not None:
        q.validate()
    if quotes is not None:
        if what != "quotes":
            raise QueryError(f"a quote filter applies to quotes only, not {what}")
        quotes.validate()
    sql, params = _source(store, what, q, style, limit, quotes)

    transform: Callable[[dict[str, Any]], dict[str, Any]] | None
    if style == "polecat":
        transform, schema = _polecat, POLECAT_SCHEMA
    elif style == "gdelt":
        transform, schema = _gdelt, GDELT_SCHEMA
    else:
        transform, schema = None, relaxed(table_schema(what))

    def records() -> Iterator[list[dict[str, Any]]]:
        for batch in store.reader().iter_batches(sql, params):
            rows = batch.to_pylist()
            yield [transform(r) for r in rows] if transform else rows

    n = 0
    with _binary_out(out) as f:
        if fmt == "jsonl":
            for rows in records():
                f.write("".join(_json_line(r) for r in rows).encode("utf-8"))
                n += len(rows)
        elif fmt == "csv":
            text: IO[str] = _Text(f, encoding="utf-8", newline="")
            w = csv.writer(text)
            if transform is None:
                cols = csv_columns(what)
                w.writerow([c[0] for c in cols])
                for rows in records():
                    w.writerows(flatten(r, cols) for r in rows)
                    n += len(rows)
            else:
                w.writerow(schema.names)
                for rows in records():
                    w.writerows([_cell(r[c]) for c in schema.names] for r in rows)
                    n += len(rows)
            text.close()
        else:
            writer = pq.ParquetWriter(f, schema, compression="zstd")
            try:
                if transform is None:
                    for batch in store.reader().iter_batches(sql, params):
                        writer.write_table(
                            pa.Table.from_batches([batch]).cast(schema, safe=False)
                        )
                        n += batch.num_rows
                else:
                    for rows in records():
                        writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                        n += len(rows)
            finally:
                writer.close()
    return n
