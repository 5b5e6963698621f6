"""Actors: the state of one document's resolution, shared by the passes.

``DocState`` holds what the passes (``named``, ``focus``, ``coref``, ``nominals``) read and
add: the document's tokens and places, the mentions found so far (``items``, ``by_token``,
``taken``), where countries and demonyms are named, and the sentence index. Its methods are
the small lookups every pass uses; ``index()`` turns the state into an ``ActorIndex``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from ...types import ActorMention
from ..context import DocContext
from .entries import SPECIAL_CODES, KBEntry, best_by_hint
from .kb import KnowledgeBase
from .lexicons import PronounLexicon, SectorLexicon
from .mentions import ActorIndex, Mention, span_of
from .names import norm

__all__ = ["DocState", "story_country_of"]


def story_country_of(points: list[tuple[int, str]]) -> str | None:
    """The country most of the story's places (``DocState.points``) are in, when at least
    half are."""
    if not points:
        return None
    iso, n = Counter(iso for _, iso in points).most_common(1)[0]
    return iso if 2 * n >= len(points) else None


def _lexicons(kb: KnowledgeBase) -> tuple[SectorLexicon, PronounLexicon]:
    """The knowledge base's sector and pronoun lexicons (the packaged ones if it has none)."""
    lex, pron = kb.sectors, kb.pronouns
    if lex is None or pron is None:
        from ..resources import default_resources  # resources imports this package

        default: KnowledgeBase = default_resources().kb
        lex = lex or default.sectors
        pron = pron or default.pronouns
        assert lex is not None and pron is not None
    return lex, pron


class DocState:
    """One document's resolution in progress (see docs/actors.md for the rules)."""

    def __init__(self, ctx: DocContext, kb: KnowledgeBase) -> None:
        self.ctx = ctx
        self.doc: Doc = ctx.doc
        self.kb = kb
        self.lex, self.pron = _lexicons(kb)
        self.date = ctx.published
        self.items: list[Mention] = []
        self.by_token: dict[int, Mention] = {}
        self.taken: set[int] = set()  # tokens inside a named mention
        self.toks: list[Token] = list(self.doc)  # spaCy builds a new Token on every access
        self.lemmas = [t.lemma_.lower() for t in self.toks]
        self.place_country: dict[int, str] = {}  # gazetteer place token → its country
        self.place_spans: dict[int, tuple[int, int, str]] = {}  # token → place (start, end, iso3)
        self.place_tokens, self.metonym_tokens = self._places()
        self.country_at: dict[int, str] = {}  # token → country named there (for focus)
        self.demonym_at: dict[int, tuple[int, int, str]] = {}  # token → (start, end, iso3)
        self.demonym_tok: dict[int, tuple[int, str]] = {}  # every demonym token → start, iso3
        self.skip: set[int] = self._dateline_tokens()
        self.sent_of: list[int] | None = None
        self.sent_starts: list[int] = []
        self.group_cache: dict[int, Mention | None] = {}
        self.focus_points: list[tuple[int, str]] | None = None
        self.place_points: list[tuple[int, str]] | None = None  # (first token, iso3)
        self.diaspora: list[Mention] = []
        self.title_words = frozenset(
            w for k, sec in self.lex.terms.items() if sec in ("GOV", "MIL", "JUD", "LEG")
            and len(k) <= 3 for w in k
        ) | self.lex.person_titles | self.lex.title_words

    def _places(self) -> tuple[set[int], set[int]]:
        places: set[int] = set()
        metonyms: set[int] = set()
        if not self.ctx.places:
            return places, metonyms
        for p in self.ctx.places:
            if p.role in ("demonym", "embedded"):
                continue  # read by the actor rules themselves (demonyms, organisations)
            span = self.doc.char_span(
                p.start - self.ctx.base, p.end - self.ctx.base, alignment_mode="expand"
            )
            if span is None:
                continue
            for t in span:
                places.add(t.i)
                if p.role == "metonym":
                    metonyms.add(t.i)
                if p.country and p.role != "dateline":
                    self.place_country.setdefault(t.i, p.country)
                    self.place_spans.setdefault(t.i, (span.start, span.end, p.country))
        return places, metonyms

    def _dateline_tokens(self) -> set[int]:
        """Tokens of a dateline the body still holds ("Moscow, SANA-" at the very start)."""
        doc = self.doc
        out: set[int] = set()
        if len(doc) > 3 and self.toks[1].text == "," and norm(self.toks[0].text) in self.kb.capitals:
            # "Moscow, SANA-Russian ..." / "Moscow, (Reuters) -"
            for t in doc[:6]:
                if t.text in ("-", "—", "–") or t.text.endswith("-"):
                    out.update(range(t.i + 1))
                    break
            if out or (self.toks[2].is_upper and len(self.toks[2]) <= 8):
                out.update({0, 1})
        return out

    def choose(self, ids: Sequence[str], hint: str) -> KBEntry:
        entries = [self.kb.entries[i] for i in ids]
        if len(entries) > 1 and self.date is not None:
            active = [e for e in entries if e.kind != "person" or e.role_on(self.date)]
            if active:
                entries = active
        if len(entries) > 1 and hint:
            for e in entries:
                if e.kind == "person" and best_by_hint(list(e.roles), hint):
                    return e
        if len(entries) > 1:
            # a name two countries' bodies share ("Congress"): the one of the country the
            # story's places are in
            home = story_country_of(self.points())
            return next((e for e in entries if home is not None and e.country == home),
                        entries[0])
        return entries[0]

    def points(self) -> list[tuple[int, str]]:
        """Where places are named (first token, iso3), in text order: countries, divisions
        and towns the gazetteer resolved, not demonyms or the names of national actors."""
        if self.place_points is None:
            self.place_points = sorted({(start, iso) for start, _, iso
                                        in self.place_spans.values()
                                        if iso not in SPECIAL_CODES})
        return self.place_points

    def add(self, m: Mention) -> None:
        self.items.append(m)
        for t in range(m.start, m.end):
            self.by_token.setdefault(t, m)
        self.by_token[m.head] = m

    def head_of(self, start: int, end: int) -> int:
        span = self.doc[start:end]
        return span.root.i

    def from_entry(
        self, e: KBEntry, start: int, end: int, head: int, hint: str, how: str,
        ctx_country: str | None, ctx_sector: str | None,
    ) -> Mention:
        if e.kind == "person":
            role = e.role_on(self.date, hint)
            if role is None and self.date is not None:
                # outside every role on that date: keep who they are, not an office
                return Mention(start, end, head, e.name, ctx_country or e.roles[-1].country,
                               ctx_sector, e.kb_id, "person", how)
            assert role is not None
            sector = role.sector
            if self.date is None and hint and ctx_sector and not best_by_hint(list(e.roles), hint):
                sector = ctx_sector  # "General Michel Aoun" before his presidency
            return Mention(start, end, head, e.name, role.country, sector, e.kb_id,
                           "person", how, role=role.title)
        if e.kind == "country":
            tok = self.toks[head]
            sector = "GOV"
            if tok.dep_ == "pobj" and tok.head.lower_ in self.pron.locative_preps:
                sector = None
            return Mention(start, end, head, e.name, e.country, sector, e.kb_id, "country", how)
        kind = "org" if e.org_kind in ("igo", "ngo", "agency", "media", "company", "military") else "group"
        return Mention(start, end, head, e.name, e.country, e.sector, e.kb_id, kind, how)

    def overlaps_place(self, start: int, end: int) -> bool:
        return any(t in self.place_tokens for t in range(start, end))

    def is_title_word(self, t: Token) -> bool:
        low = t.lower_
        return low in self.title_words or t.lemma_.lower() in self.title_words

    def junk(self, start: int, end: int) -> bool:
        span = self.doc[start:end]
        txt = span.text
        if len(txt) < 2 or "/" in txt or "\n" in txt:
            return True
        return all(not t.is_alpha for t in span)

    def surname_of(self, key: str) -> Mention | None:
        """A person already mentioned whose surname is ``key``."""
        for m in reversed(self.items):
            if m.kind != "person" or not m.name:
                continue
            parts = m.name.split()
            if len(parts) < 2:
                continue
            last = norm(parts[-1])
            if key == last or (key.split("-")[-1] == last.split("-")[-1] and "-" in last):
                return m
        return None

    def focus_country(self, before: int) -> str | None:
        best = None
        for i, c in self.country_at.items():
            if i < before and (best is None or i > best[0]):
                best = (i, c)
        return best[1] if best else None

    def country_after(self, i: int) -> str | None:
        """A country named by "in X"/"of X" right after token ``i`` ("the regime in Syria")."""
        doc = self.doc
        if i + 2 < len(doc) and self.toks[i + 1].lower_ in self.lex.government_preps:
            m = self.by_token.get(i + 2)
            if m is not None and m.kind == "country":
                return m.country
        return None

    def demonym_of(self, t: Token) -> str | None:
        hit = self.demonym_tok.get(t.i)
        return hit[1] if hit else None

    def last_person_with(self, title: str, before: int) -> Mention | None:
        for m in sorted(self.items, key=lambda m: -m.start):
            if m.start >= before or m.kind != "person" or not m.role:
                continue
            if title in m.role.lower():
                return m
        return None

    def sents(self) -> list[int]:
        if self.sent_of is None:
            self.sent_of = [0] * len(self.doc)
            if not (self.doc.has_annotation("SENT_START") or self.doc.has_annotation("DEP")):
                self.sent_starts.append(0)  # no sentence boundaries: one sentence
                return self.sent_of
            for k, sent in enumerate(self.doc.sents):
                self.sent_starts.append(sent.start)
                for t in range(sent.start, sent.end):
                    self.sent_of[t] = k
        return self.sent_of

    def sent_index(self, i: int) -> int:
        return self.sents()[i]

    def sent_start(self, i: int) -> int:
        if i >= len(self.doc):
            return len(self.doc)
        return self.sent_starts[self.sents()[i]]

    def index(self) -> ActorIndex:
        """The result: every mention as a record, and the lookups of ``ActorIndex``."""
        items = sorted(self.items, key=lambda m: (m.start, m.end))
        mentions: list[ActorMention] = []
        for m in items:
            s = span_of(self.ctx, self.doc[m.start:m.end])
            mentions.append(ActorMention(
                doc_id=self.ctx.doc_id, start=s.start, end=s.end, text=s.text, name=m.name,
                country=m.country, sector=m.sector, kb_id=m.kb_id, kind=m.kind,
                resolved_by=m.resolved_by,
            ))
            for c, name in m.alts:
                mentions.append(ActorMention(
                    doc_id=self.ctx.doc_id, start=s.start, end=s.end, text=s.text, name=name,
                    country=c, sector=m.sector, kb_id=None, kind=m.kind,
                    resolved_by=m.resolved_by,
                ))
        demonyms: dict[int, tuple[int, int, str, str | None, str | None]] = {}
        for start, end, iso in self.demonym_at.values():
            entry = self.kb.country(iso)
            for i in range(start, end):
                demonyms[i] = (start, end, iso, entry.name if entry else None,
                               entry.kb_id if entry else None)
        places: dict[int, tuple[int, int, str, str | None, str | None]] = {}
        for i, (start, end, iso) in self.place_spans.items():
            entry = self.kb.country(iso)
            places[i] = (start, end, iso, entry.name if entry else None,
                         entry.kb_id if entry else None)
        return ActorIndex(self.ctx, mentions, dict(self.by_token), items, demonyms, places,
                          self.pron.focus_preps, self.lex.civilian_targets)
