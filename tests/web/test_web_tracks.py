"""The dashboard's tracks (issue 18 point 5): the /tracks pages, the track filter of the
events, quotes and incidents pages, their JSON API and the empty state.

The store is built by the real pipeline (``dragoman.runner.run``) from the seed dispatch
(Lavrov and al-Jubeir in Moscow: the Astana and Geneva talks, the OPCW investigation), the
web tests' hand-written articles and the bundled samples, then tagged with the shipped
example tracks file (``track_store``, what ``dragoman track`` runs). Assertions compare the
pages with the track tables.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import Watch, assert_no_injected_elements, serving, shot
from web_store_data import ARTICLES

from dragoman import Pipeline
from dragoman.errors import QueryError
from dragoman.ingest import read_inputs, sample_paths
from dragoman.query import api as qapi
from dragoman.query.export import export
from dragoman.query.incidents import IncidentQuery, count_incidents, query_incidents
from dragoman.runner import run
from dragoman.store import Store
from dragoman.tracks import read_table, track_store
from dragoman.types import Article

SEED = Path(__file__).resolve().parents[1] / "golden" / "seed" / "sana-lavrov-2017.txt"


@pytest.fixture(scope="module")
def track_root(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> Path:
    root = tmp_path_factory.mktemp("webtracks") / "store"
    arts = [Article(id="seed", text=SEED.read_text(encoding="utf-8"), published="2017-04-26"),
            *ARTICLES, *read_inputs([str(p) for p in sample_paths()])]
    run([], root, pipeline.config, articles=arts)
    track_store(root)  # the packaged Syria tracks, as `dragoman track --store root`
    return root


@pytest.fixture(scope="module")
def links(track_root: Path) -> list[dict[str, Any]]:
    return read_table(track_root, "links").to_pylist()


@pytest.fixture(scope="module")
def tclient(track_root: Path) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from dragoman.web import create_app

    with TestClient(create_app(track_root), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def tserver(track_root: Path) -> Iterator[str]:
    with serving(track_root) as (url, _):
        yield url


def _ids(links: list[dict[str, Any]], track: str, kind: str) -> set[str]:
    return {r["record_id"] for r in links if r["track"] == track and r["kind"] == kind}


# -- JSON API ---------------------------------------------------------------------------------

def test_api_tracks_lists_the_tracks_with_their_counts(tclient: Any, links: list[Any]) -> None:
    body = tclient.get("/api/tracks").json()
    by = {t["name"]: t for t in body["tracks"]}
    assert set(by) == {"astana", "geneva", "opcw"} and body["hint"] is None
    for name, t in by.items():
        for kind in ("document", "event", "quote", "incident"):
            assert t[f"{kind}s"] == len(_ids(links, name, kind)), (name, kind)
    assert by["astana"]["first"] <= "2017-04-26" <= by["astana"]["last"]
    assert by["astana"]["title"] == "Astana talks"


def test_api_track_has_timeline_stances_and_quotes(tclient: Any, links: list[Any]) -> None:
    body = tclient.get("/api/tracks/geneva").json()
    assert sum(w["n"] for w in body["timeline"]) == len(
        {r["record_id"] for r in links if r["track"] == "geneva" and r["kind"] == "event"
         and r["date"]})
    actors = {r["actor"] for r in body["stances"]["rows"]}
    assert {"Sergey Lavrov", "Adel al-Jubeir"} <= actors
    text = SEED.read_text(encoding="utf-8")
    for row in body["stances"]["rows"]:
        for cell in row["cells"]:
            for s in cell:  # every statement carries its evidence, offsets exact
                if s["doc_id"] == "seed":
                    assert text[s["evidence_start"]:s["evidence_end"]] == s["evidence"]
    assert {q["record_id"] for q in body["quotes"]} <= _ids(links, "geneva", "quote")
    assert tclient.get("/api/tracks/nope").status_code == 404
    assert tclient.get("/api/tracks/Bad%20Name").status_code == 422


def test_api_track_filter_narrows_events_quotes_incidents(tclient: Any,
                                                          links: list[Any]) -> None:
    for path, key, kind in (("/api/events", "events", "event"),
                            ("/api/quotes", "quotes", "quote"),
                            ("/api/incidents", "incidents", "incident")):
        everything = tclient.get(path, params={"limit": 500}).json()
        for track in ("astana", "opcw"):
            body = tclient.get(path, params={"track": track, "limit": 500}).json()
            got = {r["id"] for r in body[key]}
            assert got == _ids(links, track, kind), (path, track)
            assert body["total"] == len(got) < everything["total"], (path, track)
    # the track combines with the other filters
    lavrov = tclient.get("/api/quotes", params={"track": "geneva", "speaker": "lavrov"}).json()
    assert lavrov["total"] >= 1 and all("Lavrov" in (q["speaker"]["name"] or "")
                                        for q in lavrov["quotes"])
    assert all(q["_before"] is not None and q["_doc"]["published"] for q in lavrov["quotes"])
    r = tclient.get("/api/events", params={"track": "nope"})
    assert r.status_code == 400 and "astana" in r.json()["error"]
    assert tclient.get("/api/events", params={"track": "x;drop"}).status_code == 422
    assert tclient.get("/api/events", params={"track": ""}).json()["total"] == \
        tclient.get("/api/events").json()["total"]


def test_digest_endpoint_and_evidence_span(tclient: Any) -> None:
    md = tclient.get("/api/tracks/geneva/digest").text
    assert "Who stands where" in md and "Sergey Lavrov" in md and "`seed:" in md
    page = tclient.get("/api/tracks/geneva/digest", params={"fmt": "html"})
    assert page.headers["content-disposition"].startswith("attachment")
    doc = tclient.get("/documents/seed", params={"span": "0-40"}).text
    assert 'class="a-focus"' in doc and "the evidence" in doc


def test_empty_state_says_which_command_makes_tracks(client: Any) -> None:
    """The session's plain web store has no track tables."""
    page = client.get("/tracks").text
    assert "This store has no tracks yet" in page and "dragoman track --store" in page
    assert client.get("/api/tracks").json()["tracks"] == []
    r = client.get("/api/events", params={"track": "astana"})
    assert r.status_code == 400 and "dragoman track --store" in r.json()["error"]
    assert "dragoman track --store" in client.get("/tracks/astana").text
    assert 'id="track-filter"' not in client.get("/events").text


# -- in Chromium ------------------------------------------------------------------------------

def test_track_pages_in_chromium(browser: Any, tserver: str, links: list[Any]) -> None:
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(pg, tserver)
    pg.goto(f"{tserver}/tracks")
    rows = pg.locator("#tracks tbody tr")
    assert sorted(rows.evaluate_all("rs => rs.map(r => r.dataset.track)")) == \
        ["astana", "geneva", "opcw"]
    shot(pg, "tracks-list")
    pg.click("#tracks a[href='/tracks/astana']")
    pg.wait_for_url("**/tracks/astana")
    assert pg.locator("#track-title").inner_text().startswith("Astana talks")
    assert pg.locator("#track-timeline rect").count() >= 1
    table = pg.locator("#stance-table")
    assert table.locator("tr[data-actor='Sergey Lavrov']").count() == 1
    assert "support" in table.locator("tr[data-actor='Sergey Lavrov']").inner_text()
    assert pg.locator("#track-quotes li").count() >= 1
    digest = pg.locator("#digest").inner_text()
    assert "What happened" in digest and "Stance changes" in digest
    assert "Astana" in pg.locator("main").inner_text()
    assert_no_injected_elements(pg)
    shot(pg, "track-astana")
    # a stance cell opens its evidence in the document, highlighted
    pg.locator("tr[data-actor='Sergey Lavrov'] a.evidence").first.click()
    pg.wait_for_url("**/documents/seed?span=*")
    focus = pg.locator("mark.a-focus").first
    assert focus.is_visible() and "Lavrov" in pg.locator("#doctext").inner_text()
    # the Geneva page too: al-Jubeir's position beside Lavrov's
    pg.goto(f"{tserver}/tracks/geneva")
    assert pg.locator("#stance-table tr[data-actor='Adel al-Jubeir']").count() == 1
    assert "Geneva" in pg.locator("#track-title").inner_text()
    watch.check()
    pg.close()


def test_track_filter_in_the_forms_narrows_rows(browser: Any, tserver: str,
                                                links: list[Any]) -> None:
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(pg, tserver)
    for path, rows_sel, kind in (("/events", "#events tbody tr", "event"),
                                 ("/quotes", "#quotes li", "quote"),
                                 ("/incidents", "#incidents tbody tr", "incident")):
        pg.goto(f"{tserver}{path}?limit=200" if path != "/quotes" else f"{tserver}{path}")
        before = pg.locator(rows_sel).count()
        pg.select_option("#track-filter", "astana")
        pg.locator("form.filters button[type=submit]").first.click()
        pg.wait_for_url("**track=astana*")
        ids = set(pg.locator(rows_sel).evaluate_all("rs => rs.map(r => r.dataset.id)"))
        assert ids == _ids(links, "astana", kind), path
        assert 0 < len(ids) < before, path
        assert pg.locator("#track-filter").input_value() == "astana"
        assert pg.locator("#track-note a[href='/tracks/astana']").count() == 1
        shot(pg, f"track-filter-{kind}")
    watch.check()
    pg.close()


def test_query_api_track_field_on_events_quotes_incidents(track_root: Path,
                                                          links: list[Any]) -> None:
    """``track`` is a field of the query API's filters, not a wrapper around them."""
    store = Store.open(track_root)
    for track in ("astana", "geneva", "opcw"):
        ev = qapi.query_events(store, qapi.EventQuery(track=track, limit=1000))
        assert {e["id"] for e in ev} == _ids(links, track, "event"), track
        assert qapi.count_events(store, qapi.EventQuery(track=track)) == len(ev)
        qs, n = qapi.quote_page(store, qapi.QuoteQuery(track=track, limit=1000))
        assert {q["id"] for q in qs} == _ids(links, track, "quote") and n == len(qs)
        inc = query_incidents(store, IncidentQuery(track=track, limit=1000))
        assert {i["id"] for i in inc} == _ids(links, track, "incident"), track
        assert count_incidents(store, IncidentQuery(track=track)) == len(inc)
    # the timeline and the network keep the track too
    days = qapi.timeline(store, qapi.EventQuery(track="astana"))
    every = qapi.timeline(store, qapi.EventQuery())
    assert 0 < sum(d["n"] for d in days) < sum(d["n"] for d in every)
    with pytest.raises(QueryError, match="astana"):
        qapi.query_events(store, qapi.EventQuery(track="nope"))
    with pytest.raises(QueryError, match="track name"):
        qapi.EventQuery(track="Bad Name").validate()


def test_exports_keep_the_track(tclient: Any, links: list[Any], tmp_path: Path,
                                track_root: Path) -> None:
    """The dashboard's export buttons and ``query.export`` write the track's records only."""
    for track in ("astana", "opcw"):
        r = tclient.get("/api/export", params={"fmt": "jsonl", "track": track})
        got = {json.loads(line)["id"] for line in r.text.splitlines() if line}
        assert got == _ids(links, track, "event") and \
            int(r.headers["x-dragoman-records"]) == len(got)
        r = tclient.get("/api/quotes/export", params={"fmt": "jsonl", "track": track})
        got = {json.loads(line)["id"] for line in r.text.splitlines() if line}
        assert got == _ids(links, track, "quote")
    everything = tclient.get("/api/export", params={"fmt": "jsonl"}).text.count("\n")
    assert everything > len(_ids(links, "astana", "event"))
    # the page's export links carry the track
    page = tclient.get("/events", params={"track": "astana"}).text
    assert "/api/export?track=astana" in page.replace("&amp;", "&")
    out = tmp_path / "geneva.csv"
    n = export(Store.open(track_root), "events", "csv", out, q=qapi.EventQuery(track="geneva"))
    assert n == len(_ids(links, "geneva", "event")) == len(out.read_text().splitlines()) - 1


def test_cli_export_keeps_the_track(links: list[Any], tmp_path: Path, track_root: Path) -> None:
    """``dragoman export --track NAME`` writes the track's events and quotes only; an unknown
    track is a clear error that names the store's tracks."""
    from click.testing import CliRunner

    from dragoman.cli import cli

    runner = CliRunner()
    for what, kind in (("events", "event"), ("quotes", "quote")):
        out = tmp_path / f"astana-{what}.jsonl"
        r = runner.invoke(cli, ["export", "--store", str(track_root), "--what", what,
                                "--track", "astana", "-o", str(out)])
        assert r.exit_code == 0, r.output
        got = {json.loads(line)["id"] for line in out.read_text().splitlines() if line}
        assert got == _ids(links, "astana", kind) and got
    r = runner.invoke(cli, ["export", "--store", str(track_root), "--track", "no-such-track"])
    assert r.exit_code != 0 and "astana" in str(r.exception or r.output)
