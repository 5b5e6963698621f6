"""The dashboard's incidents: the ``/incidents`` page, one incident's page, and their JSON API
(``/api/incidents``, ``/api/incidents/clusters``, ``/api/incidents/locations``,
``/api/incidents/{id}``).

Each route calls ``dragoman.query.incidents`` / ``dragoman.query.incident_views`` (the
incidents table only: no request scans the events). The filter shares its names with the
events filter (``type``, ``country``, ``place``, ``since``, ``until``, ``doc_id``), so it
follows the analyst across tabs; ``cause``, ``min_killed``, ``casualties`` and ``copies``
are the incidents' own. Validation and errors as in ``app.py``.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from ..errors import QueryError
from ..extract.incidents.lexicon import CAUSES
from ..query.api import PLOVER_TYPES, date_interval
from ..query.incident_views import (
    count_clusters,
    format_count,
    get_incident,
    incident_clusters,
    incident_documents,
    incident_locations,
    incident_sources,
)
from ..query.incidents import IncidentQuery, count_incidents, query_incidents
from ..store.segments import Store
from ._highlight import Mark
from .tracks import TrackParam, clean_track

__all__ = ["IncidentFilter", "incident_filter", "incident_marks", "install_incidents"]

_MAX_TEXT = 200
_ID_RE = r"^[^\x00-\x1f\x7f]{1,512}$"
_DATE_RE = r"^(\d{4}(-\d{2}(-\d{2})?|-W\d{2})?)?$"
VIEWS = ("incidents", "clusters")


class IncidentFilter:
    """A validated incidents request: the ``IncidentQuery`` and the view asked for."""

    def __init__(self, query: IncidentQuery, view: str, track: str | None = None) -> None:
        self.query = query
        self.view = view
        self.track = track

    def shared_pairs(self) -> list[tuple[str, str]]:
        """The query-string pairs the events pages understand too (the tabs carry them)."""
        q = self.query
        pairs = [(k, str(v)) for k, v in (("type", q.event_type), ("country", q.country),
                                          ("place", q.place), ("since", q.since),
                                          ("until", q.until), ("doc_id", q.doc_id),
                                          ("track", self.track)) if v]
        return pairs

    def pairs(self) -> list[tuple[str, str]]:
        """Every filter pair of this request (no paging, order or view)."""
        q = self.query
        pairs = self.shared_pairs()
        if q.cause:
            pairs.append(("cause", q.cause))
        if q.min_killed is not None:
            pairs.append(("min_killed", str(q.min_killed)))
        if q.with_casualties:
            pairs.append(("casualties", "1"))
        if not q.copies:
            pairs.append(("copies", "0"))
        return pairs

    def qs(self, **overrides: Any) -> str:
        """This request's query string with changes (``None`` drops a key)."""
        base: dict[str, Any] = {"view": None if self.view == VIEWS[0] else self.view,
                                "order": None if self.query.order == "date" else self.query.order,
                                "limit": self.query.limit, "offset": self.query.offset}
        base.update(overrides)
        extra = [(k, str(v)) for k, v in base.items() if v is not None and v != ""]
        return urllib.parse.urlencode(self.pairs() + extra)


def incident_filter(
    type: Annotated[
        list[Annotated[str, Field(pattern=r"^[A-Za-z_]{0,32}$")]] | None,
        Query(max_length=len(PLOVER_TYPES), description="PLOVER type of the incident (the "
              "first one given: the events filter may carry several)."),
    ] = None,
    cause: Annotated[
        str | None, Query(pattern=r"^[a-z]{0,16}$", description="Cause: " + ", ".join(CAUSES))
    ] = None,
    country: Annotated[
        str | None, Query(pattern=r"^([A-Za-z]{3})?$", description="ISO-3 of the location.")
    ] = None,
    place: Annotated[
        str | None, Query(max_length=_MAX_TEXT, description="Substring of the location's name, "
                          "text or first-order division (case ignored).")
    ] = None,
    since: Annotated[
        str | None, Query(pattern=_DATE_RE, description="Incidents dated on or after this day "
                          "(or the first day of a month, year or ISO week).")
    ] = None,
    until: Annotated[
        str | None, Query(pattern=_DATE_RE, description="Incidents dated on or before this day "
                          "(or the last day of a month, year or ISO week).")
    ] = None,
    doc_id: Annotated[
        str | None, Query(max_length=512, pattern=r"^[^\x00-\x1f\x7f]*$",
                          description="Only incidents of this document.")
    ] = None,
    min_killed: Annotated[
        str | None, Query(pattern=r"^\d{0,8}$", description="At least this many killed "
                          "(a whole number; empty: no minimum).")
    ] = None,
    casualties: Annotated[
        Literal["", "0", "1"] | None, Query(description="1: only incidents with a casualty "
                                             "figure.")
    ] = None,
    copies: Annotated[
        Literal["", "0", "1"] | None, Query(description="0: leave out near-copies' incidents.")
    ] = None,
    view: Annotated[
        Literal["incidents", "clusters", ""] | None,
        Query(description="incidents (one per document's happening) or clusters (across "
              "documents; when the store has them).")
    ] = None,
    order: Annotated[
        Literal["date", "killed", "doc", ""] | None, Query(description="Sort: date, killed "
                                                            "(most first) or doc.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size (1-1000).")] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000_000, description="Rows to skip.")] = 0,
    track: TrackParam = None,
) -> IncidentFilter:
    """The validated incident filter of a request's query string."""
    types = [t.upper() for t in (type or []) if t]
    if types and types[0] not in PLOVER_TYPES:
        raise QueryError(f"type: unknown PLOVER event type {types[0]!r}; "
                         f"use one of {', '.join(PLOVER_TYPES)}")
    cause_v = (cause or "").strip() or None
    if cause_v is not None and cause_v not in CAUSES:
        raise QueryError(f"cause: unknown cause {cause_v!r}; use one of {', '.join(CAUSES)}")
    days: list[str | None] = []
    for name, value, end in (("since", since, 0), ("until", until, 1)):
        value = (value or "").strip()
        interval = date_interval(value) if value else None
        if value and interval is None:
            raise QueryError(f"{name}: {value!r} is not a date (YYYY-MM-DD, YYYY-MM, YYYY or "
                             "YYYY-Www)")
        days.append(interval[end].isoformat() if interval else None)
    q = IncidentQuery(
        doc_id=(doc_id or "").strip() or None,
        event_type=types[0] if types else None,
        cause=cause_v,
        country=(country or "").strip().upper() or None,
        place=(place or "").strip() or None,
        since=days[0], until=days[1],
        min_killed=int(min_killed) if min_killed else None,
        with_casualties=casualties == "1",
        copies=copies != "0",
        order=order or "date",
        limit=limit, offset=offset,
        track=clean_track(track),
    )
    q.validate()
    return IncidentFilter(q, view or VIEWS[0], q.track)


IncidentFilterDep = Annotated[IncidentFilter, Depends(incident_filter)]


def incident_marks(store: Store, incident_id: str) -> list[Mark]:
    """The marks of an incident in its document: its evidence sentences (``focus``) and
    casualty figures (``casualty``); empty if there is no such incident."""
    incident = get_incident(store, incident_id)
    if incident is None:
        return []
    marks = [Mark(int(s["start"]), int(s["end"]), "focus", "the incident's evidence")
             for s in incident.get("evidence") or []
             if isinstance(s, dict) and isinstance(s.get("start"), int)
             and isinstance(s.get("end"), int)]
    for fig in (incident.get("casualties") or {}).get("figures") or []:
        if isinstance(fig.get("start"), int) and isinstance(fig.get("end"), int):
            label = f"{fig.get('kind')} {fig.get('category')}: {format_count(fig.get('count'))}"
            if fig.get("source"):
                label += f" (according to {fig['source']})"
            marks.append(Mark(fig["start"], fig["end"], "casualty", label))
    return marks


def _decorate(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with their document (title, outlet, published) and figures by source."""
    docs = incident_documents(store, [r["doc_id"] for r in rows])
    for row in rows:
        doc = docs.get(row["doc_id"]) or {}
        row["document"] = {k: doc.get(k) for k in ("title", "source", "published")}
        row["sources"] = incident_sources(row, doc.get("source"))
        row["mentions"] = len(row.get("event_ids") or [])
    return rows


def install_incidents(app: FastAPI, store: Store,
                      page: Callable[..., Response]) -> None:
    """Add the incidents pages and API to ``app``; ``page(request, template, **context)``
    renders a template in the app's layout."""
    errors: dict[int | str, dict[str, Any]] = {
        400: {"description": "Invalid parameter."}, 422: {"description": "Failed validation."}}

    def render(request: Request, f: IncidentFilter, name: str, **context: Any) -> Response:
        return page(request, name, page="incidents", f=f, q=f.query, CAUSES=CAUSES,
                    fc=format_count, nav_qs=urllib.parse.urlencode(f.shared_pairs()),
                    **context)

    @app.get("/incidents", response_class=HTMLResponse, include_in_schema=False)
    def incidents_page(request: Request, f: IncidentFilterDep) -> Response:
        t0 = time.perf_counter()
        clusters = count_clusters(store, f.query)
        if f.view == "clusters":
            rows, total = incident_clusters(store, f.query), clusters
        else:
            rows, total = query_incidents(store, f.query), count_incidents(store, f.query)
            rows = _decorate(store, rows)
        return render(request, f, "incidents.html", rows=rows, total=total,
                      clusters=clusters, elapsed_ms=(time.perf_counter() - t0) * 1000)

    @app.get("/incidents/{incident_id}", response_class=HTMLResponse, include_in_schema=False)
    def incident_page(request: Request,
                      incident_id: Annotated[str, PathParam(pattern=_ID_RE)]) -> Response:
        incident = get_incident(store, incident_id)
        if incident is None:
            raise HTTPException(404, f"no incident with id {incident_id!r}")
        row = _decorate(store, [incident])[0]
        f = IncidentFilter(IncidentQuery(doc_id=incident["doc_id"]), VIEWS[0])
        return render(request, f, "incident.html", i=row)

    @app.get("/api/incidents", responses=errors, tags=["incidents"])
    def api_incidents(f: IncidentFilterDep) -> dict[str, Any]:
        """Incidents (one per real happening in a document) matching the filters, one page:
        type, cause, location with admin1, date and precision, casualties, ``killed`` (the
        largest killed figure), ``mentions`` (event mentions), ``sources`` (figures by who
        gave them) and the ``document`` (title, outlet, published)."""
        rows, total = query_incidents(store, f.query), count_incidents(store, f.query)
        return {"total": total, "limit": f.query.limit,
                "offset": f.query.offset, "order": f.query.order,
                "incidents": _decorate(store, rows)}

    @app.get("/api/incidents/clusters", responses=errors, tags=["incidents"])
    def api_incident_clusters(f: IncidentFilterDep) -> dict[str, Any]:
        """Clusters of incidents across documents with a member matching the filters:
        distinct sources, first and last report, killed low/high, every report's figure and
        source, and what the reports disagree on. Empty when the store has no clusters."""
        return {"total": count_clusters(store, f.query), "limit": f.query.limit,
                "offset": f.query.offset, "clusters": incident_clusters(store, f.query)}

    @app.get("/api/incidents/locations", responses=errors, tags=["incidents", "aggregates"])
    def api_incident_locations(f: IncidentFilterDep) -> list[dict[str, Any]]:
        """Incident places for the map: ``[{geonameid, name, admin1, country, lat, lon, n,
        killed, injured}]``, most killed first."""
        return incident_locations(store, f.query)

    @app.get("/api/incidents/{incident_id}", responses={404: {"description": "No such "
                                                                "incident."}, **errors},
             tags=["incidents"])
    def api_incident(incident_id: Annotated[str, PathParam(pattern=_ID_RE)]) -> dict[str, Any]:
        """One incident with its figures by source and its document."""
        incident = get_incident(store, incident_id)
        if incident is None:
            raise HTTPException(404, f"no incident with id {incident_id!r}")
        return _decorate(store, [incident])[0]
