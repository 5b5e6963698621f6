"""The dashboard's questions over a store with vague dates, sectors, pronouns and accents.

Every assertion is about behaviour on the data (an interval meets a range, a pronoun is no
node), with and without the in-memory event index.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dragoman.errors import QueryError
from dragoman.query import (
    EventQuery,
    QuoteQuery,
    count_events,
    date_interval,
    fold,
    locations,
    network,
    query_events,
    quote_page,
    quote_speakers,
)
from dragoman.query.api import pronoun_words
from dragoman.store import Store
from dragoman.store.duck import Reader
from dragoman.types import (
    ActorRef,
    Document,
    Event,
    PlaceRef,
    Quote,
    Result,
    SentenceRef,
    Span,
)

ARMY = ActorRef("the army", 0, 8, "Syria", "SYR", "MIL", "Q-syr", "country")
REBELS = ActorRef("rebels", 0, 6, "Syria", "SYR", "REB", None, "group")
GOVT = ActorRef("Damascus", 0, 8, "Syria", "SYR", "GOV", "Q-syr", "country")
LAVROV = ActorRef("Lavrov", 0, 6, "Sergey Lavrov", "RUS", "GOV", "Q-lavrov", "person")
THEY = ActorRef("they", 0, 4, None, None, None, None, "pronoun")
WE = ActorRef("us", 0, 2, "us", None, None, None, "pronoun")
AIRSTRIKES = ActorRef("Airstrikes", 0, 10, None, None, None, None, None)
DUMA = PlaceRef("Dūmā", 0, 4, 170654, "Dūmā", "SYR", 33.57, 36.40)
ALEPPO = PlaceRef("Aleppo", 0, 6, 170063, "Aleppo", "SYR", 36.20, 37.16)
SARMIN = PlaceRef("Sarmin", 0, 6, 163345, "Sarmīn", "SYR", 35.90, 36.72)

# (id, date, type, quad, actors, recipients, place)
EVENTS = [
    ("d-1230", "2017-12-30", "ASSAULT", 4, (ARMY,), (REBELS,), ALEPPO),
    ("d-1231", "2017-12-31", "ASSAULT", 4, (ARMY,), (REBELS,), DUMA),
    ("d-0101", "2018-01-01", "CONSULT", 1, (LAVROV,), (GOVT,), None),
    ("d-0102", "2018-01-02", "ASSAULT", 4, (REBELS,), (ARMY,), SARMIN),
    ("w-48", "2017-W48", "ASSAULT", 4, (ARMY,), (REBELS,), ALEPPO),  # 27 Nov - 3 Dec
    ("w-52", "2017-W52", "ASSAULT", 4, (THEY,), (WE,), ALEPPO),  # 25 - 31 Dec
    ("m-12", "2017-12", "PROTEST", 3, (AIRSTRIKES,), (GOVT,), DUMA),
    ("y-17", "2017", "ACCUSE", 3, (LAVROV,), (REBELS,), None),
    ("d-1202", "2017-12-02", "AGREE", 1, (LAVROV,), (GOVT,), ALEPPO),
    ("none", "PRESENT_REF", "AID", 2, (GOVT,), (THEY,), None),
]


def _event(row: tuple) -> Event:
    eid, date, typ, quad, actors, recips, place = row
    text = f"Sentence of {eid} in {place.text if place else 'nowhere'}."
    return Event(
        id=eid, doc_id="doc", run_id="r1", sentence=SentenceRef(0, 0, len(text), text),
        event_type=typ, mode=None, context=(), cameo=None, quad_class=quad, goldstein=None,
        trigger=Span(0, 8, text[:8]), actor=actors, recipient=recips, negated=False,
        modality="asserted", attributed_to=None, location=place, date=date,
        date_basis="text", confidence=0.5, extractor="test/1",
    )


def _quote(qid: str, speaker: ActorRef | None, start: int, text: str) -> Quote:
    return Quote(id=qid, doc_id="doc", kind="direct", speaker=speaker, cue=None,
                 content=Span(start, start + len(text), text))


DOC_TEXT = ("Lavrov said: " + "“We will not allow provocations in Dūmā.”" + " Later the "
            "army said: " + "“The rebels shelled Aleppo.”" + " Nobody signed.")


@pytest.fixture(scope="module")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dash") / "store"
    store = Store.open(root, create=True)
    q1 = DOC_TEXT.index("“We")
    q2 = DOC_TEXT.index("“The")
    quotes = (
        _quote("q1", LAVROV, q1, "“We will not allow provocations in Dūmā.”"),
        _quote("q2", ARMY, q2, "“The rebels shelled Aleppo.”"),
    )
    doc = Document(doc_id="doc", text=DOC_TEXT, title="Title", published="2018-01-03",
                   source="test", url=None, content_hash="h", dateline=None, run_id="r1")
    with store.writer("r1") as w:
        w.begin_run({"model": "test"})
        w.add(Result(document=doc, events=tuple(_event(r) for r in EVENTS), quotes=quotes))
        w.finish_run({"processed": 1})
    return root


@pytest.fixture(params=["indexed", "parquet"])
def store(request: pytest.FixtureRequest, store_root: Path) -> Store:
    s = Store.open(store_root)
    s._reader = Reader(s, memory_events=10**9 if request.param == "indexed" else 0)
    assert s.reader().indexed == (request.param == "indexed")
    return s


def ids(q: EventQuery, store: Store) -> list[str]:
    return [e["id"] for e in query_events(store, q)]


def _meets(date: str, lo: str, hi: str, within: bool) -> bool:
    interval = date_interval(date)
    if interval is None:
        return False
    a, b = (x.isoformat() for x in interval)
    return lo <= a and b <= hi if within else a <= hi and b >= lo


@pytest.mark.parametrize(("since", "until"), [
    ("2017-12-31", "2018-01-01"), ("2017-12-01", "2017-12-31"), ("2017-11-27", "2017-12-03"),
    ("2017-01-01", "2017-12-31"), ("2017-12-25", "2018-01-02"),
])
@pytest.mark.parametrize("match", ["within", "overlap"])
def test_date_filter_by_interval(store: Store, since: str, until: str, match: str) -> None:
    got = set(ids(EventQuery(since=since, until=until, date_match=match, limit=100), store))
    expected = {r[0] for r in EVENTS if _meets(r[1], since, until, match == "within")}
    assert got == expected
    assert count_events(store, EventQuery(since=since, until=until, date_match=match)) == \
        len(expected)


def test_new_year_filter_returns_only_those_days(store: Store) -> None:
    got = ids(EventQuery(since="2017-12-31", until="2018-01-01"), store)
    assert sorted(got) == ["d-0101", "d-1231"]
    # a vaguer date that overlaps is included on request only
    overlap = ids(EventQuery(since="2017-12-31", until="2018-01-01", date_match="overlap"),
                  store)
    assert {"w-52", "m-12", "y-17"} <= set(overlap) and "w-48" not in overlap


def test_sorting_by_date_puts_a_week_at_its_monday(store: Store) -> None:
    order = ids(EventQuery(order="date", limit=100), store)
    # 2017 (1 Jan) < 2017-W48 (27 Nov) < 2017-12 (1 Dec) < 2017-12-02 < 2017-12-30
    assert order.index("y-17") < order.index("w-48") < order.index("m-12") \
        < order.index("d-1202") < order.index("d-1230")
    assert order[-1] == "none"  # no interval: last
    desc = ids(EventQuery(order="-date", limit=100), store)
    assert desc[:2] == ["d-0102", "d-0101"] and desc[-1] == "none"


def test_week_and_month_filter_values(store: Store) -> None:
    assert set(ids(EventQuery(since="2017-W48", until="2017-W48"), store)) == {"w-48",
                                                                               "d-1202"}
    assert "m-12" in ids(EventQuery(since="2017-12", until="2017-12"), store)
    with pytest.raises(QueryError, match="date_match"):
        EventQuery(date_match="near").validate()


def test_accents_are_ignored_in_place_and_actor(store: Store) -> None:
    assert fold("Dūmā") == "duma"
    assert set(ids(EventQuery(place="Duma"), store)) == {"d-1231", "m-12"}
    assert ids(EventQuery(place="duma"), store) == ids(EventQuery(place="DŪMĀ"), store)
    assert set(ids(EventQuery(place="sarmin"), store)) == {"d-0102"}
    assert "d-0101" in ids(EventQuery(actor="LÁVROV"), store)


def test_sector_filter_is_per_actor(store: Store) -> None:
    reb = set(ids(EventQuery(country="SYR", sector="REB", limit=100), store))
    assert reb == {r[0] for r in EVENTS
                   if any(a.sector == "REB" and a.country == "SYR" for a in r[4] + r[5])}
    assert "d-0101" not in reb
    assert set(ids(EventQuery(sector="GOV", limit=100), store)) == {
        r[0] for r in EVENTS if any(a.sector == "GOV" for a in r[4] + r[5])}


def test_geonameid_filter_is_that_place_only(store: Store) -> None:
    got = ids(EventQuery(geonameid=ALEPPO.geonameid, limit=100), store)
    assert got and all(r[6] is ALEPPO for r in EVENTS if r[0] in got)
    loc = {x["name"]: x for x in locations(store, EventQuery())}
    assert sum(loc["Aleppo"]["quads"]) == loc["Aleppo"]["n"] == len(got)


def test_network_by_sector_shows_pairs_within_a_country(store: Store) -> None:
    net = network(store, EventQuery(), by="sector")
    edges = {(e["source"], e["target"]): e["n"] for e in net["edges"]}
    assert edges[("SYR MIL", "SYR REB")] == 3  # d-1230, d-1231, w-48
    assert edges[("SYR REB", "SYR MIL")] == 1
    assert ("RUS GOV", "SYR GOV") in edges
    by_actor = network(store, EventQuery(), by="actor")
    assert {(e["source"], e["target"]) for e in by_actor["edges"]} >= {("Syria", "Syria")}
    assert by_actor["pairs"][0]["n"] >= by_actor["pairs"][-1]["n"]


def test_pronouns_and_non_actors_are_never_nodes(store: Store) -> None:
    words = set(pronoun_words())
    assert {"they", "us", "we", "it", "he"} <= words
    for by in ("actor", "sector"):
        net = network(store, EventQuery(), by=by, nodes=100)
        names = {n["id"] for n in net["nodes"]} | {p["source"] for p in net["pairs"]} \
            | {p["target"] for p in net["pairs"]}
        assert not names & {"they", "us", "Airstrikes", None}
        assert not {n.lower() for n in names} & words


def test_network_node_count(store: Store) -> None:
    net = network(store, EventQuery(), by="actor", nodes=1)
    assert [n["id"] for n in net["nodes"]] == ["Syria"]
    assert all(e["source"] == e["target"] == "Syria" for e in net["edges"])
    with pytest.raises(QueryError):
        network(store, EventQuery(), by="country")


def test_quotes_by_speaker_country_sector_text(store: Store) -> None:
    rows, total = quote_page(store, QuoteQuery(speaker="lavrov"))
    assert total == 1 and rows[0]["speaker"]["name"] == "Sergey Lavrov"
    # the quote comes with the text around it and its document
    assert rows[0]["_before"].endswith("Lavrov said: ")
    assert rows[0]["_after"].startswith(" Later the army")
    assert rows[0]["_doc"]["title"] == "Title"
    assert [r["id"] for r in quote_page(store, QuoteQuery(country="SYR"))[0]] == ["q2"]
    assert [r["id"] for r in quote_page(store, QuoteQuery(sector="GOV"))[0]] == ["q1"]
    assert [r["id"] for r in quote_page(store, QuoteQuery(text="duma"))[0]] == ["q1"]
    assert quote_page(store, QuoteQuery(speaker="nobody"))[1] == 0
    counts = quote_speakers(store, QuoteQuery())
    assert {(c["name"], c["n"]) for c in counts} == {("Sergey Lavrov", 1), ("Syria", 1)}
    with pytest.raises(QueryError):
        QuoteQuery(country="ru").validate()


def test_network_with_a_filter(store: Store) -> None:
    for by in ("sector", "actor"):
        net = network(store, EventQuery(types=("ASSAULT",), place="aleppo"), by=by)
        pairs = {(e["source"], e["target"]): e["n"] for e in net["pairs"]}
        if by == "sector":
            assert pairs == {("SYR MIL", "SYR REB"): 2}  # d-1230 and w-48; w-52 has pronouns
        else:
            assert pairs == {("Syria", "Syria"): 2}


def test_quote_table_follows_new_segments(store_root: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(store_root, root)
    store = Store.open(root)
    assert store.reader().indexed
    assert quote_page(store, QuoteQuery(speaker="lavrov"))[1] == 1
    doc = Document(doc_id="doc2", text="Lavrov said: “No.”", title="Later",
                   published="2018-02-01", source="test", url=None, content_hash="h2",
                   dateline=None, run_id="r2")
    with store.writer("r2") as w:
        quote = Quote(id="q3", doc_id="doc2", kind="direct", speaker=LAVROV, cue=None,
                      content=Span(13, 18, "“No.”"))
        w.add(Result(document=doc, quotes=(quote,)))
    rows, total = quote_page(store, QuoteQuery(speaker="lavrov"))
    assert total == 2 and rows[0]["id"] == "q3"  # the newest document first
    assert rows[0]["_before"] == "Lavrov said: "
