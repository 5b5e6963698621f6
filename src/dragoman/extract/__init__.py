"""Extraction: from a parsed document to events, actors, quotes, places, dates, framing.

Each module is usable on its own with a hand-built ``DocContext``; ``extract_document``
runs them in order (places → actors → dates → quotes → events → incidents → framing).
"""

from __future__ import annotations

import dataclasses

from ..types import ActorMention, DateRef, Event, Frame, Incident, Place, Quote

# the data (and its data-model modules) first: the extractors' modules need the context,
# which names the resources
from .resources import Resources  # isort: split

from . import actors, dates, events, framing, places, quotes
from .boilerplate import drop_boilerplate, inside
from .context import DocContext
from .incidents.grouping import build_incidents
from .places.not_places import drop_attributive_actors, reclassify

__all__ = ["DocContext", "Extracted", "Resources", "extract_document", "prepare_context"]


@dataclasses.dataclass(frozen=True)
class Extracted:
    events: tuple[Event, ...]
    quotes: tuple[Quote, ...]
    places: tuple[Place, ...]
    dates: tuple[DateRef, ...]
    actors: tuple[ActorMention, ...]
    frames: tuple[Frame, ...]
    incidents: tuple[Incident, ...] = ()


def prepare_context(ctx: DocContext) -> None:
    """Run the stages the event coder reads, in order: places, actors, dates, quotes."""
    bp, base = ctx.boilerplate, ctx.base  # nothing is coded from boilerplate (tags, credits)
    # names that are not places: media ("SANA"), surnames, a source's base ("Britain-based")
    ctx.places = reclassify(ctx, drop_boilerplate(list(places.extract(ctx)), bp, base))
    ctx.actors = actors.resolve(ctx)
    ctx.actors.mentions[:] = drop_attributive_actors(
        ctx, drop_boilerplate(ctx.actors.mentions, bp, base))
    ctx.dates = drop_boilerplate(list(dates.extract(ctx)), bp, base)
    ctx.quotes = [q for q in quotes.extract(ctx) if not inside(bp, q.content.start - base)]


def extract_document(ctx: DocContext) -> Extracted:
    """Run every extractor over one document context, in dependency order."""
    prepare_context(ctx)
    evs = tuple(events.extract(ctx))
    found, evs = build_incidents(ctx, evs)  # the mentions of one happening → one incident
    evs = _located_by_incident(evs, found)
    frames = tuple(drop_boilerplate(list(framing.extract(ctx)), ctx.boilerplate, ctx.base))
    # places that are some event's location get that role (metonyms and datelines keep theirs)
    located = {(e.location.start, e.location.end) for e in evs if e.location is not None}
    placed = tuple(
        dataclasses.replace(p, role="event_location")
        if p.role == "mention" and (p.start, p.end) in located
        else p
        for p in ctx.places
    )
    return Extracted(
        events=evs,
        quotes=tuple(ctx.quotes),
        places=placed,
        dates=tuple(ctx.dates),
        actors=tuple(ctx.actors.mentions) if ctx.actors is not None else (),
        frames=frames,
        incidents=found,
    )


def _located_by_incident(evs: tuple[Event, ...], found: tuple[Incident, ...]
                         ) -> tuple[Event, ...]:
    """A material event (CAMEO quad class 2 or 4) whose sentence names no place of its own
    happened where its incident did ("The death toll rose to 58" after "an air strike on
    Maarat al-Numan killed 40"). Statements keep theirs (the dateline's, or none): a
    condemnation of a raid is not made where the raid happened."""
    where = {i.id: i.location for i in found if i.location is not None}
    return tuple(
        dataclasses.replace(e, location=places.place_ref(w)) if e.location is None and e.quad_class in (2, 4)
        and (w := where.get(e.incident_id or "")) is not None else e
        for e in evs)
