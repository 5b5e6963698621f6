"""Issue 17 through the ASGI client: quotes, intervals, actors, map data, navigation.

Assertions are about behaviour on whatever the pipeline extracted from the hand-written
articles (``web_store_data``), never about today's counts.
"""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web_store_data import CRAFTED_ID

from dragoman.query import date_interval, fold
from dragoman.web.app import filter_slug


def events(client: Any, **params: Any) -> list[dict[str, Any]]:
    r = client.get("/api/events", params={"limit": 10000, **params})
    assert r.status_code == 200, r.text
    return r.json()["events"]


def test_quotes_by_speaker_with_their_sentences(client: Any) -> None:
    body = client.get("/api/quotes", params={"speaker": "lavrov"}).json()
    assert body["total"] >= 1
    for q in body["quotes"]:
        assert "lavrov" in fold((q["speaker"]["name"] or "") + (q["speaker"]["text"] or ""))
        doc = client.get(f"/api/documents/{q['doc_id']}").json()["document"]
        start, end = q["content"]["start"], q["content"]["end"]
        assert doc["text"][start:end] == q["content"]["text"]
        assert doc["text"][:start].endswith(q["_before"]) and doc["text"][end:].startswith(
            q["_after"])
    page = client.get("/quotes", params={"speaker": "LAVROV"})
    assert page.status_code == 200
    for q in body["quotes"]:
        link = f'/documents/{q["doc_id"]}?quote={q["id"]}#s{q["content"]["start"]}'
        assert link.replace("&", "&amp;") in page.text or link in page.text
    speakers = client.get("/api/quotes/speakers", params={"speaker": "lavrov"}).json()
    assert sum(s["n"] for s in speakers) == body["total"]
    assert client.get("/api/quotes", params={"speaker": "nobody-at-all"}).json()["total"] == 0


def test_quote_export_is_the_filter_and_named_after_it(client: Any) -> None:
    r = client.get("/api/quotes/export", params={"speaker": "Lavrov", "fmt": "csv"})
    assert r.status_code == 200, r.text
    assert 'filename="dragoman-quotes-speaker-lavrov.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    total = client.get("/api/quotes", params={"speaker": "Lavrov"}).json()["total"]
    assert len(rows) == total == int(r.headers["x-dragoman-records"])


def test_document_highlights_the_quote_or_the_event_sentence(client: Any) -> None:
    q = client.get("/api/quotes", params={"speaker": "lavrov"}).json()["quotes"][0]
    html = client.get(f"/documents/{q['doc_id']}", params={"quote": q["id"]}).text
    focus = re.findall(r'<mark class="[^"]*a-focus[^"]*"[^>]*>([^<]*)</mark>', html)
    assert html_lib.unescape("".join(focus)) == q["content"]["text"]
    e = events(client)[0]
    html = client.get(f"/documents/{e['doc_id']}", params={"event": e["id"]}).text
    focus = re.findall(r'<mark class="[^"]*a-focus[^"]*"[^>]*>([^<]*)</mark>', html)
    assert html_lib.unescape("".join(focus)) == e["sentence"]["text"]


def test_triggers_in_the_document_link_to_their_events(client: Any) -> None:
    for e in events(client, doc_id=CRAFTED_ID) + events(client, doc_id="moscow-1"):
        html = client.get(f"/documents/{e['doc_id']}").text
        assert f'<a class="trig-link" href="/events/{e["id"]}">' in html


def test_date_filters_use_intervals(client: Any) -> None:
    every = events(client)
    for since, until in (("2017-04-12", "2017-04-12"), ("2017-04-10", "2017-04-16"),
                         ("2017-W15", "2017-W15"), ("2017-04", "2017-04")):
        lo = date_interval(since)[0]  # type: ignore[index]
        hi = date_interval(until)[1]  # type: ignore[index]
        got = {e["id"] for e in events(client, since=since, until=until)}
        want = {e["id"] for e in every if (i := date_interval(e["date"])) and lo <= i[0]
                and i[1] <= hi}
        assert got == want
        got = {e["id"] for e in events(client, since=since, until=until, date_match="overlap")}
        want = {e["id"] for e in every if (i := date_interval(e["date"])) and i[0] <= hi
                and i[1] >= lo}
        assert got == want
    r = client.get("/api/events", params={"date_match": "roughly"})
    assert r.status_code == 422 and "date_match" in r.json()["error"]


def test_event_table_shows_country_and_sector(client: Any) -> None:
    rows = [e for e in events(client) if any(a.get("sector") and a.get("country")
                                             for a in e["actor"] + e["recipient"])]
    if not rows:
        pytest.skip("the extractors gave no actor with a country and a sector")
    html = client.get("/events", params={"limit": 200}).text
    a = next(a for a in rows[0]["actor"] + rows[0]["recipient"] if a["sector"] and a["country"])
    assert f'<small class="cs">{a["country"]} {a["sector"]}</small>' in html


def test_tabs_keep_the_filter_and_exports_name_it(client: Any) -> None:
    html = client.get("/timeline", params={"quad": "4", "place": "Dūmā"}).text
    for tab in ("events", "timeline", "map", "network"):
        assert re.search(rf'href="/{tab}\?quad=4&amp;place=D%C5%AB', html), tab
    html = client.get("/events", params={"type": "ASSAULT", "since": "2017-04-01"}).text
    assert 'download="dragoman-events-type-assault_since-2017-04-01.csv"' in html
    assert filter_slug([]) == "all"
    assert filter_slug([("place", "Dūmā / ../x")]) == "place-duma-x"


def test_world_outlines_and_locations_by_quad(client: Any) -> None:
    world = client.get("/api/world")
    assert world.status_code == 200 and world.headers["content-type"].startswith(
        "application/geo+json")
    names = {f["properties"]["iso3"] for f in world.json()["features"]}
    assert {"SYR", "RUS", "USA"} <= names
    for loc in client.get("/api/locations").json():
        assert sum(loc["quads"]) <= loc["n"]
        got = events(client, geonameid=loc["geonameid"]) if loc["geonameid"] is not None \
            else []
        assert all(e["location"]["geonameid"] == loc["geonameid"] for e in got)


def test_network_modes_and_node_count(client: Any) -> None:
    for by in ("actor", "sector"):
        net = client.get("/api/network", params={"by": by, "nodes": 3}).json()
        assert net["by"] == by and len(net["nodes"]) <= 3
        ids = {n["id"] for n in net["nodes"]}
        assert all(e["source"] in ids and e["target"] in ids for e in net["edges"])
    assert client.get("/api/network", params={"by": "person"}).status_code == 422
    assert client.get("/network", params={"by": "sector", "nodes": 10}).status_code == 200


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["sector", "geonameid", "date_match", "since", "until", "speaker",
                             "country", "text", "by", "nodes", "event", "quote"]),
       value=st.one_of(st.text(max_size=40), st.sampled_from(
           ["2017-W00", "2017-W53", "0000", "2017-02-30", "9999-W53", "overlap", "SYR"])))
def test_no_new_parameter_value_gives_a_500(client: Any, name: str, value: str) -> None:
    for path in ("/api/events", "/api/quotes", "/api/network", "/quotes", "/network",
                 f"/documents/{CRAFTED_ID}"):
        r = client.get(path, params={name: value})
        assert r.status_code in (200, 400, 422), (path, name, value, r.status_code, r.text[:300])
