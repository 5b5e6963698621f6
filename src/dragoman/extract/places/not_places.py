"""Names that are not places (issue 16 point 5): news media, a source's base, surnames.

``load_not_places()`` (``words.py``, the data model; carried in ``Resources.not_places``)
reads ``data/places/not_places.yaml`` (validated, ``file:line`` errors);
``reclassify(ctx, places)`` runs after place resolution and

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

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TypeVar

from ...types import ActorMention, Place
from ..context import DocContext
from .mentions import gazetteer_of, stripped_possessive
from .words import NOT_PLACES_FILE, NotPlaces, load_not_places, not_places_key, not_places_of

__all__ = [
    "NOT_PLACES_FILE",
    "NotPlaces",
    "attributive",
    "drop_attributive_actors",
    "load_not_places",
    "reclassify",
    "source_base",
]

_T = TypeVar("_T", Place, ActorMention)


def _lists(ctx: DocContext) -> NotPlaces:
    """The context's not-places lists (its resources'), else the packaged ones."""
    return not_places_of(ctx.resources)


_key = not_places_key


def _attributive(ctx: DocContext, end: int, np: NotPlaces) -> bool:
    text = ctx.article.text
    return np.attributive.match(text, end) is not None


def attributive(ctx: DocContext, end: int) -> bool:
    """Whether a hyphen and an attributive word follow offset ``end`` of the original text
    ("Britain-based", "US-led"): the name before it describes something else."""
    return _attributive(ctx, end, _lists(ctx))


def source_base(ctx: DocContext, end: int) -> bool:
    """Whether a hyphen and a base suffix follow offset ``end`` of the original text
    ("Britain-based", "Damascus-born"): the name is where someone is, never a party."""
    rx = _lists(ctx).base
    return rx is not None and rx.match(ctx.article.text, end) is not None


def _surnames(ctx: DocContext, np: NotPlaces) -> frozenset[str]:
    """Keys of the last words (surnames) of the document's multi-word person names, not
    counting names inside boilerplate ("Tags Aleppo Syria", read as a person "Tags Aleppo",
    would otherwise take every "Aleppo" of the story)."""
    bp = ctx.boilerplate
    gaz = gazetteer_of(ctx)
    # ("Syrias Homs", read as a person, is Syria's Homs: no name)
    return frozenset(_key(ent[-1].text) for ent in ctx.doc.ents
                     if ent.label_ in np.person_labels and len(ent) >= 2
                     and ent[-1].text[:1].isupper()
                     and not any(a <= ent.start_char < b for a, b in bp)
                     and not stripped_possessive(gaz, ent[0]))


def reclassify(ctx: DocContext, places: Iterable[Place],
               lists: NotPlaces | None = None) -> list[Place]:
    """``places`` less media names and surnames; places with an attributive suffix
    ("Britain-based") kept with role ``embedded``."""
    np = lists or _lists(ctx)
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
    np = lists or _lists(ctx)
    return [m for m in mentions if not _attributive(ctx, m.end, np)]
