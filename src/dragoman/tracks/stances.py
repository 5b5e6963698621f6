"""Stances: who stands where on a track and its proposals, from events and quotes.

The vocabulary is data (``data/tracks/stances.yaml``): which PLOVER types are stances
(SUPPORT → support, REJECT → reject, REQUEST → demand, ACCUSE → accuse …) and which
phrases of a quote's content say which stance. ``stance_rows`` turns the events and quotes
linked to a track into rows of the stance table; ``mark_changes`` marks, per track,
proposal and actor, the rows whose stance differs from the actor's previous one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._data import data_path, entry_where, read_yaml
from ..errors import DataFileError
from .definitions import phrase_pattern

__all__ = [
    "STANCES",
    "StanceLexicon",
    "load_stance_lexicon",
    "mark_changes",
]

#: the stances a cell can hold
STANCES = ("support", "agree", "differ", "reject", "demand", "accuse")

_SCOPES = ("speaker", "with_partners")


@dataclass(frozen=True, slots=True)
class _QuoteRule:
    stance: str
    scope: str
    negated: str | None
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class StanceLexicon:
    """Event types as stances and the ordered quote rules."""

    events: dict[str, tuple[str, str | None]]
    rules: tuple[_QuoteRule, ...]
    negators: re.Pattern[str] | None

    def event_stance(self, event_type: str, negated: bool) -> str | None:
        """The stance an event of this type takes (None: not a stance)."""
        entry = self.events.get(event_type)
        if entry is None:
            return None
        return entry[1] if negated else entry[0]

    def cue_at(self, text: str, pos: int) -> tuple[str, int] | None:
        """(stance, end) of the first quote rule whose phrase starts at ``pos`` of ``text``
        (an event's trigger read with the words after it: "called for" is a demand, not
        the accusation "called" can be), or None."""
        for rule in self.rules:
            m = rule.pattern.match(text, pos)
            if m is not None:
                stance = rule.stance
                if rule.negated and self._negated_before(text, pos):
                    stance = rule.negated  # "was not ready to": the coder missed the "not"
                return stance, m.end()
        return None

    def _negated_before(self, text: str, pos: int) -> bool:
        """Whether one of the three words before ``pos`` is a negator."""
        return any(self.negated_word(w) for w in text[max(0, pos - 40):pos].split()[-3:])

    def negated_word(self, word: str) -> bool:
        """Whether a word is a negator: one of the list, or a contraction that ends in one
        ("doesn't", "won’t" end in "n't")."""
        if self.negators is None:
            return False
        w = word.replace("\u2019", "'").strip(".,;:!?\"'\u201c\u201d()")
        if self.negators.fullmatch(w):
            return True
        return "'" in w and any(self.negators.fullmatch(w[i:]) for i in range(1, len(w) - 1)
                                if w[i - 1].isalpha() and w[i:i + 1] != "'")

    def quote_stance(self, text: str) -> tuple[str, str, int, int] | None:
        """(stance, scope, start, end of the phrase) of a quote's content, or None."""
        for rule in self.rules:
            m = rule.pattern.search(text)
            if m is None:
                continue
            stance = rule.stance
            if rule.negated and self._negated_before(text, m.start()):
                stance = rule.negated
            return stance, rule.scope, m.start(), m.end()
        return None


def _stance(value: Any, where: str) -> str:
    if value not in STANCES:
        raise DataFileError(f"{where}: stance {value!r} is not one of {', '.join(STANCES)}")
    return str(value)


def load_stance_lexicon(path: Path | str | None = None) -> StanceLexicon:
    """The stance vocabulary (the packaged ``data/tracks/stances.yaml`` by default)."""
    p = Path(path) if path is not None else data_path("tracks", "stances.yaml")
    data = read_yaml(p, lines=True, mapping=True)
    entry_where(data, str(p), frozenset({"events", "quotes", "negators"}), "stance file")
    from ..extract.events.lexicon import plover_types

    known = set(plover_types())
    events: dict[str, tuple[str, str | None]] = {}
    raw_events = data.get("events") or {}
    where = f"{p}:{raw_events.get('__line__', 1)}" if isinstance(raw_events, dict) else str(p)
    if not isinstance(raw_events, dict):
        raise DataFileError(f"{where}: events must map PLOVER types to stances")
    for etype, entry in raw_events.items():
        if etype == "__line__":
            continue
        if etype not in known:
            raise DataFileError(f"{where}: {etype!r} is not a PLOVER event type")
        if not isinstance(entry, dict):
            raise DataFileError(f"{where}: {etype}: give {{stance: ..., negated: ...}}")
        w = entry_where(entry, str(p), frozenset({"stance", "negated"}), "event stance")
        neg = entry.get("negated")
        events[etype] = (_stance(entry.get("stance"), w), _stance(neg, w) if neg else None)
    rules = []
    raw_rules = data.get("quotes") or []
    if not isinstance(raw_rules, list):
        raise DataFileError(f"{p}: quotes must be a list of rules")
    for rule in raw_rules:
        if not isinstance(rule, dict):
            raise DataFileError(f"{p}: every quote rule is a mapping")
        w = entry_where(rule, str(p), frozenset({"stance", "scope", "negated", "phrases"}),
                        "quote stance rule")
        scope = rule.get("scope", "speaker")
        if scope not in _SCOPES:
            raise DataFileError(f"{w}: scope is one of {', '.join(_SCOPES)}, not {scope!r}")
        phrases = rule.get("phrases")
        if not isinstance(phrases, list) or not phrases or not all(
                isinstance(x, str) and x.strip() for x in phrases):
            raise DataFileError(f"{w}: phrases must be a non-empty list of strings")
        ordered = sorted(phrases, key=len, reverse=True)
        pattern = re.compile("|".join(phrase_pattern(x) for x in ordered), re.IGNORECASE)
        neg = rule.get("negated")
        rules.append(_QuoteRule(_stance(rule.get("stance"), w), scope,
                                _stance(neg, w) if neg else None, pattern))
    negs = data.get("negators") or []
    if not isinstance(negs, list) or not all(isinstance(x, str) for x in negs):
        raise DataFileError(f"{p}: negators must be a list of words")
    neg_rx = (re.compile("|".join(re.escape(x) for x in negs), re.IGNORECASE)
              if negs else None)
    return StanceLexicon(events, tuple(rules), neg_rx)


def mark_changes(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows sorted by (track, proposal, actor, date, doc, offset), each with
    ``previous`` (the stances the actor took on the same track and proposal in the document
    before, comma-separated) and ``changed`` (this stance is not among them). Statements of
    one document are one position: they do not change each other."""
    out = sorted(rows, key=lambda r: (r["track"], r["proposal"] or "", r["actor"],
                                      r["date"] or "", r["doc_id"], r["evidence_start"]))
    prev_doc: dict[tuple[str, str, str], tuple[str, set[str]]] = {}
    before: dict[tuple[str, str, str], set[str] | None] = {}
    for r in out:
        key = (r["track"], r["proposal"] or "", r["actor"])
        cur = prev_doc.get(key)
        if cur is None or cur[0] != r["doc_id"]:
            before[key] = cur[1] if cur else None
            cur = (r["doc_id"], set())
            prev_doc[key] = cur
        cur[1].add(r["stance"])
        prev = before.get(key)
        r["previous"] = ", ".join(sorted(prev)) if prev else None
        r["changed"] = prev is not None and r["stance"] not in prev
    return out
