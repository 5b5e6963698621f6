"""The four questions of issue 17, asked in Chromium of a store of 804 Syria articles.

The store is built by ``dragoman run --workers 2`` from ``../shared/corpus/fakes.jsonl``
(fixture ``fakes_store``). Every assertion compares what the page shows with what the
data says (the API, the query functions), never with today's counts, so the tests hold
when the extractors change. Screenshots go to ``test-artifacts/web/questions-*.png``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_helpers import Watch, assert_no_injected_elements, shot

from dragoman.query import date_interval, fold
from dragoman.query.api import pronoun_words

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture()
def page(browser: Any, fakes_server: str) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    watch = Watch(pg, fakes_server)
    yield pg, watch
    context.close()


def api(pg: Any, path: str) -> Any:
    return pg.evaluate("p => fetch(p).then(r => r.json())", path)


def apply(pg: Any, form: str = "#filters") -> None:
    with pg.expect_navigation():
        pg.click(f"{form} button[type=submit]")


def test_who_attacked_whom_in_aleppo_in_april_2017(page: tuple[Any, Watch],
                                                    fakes_server: str) -> None:
    pg, watch = page
    pg.goto(f"{fakes_server}/events")
    pg.select_option("#filters select[name=type]", "ASSAULT")
    pg.fill("#filters input[name=place]", "aleppo")
    pg.fill("#filters input[name=since]", "2017-04-01")
    pg.fill("#filters input[name=until]", "2017-04-30")
    apply(pg)
    rows = pg.locator("#events tbody tr")
    assert rows.count() >= 1
    data = api(pg, "/api/events?type=ASSAULT&place=aleppo&since=2017-04-01&until=2017-04-30"
                   "&limit=200")
    assert rows.count() == min(len(data["events"]), 50)
    for e in data["events"]:
        lo, hi = date_interval(e["date"])  # type: ignore[misc]
        assert dt.date(2017, 4, 1) <= lo and hi <= dt.date(2017, 4, 30)  # only April
        assert "aleppo" in fold(e["location"]["name"] + e["location"]["text"])
    # actors read as an analyst reads them: country and sector beside the name
    for e, row in zip(data["events"], rows.all(), strict=False):
        shown = row.locator("td.who small.cs").all_inner_texts()
        expected = [" ".join(x for x in (a["country"], a["sector"]) if x)
                    for a in e["actor"] + e["recipient"] if a["country"] or a["sector"]]
        assert shown == expected
    shot(pg, "questions-1-aleppo-april-2017")
    watch.check()


def test_what_did_lavrov_say(page: tuple[Any, Watch], fakes_server: str) -> None:
    pg, watch = page
    pg.goto(f"{fakes_server}/events")
    pg.click("#tabs a[data-tab=quotes]")
    pg.fill("#quote-filters input[name=speaker]", "Lavrov")
    apply(pg, "#quote-filters")
    cards = pg.locator("#quotes li.quote-card")
    data = api(pg, "/api/quotes?speaker=Lavrov&limit=200")
    assert data["total"] >= 1 and cards.count() == min(data["total"], 50)
    for card, q in zip(cards.all(), data["quotes"], strict=False):
        assert "lavrov" in fold(card.locator(".speaker").inner_text() + q["speaker"]["text"])
        # listed with its sentence: the quote marked inside the text around it
        assert card.locator(".in-context mark.a-quote").inner_text() == q["content"]["text"]
        assert len(card.locator(".in-context").inner_text()) > len(q["content"]["text"])
    counts = pg.locator("#speakers tbody tr").all_inner_texts()
    assert sum(int(c.split()[-1]) for c in counts) == data["total"]
    shot(pg, "questions-2-lavrov-quotes")
    # the export of what is on screen, named after the filter
    with pg.expect_download() as info:
        pg.click("a.quote-export:text('CSV')")
    download = info.value
    assert download.suggested_filename == "dragoman-quotes-speaker-lavrov.csv"
    with open(download.path(), encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == data["total"]
    # each quote opens its place in the document, highlighted and in view
    first = data["quotes"][0]
    pg.locator("#quotes a.in-doc").first.click()
    pg.wait_for_url(f"**/documents/**quote={first['id']}**")
    focus = pg.locator("#doctext mark.a-focus")
    assert "".join(focus.all_inner_texts()) == first["content"]["text"]
    pg.wait_for_function("() => { const r = document.querySelector('#doctext mark.a-focus')"
                         ".getBoundingClientRect(); return r.top > 40 && r.bottom < innerHeight; }")
    shot(pg, "questions-2-lavrov-in-document")
    pg.click("#back")
    pg.wait_for_url("**/quotes?speaker=Lavrov**")
    watch.check()


def test_how_did_conflict_evolve(page: tuple[Any, Watch], fakes_server: str) -> None:
    pg, watch = page
    pg.goto(f"{fakes_server}/timeline?quad=3&quad=4")
    pg.wait_for_selector("#timeline-svg rect.bar")
    rows = api(pg, "/api/timeline?quad=3&quad=4")
    total = sum(r["n"] for r in rows)
    svg = pg.locator("#timeline-svg")
    lo, hi = svg.get_attribute("data-from"), svg.get_attribute("data-to")
    # the default range is the bulk of the data: at most ~2 % of the events fall outside
    outside = sum(r["n"] for r in rows if r["end"] < lo or r["start"] > hi)
    assert outside == int(pg.locator("#timeline").get_attribute("data-outside"))
    assert outside <= 0.03 * total
    assert lo > min(r["start"] for r in rows) or outside == 0
    if outside:
        assert "outside this range" in pg.locator("#timeline-note").inner_text()
    # week-dated events in the range are drawn (spread over their days)
    weeks = [r for r in rows if re.fullmatch(r"\d{4}-W\d{2}", r["date"]) and lo <= r["start"]
             and r["end"] <= hi]
    if weeks:
        assert pg.locator("#timeline-svg rect.bar.spread").count() >= 1
    # calendar ticks: years or month names
    ticks = pg.locator("#timeline-svg text.calendar").all_text_contents()
    assert ticks and all(re.fullmatch(r"\d{4}|[A-Z][a-z]{2}( \d{4})?|\d{1,2}", t) for t in ticks)
    shot(pg, "questions-3-timeline-bulk")
    # the range slider: the whole range, then one year
    pg.click("#range-all")
    pg.wait_for_function("() => document.querySelector('#timeline').dataset.outside === '0'")
    pg.evaluate("""() => { const a = document.getElementById('range-lo'),
                             b = document.getElementById('range-hi');
        a.value = Date.UTC(2016, 0, 1) / 864e5; b.value = Date.UTC(2016, 11, 31) / 864e5;
        a.dispatchEvent(new Event('input')); }""")
    pg.wait_for_function("() => document.querySelector('#timeline-svg').dataset.from"
                         " >= '2015-12'")
    assert pg.locator("#timeline").get_attribute("data-unit") == "week"
    shot(pg, "questions-3-timeline-2016")
    watch.check()


def test_which_actors_interact_most(page: tuple[Any, Watch], fakes_server: str) -> None:
    pg, watch = page
    pg.goto(f"{fakes_server}/network")
    pg.wait_for_selector("#network g.node")
    data = api(pg, "/api/network?by=actor&nodes=25")
    top = data["pairs"][0]
    first = pg.locator("#pairs tbody tr").first.inner_text()
    assert top["source"] in first and top["target"] in first and str(top["n"]) in first
    # the heaviest pair is drawn, with an arrow (a loop when it is within one node)
    edge = pg.locator(f'#network path.edge[data-source="{top["source"]}"]'
                      f'[data-target="{top["target"]}"]')
    assert edge.count() == 1 and edge.get_attribute("marker-end").startswith("url(#arrow-")
    if top["source"] == top["target"]:
        assert "loop" in edge.get_attribute("class")
    # no pronoun and no unresolved mention is a node
    words = set(pronoun_words())
    ids = pg.locator("#network g.node").evaluate_all("gs => gs.map(g => g.dataset.id)")
    assert ids and not {i.lower() for i in ids} & words
    assert set(ids) == {n["id"] for n in data["nodes"]}
    shot(pg, "questions-4-network-actors")
    # by country + sector, fewer nodes
    pg.check("#filters input[name=by][value=sector]")
    pg.evaluate("() => { const n = document.getElementById('nodes'); n.value = 8;"
                " n.dispatchEvent(new Event('input')); }")
    assert pg.locator("#nodes-out").inner_text() == "8"
    apply(pg)
    pg.wait_for_selector("#network g.node")
    ids = pg.locator("#network g.node").evaluate_all("gs => gs.map(g => g.dataset.id)")
    assert 1 <= len(ids) <= 8
    assert all(re.fullmatch(r"[A-Z]{3}( [A-Z]{3})?", i) for i in ids), ids
    assert "by=sector" in pg.url
    shot(pg, "questions-4-network-sectors")
    watch.check()


def test_map_zooms_clusters_and_opens_the_right_place(page: tuple[Any, Watch],
                                                      fakes_server: str) -> None:
    pg, watch = page
    pg.goto(f"{fakes_server}/map")
    pg.wait_for_selector(".dm-cluster")
    assert pg.locator(".leaflet-control-zoom-in").count() == 1
    locs = api(pg, "/api/locations")
    inside = pg.evaluate("""() => { const b = window.dmMap.map.getBounds();
        return window.dmMap.cluster.getLayers().every(m => b.contains(m.getLatLng())); }""")
    assert inside
    for dot in pg.locator(".cluster-dot, .point-dot").all()[:20]:
        assert re.search(r"\bq[0-4]\b", dot.get_attribute("class"))
    shot(pg, "questions-5-map")
    place = locs[0]
    pg.evaluate("""gid => new Promise(done => {
        const m = window.dmMap.cluster.getLayers().find(
            x => x.getPopup().getContent().querySelector('a').dataset.geonameid === String(gid));
        window.dmMap.cluster.zoomToShowLayer(m, () => { m.openPopup(); done(); }); })""",
                place["geonameid"])
    link = pg.locator(".leaflet-popup a.place-events")
    assert f"{place['n']} events" in link.inner_text()
    shot(pg, "questions-5-map-popup")
    link.click()
    pg.wait_for_url(f"**/events?*geonameid={place['geonameid']}*")
    names = pg.locator("#events tbody td[data-label=Location]").all_inner_texts()
    assert names and set(names) == {place["name"]}
    watch.check()


def test_navigation_keeps_the_filter_and_finds_the_evidence(page: tuple[Any, Watch],
                                                            fakes_server: str) -> None:
    pg, watch = page
    pg.goto(f"{fakes_server}/events?quad=4&place=aleppo")
    for tab in ("timeline", "map", "network", "events"):
        pg.click(f"#tabs a[data-tab={tab}]")
        pg.wait_for_url(f"**/{tab}?quad=4&place=aleppo*")
        assert pg.input_value("#filters input[name=place]") == "aleppo"
    results = pg.url
    pg.locator("#events a.event-link").first.click()
    event_id = pg.url.rsplit("/", 1)[1]
    event = api(pg, f"/api/events/{event_id}")
    pg.click("#doc-link")
    pg.wait_for_url(f"**/documents/**event={event_id}**")
    assert "".join(pg.locator("#doctext mark.a-focus").all_inner_texts()) == \
        event["sentence"]["text"]
    pg.wait_for_function("() => { const r = document.querySelector('#doctext mark.a-focus')"
                         ".getBoundingClientRect(); return r.top > 40 && r.bottom < innerHeight; }")
    shot(pg, "questions-6-document-sentence")
    # a trigger in the document opens its event; back to the results from there
    pg.locator("#doctext a.trig-link").first.click()
    pg.wait_for_url("**/events/*")
    assert pg.locator("#evidence mark.a-trigger").count() >= 1
    pg.click("#back")
    pg.wait_for_url(results)
    # the tabs of a page without the form still carry the filter
    pg.goto(f"{fakes_server}/quotes")
    assert "quad=4&place=aleppo" in pg.locator("#tabs a[data-tab=map]").get_attribute("href")
    # accents are optional in place search
    plain = api(pg, "/api/events?place=Duma&limit=1")["total"]
    assert plain >= 1 and plain == api(pg, "/api/events?place=D%C5%AB m%C4%81&limit=1"
                                               .replace(" ", ""))["total"]
    assert_no_injected_elements(pg)
    watch.check()


def test_small_screen_rows_are_cards(browser: Any, fakes_server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    watch = Watch(pg, fakes_server)
    pg.goto(f"{fakes_server}/events?place=aleppo")
    row = pg.locator("#events tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    sentence = row.locator("td.sentence")
    box = sentence.bounding_box()
    assert sentence.is_visible() and box is not None and box["width"] > 300
    assert pg.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1")
    shot(pg, "questions-7-small-screen")
    pg.goto(f"{fakes_server}/quotes?speaker=lavrov")
    assert pg.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1")
    watch.check()
    context.close()
