"""Actors: the records of the knowledge base — ``KBEntry`` (a country, organisation or
person) and ``Role`` (an office a person held, with its dates).

The codes that stand where a country would (``SPECIAL_CODES``) are defined here too, since
entries, their loader and the resolver all test for them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["SPECIAL_CODES", "KBEntry", "Role", "best_by_hint"]

#: country codes that are not ISO-3: intergovernmental, non-governmental, multinational,
#: international militarised group (CAMEO's code for transnational armed groups)
SPECIAL_CODES = frozenset({"IGO", "NGO", "MNC", "IMG"})


@dataclass(frozen=True, slots=True)
class Role:
    """One office a person held: ``start`` inclusive, ``end`` exclusive (None = open)."""

    title: str
    country: str
    sector: str | None
    start: dt.date | None
    end: dt.date | None

    def active(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


@dataclass(frozen=True, slots=True)
class KBEntry:
    """A knowledge-base actor: a country, an organisation or a person."""

    kb_id: str  # "country:RUS", "org:hezbollah", "person:lavrov"
    kind: str  # country | org | person
    name: str
    country: str | None
    sector: str | None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    org_kind: str | None = None
    wikidata: str | None = None
    origin: str = ""
    preferred: tuple[str, ...] = ()  # demonyms/capitals a curated or user row claims

    def role_on(self, on: dt.date | None, hint: str = "") -> Role | None:
        """The role held on ``on``; without a date the one whose title the text names
        (``hint``: lower-cased title words around the mention), else the latest."""
        if not self.roles:
            return None
        if on is not None:
            active = [r for r in self.roles if r.active(on)]
            if active:
                return best_by_hint(active, hint) or active[-1]
            return None
        return best_by_hint(list(self.roles), hint) or self.roles[-1]


def best_by_hint(roles: list[Role], hint: str) -> Role | None:
    """The role whose title shares most words with ``hint`` (its whole title counts
    most); None when none shares a word or there is no hint."""
    if not hint:
        return None
    best: Role | None = None
    best_score = 0
    for r in roles:
        words = set(r.title.lower().split())
        score = len(words & set(hint.split()))
        if r.title.lower() in hint:
            score += 10
        if score > best_score:
            best, best_score = r, score
    return best
