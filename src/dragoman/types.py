"""The records dragoman passes between stages and stores.

Every record is a frozen dataclass. Character offsets (``start``/``end``) are Python ``str``
indices into the *original* article text (``Article.text``): start inclusive, end exclusive,
so ``article.text[span.start:span.end] == span.text`` always holds.

Field names follow the event contract in DESIGN.md (POLECAT names: ``actor``, ``recipient``,
``event_type``, ``mode``, ``context``). Fields may be added, never renamed.

``to_dict`` turns any record into plain JSON-able data (tuples become lists), which is what
the store, the exports and the web API use.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "COUNT_KIND",
    "ActorMention",
    "ActorRef",
    "Article",
    "Casualties",
    "CasualtyCount",
    "CasualtyFigure",
    "DateRef",
    "Dateline",
    "Document",
    "Event",
    "Frame",
    "Incident",
    "IncidentPlace",
    "Place",
    "PlaceRef",
    "Quote",
    "Result",
    "SentenceRef",
    "Span",
    "Toll",
    "to_dict",
]

Modality = Literal[
    "asserted", "future", "intended", "hypothetical", "question", "alleged", "historical"
]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the original article text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class SentenceRef:
    """The sentence an event came from: its index in the document and its span."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    """One input article, as read by ``dragoman.ingest``.

    ``id`` is the id the input gives (kept as the document id so other tools can join on it),
    or a content-hash id when the input has none. ``published`` is an ISO date
    ``YYYY-MM-DD`` or None. ``meta`` holds every input field dragoman does not use itself.
    ``origin`` says where the article came from (``path`` or ``path:line``) for messages.
    """

    id: str
    text: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class Dateline:
    """The dateline and byline of a dispatch, and the body that remains.

    ``body`` is the part of the text that is content: it starts after the dateline
    ("Moscow, SANA-" → body starts at "Russian") and ends before a trailing byline
    ("Manar/Mazen"). Nothing is extracted outside it except the dateline place and date.
    """

    body: Span
    place: Span | None = None
    agency: Span | None = None
    date: Span | None = None
    byline: Span | None = None


#: ``ActorRef.kind`` of a bare count as a party ("killed 23", "at least 14 were killed")
COUNT_KIND = "count"


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor as it appears in an event or quote: the mention and who it resolves to.

    ``country`` is ISO-3, or ``IGO``/``NGO``/``MNC`` for bodies without one, ``IMG`` for
    transnational armed groups (CAMEO's code: ISIL, al-Qaeda), or None when unknown (never
    guessed). ``kind`` is person | org | country | group | pronoun, or ``count`` for a bare
    number that stands for the people it counts ("killed 23": ``COUNT_KIND``). ``sector`` is
    a PLOVER sector code (GOV, MIL, REB, …) or None.
    """

    text: str
    start: int
    end: int
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    kb_id: str | None = None
    kind: str | None = None  # person | org | country | group | role | pronoun


@dataclass(frozen=True, slots=True)
class ActorMention:
    """A resolved actor mention stored in the ``actors`` table (one per mention)."""

    doc_id: str
    start: int
    end: int
    text: str
    name: str | None
    country: str | None
    sector: str | None
    kb_id: str | None
    kind: str | None
    resolved_by: str  # kb | title | coref | pronoun | demonym | metonym | ner | none


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A place as an event's location."""

    text: str
    start: int
    end: int
    geonameid: int | None
    name: str | None
    country: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place mention. ``role``: dateline | event_location | mention | metonym."""

    doc_id: str
    start: int
    end: int
    text: str
    geonameid: int | None
    name: str | None
    country: str | None
    lat: float | None
    lon: float | None
    feature: str | None  # GeoNames feature class/code, e.g. "P.PPLC", "A.PCLI"
    role: str
    admin1: str | None = None
    score: float | None = None


@dataclass(frozen=True, slots=True)
class DateRef:
    """A temporal expression resolved against the publication (or dateline) date.

    ``value`` follows TimeML/ISO 8601 (``2017-04-12``, ``2017-04``, ``2017``, ``2017-Q2``,
    ``2017-SU``, durations ``P3Y``, ``PRESENT_REF``) or is None when it could not be
    resolved; ``precision`` is day | week | month | quarter | season | year | decade |
    century, or None for durations and sets.
    """

    doc_id: str
    start: int
    end: int
    text: str
    value: str | None
    precision: str | None
    kind: str = "date"  # date | range | duration | set


@dataclass(frozen=True, slots=True)
class Quote:
    """Direct or indirect speech with its speaker, cue and content."""

    id: str
    doc_id: str
    kind: Literal["direct", "indirect"]
    speaker: ActorRef | None
    cue: Span | None
    content: Span
    sentence_index: int | None = None


@dataclass(frozen=True, slots=True)
class Frame:
    """A framing marker: a hedge on a claim or a loaded label applied to an actor."""

    doc_id: str
    kind: Literal["hedge", "label"]
    start: int
    end: int
    text: str
    applies_to: ActorRef | None = None
    target: Span | None = None  # the claim a hedge bears on
    category: str | None = None  # e.g. "regime", "terrorist", "alleged"


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event: who did what to whom, where and when, with its evidence."""

    id: str
    doc_id: str
    run_id: str
    sentence: SentenceRef
    event_type: str
    mode: str | None
    context: tuple[str, ...]
    cameo: str | None
    quad_class: int | None
    goldstein: float | None
    trigger: Span
    actor: tuple[ActorRef, ...]
    recipient: tuple[ActorRef, ...]
    negated: bool
    modality: str
    attributed_to: ActorRef | None
    location: PlaceRef | None
    date: str | None
    date_basis: str | None  # text | dateline | published | None
    confidence: float
    extractor: str
    symmetric: bool = False
    incident_id: str | None = None  # the incident (one real happening) this mention belongs to
    date_precision: str | None = None  # day | week | month | quarter | season | year | decade…


@dataclass(frozen=True, slots=True)
class CasualtyCount:
    """A number of people: ``low``/``high`` bounds ("at least 12" → 12/None, "six" → 6/6,
    "up to 50" → None/50, "dozens" → 24/None)."""

    low: int | None
    high: int | None


@dataclass(frozen=True, slots=True)
class CasualtyFigure:
    """One casualty figure as the text states it.

    ``kind``: killed | injured; ``category``: total | civilians | children | women |
    combatants; ``rising``: the toll rose to it ("rose to 126"); ``subset``: it counts part of
    the figure before it ("including 4 children"); ``source``: who the text says gave it;
    ``background``: it counts a war or campaign ("since 2011"), not the incident.
    """

    kind: str
    category: str
    count: CasualtyCount
    start: int
    end: int
    text: str
    sentence_index: int
    source: str | None = None
    rising: bool = False
    subset: bool = False
    background: bool = False  # counts a whole war or campaign, not this incident


@dataclass(frozen=True, slots=True)
class Toll:
    """Killed or injured by category (None: not stated)."""

    total: CasualtyCount | None = None
    civilians: CasualtyCount | None = None
    children: CasualtyCount | None = None
    women: CasualtyCount | None = None
    combatants: CasualtyCount | None = None


@dataclass(frozen=True, slots=True)
class Casualties:
    """An incident's casualties: the resolved tolls (a rising toll resolved to its latest
    figure), the source of the killed figure, and every figure the text states."""

    killed: Toll
    injured: Toll
    source: str | None = None
    figures: tuple[CasualtyFigure, ...] = ()


@dataclass(frozen=True, slots=True)
class IncidentPlace:
    """Where an incident happened: the most specific place the text gives.

    ``precision``: site | town | district | province | country; ``admin1`` the first-order
    division (a Syrian governorate, a US state) by name."""

    text: str
    start: int
    end: int
    geonameid: int | None
    name: str | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: str


@dataclass(frozen=True, slots=True)
class Incident:
    """One real happening within a document: the event mentions that describe it merged.

    ``cause``: airstrike | shelling | explosion | chemical | shooting | execution | other |
    unknown. ``date_precision``: day | week | month | year | None. ``cluster_id`` links
    incidents of several documents about the same happening (None until clustered).
    """

    id: str
    doc_id: str
    run_id: str
    event_type: str
    mode: str | None
    event_ids: tuple[str, ...]
    evidence: tuple[Span, ...]
    actor: tuple[ActorRef, ...]
    target: tuple[ActorRef, ...]
    location: IncidentPlace | None
    date: str | None
    date_precision: str | None
    cause: str
    cause_text: Span | None
    casualties: Casualties
    cluster_id: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """The document record: metadata, dateline, and what happened to it in the run."""

    doc_id: str
    text: str
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    content_hash: str
    dateline: Dateline | None
    duplicate_of: str | None = None
    duplicate_kind: str | None = None  # exact | near (a syndicated copy), when duplicate_of is set
    meta_json: str = "{}"
    origin: str | None = None
    run_id: str = ""
    text_published: str | None = None  # the date the text itself gives (YYYY-MM-DD), if any


@dataclass(frozen=True, slots=True)
class Result:
    """Everything extracted from one article: the unit the engines produce and the store writes."""

    document: Document
    events: tuple[Event, ...] = ()
    quotes: tuple[Quote, ...] = ()
    places: tuple[Place, ...] = ()
    dates: tuple[DateRef, ...] = ()
    actors: tuple[ActorMention, ...] = ()
    frames: tuple[Frame, ...] = ()
    incidents: tuple[Incident, ...] = ()


#: the field names of each dataclass ``to_dict`` has met (the store writes every record)
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_ATOMS = frozenset({str, int, float, bool, type(None)})


def to_dict(record: Any) -> Any:
    """Plain JSON-able data for a record (dataclasses → dicts, tuples → lists)."""
    cls = type(record)
    if cls in _ATOMS:
        return record
    names = _FIELD_NAMES.get(cls)
    if names is not None:
        # (an atom, most fields, is taken as it is without a call)
        out = {}
        for name in names:
            v = getattr(record, name)
            out[name] = v if type(v) in _ATOMS else to_dict(v)
        return out
    if cls is tuple or cls is list:
        return [x if type(x) in _ATOMS else to_dict(x) for x in record]
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(record))
        return {name: to_dict(getattr(record, name)) for name in names}
    if isinstance(record, (list, tuple)):
        return [to_dict(x) for x in record]
    if isinstance(record, dict):
        return {k: to_dict(v) for k, v in record.items()}
    return record
