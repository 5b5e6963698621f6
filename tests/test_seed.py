"""The motivating dispatch (a SANA report of Lavrov's press conference with al-Jubeir).

Expectations from the core and event-coder issues: the CONSULT between Adel al-Jubeir (SAU
GOV) and Sergey Lavrov (RUS GOV) located in Moscow, the REQUEST from Lavrov (RUS GOV) to the
OPCW (IGO), nothing coded from the dateline ("Moscow, SANA-") or byline ("Manar/Mazen"), and
every quote resolved to Sergey Lavrov ("He" included).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dragoman import Article, Pipeline, Result

TEXT = (Path(__file__).parent / "golden" / "seed" / "sana-lavrov-2017.txt").read_text("utf-8")
BODY_START = TEXT.index("Russian Foreign")
BYLINE_START = TEXT.rindex("Manar/Mazen")


@pytest.fixture(scope="module")
def seed(pipeline: Pipeline) -> Result:
    return pipeline.process_one(Article(id="sana-en-105044", text=TEXT, source="SANA"))


def _countries(refs) -> set[str | None]:  # type: ignore[no-untyped-def]
    return {r.country for r in refs}


def test_dateline_and_byline_split(seed: Result) -> None:
    dl = seed.document.dateline
    assert dl is not None
    assert dl.place is not None and (dl.place.start, dl.place.text) == (0, "Moscow")
    assert dl.agency is not None and dl.agency.text == "SANA"
    assert dl.body.start == BODY_START
    assert dl.byline is not None and dl.byline.text == "Manar/Mazen"
    assert dl.body.end <= BYLINE_START


def test_consult_between_jubeir_and_lavrov_in_moscow(seed: Result) -> None:
    consults = [e for e in seed.events if e.event_type == "CONSULT"]
    assert consults, [(e.event_type, e.trigger.text) for e in seed.events]
    e = consults[0]
    parties = {(r.name, r.country, r.sector) for r in (*e.actor, *e.recipient)}
    assert ("Adel al-Jubeir", "SAU", "GOV") in parties
    assert ("Sergey Lavrov", "RUS", "GOV") in parties
    assert e.location is not None and e.location.geonameid == 524901


def test_request_from_lavrov_to_opcw(seed: Result) -> None:
    requests = [e for e in seed.events if e.event_type == "REQUEST"]
    assert requests
    e = requests[0]
    assert {(r.name, r.country, r.sector) for r in e.actor} == {("Sergey Lavrov", "RUS", "GOV")}
    assert "IGO" in _countries(e.recipient)
    assert any("Chemical Weapons" in r.text or r.text == "OPCW" for r in e.recipient)


def test_every_quote_is_lavrovs(seed: Result) -> None:
    # the seed's six gold quotes (two direct, four indirect) are all Lavrov's, two of them
    # through "He": every quote must carry the resolved name, not only the mention
    assert len(seed.quotes) >= 6
    assert {q.kind for q in seed.quotes} == {"direct", "indirect"}
    speakers = [(q.speaker.text, q.speaker.name) if q.speaker else None for q in seed.quotes]
    assert all(s is not None and s[1] == "Sergey Lavrov" for s in speakers), speakers
    assert ("He", "Sergey Lavrov") in speakers


def test_nothing_coded_from_dateline_or_byline(seed: Result) -> None:
    for e in seed.events:
        spans = [e.trigger, *e.actor, *e.recipient]
        assert all(BODY_START <= s.start and s.end <= BYLINE_START for s in spans), e
    for q in seed.quotes:
        assert BODY_START <= q.content.start and q.content.end <= BYLINE_START
    for a in seed.actors:
        assert BODY_START <= a.start and a.end <= BYLINE_START, a


def test_every_span_matches_the_text(seed: Result) -> None:
    spans = []
    for e in seed.events:
        spans += [e.trigger, *e.actor, *e.recipient]
        assert TEXT[e.sentence.start:e.sentence.end] == e.sentence.text
    for q in seed.quotes:
        spans += [q.content] + ([q.cue] if q.cue else [])
    spans += list(seed.places) + list(seed.dates) + list(seed.actors)
    for s in spans:
        assert TEXT[s.start:s.end] == s.text, s
