"""The dashboard's tracks: the ``/tracks`` list, one track's page (``/tracks/{name}``: its
timeline, the "who stands where" table, its principals' quotes and its latest digest) and
their JSON API (``/api/tracks``, ``/api/tracks/{name}``, ``/api/tracks/{name}/digest``).

Every route reads the tables ``dragoman track`` wrote (``dragoman.query.tracks``); the
digest is ``dragoman.tracks.digest.make_digest`` run in-process without saving (what
``dragoman digest --no-save`` would write now), kept per version of the track tables.
The ``track`` filter of the events, quotes and incidents pages is ``TrackParam``.
"""

from __future__ import annotations

import datetime as dt
import threading
import urllib.parse
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response

from ..query.tracks import (
    NO_TRACKS,
    TRACK_RE,
    list_tracks,
    stance_table,
    track_info,
    track_quotes,
    track_timeline,
)
from ..store.segments import Store
from ..tracks.digest import Digest, make_digest
from ..tracks.table import current_version, tracks_dir

__all__ = ["TrackParam", "clean_track", "evidence_href", "install_tracks"]

_DATE_RE = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"

#: the ``track`` filter of the events, quotes and incidents pages and their API
TrackParam = Annotated[str | None, Query(
    pattern=r"^([a-z0-9_-]{1,64})?$",
    description="Only records tagged with this track (`dragoman track`; see /api/tracks).")]

TrackName = Annotated[str, PathParam(pattern=TRACK_RE, description="The track's name.")]
DigestSince = Annotated[str | None, Query(
    pattern=_DATE_RE, description="The digest's start (YYYY-MM-DD, YYYY-MM or YYYY); by "
    "default the day after the last saved digest (`dragoman digest`), or the start.")]

#: how many event types the timeline colours (the rest are "other")
TIMELINE_TYPES = 7


def clean_track(track: str | None) -> str | None:
    """The track filter's value ('' from an empty form field means none)."""
    return (track or "").strip() or None


def evidence_href(doc_id: str, start: int | None, end: int | None) -> str:
    """A link to a document with ``[start, end)`` highlighted and scrolled into view."""
    url = "/documents/" + urllib.parse.quote(str(doc_id), safe="")
    if isinstance(start, int) and isinstance(end, int) and start < end:
        url += f"?span={start}-{end}#s{start}"
    return url


class _Digests:
    """The latest digest of each track, made in a background thread and kept per version of
    the track tables and of the saved digests (a new ``dragoman track`` or ``dragoman
    digest`` makes a new one). A digest of a large track takes seconds (it reads the whole
    links table), so the page waits for it only ``WAIT`` seconds and says when it is not
    ready yet."""

    WAIT = 2.0

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dragoman-digest")
        self.kept: dict[tuple[Any, ...], Future[Digest]] = {}

    def future(self, store: Store, track: str, since: str | None) -> Future[Digest]:
        cur = current_version(store.root)
        saved = tracks_dir(store.root) / "digests" / track
        last = max((p.name for p in saved.glob("*.json")), default=None) if saved.is_dir() \
            else None
        key = (cur.name if cur else None, track, since, last)
        with self.lock:
            fut = self.kept.get(key)
            if fut is None:
                if len(self.kept) > 32:
                    self.kept = {k: f for k, f in self.kept.items() if not f.done()}
                fut = self.kept[key] = self.pool.submit(
                    make_digest, store.root, track, since=since, save=False)
        return fut

    def get(self, store: Store, track: str, since: str | None,
            wait: float | None = None) -> Digest | None:
        """The digest, or None when it is not ready after ``wait`` seconds (None: until it
        is)."""
        try:
            return self.future(store, track, since).result(timeout=wait)
        except TimeoutError:
            return None


def _weeks(rows: list[dict[str, Any]], span: int = 530) -> dict[str, Any]:
    """The timeline as the page draws it: one bar per week from the first to the last
    (weeks without events too, unless that makes more than ``span`` bars), stacked by
    type (the ``TIMELINE_TYPES`` commonest coloured, the rest "other"), heights in a box
    100 high, each bar 10 wide."""
    totals: dict[str, int] = {}
    for r in rows:
        totals[r["event_type"]] = totals.get(r["event_type"], 0) + r["n"]
    types = sorted(totals, key=lambda t: (-totals[t], t))[:TIMELINE_TYPES]
    legend = [*types, *(["other"] if len(totals) > len(types) else [])]
    weeks: dict[str, dict[str, Any]] = {}
    for r in rows:
        w = weeks.setdefault(r["monday"], {"week": r["week"], "monday": r["monday"], "n": 0,
                                           "by": {}})
        t = r["event_type"] if r["event_type"] in types else "other"
        w["by"][t] = w["by"].get(t, 0) + r["n"]
        w["n"] += r["n"]
    if weeks:
        first, last = (dt.date.fromisoformat(d) for d in (min(weeks), max(weeks)))
        if (last - first).days // 7 < span:
            day = first
            while day < last:
                day += dt.timedelta(days=7)
                iso = day.isocalendar()
                weeks.setdefault(day.isoformat(), {"week": f"{iso[0]}-W{iso[1]:02d}",
                                                   "monday": day.isoformat(), "n": 0, "by": {}})
    out = [weeks[k] for k in sorted(weeks)]
    top = max((w["n"] for w in out), default=0)
    for i, w in enumerate(out):
        y, w["x"], w["segs"] = 100.0, i * 10, []
        for k, t in enumerate(legend):
            n = w["by"].get(t, 0)
            if n:
                h = 100.0 * n / top
                y -= h
                w["segs"].append({"type": t, "n": n, "y": round(y, 2), "h": round(h, 2),
                                  "cls": f"t{k}"})
    return {"weeks": out, "legend": [{"type": t, "cls": f"t{i}"} for i, t in enumerate(legend)],
            "top": top, "total": sum(totals.values())}


def install_tracks(app: FastAPI, store: Store, page: Callable[..., Response]) -> None:
    """Add the tracks pages and API to ``app``; ``page(request, template, **context)``
    renders a template in the app's layout."""
    errors: dict[int | str, dict[str, Any]] = {
        400: {"description": "Invalid parameter."}, 422: {"description": "Failed validation."}}
    digests = _Digests()

    def no_tracks() -> str:
        return NO_TRACKS.format(root=Path(store.root))

    def one(track: str) -> dict[str, Any]:
        info = track_info(store, track)
        if info is None:
            names = [t["name"] for t in list_tracks(store)]
            raise HTTPException(404, f"no track {track!r} in this store: "
                                + (f"its tracks are {', '.join(names)}" if names
                                   else no_tracks()))
        return info

    @app.get("/tracks", response_class=HTMLResponse, include_in_schema=False)
    def tracks_page(request: Request) -> Response:
        return page(request, "tracks.html", page="tracks", tracks=list_tracks(store),
                    hint=no_tracks(), store_root=str(store.root))

    @app.get("/tracks/{track}", response_class=HTMLResponse, include_in_schema=False)
    def track_page(request: Request, track: TrackName, since: DigestSince = None) -> Response:
        info = one(track)
        since = since or None
        return page(request, "track.html", page="tracks", t=info,
                    timeline=_weeks(track_timeline(store, track)),
                    stances=stance_table(store, track), quotes=track_quotes(store, track),
                    digest=digests.get(store, track, since, wait=_Digests.WAIT), since=since,
                    href=evidence_href, nav_qs=urllib.parse.urlencode([("track", track)]))

    @app.get("/api/tracks", responses=errors, tags=["tracks"])
    def api_tracks() -> dict[str, Any]:
        """The store's tracks with their counts of linked documents, events, quotes and
        incidents, stance rows, and first/last day; ``hint`` says how to make them when
        there are none."""
        rows = list_tracks(store)
        return {"tracks": rows, "hint": None if rows else no_tracks()}

    @app.get("/api/tracks/{track}", responses={404: {"description": "No such track."},
                                               **errors}, tags=["tracks"])
    def api_track(track: TrackName) -> dict[str, Any]:
        """One track: its counts, ``timeline`` (tagged events per ISO week and type),
        ``stances`` (who stands where: per actor and proposal, the latest statements with
        their evidence, ``changed`` marking a change) and ``quotes`` (principals first)."""
        info = one(track)
        return {**info, "timeline": track_timeline(store, track),
                "stances": stance_table(store, track), "quotes": track_quotes(store, track)}

    @app.get("/api/tracks/{track}/digest", responses={404: {"description": "No such track."},
                                                      **errors}, tags=["tracks"])
    def api_track_digest(
        track: TrackName, since: DigestSince = None,
        fmt: Annotated[Literal["md", "html"], Query(description="Markdown or a "
                                                    "self-contained HTML file.")] = "md",
    ) -> Response:
        """The track's latest digest as `dragoman digest --no-save` writes it now (nothing
        is saved): Markdown, or one HTML file to download."""
        one(track)
        digest = digests.future(store, track, since or None).result()
        if fmt == "html":
            return Response(digest.html(), media_type="text/html; charset=utf-8", headers={
                "Content-Disposition": f'attachment; filename="dragoman-digest-{track}.html"'})
        return Response(digest.markdown(), media_type="text/markdown; charset=utf-8")
