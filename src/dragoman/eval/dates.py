"""Dates evaluation: temporal-expression recognition and value accuracy on TimeML gold.

Gold shape (shared/eval/README.md): ``{"text", "published", "timexes": [{start, end, text,
type, value}]}``. Recognition is scored by span overlap (one-to-one, greedy in text order)
over all timexes; value accuracy on the matched gold timexes of type DATE: exact value
match, and match at the gold's precision (the predicted value cut to the gold value's
length, so ``1998-01-08`` matches gold ``1998-01``; TimeML ``*_REF`` values must be equal).

Exact match compares *canonical* values: the older TIMEX2 notation some gold files use for
the same value is rewritten to the TIMEX3 one TimeBank and dragoman use — trailing
unspecified fields dropped (``1968-XX`` = ``1968``, ``1994-XX-XX`` = ``1994``), decades
without the placeholder (``198X`` = ``198``, ``19XX`` = ``19``), week numbers with two digits
(``2000-W7`` = ``2000-W07``). Only notation changes; a different date never matches. The
string-equal figure is reported as well (``value_exact_strict``).

Only the spaCy model and the dates extractor run.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..extract import dates as dates_mod
from .gold import gold_contexts, match_by_overlap, read_gold
from .scores import prf

__all__ = ["DatesReport", "canonical", "evaluate"]

from ..pipeline import Pipeline


@dataclass(frozen=True)
class DatesReport:
    gold_file: str
    documents: int
    gold: int
    predicted: int
    matched: int
    precision: float
    recall: float
    f1: float
    date_matched: int
    value_exact: float
    value_at_precision: float
    value_exact_strict: float
    nlp_seconds: float
    dates_seconds: float
    by_type_recall: dict[str, float] = field(default_factory=dict)
    #: matched DATE timexes whose value is wrong: doc id, text, gold and predicted value
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_text(self) -> str:
        types = "  ".join(f"{k} {v:.3f}" for k, v in sorted(self.by_type_recall.items()))
        return "\n".join([
            f"dates eval: {self.gold_file} ({self.documents} documents)",
            (f"  recognition  P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}"
             f"  (gold {self.gold}, predicted {self.predicted}, matched {self.matched})"),
            f"  recall by gold type: {types}",
            (f"  DATE values  exact {self.value_exact:.3f}  at gold precision "
             f"{self.value_at_precision:.3f}  string-equal {self.value_exact_strict:.3f}"
             f"  (of {self.date_matched} matched DATE timexes)"),
            f"  time         nlp {self.nlp_seconds:.1f} s, dates {self.dates_seconds:.1f} s",
        ])


_UNSPECIFIED = re.compile(r"(?:-XX)+$")
_DECADE_X = re.compile(r"^(\d{2,3})X+$")
_WEEK = re.compile(r"^(\d{4})-W(\d)(\b.*)$")


def canonical(value: str | None) -> str | None:
    """A TimeML value in TIMEX3 notation (see the module doc); None stays None."""
    if value is None:
        return None
    v = _UNSPECIFIED.sub("", value)
    m = _DECADE_X.match(v)
    if m:
        v = m.group(1)
    m = _WEEK.match(v)
    if m:
        v = f"{m.group(1)}-W0{m.group(2)}{m.group(3)}"
    return v


def _at_precision(gold: str, pred: str | None) -> bool:
    if pred is None:
        return False
    pred = pred.split("/")[0]
    if not gold[:1].isdigit():
        return gold == pred
    return pred[: len(gold)] == gold


def evaluate(gold: Path, pipeline: Pipeline, limit: int | None = None) -> DatesReport:
    """Score the dates extractor on a TimeML-derived gold file (``limit`` first documents)."""
    timer = [0.0]
    t_dates = 0.0
    n_docs = n_gold = n_pred = n_match = 0
    n_date = exact = strict = at_prec = 0
    errs: list[dict[str, Any]] = []
    type_gold: Counter[str] = Counter()
    type_hit: Counter[str] = Counter()
    read_gold(gold, 0)  # fail early on an unreadable file
    for g, ctx in gold_contexts(pipeline, Path(gold), limit, timer):
        n_docs += 1
        t0 = time.perf_counter()
        pred = dates_mod.extract(ctx)
        t_dates += time.perf_counter() - t0
        golds = list(g.get("timexes", []))
        n_gold += len(golds)
        n_pred += len(pred)
        for t in golds:
            type_gold[t.get("type", "?")] += 1
        for gi, pi in match_by_overlap(golds, pred):
            n_match += 1
            gt, pt = golds[gi], pred[pi]
            type_hit[gt.get("type", "?")] += 1
            if gt.get("type") == "DATE":
                n_date += 1
                cg, cp = canonical(gt["value"]) or "", canonical(pt.value)
                strict += int(pt.value == gt["value"])
                exact += int(cp == cg)
                at_prec += int(_at_precision(cg, cp))
                if cp != cg:
                    errs.append({"doc": g.get("id"), "published": g.get("published"),
                                 "gold_text": gt.get("text"), "text": pt.text,
                                 "gold": gt["value"], "predicted": pt.value})
    p, r, f1 = prf(n_match, n_pred, n_gold)
    return DatesReport(
        gold_file=str(gold),
        documents=n_docs,
        gold=n_gold,
        predicted=n_pred,
        matched=n_match,
        precision=round(p, 4),
        recall=round(r, 4),
        f1=round(f1, 4),
        date_matched=n_date,
        value_exact=round(exact / n_date, 4) if n_date else 0.0,
        value_at_precision=round(at_prec / n_date, 4) if n_date else 0.0,
        value_exact_strict=round(strict / n_date, 4) if n_date else 0.0,
        nlp_seconds=round(timer[0], 2),
        dates_seconds=round(t_dates, 2),
        by_type_recall={k: round(type_hit[k] / v, 4) for k, v in type_gold.items()},
        errors=errs,
    )
