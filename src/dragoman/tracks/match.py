"""Finding a track's terms in a text: compiled matchers, hits with offsets, paragraphs.

Pure Python over strings (no store, no spaCy), so the tagger can run it on the documents
DuckDB pre-selected with one regular expression over every track's phrases.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .definitions import Term, Track, TrackSet, phrase_pattern

__all__ = ["Hit", "TrackMatcher", "gate_pattern", "paragraph_of", "paragraphs",
           "prefilter_pattern", "track_gate_sql"]


@dataclass(frozen=True, slots=True)
class Hit:
    """A term found in a text: its offsets and the phrase (as the track file gives it)."""

    start: int
    end: int
    phrase: str


def _compile(phrases: list[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    # longest first, so "Astana process" wins over "Astana" at the same place
    ordered = sorted(dict.fromkeys(phrases), key=len, reverse=True)
    return re.compile("|".join(f"(?:{phrase_pattern(p)})" for p in ordered), re.IGNORECASE)


class _TermSet:
    """Terms compiled: one pattern for all, and the near-conditions per phrase."""

    def __init__(self, terms: tuple[Term, ...]) -> None:
        self.pattern = _compile([t.phrase for t in terms])
        self.phrases = {t.phrase.casefold(): t for t in terms}
        self._keys = [(re.compile(phrase_pattern(t.phrase), re.IGNORECASE), t) for t in terms]
        near = sorted({n for t in terms for n in t.near})
        self.near = {n: re.compile(phrase_pattern(n), re.IGNORECASE) for n in near}

    def term_of(self, matched: str) -> Term:
        for rx, t in self._keys:
            if rx.fullmatch(matched):
                return t
        return Term(matched)  # unreachable: every match is one of the terms

    def find(self, text: str, masked: list[tuple[int, int]],
             published: str | None = None) -> list[Hit]:
        if self.pattern is None:
            return []
        near_ok: dict[str, bool] = {}
        out: list[Hit] = []
        for m in self.pattern.finditer(text):
            if any(s <= m.start() and m.end() <= e for s, e in masked):
                continue
            term = self.term_of(m.group(0))
            if not term.in_window(published):
                continue
            if term.near:
                ok = False
                for n in term.near:
                    if n not in near_ok:
                        near_ok[n] = self.near[n].search(text) is not None
                    ok = ok or near_ok[n]
                if not ok:
                    continue
            out.append(Hit(m.start(), m.end(), term.phrase))
        return out


class TrackMatcher:
    """One track's terms, not-terms, proposals, participants and places, compiled."""

    def __init__(self, track: Track) -> None:
        self.track = track
        self.terms = _TermSet(track.terms)
        self.not_terms = _compile(list(track.not_terms))
        self.proposals = [(p.name, _TermSet(p.terms)) for p in track.proposals]
        self._near_terms = {(p.name, t.phrase.casefold()) for p in track.proposals
                            for t in p.terms if t.near}
        self.places = frozenset(p.casefold() for p in track.places)
        self.types = frozenset(track.event_types)
        kb: dict[str, str] = {}
        names: dict[str, str] = {}
        countries: dict[str, str] = {}
        for part in track.participants:
            if part.kb:
                kb[part.kb] = part.name
                if part.kb.startswith("country:"):
                    countries[part.kb.split(":", 1)[1]] = part.name
            for key in part.all_names():
                names[key] = part.name
        self._kb, self._names, self._countries = kb, names, countries

    def _masked(self, text: str) -> list[tuple[int, int]]:
        if self.not_terms is None:
            return []
        return [(m.start(), m.end()) for m in self.not_terms.finditer(text)]

    def hits(self, text: str, published: str | None = None) -> list[Hit]:
        """The track's terms in ``text`` (not inside a not-term; near-conditions met; each
        term's own window holding ``published``, the document's date)."""
        return self.terms.find(text, self._masked(text), published)

    def proposal_hits(self, text: str, published: str | None = None) -> list[tuple[str, Hit]]:
        """(proposal name, hit) for every proposal term in ``text``."""
        masked = self._masked(text)
        return [(name, h) for name, ts in self.proposals
                for h in ts.find(text, masked, published)]

    def proposal_near_ok(self, name: str, hit: Hit, text: str) -> bool:
        """Whether a proposal hit's term, if it has ``near`` phrases, has one in ``text``."""
        if (name, hit.phrase.casefold()) not in self._near_terms:
            return True
        for pname, ts in self.proposals:
            if pname == name:
                term = ts.phrases.get(hit.phrase.casefold())
                if term is None or not term.near:
                    return True
                return any(ts.near[n].search(text) for n in term.near)
        return True

    def participant(self, kb_id: str | None, name: str | None, text: str | None,
                    country: str | None = None) -> str | None:
        """The participant an actor is (by kb id, name or alias, or the country of a
        participant given as ``country:XXX``), or None."""
        if kb_id and kb_id in self._kb:
            return self._kb[kb_id]
        for n in (name, text):
            if n and n.casefold() in self._names:
                return self._names[n.casefold()]
        if country and country in self._countries:
            return self._countries[country]
        return None

    def is_place(self, name: str | None) -> bool:
        return bool(name) and name.casefold() in self.places  # type: ignore[union-attr]


def prefilter_pattern(tracks: TrackSet) -> str:
    """One RE2-compatible, case-insensitive pattern that matches wherever any track's term
    could (DuckDB's ``regexp_matches`` selects the documents worth reading)."""
    phrases = sorted({t.phrase for tr in tracks.tracks for t in tr.terms}, key=len,
                     reverse=True)
    return "(?i)" + "|".join(f"(?:{phrase_pattern(p)})" for p in phrases)


def gate_pattern(phrases: list[str] | tuple[str, ...]) -> str | None:
    """An RE2 pattern (DuckDB) that matches wherever any of ``phrases`` could match in
    Python: RE2's word boundary is ASCII-only, so it is kept only beside an ASCII word
    character (there Python's boundary implies RE2's) and dropped otherwise. A superset:
    the Python matcher makes the decision on what the gate lets through."""
    if not phrases:
        return None
    alts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        words = [w for w in re.split(r"[\s\-]+", p.strip()) if w]
        if not words:
            continue
        body = r"[\s\-\"'“”‘’]+".join(re.escape(w) for w in words)
        left = r"\b" if re.match(r"[A-Za-z0-9_]", words[0]) else ""
        right = r"\b" if re.search(r"[A-Za-z0-9_]$", words[-1]) else ""
        alts.append(f"{left}{body}{right}")
    return "(?i)" + "|".join(f"(?:{a})" for a in alts) if alts else None


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def track_gate_sql(terms: tuple[Term, ...], column: str = "text") -> str:
    """A DuckDB boolean over ``column``: the text may hold one of ``terms`` with its
    ``near`` condition met (terms grouped by their near phrases; each group one RE2
    test of its phrases and one of its near phrases). FALSE when there are no terms."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for t in terms:
        groups.setdefault(tuple(sorted(t.near)), []).append(t.phrase)
    tests = []
    for near, phrases in groups.items():
        pat = gate_pattern(phrases)
        if pat is None:
            continue
        test = f"regexp_matches({column}, {_sql_str(pat)})"
        npat = gate_pattern(near) if near else None
        if npat is not None:
            test = f"({test} AND regexp_matches({column}, {_sql_str(npat)}))"
        tests.append(test)
    return "(" + " OR ".join(tests) + ")" if tests else "FALSE"


def paragraphs(text: str) -> list[int]:
    """The start offsets of the text's paragraphs (split at line breaks)."""
    starts = [0]
    for m in re.finditer(r"\n+", text):
        if m.end() < len(text):
            starts.append(m.end())
    return starts


def paragraph_of(text: str, starts: list[int], offset: int) -> tuple[int, int]:
    """The (start, end) of the paragraph holding ``offset`` (``starts`` from ``paragraphs``)."""
    i = max(0, bisect.bisect_right(starts, offset) - 1)
    start = starts[i]
    end = starts[i + 1] if i + 1 < len(starts) else len(text)
    while end > start and text[end - 1] in "\r\n \t":
        end -= 1
    return start, end
