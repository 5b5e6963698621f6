"""The dashboard's incidents (issue 17 point 6, issue 15 point 4): the JSON API and, in
Chromium, what an analyst sees.

The store is built by the real ``Pipeline`` from the bundled samples
(``dragoman.ingest.sample_paths()``). Two of its incidents, from two outlets, are given one
``cluster_id`` by hand before writing (cross-document clustering is another stage's job), so
the clusters view is exercised whatever that stage does. Assertions compare the pages with
the query functions' answers, plus the one figure the samples state plainly: "killed at
least 27 people ..., the health ministry said" (the Tripoli dispatch).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import Watch, assert_no_injected_elements, serving, shot

from dragoman import Pipeline
from dragoman.ingest import read_inputs, sample_paths
from dragoman.query.incident_views import get_incident
from dragoman.query.incidents import IncidentQuery, count_incidents, query_incidents
from dragoman.store import Store
from dragoman.types import Result

CLUSTER = "cluster-by-hand"


def _killed(result: Result) -> int:
    best = 0
    for inc in result.incidents:
        for cat in ("total", "civilians"):
            count = getattr(inc.casualties.killed, cat)
            if count is not None and count.low:
                best = max(best, count.low)
    return best


@pytest.fixture(scope="module")
def inc_store(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> dict[str, Any]:
    articles = list(read_inputs([str(p) for p in sample_paths()]))
    results = list(pipeline.process(articles))
    # the two documents with the largest killed figures, from different outlets, one cluster
    ranked = sorted((r for r in results if _killed(r)), key=_killed, reverse=True)
    pair = [ranked[0], next(r for r in ranked[1:]
                            if r.document.source != ranked[0].document.source)]
    chosen: dict[str, str] = {}
    out: list[Result] = []
    for r in results:
        if r in pair:
            main = max(r.incidents, key=lambda i: _killed(dataclasses.replace(r, incidents=(i,))))
            chosen[r.document.doc_id] = main.id
            r = dataclasses.replace(r, incidents=tuple(
                dataclasses.replace(i, cluster_id=CLUSTER) if i is main else i
                for i in r.incidents))
        out.append(r)
    root = tmp_path_factory.mktemp("incweb") / "store"
    store = Store.open(root, create=True)
    with store.writer("inc-web") as writer:
        writer.begin_run({"run_id": "inc-web", "model": pipeline.config.model})
        for r in out:
            writer.add(r)
        writer.finish_run({"processed": len(out)})
    return {"root": root, "store": Store.open(root, create=False), "cluster": chosen,
            "pair": pair}


@pytest.fixture(scope="module")
def inc_client(inc_store: dict[str, Any]) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from dragoman.web import create_app

    with TestClient(create_app(inc_store["root"]), raise_server_exceptions=False) as c:
        yield c


def _tripoli(client: Any) -> dict[str, Any]:
    body = client.get("/api/incidents", params={"order": "killed", "casualties": "1"}).json()
    top = body["incidents"][0]
    assert top["location"]["name"] == "Tripoli"
    return top


def test_api_lists_incidents_with_killed_figure_and_source(inc_client: Any,
                                                           inc_store: dict[str, Any]) -> None:
    store = inc_store["store"]
    r = inc_client.get("/api/incidents", params={"order": "killed", "casualties": "1"})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == count_incidents(store, IncidentQuery(with_casualties=True)) > 0
    ids = [i["id"] for i in body["incidents"]]
    assert ids == [i["id"] for i in query_incidents(
        store, IncidentQuery(with_casualties=True, order="killed"))]
    top = _tripoli(inc_client)
    assert top["killed"] == 27 and top["casualties"]["killed"]["total"]["low"] == 27
    # "fighting between two powerful militias": combat between armed sides is cause other
    assert top["cause"] == "other" and top["location"]["country"] == "LBY"
    assert top["mentions"] == len(top["event_ids"]) >= 1
    assert top["document"]["source"] and top["document"]["published"]
    by_source = {s["source"]: s for s in top["sources"]}
    assert "health ministry" in by_source
    assert [f["count"]["low"] for f in by_source["health ministry"]["killed"]] == [27]
    # one incident, and 404 for an unknown one
    one = inc_client.get(f"/api/incidents/{top['id']}").json()
    assert one["id"] == top["id"] and one["sources"] == top["sources"]
    missing = inc_client.get("/api/incidents/no-such-incident")
    assert missing.status_code == 404 and "no incident" in missing.json()["error"]


def test_api_filters_and_bad_input(inc_client: Any, inc_store: dict[str, Any]) -> None:
    rows = inc_client.get("/api/incidents", params={"place": "tripoli", "limit": 200}).json()
    assert rows["total"] >= 1
    assert all("tripoli" in " ".join(str(i["location"].get(k) or "") for k in
                                      ("name", "text", "admin1")).lower()
               for i in rows["incidents"])
    # a month and a year as the events filter takes them: first and last day
    month = inc_client.get("/api/incidents", params={"since": "2023-08", "until": "2023"}).json()
    assert month["total"] >= 1
    assert all("2023-08-01" <= i["date"][:10] <= "2023-12-31" for i in month["incidents"])
    # the events filter may carry several types: the first one counts
    two = inc_client.get("/api/incidents?type=ASSAULT&type=PROTEST&limit=200").json()
    assert two["total"] >= 1 and {i["event_type"] for i in two["incidents"]} == {"ASSAULT"}
    killed = inc_client.get("/api/incidents", params={"min_killed": 20}).json()
    assert [i["killed"] for i in killed["incidents"]] and all(
        i["killed"] >= 20 for i in killed["incidents"])
    bad = inc_client.get("/api/incidents", params={"cause": "bogus"})
    assert bad.status_code == 400 and "cause" in bad.json()["error"]
    neg = inc_client.get("/api/incidents", params={"min_killed": -1})
    assert neg.status_code == 422 and "min_killed" in neg.json()["error"]
    page = inc_client.get("/incidents", params={"type": "NOPE"})
    assert page.status_code == 400 and "text/html" in page.headers["content-type"]


def test_api_clusters_show_sources_and_disagreement(inc_client: Any,
                                                    inc_store: dict[str, Any]) -> None:
    body = inc_client.get("/api/incidents/clusters").json()
    assert body["total"] == 1
    (c,) = body["clusters"]
    pair = inc_store["pair"]
    assert c["cluster_id"] == CLUSTER and c["documents"] == 2 and c["incidents"] == 2
    assert c["sources"] == sorted(r.document.source for r in pair)
    assert c["first_report"] == min(r.document.published for r in pair)
    assert c["last_report"] == max(r.document.published for r in pair)
    killed = sorted(rep["killed"] for rep in c["reports"])
    assert (c["killed_low"], c["killed_high"]) == (killed[0], killed[-1])
    assert "killed" in c["disagree"] and killed[0] != killed[-1]
    assert {rep["id"] for rep in c["reports"]} == set(inc_store["cluster"].values())
    # a filter that leaves out both members leaves out the cluster
    none = inc_client.get("/api/incidents/clusters", params={"cause": "chemical"}).json()
    assert none == {"total": 0, "limit": 50, "offset": 0, "clusters": []}


def test_api_locations_sized_by_killed(inc_client: Any, inc_store: dict[str, Any]) -> None:
    rows = inc_client.get("/api/incidents/locations").json()
    assert rows and rows == sorted(rows, key=lambda r: (-r["killed"], -r["n"]))
    tripoli = next(r for r in rows if r["name"] == "Tripoli")
    assert tripoli["killed"] >= 27 and tripoli["country"] == "LBY"
    total = sum(r["n"] for r in rows)
    located = [i for i in query_incidents(inc_store["store"], IncidentQuery(limit=10_000))
               if i["location"] and i["location"]["lat"] is not None]
    assert total == len(located)


def test_events_say_which_incident(inc_client: Any, inc_store: dict[str, Any]) -> None:
    top = _tripoli(inc_client)
    for eid in top["event_ids"]:
        assert inc_client.get(f"/api/events/{eid}").json()["incident_id"] == top["id"]
        page = inc_client.get(f"/events/{eid}").text
        assert f'href="/incidents/{top["id"]}"' in page
    listing = inc_client.get("/events", params={"doc_id": top["doc_id"]}).text
    assert f'class="incident-of" href="/incidents/{top["id"]}"' in listing
    incident = get_incident(inc_store["store"], top["id"])
    assert incident is not None and incident["doc_id"] == top["doc_id"]


# -- in Chromium ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def inc_server(inc_store: dict[str, Any]) -> Iterator[str]:
    with serving(Path(inc_store["root"])) as (url, _):
        yield url


@pytest.fixture()
def page(browser: Any, inc_server: str) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watch = Watch(pg, inc_server)
    yield pg, watch
    context.close()


@pytest.mark.browser
def test_analyst_finds_the_deadliest_incident_and_its_evidence(page: tuple[Any, Watch],
                                                               inc_server: str) -> None:
    pg, watch = page
    pg.goto(f"{inc_server}/events")
    pg.click("#tabs a[data-tab=incidents]")
    pg.wait_for_url("**/incidents**")
    pg.check("#filters input[name=casualties]")
    pg.select_option("#filters select[name=order]", "killed")
    with pg.expect_navigation():
        pg.click("#filters button[type=submit]")
    first = pg.locator("#incidents tbody tr").first
    assert "Tripoli" in first.locator("td[data-label=Location]").inner_text()
    killed = first.locator("td.killed").inner_text()
    assert "≥27" in killed and "health ministry" in killed
    src = first.locator("ul.by-source li[data-source='health ministry']").inner_text()
    assert "≥27 killed" in src and "≥100 injured" in src
    assert "1 document" in first.inner_text()
    assert_no_injected_elements(pg)
    shot(pg, "incidents-01-list")
    first.locator("a.doc-link").click()
    pg.wait_for_url("**/documents/**incident=**")
    focus = pg.locator("#doctext mark.a-focus")
    assert focus.count() >= 1
    assert "killed at least 27 people" in "".join(focus.all_inner_texts())
    figure = pg.locator("#doctext mark.a-casualty").first
    assert "at least 27 people" in "".join(
        pg.locator("#doctext mark.a-casualty").all_inner_texts())
    assert "health ministry" in (figure.get_attribute("title") or "")
    assert focus.first.evaluate("""e => { const r = e.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight; }""")
    shot(pg, "incidents-02-document")
    watch.check()


@pytest.mark.browser
def test_filter_follows_to_incidents_and_event_links_to_incident(page: tuple[Any, Watch],
                                                                 inc_server: str) -> None:
    pg, watch = page
    pg.goto(f"{inc_server}/events?type=ASSAULT&place=tripoli")
    pg.click("#tabs a[data-tab=incidents]")
    pg.wait_for_url("**/incidents?**")
    assert pg.locator("#filters select[name=type]").input_value() == "ASSAULT"
    assert pg.locator("#filters input[name=place]").input_value() == "tripoli"
    rows = pg.locator("#incidents tbody tr")
    assert rows.count() >= 1
    for text in rows.locator("td[data-label=Location]").all_inner_texts():
        assert "Tripoli" in text
    # from an event to the incident it belongs to
    pg.goto(f"{inc_server}/events?type=ASSAULT&place=tripoli")
    pg.locator("#events a.incident-of").first.click()
    pg.wait_for_url("**/incidents/**")
    assert "≥27" in pg.locator("dd.killed").inner_text()
    assert pg.locator("#incident-events li a").count() >= 1
    # clusters: the hand-made cluster with both outlets and their disagreement
    pg.goto(f"{inc_server}/incidents")
    pg.click("#clusters-tab")
    pg.wait_for_url("**view=clusters**")
    row = pg.locator("#clusters tbody tr")
    assert row.count() == 1
    assert "2 incidents in 2 documents" in row.inner_text()
    assert pg.locator("#clusters span.disagree").first.inner_text() == "killed"
    assert row.locator("ul.by-source li").count() == 2
    shot(pg, "incidents-03-clusters")
    watch.check()


@pytest.mark.browser
def test_map_switches_to_incidents_sized_by_killed(page: tuple[Any, Watch],
                                                   inc_server: str) -> None:
    pg, watch = page
    pg.goto(f"{inc_server}/map?layer=incidents")
    pg.wait_for_selector(".dm-incident")
    api = pg.evaluate("() => fetch('/api/incidents/locations').then(r => r.json())")
    assert pg.locator(".dm-incident").count() == len(api)
    biggest = pg.evaluate("""() => [...document.querySelectorAll('.dm-incident')]
        .map(e => [e.offsetWidth, e.textContent]).sort((a, b) => b[0] - a[0])[0]""")
    assert biggest[1] == str(api[0]["killed"])
    # the switch: back to the events layer
    pg.locator(".leaflet-control-layers label", has_text="Events").click()
    pg.wait_for_selector(".dm-point, .dm-cluster")
    assert pg.locator(".dm-incident").count() == 0
    pg.locator(".leaflet-control-layers label", has_text="Incidents").click()
    pg.locator(".dm-incident").first.click()
    pg.wait_for_selector("a.place-incidents")
    shot(pg, "incidents-04-map")
    watch.check()
