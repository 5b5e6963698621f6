"""Names that are not places (issue 16 point 5): news media, a source's base, surnames.

``load_not_places()`` reads ``data/places/not_places.yaml`` (validated, ``file:line``
errors); ``reclassify(ctx, places)`` runs after place resolution and

- drops a mention that names a news agency or outlet ("SANA" read as Sanaa, Yemen;
  "Al-Horra" read as Howrah, India) — the media list and every all-capitals agency alias
  of ``data/ingest/agencies.yaml``;
- drops a city whose name is part of a longer person's name in the same document
  ("Aldar Khalil … Khalil said" is not Hebron, al-Khalil);
- keeps a place joined by a hyphen to an attributive word ("Britain-based", "US-led",
  "London-based") as a mention with role ``embedded``: it is never an event's location
  nor an actor (``drop_attributive_actors``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from ... import _data
from ...errors import DataFileError
from ...ingest.dateline import default_lexicon as _agencies
from ...types import ActorMention, Place
from ..context import DocContext

__all__ = [
    "NOT_PLACES_FILE",
    "NotPlaces",
    "attributive",
    "drop_attributive_actors",
    "load_not_places",
    "reclassify",
]

NOT_PLACES_FILE = _data.data_path("places", "not_places.yaml")
_KEYS = ("media", "attributive_suffixes", "person_labels")
_T = TypeVar("_T", Place, ActorMention)


def _key(name: str) -> str:
    return re.sub(r"[\s\-‐–'’]+", "", name).casefold()


@dataclass(frozen=True)
class NotPlaces:
    """Media names (as keys), agency acronyms (exact), attributive suffixes (lower case),
    person entity labels."""

    media: frozenset[str]
    acronyms: frozenset[str]
    suffixes: tuple[str, ...]
    person_labels: frozenset[str]

    @functools.cached_property
    def attributive(self) -> re.Pattern[str]:
        alt = "|".join(re.escape(s) for s in sorted(self.suffixes, key=len, reverse=True))
        return re.compile(rf"[-‐–](?:{alt})(?![\w])", re.IGNORECASE)


def load_not_places(path: str | Path = NOT_PLACES_FILE) -> NotPlaces:
    """The not-places lists, validated: raises ``DataFileError`` naming the file and line."""
    data = _data.read_yaml(path, mapping=True, lines=True)
    lines: dict[str, int] = {}
    for i, line in enumerate(_data.read_text(path).splitlines(), 1):
        m = re.match(r"([^\s:#][^:]*):", line)
        if m:
            lines.setdefault(m.group(1), i)
    out: dict[str, list[str]] = {}
    for key, value in data.items():
        if key == "__line__":
            continue
        where = f"{path}:{lines.get(str(key), 1)}"
        if key not in _KEYS:
            raise DataFileError(f"{where}: unknown key {key!r}; expected one of "
                                + ", ".join(_KEYS))
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            raise DataFileError(f"{where}: {key} must be a list of non-empty strings")
        out[key] = [v.strip() for v in value]
    missing = [k for k in _KEYS if k not in out]
    if missing:
        raise DataFileError(f"{path}:1: missing key(s) {', '.join(missing)}")
    agencies = {a for ag in _agencies().agencies for a in (ag.name, *ag.aliases)
                if a.isupper() and len(a) >= 3}
    return NotPlaces(
        media=frozenset(_key(m) for m in out["media"] if not m.isupper()),
        acronyms=frozenset(m for m in (*out["media"], *agencies) if m.isupper()),
        suffixes=tuple(s.lower() for s in out["attributive_suffixes"]),
        person_labels=frozenset(out["person_labels"]),
    )


@functools.lru_cache(maxsize=1)
def _default() -> NotPlaces:
    return load_not_places()


def _attributive(ctx: DocContext, end: int, np: NotPlaces) -> bool:
    text = ctx.article.text
    return np.attributive.match(text, end) is not None


def attributive(ctx: DocContext, end: int) -> bool:
    """Whether a hyphen and an attributive word follow offset ``end`` of the original text
    ("Britain-based", "US-led"): the name before it describes something else."""
    return _attributive(ctx, end, _default())


def _surnames(ctx: DocContext, np: NotPlaces) -> frozenset[str]:
    """Keys of the last words (surnames) of the document's multi-word person names, not
    counting names inside boilerplate ("Tags Aleppo Syria", read as a person "Tags Aleppo",
    would otherwise take every "Aleppo" of the story)."""
    bp = ctx.boilerplate
    return frozenset(_key(ent[-1].text) for ent in ctx.doc.ents
                     if ent.label_ in np.person_labels and len(ent) >= 2
                     and ent[-1].text[:1].isupper()
                     and not any(a <= ent.start_char < b for a, b in bp))


def reclassify(ctx: DocContext, places: Iterable[Place],
               lists: NotPlaces | None = None) -> list[Place]:
    """``places`` less media names and surnames; places with an attributive suffix
    ("Britain-based") kept with role ``embedded``."""
    np = lists or _default()
    surnames: frozenset[str] | None = None
    out: list[Place] = []
    for p in places:
        key = _key(p.text)
        if p.text.strip() in np.acronyms or key in np.media:
            continue
        if p.feature and p.feature.startswith("P.") and " " not in p.text.strip():
            if surnames is None:
                surnames = _surnames(ctx, np)
            if key in surnames:
                continue
        if p.role in ("mention", "event_location", "metonym") and _attributive(ctx, p.end, np):
            p = replace(p, role="embedded")
        out.append(p)
    return out


def drop_attributive_actors(ctx: DocContext, mentions: Sequence[_T],
                            lists: NotPlaces | None = None) -> list[_T]:
    """``mentions`` less those a hyphen joins to an attributive word ("US-led coalition":
    the coalition acts, not the United States)."""
    np = lists or _default()
    return [m for m in mentions if not _attributive(ctx, m.end, np)]
