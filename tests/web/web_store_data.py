"""Data of the dashboard tests: a real store built from dragoman's own output.

The store is written through ``Store.open(tmp, create=True).writer(...)`` from the results
of the real ``Pipeline`` over a few hand-written articles (one of them hostile: markup and
``javascript:`` links in its title, url and text). One more document is a hand-built
``Result`` whose event spans (sentence, trigger, actor, recipient, location) themselves
contain the hostile markup, so the escaping of highlighted spans is exercised whatever the
extractors find. Nothing reads other engineers' sample files or ``/work/shared``.
"""

from __future__ import annotations

from pathlib import Path

from dragoman import Article, Pipeline
from dragoman.pipeline import make_document
from dragoman.store import Store
from dragoman.types import (
    ActorMention,
    ActorRef,
    Event,
    Place,
    PlaceRef,
    Quote,
    Result,
    SentenceRef,
    Span,
)

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_LINK = '<a href="javascript:alert(1)">click here</a>'

ARTICLES = [
    Article(
        id="moscow-1",
        title="Lavrov accuses Washington over Syria strike",
        published="2017-04-12",
        source="SANA",
        url="https://example.org/moscow-1",
        text=(
            "Moscow, SANA- Russian Foreign Minister Sergey Lavrov accused the United States "
            "of violating international law after the missile strike on the Shayrat airbase "
            "in Syria.\n\nLavrov met US Secretary of State Rex Tillerson in Moscow on "
            "Wednesday. \"We condemn this act of aggression,\" Lavrov said. Russia called on "
            "the Organization for the Prohibition of Chemical Weapons to investigate the "
            "alleged chemical attack in Khan Sheikhoun."
        ),
    ),
    Article(
        id="ankara-2",
        title="Turkey and Iran agree to cooperate",
        published="2017-04-14",
        source="Agency",
        text=(
            "Ankara, Agency- Turkish President Recep Tayyip Erdogan met Iranian President "
            "Hassan Rouhani in Ankara on Friday. The two leaders agreed to expand trade and "
            "signed an agreement on energy cooperation. Turkey also sent humanitarian aid to "
            "Syria."
        ),
    ),
    Article(
        id="damascus-3",
        title="Syrian army shells rebel positions",
        published="2017-04-15",
        text=(
            "Damascus, Agency- Syrian government forces shelled rebel positions near Idlib "
            "on Saturday, killing at least ten fighters. Rebels attacked an army checkpoint "
            "in Hama. The United Nations condemned the violence and demanded a ceasefire."
        ),
    ),
    Article(
        id="xss-4",
        title=f"Hostile {XSS_SCRIPT} title",
        published="2017-04-16",
        source=f"Evil {XSS_IMG} source",
        url="javascript:alert(1)",
        text=(
            f"Paris, AFP- French President Emmanuel Macron accused Iran {XSS_SCRIPT} of "
            f"threatening Israel on Sunday. Protesters attacked the embassy {XSS_IMG} in "
            f"Tehran. Read more {XSS_LINK} here. Israel warned Iran that it would respond."
        ),
    ),
]

CRAFTED_ID = "xss-crafted"


def crafted_result(run_id: str) -> Result:
    """A document whose event spans contain the hostile markup (offsets exact)."""
    text = (
        f"Beirut, Agency- The {XSS_SCRIPT} militia attacked {XSS_IMG} troops in "
        f"{XSS_LINK} on Monday."
    )
    article = Article(id=CRAFTED_ID, text=text, title=XSS_SCRIPT, published="2017-04-17",
                      url="javascript:alert(1)")
    document = make_document(article, run_id)

    def span(s: str, after: int = 0) -> Span:
        i = text.index(s, after)
        return Span(i, i + len(s), s)

    sent = span(text[text.index("The"):])
    actor = span(f"The {XSS_SCRIPT} militia")
    trig = span("attacked")
    rec = span(f"{XSS_IMG} troops")
    loc = span(XSS_LINK)
    event = Event(
        id="crafted-event-1",
        doc_id=CRAFTED_ID,
        run_id=run_id,
        sentence=SentenceRef(0, sent.start, sent.end, sent.text),
        event_type="ASSAULT",
        mode=None,
        context=(),
        cameo="18",
        quad_class=4,
        goldstein=-9.0,
        trigger=trig,
        actor=(ActorRef(actor.text, actor.start, actor.end, name=XSS_SCRIPT, country="LBN",
                        sector="REB", kind="group"),),
        recipient=(ActorRef(rec.text, rec.start, rec.end, name=XSS_IMG, country="LBN",
                            sector="MIL", kind="group"),),
        negated=False,
        modality="asserted",
        attributed_to=None,
        location=PlaceRef(loc.text, loc.start, loc.end, 276781, XSS_LINK, "LBN", 33.89, 35.50),
        date="2017-04-17",
        date_basis="text",
        confidence=0.5,
        extractor="tests/crafted",
    )
    return Result(
        document=document,
        events=(event,),
        actors=(ActorMention(CRAFTED_ID, actor.start, actor.end, actor.text, XSS_SCRIPT, "LBN",
                             "REB", None, "group", "ner"),),
        places=(Place(CRAFTED_ID, loc.start, loc.end, loc.text, 276781, XSS_LINK, "LBN", 33.89,
                      35.5, "P.PPLC", "event_location"),),
        quotes=(Quote("crafted-quote-1", CRAFTED_ID, "direct", None, None, rec),),
    )


def write_store(root: Path, pipeline: Pipeline, articles: list[Article],
                extra: tuple[Result, ...] = (), run_id: str = "web-test") -> list[Result]:
    """Run the real pipeline over ``articles`` and write everything to the store at root."""
    store = Store.open(root, create=True)
    results = list(pipeline.process(articles)) + list(extra)
    with store.writer(run_id) as writer:
        writer.begin_run({"run_id": run_id, "model": pipeline.config.model})
        for result in results:
            writer.add(result)
        writer.finish_run({"processed": len(results)})
    return results
