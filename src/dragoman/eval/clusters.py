"""Clusters evaluation: pairs of articles that report the same happening, or not.

The gold (``gold/cluster-pairs.jsonl``, how it was judged in ``gold/README.md``) has one
line per pair of articles of a corpus file: ``{"corpus", "a", "b", "same", "split",
"note"}``. The articles are run through the real pipeline into a store (or an existing
store of the corpus is used: ``store=``), the store is clustered, and each pair is
predicted *same* when the two articles' main incidents (the one with most killed, an
ASSAULT first, then the earliest) are in one cluster. Also reported: *any*, where a pair is
predicted same when any incident of one article shares a cluster with any of the other.
Pairwise precision and recall, for the ``tune`` half, the ``test`` half and both.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..clusters import ClusterSettings, cluster_store, read_table
from ..clusters.match import killed_of
from ..config import Config
from ..errors import DataFileError
from ..store.segments import Store
from ..types import Article
from .scores import prf

__all__ = ["ClusterPair", "ClustersReport", "evaluate_clusters", "read_pairs"]


@dataclass(frozen=True)
class ClusterPair:
    corpus: str
    a: str
    b: str
    same: bool
    split: str
    note: str = ""


def read_pairs(path: Path) -> list[ClusterPair]:
    """The gold pairs of ``path`` (errors as ``file:line``)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            pair = ClusterPair(str(d["corpus"]), str(d["a"]), str(d["b"]), bool(d["same"]),
                               str(d["split"]), str(d.get("note", "")))
        except (ValueError, KeyError, TypeError) as exc:
            raise DataFileError(f"{path}:{n}: not a cluster pair ({exc}); expected "
                                '{"corpus", "a", "b", "same", "split"}') from None
        if pair.split not in ("tune", "test") or pair.a == pair.b:
            raise DataFileError(f"{path}:{n}: split must be tune or test, a and b differ")
        out.append(pair)
    return out


@dataclass
class ClustersReport:
    pairs: int = 0
    scores: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    store: str = ""
    cluster_seconds: float = 0.0
    settings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def to_text(self) -> str:
        head = (f"cluster pairs: {self.pairs} (store {self.store}; days "
                f"{self.settings.get('days')}, km {self.settings.get('km')}, min alike "
                f"{self.settings.get('min_alike')}; clustering {self.cluster_seconds:.2f} s)")
        lines = [head]
        for mode, by_split in self.scores.items():
            for split, s in by_split.items():
                lines.append(f"  {mode:<5} {split:<5} P {s['precision']:.3f} "
                             f"R {s['recall']:.3f} F1 {s['f1']:.3f} "
                             f"(tp {s['tp']:.0f} fp {s['fp']:.0f} fn {s['fn']:.0f})")
        for e in self.errors:
            lines.append(f"  {e['error']} [{e['split']}] {e['a']} {e['b']}: {e['note']}")
        return "\n".join(lines)


def _main(incidents: list[dict[str, Any]]) -> dict[str, Any] | None:
    def rank(r: dict[str, Any]) -> tuple[int, bool, int]:
        k = killed_of((r.get("casualties") or {}).get("killed"))[0]
        start = r["evidence"][0]["start"] if r.get("evidence") else 0
        return (-(k if k is not None else -1), r["event_type"] != "ASSAULT", start)

    return min(incidents, key=rank) if incidents else None


def _build_store(pairs: list[ClusterPair], corpus: Path, root: Path, config: Config) -> None:
    from ..runner import run

    wanted = {p.a for p in pairs} | {p.b for p in pairs}
    articles = []
    for name in sorted({p.corpus for p in pairs}):
        for line in (corpus / name).read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            if d["id"] in wanted:
                articles.append(Article(id=d["id"], text=d["text"], title=d.get("title"),
                                        published=d.get("published"), source=d.get("source")))
    missing = wanted - {a.id for a in articles}
    if missing:
        raise DataFileError(f"{len(missing)} gold article(s) not in {corpus}: "
                            f"{', '.join(sorted(missing)[:5])}")
    run([], root, config.replace(cluster=False), articles=articles)


def evaluate_clusters(gold: Path, config: Config, store: Path | None = None,
                      corpus: Path | None = None, split: str | None = None) -> ClustersReport:
    """Score cross-document clustering on the pairs of ``gold`` (see the module doc)."""
    pairs = [p for p in read_pairs(gold) if split is None or p.split == split]
    settings = ClusterSettings(config.cluster_days, config.cluster_km, config.cluster_min_alike)
    report = ClustersReport(pairs=len(pairs), settings={"days": settings.days,
                                                        "km": settings.km,
                                                        "min_alike": settings.min_alike})
    with tempfile.TemporaryDirectory(prefix="dragoman-eval-clusters-") as tmp:
        root = store if store is not None else Path(tmp) / "store"
        if store is None:
            _build_store(pairs, corpus or gold.resolve().parent.parent.parent / "shared"
                         / "corpus", root, config)
        s = Store.open(root)
        started = time.perf_counter()
        cluster_store(s, settings, rebuild=True)
        report.cluster_seconds = time.perf_counter() - started
        report.store = str(root) if store is not None else "(built from the gold articles)"
        rows = s.reader().fetch_dicts(
            "SELECT id, doc_id, event_type, casualties, evidence FROM incidents", [])
        members = {m["incident_id"]: m["cluster_id"]
                   for m in read_table(s.root, "members").to_pylist()}
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_doc.setdefault(r["doc_id"], []).append(r)
    counts: dict[str, dict[str, list[int]]] = {}
    for p in pairs:
        ma, mb = _main(by_doc.get(p.a, [])), _main(by_doc.get(p.b, []))
        ca = members.get(ma["id"]) if ma else None
        main = ca is not None and mb is not None and ca == members.get(mb["id"])
        sa = {members.get(r["id"]) for r in by_doc.get(p.a, [])} - {None}
        sb = {members.get(r["id"]) for r in by_doc.get(p.b, [])} - {None}
        for mode, pred in (("main", main), ("any", bool(sa & sb))):
            for part in (p.split, "all"):
                c = counts.setdefault(mode, {}).setdefault(part, [0, 0, 0])
                c[0] += pred and p.same
                c[1] += pred and not p.same
                c[2] += p.same and not pred
            if mode == "main" and pred != p.same:
                report.errors.append({"error": "FP" if pred else "FN", "split": p.split,
                                      "a": p.a, "b": p.b, "note": p.note})
    for mode, parts in counts.items():
        report.scores[mode] = {}
        for part in ("tune", "test", "all"):
            if part in parts:
                tp, fp, fn = parts[part]
                pr, rc, f1 = prf(tp, tp + fp, tp + fn)
                report.scores[mode][part] = {"precision": pr, "recall": rc, "f1": f1,
                                             "tp": tp, "fp": fp, "fn": fn}
    return report
