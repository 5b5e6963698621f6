"""Actors: the matching keys of names, shared by the knowledge base and the resolver.

A name is matched on its folded text (accents and typographic quotes and dashes folded to
ASCII); ``norm`` is the case-insensitive key of ordinary names, ``exact_key`` the
case-sensitive key of acronyms ("US" is not "us").
"""

from __future__ import annotations

import unicodedata

__all__ = ["exact_key", "fold", "is_acronym", "norm"]

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "–": "-", "—": "-", "‐": "-"})


def fold(text: str) -> str:
    """``text`` with accents dropped and typographic quotes and dashes made ASCII."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return "".join(c for c in text if not unicodedata.combining(c))


def norm(text: str) -> str:
    """Matching key of a name: accents folded, lower case, 'the' dropped, spaces collapsed."""
    t = " ".join(fold(text).lower().split())
    t = t.removeprefix("the ")
    return t


def exact_key(text: str) -> str:
    """Matching key of an acronym: folded, spaces collapsed, case kept."""
    return " ".join(fold(text).split())


def is_acronym(alias: str) -> bool:
    """Whether an alias is matched case-sensitively (all its letters upper case, ≤ 8 chars)."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(alias) <= 8
