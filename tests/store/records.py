"""Records for the store tests: hypothesis strategies and a small deterministic builder."""

from __future__ import annotations

from hypothesis import strategies as st

from dragoman.types import (
    ActorMention,
    ActorRef,
    Dateline,
    DateRef,
    Document,
    Event,
    Frame,
    Place,
    PlaceRef,
    Quote,
    Result,
    SentenceRef,
    Span,
)

# any Unicode except lone surrogates (not encodable as UTF-8, so not storable as text)
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
opt_text = st.none() | text
ints = st.integers(min_value=-(2**63), max_value=2**63 - 1)
small = st.integers(min_value=0, max_value=10**6)
opt_int = st.none() | ints
floats = st.floats(allow_nan=False, allow_infinity=False)
opt_float = st.none() | floats

spans = st.builds(Span, start=small, end=small, text=text)
opt_span = st.none() | spans
actor_refs = st.builds(
    ActorRef, text=text, start=small, end=small, name=opt_text, country=opt_text,
    sector=opt_text, kb_id=opt_text, kind=opt_text,
)
opt_actor = st.none() | actor_refs
place_refs = st.builds(
    PlaceRef, text=text, start=small, end=small, geonameid=opt_int, name=opt_text,
    country=opt_text, lat=opt_float, lon=opt_float,
)
datelines = st.builds(
    Dateline, body=spans, place=opt_span, agency=opt_span, date=opt_span, byline=opt_span
)


@st.composite
def results(draw: st.DrawFn, doc_id: str | None = None) -> Result:
    d = doc_id if doc_id is not None else draw(text)
    document = Document(
        doc_id=d, text=draw(text), title=draw(opt_text), published=draw(opt_text),
        source=draw(opt_text), url=draw(opt_text), content_hash=draw(text),
        dateline=draw(st.none() | datelines), duplicate_of=draw(opt_text),
        meta_json=draw(text), origin=draw(opt_text), run_id=draw(text),
    )
    events = draw(st.lists(st.builds(
        Event, id=text, doc_id=st.just(d), run_id=text,
        sentence=st.builds(SentenceRef, index=small, start=small, end=small, text=text),
        event_type=text, mode=opt_text, context=st.lists(text, max_size=3).map(tuple),
        cameo=opt_text, quad_class=opt_int, goldstein=opt_float, trigger=spans,
        actor=st.lists(actor_refs, max_size=3).map(tuple),
        recipient=st.lists(actor_refs, max_size=3).map(tuple),
        negated=st.booleans(), modality=text, attributed_to=opt_actor,
        location=st.none() | place_refs, date=opt_text, date_basis=opt_text,
        confidence=floats, extractor=text, symmetric=st.booleans(),
    ), max_size=3))
    quotes = draw(st.lists(st.builds(
        Quote, id=text, doc_id=st.just(d), kind=st.sampled_from(["direct", "indirect"]),
        speaker=opt_actor, cue=opt_span, content=spans, sentence_index=opt_int,
    ), max_size=2))
    places = draw(st.lists(st.builds(
        Place, doc_id=st.just(d), start=small, end=small, text=text, geonameid=opt_int,
        name=opt_text, country=opt_text, lat=opt_float, lon=opt_float, feature=opt_text,
        role=text, admin1=opt_text, score=opt_float,
    ), max_size=2))
    dates = draw(st.lists(st.builds(
        DateRef, doc_id=st.just(d), start=small, end=small, text=text, value=opt_text,
        precision=opt_text, kind=text,
    ), max_size=2))
    actors = draw(st.lists(st.builds(
        ActorMention, doc_id=st.just(d), start=small, end=small, text=text, name=opt_text,
        country=opt_text, sector=opt_text, kb_id=opt_text, kind=opt_text, resolved_by=text,
    ), max_size=2))
    frames = draw(st.lists(st.builds(
        Frame, doc_id=st.just(d), kind=st.sampled_from(["hedge", "label"]), start=small,
        end=small, text=text, applies_to=opt_actor, target=opt_span, category=opt_text,
    ), max_size=2))
    return Result(
        document=document, events=tuple(events), quotes=tuple(quotes), places=tuple(places),
        dates=tuple(dates), actors=tuple(actors), frames=tuple(frames),
    )


def simple_result(doc_id: str, n_events: int = 2, run_id: str = "r1") -> Result:
    """A small valid result with ``n_events`` events (ids ``<doc_id>-e<k>``)."""
    text_ = f"Moscow, SANA- Lavrov met Jaafari in {doc_id}."
    events = tuple(
        Event(
            id=f"{doc_id}-e{k}", doc_id=doc_id, run_id=run_id,
            sentence=SentenceRef(0, 14, len(text_), text_[14:]), event_type="CONSULT",
            mode=None, context=(), cameo="04", quad_class=1, goldstein=1.0,
            trigger=Span(21, 24, "met"),
            actor=(ActorRef("Lavrov", 14, 20, "Sergey Lavrov", "RUS", "GOV"),),
            recipient=(ActorRef("Jaafari", 25, 32, "Bashar Jaafari", "SYR", "GOV"),),
            negated=False, modality="asserted", attributed_to=None,
            location=PlaceRef("Moscow", 0, 6, 524901, "Moscow", "RUS", 55.75, 37.62),
            date="2017-04-12", date_basis="dateline", confidence=0.8, extractor="test/1",
        )
        for k in range(n_events)
    )
    document = Document(
        doc_id=doc_id, text=text_, title=None, published="2017-04-12", source="SANA",
        url=None, content_hash=f"hash-{doc_id}",
        dateline=Dateline(Span(14, len(text_), text_[14:]), place=Span(0, 6, "Moscow")),
        run_id=run_id,
    )
    return Result(document=document, events=events)
