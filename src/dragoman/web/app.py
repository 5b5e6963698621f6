"""The analyst's dashboard: a FastAPI app over a dragoman store (read-only).

Every page and every ``/api/`` endpoint calls one public function of ``dragoman.query``
(the same ones the CLI uses); this module only validates parameters, renders and serves.

Security model (see docs/dashboard.md):

- read-only: the store is opened with ``create=False`` and no writer is ever taken;
- every query parameter is validated (types, ranges, patterns, real dates) before it reaches
  the query API, which binds them as DuckDB parameters; bad input → 4xx JSON (or an error
  page), never a 500;
- article text is untrusted: Jinja2 autoescaping is always on, links are only emitted for
  ``http(s)`` URLs, the JavaScript only uses ``textContent``/``createElement``, and a strict
  Content-Security-Policy forbids inline scripts and anything not served by this app;
- static files come only from this package's ``static`` folder (Starlette's ``StaticFiles``
  refuses paths that resolve outside it).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import logging
import os
import re
import tempfile
import threading
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import jinja2
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__
from ..errors import DragomanError, QueryError, StoreError
from ..query import api as qapi
from ..query import tracks as qtracks
from ..query.api import DATE_MATCHES, NETWORK_MODES, PLOVER_TYPES, EventQuery, QuoteQuery
from ..store import Store
from ..store.duck import Reader
from ._highlight import Mark, pieces
from ._world import world_geojson
from .incidents import incident_marks, install_incidents
from .tracks import TrackParam, clean_track, install_tracks

__all__ = [
    "PLOVER_TYPES", "QUAD_CLASSES", "SORT_FIELDS", "ErrorBody", "EventsPage", "create_app",
    "document_marks", "event_marks", "event_query", "filter_params", "filter_slug",
    "focus_mark", "quote_params", "quote_query",
]

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

QUAD_CLASSES: dict[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
#: Columns the events table can be sorted by (``-`` prefix = descending); the query API
#: validates ``order`` again against its own allowed set.
SORT_FIELDS: tuple[str, ...] = ("date", "event_type", "quad_class", "goldstein", "confidence")
#: What ``/api/export`` offers (``dragoman.query.export``'s FORMATS, WHATS and STYLES).
ExportFormat = Literal["csv", "jsonl", "parquet"]
ExportWhat = Literal["events", "quotes", "places", "dates", "documents", "actors", "frames"]
ExportStyle = Literal["native", "polecat", "gdelt"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)

PAGE_SIZES = (25, 50, 100, 200)
MAX_LIMIT = 10_000
MAX_OFFSET = 100_000_000
MAX_TEXT = 200

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# Parameter types: every string is bounded and patterned; empty strings (what an HTML form
# sends for an empty field) are accepted and mean "no filter".
_Text = Annotated[str | None, Query(max_length=MAX_TEXT)]
_DATE_RE = r"^(\d{4}(-\d{2}(-\d{2})?|-W\d{2})?)?$"
_CODE_RE = r"^([A-Za-z]{3})?$"
_ID_RE = r"^[^\x00-\x1f\x7f]{1,512}$"


#: What to say, per parameter, when FastAPI's own validation rejects a value.
PARAM_HINTS: dict[str, str] = {
    "type": "use PLOVER event types such as ACCUSE or ASSAULT",
    "quad": "use a quad class from 1 to 4",
    "country": "use an ISO-3 code such as RUS (or IGO, NGO, MNC)",
    "since": "use a date as YYYY-MM-DD (or YYYY-MM, YYYY, YYYY-Www)",
    "until": "use a date as YYYY-MM-DD (or YYYY-MM, YYYY, YYYY-Www)",
    "sector": "use a sector code such as GOV, MIL or REB",
    "speaker": f"use at most {MAX_TEXT} characters",
    "limit": f"use an integer from 1 to {MAX_LIMIT}",
    "offset": f"use an integer from 0 to {MAX_OFFSET}",
    "order": "use one of " + ", ".join(SORT_FIELDS) + " (prefix '-' for descending)",
    "top": "use an integer from 1 to 500",
    "nodes": "use an integer from 2 to 200",
    "by": "use actor or sector",
    "actor": f"use at most {MAX_TEXT} characters",
    "place": f"use at most {MAX_TEXT} characters",
    "text": f"use at most {MAX_TEXT} characters",
}


class ErrorBody(BaseModel):
    error: str = Field(description="What was wrong and what to do.")
    detail: list[dict[str, Any]] | None = None


class EventsPage(BaseModel):
    total: int
    limit: int
    offset: int
    order: str
    events: list[dict[str, Any]]


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Invalid parameter (QueryError)."},
    422: {"model": ErrorBody, "description": "Parameter failed validation."},
}


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def event_query(
    type: Annotated[
        list[Annotated[str, Field(pattern=r"^[A-Za-z_]{0,32}$")]] | None,
        Query(max_length=len(PLOVER_TYPES), description="PLOVER event type (repeatable)."),
    ] = None,
    quad: Annotated[
        list[Annotated[str, Field(pattern=r"^[1-4]?$")]] | None,
        Query(max_length=4, description="Quad class 1-4 (repeatable)."),
    ] = None,
    actor: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="Substring of an actor or recipient.")
    ] = None,
    country: Annotated[
        str | None,
        Query(pattern=_CODE_RE, description="ISO-3 (or IGO/NGO) of actor or recipient."),
    ] = None,
    sector: Annotated[
        str | None,
        Query(pattern=_CODE_RE, description="Sector (GOV, MIL, REB…) of an actor or recipient "
              "(of the country, when one is given)."),
    ] = None,
    place: Annotated[
        str | None, Query(max_length=MAX_TEXT,
                          description="Substring of the location name (accents ignored).")
    ] = None,
    geonameid: Annotated[
        int | None, Query(ge=0, le=2**31, description="The location's GeoNames id.")
    ] = None,
    since: Annotated[
        str | None, Query(pattern=_DATE_RE, description="Events dated on or after this day "
                          "(YYYY-MM-DD; or YYYY-MM, YYYY, YYYY-Www: its first day).")
    ] = None,
    until: Annotated[
        str | None, Query(pattern=_DATE_RE, description="Events dated on or before this day "
                          "(or the last day of a month, year or week).")
    ] = None,
    date_match: Annotated[
        Literal["within", "overlap", ""] | None,
        Query(description="within: the event's whole date interval (a day, week, month…) lies "
              "in since–until (default); overlap: any event whose interval meets it."),
    ] = None,
    text: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="Substring of the sentence.")
    ] = None,
    doc_id: Annotated[
        str | None, Query(max_length=512, pattern=r"^[^\x00-\x1f\x7f]*$",
                          description="Only events of this document.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (1-10000).")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")] = 0,
    order: Annotated[
        str,
        Query(pattern=r"^-?[a-z_]{1,32}$",
              description="Sort field, '-' prefix for descending: " + ", ".join(SORT_FIELDS)),
    ] = "-date",
    track: TrackParam = None,
) -> EventQuery:
    """The validated ``EventQuery`` of a request's query string."""
    types = tuple(dict.fromkeys(t.upper() for t in (type or []) if t))
    unknown = [t for t in types if t not in PLOVER_TYPES]
    if unknown:
        raise QueryError(
            f"type: unknown PLOVER event type {unknown[0]!r}; use one of {', '.join(PLOVER_TYPES)}"
        )
    if order.lstrip("-") not in SORT_FIELDS:
        raise QueryError(f"order: cannot sort by {order!r}; use one of {', '.join(SORT_FIELDS)}"
                         " (prefix '-' for descending)")
    country_v, sector_v = _clean(country), _clean(sector)
    q = EventQuery(
        types=types,
        quad_class=tuple(sorted({int(x) for x in (quad or []) if x})),
        actor=_clean(actor),
        country=country_v.upper() if country_v else None,
        sector=sector_v.upper() if sector_v else None,
        place=_clean(place),
        geonameid=geonameid,
        since=_clean(since),
        until=_clean(until),
        date_match=date_match or DATE_MATCHES[0],
        text=_clean(text),
        doc_id=_clean(doc_id),
        limit=limit,
        offset=offset,
        order=order,
        track=clean_track(track),
    )
    q.validate()
    return q


EventQueryDep = Annotated[EventQuery, Depends(event_query)]


def quote_query(
    speaker: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="Substring of the speaker's name "
                          "or mention (case and accents ignored).")
    ] = None,
    country: Annotated[
        str | None, Query(pattern=_CODE_RE, description="The speaker's ISO-3 country.")
    ] = None,
    sector: Annotated[
        str | None, Query(pattern=_CODE_RE, description="The speaker's sector (GOV, MIL…).")
    ] = None,
    text: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="Substring of what was said.")
    ] = None,
    doc_id: Annotated[
        str | None, Query(max_length=512, pattern=r"^[^\x00-\x1f\x7f]*$",
                          description="Only quotes of this document.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (1-10000).")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")] = 0,
    track: TrackParam = None,
) -> QuoteQuery:
    """The validated ``QuoteQuery`` of a request's query string."""
    country_v, sector_v = _clean(country), _clean(sector)
    qq = QuoteQuery(speaker=_clean(speaker), country=country_v.upper() if country_v else None,
                    sector=sector_v.upper() if sector_v else None, text=_clean(text),
                    doc_id=_clean(doc_id), limit=limit, offset=offset,
                    track=clean_track(track))
    qq.validate()
    return qq


QuoteQueryDep = Annotated[QuoteQuery, Depends(quote_query)]
NetworkBy = Annotated[Literal["actor", "sector"],
                      Query(description="Nodes per actor, or per country and sector.")]
NetworkNodes = Annotated[int, Query(ge=2, le=200, description="Most active nodes drawn.")]


def quote_params(qq: QuoteQuery) -> list[tuple[str, str]]:
    """The query-string pairs of a quote filter (no paging)."""
    return [(k, str(v)) for k in ("speaker", "country", "sector", "text", "doc_id", "track")
            if (v := getattr(qq, k))]


def filter_params(q: EventQuery) -> list[tuple[str, str]]:
    """The query-string pairs of a query's filters (no paging, no order)."""
    pairs: list[tuple[str, str]] = [("type", t) for t in q.types]
    pairs += [("quad", str(c)) for c in q.quad_class]
    for name in ("actor", "country", "sector", "place", "geonameid", "since", "until",
                 "text", "doc_id", "track"):
        value = getattr(q, name)
        if value is not None and value != "":
            pairs.append((name, str(value)))
    if q.date_match != DATE_MATCHES[0]:
        pairs.append(("date_match", q.date_match))
    return pairs


def filter_slug(pairs: Sequence[tuple[str, str]], limit: int = 100) -> str:
    """A file-name-safe summary of a filter: ``type-ASSAULT_place-aleppo`` ('all' if none)."""
    parts = []
    for key, value in pairs:
        clean = re.sub(r"[^a-z0-9]+", "-", qapi.fold(value)).strip("-")
        parts.append(f"{key}-{clean}" if clean else key)
    slug = "_".join(parts)[:limit].rstrip("-_")
    return slug or "all"


def _safe_url(url: Any) -> str | None:
    """``url`` if it is an absolute http(s) URL, else None (never a ``javascript:`` link)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return urllib.parse.urlunsplit(parts)
    return None


def _span_marks(items: Any, kind: str, label: Callable[[dict[str, Any]], str]) -> list[Mark]:
    out: list[Mark] = []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        start, end = item.get("start"), item.get("end")
        if isinstance(start, int) and isinstance(end, int) and start < end:
            out.append(Mark(start, end, kind, label(item)))
    return out


def _actor_label(a: dict[str, Any]) -> str:
    bits = [a.get("name") or a.get("text") or ""]
    extra = "/".join(str(x) for x in (a.get("country"), a.get("sector")) if x)
    return f"{bits[0]} ({extra})" if extra else str(bits[0])


def _place_label(p: dict[str, Any]) -> str:
    name = p.get("name") or p.get("text") or ""
    extra = ", ".join(str(x) for x in (p.get("country"), p.get("role")) if x)
    return f"{name} ({extra})" if extra else str(name)


def event_marks(event: dict[str, Any]) -> list[Mark]:
    """The highlighted spans of an event: trigger, actors, recipients, location, source."""
    marks: list[Mark] = []
    trig = event.get("trigger")
    if isinstance(trig, dict):
        marks += _span_marks([trig], "trigger", lambda _t: f"trigger: {event.get('event_type')}")
    marks += _span_marks(event.get("actor"), "actor", lambda a: "actor: " + _actor_label(a))
    marks += _span_marks(event.get("recipient"), "recipient",
                         lambda a: "recipient: " + _actor_label(a))
    if isinstance(event.get("location"), dict):
        marks += _span_marks([event["location"]], "place", lambda p: "location: " + _place_label(p))
    if isinstance(event.get("attributed_to"), dict):
        marks += _span_marks([event["attributed_to"]], "source",
                             lambda a: "according to: " + _actor_label(a))
    return marks


def _const(text: str) -> Callable[[dict[str, Any]], str]:
    return lambda _item: text


def document_marks(bundle: dict[str, Any]) -> list[Mark]:
    """Every annotation of a document bundle (``get_document``) as marks."""
    marks: list[Mark] = []
    for event in bundle.get("events") or []:
        trig = event.get("trigger")
        if isinstance(trig, dict):
            label = f"event: {event.get('event_type')} (open it)"
            link = "/events/" + urllib.parse.quote(str(event.get("id") or ""), safe="")
            marks += [Mark(m.start, m.end, m.kind, m.label, link)
                      for m in _span_marks([trig], "trigger", _const(label))]
        marks += _span_marks(event.get("actor"), "actor", lambda a: "actor: " + _actor_label(a))
        marks += _span_marks(event.get("recipient"), "actor",
                             lambda a: "actor: " + _actor_label(a))
    marks += _span_marks(bundle.get("actors"), "actor", lambda a: "actor: " + _actor_label(a))
    for quote in bundle.get("quotes") or []:
        kind = quote.get("kind") or "quote"
        if isinstance(quote.get("content"), dict):
            qlabel = f"{kind} quote"
            marks += _span_marks([quote["content"]], "quote", _const(qlabel))
        if isinstance(quote.get("cue"), dict):
            marks += _span_marks([quote["cue"]], "cue", lambda _c: "speech cue")
        if isinstance(quote.get("speaker"), dict):
            marks += _span_marks([quote["speaker"]], "actor",
                                 lambda a: "speaker: " + _actor_label(a))
    marks += _span_marks(bundle.get("places"), "place", lambda p: "place: " + _place_label(p))
    marks += _span_marks(bundle.get("dates"), "date",
                         lambda d: f"date: {d.get('value') or '?'}")
    marks += _span_marks(
        bundle.get("frames"), "frame",
        lambda f: f"{f.get('kind') or 'frame'}: {f.get('category') or f.get('text') or ''}",
    )
    return marks


def focus_mark(bundle: dict[str, Any], event_id: str | None,
               quote_id: str | None) -> Mark | None:
    """The span a link into the document points at: an event's sentence or a quote."""
    for event in bundle.get("events") or []:
        if event_id and event.get("id") == event_id:
            sent = event.get("sentence") or {}
            if isinstance(sent.get("start"), int) and isinstance(sent.get("end"), int):
                return Mark(sent["start"], sent["end"], "focus", "the event's sentence")
    for quote in bundle.get("quotes") or []:
        if quote_id and quote.get("id") == quote_id:
            content = quote.get("content") or {}
            if isinstance(content.get("start"), int) and isinstance(content.get("end"), int):
                return Mark(content["start"], content["end"], "focus", "the quote")
    return None


def _sentence_starts(bundle: dict[str, Any]) -> set[int]:
    """Where the document's event sentences start (anchors ``#s<offset>`` link to them)."""
    out: set[int] = set()
    for event in bundle.get("events") or []:
        start = (event.get("sentence") or {}).get("start")
        if isinstance(start, int):
            out.add(start)
    return out


LEGEND: tuple[tuple[str, str], ...] = (
    ("trigger", "event trigger"),
    ("actor", "actor"),
    ("recipient", "recipient"),
    ("place", "place"),
    ("date", "date"),
    ("quote", "quote"),
    ("cue", "speech cue"),
    ("frame", "framing (hedge / label)"),
    ("source", "attributed to"),
    ("casualty", "casualty figure"),
)


#: the sector codes offered by the filters (PLOVER's actor sectors; the field takes any code)
SECTORS: tuple[str, ...] = ("GOV", "MIL", "REB", "CVL", "POL", "JUD", "LEG", "MED", "BUS",
                            "EDU", "REL", "UAF", "IGO", "NGO", "OPP", "SPY", "CRM", "HLH")


def _date_span(value: Any) -> str:
    """'27 Nov – 3 Dec 2017' for a date value longer than a day ('' for a day or nothing)."""
    interval = qapi.date_interval(value) if isinstance(value, str) else None
    if interval is None or interval[0] == interval[1]:
        return ""
    a, b = interval
    if a.year == b.year:
        return f"{a.day} {a:%b} – {b.day} {b:%b} {b.year}"
    return f"{a.day} {a:%b} {a.year} – {b.day} {b:%b} {b.year}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # everywhere, whatever the template's extension
        undefined=jinja2.ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = _safe_url
    env.globals.update(
        PLOVER_TYPES=PLOVER_TYPES, QUAD_CLASSES=QUAD_CLASSES, SORT_FIELDS=SORT_FIELDS,
        PAGE_SIZES=PAGE_SIZES, version=__version__, quote=urllib.parse.quote,
        SECTORS=SECTORS, date_span=_date_span,
    )
    return env


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def create_app(
    store_path: str | Path, *, allowed_hosts: Sequence[str] | None = None
) -> FastAPI:
    """The dashboard app over the store at ``store_path`` (opened read-only).

    ``allowed_hosts`` restricts the ``Host`` header (``serve`` sets it to the loopback names
    when bound to loopback, which defeats DNS-rebinding); None accepts any host.
    Raises ``StoreError`` when ``store_path`` is not a dragoman store.
    """
    store = Store.open(store_path, create=False)
    templates = Jinja2Templates(env=_environment())

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # open the store's reader in the background so the first page does not pay for it
        threading.Thread(target=_warm, args=(store,), name="dragoman-web-warm",
                         daemon=True).start()
        yield

    app = FastAPI(
        title="dragoman dashboard API",
        version=__version__,
        description="Read-only JSON API over a dragoman store: events with their evidence, "
        "documents with every annotation, timeline, network, locations and exports. "
        "All parameters are validated; errors are JSON objects with an `error` message.",
        docs_url=None,  # Swagger UI would load assets from a CDN: we serve /api instead
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.store = store
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.mount("/static", StaticFiles(directory=str(STATIC), follow_symlink=False), name="static")

    # -- errors ---------------------------------------------------------------------------

    def error_response(request: Request, status: int, message: str,
                       detail: list[dict[str, Any]] | None = None) -> Response:
        if _is_api(request):
            body: dict[str, Any] = {"error": message}
            if detail is not None:
                body["detail"] = detail
            return JSONResponse(body, status_code=status)
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message, "page": "error"},
            status_code=status,
        )

    @app.exception_handler(QueryError)
    async def on_query_error(request: Request, exc: QueryError) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
        detail = []
        for err in exc.errors():
            loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path")]
            param = loc[0] if loc else ""
            value = err.get("input")
            shown = repr(value)[:80] if isinstance(value, (str, int, float)) else None
            detail.append({"param": param, "msg": str(err.get("msg", "")),
                           "hint": PARAM_HINTS.get(param, "")})
            if shown is not None:
                detail[-1]["value"] = shown
        message = "; ".join(
            f"{d['param']}{'=' + d['value'] if 'value' in d else ''}: "
            f"{d['msg']}{' — ' + d['hint'] if d['hint'] else ''}"
            for d in detail
        ) or "invalid request"
        return error_response(request, 422, f"invalid parameter: {message}", detail)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(request, exc.status_code, str(exc.detail))

    @app.exception_handler(StoreError)
    async def on_store_error(request: Request, exc: StoreError) -> Response:
        log.error("store error: %s", exc)
        return error_response(request, 503, f"the store cannot be read: {exc}")

    @app.exception_handler(DragomanError)
    async def on_dragoman_error(request: Request, exc: DragomanError) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(request, 500, "internal error (see the server log)")

    # -- pages ----------------------------------------------------------------------------

    def page(request: Request, name: str, **context: Any) -> Response:
        q = context.get("q")
        if isinstance(q, EventQuery):  # the tabs keep the filter (and the track)
            context.setdefault("nav_qs", urllib.parse.urlencode(filter_params(q)))
            context.setdefault("qs_without_place", urllib.parse.urlencode(
                filter_params(dataclasses.replace(q, geonameid=None))))
        context.setdefault("track_names", qtracks.track_names(store))
        return templates.TemplateResponse(request, name, context)

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/events", status_code=307)

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events_page(request: Request, q: EventQueryDep) -> Response:
        t0 = time.perf_counter()
        rows, total = qapi.query_page(store, q)
        return page(
            request, "events.html", page="events", q=q, rows=rows, total=total, track=q.track,
            filters=filter_params(q), elapsed_ms=(time.perf_counter() - t0) * 1000,
            qs=_qs_builder(q), export_formats=EXPORT_FORMATS,
            slug=filter_slug(filter_params(q)),
        )

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(request: Request,
                   event_id: Annotated[str, PathParam(pattern=_ID_RE)]) -> Response:
        event = qapi.get_event(store, event_id)
        if event is None:
            raise HTTPException(404, f"no event with id {event_id!r}")
        sentence = event.get("sentence") or {}
        text = str(sentence.get("text") or "")
        base = int(sentence.get("start") or 0)
        return page(request, "event.html", page="event", event=event,
                    pieces=pieces(text, event_marks(event), base), legend=LEGEND,
                    QUAD=QUAD_CLASSES)

    @app.get("/documents/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(
        request: Request,
        doc_id: Annotated[str, PathParam(pattern=_ID_RE)],
        event: Annotated[str | None, Query(max_length=512, pattern=_ID_RE)] = None,
        quote: Annotated[str | None, Query(max_length=512, pattern=_ID_RE)] = None,
        incident: Annotated[str | None, Query(max_length=512, pattern=_ID_RE)] = None,
        span: Annotated[str | None, Query(pattern=r"^\d{1,9}-\d{1,9}$")] = None,
    ) -> Response:
        """The document; ``event``/``quote`` name the sentence or quote to highlight,
        ``incident`` an incident's evidence and casualty figures, ``span`` (``START-END``)
        any offsets (a track's evidence)."""
        bundle = qapi.get_document(store, doc_id)
        if bundle is None:
            raise HTTPException(404, f"no document with id {doc_id!r}")
        document = bundle.get("document") or {}
        text = str(document.get("text") or "")
        marks = document_marks(bundle)
        counts: dict[str, int] = {}
        for m in marks:
            counts[m.kind] = counts.get(m.kind, 0) + 1
        focus = focus_mark(bundle, event, quote)
        if focus is not None:
            marks.append(focus)
        if incident:
            shown = incident_marks(store, incident)
            marks += shown
            focus = focus or next((m for m in shown if m.kind == "focus"), None)
        if span and focus is None:
            lo, hi = (int(x) for x in span.split("-"))
            focus = Mark(lo, hi, "focus", "the evidence") if lo < hi <= len(text) else None
            marks += [focus] if focus else []
        return page(request, "document.html", page="document", document=document,
                    bundle=bundle, legend=LEGEND, counts=counts, focus=focus,
                    pieces=pieces(text, marks, 0, cuts=_sentence_starts(bundle)
                                  | ({focus.start} if focus else set())))

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page(request: Request, q: EventQueryDep) -> Response:
        return page(request, "timeline.html", page="timeline", q=q, filters=filter_params(q))

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request, q: EventQueryDep) -> Response:
        return page(request, "map.html", page="map", q=q, filters=filter_params(q))

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    def network_page(request: Request, q: EventQueryDep, by: NetworkBy = "actor",
                     nodes: NetworkNodes = 25) -> Response:
        return page(request, "network.html", page="network", q=q, filters=filter_params(q),
                    by=by, nodes=nodes, modes=NETWORK_MODES)

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes_page(request: Request, qq: QuoteQueryDep) -> Response:
        t0 = time.perf_counter()
        rows, total = qapi.quote_page(store, qq)
        speakers = qapi.quote_speakers(store, qq, top=20)
        pairs = quote_params(qq)
        return page(request, "quotes.html", page="quotes", qq=qq, rows=rows, total=total,
                    track=qq.track,
                    speakers=speakers, qpairs=pairs, slug=filter_slug(pairs),
                    quote_qs=lambda **kw: urllib.parse.urlencode(
                        [*[(k, v) for k, v in pairs if k not in kw],
                         *[(k, str(v)) for k, v in kw.items() if v is not None]]),
                    elapsed_ms=(time.perf_counter() - t0) * 1000,
                    export_formats=EXPORT_FORMATS)

    install_incidents(app, store, page)
    install_tracks(app, store, page)

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def api_page(request: Request) -> Response:
        return page(request, "api.html", page="api", schema=app.openapi())

    # -- JSON API -------------------------------------------------------------------------

    @app.get("/api/events", response_model=EventsPage, responses=_ERRORS, tags=["events"])
    def api_events(q: EventQueryDep) -> dict[str, Any]:
        """Events matching the filters (``track``: tagged with that track), one page of them,
        and the total count."""
        rows, total = qapi.query_page(store, q)
        return {"total": total, "limit": q.limit, "offset": q.offset, "order": q.order,
                "events": rows}

    @app.get("/api/events/{event_id}", responses={404: {"model": ErrorBody}, **_ERRORS},
             tags=["events"])
    def api_event(event_id: Annotated[str, PathParam(pattern=_ID_RE)]) -> dict[str, Any]:
        """One event record (the contract's event dict)."""
        event = qapi.get_event(store, event_id)
        if event is None:
            raise HTTPException(404, f"no event with id {event_id!r}")
        return event

    @app.get("/api/documents/{doc_id:path}", responses={404: {"model": ErrorBody}, **_ERRORS},
             tags=["documents"])
    def api_document(doc_id: Annotated[str, PathParam(pattern=_ID_RE)]) -> dict[str, Any]:
        """A document with all its records: events, quotes, places, dates, actors, frames."""
        bundle = qapi.get_document(store, doc_id)
        if bundle is None:
            raise HTTPException(404, f"no document with id {doc_id!r}")
        return bundle

    @app.get("/api/timeline", responses=_ERRORS, tags=["aggregates"])
    def api_timeline(q: EventQueryDep) -> list[dict[str, Any]]:
        """Events per day and quad class: ``[{date, quad_class, n}]``."""
        return qapi.timeline(store, q)

    @app.get("/api/network", responses=_ERRORS, tags=["aggregates"])
    def api_network(
        q: EventQueryDep,
        top: Annotated[int, Query(ge=1, le=500, description="Heaviest edges kept.")] = 100,
        nodes: NetworkNodes = 25,
        by: NetworkBy = "actor",
    ) -> dict[str, Any]:
        """Who acts on whom: nodes (actors, or country+sector), edges with counts of
        cooperation and conflict events, and every pair ranked. Pronouns and unresolved
        mentions are never nodes."""
        return qapi.network(store, q, top=top, nodes=nodes, by=by)

    @app.get("/api/quotes", responses=_ERRORS, tags=["quotes"])
    def api_quotes(qq: QuoteQueryDep) -> dict[str, Any]:
        """Quotes by speaker (name, country, sector), text and ``track``, with the text
        around each."""
        rows, total = qapi.quote_page(store, qq)
        return {"total": total, "limit": qq.limit, "offset": qq.offset, "quotes": rows}

    @app.get("/api/quotes/speakers", responses=_ERRORS, tags=["quotes"])
    def api_quote_speakers(
        qq: QuoteQueryDep,
        top: Annotated[int, Query(ge=1, le=500, description="Speakers listed.")] = 30,
    ) -> list[dict[str, Any]]:
        """How many of the filtered quotes each speaker has, most first."""
        return qapi.quote_speakers(store, qq, top=top)

    @app.get("/api/quotes/export", responses={200: {"content": {"text/csv": {}}}, **_ERRORS},
             tags=["export", "quotes"])
    def api_quotes_export(
        qq: QuoteQueryDep,
        fmt: Annotated[ExportFormat, Query(description="File format.")] = "csv",
    ) -> Response:
        """The filtered quotes as a CSV, JSONL or Parquet download (named after the filter)."""
        from ..query.export import export

        return _download(lambda name: export(store, "quotes", fmt, name, quotes=qq), fmt,
                         f"dragoman-quotes-{filter_slug(quote_params(qq))}.{fmt}")

    @app.get("/api/world", tags=["aggregates"])
    def api_world() -> Response:
        """Country outlines (GeoJSON, from the ``countryinfo`` package): the map's base."""
        return Response(_world_bytes(), media_type="application/geo+json",
                        headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/api/locations", responses=_ERRORS, tags=["aggregates"])
    def api_locations(q: EventQueryDep) -> list[dict[str, Any]]:
        """Event locations with counts: ``[{geonameid, name, lat, lon, n}]``."""
        return qapi.locations(store, q)

    @app.get("/api/summary", tags=["aggregates"])
    def api_summary() -> dict[str, Any]:
        """Counts per table, events per type, top actors and the date range."""
        return qapi.summary(store)

    @app.get("/api/export", responses={200: {"content": {"application/octet-stream": {}}},
                                        **_ERRORS}, tags=["export"])
    def api_export(
        q: EventQueryDep,
        fmt: Annotated[ExportFormat, Query(description="File format.")] = "csv",
        what: Annotated[ExportWhat, Query(description="Which table.")] = "events",
        style: Annotated[ExportStyle, Query(description="Column style (events only).")] = "native",
    ) -> Response:
        """The records matching the filters as a CSV, JSONL or Parquet file download."""
        from ..query.export import export

        return _download(lambda name: export(store, what, fmt, name, q=q, style=style), fmt,
                         f"dragoman-{what}-{filter_slug(filter_params(q))}.{fmt}")

    return app


def _download(write: Callable[[str], int], fmt: str, filename: str) -> Response:
    """A file download of what ``write(path)`` writes; the record count in a header."""
    fd, name = tempfile.mkstemp(prefix="dragoman-export-", suffix="." + fmt)
    os.close(fd)
    try:
        n = write(name)
    except BaseException:
        os.unlink(name)
        raise
    media = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
             "parquet": "application/vnd.apache.parquet"}.get(fmt, "application/octet-stream")
    return FileResponse(
        name, media_type=media, filename=filename,
        headers={"X-Dragoman-Records": str(n)},
        background=BackgroundTask(os.unlink, name),
    )


@functools.lru_cache(maxsize=1)
def _world_bytes() -> bytes:
    return json.dumps(world_geojson(), separators=(",", ":")).encode("utf-8")


def _warm(store: Store) -> None:
    t0 = time.perf_counter()
    try:
        # a reader that builds its event index in the background and answers from the
        # Parquet views meanwhile (Store.reader() would build it before the first answer)
        with store._reader_lock:
            if store._reader is None:
                store._reader = Reader(store, background=True)
        qapi.count_events(store, EventQuery())
    except Exception:  # warming is best effort; requests report the real errors
        log.warning("could not open the store's reader ahead of the first request",
                    exc_info=True)
        return
    log.info("store reader ready in %.0f ms", 1000 * (time.perf_counter() - t0))
    try:  # once the event index is ready, the quotes page's table too
        if store.reader().wait_indexed():
            qapi.quote_page(store, QuoteQuery(limit=1))
    except Exception:  # best effort, as above
        log.warning("could not prepare the quotes ahead of the first request", exc_info=True)


def _qs_builder(q: EventQuery) -> Callable[..., str]:
    """``qs(**overrides)`` → a query string of the current filters with changes applied."""
    base: dict[str, Any] = {"track": q.track,
        "type": list(q.types), "quad": [str(c) for c in q.quad_class], "actor": q.actor,
        "country": q.country, "sector": q.sector, "place": q.place,
        "geonameid": q.geonameid, "since": q.since, "until": q.until,
        "date_match": None if q.date_match == DATE_MATCHES[0] else q.date_match,
        "text": q.text, "doc_id": q.doc_id, "limit": q.limit, "offset": q.offset,
        "order": q.order,
    }

    def qs(**overrides: Any) -> str:
        params = {**base, **overrides}
        pairs: list[tuple[str, str]] = []
        for key, value in params.items():
            if value is None or value == "" or value == []:
                continue
            if isinstance(value, list):
                pairs += [(key, str(v)) for v in value]
            else:
                pairs.append((key, str(value)))
        return urllib.parse.urlencode(pairs)

    return qs
