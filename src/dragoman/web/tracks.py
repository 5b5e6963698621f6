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
import logging
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
    per_version,
    stance_table,
    track_info,
    track_quotes,
    track_timeline,
)
from ..store.segments import Store
from ..tracks.digest import Digest, make_digest
from ..tracks.table import current_version, tracks_dir

__all__ = ["TrackParam", "clean_track", "evidence_href", "install_tracks", "timeline_bars"]

log = logging.getLogger(__name__)

_DATE_RE = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"

#: the ``track`` filter of the events, quotes and incidents pages and their API
TrackParam = Annotated[str | None, Query(
    pattern=r"^([a-z0-9_-]{1,64})?$",
    description="Only records tagged with this track (`dragoman track`; see /api/tracks).")]

TrackName = Annotated[str, PathParam(pattern=TRACK_RE, description="The track's name.")]
DigestSince = Annotated[str | None, Query(
    pattern=_DATE_RE, description="The digest's start (YYYY-MM-DD, YYYY-MM or YYYY); by "
    "default the day after the last saved digest (`dragoman digest`), or the start.")]

#: how many lines of each digest section the page shows (the downloads have them all)
DIGEST_LINES = 25

#: the stance table of a track page: its actors (most statements first) and the
#: statements shown per cell (the latest)
STANCE_ACTORS = 25
PER_CELL = 3

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

    def future(self, store: Store, track: str, since: str | None
               ) -> tuple[Future[Digest], bool]:
        """The digest's future, and whether this call started it."""
        cur = current_version(store.root)
        saved = tracks_dir(store.root) / "digests" / track
        last = max((p.name for p in saved.glob("*.json")), default=None) if saved.is_dir() \
            else None
        key = (cur.name if cur else None, track, since, last)
        with self.lock:
            fut = self.kept.get(key)
            new = fut is None
            if fut is None:
                if len(self.kept) > 32:
                    self.kept = {k: f for k, f in self.kept.items() if not f.done()}
                fut = self.kept[key] = self.pool.submit(
                    make_digest, store.root, track, since=since, save=False)
        return fut, new

    def warm(self, store: Store) -> None:
        """Make what each track's page shows (its cached tables and its digest) in the
        background, so no visitor waits for them after a start or a new version."""

        def run() -> None:
            try:
                for t in list_tracks(store):
                    timeline_bars(store, t["name"])
                    stance_table(store, t["name"], actors=STANCE_ACTORS, per_cell=PER_CELL)
                    track_quotes(store, t["name"])
                    self.future(store, t["name"], None)
            except Exception:  # a broken or vanished table: the page reports it when asked
                log.debug("warming the track pages failed", exc_info=True)

        threading.Thread(target=run, name="dragoman-track-warm", daemon=True).start()

    def get(self, store: Store, track: str, since: str | None) -> Digest | None:
        """The digest, or None when it is not ready: the request that starts it waits
        ``WAIT`` seconds for it, the others none while it is being made."""
        fut, new = self.future(store, track, since)
        try:
            return fut.result(timeout=self.WAIT if new else 0)
        except TimeoutError:
            return None


def _bars(rows: list[dict[str, Any]], weeks: int = 156) -> dict[str, Any]:
    """The timeline as the page draws it: one bar per ISO week from the first to the last
    (weeks without events too) or, when that is more than ``weeks`` bars, per month (a week
    counts in the month of its Thursday, as ISO numbering does); stacked by type (the
    ``TIMELINE_TYPES`` commonest coloured, the rest "other"); heights in a box 100 high,
    each bar 10 wide. ``label`` is what the events filter takes for the bar (a week or a
    month)."""
    totals: dict[str, int] = {}
    for r in rows:
        totals[r["event_type"]] = totals.get(r["event_type"], 0) + r["n"]
    types = sorted(totals, key=lambda t: (-totals[t], t))[:TIMELINE_TYPES]
    legend = [*types, *(["other"] if len(totals) > len(types) else [])]
    mondays = sorted({dt.date.fromisoformat(r["monday"]) for r in rows})
    monthly = bool(mondays) and (mondays[-1] - mondays[0]).days // 7 >= weeks

    def bar_of(monday: dt.date) -> tuple[str, str]:
        if monthly:
            thursday = monday + dt.timedelta(days=3)
            return f"{thursday:%Y-%m}", f"{thursday:%Y-%m}"
        iso = monday.isocalendar()
        return monday.isoformat(), f"{iso[0]}-W{iso[1]:02d}"

    bars: dict[str, dict[str, Any]] = {}
    day = mondays[0] if mondays else None
    while day is not None and day <= mondays[-1]:  # every bar of the span, empty ones too
        key, label = bar_of(day)
        bars.setdefault(key, {"label": label, "start": key, "n": 0, "by": {}})
        day += dt.timedelta(days=7)
    for r in rows:
        bar = bars[bar_of(dt.date.fromisoformat(r["monday"]))[0]]
        t = r["event_type"] if r["event_type"] in types else "other"
        bar["by"][t] = bar["by"].get(t, 0) + r["n"]
        bar["n"] += r["n"]
    out = [bars[k] for k in sorted(bars)]
    top = max((b["n"] for b in out), default=0)
    for i, bar in enumerate(out):
        y, bar["x"], bar["segs"] = 100.0, i * 10, []
        for k, t in enumerate(legend):
            n = bar["by"].get(t, 0)
            if n:
                h = 100.0 * n / top
                y -= h
                bar["segs"].append({"type": t, "n": n, "y": round(y, 2), "h": round(h, 2),
                                    "cls": f"t{k}"})
    return {"bars": out, "unit": "month" if monthly else "week", "top": top,
            "legend": [{"type": t, "cls": f"t{i}"} for i, t in enumerate(legend)],
            "total": sum(totals.values())}


@per_version
def timeline_bars(store: Store, track: str) -> dict[str, Any]:
    """``_bars`` of the track's timeline, kept per version of the track tables (drawing a
    heavy track's bars takes tens of milliseconds)."""
    return _bars(track_timeline(store, track))


def install_tracks(app: FastAPI, store: Store, page: Callable[..., Response]) -> None:
    """Add the tracks pages and API to ``app``; ``page(request, template, **context)``
    renders a template in the app's layout."""
    errors: dict[int | str, dict[str, Any]] = {
        400: {"description": "Invalid parameter."}, 422: {"description": "Failed validation."}}
    digests = _Digests()
    digests.warm(store)

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
                    timeline=timeline_bars(store, track),
                    stances=stance_table(store, track, actors=STANCE_ACTORS,
                                         per_cell=PER_CELL),
                    quotes=track_quotes(store, track), lines=DIGEST_LINES,
                    digest=digests.get(store, track, since), since=since,
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
        digest = digests.future(store, track, since or None)[0].result()
        if fmt == "html":
            return Response(digest.html(), media_type="text/html; charset=utf-8", headers={
                "Content-Disposition": f'attachment; filename="dragoman-digest-{track}.html"'})
        return Response(digest.markdown(), media_type="text/markdown; charset=utf-8")
