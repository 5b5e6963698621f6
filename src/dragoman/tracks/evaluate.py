"""Scoring track tagging and stances against a gold (``dragoman eval tracks``).

The gold (``gold/tracks/tracks.jsonl``, see ``gold/README.md``) has one document per line:
``id``, ``source`` (``own`` with its ``text`` and ``published``; ``corpus:<file>`` for an
article of ``../shared/corpus`` by id; ``sample:<path>`` for a bundled sample;
``file:<path>`` relative to the gold file), ``tracks`` (the tracks it is about), ``split``
(tune | test) and ``statements`` (``start``, ``end``, ``actor``, ``track``, ``stance``).

The documents are run through the pipeline into a store (kept in ``store`` when given, so a
second evaluation only re-tags), tagged with ``track_store``, and scored: precision and
recall of (document, track) pairs, per track and overall; a statement is right when a
stance row of its document and track, whose evidence overlaps the statement and whose
actor is the statement's (names compared without case or diacritics: "Mevlüt Çavuşoğlu"
is "Mevlut Cavusoglu"), has the gold stance (a statement with no such row is wrong).
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._data import data_path
from ..errors import InputError
from ..types import Article
from .definitions import TrackSet, load_tracks
from .table import read_table
from .tagging import track_store

__all__ = ["TracksReport", "evaluate_tracks", "gold_articles"]


@dataclass
class TracksReport:
    """Tagging P/R/F1 (overall and per track) and stance accuracy on one split."""

    split: str | None
    documents: int
    tagging: dict[str, dict[str, float]] = field(default_factory=dict)
    statements: int = 0
    stance_correct: int = 0
    stance_found: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def stance_accuracy(self) -> float:
        return self.stance_correct / self.statements if self.statements else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"split": self.split, "documents": self.documents, "tagging": self.tagging,
                "statements": self.statements, "stance_found": self.stance_found,
                "stance_correct": self.stance_correct,
                "stance_accuracy": round(self.stance_accuracy, 3), "errors": self.errors}

    def to_text(self) -> str:
        lines = [f"tracks gold, split {self.split or 'all'}: {self.documents} documents"]
        for name, m in self.tagging.items():
            lines.append(f"  {name:8s} P {m['precision']:.3f}  R {m['recall']:.3f}  "
                         f"F1 {m['f1']:.3f}  (tp {int(m['tp'])} fp {int(m['fp'])} "
                         f"fn {int(m['fn'])})")
        lines.append(f"  stances: {self.stance_correct}/{self.statements} = "
                     f"{self.stance_accuracy:.3f} (a row found for {self.stance_found})")
        lines += [f"  - {e}" for e in self.errors[:40]]
        return "\n".join(lines)


def _read_gold(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except ValueError as e:
            raise InputError(f"{path}:{n}: not JSON ({e})") from None
    return rows


def gold_articles(gold: list[dict[str, Any]], gold_path: Path,
                  corpus: Path | None = None) -> list[Article]:
    """The gold's documents as articles (corpus and sample texts read where they live)."""
    from ..ingest import read_inputs

    corpus = corpus or gold_path.resolve().parent.parent.parent.parent / "shared" / "corpus"
    want: dict[str, dict[str, Any]] = {r["id"]: r for r in gold}
    by_source: dict[str, set[str]] = defaultdict(set)
    out: list[Article] = []
    for r in gold:
        kind, _, where = r["source"].partition(":")
        if kind == "own":
            out.append(Article(id=r["id"], text=r["text"], published=r.get("published")))
        else:
            by_source[r["source"]].add(r["id"])
    for source, ids in by_source.items():
        kind, _, where = source.partition(":")
        if kind == "corpus":
            path = corpus / where
        elif kind == "sample":
            path = data_path("samples", *where.split("/"))
        elif kind == "file":
            path = (gold_path.parent / where).resolve()
        else:
            raise InputError(f"{gold_path}: unknown source {source!r}")
        if not path.exists():
            raise InputError(f"{gold_path}: {source} not found at {path} (--corpus?)")
        arts = list(read_inputs([str(path)]))
        if kind == "file" and len(arts) == 1 and len(ids) == 1:
            arts = [dataclasses.replace(arts[0], id=next(iter(ids)))]
        found = [a for a in arts if a.id in ids]
        missing = ids - {a.id for a in found}
        if missing:
            raise InputError(f"{gold_path}: {len(missing)} id(s) of {source} not found, "
                             f"e.g. {min(missing)}")
        out.extend(found)
    return [a for a in out if a.id in want]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "tp": tp, "fp": fp, "fn": fn}


def _fold(name: str) -> str:
    """A name without case or diacritics ("Mevlüt Çavuşoğlu" is "mevlut cavusoglu")."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ı", "i").casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _same_actor(gold: str, system: str | None, country: str | None) -> bool:
    if not system:
        return False
    g, s = _fold(gold), _fold(system)
    if g == s or g in s or s in g:
        return True
    return g.split()[-1] in s.split() or s.split()[-1] in g.split()


def evaluate_tracks(gold_path: Path | str, config: Any = None, *, split: str | None = None,
                    store: Path | str | None = None, tracks: TrackSet | Path | str | None = None,
                    corpus: Path | None = None) -> TracksReport:
    """Run the gold's documents into a store, tag them, score one split (or all)."""
    from ..runner import run

    gp = Path(gold_path)
    gold = _read_gold(gp)
    ts = tracks if isinstance(tracks, TrackSet) else load_tracks(tracks)
    names = [t.name for t in ts.tracks]
    tmp = None
    if store is None:
        tmp = tempfile.TemporaryDirectory(prefix="dragoman-eval-tracks-")
        store = Path(tmp.name) / "store"
    try:
        run([], store, config, articles=gold_articles(gold, gp, corpus))
        track_store(store, ts, force=True)
        links = read_table(store, "links").to_pylist()
        stances = read_table(store, "stances").to_pylist()
    finally:
        if tmp is not None:
            tmp.cleanup()
    rows = [r for r in gold if split is None or r.get("split") == split]
    tagged = {(r["doc_id"], r["track"]) for r in links if r["kind"] == "document"}
    report = TracksReport(split, len(rows))
    totals = [0, 0, 0]
    for name in names:
        tp = fp = fn = 0
        for r in rows:
            want, got = name in r["tracks"], (r["id"], name) in tagged
            tp += want and got
            fp += got and not want
            fn += want and not got
            if want != got:
                report.errors.append(f"{r['id']}: {name} {'missed' if want else 'extra'}")
        report.tagging[name] = _prf(tp, fp, fn)
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
    report.tagging["all"] = _prf(*totals)
    by_doc: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for s in stances:
        by_doc[(s["doc_id"], s["track"])].append(s)
    for r in rows:
        for st in r.get("statements", []):
            report.statements += 1
            cands = [s for s in by_doc.get((r["id"], st["track"]), [])
                     if s["evidence_start"] < st["end"] and st["start"] < s["evidence_end"]
                     and _same_actor(st["actor"], s["actor"], s["actor_country"])]
            if not cands:
                report.errors.append(f"{r['id']}: no stance for {st['actor']} on "
                                     f"{st['track']} ({st['stance']})")
                continue
            report.stance_found += 1
            best = max(cands, key=lambda s: (s["proposal"] is None, s["score"]))
            if best["stance"] == st["stance"]:
                report.stance_correct += 1
            else:
                report.errors.append(f"{r['id']}: {st['actor']} on {st['track']}: "
                                     f"{best['stance']}, gold {st['stance']}")
    return report
