"""Rewrite the accuracy floors of the gates (tests/golden/<gate>/floors.json).

    .venv/bin/python tests/golden/update_floors.py                 # every gate, raise only
    .venv/bin/python tests/golden/update_floors.py quotes          # one gate
    DRAGOMAN_LOWER_FLOORS=1 .venv/bin/python tests/golden/update_floors.py events

Gates: ``events`` (the event coder, tests/eval/test_events_gate.py) and ``quotes`` (quote
extraction and speaker resolution, tests/eval/test_quotes_gate.py). Floors are the measured
figures minus a small margin (``MARGIN``); a ceiling (extra events per gold sentence) is the
measured figure plus its margin. Without ``DRAGOMAN_LOWER_FLOORS=1`` the script refuses to
lower a floor, raise a ceiling or accept a changed gold file (its sha256 is pinned next to
the floors): lowering the bar must be an explicit decision.

The quotes gate also scores speaker *names* (``quote_speaker_names``, imported by the gate
test so both measure the same thing): the matched quotes whose gold has a ``speaker_name``
are correct when the resolved speaker's name equals it (span overlap alone, what
``dragoman eval quotes`` scores, passes with resolution switched off).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# gold speakers that are pronouns: the name must come from coreference
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})


@dataclass(frozen=True)
class NamePair:
    """One matched quote whose gold has a speaker name, with the name resolved for it."""

    doc_id: str
    source: str  # the gold speaker mention ("He", "Lavrov", "The agency")
    gold: str
    predicted: str | None

    @property
    def correct(self) -> bool:
        return self.predicted == self.gold

    @property
    def pronoun(self) -> bool:
        return self.source.lower() in PRONOUNS


def quote_speaker_names(gold: Path, pipeline: Any) -> list[NamePair]:
    """Gold vs resolved speaker name of every matched quote whose gold names its speaker."""
    from dragoman.eval.gold import gold_article, read_gold
    from dragoman.eval.quotes import match_contents

    docs = list(read_gold(gold))
    out: list[NamePair] = []
    for d, result in zip(docs, pipeline.process(gold_article(d) for d in docs), strict=True):
        items = d.get("attributions") or []
        pairs = match_contents(
            [(a["content"]["start"], a["content"]["end"]) for a in items],
            [(q.content.start, q.content.end) for q in result.quotes])
        for gi, pi in pairs:
            a, q = items[gi], result.quotes[pi]
            if a.get("speaker_name") is None or a.get("source") is None:
                continue
            out.append(NamePair(d["id"], a["source"]["text"], a["speaker_name"],
                                q.speaker.name if q.speaker is not None else None))
    return out


def _share(pairs: list[NamePair]) -> float:
    return round(sum(p.correct for p in pairs) / len(pairs), 4) if pairs else 0.0


def _pipeline() -> Any:
    from dragoman import Config, Pipeline

    return Pipeline(Config(), run_id="floors")


def measure_events(gold: Path) -> dict[str, float]:
    from dragoman.eval.events import evaluate

    return evaluate(gold, _pipeline()).metrics()


def measure_quotes(gold: Path) -> dict[str, float]:
    from dragoman.eval.quotes import evaluate

    pipeline = _pipeline()
    return quotes_metrics(evaluate(gold, pipeline, baseline=False).dragoman,
                          quote_speaker_names(gold, pipeline))


def quotes_metrics(s: Any, names: list[NamePair]) -> dict[str, float]:
    """The quotes gate's figures from ``evaluate``'s Scores and the speaker-name pairs."""
    return {
        "precision": round(s.precision, 4),
        "recall": round(s.recall, 4),
        "f1": round(s.f1, 4),
        "speaker_accuracy": round(s.speaker_accuracy, 4),
        "speaker_name_accuracy": _share(names),
        "pronoun_speaker_name_accuracy": _share([p for p in names if p.pronoun]),
    }


@dataclass(frozen=True)
class Gate:
    name: str
    measure: Callable[[Path], dict[str, float]]
    margin: dict[str, float]
    ceiling_margin: dict[str, float] = field(default_factory=dict)

    @property
    def gold(self) -> Path:
        return HERE / self.name / "gold.jsonl"

    @property
    def floors(self) -> Path:
        return HERE / self.name / "floors.json"


GATES = {
    "events": Gate(
        "events", measure_events,
        margin={"precision": 0.01, "recall": 0.01, "f1": 0.01, "actor_country": 0.02,
                "recipient_country": 0.02, "actor_sector": 0.02, "recipient_sector": 0.02},
        ceiling_margin={"extra_per_sentence": 0.02}),
    # 79 gold quotes, ~70 named speakers: one quote is worth 0.013-0.015, so a margin of
    # 0.02 lets no more than one quote go before the gate fails
    "quotes": Gate(
        "quotes", measure_quotes,
        margin={"precision": 0.02, "recall": 0.02, "f1": 0.02, "speaker_accuracy": 0.02,
                "speaker_name_accuracy": 0.02, "pronoun_speaker_name_accuracy": 0.02}),
}


def gold_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def new_floors(gate: Gate, metrics: dict[str, float]) -> dict[str, object]:
    out: dict[str, object] = {
        "gold": gate.gold.name,
        "sha256": gold_sha256(gate.gold),
        "floors": {k: round(max(0.0, metrics[k] - m), 4) for k, m in gate.margin.items()},
    }
    if gate.ceiling_margin:
        out["ceilings"] = {k: round(metrics[k] + m, 4) for k, m in gate.ceiling_margin.items()}
    out["measured"] = metrics
    return out


def update(gate: Gate, allow_lower: bool) -> int:
    proposed = new_floors(gate, gate.measure(gate.gold))
    if gate.floors.exists() and not allow_lower:
        old = json.loads(gate.floors.read_text(encoding="utf-8"))
        problems = []
        if old.get("sha256") != proposed["sha256"]:
            problems.append("the gold file changed")
        for k, v in proposed["floors"].items():  # type: ignore[attr-defined]
            if v < old.get("floors", {}).get(k, 0.0):
                problems.append(f"floor {k} would drop {old['floors'][k]} -> {v}")
        for k, v in proposed.get("ceilings", {}).items():  # type: ignore[attr-defined]
            if v > old.get("ceilings", {}).get(k, float("inf")):
                problems.append(f"ceiling {k} would rise {old['ceilings'][k]} -> {v}")
        if problems:
            print(f"{gate.name}: refusing to rewrite floors: " + "; ".join(problems),
                  file=sys.stderr)
            print("set DRAGOMAN_LOWER_FLOORS=1 to accept this explicitly", file=sys.stderr)
            return 1
    gate.floors.write_text(json.dumps(proposed, indent=2, sort_keys=True) + "\n",
                           encoding="utf-8")
    print(f"{gate.floors.relative_to(HERE.parent.parent)}:")
    print(json.dumps(proposed, indent=2, sort_keys=True))
    return 0


def main(argv: list[str]) -> int:
    names = argv or sorted(GATES)
    unknown = [n for n in names if n not in GATES]
    if unknown:
        print(f"unknown gate(s) {', '.join(unknown)}; choose from {', '.join(sorted(GATES))}",
              file=sys.stderr)
        return 2
    allow_lower = os.environ.get("DRAGOMAN_LOWER_FLOORS") == "1"
    return max(update(GATES[n], allow_lower) for n in names)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
