"""The dashboard in a real browser: Playwright driving Debian's Chromium.

A uvicorn server (fixture ``live_server``) serves the test store on loopback. Screenshots
go to ``test-artifacts/web/`` at the repository root.
"""

from __future__ import annotations

import http.client
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from browser_helpers import Watch, assert_no_injected_elements, shot
from web_store_data import CRAFTED_ID

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture()
def page(browser: Any, live_server: str) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watch = Watch(pg, live_server)
    yield pg, watch
    context.close()


def test_events_filter_open_event_and_document(page: tuple[Any, Watch], live_server: str) -> None:
    pg, watch = page
    pg.goto(f"{live_server}/events")
    rows = pg.locator("#events tbody tr")
    total_rows = rows.count()
    assert total_rows >= 2
    shot(pg, "01-events")
    # filter by quad class 4 through the form
    pg.select_option("select[name=quad]", "4")
    pg.click("form.filters button[type=submit]")
    pg.wait_for_url("**/events?*quad=4*")
    quads = pg.locator("#events tbody td .quad").all_inner_texts()
    assert quads and set(quads) == {"4"}
    assert pg.locator("#events tbody tr").count() <= total_rows
    # free-text actor filter down to the crafted event, then open it
    pg.fill("input[name=actor]", "militia")
    pg.click("form.filters button[type=submit]")
    pg.wait_for_url("**actor=militia**")
    assert pg.locator("#events tbody tr").count() == 1
    shot(pg, "02-events-filtered")
    pg.click("#events a.event-link")
    pg.wait_for_url("**/events/crafted-event-1")
    evidence = pg.locator("#evidence")
    assert evidence.locator("mark.a-trigger").inner_text() == "attacked"
    assert "<script>alert(1)</script>" in evidence.locator("mark.a-actor").first.inner_text()
    assert evidence.locator("mark.a-recipient").count() >= 1
    assert evidence.locator("mark.a-place").count() >= 1
    # the highlight is visible: the trigger has a background colour
    bg = evidence.locator("mark.a-trigger").evaluate("e => getComputedStyle(e).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
    assert_no_injected_elements(pg)
    shot(pg, "03-event-detail")
    pg.click("#doc-link")
    pg.wait_for_url(f"**/documents/{CRAFTED_ID}**")
    assert pg.locator("#doctext mark.a-trigger").count() == 1
    assert "<script>alert(1)</script>" in pg.locator("#doc-title").inner_text()
    assert_no_injected_elements(pg)
    watch.check()


def test_every_real_event_page_and_the_hostile_document(page: tuple[Any, Watch],
                                                       live_server: str) -> None:
    pg, watch = page
    pg.goto(f"{live_server}/events?limit=200")
    hrefs = pg.locator("#events a.event-link").evaluate_all("els => els.map(e => e.href)")
    assert len(hrefs) >= 2
    for href in hrefs:
        pg.goto(href)
        assert pg.locator("#evidence mark.a-trigger").count() >= 1, href
        assert_no_injected_elements(pg)
    pg.goto(f"{live_server}/documents/xss-4")
    text = pg.locator("#doctext").inner_text()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
    assert 'href="javascript:alert(1)"' in text
    assert pg.locator(".unsafe-url").inner_text() == "javascript:alert(1)"
    assert_no_injected_elements(pg)
    shot(pg, "04-hostile-document")
    # the legend toggles a kind of annotation off and on
    box = pg.locator("#legend input[data-kind=place]")
    box.uncheck()
    assert "hide-place" in pg.locator("#doctext").get_attribute("class")
    box.check()
    assert "hide-place" not in pg.locator("#doctext").get_attribute("class")
    watch.check()


def test_map_timeline_network(page: tuple[Any, Watch], live_server: str) -> None:
    pg, watch = page
    pg.goto(f"{live_server}/map")
    pg.wait_for_selector(".dm-point, .dm-cluster")
    pg.wait_for_selector("#map path.country")
    assert pg.locator("#map path.country").count() > 150
    api = pg.evaluate("() => fetch('/api/locations').then(r => r.json())")
    assert pg.locator("#locations tbody tr").count() == len(api)
    # every place is inside the fitted view; the crafted event's place (Beirut-ish) is one
    inside = pg.evaluate("""() => { const b = window.dmMap.map.getBounds();
        return window.dmMap.cluster.getLayers().map(m => b.contains(m.getLatLng())); }""")
    assert inside and all(inside)
    assert any(abs(x["lat"] - 33.89) < 0.01 and abs(x["lon"] - 35.5) < 0.01 for x in api)
    assert_no_injected_elements(pg)
    shot(pg, "05-map")

    pg.goto(f"{live_server}/timeline")
    pg.wait_for_selector("#timeline-svg rect.bar")
    total = float(pg.evaluate(
        "() => [...document.querySelectorAll('#timeline-svg rect.bar')]"
        ".reduce((s, r) => s + Number(r.dataset.n), 0)"))
    outside = int(pg.locator("#timeline").get_attribute("data-outside"))
    vague = int(pg.locator("#timeline").get_attribute("data-vague"))
    api = pg.evaluate("() => fetch('/api/timeline').then(r => r.json())")
    # what is drawn, outside the range and too vague to draw adds up to every dated event
    assert abs(total + outside + vague - sum(p["n"] for p in api)) < 0.01
    shot(pg, "06-timeline")

    pg.goto(f"{live_server}/network")
    pg.wait_for_selector("#network g.node")
    api = pg.evaluate("() => fetch('/api/network?by=actor&nodes=25').then(r => r.json())")
    assert pg.locator("#network path.edge").count() == len(api["edges"])
    assert pg.locator("#network g.node").count() == len(api["nodes"])
    assert pg.locator("#pairs tbody tr").count() == len(api["pairs"])
    assert pg.locator("#network path.edge.conflict").count() >= 1
    # the crafted actor's name is shown as text, not markup
    labels = pg.locator("#network g.node text").all_text_contents()
    assert any("<script>alert(1)</script>" in t for t in labels)
    assert_no_injected_elements(pg)
    shot(pg, "07-network")
    # filtered network: only conflict
    pg.goto(f"{live_server}/network?quad=3&quad=4")
    pg.wait_for_selector("#network-status:not(:empty)")
    assert pg.locator("#network path.edge.coop").count() == 0
    watch.check()


def test_bad_filter_shows_an_error_page(page: tuple[Any, Watch], live_server: str) -> None:
    pg, watch = page
    response = pg.goto(f"{live_server}/events?since=2017-02-30")
    assert response is not None and response.status == 400
    assert "not a valid date" in pg.locator(".error .message").inner_text()
    assert watch.dialogs == [] and watch.foreign == []


@pytest.mark.parametrize("raw", [
    "/static/../../etc/passwd", "/static/../app.py", "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2f..%2fetc%2fpasswd", "/static/..%5c..%5cetc%5cpasswd",
    "/static/%2e%2e%2fapp.py", "/static/....//....//etc/passwd",
])
def test_raw_traversal_requests(live_server: str, raw: str) -> None:
    """Literal, unnormalised request lines sent over a socket (browsers would normalise)."""
    host = urllib.parse.urlsplit(live_server)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    conn.putrequest("GET", raw, skip_host=True)
    conn.putheader("Host", "127.0.0.1")
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read().decode("utf-8", "replace")
    conn.close()
    assert resp.status in (400, 404), (raw, resp.status)
    assert "root:" not in body and "def create_app" not in body


def test_dns_rebinding_host_is_refused(live_server: str) -> None:
    host = urllib.parse.urlsplit(live_server)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    conn.request("GET", "/api/summary", headers={"Host": "evil.example"})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    assert resp.status == 400
