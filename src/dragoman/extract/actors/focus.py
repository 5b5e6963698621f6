"""Actors: the country in focus — the country named nearest a phrase.

A person with an office title but no nationality ("President Laurent Gbagbo") holds it in
the country the text is about; "ethnic Albanians" are of the country in focus other than
Albania; a group placed nowhere ("demonstrators") is of its sentence's country.
"""

from __future__ import annotations

import bisect

from .entries import SPECIAL_CODES
from .state import DocState, story_country_of

__all__ = ["focus_near", "focus_pass", "place_focus"]

_FOCUS_SENTENCES = 3  # sentences looked back for the country in focus of a titled person


def _points(r: DocState) -> list[tuple[int, str]]:
    """Where countries are named (demonyms, country names, capitals, places, and
    mentions of a national organisation or person): sorted (token, iso3)."""
    if r.focus_points is None:
        pts: dict[int, str] = {}
        for i, c in r.country_at.items():
            if c and c not in SPECIAL_CODES:
                pts.setdefault(i, c)
        for m in r.items:
            if m.country and m.country not in SPECIAL_CODES:
                pts.setdefault(m.head, m.country)
        for i, c in r.place_country.items():
            pts.setdefault(i, c)
        r.focus_points = sorted(pts.items())
    return r.focus_points


def focus_near(r: DocState, start: int, end: int, exclude: str | None = None,
               sentence_only: bool = False) -> str | None:
    """The country named nearest a phrase: in its sentence before it, else after it,
    else (unless ``sentence_only``) in the few sentences before."""
    pts = _points(r)
    if not pts:
        return None
    keys = [p[0] for p in pts]
    s = r.sent_index(start)
    s0 = r.sent_starts[s]
    s1 = r.sent_starts[s + 1] if s + 1 < len(r.sent_starts) else len(r.doc)
    k = bisect.bisect_left(keys, start) - 1
    while k >= 0 and keys[k] >= s0:
        if pts[k][1] != exclude:
            return pts[k][1]
        k -= 1
    k = bisect.bisect_left(keys, end)
    while k < len(keys) and keys[k] < s1:
        if pts[k][1] != exclude:
            return pts[k][1]
        k += 1
    if sentence_only:
        return None
    floor = r.sent_starts[max(0, s - _FOCUS_SENTENCES)]
    k = bisect.bisect_left(keys, s0) - 1
    while k >= 0 and keys[k] >= floor:
        if pts[k][1] != exclude:
            return pts[k][1]
        k -= 1
    return None


def place_focus(r: DocState, start: int, end: int) -> str | None:
    """The country a group placed nowhere ("civilians", "the mob", "police") is of: that
    of the place named nearest it in its sentence (before it, else after), else the
    country most of the story's places are in. Not the nearest *country word*: in "11
    people were killed when Russian jets struck Idlib" the people are Syrian."""
    pts = r.points()
    if not pts:
        return None
    s = r.sent_index(start)
    s0 = r.sent_starts[s]
    s1 = r.sent_starts[s + 1] if s + 1 < len(r.sent_starts) else len(r.doc)
    before = [iso for i, iso in pts if s0 <= i < start]
    if before:
        return before[-1]
    after = [iso for i, iso in pts if end <= i < s1]
    if after:
        return after[0]
    return story_country_of(pts)


def focus_pass(r: DocState) -> None:
    """A person with an office title but no nationality ("President Laurent Gbagbo",
    "Lt. Gen. Prosper Avril") holds that office in the country the text is about: the
    country named nearest in the sentence, else in the sentences before. "Ethnic
    Albanians" are of the country in focus other than Albania, when one is named."""
    for m in r.diaspora:
        own = m.country
        other = focus_near(r, m.start, m.end, exclude=own)
        if other is not None:
            entry = r.kb.country(other)
            m.country, m.name = other, entry.name if entry else None
            m.start = max(0, m.start - 1)
    for m in r.items:
        if m.kind != "person" or m.country is not None or m.sector is None or m.kb_id:
            continue
        country = focus_near(r, m.start, m.end)
        if country is not None:
            m.country = country
            m.resolved_by = "coref"
