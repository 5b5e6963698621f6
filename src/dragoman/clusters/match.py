"""When two incidents describe the same happening (across documents, or a headline and a body
of one document that its grouping did not merge).

An incident is comparable when it has a place and a day: its own date when the text gives
a day, else its document's publication date. Two comparable incidents match when

- they are of different documents, or of one document and name the same place (a
  headline and a body the document's grouping did not merge);
- their event types are the same;
- their days are at most ``days`` apart (setting ``cluster_days``);
- their places agree: the same GeoNames place, or the same first-order division (a
  Syrian governorate, a US state), or within ``km`` kilometres of each other (setting
  ``cluster_km``); a country-wide place matches only another country-wide place of the
  same country;
- their causes agree: the same, or ``unknown``/``other`` on either side, or both among
  air strike, shelling and chemical attack (reports of one raid call it each of these:
  "air strikes that released toxic gas", "shelling" for an air raid — FA-KES itself files
  air raids under shelling);
- their attackers are not two different foreign powers alone ("Russian strikes" and "US-led
  coalition strikes" on one town and day are two happenings).

Otherwise neither casualty figures nor parties decide whether two incidents may be one
happening: reports of one raid disagree on the toll, on who carried it out ("regime or
Russian jets": a country's own forces and their foreign allies are confused) and on whom it
hit, and the parties of an incident are its least reliable fields (every actor its mentions
name, a monitor's country taken for the victims'); those disagreements are what a cluster
shows. They only help to choose among the clusters an incident may join (``similarity``:
the same town, cause, a toll of the same order, a shared actor, the nearer day). (Until
session 7 any disjoint actor or target countries kept two incidents apart: on the tune
pairs of ``gold/cluster-pairs.jsonl`` that found 9 of 26 same-happening main pairs, against
15 now, for 2 of 21 different pairs kept apart; ``docs/evaluation.md``.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..geo import haversine_km

__all__ = ["ClusterSettings", "IncidentKey", "compatible", "incident_key", "killed_of",
           "similarity"]

_OPEN_CAUSES = frozenset({"unknown", "other"})
#: causes that reports of one happening give interchangeably (see the module doc)
_CAUSE_FAMILIES = (frozenset({"airstrike", "shelling", "chemical"}),)
_CATEGORIES = ("total", "civilians", "combatants", "children", "women")


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """The matching thresholds: days apart and kilometres apart at most, and how alike
    (``similarity``, mean over the cluster's incidents) an incident must be to join."""

    days: int = 2
    km: int = 50
    min_alike: float = 1.5


@dataclass(frozen=True, slots=True)
class IncidentKey:
    """What the matcher compares of one incident (built from its store row)."""

    id: str
    doc_id: str
    event_type: str
    cause: str
    day: int  # date.toordinal() of the incident's day
    country: str | None
    admin1: str | None
    geonameid: int | None
    lat: float | None
    lon: float | None
    precision: str
    actor_names: frozenset[str]
    actor_countries: frozenset[str]
    target_names: frozenset[str]
    target_countries: frozenset[str]
    killed: int | None = None  # the largest killed figure (its low), for preference only


def _day(value: str | None) -> int | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def _refs(refs: Any) -> tuple[frozenset[str], frozenset[str]]:
    names, countries = set(), set()
    for r in refs or ():
        if r.get("kind") == "pronoun":
            continue
        key = r.get("kb_id") or r.get("name") or r.get("text")
        if key:
            names.add(str(key).lower())
        if r.get("country"):
            countries.add(r["country"])
    return frozenset(names), frozenset(countries)


def incident_key(row: dict[str, Any], published: str | None) -> IncidentKey | None:
    """The comparable part of an incident row, or None when it has no place or no day."""
    loc = row.get("location")
    if not loc:
        return None
    day = _day(row.get("date")) if row.get("date_precision") == "day" else None
    if day is None:
        day = _day(published)
    if day is None:
        return None
    an, ac = _refs(row.get("actor"))
    tn, tc = _refs(row.get("target"))
    return IncidentKey(
        id=row["id"], doc_id=row["doc_id"], event_type=row["event_type"],
        cause=row.get("cause") or "unknown", day=day, country=loc.get("country"),
        admin1=loc.get("admin1"), geonameid=loc.get("geonameid"), lat=loc.get("lat"),
        lon=loc.get("lon"), precision=loc.get("precision") or "town",
        actor_names=an, actor_countries=ac, target_names=tn, target_countries=tc,
        killed=killed_of((row.get("casualties") or {}).get("killed"))[0])


def _km(a: IncidentKey, b: IncidentKey) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _places(a: IncidentKey, b: IncidentKey, km: int) -> bool:
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if "country" in (a.precision, b.precision):
        return a.precision == b.precision
    if a.admin1 is not None and a.admin1 == b.admin1:
        return True
    if "province" in (a.precision, b.precision):  # a province's centre is no place
        return False
    distance = _km(a, b)
    return distance is not None and distance <= km


def _foreign_attackers_differ(a: IncidentKey, b: IncidentKey) -> bool:
    """Two incidents whose attackers are only foreign powers, different ones ("Russian
    strikes" and "US-led coalition strikes" on one town and day): two happenings. Reports
    confuse a country's own forces with their foreign allies ("regime or Russian jets"),
    so a side that names the incident's own country vetoes nothing."""
    ca, cb = a.actor_countries, b.actor_countries
    if not ca or not cb or ca & cb or a.actor_names & b.actor_names:
        return False
    home = {a.country, b.country} - {None}
    return not (ca & home) and not (cb & home)


def compatible(a: IncidentKey, b: IncidentKey, settings: ClusterSettings) -> bool:
    """Whether incidents ``a`` and ``b`` (of different documents) can be one happening."""
    if a.event_type != b.event_type:
        return False
    if a.doc_id == b.doc_id and (a.geonameid is None or a.geonameid != b.geonameid):
        # (one story's two incidents share a cluster only when they name one place: the
        # headline and the body the story did not merge; else they are two happenings)
        return False
    if abs(a.day - b.day) > settings.days:
        return False
    if (a.cause != b.cause and a.cause not in _OPEN_CAUSES and b.cause not in _OPEN_CAUSES
            and not any(a.cause in f and b.cause in f for f in _CAUSE_FAMILIES)):
        return False
    return _places(a, b, settings.km) and not _foreign_attackers_differ(a, b)


def similarity(a: IncidentKey, b: IncidentKey) -> float:
    """How alike two compatible incidents are, to choose among the clusters an incident
    could join (never to decide whether it may): the same town or site, the same cause,
    killed figures of one order (reports of one raid differ, but 6 and 120 are two
    happenings), a shared actor, the same day."""
    score = 0.0
    if a.geonameid is not None and a.geonameid == b.geonameid:
        score += 2.0 if "province" not in (a.precision, b.precision) else 1.0
    elif a.admin1 is not None and a.admin1 == b.admin1:
        score += 0.5
    if a.cause == b.cause and a.cause not in _OPEN_CAUSES:
        score += 1.0
    if a.killed and b.killed:
        low, high = sorted((a.killed, b.killed))
        score += 2.0 * low / high if low / high >= 0.4 else -1.0
    if a.actor_names & b.actor_names:
        score += 1.0
    return score - 0.5 * abs(a.day - b.day)


def killed_of(toll: dict[str, Any] | None) -> tuple[int | None, int | None]:
    """The largest figure of a toll (killed or injured) as (low, high): each category's
    low (its high when only that is given), the largest of them."""
    lows, highs = [], []
    for cat in _CATEGORIES:
        c = (toll or {}).get(cat)
        if not c:
            continue
        low, high = c.get("low"), c.get("high")
        if low is not None or high is not None:
            lows.append(low if low is not None else high)
            highs.append(high if high is not None else low)
    return (max(lows) if lows else None, max(highs) if highs else None)
