"""Shared helpers of the reliability tests: a generated news corpus, store snapshots, CLI runs.

The corpus is built from diplomatic and conflict templates (different names, places, dates,
agencies), so every article is distinct and the pipeline finds real events in it. With
``copies=True`` it also holds syndicated copies: exact re-posts under another id and
near-copies (a wire story with an extra paragraph), each placed well after its original.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

PEOPLE = [
    ("Sergey Lavrov", "Russian Foreign Minister"), ("Antony Blinken", "US Secretary of State"),
    ("Wang Yi", "Chinese Foreign Minister"), ("Hakan Fidan", "Turkish Foreign Minister"),
    ("Faisal bin Farhan", "Saudi Foreign Minister"), ("Annalena Baerbock", "German Foreign Minister"),
    ("Catherine Colonna", "French Foreign Minister"), ("Ayman Safadi", "Jordanian Foreign Minister"),
    ("Sameh Shoukry", "Egyptian Foreign Minister"), ("Josep Borrell", "EU foreign policy chief"),
    ("Antonio Guterres", "UN Secretary-General"), ("Geir Pedersen", "UN envoy"),
]
COUNTRIES = ["Russia", "the United States", "China", "Turkey", "Saudi Arabia", "Germany",
             "France", "Jordan", "Egypt", "Iran", "Syria", "Israel", "Ukraine", "Qatar"]
PLACES = ["Moscow", "Damascus", "Ankara", "Riyadh", "Cairo", "Amman", "Beirut", "Geneva",
          "Doha", "Kyiv", "Baghdad", "Tehran", "Aleppo", "Idlib", "Homs", "Astana"]
AGENCIES = ["SANA", "TASS", "Reuters", "AFP", "AP", "Anadolu", "Xinhua"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
GROUPS = ["rebels", "government forces", "militants", "the army", "protesters", "police"]

TEMPLATES = [
    "{p1t} {p1} met {p2t} {p2} in {place} on {day} to discuss the ceasefire.",
    "{p1} accused {c1} of violating the agreement near {place2}.",
    "{c1} and {c2} signed a trade agreement in {place} on {day}.",
    "{grp} shelled villages near {place2} on {day}, killing {n} civilians.",
    "{p1} called on {c1} to withdraw its troops from {place2}.",
    "{c2} imposed new sanctions on {c1} over the attack on {place2}.",
    "\"We will not accept any foreign interference,\" {p1} said.",
    "{p2} said {c1} had promised {n} million dollars in humanitarian aid.",
    "Hundreds of protesters gathered in {place} on {day} to demand the release of prisoners.",
    "{p1} warned that {c2} would respond to any attack on its forces.",
    "{c1} rejected the proposal made by {c2} at the talks in {place}.",
    "{p2t} {p2} arrived in {place} on {day} for talks with officials.",
    "The ministry said {grp} had arrested {n} people in {place2}.",
    "{p1} praised the role of {c2} in the negotiations.",
]


def _article(rng: random.Random, i: int) -> dict[str, Any]:
    (p1, p1t), (p2, p2t) = rng.sample(PEOPLE, 2)
    c1, c2 = rng.sample(COUNTRIES, 2)
    place, place2 = rng.sample(PLACES, 2)
    slots = {
        "p1": p1, "p1t": p1t, "p2": p2, "p2t": p2t, "c1": c1, "c2": c2, "place": place,
        "place2": place2, "day": rng.choice(DAYS), "grp": rng.choice(GROUPS).capitalize(),
        "n": rng.randint(2, 90),
    }
    sentences = [t.format(**slots) for t in rng.sample(TEMPLATES, rng.randint(2, 4))]
    day = 1 + i % 28
    month = 1 + (i // 28) % 12
    agency = rng.choice(AGENCIES)
    text = f"{place}, {agency}- " + " ".join(sentences) + f" (report {i})"
    return {
        "id": f"wire-{i:04d}",
        "text": text,
        "title": sentences[0][:60],
        "published": f"2023-{month:02d}-{day:02d}",
        "source": agency,
        "url": f"https://news.example.org/{i}",
    }


def make_corpus(n: int, seed: int = 7, copies: bool = False) -> list[dict[str, Any]]:
    """``n`` distinct articles; with ``copies`` also exact and near syndicated copies.

    Copies go after index ``n // 2`` while their originals are in the first fifth, so a run
    killed in the middle has committed the original but not the copy.
    """
    rng = random.Random(seed)
    out = [_article(rng, i) for i in range(n)]
    if not copies:
        return out
    extra: list[tuple[int, dict[str, Any]]] = []
    for k in range(6):
        orig = out[3 + 7 * k]
        pos = n // 2 + 15 * k
        # exact re-post: same text, other id and outlet
        extra.append((pos, {**orig, "id": f"repost-{k}", "source": "Mirror Daily",
                            "url": f"https://mirror.example.net/{k}"}))
        # a second exact copy later still (its hash also matches the first re-post)
        extra.append((pos + 5, {**orig, "id": f"repost2-{k}", "source": "Echo News"}))
        # near copy: the wire story with a local paragraph added
        extra.append((pos + 9, {**orig, "id": f"nearcopy-{k}", "source": "Local Herald",
                                "text": orig["text"] + " Local officials declined to comment."}))
    for pos, rec in sorted(extra, key=lambda x: x[0], reverse=True):
        out.insert(pos, rec)
    return out


def write_jsonl(path: Path, records: Sequence[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def write_config(path: Path, **settings: Any) -> Path:
    lines = [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def child_env() -> dict[str, str]:
    """The environment of a ``python -m dragoman`` child: one thread per library."""
    env = dict(os.environ)
    env.update({"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                "PYTHONHASHSEED": "0"})
    return env


def dragoman_cmd(*args: str, config: Path | None = None) -> list[str]:
    cmd = [PYTHON, "-m", "dragoman"]
    if config is not None:
        cmd += ["--config", str(config)]
    return cmd + list(args)


def run_cli(*args: str, config: Path | None = None, timeout: float = 300,
            check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(dragoman_cmd(*args, config=config), check=False, capture_output=True,
                          text=True,
                          timeout=timeout, env=child_env(), cwd=REPO)
    if check and proc.returncode != 0:
        raise AssertionError(
            f"dragoman {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


# ------------------------------------------------------------------------ store snapshots

#: fields that legitimately differ between runs of the same input
RUN_FIELDS = frozenset({"run_id", "started", "ended", "updated"})
RECORD_TABLES = ("documents", "events", "quotes", "places", "dates", "actors", "frames")


def _freeze(value: Any) -> Any:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def table_rows(store_path: Path, table: str) -> list[str]:
    """Every row of ``table`` without the per-run fields, as sorted canonical JSON."""
    from dragoman.query.api import iter_table
    from dragoman.store import Store

    store = Store.open(store_path)
    rows = [{k: v for k, v in r.items() if k not in RUN_FIELDS} for r in iter_table(store, table)]
    return sorted(_freeze(r) for r in rows)


def snapshot(store_path: Path) -> dict[str, list[str]]:
    return {t: table_rows(store_path, t) for t in RECORD_TABLES}


def ids(store_path: Path, table: str, column: str) -> list[str]:
    from dragoman.query.api import iter_table
    from dragoman.store import Store

    return [r[column] for r in iter_table(Store.open(store_path), table)]


def committed_segments(store_path: Path) -> int:
    seg = store_path / "segments"
    try:
        return sum(1 for p in seg.iterdir() if (p / "manifest.json").exists())
    except FileNotFoundError:
        return 0


def iter_lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as fh:
        yield from fh
