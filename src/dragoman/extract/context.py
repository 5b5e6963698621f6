"""The per-document context every extractor receives.

The spaCy ``Doc`` covers the article's *body* only (``dateline.body``: after the dateline,
before a trailing byline), so nothing is ever extracted from a dateline or byline. ``base``
is the body's start in the original text; ``span``/``tspan`` turn doc-relative offsets into
``Span`` records with offsets into the original text, which is what every record stores.

Stages run in this order and leave their output on the context for the next ones:
places → actors → dates → quotes → events → framing.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Protocol

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..types import (
    ActorMention,
    ActorRef,
    Article,
    Dateline,
    DateRef,
    Place,
    Quote,
    SentenceRef,
    Span,
)
from . import resources as _resources  # the module: Resources only named in annotations
from .boilerplate import boilerplate_ranges, doc_text

__all__ = ["ActorLookup", "DocContext", "doc_text"]


class ActorLookup(Protocol):
    """What the stages after actor resolution ask of a document's actors
    (``dragoman.extract.actors.ActorIndex`` is the implementation)."""

    mentions: list[ActorMention]

    def refs_for(self, token: Token) -> list[ActorRef]:
        """The actors a token names (through titles, coreference, conjuncts)."""

    def place_ref(self, token: Token) -> ActorRef | None:
        """The country a place-naming token stands for ("a curfew in Algiers")."""

    def is_civilian_target(self, token: Token) -> bool:
        """Whether a token names a civilian target ("homes", "a village")."""


@dataclass
class DocContext:
    doc_id: str
    run_id: str
    article: Article
    dateline: Dateline
    doc: Doc
    base: int
    resources: _resources.Resources
    sent_base: int = 0  # sentences of the article before this doc (long articles: parts)
    # filled in by the stages, in order
    places: list[Place] = field(default_factory=list)
    actors: ActorLookup | None = None
    dates: list[DateRef] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    @property
    def published(self) -> dt.date | None:
        """The publication date, if the article has a valid one."""
        if not self.article.published:
            return None
        try:
            return dt.date.fromisoformat(self.article.published[:10])
        except ValueError:
            return None

    @functools.cached_property
    def boilerplate(self) -> tuple[tuple[int, int], ...]:
        """Doc-relative ranges of the body's boilerplate (tag lines, publication dates, photo
        credits, share/related blocks, inline bylines): nothing is coded from them."""
        return boilerplate_ranges(self.doc, self.article.text, self.base,
                                  self.base + len(self.text),
                                  getattr(self.resources, "boilerplate", None))

    @property
    def text(self) -> str:
        """The doc's text, built once (spaCy joins every token on each ``doc.text``)."""
        return doc_text(self.doc)

    def span(self, start: int, end: int) -> Span:
        """A ``Span`` for doc-relative character offsets ``[start, end)``."""
        return Span(self.base + start, self.base + end, self.text[start:end])

    def tspan(self, obj: Token | SpacySpan) -> Span:
        """A ``Span`` covering a spaCy token or span."""
        if isinstance(obj, Token):
            return self.span(obj.idx, obj.idx + len(obj.text))
        return self.span(obj.start_char, obj.end_char)

    def abs(self, doc_offset: int) -> int:
        """Original-text offset of a doc-relative offset."""
        return self.base + doc_offset

    def sentence_ref(self, sent: SpacySpan) -> SentenceRef:
        """The ``SentenceRef`` of a sentence of this doc (index = its position in the doc)."""
        index = self.sentence_index(sent)
        start, end = sent.start_char, sent.end_char
        # boilerplate glued to the sentence ("Tags Raqqa airstrikes At least 20 people were
        # killed", "… were killed Read Also …") is not part of it
        for a, b in self.boilerplate:
            if a <= start < b < end:
                start = b
            elif start < a < end <= b:
                end = a
        text = self.text[start:end]
        # leading and trailing whitespace/newlines are not part of the sentence
        stripped = text.strip()
        start += len(text) - len(text.lstrip())
        return SentenceRef(index, self.base + start, self.base + start + len(stripped),
                           stripped)

    @property
    def sentence_count(self) -> int:
        """Sentences in this doc."""
        return len(self._sentence_starts())

    def sentence_index(self, sent: SpacySpan) -> int:
        return self.sent_base + bisect.bisect_right(self._sentence_starts(), sent.start) - 1

    def _sentence_starts(self) -> list[int]:
        cached = self.doc.user_data.get("dragoman_sent_starts")
        if cached is None:
            cached = [s.start for s in self.doc.sents]
            self.doc.user_data["dragoman_sent_starts"] = cached
        return cached
