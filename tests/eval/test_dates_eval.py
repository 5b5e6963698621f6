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


def test_canonical_rewrites_notation_only() -> None:
    from dragoman.eval.dates import canonical

    assert canonical("1968-XX") == "1968" == canonical("1968")
    assert canonical("1994-XX-XX") == "1994"
    assert canonical("198X") == "198" and canonical("19XX") == "19"
    assert canonical("2000-W7") == "2000-W07" and canonical("2000-W07") == "2000-W07"
    assert canonical("2000-W7-WE") == "2000-W07-WE"
    assert canonical(None) is None
    # different dates stay different
    assert canonical("1998-10-XX") == "1998-10" != canonical("1998-11")
    assert canonical("1968-XX") != canonical("1969")
    assert canonical("PRESENT_REF") == "PRESENT_REF"


def test_notational_variant_counts_as_exact_but_not_string_equal(
        pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = "The treaty was signed in 1968. Talks resumed in the 1990s."
    doc = {"id": "d2", "text": text, "published": "1999-03-12", "timexes": [
        {"start": 25, "end": 29, "text": "1968", "type": "DATE", "value": "1968-XX"},
        {"start": text.index("1990s"), "end": text.index("1990s") + 5, "text": "1990s",
         "type": "DATE", "value": "199X"},
    ]}
    gold = tmp_path / "dates.jsonl"
    gold.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    report = evaluate(gold, pipeline)
    assert report.date_matched == 2
    assert report.value_exact == 1.0
    assert report.value_exact_strict == 0.0
