"""The reader's in-memory event index: dictionary keys across segments, counts, pages."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import sample_store

from dragoman.query import EventQuery, count_events, query_events
from dragoman.query.api import query_page
from dragoman.store import Store, compact
from dragoman.store.duck import Reader
from dragoman.types import ActorRef, PlaceRef


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    sample_store.build(root)
    return root


def indexed(root: Path) -> Store:
    s = Store.open(root)
    s._reader = Reader(s, memory_events=10**9)
    assert s.reader().indexed
    return s


def parquet(root: Path) -> Store:
    s = Store.open(root)
    s._reader = Reader(s, memory_events=0)
    assert not s.reader().indexed
    return s


def ids(rows: list[dict]) -> list[str]:
    return [r["id"] for r in rows]


def add_event(store: Store, doc_id: str, event_id: str, **changes: object) -> None:
    extra = sample_store.results()[0]
    doc = replace(extra.document, doc_id=doc_id, content_hash="h" + doc_id)
    ev = replace(extra.events[0], id=event_id, doc_id=doc_id, **changes)
    with store.writer("r-" + event_id) as w:
        w.add(replace(extra, document=doc, events=(ev,), quotes=(), places=()))


NEW_ACTOR = ActorRef("Erdogan", 0, 7, "Recep Tayyip Erdogan", "TUR", "GOV", None, "person")
NEW_PLACE = PlaceRef("Ankara", 0, 6, 323786, "Ankara", "TUR", 39.92, 32.85)


def test_new_segment_with_new_values_is_found_by_every_filter(root: Path) -> None:
    store = indexed(root)
    assert count_events(store, EventQuery(country="TUR")) == 0
    add_event(store, "d8", "e8", actor=(NEW_ACTOR,), location=NEW_PLACE, event_type="AID",
              quad_class=2)
    queries = [EventQuery(country="TUR"), EventQuery(actor="erdogan"),
               EventQuery(place="ankara"), EventQuery(types=("AID",)),
               EventQuery(types=("AID",), country="TUR", place="anka", actor="tayyip")]
    for q in queries:
        assert ids(query_events(store, q)) == ["e8"], q
        assert count_events(store, q) == 1, q
    # old values still map to the old events, and the new event joins an old value's set
    # (e8 keeps e1's recipient, Jaafari of SYR)
    assert ids(query_events(store, EventQuery(country="SYR", order="id"))) == [
        "e1", "e4", "e5", "e8"]
    assert count_events(store, EventQuery(text="lavrov met")) == 2  # e1 and e8 share it
    # the same answers as the Parquet views
    other = parquet(root)
    for q in [*queries, EventQuery(country="SYR"), EventQuery(actor="lavrov")]:
        assert ids(query_events(store, q)) == ids(query_events(other, q)), q


def test_compaction_keeps_filters_and_counts_right(root: Path) -> None:
    store = indexed(root)
    add_event(store, "d8", "e8", actor=(NEW_ACTOR,), location=NEW_PLACE)
    add_event(store, "d9", "e9", actor=(NEW_ACTOR,), recipient=())
    assert count_events(store, EventQuery(actor="erdogan")) == 2
    assert compact(store) is not None
    assert count_events(store, EventQuery(actor="erdogan")) == 2
    assert ids(query_events(store, EventQuery(actor="erdogan", order="id"))) == ["e8", "e9"]
    assert count_events(store, EventQuery()) == 7
    assert ids(query_events(store, EventQuery(place="ankara"))) == ["e8"]


def test_remembered_count_follows_new_segments(root: Path) -> None:
    store = indexed(root)
    q = EventQuery(country="RUS")
    assert count_events(store, q) == 3
    assert count_events(store, q) == 3  # remembered
    add_event(store, "d8", "e8")  # Lavrov (RUS) again
    assert count_events(store, q) == 4
    store.reader().clear_counts()
    assert count_events(store, q) == 4


def test_events_without_actor_location_or_countries(tmp_path: Path) -> None:
    root = tmp_path / "bare"
    sample_store.build(root)
    store = indexed(root)
    add_event(store, "d7", "e7", actor=(), recipient=(), location=None)
    nobody = ActorRef("someone", 0, 7, None, None, None, None, None)
    add_event(store, "d6", "e6", actor=(nobody,), recipient=(), location=None)
    assert count_events(store, EventQuery()) == 7
    assert count_events(store, EventQuery(country="RUS")) == 3
    assert ids(query_events(store, EventQuery(actor="someone"))) == ["e6"]
    assert ids(query_events(store, EventQuery(place="moscow", order="id"))) == ["e1", "e2", "e5"]


@pytest.mark.parametrize("make", [indexed, parquet])
@pytest.mark.parametrize(
    ("q", "page", "total"),
    [
        (EventQuery(limit=2), ["e3", "e1"], 5),  # a full page: counted
        (EventQuery(limit=2, offset=4), ["e4"], 5),  # the last, short page: no count needed
        (EventQuery(limit=50), ["e3", "e1", "e2", "e5", "e4"], 5),
        (EventQuery(offset=10), [], 5),  # past the end: counted
        (EventQuery(country="IGO"), ["e2"], 1),
        (EventQuery(country="CHN"), [], 0),
    ],
)
def test_query_page(root: Path, make, q: EventQuery, page: list[str], total: int) -> None:  # type: ignore[no-untyped-def]
    store = make(root)
    rows, n = query_page(store, q)
    assert ids(rows) == page
    assert n == total == count_events(store, q)


def test_index_matches_parquet_on_a_copied_store(root: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    a, b = indexed(copy), parquet(copy)
    for q in [EventQuery(actor="a"), EventQuery(place="i"), EventQuery(country="SYR",
              types=("ACCUSE", "AGREE")), EventQuery(actor="'; drop table x; --")]:
        assert ids(query_events(a, q)) == ids(query_events(b, q))
        assert count_events(a, q) == count_events(b, q)


def test_network_and_top_actors_match_parquet_after_new_segments(root: Path) -> None:
    from dragoman.query import network, summary

    store = indexed(root)
    add_event(store, "d8", "e8", actor=(NEW_ACTOR, sample_store.LAVROV),
              recipient=(sample_store.OPCW, sample_store.REBELS), quad_class=4)
    add_event(store, "d9", "e9", actor=(NEW_ACTOR,), recipient=(sample_store.OPCW,))
    other = parquet(root)
    for q in [EventQuery(), EventQuery(actor="erdogan"), EventQuery(quad_class=(1, 4))]:
        got = network(store, q)
        assert got == network(other, q), q
    edges = {(e["source"], e["target"]): e for e in network(store, EventQuery())["edges"]}
    opcw = "Organisation for the Prohibition of Chemical Weapons"
    # e9 repeats e8's first pair: one edge of weight 2, one conflict (e8) and one coop (e9)
    assert edges[("Recep Tayyip Erdogan", opcw)] == {
        "source": "Recep Tayyip Erdogan", "target": opcw, "n": 2, "coop": 1, "conflict": 1}
    assert summary(store)["top_actors"] == summary(other)["top_actors"]
    top = {(a["name"], a["country"]): a["n"] for a in summary(store, top=20)["top_actors"]}
    assert top[("Recep Tayyip Erdogan", "TUR")] == 2


def test_background_index_answers_from_parquet_then_from_the_index(root: Path) -> None:
    store = Store.open(root)
    reader = Reader(store, memory_events=10**9, background=True)
    store._reader = reader
    # whichever source answers (Parquet while the build runs, the index after), the same
    first = ids(query_events(store, EventQuery(country="SYR", order="id")))
    assert first == ["e1", "e4", "e5"]
    assert reader.wait_indexed(timeout=60)
    assert ids(query_events(store, EventQuery(country="SYR", order="id"))) == first
    assert count_events(store, EventQuery(actor="lavrov")) == 3
    # segments written later are indexed on the next query, as without background
    add_event(store, "d8", "e8", actor=(NEW_ACTOR,))
    assert ids(query_events(store, EventQuery(actor="erdogan"))) == ["e8"]
    assert reader.indexed


def test_background_index_not_built_for_a_store_over_the_memory_limit(root: Path) -> None:
    store = Store.open(root)
    reader = Reader(store, memory_events=2, background=True)
    store._reader = reader
    assert not reader.wait_indexed(timeout=60)
    assert count_events(store, EventQuery()) == 5
