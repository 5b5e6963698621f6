"""A small store with known events, for the query and export tests."""

from __future__ import annotations

from pathlib import Path

from dragoman.store import Store
from dragoman.types import (
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

LAVROV = ActorRef("Lavrov", 0, 6, "Sergey Lavrov", "RUS", "GOV", "Q1", "person")
JAAFARI = ActorRef("Jaafari", 0, 7, "Bashar Jaafari", "SYR", "GOV", None, "person")
OPCW = ActorRef("the OPCW", 0, 8, "Organisation for the Prohibition of Chemical Weapons",
                "IGO", None, None, "org")
REBELS = ActorRef("rebels", 0, 6, None, None, "REB", None, "group")
MOSCOW = PlaceRef("Moscow", 0, 6, 524901, "Moscow", "RUS", 55.75, 37.62)
IDLEB = PlaceRef("Idleb countryside", 0, 17, 169389, "Idlib", "SYR", 35.93, 36.63)

# (id, doc, type, quad, actors, recipients, location, date, sentence, confidence)
ROWS = [
    ("e1", "d1", "CONSULT", 1, (LAVROV,), (JAAFARI,), MOSCOW, "2017-04-12",
     "Lavrov met Jaafari in Moscow.", 0.9),
    ("e2", "d1", "REQUEST", 3, (LAVROV,), (OPCW,), MOSCOW, "2017-04-13",
     "Lavrov renewed the call on the OPCW to investigate the chemical attack.", 0.8),
    ("e3", "d2", "ASSAULT", 4, (REBELS,), (), IDLEB, "2017-04-04",
     "Rebels shelled villages in Idleb countryside.", 0.6),
    ("e4", "d2", "ACCUSE", 3, (JAAFARI,), (REBELS,), None, None,
     "Jaafari accused the rebels of staging the attack.", 0.7),
    ("e5", "d3", "AGREE", 1, (LAVROV, JAAFARI), (), MOSCOW, "2018-01-30",
     "Russia and Syria agreed on a ceasefire. Ünïcødé ✓", 0.5),
]


def event(row: tuple) -> Event:
    eid, doc, typ, quad, actors, recips, loc, date, sent, conf = row
    return Event(
        id=eid, doc_id=doc, run_id="r1", sentence=SentenceRef(0, 0, len(sent), sent),
        event_type=typ, mode=None, context=("cbrn",) if "chemical" in sent else (),
        cameo="04", quad_class=quad, goldstein=-2.0 if quad > 2 else 3.0,
        trigger=Span(7, 10, sent[7:10]), actor=actors, recipient=recips, negated=False,
        modality="asserted", attributed_to=None, location=loc, date=date,
        date_basis="text" if date else None, confidence=conf, extractor="test/1",
    )


def results() -> list[Result]:
    out = []
    for doc in ("d1", "d2", "d3"):
        rows = [r for r in ROWS if r[1] == doc]
        text = " ".join(r[8] for r in rows)
        events = tuple(event(r) for r in rows)
        quotes = (
            Quote(id=f"q-{doc}", doc_id=doc, kind="direct", speaker=LAVROV if doc != "d2"
                  else JAAFARI, cue=Span(0, 4, "said"), content=Span(5, 9, "text")),
        )
        places = tuple(
            Place(doc, e.location.start, e.location.end, e.location.text,
                  e.location.geonameid, e.location.name, e.location.country, e.location.lat,
                  e.location.lon, "P.PPLC" if e.location.name == "Moscow" else "P.PPL",
                  "event_location", admin1="48" if e.location.name == "Moscow" else None)
            for e in events[:1] if e.location is not None
        )
        document = Document(
            doc_id=doc, text=text, title=f"Title {doc}", published="2017-04-14",
            source="SANA", url=f"https://example.org/{doc}", content_hash=f"h-{doc}",
            dateline=None, run_id="r1",
        )
        out.append(Result(document=document, events=events, quotes=quotes, places=places))
    return out


def build(root: Path) -> Store:
    store = Store.open(root, create=True)
    with store.writer("r1", segment_size=2) as w:
        w.begin_run({"model": "test"})
        for r in results():
            w.add(r)
        w.finish_run({"processed": 3})
    return store
