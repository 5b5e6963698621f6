"""Places evaluation: toponym recognition and resolution against a gold JSONL file.

Gold shape (shared/eval/README.md): ``{"text", "places": [{start, end, text, geonameid, lat,
lon, type}]}``. Recognition is scored by span overlap (one-to-one, greedy in text order);
resolution on the matched gold toponyms: exact GeoNames id, distance to the gold
coordinates (accuracy within 161 km = 100 miles, mean and median error in km).

Only the spaCy model and the places extractor run (no other extractor), so the figures
and the timing are the places stage's own.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..extract import places as places_mod
from ..geo import haversine_km
from ..pipeline import Pipeline
from .gold import gold_contexts, match_by_overlap
from .scores import prf

__all__ = ["LITERAL_TYPES", "PlacesReport", "evaluate", "haversine_km"]

#: GeoWebNews fine types that name a place as a location (``literal_only=True``)
LITERAL_TYPES = frozenset(
    {"Literal", "Mixed", "Literal_Modifier", "Coercion", "Embedded_Literal"}
)
_NEAR_KM = 161.0
_FAR_KM = 20_038.0  # half the Earth's circumference: the error of a place without coordinates


@dataclass(frozen=True)
class PlacesReport:
    gold_file: str
    documents: int
    gold: int
    predicted: int
    matched: int
    precision: float
    recall: float
    f1: float
    with_id: int
    exact_id: float
    with_coords: int
    acc_161km: float
    mean_km: float
    median_km: float
    literal_only: bool
    nlp_seconds: float
    places_seconds: float
    #: matched gold toponyms resolved more than 161 km away: doc id, text, gold, predicted
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_text(self) -> str:
        overhead = self.places_seconds / self.nlp_seconds if self.nlp_seconds else 0.0
        return "\n".join([
            (f"places eval: {self.gold_file} ({self.documents} documents"
            f"{', literal toponyms only' if self.literal_only else ''})"),
            (f"  recognition  P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}"
            f"  (gold {self.gold}, predicted {self.predicted}, matched {self.matched})"),
            f"  resolution   exact id {self.exact_id:.3f} (of {self.with_id} matched with an id)",
            (f"               within 161 km {self.acc_161km:.3f}  mean {self.mean_km:.0f} km"
            f"  median {self.median_km:.1f} km (of {self.with_coords} with coordinates)"),
            (f"  time         nlp {self.nlp_seconds:.1f} s, places {self.places_seconds:.1f} s"
            f" (+{overhead:.1%})"),
        ])


def evaluate(gold: Path, pipeline: Pipeline, limit: int | None = None,
             literal_only: bool = False) -> PlacesReport:
    """Score the places extractor on a gold file (``limit`` first documents).

    ``literal_only`` keeps only GeoWebNews' literal toponym types as gold; predictions that
    overlap a left-out gold toponym are then neither right nor wrong.
    """
    timer = [0.0]
    places_t = 0.0
    n_docs = n_gold = n_pred = n_match = 0
    with_id = exact = 0
    errors: list[float] = []
    wrong: list[dict[str, Any]] = []
    for g, ctx in gold_contexts(pipeline, Path(gold), limit, timer):
        n_docs += 1
        t0 = time.perf_counter()
        pred = places_mod.extract(ctx)
        places_t += time.perf_counter() - t0
        golds = [p for p in g.get("places", [])]
        if literal_only:
            ignored = [p for p in golds if p.get("type") not in LITERAL_TYPES]
            golds = [p for p in golds if p.get("type") in LITERAL_TYPES]
            pred = [p for p in pred if not any(
                min(i["end"], p.end) > max(i["start"], p.start) for i in ignored)]
        n_gold += len(golds)
        n_pred += len(pred)
        for gi, pi in match_by_overlap(golds, pred):
            n_match += 1
            gp, pp = golds[gi], pred[pi]
            if gp.get("geonameid") is not None:
                with_id += 1
                exact += int(pp.geonameid == gp["geonameid"])
            if gp.get("lat") is not None and gp.get("lon") is not None:
                if pp.lat is None or pp.lon is None:
                    errors.append(_FAR_KM)
                else:
                    errors.append(haversine_km(gp["lat"], gp["lon"], pp.lat, pp.lon))
                if errors[-1] > _NEAR_KM:
                    wrong.append({"doc": g.get("id"), "text": gp.get("text"),
                                  "predicted_text": pp.text, "gold": gp.get("geonameid"),
                                  "predicted": pp.geonameid, "predicted_name": pp.name,
                                  "predicted_country": pp.country, "predicted_feature": pp.feature,
                                  "km": round(errors[-1])})
    p, r, f1 = prf(n_match, n_pred, n_gold)
    return PlacesReport(
        gold_file=str(gold),
        documents=n_docs,
        gold=n_gold,
        predicted=n_pred,
        matched=n_match,
        precision=round(p, 4),
        recall=round(r, 4),
        f1=round(f1, 4),
        with_id=with_id,
        exact_id=round(exact / with_id, 4) if with_id else 0.0,
        with_coords=len(errors),
        acc_161km=round(sum(e <= _NEAR_KM for e in errors) / len(errors), 4) if errors else 0.0,
        mean_km=round(statistics.fmean(errors), 1) if errors else 0.0,
        median_km=round(statistics.median(errors), 1) if errors else 0.0,
        literal_only=literal_only,
        nlp_seconds=round(timer[0], 2),
        places_seconds=round(places_t, 2),
        errors=wrong,
    )
