"""Rewrite the event coder's accuracy floors (tests/golden/events/floors.json).

    .venv/bin/python tests/golden/update_floors.py            # raise floors only
    DRAGOMAN_LOWER_FLOORS=1 .venv/bin/python tests/golden/update_floors.py

Floors are the measured figures minus a small margin (``MARGIN``); the ceiling on extra
events per gold sentence is the measured figure plus the margin. Without
``DRAGOMAN_LOWER_FLOORS=1`` the script refuses to lower a floor, raise a ceiling or accept a
changed gold file (its sha256 is pinned next to the floors): lowering the bar must be an
explicit decision.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD = HERE / "events" / "gold.jsonl"
FLOORS = HERE / "events" / "floors.json"
MARGIN = {"precision": 0.01, "recall": 0.01, "f1": 0.01, "actor_country": 0.02,
          "recipient_country": 0.02, "actor_sector": 0.02, "recipient_sector": 0.02}
CEILING_MARGIN = {"extra_per_sentence": 0.02}


def gold_sha256(path: Path = GOLD) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def measure() -> dict[str, float]:
    from dragoman import Config, Pipeline
    from dragoman.eval.events import evaluate

    return evaluate(GOLD, Pipeline(Config(), run_id="floors")).metrics()


def new_floors(metrics: dict[str, float]) -> dict[str, object]:
    return {
        "gold": GOLD.name,
        "sha256": gold_sha256(),
        "floors": {k: round(max(0.0, metrics[k] - m), 4) for k, m in MARGIN.items()},
        "ceilings": {k: round(metrics[k] + m, 4) for k, m in CEILING_MARGIN.items()},
        "measured": metrics,
    }


def main() -> int:
    proposed = new_floors(measure())
    allow_lower = os.environ.get("DRAGOMAN_LOWER_FLOORS") == "1"
    if FLOORS.exists() and not allow_lower:
        old = json.loads(FLOORS.read_text(encoding="utf-8"))
        problems = []
        if old.get("sha256") != proposed["sha256"]:
            problems.append("the gold file changed")
        for k, v in proposed["floors"].items():  # type: ignore[union-attr]
            if v < old.get("floors", {}).get(k, 0.0):
                problems.append(f"floor {k} would drop {old['floors'][k]} -> {v}")
        for k, v in proposed["ceilings"].items():  # type: ignore[union-attr]
            if v > old.get("ceilings", {}).get(k, float("inf")):
                problems.append(f"ceiling {k} would rise {old['ceilings'][k]} -> {v}")
        if problems:
            print("refusing to rewrite floors: " + "; ".join(problems), file=sys.stderr)
            print("set DRAGOMAN_LOWER_FLOORS=1 to accept this explicitly", file=sys.stderr)
            return 1
    FLOORS.write_text(json.dumps(proposed, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(proposed, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
