"""Accuracy gate for quotes and their speakers (in the manner of trafilatura's eval_gate).

The project's own gold set (tests/golden/quotes/gold.jsonl: 50 short dispatches written for
dragoman, in the PolNeAR shape ``dragoman eval quotes`` reads, each attribution with its
``kind`` and the resolved ``speaker_name``) is run through the real pipeline; every metric
must stay at or above its pinned floor. Content precision/recall/F1 and speaker accuracy
are ``dragoman.eval.quotes.evaluate``'s figures (speaker = span overlap); the speaker-name
figures check the resolved name ("He" -> "Sergey Lavrov"), so switching speaker resolution
off fails the gate. The floors file pins the gold file's sha256, so editing the gold
without re-pinning fails too. To re-pin:
``.venv/bin/python tests/golden/update_floors.py quotes`` (lowering needs
DRAGOMAN_LOWER_FLOORS=1).

Gold conventions (docs/quotes.md): a direct content is the text inside the marks, an
interrupted quote ("“A,” he said. “B.”") is one content from A to B; an indirect content is
the clause the cue governs without "that"; a partial quote stays inside its indirect
content; "…, adding that B" is a quote of its own. ``speaker_name`` is the person's full
name, or the knowledge base's canonical name of an organisation; it is null when the
speaker is unnamed ("witnesses", "a senior diplomat") or a body the text does not name.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from dragoman.eval.quotes import QuotesReport, evaluate
from dragoman.pipeline import Pipeline

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
GOLD = GOLDEN / "quotes" / "gold.jsonl"
FLOORS = json.loads((GOLDEN / "quotes" / "floors.json").read_text(encoding="utf-8"))


def _floors_module() -> ModuleType:
    # the metric the floors were pinned with: tests/golden/update_floors.py (not a package)
    name = "dragoman_tests_update_floors"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, GOLDEN / "update_floors.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


UPDATE = _floors_module()


def _docs() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def report(pipeline: Pipeline) -> QuotesReport:
    return evaluate(GOLD, pipeline, baseline=False)


@pytest.fixture(scope="module")
def names(pipeline: Pipeline) -> list[Any]:
    return UPDATE.quote_speaker_names(GOLD, pipeline)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def metrics(report: QuotesReport, names: list[Any]) -> dict[str, float]:
    return UPDATE.quotes_metrics(report.dragoman, names)  # type: ignore[no-any-return]


def test_gold_is_the_pinned_one() -> None:
    sha = hashlib.sha256(GOLD.read_bytes()).hexdigest()
    assert sha == FLOORS["sha256"], (
        "tests/golden/quotes/gold.jsonl changed but floors.json was not re-pinned: run "
        "tests/golden/update_floors.py quotes (DRAGOMAN_LOWER_FLOORS=1 if a floor must drop)")


def test_gold_set_is_big_enough_and_covers_the_cases() -> None:
    docs = _docs()
    quotes = [a for d in docs for a in d["attributions"]]
    assert len(docs) >= 40 and len(quotes) >= 60
    assert sum(1 for d in docs if not d["attributions"]) >= 8  # dispatches with no quote
    kinds = [a["kind"] for a in quotes]
    assert kinds.count("direct") >= 15 and kinds.count("indirect") >= 40
    sources = [a["source"]["text"] for a in quotes if a["source"]]
    assert sum(s.lower() in UPDATE.PRONOUNS for s in sources) >= 15  # "He said"
    assert sum(1 for a in quotes if a["cue"] and a["cue"]["text"] == "according to") >= 3
    assert sum(1 for a in quotes if a["cue"] is None) >= 2  # paragraph continuations
    assert sum(1 for a in quotes if a["speaker_name"]) >= 50


def test_every_gold_span_matches_its_text() -> None:
    for d in _docs():
        for a in d["attributions"]:
            for key in ("source", "cue", "content"):
                span = a[key]
                if span is not None:
                    assert d["text"][span["start"]:span["end"]] == span["text"], (d["id"], key)


@pytest.mark.parametrize("metric", sorted(FLOORS["floors"]))
def test_metric_at_or_above_floor(
    report: QuotesReport, names: list[Any], metrics: dict[str, float], metric: str
) -> None:
    value = metrics[metric]
    detail = report.to_text()
    if "name" in metric:
        wrong = [f"{p.doc_id}: {p.source!r} -> {p.predicted!r}, gold {p.gold!r}"
                 for p in names if not p.correct and (p.pronoun or "pronoun" not in metric)]
        detail += "\nspeaker names not resolved to the gold name:\n  " + "\n  ".join(wrong)
    assert value >= FLOORS["floors"][metric], (
        f"{metric} {value:.4f} fell below its floor {FLOORS['floors'][metric]:.4f}\n" + detail)
