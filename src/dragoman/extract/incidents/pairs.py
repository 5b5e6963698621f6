"""Whether two event mentions of one document are the same happening: the pair features.

The rules (``grouping.same_happening``) say which mentions *can* be one happening: same
type, same negation, no conflicting actor country, place division or stated day. In a
police round-up or a war report that leaves many same-typed mentions compatible only
because they say little (three arrests, each by "police" and with no place), so the rules
alone merge distinct happenings. The happening model of the event model folder
(``EventModel.happenings``) decides from general features of the pair: how far apart the
two sentences are and how many same-typed mentions stand between them, whether the first
is the headline or the lead, whether the second refers back ("the attack"), whether the
parties, places, stated dates, causes and casualty figures agree, and how many names the
two sentences share. No feature names a word of an article.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from ...types import COUNT_KIND, ActorRef, Event, Place

__all__ = ["Mention", "opens_with", "pair_features", "party_keys", "refers_back",
           "sentence_names"]

_WORD = re.compile(r"[^\W\d_][\w'\-]*|\d[\d,.]*")
_OPENING_WORD = re.compile(r"[\w']+")


def _bucket(n: int, edges: Sequence[int]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


@dataclass(frozen=True)
class Mention:
    """What the pair features read of one event mention, computed once per mention."""

    event: Event
    place: Place | None
    #: the capitalised names of its sentence (not its first word), lower case
    names: frozenset[str]
    #: the casualty figures its sentence states (killed or injured, low bound)
    figures: frozenset[tuple[str, int]]
    #: the causes its sentence names (``airstrike``, ``shelling`` …)
    causes: frozenset[str]
    #: its trigger is a noun phrase that refers back ("the attack", "this raid")
    anaphor: bool
    #: it lies in a sentence about an earlier happening ("in August 2013")
    earlier: bool = False
    #: the places (GeoNames ids) its sentence names that can locate a happening
    places: frozenset[int] = frozenset()
    #: its sentence opens with a cue of another happening ("Separately", "Elsewhere")
    turns: bool = False
    #: ``party_keys`` of the event's actors and of its targets. Computed once here, not
    #: per pair: the pair features compare every two same-typed mentions of a document
    #: and read each mention's party keys several times per pair
    actor_keys: tuple[frozenset[str], frozenset[str]] = field(
        init=False, repr=False, compare=False)
    target_keys: tuple[frozenset[str], frozenset[str]] = field(
        init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name, refs in (("actor_keys", self.event.actor),
                           ("target_keys", self.event.recipient)):
            names, countries = party_keys(refs)
            object.__setattr__(self, name, (frozenset(names), frozenset(countries)))


def sentence_names(text: str, not_names: frozenset[str]) -> frozenset[str]:
    """The capitalised words of a sentence after its first word, lower case, but for
    ``not_names`` (the incident vocabulary's: "The", "Monday")."""
    words = _WORD.findall(text)
    # (the words one ``findall`` finds, but for a word at the very start of the text)
    skip = 1 if _WORD.match(text) is not None else 0
    return frozenset(low for w in words[skip:]
                     if w[0].isupper() and (low := w.lower()) not in not_names)


def opens_with(text: str, cues: frozenset[str]) -> bool:
    """Whether a sentence opens with one of ``cues`` (the incident vocabulary's
    ``new_happening``: "Separately", "In another attack")."""
    head = " ".join(_OPENING_WORD.findall(text[:60].lower())[:3])
    return any(head == c or head.startswith(c + " ") for c in cues)


def refers_back(e: Event, words: frozenset[str]) -> bool:
    """Whether the word before the trigger is one of ``words`` (the incident vocabulary's
    ``refer_back``: "the attack", "this raid", "its offensive")."""
    before = e.sentence.text[:max(0, e.trigger.start - e.sentence.start)].rstrip()
    word = before.rsplit(None, 1)[-1].lower() if before else ""
    return word in words


def party_keys(refs: Sequence[ActorRef]) -> tuple[set[str], set[str]]:
    """The names (knowledge-base id, else name, else text; no pronouns, no bare counts)
    and the countries of an event's parties."""
    return ({(r.kb_id or r.name or r.text).lower() for r in refs
             if r.kind not in ("pronoun", COUNT_KIND)},
            {r.country for r in refs if r.country})


def _parties(prefix: str, a: Sequence[ActorRef], b: Sequence[ActorRef],
             keys_a: tuple[AbstractSet[str], AbstractSet[str]],
             keys_b: tuple[AbstractSet[str], AbstractSet[str]],
             out: dict[str, float]) -> None:
    """The parties' feature; ``keys_a``, ``keys_b``: ``party_keys`` of ``a`` and ``b``
    (a bare count is no party: "wounded more than 100" names no one)."""
    a = [r for r in a if r.kind != COUNT_KIND]
    b = [r for r in b if r.kind != COUNT_KIND]
    if not a and not b:
        out[f"{prefix}:none"] = 1.0
        return
    if not a or not b:
        out[f"{prefix}:one"] = 1.0
        return
    na, ca = keys_a
    nb, cb = keys_b
    if na & nb:
        out[f"{prefix}:name"] = 1.0
    elif ca and cb and not ca & cb:
        out[f"{prefix}:conflict"] = 1.0
    else:
        # (different names of one country say nothing: in a story set in one country most
        # parties are of it, and two reports of one riot name the mob and the police)
        out[f"{prefix}:unknown"] = 1.0


def _place(a: Place | None, b: Place | None, out: dict[str, float]) -> None:
    if a is None and b is None:
        out["place:none"] = 1.0
    elif a is None or b is None:
        out["place:one"] = 1.0
    elif a.geonameid is not None and a.geonameid == b.geonameid:
        out["place:same"] = 1.0
    elif a.country and b.country and a.country != b.country:
        out["place:country_conflict"] = 1.0
    elif a.admin1 and b.admin1:
        out["place:division" if a.admin1 == b.admin1 else "place:division_conflict"] = 1.0
    else:
        out["place:other"] = 1.0


def _date(a: Event, b: Event, out: dict[str, float]) -> None:
    da = a.date if a.date_basis == "text" else None
    db = b.date if b.date_basis == "text" else None
    if da and db:
        if da == db:
            out["date:same"] = 1.0
        elif da.startswith(db) or db.startswith(da):
            out["date:within"] = 1.0
        else:
            out["date:conflict"] = 1.0
    else:
        out["date:one" if da or db else "date:none"] = 1.0


def _sets(name: str, a: AbstractSet[object], b: AbstractSet[object],
          out: dict[str, float]) -> None:
    if a and b:
        out[f"{name}:shared" if a & b else f"{name}:differ"] = 1.0
    elif a or b:
        out[f"{name}:one"] = 1.0


@functools.lru_cache(maxsize=4096)
def _distance_features(event_type: str, d: int, same_type_count: int, between: int
                       ) -> dict[str, float]:
    """The first features of a pair (type, sentence distance, counts), in their order.
    Kept per value: a document's pairs share few of them, and building their names is
    much of the cost of a pair. The caller copies the dict (never change this one)."""
    return {"bias": 1.0, f"type:{event_type}": 1.0,
            f"dsent:{_bucket(d, (0, 1, 2, 4, 8, 16))}": 1.0,
            "dsent:log": math.log1p(d),
            f"count:{_bucket(same_type_count, (2, 3, 5, 8, 13))}": 1.0,
            f"between:{_bucket(between, (0, 1, 2, 4))}": 1.0,
            f"type:{event_type}|dsent:{_bucket(d, (0, 2, 8))}": 1.0}


def pair_features(a: Mention, b: Mention, same_type_count: int, between: int,
                  rules_compatible: bool) -> dict[str, float]:
    """The features of two same-typed mentions of one document, ``a`` before ``b``.

    ``same_type_count``: the document's mentions of this type; ``between``: how many of
    them stand in the sentences between the two; ``rules_compatible``: the rules' verdict.
    """
    ea, eb = a.event, b.event
    d = abs(eb.sentence.index - ea.sentence.index)
    out = dict(_distance_features(ea.event_type, d, same_type_count, between))
    first = min(ea.sentence.index, eb.sentence.index)
    if d > 0 and first == 0:
        out["headline"] = 1.0
    elif d > 0 and first <= 2:
        out["lead"] = 1.0
    if d == 0:
        out["same_sentence"] = 1.0
    if ea.trigger.text.lower() == eb.trigger.text.lower():
        out["trigger:same"] = 1.0
    if b.anaphor:
        out["refers_back"] = 1.0
    _parties("actor", ea.actor, eb.actor, a.actor_keys, b.actor_keys, out)
    _parties("target", ea.recipient, eb.recipient, a.target_keys, b.target_keys, out)
    na, nb = a.actor_keys[0], b.actor_keys[0]
    ra, rb = a.target_keys[0], b.target_keys[0]
    if (na & rb) or (ra & nb):
        out["parties:swapped"] = 1.0
    _place(a.place, b.place, out)
    _date(ea, eb, out)
    if ea.modality != eb.modality:
        out["modality:differs"] = 1.0
    if (ea.attributed_to is None) != (eb.attributed_to is None):
        out["attribution:one"] = 1.0
    if d > 0:
        shared = len(a.names & b.names)
        out[f"names_shared:{_bucket(shared, (0, 1, 2, 4))}"] = 1.0
        if a.names and b.names:
            out["names_jaccard"] = shared / len(a.names | b.names)
        _sets("figures", a.figures, b.figures, out)
        _sets("cause", a.causes, b.causes, out)
        _sets("places", a.places, b.places, out)
        if b.turns:
            out["turns"] = 1.0
    out["rules:compatible" if rules_compatible else "rules:incompatible"] = 1.0
    return out
