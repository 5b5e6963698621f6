"""Places evaluation on a small gold file written here (not the shared gold sets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dragoman.eval.places import PlacesReport, evaluate, haversine_km


def _span(text: str, word: str, **extra: object) -> dict[str, object]:
    start = text.index(word)
    return {"start": start, "end": start + len(word), "text": word, **extra}


@pytest.fixture()
def gold(tmp_path: Path) -> Path:
    t1 = "Protesters gathered in Moscow and later in Khan Sheikhoun on Friday."
    t2 = "Tourists returned to Paris after the strike. Officials said Russia wants calm."
    docs = [
        {"id": "g1", "text": t1, "published": None, "places": [
            _span(t1, "Moscow", geonameid=524901, lat=55.75, lon=37.62, type="Literal"),
            _span(t1, "Khan Sheikhoun", geonameid=168325, lat=35.44, lon=36.65,
                  type="Literal")]},
        # the gold says Paris, Texas: the extractor (rightly, from this text) says France
        {"id": "g2", "text": t2, "published": None, "places": [
            _span(t2, "Paris", geonameid=4717560, lat=33.66, lon=-95.56, type="Literal"),
            _span(t2, "Russia", geonameid=2017370, lat=60.0, lon=100.0, type="Metonymic")]},
    ]
    path = tmp_path / "places.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def test_haversine() -> None:
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.2, abs=0.2)
    assert haversine_km(55.75, 37.62, 55.75, 37.62) == 0.0


def test_evaluate_scores_recognition_and_resolution(pipeline, gold: Path) -> None:  # type: ignore[no-untyped-def]
    report = evaluate(gold, pipeline)
    assert isinstance(report, PlacesReport)
    assert report.documents == 2 and report.gold == 4
    assert report.matched == 4 and report.recall == 1.0
    assert report.with_id == 4
    assert report.exact_id == 0.75  # Paris is resolved to France, not Texas
    assert report.acc_161km == 0.75
    assert report.median_km < 161
    assert report.mean_km > 1000
    d = report.to_dict()
    assert d["exact_id"] == 0.75 and d["documents"] == 2
    text = report.to_text()
    assert "exact id 0.750" in text and "within 161 km 0.750" in text


def test_literal_only_and_limit(pipeline, gold: Path) -> None:  # type: ignore[no-untyped-def]
    report = evaluate(gold, pipeline, literal_only=True)
    assert report.gold == 3  # the metonymic Russia is left out ...
    assert report.predicted == report.matched == 3  # ... and so is the prediction on it
    one = evaluate(gold, pipeline, limit=1)
    assert one.documents == 1 and one.exact_id == 1.0 and one.acc_161km == 1.0
