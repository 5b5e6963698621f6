"""Quote evaluation: content precision/recall/F1 and speaker accuracy against gold.

Gold: JSONL documents with ``attributions: [{source, cue, content}]`` (spans or null), the
PolNeAR shape of ``shared/eval/quotes``; documents with a ``quotes`` list (the seed shape:
``{speaker, cue, content}``) are read too.

Matching: a predicted content matches a gold content when their overlap is at least half
of the longer of the two; predictions and gold are paired one to one, greedily by overlap.
Speaker accuracy is measured on matched pairs whose gold source is a span: correct when the
predicted speaker's span overlaps it. Pairs whose gold source is null are counted apart.

In the same run, textacy's ``textacy.extract.triples.direct_quotations`` is scored the same
way on the same texts (parsed by the same spaCy pipeline) as a baseline, when textacy is
installed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..pipeline import Pipeline
from .gold import gold_article, read_gold
from .scores import prf

__all__ = ["QuotesReport", "Scores", "evaluate", "match_contents", "score"]

log = logging.getLogger(__name__)

Pair = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Scores:
    """Content and speaker figures of one system over a gold set."""

    gold: int
    predicted: int
    matched: int
    speaker_correct: int
    speaker_scored: int  # matched pairs whose gold source is a span
    speaker_gold_null: int  # matched pairs whose gold source is null
    speaker_null_predicted_none: int  # ... of which the prediction had no speaker either

    @property
    def precision(self) -> float:
        return prf(self.matched, self.predicted, self.gold)[0]

    @property
    def recall(self) -> float:
        return prf(self.matched, self.predicted, self.gold)[1]

    @property
    def f1(self) -> float:
        return prf(self.matched, self.predicted, self.gold)[2]

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_correct / self.speaker_scored if self.speaker_scored else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "speaker_accuracy": round(self.speaker_accuracy, 4),
            "speaker_correct": self.speaker_correct,
            "speaker_scored": self.speaker_scored,
            "speaker_gold_null": self.speaker_gold_null,
            "speaker_null_predicted_none": self.speaker_null_predicted_none,
        }


@dataclass(frozen=True)
class QuotesReport:
    """The result of ``evaluate``: dragoman's scores and the baseline's (if it ran)."""

    gold_path: str
    documents: int
    dragoman: Scores
    baseline: Scores | None
    baseline_name: str
    baseline_message: str | None = None
    by_kind: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": "quotes",
            "gold": self.gold_path,
            "documents": self.documents,
            "dragoman": self.dragoman.to_dict(),
            "dragoman_predicted_by_kind": dict(self.by_kind),
            "baseline": {
                "name": self.baseline_name,
                "scores": self.baseline.to_dict() if self.baseline else None,
                "message": self.baseline_message,
            },
            "seconds": round(self.seconds, 1),
        }

    def to_text(self) -> str:
        title = (f"quotes eval on {self.gold_path} ({self.documents} documents, "
                 f"{self.seconds:.0f} s)")
        lines = [title, ""]
        header = f"{'system':<34}{'P':>7}{'R':>7}{'F1':>7}{'spk acc':>9}  gold/pred/match"
        lines.append(header)

        def row(name: str, s: Scores) -> str:
            return (f"{name:<34}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
                    f"{s.speaker_accuracy:>9.3f}  {s.gold}/{s.predicted}/{s.matched}")

        lines.append(row("dragoman", self.dragoman))
        if self.baseline is not None:
            lines.append(row(self.baseline_name, self.baseline))
            if self.baseline_message:
                lines.append(f"  ({self.baseline_name}: {self.baseline_message})")
        else:
            lines.append(f"{self.baseline_name:<34}skipped: {self.baseline_message}")
        lines.append("")
        d = self.dragoman
        lines.append(
            f"dragoman speaker: {d.speaker_correct}/{d.speaker_scored} matched pairs with a gold "
            f"source correct; {d.speaker_gold_null} matched pairs have no gold source "
            f"({d.speaker_null_predicted_none} of them predicted without a speaker too)"
        )
        if self.by_kind:
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.by_kind.items()))
            lines.append(f"dragoman predictions by kind: {kinds}")
        return "\n".join(lines)


def _overlap(a: Pair, b: Pair) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_contents(gold: list[Pair], pred: list[Pair]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs whose overlap is ≥ half the longer."""
    cands: list[tuple[int, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = _overlap(g, p)
            if ov > 0 and ov >= 0.5 * max(g[1] - g[0], p[1] - p[0]):
                cands.append((ov, gi, pi))
    cands.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


@dataclass
class _Tally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    speaker_correct: int = 0
    speaker_scored: int = 0
    speaker_gold_null: int = 0
    speaker_null_none: int = 0

    def add(
        self,
        gold: list[tuple[Pair, Pair | None]],
        pred: list[tuple[Pair, Pair | None]],
    ) -> None:
        self.gold += len(gold)
        self.predicted += len(pred)
        pairs = match_contents([g[0] for g in gold], [p[0] for p in pred])
        self.matched += len(pairs)
        for gi, pi in pairs:
            gsrc, psrc = gold[gi][1], pred[pi][1]
            if gsrc is None:
                self.speaker_gold_null += 1
                self.speaker_null_none += psrc is None
                continue
            self.speaker_scored += 1
            if psrc is not None and _overlap(gsrc, psrc) > 0:
                self.speaker_correct += 1

    def scores(self) -> Scores:
        return Scores(self.gold, self.predicted, self.matched, self.speaker_correct,
                      self.speaker_scored, self.speaker_gold_null, self.speaker_null_none)


def score(
    docs: Iterable[tuple[list[tuple[Pair, Pair | None]], list[tuple[Pair, Pair | None]]]],
) -> Scores:
    """Scores for (gold, predicted) lists of (content, speaker-or-None) offset pairs per doc."""
    tally = _Tally()
    for gold, pred in docs:
        tally.add(gold, pred)
    return tally.scores()


def _span(d: Any) -> Pair | None:
    if not isinstance(d, dict) or "start" not in d or "end" not in d:
        return None
    return int(d["start"]), int(d["end"])


def _gold_items(doc: dict[str, Any]) -> list[tuple[Pair, Pair | None]]:
    out: list[tuple[Pair, Pair | None]] = []
    for a in doc.get("attributions") or []:
        content = _span(a.get("content"))
        if content is not None:
            out.append((content, _span(a.get("source"))))
    for q in doc.get("quotes") or []:
        content = _span(q.get("content"))
        if content is not None:
            out.append((content, _span(q.get("speaker"))))
    return out


def _textacy() -> tuple[Any, str | None]:
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError as exc:
        return None, (f"textacy is not installed ({exc}); install it with "
                      "'pip install textacy' to get the baseline")
    return direct_quotations, None


def _textacy_items(func: Any, doc: Any) -> list[tuple[Pair, Pair | None]]:
    out: list[tuple[Pair, Pair | None]] = []
    for triple in func(doc):
        content = triple.content
        if not content:
            continue
        cspan = (content[0].idx, content[-1].idx + len(content[-1].text))
        speaker = triple.speaker
        sspan = ((speaker[0].idx, speaker[-1].idx + len(speaker[-1].text))
                 if speaker else None)
        out.append((cspan, sspan))
    return out


def evaluate(
    gold: Path,
    pipeline: Pipeline,
    limit: int | None = None,
    baseline: bool = True,
) -> QuotesReport:
    """Score dragoman's quotes (and textacy's direct quotations) on a gold JSONL file."""
    t0 = time.monotonic()
    docs = list(read_gold(gold, limit))
    ours = _Tally()
    by_kind: dict[str, int] = {}
    results = pipeline.process(gold_article(d) for d in docs)
    for d, result in zip(docs, results, strict=True):
        pred: list[tuple[Pair, Pair | None]] = []
        for q in result.quotes:
            by_kind[q.kind] = by_kind.get(q.kind, 0) + 1
            sp = (q.speaker.start, q.speaker.end) if q.speaker is not None else None
            pred.append(((q.content.start, q.content.end), sp))
        ours.add(_gold_items(d), pred)

    base_scores: Scores | None = None
    message: str | None = None
    if baseline:
        func, message = _textacy()
        if func is not None:
            tally = _Tally()
            bailed = 0
            for d, doc in zip(docs, pipeline.nlp.pipe(d["text"] for d in docs), strict=True):
                try:
                    items = _textacy_items(func, doc)
                except ValueError as exc:
                    # textacy refuses documents with unbalanced quotation marks: it then
                    # predicts nothing for that document (its gold still counts)
                    log.debug("textacy bailed out on %s: %s", d.get("id"), exc)
                    bailed += 1
                    items = []
                tally.add(_gold_items(d), items)
            base_scores = tally.scores()
            if bailed:
                message = (f"textacy raised ValueError (unbalanced quotation marks) on {bailed} "
                           "of the documents; they count as no predictions")
    else:
        message = "not run (baseline=False)"

    return QuotesReport(
        gold_path=str(gold),
        documents=len(docs),
        dragoman=ours.scores(),
        baseline=base_scores,
        baseline_name="textacy direct_quotations",
        baseline_message=message,
        by_kind=by_kind,
        seconds=time.monotonic() - t0,
    )
