"""Incidents evaluation.

Two golds:

- **FA-KES crowd labels** (``../shared/corpus/fakes.jsonl``, each line with ``crowd``):
  each article's main incident (the one with most killed) against its crowd annotation —
  governorate, cause, actor category, civilians killed (exact and within ±10%). The label
  correspondences are data (``data/incidents/fakes_crowd.yaml``). Reported for the articles
  whose id ends in an even digit (``tune``) and in an odd one (``test``, the honest figure),
  and again for each article's lead incident (``lead_incident``: the story's first incident
  that counts any killed), the incident the crowd labelled more often.
- **Real-article event gold** (``gold/articles-*.jsonl``, events with ``happening``):
  within-document pairwise precision and recall of "same happening". Predicted events are
  matched to gold events by sentence and type; every pair of matched events is a positive
  when the gold gives both the same happening, and predicted positive when both are in one
  incident.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from .. import _data
from ..errors import DataFileError
from ..extract.incidents.casualties import is_vague
from ..pipeline import Pipeline
from ..types import Article, Event, Incident, Result
from .event_gold import read_event_gold
from .gold import read_gold
from .scores import prf

__all__ = ["CrowdReport", "HappeningReport", "civilians_killed", "evaluate", "lead_incident",
           "main_incident", "match_happenings"]


def _norm(s: str | None) -> str:
    return re.sub(r"[\s\-_'’]+", " ", (s or "").lower()).strip()


@dataclass(frozen=True)
class _CrowdMap:
    locations: dict[str, str]  # admin1 name (normalised) → crowd label
    causes: dict[str, str]  # dragoman cause → crowd label
    actors: list[tuple[str, list[dict[str, Any]]]]
    unidentified: frozenset[str] = frozenset()  # words of a mention that name no one


def _crowd_map() -> _CrowdMap:
    path = _data.data_path("incidents", "fakes_crowd.yaml")
    data = _data.read_yaml(path, mapping=True)
    if not {"locations", "causes", "actors"} <= set(data) or set(data) - {
            "locations", "causes", "actors", "unidentified"}:
        raise DataFileError(f"{path}:1: needs locations, causes and actors (and may have "
                            "unidentified)")
    locations = {_norm(n): label for label, names in data["locations"].items() for n in names}
    causes = {c: label for label, cs in data["causes"].items() for c in cs}
    actors = [(label, list(rules or [])) for label, rules in data["actors"].items()]
    for _, rules in actors:
        for r in rules:
            if not isinstance(r, dict) or set(r) - {"kb_id", "country", "sector", "words"}:
                raise DataFileError(f"{path}: actor rule {r!r} may use kb_id, country, sector, "
                                    "words")
    unidentified = frozenset(str(w).lower() for w in data.get("unidentified") or [])
    return _CrowdMap(locations, causes, actors, unidentified)


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^\w]+", text.lower()) if w}


def civilians_killed(incident: Incident) -> int | None:
    """Civilians killed as FA-KES counts them: civilians (with children and women when
    only those are given), else everyone killed less the combatants; civilians given only
    as a word for no number ("dozens of civilians") give way to a stated total."""
    k = incident.casualties.killed

    def val(c: Any) -> int | None:
        return None if c is None else (c.low if c.low is not None else c.high)

    counted = [f for f in incident.casualties.figures if f.kind == "killed"
               and not f.background]
    vague_civilians = all(is_vague(f) for f in counted if f.category == "civilians")
    stated_total = any(not is_vague(f) for f in counted if f.category == "total")
    if k.civilians is not None and not (vague_civilians and stated_total
                                        and k.total is not None):
        return val(k.civilians)
    if k.total is not None:
        total = val(k.total)
        comb = val(k.combatants) or 0
        return None if total is None else max(0, total - comb)
    parts = [val(x) for x in (k.children, k.women) if x is not None]
    return sum(p for p in parts if p is not None) if parts else None


def main_incident(result: Result) -> Incident | None:
    """The incident with most killed (then most mentions, then first)."""
    if not result.incidents:
        return None
    return max(result.incidents, key=lambda i: (_killed(i), i.event_type == "ASSAULT",
                                                 len(i.event_ids)))


def _killed(i: Incident) -> int:
    """The largest killed figure of an incident (-1 when it counts none)."""
    k = i.casualties.killed
    vals = [c.low if c.low is not None else c.high
            for c in (k.total, k.civilians, k.children, k.women, k.combatants)
            if c is not None]
    return max([v for v in vals if v is not None] or [-1])


def lead_incident(result: Result) -> Incident | None:
    """The story's first incident that counts any killed (the one its headline or lead
    reports; of two starting in one sentence, the one with more killed), else the main one
    (``main_incident``)."""
    counted = [i for i in result.incidents if _killed(i) >= 0]
    if not counted:
        return main_incident(result)
    return min(counted, key=lambda i: (min([e.start for e in i.evidence], default=1 << 60),
                                       -_killed(i)))


def _actor_label(incident: Incident, cmap: _CrowdMap) -> str:
    def matches(ref: Any, rule: dict[str, Any]) -> bool:
        for key, want in rule.items():
            if key == "words":
                if not _words(ref.text) & {str(w).lower() for w in want}:
                    return False
                continue
            have = getattr(ref, key)
            if isinstance(want, list):
                if have not in want:
                    return False
            elif have != want:
                return False
        return True

    for ref in incident.actor:
        if _words(ref.text) & cmap.unidentified:
            continue  # "terrorist groups": whoever it was, the text does not say
        for label, rules in cmap.actors:
            if any(matches(ref, r) for r in rules):
                return label
    return "unknown"


@dataclass
class _Half:
    articles: int = 0
    governorate: int = 0
    cause: int = 0
    actor: int = 0
    civ_exact: int = 0
    civ_10: int = 0

    def rates(self) -> dict[str, float]:
        n = max(1, self.articles)
        return {"articles": self.articles, "governorate": round(self.governorate / n, 3),
                "cause": round(self.cause / n, 3), "actor": round(self.actor / n, 3),
                "civilians_exact": round(self.civ_exact / n, 3),
                "civilians_10pct": round(self.civ_10 / n, 3)}


@dataclass(frozen=True)
class CrowdReport:
    gold_file: str
    tune: dict[str, float]
    test: dict[str, float]
    seconds: float
    errors: list[dict[str, Any]] = field(default_factory=list)
    #: the same fields for the lead incident (``lead_incident``) instead of the most killed
    lead_tune: dict[str, float] = field(default_factory=dict)
    lead_test: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["errors"] = d["errors"][:50]
        return d

    def to_text(self) -> str:
        lines = [f"incidents vs FA-KES crowd labels: {self.gold_file} ({self.seconds:.0f} s)",
                 (f"{'half':<6}{'n':>5}{'governorate':>13}{'cause':>8}{'actor':>8}"
                  f"{'civ exact':>11}{'civ ±10%':>10}")]
        rows = [("tune", self.tune), ("test", self.test)]
        if self.lead_tune:
            rows += [("tune", self.lead_tune), ("test", self.lead_test)]
        for k, (name, r) in enumerate(rows):
            lines.append(f"{name:<6}{r['articles']:>5}{r['governorate']:>13.3f}"
                         f"{r['cause']:>8.3f}{r['actor']:>8.3f}{r['civilians_exact']:>11.3f}"
                         f"{r['civilians_10pct']:>10.3f}"
                         + ("  (main: most killed)" if k < 2 else "  (lead incident)"))
        lines.append("tune: ids ending in an even digit; test (odd) is the honest figure")
        lines.append("main: the incident with most killed (the issue's definition); lead: the "
                     "first incident of the story that counts any killed")
        return "\n".join(lines)


@dataclass(frozen=True)
class HappeningReport:
    gold_file: str
    documents: int
    matched_events: int
    gold_events: int
    pairs_gold_same: int
    pairs_predicted_same: int
    pairs_both: int
    precision: float
    recall: float
    f1: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_text(self) -> str:
        return (f"same happening within documents: {self.gold_file}\n"
                f"documents {self.documents}, gold events {self.gold_events}, matched "
                f"{self.matched_events}\npairs: gold same {self.pairs_gold_same}, predicted "
                f"same {self.pairs_predicted_same}, both {self.pairs_both}\n"
                f"precision {self.precision:.3f}  recall {self.recall:.3f}  f1 {self.f1:.3f}")


def _article(doc: dict[str, Any]) -> Article:
    return Article(id=str(doc["id"]), text=doc["text"], title=doc.get("title"),
                   published=doc.get("published"), source=doc.get("source"))


def _judge(inc: Incident | None, crowd: dict[str, Any], cmap: _CrowdMap
           ) -> tuple[dict[str, bool], dict[str, Any]]:
    """Which fields of ``inc`` match the crowd annotation, and the values compared."""
    gov = cmap.locations.get(_norm(inc.location.admin1)) if inc and inc.location else None
    cause = cmap.causes.get(inc.cause, "unknown") if inc else "unknown"
    actor = _actor_label(inc, cmap) if inc else "unknown"
    civ = civilians_killed(inc) if inc else None
    want = int(crowd.get("nb_civilians") or 0)
    got = civ or 0
    ok = {"governorate": gov == crowd["location"], "cause": cause == crowd["cause_of_death"],
          "actor": actor == crowd["actor"], "civ_exact": got == want,
          "civ_10": abs(got - want) <= 0.1 * want if want else got == 0}
    return ok, {"governorate": [gov, crowd["location"]],
                "cause": [cause, crowd["cause_of_death"]],
                "actor": [actor, crowd["actor"]], "civilians": [civ, want]}


def _add(half: _Half, ok: dict[str, bool]) -> None:
    half.articles += 1
    half.governorate += ok["governorate"]
    half.cause += ok["cause"]
    half.actor += ok["actor"]
    half.civ_exact += ok["civ_exact"]
    half.civ_10 += ok["civ_10"]


def _evaluate_crowd(gold: Path, pipeline: Pipeline, limit: int | None) -> CrowdReport:
    cmap = _crowd_map()
    docs = [d for d in read_gold(gold, limit) if d.get("crowd")]
    halves = {"tune": _Half(), "test": _Half()}
    leads = {"tune": _Half(), "test": _Half()}
    errors: list[dict[str, Any]] = []
    started = time.perf_counter()
    by_id = {str(d["id"]): d for d in docs}
    for result in pipeline.process(_article(d) for d in docs):
        d = by_id[result.document.doc_id]
        digit = next((c for c in reversed(str(d["id"])) if c.isdigit()), "0")
        name = "tune" if int(digit) % 2 == 0 else "test"
        ok, values = _judge(main_incident(result), d["crowd"], cmap)
        _add(halves[name], ok)
        _add(leads[name], _judge(lead_incident(result), d["crowd"], cmap)[0])
        if not all(ok.values()):
            errors.append({"id": d["id"], "wrong": [k for k, v in ok.items() if not v],
                           **values})
    return CrowdReport(str(gold), halves["tune"].rates(), halves["test"].rates(),
                       time.perf_counter() - started, errors, leads["tune"].rates(),
                       leads["test"].rates())


def match_happenings(gold: dict[str, Any], events: Sequence[Event]) -> dict[str, str]:
    """Coded event id → the happening of the gold event it matches: each gold event (in
    order) takes the first unmatched coded event of its type whose trigger lies in the gold
    event's sentence."""
    out: dict[str, str] = {}
    used: set[int] = set()
    for g in gold.get("events") or []:
        s = g.get("sentence")
        if not s:
            continue
        for k, e in enumerate(events):
            if k in used or e.event_type != g["event_type"]:
                continue
            if s["start"] <= e.trigger.start < s["end"]:
                used.add(k)
                out[e.id] = str(g.get("happening") or f"n{g.get('n')}")
                break
    return out


def _evaluate_happenings(gold: Path, pipeline: Pipeline, limit: int | None,
                         corpus: Path | None, split: str | None) -> HappeningReport:
    docs = read_event_gold(gold, corpus, split=split, limit=limit)
    by_id = {str(d["id"]): d for d in docs}
    n_gold = matched = gold_same = pred_same = both = 0
    for result in pipeline.process(_article(d) for d in docs):
        d = by_id[result.document.doc_id]
        n_gold += sum(1 for g in d["events"] if g.get("sentence"))
        happening = match_happenings(d, result.events)
        # (gold happening, predicted incident) of each matched event
        pairs = [(happening[e.id], e.incident_id or f"e{k}")
                 for k, e in enumerate(result.events) if e.id in happening]
        matched += len(pairs)
        for (ga, pa), (gb, pb) in combinations(pairs, 2):
            gold_same += ga == gb
            pred_same += pa == pb
            both += ga == gb and pa == pb
    p, r, f = prf(both, pred_same, gold_same)
    return HappeningReport(str(gold), len(docs), matched, n_gold, gold_same, pred_same, both,
                           round(p, 3), round(r, 3), round(f, 3))


def evaluate(gold: Path, pipeline: Pipeline, limit: int | None = None,
             corpus: Path | None = None, split: str | None = None
             ) -> CrowdReport | HappeningReport:
    """Score incidents against a crowd-labelled corpus or an article event gold."""
    first = next(iter(read_gold(gold, 1)), {})
    if "crowd" in first:
        return _evaluate_crowd(gold, pipeline, limit)
    if "events" in first:
        return _evaluate_happenings(gold, pipeline, limit, corpus, split)
    raise DataFileError(f"{gold}:1: neither a crowd-labelled corpus (lines with 'crowd') nor "
                        "an article event gold (lines with 'events')")
