"""Actors: the mention index of one document — what the resolver found and how the other
extractors ask for it.

``Mention`` is one resolved (or unresolved) phrase while the resolver works; ``ActorIndex``
is the result: ``mentions`` (the records) and ``refs_for(token)`` / ``place_ref(token)`` /
``is_civilian_target(token)`` for the events, quotes and framing extractors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ...types import ActorMention, ActorRef, Span
from ..context import DocContext
from .entries import SPECIAL_CODES

__all__ = ["ActorIndex", "Mention", "span_of"]


@dataclass
class Mention:
    """A phrase the resolver found: token range, head and who it is (mutable while the
    passes run: the focus pass fills in countries)."""

    start: int  # token indices [start, end)
    end: int
    head: int
    name: str | None
    country: str | None
    sector: str | None
    kb_id: str | None
    kind: str
    resolved_by: str
    role: str | None = None  # person's role title (for "the minister")
    alts: list[tuple[str | None, str | None]] = field(default_factory=list)  # coordination


@dataclass
class ActorIndex:
    """The actors of one document: mentions and a per-token lookup for the extractors."""

    ctx: DocContext
    mentions: list[ActorMention] = field(default_factory=list)
    _by_token: dict[int, Mention] = field(default_factory=dict, repr=False)
    _items: list[Mention] = field(default_factory=list, repr=False)
    _demonyms: dict[int, tuple[int, int, str, str | None, str | None]] = field(
        default_factory=dict, repr=False)  # token → (start, end, iso3, name, kb_id)
    _places: dict[int, tuple[int, int, str, str | None, str | None]] = field(
        default_factory=dict, repr=False)  # place token → (start, end, iso3, name, kb_id)
    _focus_preps: frozenset[str] = frozenset()
    _civilian_targets: frozenset[str] = frozenset()

    def is_civilian_target(self, token: Token) -> bool:
        """Whether ``token`` is a noun for what civilians own or live in ("homes",
        "village", "residential areas"): as an event's target it stands for civilians."""
        return token.pos_ == "NOUN" and token.lemma_.lower() in self._civilian_targets

    def refs_for(self, token: Token) -> list[ActorRef]:
        """The actor(s) of the noun phrase headed by ``token`` ([] when it names none).

        Coordinated phrases ("Russia and Iran", "Hungarian and Romanian officials") give one
        ref per conjunct; pronouns, surnames and role nouns come back resolved.
        """
        if token.doc is not self.ctx.doc:
            return []
        out: list[ActorRef] = []
        self._collect(token, out, depth=0)
        # de-duplicate (a conjunct may be reached twice)
        seen: set[tuple[int, int, str | None, str | None]] = set()
        uniq: list[ActorRef] = []
        for r in out:
            key = (r.start, r.end, r.name, r.country)
            if key not in seen:
                seen.add(key)
                uniq.append(r)
        return uniq

    def _collect(self, token: Token, out: list[ActorRef], depth: int) -> None:
        if depth > 6:
            return
        m = self._by_token.get(token.i)
        if m is not None:
            out.extend(self._refs(m))
        elif token.i in self._demonyms:
            # a demonym as the argument itself ("Palestinian riots", "rejected an Israeli…")
            self._modifier(token, out, conjuncts=False)
        elif token.pos_ in ("NOUN", "PROPN") and depth == 0:
            # no actor itself: the one its modifier names ("an Indian proposal",
            # "Saudi Arabia's stance", "the Turkish and Greek sides"), else the country
            # it is placed in ("opposition groups in Zimbabwe")
            n = len(out)
            for child in token.children:
                # "the Federal Minister for Interior X", "opposition leader X": the person
                pm = self._by_token.get(child.i) if child.dep_ == "appos" else None
                if pm is not None and pm.kind == "person":
                    out.extend(self._refs(pm))
                    break
            if len(out) == n:
                for child in token.children:
                    if child.dep_ in ("amod", "compound", "poss", "nmod") and child.i < token.i:
                        self._modifier(child, out)
            if len(out) == n:
                self._placed_in(token, out)
        for child in token.children:
            if child.dep_ == "conj" and child.i > token.i:
                self._collect(child, out, depth + 1)

    def place_ref(self, token: Token) -> ActorRef | None:
        """The country of a place that is no actor but an event's target ("a curfew in
        **Algiers**", "fired at targets in **Jericho**"): a ref to the place's text with its
        country and sector CVL (a place that is an action's target stands for the people
        who live there), or None when ``token`` is in no known place."""
        if token.doc is not self.ctx.doc or token.i not in self._places:
            return None
        start, end, iso, name, kb_id = self._places[token.i]
        s = span_of(self.ctx, self.ctx.doc[start:end])
        return ActorRef(s.text, s.start, s.end, name, iso, "CVL", kb_id, "country")

    def _placed_in(self, token: Token, out: list[ActorRef]) -> None:
        """"groups in Zimbabwe", "students throughout Indonesia": a group, country unknown,
        placed in a country by a preposition right after it."""
        for p in token.children:
            if p.dep_ != "prep" or p.i <= token.i or p.lower_ not in self._focus_preps:
                continue
            for o in p.children:
                if o.dep_ != "pobj":
                    continue
                m = self._by_token.get(o.i)
                iso = m.country if m is not None and m.kind == "country" else None
                if iso is None and o.i in self._places:
                    iso = self._places[o.i][2]
                if iso is None or iso in SPECIAL_CODES:
                    continue
                s = span_of(self.ctx, self.ctx.doc[token.left_edge.i:o.right_edge.i + 1])
                entry_name = m.name if m is not None else self._places[o.i][3]
                out.append(ActorRef(s.text, s.start, s.end, entry_name, iso, None, None, "group"))
                return

    def _modifier(self, tok: Token, out: list[ActorRef], conjuncts: bool = True,
                  depth: int = 0) -> None:
        extra = [c for c in tok.children if c.dep_ == "conj"] if conjuncts else []
        for t in (tok, *extra):
            m = self._by_token.get(t.i)
            if m is not None and m.kind != "pronoun":
                out.extend(self._refs(m))
                continue
            d = self._demonyms.get(t.i)
            if d is not None:
                start, end, iso, name, kb_id = d
                s = span_of(self.ctx, self.ctx.doc[start:end])
                out.append(ActorRef(s.text, s.start, s.end, name, iso, None, kb_id, "country"))
            elif depth == 0 and t.dep_ == "compound":
                # "US Predator attacks": the modifier of a compound modifier
                for c in t.children:
                    if c.dep_ in ("compound", "amod") and c.i < t.i:
                        self._modifier(c, out, conjuncts, depth + 1)

    def _refs(self, m: Mention) -> list[ActorRef]:
        span = self.ctx.doc[m.start:m.end]
        s = span_of(self.ctx, span)
        refs = [ActorRef(s.text, s.start, s.end, m.name, m.country, m.sector, m.kb_id, m.kind)]
        for country, name in m.alts:
            refs.append(ActorRef(s.text, s.start, s.end, name, country, m.sector, None, m.kind))
        return refs


def span_of(ctx: DocContext, span: SpacySpan) -> Span:
    """``ctx.tspan`` without rebuilding ``doc.text`` (spaCy joins every token for it): the
    span's text sliced from the doc's."""
    start, end = span.start_char, span.end_char
    return Span(ctx.base + start, ctx.base + end, ctx.text[start:end])
