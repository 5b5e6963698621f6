"""The event location: where an event happened, from the places found in its sentence.

Owns ``event_location`` (a place attached to the trigger through a preposition of
``data/places/event_location.yaml``; else, for statements and meetings, the dateline place;
else the sentence's only place) and ``place_ref`` (a ``Place`` as a ``PlaceRef``). Reads
the places that ``extract`` left on the context.
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ...types import IncidentPlace, Place, PlaceRef
from ..context import DocContext, doc_text
from .gazetteer import FEATURE_ADM1, FEATURE_CAPITAL, FEATURE_CITY, FEATURE_CONT, FEATURE_COUNTRY
from .mentions import gazetteer_of

__all__ = ["event_location", "place_ref"]


def place_ref(p: Place | IncidentPlace) -> PlaceRef:
    """The ``PlaceRef`` of a place record (or of an incident's place)."""
    return PlaceRef(p.text, p.start, p.end, p.geonameid, p.name, p.country, p.lat, p.lon)


_SPECIFIC = {FEATURE_CITY: 0, FEATURE_CAPITAL: 0, FEATURE_ADM1: 1, FEATURE_COUNTRY: 2,
             FEATURE_CONT: 3}


_PATH_DEPS = {"pobj", "prep", "compound", "appos", "conj", "nmod", "npadvmod", "amod", "cc",
              "punct", "poss", "dobj", "nsubjpass", "pcomp"}


def _attached(anchor: Token, tok: Token, preps: frozenset[str]) -> int | None:
    """Path length from a place's root up to ``anchor`` through a place preposition.

    The path may pass through prepositions and nouns but not through another verb (a
    place in a subordinate clause belongs to that clause's event). None when not attached.
    """
    t = tok
    seen_prep = False
    steps = 0
    while t.head is not t and steps < 8:
        if t.dep_ not in _PATH_DEPS:
            return None
        if t.dep_ == "pobj" and t.head.lower_ in preps:
            seen_prep = True
        steps += 1
        if t.head.i == anchor.i:
            return steps if seen_prep or t.dep_ in ("npadvmod", "compound") else None
        if t.head.pos_ in ("VERB", "AUX"):
            return None
        t = t.head
    return None


def event_location(ctx: DocContext, sent: SpacySpan, trigger: Token) -> PlaceRef | None:
    """The place where the event of ``trigger`` happened, or None rather than a wrong one.

    1. a place attached to the trigger (or to the verb it depends on, or its object)
       through a preposition ("attack in Khan Sheikhoun in Idleb countryside"): the nearest,
       most specific one; 2. for statements and meetings (trigger lemma in
    ``event_location.yaml``), the dateline place; 3. otherwise the sentence's place when it
    names exactly one outside quotations.
    Metonyms, demonyms and places inside other names are never locations.
    """
    gaz = gazetteer_of(ctx)
    # (a demonym or a place inside another name is no event's location)
    places = [p for p in ctx.places
              if p.role not in ("metonym", "dateline", "demonym", "embedded")]
    s0, s1 = ctx.abs(sent.start_char), ctx.abs(sent.end_char)
    in_sent = [p for p in places if s0 <= p.start and p.end <= s1]
    doc = ctx.doc

    def root_of(p: Place) -> Token:
        span = doc.char_span(p.start - ctx.base, p.end - ctx.base, alignment_mode="expand")
        return span.root if span is not None else doc[0]

    anchors = [trigger]
    if trigger.head is not trigger and trigger.dep_ in ("dobj", "nsubjpass", "attr", "nsubj",
                                                        "pobj", "compound", "amod"):
        anchors.append(trigger.head)
        if trigger.dep_ == "pobj" and trigger.head.head is not trigger.head:
            anchors.append(trigger.head.head)
    attached: list[tuple[int, int, int, Place]] = []
    for p in in_sent:
        r = root_of(p)
        for rank, a in enumerate(anchors):
            dist = _attached(a, r, gaz.preps)
            if dist is not None:
                attached.append((rank, dist, abs(r.i - trigger.i), p))
                break
    if attached:
        attached.sort(key=lambda x: (x[0], _SPECIFIC.get(x[3].feature or "", 0), x[1], x[2]))
        return place_ref(attached[0][3])
    # statements and meetings happen where the dispatch was filed, not in their content
    if trigger.lemma_.lower() in gaz.dateline_lemmas or trigger.lower_ in gaz.dateline_lemmas:
        for p in ctx.places:
            if p.role == "dateline":
                return place_ref(p)
        return None
    # the sentence: only when it names one place outside quotations
    outside_quotes = [p for p in in_sent if not _in_quote(sent, p.start - ctx.base)]
    if len({p.geonameid for p in outside_quotes}) == 1:
        return place_ref(outside_quotes[0])
    return None


def _in_quote(sent: SpacySpan, doc_offset: int) -> bool:
    text = doc_text(sent.doc)[sent.start_char:doc_offset]
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1
