"""Dates evaluation on a small gold file written here (not the shared gold sets)."""

from __future__ import annotations

import json
from pathlib import Path

from dragoman.eval.dates import DatesReport, evaluate


def test_evaluate_dates(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = "Lavrov spoke on Wednesday. The talks lasted three years. Prices rose last month."

    def tx(word: str, type_: str, value: str) -> dict[str, object]:
        s = text.index(word)
        return {"start": s, "end": s + len(word), "text": word, "type": type_, "value": value}

    doc = {"id": "d1", "text": text, "published": "2017-04-13", "timexes": [
        tx("Wednesday", "DATE", "2017-04-12"),
        tx("three years", "DURATION", "P3Y"),
        tx("last month", "DATE", "2017-02"),  # a deliberately different gold value
    ]}
    gold = tmp_path / "dates.jsonl"
    gold.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    report = evaluate(gold, pipeline)
    assert isinstance(report, DatesReport)
    assert report.gold == 3 and report.matched == 3 and report.recall == 1.0
    assert report.date_matched == 2
    assert report.value_exact == 0.5 and report.value_at_precision == 0.5
    assert report.by_type_recall == {"DATE": 1.0, "DURATION": 1.0}
    assert "exact 0.500" in report.to_text()
