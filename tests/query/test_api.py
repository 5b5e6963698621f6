"""The query API over a small known store, with and without the in-memory event index."""

from __future__ import annotations

from pathlib import Path

import pytest
import sample_store

from dragoman.errors import QueryError
from dragoman.query import (
    EventQuery,
    count_events,
    get_document,
    get_event,
    iter_table,
    locations,
    network,
    query_events,
    query_quotes,
    summary,
    timeline,
)
from dragoman.store import Store
from dragoman.store.duck import Reader
from dragoman.types import to_dict


@pytest.fixture(scope="module")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("q") / "store"
    sample_store.build(root)
    return root


@pytest.fixture(params=["indexed", "parquet"])
def store(request: pytest.FixtureRequest, store_root: Path) -> Store:
    s = Store.open(store_root)
    s._reader = Reader(s, memory_events=10**9 if request.param == "indexed" else 0)
    assert s.reader().indexed == (request.param == "indexed")
    return s


def ids(rows: list[dict]) -> list[str]:
    return [r["id"] for r in rows]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        (EventQuery(), ["e3", "e1", "e2", "e5", "e4"]),  # by date, undated last
        (EventQuery(order="-date"), ["e5", "e2", "e1", "e3", "e4"]),
        (EventQuery(order="-confidence"), ["e1", "e2", "e4", "e3", "e5"]),
        (EventQuery(order="id"), ["e1", "e2", "e3", "e4", "e5"]),
        (EventQuery(types=("ACCUSE", "ASSAULT")), ["e3", "e4"]),
        (EventQuery(quad_class=(1,)), ["e1", "e5"]),
        (EventQuery(actor="LAVROV"), ["e1", "e2", "e5"]),
        (EventQuery(actor="rebels"), ["e3", "e4"]),  # unresolved: matches its text
        (EventQuery(actor="prohibition"), ["e2"]),  # recipient's canonical name
        (EventQuery(country="SYR"), ["e1", "e5", "e4"]),
        (EventQuery(country="IGO"), ["e2"]),
        (EventQuery(place="idleb"), ["e3"]),  # location text
        (EventQuery(place="IDLIB"), ["e3"]),  # location name
        (EventQuery(since="2017-04-12"), ["e1", "e2", "e5"]),
        (EventQuery(until="2017-04-12"), ["e3", "e1"]),
        (EventQuery(since="2017-04", until="2017-04"), ["e3", "e1", "e2"]),
        (EventQuery(since="2018"), ["e5"]),
        (EventQuery(text="CHEMICAL attack"), ["e2"]),
        (EventQuery(text="ünïcødé ✓"), ["e5"]),
        (EventQuery(text="%"), []),  # no wildcard: a literal substring
        (EventQuery(doc_id="d2"), ["e3", "e4"]),
        (EventQuery(country="RUS", types=("REQUEST",)), ["e2"]),
        (EventQuery(limit=2), ["e3", "e1"]),
        (EventQuery(limit=2, offset=2), ["e2", "e5"]),
        (EventQuery(offset=10), []),
    ],
)
def test_filters(store: Store, q: EventQuery, expected: list[str]) -> None:
    assert ids(query_events(store, q)) == expected
    full = EventQuery(**{**q.__dict__, "limit": 10_000, "offset": 0})
    assert count_events(store, q) == len(query_events(store, full))


def test_contract_shaped(store: Store) -> None:
    by_id = {r[0]: sample_store.event(r) for r in sample_store.ROWS}
    for row in query_events(store, EventQuery(limit=100)):
        assert row == to_dict(by_id[row["id"]])
    assert get_event(store, "e2") == to_dict(by_id["e2"])
    assert get_event(store, "nope") is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 10_001}, "limit"),
        ({"offset": -1}, "offset"),
        ({"since": "2017-13-01"}, "since"),
        ({"since": "yesterday"}, "since"),
        ({"until": "2017-02-30"}, "until"),
        ({"since": "2018-01-01", "until": "2017-01-01"}, "after"),
        ({"order": "sentence"}, "order"),
        ({"order": "date; DROP TABLE events"}, "order"),
        ({"types": ("BOMB",)}, "BOMB"),
        ({"types": ("assault",)}, "assault"),
        ({"quad_class": (5,)}, "quad_class"),
        ({"quad_class": (0,)}, "quad_class"),
        ({"country": "rus"}, "country"),
        ({"country": "RU"}, "country"),
        ({"country": "RUSS"}, "country"),
    ],
)
def test_query_errors(store: Store, kwargs: dict, message: str) -> None:
    q = EventQuery(**kwargs)
    with pytest.raises(QueryError, match=message):
        q.validate()
    with pytest.raises(QueryError):
        query_events(store, q)


def test_parameters_are_bound_not_formatted(store: Store) -> None:
    evil = "x'; DROP VIEW events; --"
    for q in (EventQuery(actor=evil), EventQuery(text=evil), EventQuery(doc_id=evil),
              EventQuery(place=evil)):
        assert query_events(store, q) == []
    assert count_events(store, EventQuery()) == 5


def test_get_document(store: Store) -> None:
    doc = get_document(store, "d1")
    assert doc is not None
    assert set(doc) == {"document", "events", "quotes", "places", "dates", "actors", "frames"}
    assert doc["document"]["doc_id"] == "d1"
    assert ids(doc["events"]) == ["e1", "e2"]
    assert [q["id"] for q in doc["quotes"]] == ["q-d1"]
    assert doc["dates"] == [] and doc["frames"] == []
    assert get_document(store, "missing") is None


def test_quotes(store: Store) -> None:
    assert [q["id"] for q in query_quotes(store, speaker="lavrov")] == ["q-d1", "q-d3"]
    assert [q["id"] for q in query_quotes(store, doc_id="d2")] == ["q-d2"]
    assert [q["id"] for q in query_quotes(store, limit=1, offset=1)] == ["q-d2"]
    with pytest.raises(QueryError):
        query_quotes(store, limit=0)


def test_iter_table(store: Store) -> None:
    assert sorted(r["doc_id"] for r in iter_table(store, "documents")) == ["d1", "d2", "d3"]
    assert len(list(iter_table(store, "events"))) == 5
    runs = list(iter_table(store, "runs"))
    assert [(r["run_id"], r["status"]) for r in runs] == [("r1", "finished")]
    with pytest.raises(QueryError):
        list(iter_table(store, "secrets"))


def test_summary(store: Store) -> None:
    s = summary(store)
    assert s["counts"]["events"] == 5 and s["counts"]["documents"] == 3
    assert s["counts"]["quotes"] == 3
    assert s["events_by_type"]["CONSULT"] == 1 and sum(s["events_by_type"].values()) == 5
    assert s["top_actors"][:2] == [  # a tie at 3 mentions, then by name
        {"name": "Bashar Jaafari", "country": "SYR", "n": 3},
        {"name": "Sergey Lavrov", "country": "RUS", "n": 3},
    ]
    assert s["date_range"] == {"min": "2017-04-04", "max": "2018-01-30"}
    assert [r["run_id"] for r in s["runs"]] == ["r1"]


def test_timeline(store: Store) -> None:
    def day(d: str, qc: int) -> dict:
        return {"date": d, "start": d, "end": d, "quad_class": qc, "n": 1}

    assert timeline(store, EventQuery()) == [
        day("2017-04-04", 4), day("2017-04-12", 1), day("2017-04-13", 3), day("2018-01-30", 1)]
    assert timeline(store, EventQuery(country="IGO")) == [day("2017-04-13", 3)]


def test_network(store: Store) -> None:
    net = network(store, EventQuery())
    edges = {(e["source"], e["target"]): e for e in net["edges"]}
    # the unresolved "rebels" (no knowledge-base id, no country) is never a node
    assert set(edges) == {
        ("Sergey Lavrov", "Bashar Jaafari"),
        ("Sergey Lavrov", "Organisation for the Prohibition of Chemical Weapons"),
    }
    assert edges[("Sergey Lavrov", "Bashar Jaafari")] | {} == {
        "source": "Sergey Lavrov", "target": "Bashar Jaafari", "n": 1, "coop": 1,
        "conflict": 0}
    nodes = {n["id"]: n for n in net["nodes"]}
    assert nodes["Sergey Lavrov"] == {"id": "Sergey Lavrov", "country": "RUS",
                                      "sector": "GOV", "n": 2}
    assert len(network(store, EventQuery(), top=1)["edges"]) == 1
    with pytest.raises(QueryError):
        network(store, EventQuery(), top=0)


def test_locations(store: Store) -> None:
    locs = locations(store, EventQuery())
    assert locs[0] == {"geonameid": 524901, "name": "Moscow", "country": "RUS",
                       "lat": 55.75, "lon": 37.62, "n": 3, "quads": [2, 0, 1, 0]}
    assert [x["name"] for x in locs] == ["Moscow", "Idlib"]
    assert [x["name"] for x in locations(store, EventQuery(types=("ASSAULT",)))] == ["Idlib"]


def test_reader_follows_new_segments(store_root: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(store_root, root)
    store = Store.open(root)
    assert count_events(store, EventQuery()) == 5
    extra = sample_store.results()[0]
    from dataclasses import replace

    doc = replace(extra.document, doc_id="d9", content_hash="h9")
    ev = replace(extra.events[0], id="e9", doc_id="d9")
    with store.writer("r2") as w:
        w.add(replace(extra, document=doc, events=(ev,), quotes=(), places=()))
    assert count_events(store, EventQuery()) == 6
    assert get_event(store, "e9")["doc_id"] == "d9"
    from dragoman.store import compact

    assert compact(store) is not None
    assert count_events(store, EventQuery()) == 6
    assert ids(query_events(store, EventQuery(order="id"))) == [
        "e1", "e2", "e3", "e4", "e5", "e9"]
