"""Accuracy gate for the event coder (in the manner of trafilatura's eval_gate).

The project's own gold set (tests/golden/events/gold.jsonl, written for dragoman) is run
through the real pipeline; every metric must stay at or above its pinned floor (and extra
events per gold sentence at or below its ceiling). The floors file pins the gold file's
sha256, so editing the gold without re-pinning fails too. To re-pin:
``.venv/bin/python tests/golden/update_floors.py`` (lowering needs DRAGOMAN_LOWER_FLOORS=1).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from dragoman.eval.events import EventReport, evaluate
from dragoman.pipeline import Pipeline

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "events"
GOLD = GOLDEN / "gold.jsonl"
FLOORS = json.loads((GOLDEN / "floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(pipeline: Pipeline) -> EventReport:
    return evaluate(GOLD, pipeline)


def test_gold_is_the_pinned_one() -> None:
    sha = hashlib.sha256(GOLD.read_bytes()).hexdigest()
    assert sha == FLOORS["sha256"], (
        "tests/golden/events/gold.jsonl changed but floors.json was not re-pinned: run "
        "tests/golden/update_floors.py (DRAGOMAN_LOWER_FLOORS=1 if a floor must drop)")


def test_gold_set_is_big_enough_and_covers_every_type() -> None:
    docs = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    sentences = sum(max(1, len({json.dumps(e.get("sentence")) for e in d["events"]}))
                    for d in docs)
    assert len(docs) >= 150 and sentences >= 150
    types = {e["event_type"] for d in docs for e in d["events"]}
    assert types >= {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                     "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
                     "MOBILIZE", "COERCE", "ASSAULT"}
    assert sum(1 for d in docs if not d["events"]) >= 20  # sentences with no event


@pytest.mark.parametrize("metric", sorted(FLOORS["floors"]))
def test_metric_at_or_above_floor(report: EventReport, metric: str) -> None:
    value = report.metrics()[metric]
    assert value >= FLOORS["floors"][metric], (
        f"{metric} {value:.4f} fell below its floor {FLOORS['floors'][metric]:.4f}\n"
        + report.to_text())


@pytest.mark.parametrize("metric", sorted(FLOORS["ceilings"]))
def test_metric_at_or_below_ceiling(report: EventReport, metric: str) -> None:
    value = report.metrics()[metric]
    assert value <= FLOORS["ceilings"][metric], (
        f"{metric} {value:.4f} rose above its ceiling {FLOORS['ceilings'][metric]:.4f}\n"
        + report.to_text())
