"""Query latency over a synthetic store: p50/p95 of ``query_events`` (+ ``count_events``).

Builds (or reuses) a store of N synthetic events written through ``StoreWriter`` from
``Result`` objects (dates mostly days, 10 % ISO weeks, 5 % months; one quote per document),
compacts it, then times the dashboard's typical calls.

    .venv/bin/python bench/query_latency.py --store /tmp/dragoman-bench --events 1000000

Not part of the test run.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import time
from pathlib import Path

from dragoman.query import (
    EventQuery,
    count_events,
    locations,
    network,
    query_events,
    summary,
    timeline,
)
from dragoman.store import Store, compact
from dragoman.types import (
    ActorMention,
    ActorRef,
    Document,
    Event,
    Place,
    PlaceRef,
    Quote,
    Result,
    SentenceRef,
    Span,
)

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
QUAD = {t: 1 + i // 4 for i, t in enumerate(TYPES)}
ACTORS = [(f"Person {i:03d}", c, s) for i, (c, s) in enumerate(
    (c, s) for c in ("RUS", "SYR", "USA", "IRN", "TUR", "FRA", "GBR", "CHN", "ISR", "SAU",
                     "IGO", "UKR", "DEU", "EGY", "IRQ")
    for s in ("GOV", "MIL", "REB", "CVL", "JUD", "LEG"))]
PLACES = [(524901 + i, f"City {i}", random.Random(i).choice(["RUS", "SYR", "USA", "IRQ"]),
           -60 + i * 0.7, -170 + i * 1.9) for i in range(150)]
WORDS = ["said", "talks", "ministry", "forces", "attack", "agreement", "called", "meeting", "security", "council", "army", "officials", "government", "peace", "chemical", "weapons", "sanctions", "protest", "border", "aid"]


def _date_value(rng: random.Random, year: int, month: int, day: int) -> str:
    """Mostly days; 10 % ISO weeks and 5 % months, as real event dates are."""
    r = rng.random()
    if r < 0.10:
        return f"{year}-W{1 + rng.randrange(52):02d}"
    if r < 0.15:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{day:02d}"


def synthetic_result(rng: random.Random, n: int, events_per_doc: int, run_id: str) -> Result:
    doc_id = f"doc{n:07d}"
    sentences = []
    events = []
    text_parts = []
    pos = 0
    for k in range(events_per_doc):
        words = rng.choices(WORDS, k=18)
        a = ACTORS[rng.randrange(len(ACTORS))]
        r = ACTORS[rng.randrange(len(ACTORS))]
        s = f"{a[0]} {' '.join(words)} {r[0]}."
        sentences.append((pos, s))
        text_parts.append(s)
        t = rng.choice(TYPES)
        p = PLACES[rng.randrange(len(PLACES))]
        day = 1 + rng.randrange(28)
        month = 1 + rng.randrange(12)
        year = 2015 + rng.randrange(10)
        events.append(
            Event(
                id=f"{doc_id}-e{k}",
                doc_id=doc_id,
                run_id=run_id,
                sentence=SentenceRef(k, pos, pos + len(s), s),
                event_type=t,
                mode=None,
                context=("cbrn",) if rng.random() < 0.1 else (),
                cameo=f"{rng.randrange(1, 21):02d}",
                quad_class=QUAD[t],
                goldstein=round(rng.uniform(-10, 10), 1),
                trigger=Span(pos + len(a[0]) + 1, pos + len(a[0]) + 5, s[len(a[0]) + 1:
                                                                          len(a[0]) + 5]),
                actor=(ActorRef(a[0], pos, pos + len(a[0]), a[0], a[1], a[2], None, "person"),),
                recipient=(ActorRef(r[0], pos + len(s) - len(r[0]) - 1, pos + len(s) - 1,
                                    r[0], r[1], r[2], None, "person"),),
                negated=rng.random() < 0.05,
                modality="asserted",
                attributed_to=None,
                location=PlaceRef(p[1], 0, 0, p[0], p[1], p[2], p[3], p[4]),
                date=_date_value(rng, year, month, day),
                date_basis="published",
                confidence=round(rng.random(), 3),
                extractor="bench/1",
            )
        )
        pos += len(s) + 1
    text = " ".join(text_parts)
    doc = Document(doc_id=doc_id, text=text, title=f"Title {n}", published="2020-01-01",
                   source="bench", url=f"https://example.org/{n}", content_hash=f"h{n}",
                   dateline=None, run_id=run_id)
    actors = tuple(
        ActorMention(doc_id, e.actor[0].start, e.actor[0].end, e.actor[0].text,
                     e.actor[0].name, e.actor[0].country, e.actor[0].sector, None, "person", "kb")
        for e in events
    )
    places = tuple(
        Place(doc_id, 0, 0, e.location.text, e.location.geonameid, e.location.name,
              e.location.country, e.location.lat, e.location.lon, "P.PPL", "event_location")
        for e in events if e.location is not None
    )
    first = events[0]
    quotes = (Quote(id=f"{doc_id}-q", doc_id=doc_id, kind="direct", speaker=first.actor[0],
                    cue=None, content=Span(first.sentence.start, first.sentence.end,
                                           first.sentence.text)),)
    return Result(document=doc, events=tuple(events), actors=actors, places=places,
                  quotes=quotes)


def build(root: Path, n_events: int, events_per_doc: int) -> Store:
    store = Store.open(root, create=True)
    rng = random.Random(7)
    n_docs = n_events // events_per_doc
    t0 = time.perf_counter()
    with store.writer("bench-run", segment_size=2000) as w:
        w.begin_run({"started": "2024-01-01T00:00:00Z", "model": "synthetic"})
        for n in range(n_docs):
            w.add(synthetic_result(rng, n, events_per_doc, "bench-run"))
        w.finish_run({"processed": n_docs})
    t1 = time.perf_counter()
    compact(store)
    t2 = time.perf_counter()
    print(f"built {n_docs} docs / {n_docs * events_per_doc} events in {t1 - t0:.1f} s, "
          f"compacted in {t2 - t1:.1f} s; {len(store.segments())} segments")
    return store


QUERIES = {
    "no filter (first page)": EventQuery(),
    "type=ASSAULT": EventQuery(types=("ASSAULT",)),
    "country=SYR": EventQuery(country="SYR"),
    "actor substring": EventQuery(actor="person 04"),
    "types+quad+since/until": EventQuery(types=("ACCUSE", "THREATEN"), quad_class=(3,),
                                          since="2018-01-01", until="2019-06-30"),
    "place substring, -confidence": EventQuery(place="city 1", order="-confidence"),
    "text substring": EventQuery(text="chemical weapons"),
    "country+type, page 20": EventQuery(country="RUS", types=("CONSULT",), offset=1000),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--store", type=Path, default=Path("/tmp/dragoman-bench-store"))
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--events-per-doc", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}")
    logging.basicConfig(level=logging.WARNING)
    if (args.store / "store.json").exists():
        store = Store.open(args.store)
        print(f"reusing {args.store}")
    else:
        store = build(args.store, args.events, args.events_per_doc)
    t = time.perf_counter()
    total = count_events(store, EventQuery())
    print(f"{total} events; first query (opens the reader) {1000 * (time.perf_counter() - t):.0f} ms")
    print(f"{'query':34s} {'rows':>5s} {'match':>8s} {'p50 ms':>7s} {'p95 ms':>7s} "
          f"{'count p50':>9s} {'count p95':>9s} {'memo p95':>8s}")
    for name, q in QUERIES.items():
        lat, clat, mlat = [], [], []
        rows = matched = 0
        for _ in range(args.repeat):
            t = time.perf_counter()
            rows = len(query_events(store, q))
            lat.append(1000 * (time.perf_counter() - t))
            store.reader().clear_counts()  # time the count itself, not the reader's memo
            t = time.perf_counter()
            matched = count_events(store, q)
            clat.append(1000 * (time.perf_counter() - t))
            t = time.perf_counter()
            count_events(store, q)
            mlat.append(1000 * (time.perf_counter() - t))

        def p(xs: list[float], k: float) -> float:
            return statistics.quantiles(xs, n=100, method="inclusive")[int(k) - 1]

        print(f"{name:34s} {rows:5d} {matched:8d} {p(lat, 50):7.1f} {p(lat, 95):7.1f} "
              f"{p(clat, 50):9.1f} {p(clat, 95):9.1f} {p(mlat, 95):8.2f}")

    # the dashboard's other pages: timeline, map, network, summary
    print(f"{'page query':34s} {'p50 ms':>7s} {'max ms':>7s}")
    others = {
        "timeline": lambda: timeline(store, EventQuery()),
        "timeline country=SYR": lambda: timeline(store, EventQuery(country="SYR")),
        "network (top 50)": lambda: network(store, EventQuery()),
        "network actor substring": lambda: network(store, EventQuery(actor="person 04")),
        "locations": lambda: locations(store, EventQuery()),
        "summary": lambda: summary(store),
    }
    for name, fn in others.items():
        xs = []
        for _ in range(max(5, args.repeat // 4)):
            t = time.perf_counter()
            fn()
            xs.append(1000 * (time.perf_counter() - t))
        print(f"{name:34s} {statistics.median(xs):7.1f} {max(xs):7.1f}")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
