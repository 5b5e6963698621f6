"""The dashboard's JSON API and pages over a real store, through FastAPI's TestClient."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web_store_data import CRAFTED_ID, XSS_IMG, XSS_SCRIPT, write_store

from dragoman import Article, Pipeline
from dragoman.query.api import EventQuery, count_events, date_interval
from dragoman.store import Store

API_PATHS = ("/api/events", "/api/events/{event_id}", "/api/documents/{doc_id}",
             "/api/timeline", "/api/network", "/api/locations", "/api/summary", "/api/export",
             "/api/quotes", "/api/quotes/speakers", "/api/quotes/export", "/api/world")


def all_events(client: Any, **params: Any) -> dict[str, Any]:
    r = client.get("/api/events", params={"limit": 10000, **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_pipeline_output_is_in_the_store(client: Any, web_store: dict[str, Any]) -> None:
    produced = sum(len(r.events) for r in web_store["results"])
    body = all_events(client)
    assert body["total"] == produced == len(body["events"])
    # the real extractors found events in the hand-written articles (not only the crafted one)
    assert {e["doc_id"] for e in body["events"]} - {CRAFTED_ID}
    summary = client.get("/api/summary").json()
    assert summary["counts"]["documents"] == len(web_store["results"])
    assert summary["counts"]["events"] == produced


def test_events_filters_match_the_query_api(client: Any, web_store: dict[str, Any]) -> None:
    store = Store.open(web_store["root"])
    events = all_events(client)["events"]
    some = events[0]
    cases = [
        ({"type": some["event_type"]}, EventQuery(types=(some["event_type"],))),
        ({"quad": str(some["quad_class"])}, EventQuery(quad_class=(some["quad_class"],))),
        ({"doc_id": some["doc_id"]}, EventQuery(doc_id=some["doc_id"])),
        ({"since": "2017-04-14", "until": "2017-04-16"},
         EventQuery(since="2017-04-14", until="2017-04-16")),
        ({"text": "attack"}, EventQuery(text="attack")),
        ({"actor": "militia"}, EventQuery(actor="militia")),
        ({"country": "lbn"}, EventQuery(country="LBN")),
    ]
    for params, q in cases:
        body = all_events(client, **params)
        assert body["total"] == count_events(store, q), params
        assert len(body["events"]) == body["total"]
    assert all_events(client, actor="militia")["total"] >= 1  # the crafted event


def test_sorting_and_paging(client: Any) -> None:
    total = all_events(client)["total"]
    seen: list[str] = []
    for offset in range(0, total, 2):
        r = client.get("/api/events", params={"limit": 2, "offset": offset, "order": "date"})
        assert r.status_code == 200
        seen += [e["id"] for e in r.json()["events"]]
    assert len(seen) == len(set(seen)) == total
    desc = all_events(client, order="-confidence")["events"]
    conf = [e["confidence"] for e in desc]
    assert conf == sorted(conf, reverse=True)


def test_event_and_document_endpoints(client: Any) -> None:
    event = client.get("/api/events/crafted-event-1").json()
    assert event["event_type"] == "ASSAULT"
    assert event["trigger"]["text"] == "attacked"
    doc = client.get(f"/api/documents/{CRAFTED_ID}").json()
    assert doc["document"]["doc_id"] == CRAFTED_ID
    assert [e["id"] for e in doc["events"]] == ["crafted-event-1"]
    for missing in ("/api/events/nope", "/api/documents/nope"):
        r = client.get(missing)
        assert r.status_code == 404 and "nope" in r.json()["error"]


def test_aggregates(client: Any) -> None:
    total = all_events(client)["total"]
    timeline = client.get("/api/timeline").json()
    dated = all_events(client)["events"]
    assert sum(p["n"] for p in timeline) == sum(1 for e in dated
                                                if date_interval(e["date"]) is not None)
    assert all(p["start"] <= p["end"] for p in timeline)
    assert total >= sum(p["n"] for p in timeline)
    locations = client.get("/api/locations").json()
    assert any(loc["geonameid"] == 276781 and loc["n"] >= 1 for loc in locations)
    net = client.get("/api/network", params={"top": 10}).json()
    assert len(net["edges"]) <= 10
    ids = {n["id"] for n in net["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in net["edges"])
    assert any(e["conflict"] >= 1 for e in net["edges"])  # the crafted ASSAULT


def test_openapi_describes_every_endpoint(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    for path in API_PATHS:
        assert path in schema["paths"], path
    params = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert {"type", "quad", "actor", "country", "place", "since", "until", "text", "limit",
            "offset", "order"} <= params
    page = client.get("/api")
    assert page.status_code == 200 and "/api/timeline" in page.text


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_of_the_current_filter(client: Any, web_store: dict[str, Any], fmt: str) -> None:
    store = Store.open(web_store["root"])
    expected = count_events(store, EventQuery(quad_class=(3, 4)))
    r = client.get("/api/export", params={"fmt": fmt, "quad": ["3", "4"]})
    assert r.status_code == 200, r.text
    # the file is named after its filter
    assert f"dragoman-events-quad-3_quad-4.{fmt}" in r.headers["content-disposition"]
    assert r.headers["x-dragoman-records"] == str(expected)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in r.content.decode("utf-8").splitlines() if line]
    else:
        rows = pq.read_table(io.BytesIO(r.content)).to_pylist()
    assert len(rows) == expected
    assert all(str(row["quad_class"]) in ("3", "4") for row in rows)


BAD = [
    ("/api/events", {"limit": "100000"}, "limit"),
    ("/api/events", {"limit": "0"}, "limit"),
    ("/api/events", {"limit": "ten"}, "limit"),
    ("/api/events", {"offset": "-1"}, "offset"),
    ("/api/events", {"since": "2017-02-30"}, "since"),
    ("/api/events", {"since": "yesterday"}, "since"),
    ("/api/events", {"until": "2017-13-01"}, "until"),
    ("/api/events", {"since": "2017-05-01", "until": "2017-01-01"}, "since"),
    ("/api/events", {"order": "sentence; DROP TABLE events"}, "order"),
    ("/api/events", {"order": "doc_id"}, "order"),
    ("/api/events", {"order": "-password"}, "order"),
    ("/api/events", {"type": "ACCUSE' OR '1'='1"}, "type"),
    ("/api/events", {"type": "EXPLODE"}, "type"),
    ("/api/events", {"quad": "5"}, "quad"),
    ("/api/events", {"country": "RUS'--"}, "country"),
    ("/api/events", {"actor": "x" * 500}, "actor"),
    ("/api/events", {"doc_id": "a\x00b"}, "doc_id"),
    ("/api/timeline", {"since": "2017-4-1"}, "since"),
    ("/api/network", {"top": "100000"}, "top"),
    ("/api/locations", {"limit": "-5"}, "limit"),
    ("/api/export", {"fmt": "xml"}, "fmt"),
    ("/api/export", {"what": "runs; DROP"}, "what"),
    ("/api/export", {"fmt": "csv", "style": "../../etc"}, "style"),
]


@pytest.mark.parametrize(("path", "params", "name"), BAD)
def test_bad_parameters_are_clear_4xx_json(client: Any, path: str, params: dict[str, str],
                                           name: str) -> None:
    r = client.get(path, params=params)
    assert r.status_code in (400, 422), (r.status_code, r.text)
    body = r.json()
    assert name in body["error"], body
    # pages answer the same validation with an HTML error page, not a 500
    if path == "/api/events":
        page = client.get("/events", params=params)
        assert page.status_code in (400, 422)
        assert "text/html" in page.headers["content-type"]


def test_sql_fragments_in_text_filters_are_just_text(client: Any) -> None:
    total = all_events(client)["total"]
    for value in ("' OR 1=1 --", "%", "_", "x') OR ('1'='1", "\\", "'; DROP TABLE events; --"):
        for name in ("actor", "place", "text", "doc_id"):
            body = all_events(client, **{name: value})
            assert body["total"] == 0, (name, value)
    assert all_events(client)["total"] == total  # nothing was dropped


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["actor", "place", "text", "country", "since", "until", "type",
                             "quad", "order", "limit", "offset", "doc_id"]),
       value=st.text(max_size=40))
def test_no_parameter_value_gives_a_500(client: Any, name: str, value: str) -> None:
    for path in ("/api/events", "/api/timeline", "/events"):
        r = client.get(path, params={name: value})
        assert r.status_code in (200, 400, 422), (path, name, value, r.status_code, r.text[:300])


def test_pages_render(client: Any) -> None:
    for path in ("/events", "/events?type=ASSAULT&quad=4&order=-confidence", "/timeline",
                 "/map", "/network", f"/documents/{CRAFTED_ID}", "/events/crafted-event-1",
                 "/api"):
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        assert "text/html" in r.headers["content-type"]
        assert r.headers["content-security-policy"].startswith("default-src 'self'")
    assert client.get("/", follow_redirects=False).headers["location"] == "/events"
    events = client.get("/events?limit=25").text
    assert 'href="/events/crafted-event-1"' in events
    assert "/api/export?" in events and "fmt=parquet" in events
    assert client.get("/events/nope").status_code == 404


def test_event_page_highlights_the_evidence(client: Any) -> None:
    html = client.get("/events/crafted-event-1").text
    assert '<mark class="a-trigger" title="trigger: ASSAULT">attacked</mark>' in html
    assert 'class="a-actor"' in html and 'class="a-recipient"' in html
    assert 'class="a-place"' in html
    assert f'href="/documents/{CRAFTED_ID}?event=crafted-event-1#s' in html


def test_document_page_marks_every_annotation(client: Any, web_store: dict[str, Any]) -> None:
    for result in web_store["results"]:
        doc_id = result.document.doc_id
        html = client.get(f"/documents/{doc_id}").text
        marked = {kind for kind in ("trigger", "actor", "place", "date", "quote", "frame")
                  if f"a-{kind}" in html.split('id="doctext"', 1)[1]}
        expected = {"trigger"} if result.events else set()
        expected |= {"actor"} if result.actors else set()
        expected |= {"place"} if result.places else set()
        expected |= {"date"} if result.dates else set()
        expected |= {"quote"} if result.quotes else set()
        expected |= {"frame"} if result.frames else set()
        assert expected <= marked, (doc_id, expected - marked)
        assert 'id="legend"' in html


HOSTILE = (XSS_SCRIPT, XSS_IMG, "<a href=\"javascript:", "<script>alert", "<img")


def test_hostile_text_is_escaped_in_every_page(client: Any, web_store: dict[str, Any]) -> None:
    hostile_docs = ["xss-4", CRAFTED_ID]
    pages = [f"/documents/{d}" for d in hostile_docs]
    pages += [f"/events/{e['id']}" for d in hostile_docs
              for e in all_events(client, doc_id=d)["events"]]
    pages += ["/events?limit=200", "/events?actor=militia", "/map", "/network", "/timeline"]
    assert "/events/crafted-event-1" in pages
    for path in pages:
        html = client.get(path).text
        for bad in HOSTILE:
            assert bad not in html, (path, bad)
    doc = client.get("/documents/xss-4").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "&lt;img src=x onerror=alert(1)&gt;" in doc
    assert 'href="javascript' not in doc  # the javascript: url is shown as text only
    # the JSON API returns the text as data, unchanged
    assert XSS_SCRIPT in client.get("/api/documents/xss-4").json()["document"]["text"]


@pytest.mark.parametrize("path", [
    "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%2e%2e%2f%2e%2e%2fetc/passwd",
    "/static/..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd", "/static/%252e%252e/app.py",
    "/static/..\\app.py", "/static/%5c..%5capp.py", "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
])
def test_static_path_traversal_is_refused(client: Any, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404, (path, r.status_code)
    assert "root:" not in r.text and "create_app" not in r.text
    assert client.get("/static/style.css").status_code == 200


def test_new_segments_appear_without_restart(tmp_path: Path, pipeline: Pipeline) -> None:
    from fastapi.testclient import TestClient

    from dragoman.web import create_app

    root = tmp_path / "store"
    first = [Article(id="r-1", published="2017-05-01", text=(
        "Cairo, Agency- Egyptian President Abdel Fattah el-Sisi met Saudi King Salman in "
        "Riyadh on Monday and the two leaders signed an agreement."))]
    write_store(root, pipeline, first, run_id="run-a")
    with TestClient(create_app(root), raise_server_exceptions=False) as c:
        before = c.get("/api/summary").json()["counts"]["documents"]
        assert before == 1
        second = [Article(id="r-2", published="2017-05-02", text=(
            "Kyiv, Agency- Russian forces shelled the city on Tuesday and Ukraine accused "
            "Moscow of attacking civilians."))]
        results = write_store(root, pipeline, second, run_id="run-b")  # a second run, same store
        after = c.get("/api/summary").json()["counts"]
        assert after["documents"] == 2
        assert c.get("/api/documents/r-2").status_code == 200
        assert c.get("/api/events", params={"doc_id": "r-2"}).json()["total"] == len(
            results[0].events)
        assert c.get("/documents/r-2").status_code == 200


def test_event_links_to_its_sentence_in_the_document(client: Any) -> None:
    for event in all_events(client)["events"]:
        start = event["sentence"]["start"]
        html = client.get(f"/documents/{event['doc_id']}").text
        assert f'id="s{start}"' in html, event["id"]


def test_create_app_refuses_a_missing_store(tmp_path: Path) -> None:
    from dragoman.errors import StoreError
    from dragoman.web import create_app

    with pytest.raises(StoreError):
        create_app(tmp_path / "nowhere")
    assert not (tmp_path / "nowhere").exists()  # read-only: nothing was created
