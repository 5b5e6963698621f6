"""Evaluate the event coder against a gold JSONL file (``dragoman eval events``).

Matching. A predicted event matches a gold event of the same ``event_type`` in the same
sentence: the gold event's ``sentence`` span overlaps the predicted event's sentence
(both in original-text offsets); a gold event without a ``sentence`` (single-sentence gold
documents) is "in the same sentence" as every prediction of its document. Matching is
one-to-one and greedy, in gold order; among candidates the one whose actor countries agree
best is taken.

Optional gold events (``"optional": true``) are neither required nor penalised: a
prediction that matches one (same type, same sentence, not reversed) counts as neither a
true nor a false positive. A prediction in an optional event's sentence that does not match
it (other type, or the same type with actor and recipient reversed) is a false positive and
is also counted as an *optional conflict*.

Actor and recipient accuracy (on matched events). A list of actors is compared as the
*set* of its non-null country codes (resp. sector codes: upper-cased, first three letters,
"***" ignored); it is correct when the predicted set equals the gold set. Events whose gold
list has no country (resp. sector) are not counted. For symmetric events (gold or
predicted ``symmetric``) direction does not matter: the union of actor and recipient is
compared, for the actor figure always and for the recipient figure when the gold event has
a recipient.

Accepted types. A gold event may list ``accept_types`` (plv-train's YIELD rows accept
CONCEDE or RETREAT): a prediction of any of them matches, counted under the gold type.

Span accuracy (on matched events, where the gold gives argument spans or texts that can be
found in the text): the actor is right when a predicted actor's span overlaps a gold actor's
span, judged when the gold event has an actor; likewise the recipient. For symmetric events
the union of both roles is compared.

Attribution and negation (article gold, whose events carry ``attributed_to`` and
``negated``): on matched events, the attribution is right when both are none or the
predicted speaker's span overlaps the gold source span; negation when the flags agree.
Place (article gold events that name one): the event's location overlaps the gold place
span or names the same place elsewhere in the text (transliteration-insensitive key, with
direction and kind words set aside: "Aleppo city" is "Aleppo").

Extra events per gold sentence = false positives / number of distinct gold sentences
(required and optional; a single-sentence gold document counts as one sentence).
"""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..extract.places import TranslitRules, load_translit, name_key
from ..extract.places.build import load_divisions
from ..types import ActorRef, Event
from .event_gold import read_event_gold
from .gold import gold_article
from .scores import prf

if TYPE_CHECKING:  # pragma: no cover
    from ..pipeline import Pipeline

__all__ = ["Accuracy", "EventReport", "TypeRow", "evaluate", "evaluate_many", "score",
           "score_document"]


@dataclass(frozen=True, slots=True)
class TypeRow:
    event_type: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return prf(self.tp, self.tp + self.fp, self.tp + self.fn)[0]

    @property
    def recall(self) -> float:
        return prf(self.tp, self.tp + self.fp, self.tp + self.fn)[1]

    @property
    def f1(self) -> float:
        return prf(self.tp, self.tp + self.fp, self.tp + self.fn)[2]

    def to_dict(self) -> dict[str, Any]:
        return {"event_type": self.event_type, "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


@dataclass(frozen=True, slots=True)
class Accuracy:
    correct: int
    total: int

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": round(self.value, 4)}


@dataclass(frozen=True)
class EventReport:
    """The figures of one evaluation run."""

    gold: str
    documents: int
    gold_events: int
    optional_events: int
    predicted: int
    gold_sentences: int
    overall: TypeRow
    actor_country: Accuracy
    recipient_country: Accuracy
    actor_sector: Accuracy
    recipient_sector: Accuracy
    actor_span: Accuracy
    recipient_span: Accuracy
    optional_matched: int
    optional_conflicts: int
    per_type: tuple[TypeRow, ...]
    seconds: float
    errors: tuple[dict[str, Any], ...] = field(default=(), repr=False)
    mode: Accuracy = field(default_factory=lambda: Accuracy(0, 0))  # gold events with a mode
    #: article gold: the attribution (speaker span overlaps, or both none) and negation
    attribution: Accuracy = field(default_factory=lambda: Accuracy(0, 0))
    negation: Accuracy = field(default_factory=lambda: Accuracy(0, 0))
    #: article gold: the event's location where the gold names one (span overlap or the
    #: same name)
    place: Accuracy = field(default_factory=lambda: Accuracy(0, 0))

    @property
    def extra_per_sentence(self) -> float:
        return self.overall.fp / self.gold_sentences if self.gold_sentences else 0.0

    def metrics(self) -> dict[str, float]:
        """The headline figures by name (what the accuracy gate pins)."""
        return {
            "precision": round(self.overall.precision, 4),
            "recall": round(self.overall.recall, 4),
            "f1": round(self.overall.f1, 4),
            "actor_country": round(self.actor_country.value, 4),
            "recipient_country": round(self.recipient_country.value, 4),
            "actor_sector": round(self.actor_sector.value, 4),
            "recipient_sector": round(self.recipient_sector.value, 4),
            "actor_span": round(self.actor_span.value, 4),
            "recipient_span": round(self.recipient_span.value, 4),
            "extra_per_sentence": round(self.extra_per_sentence, 4),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "documents": self.documents,
            "gold_events": self.gold_events,
            "optional_events": self.optional_events,
            "predicted": self.predicted,
            "gold_sentences": self.gold_sentences,
            **{k: v for k, v in self.overall.to_dict().items() if k != "event_type"},
            "extra_per_sentence": round(self.extra_per_sentence, 4),
            "actor_country": self.actor_country.to_dict(),
            "recipient_country": self.recipient_country.to_dict(),
            "actor_sector": self.actor_sector.to_dict(),
            "recipient_sector": self.recipient_sector.to_dict(),
            "actor_span": self.actor_span.to_dict(),
            "recipient_span": self.recipient_span.to_dict(),
            "mode": self.mode.to_dict(),
            "attribution": self.attribution.to_dict(),
            "negation": self.negation.to_dict(),
            "place": self.place.to_dict(),
            "optional_matched": self.optional_matched,
            "optional_conflicts": self.optional_conflicts,
            "per_type": [r.to_dict() for r in self.per_type],
            "seconds": round(self.seconds, 2),
            "errors": list(self.errors),
        }

    def to_text(self) -> str:
        o = self.overall
        lines = [
            f"Event coder evaluation: {self.gold}",
            (f"documents {self.documents}  gold events {self.gold_events} "
             f"(+{self.optional_events} optional)  predicted {self.predicted}  "
             f"gold sentences {self.gold_sentences}  time {self.seconds:.1f}s"),
            "",
            (f"event type   precision {o.precision:.3f}  recall {o.recall:.3f}  F1 {o.f1:.3f}"
             f"   (tp {o.tp}, fp {o.fp}, fn {o.fn})"),
            f"extra events per gold sentence  {self.extra_per_sentence:.3f}",
            f"optional: matched {self.optional_matched}, conflicts {self.optional_conflicts}",
            "",
            "on matched events       accuracy   correct/total",
        ]
        for name, acc in (("actor country", self.actor_country),
                          ("recipient country", self.recipient_country),
                          ("actor sector", self.actor_sector),
                          ("recipient sector", self.recipient_sector),
                          ("actor span", self.actor_span),
                          ("recipient span", self.recipient_span),
                          ("mode (gold has one)", self.mode),
                          ("attribution", self.attribution),
                          ("negation", self.negation),
                          ("place (gold has one)", self.place)):
            lines.append(f"  {name:<21} {acc.value:>8.3f}   {acc.correct}/{acc.total}")
        lines += ["", f"  {'type':<10} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}"]
        for r in self.per_type:
            lines.append(f"  {r.event_type:<10} {r.tp:>4} {r.fp:>4} {r.fn:>4} "
                         f"{r.precision:>6.3f} {r.recall:>6.3f} {r.f1:>6.3f}")
        return "\n".join(lines)


# ------------------------------------------------------------------------------ scoring


def _countries(refs: Iterable[Any]) -> frozenset[str]:
    out = set()
    for r in refs:
        c = r.get("country") if isinstance(r, dict) else getattr(r, "country", None)
        if c:
            out.add(str(c).upper())
    return frozenset(out)


def _sectors(refs: Iterable[Any]) -> frozenset[str]:
    out = set()
    for r in refs:
        s = r.get("sector") if isinstance(r, dict) else getattr(r, "sector", None)
        if s and s != "***":
            out.add(str(s)[:3].upper())
    return frozenset(out)


def _overlaps(gold: dict[str, Any], pred: Event) -> bool:
    sent = gold.get("sentence")
    if not sent:
        return True
    return pred.sentence.start < int(sent["end"]) and int(sent["start"]) < pred.sentence.end


def _reversed(gold: dict[str, Any], pred: Event) -> bool:
    if gold.get("symmetric") or pred.symmetric:
        return False
    ga, gr = _countries(gold.get("actor") or []), _countries(gold.get("recipient") or [])
    pa = _countries(pred.actor)
    return bool(gr) and pa == gr and pa != ga


@dataclass
class _Tally:
    tp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fn: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    acc: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    optional_matched: int = 0
    optional_conflicts: int = 0
    gold_sentences: int = 0
    gold_events: int = 0
    optional_events: int = 0
    predicted: int = 0
    documents: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def judge(self, name: str, gold_set: frozenset[str], pred_set: frozenset[str]) -> None:
        if not gold_set:
            return
        self.acc[name][1] += 1
        if gold_set == pred_set:
            self.acc[name][0] += 1


def _span_hit(gold: Iterable[dict[str, Any]], pred: Iterable[ActorRef]) -> bool | None:
    """Whether a predicted span overlaps a gold span (None: the gold has no located span)."""
    spans = [(int(a["start"]), int(a["end"])) for a in gold if "start" in a and "end" in a]
    if not spans:
        return None
    return any(p.start < e and s < p.end for p in pred for s, e in spans)


def _judge_span(t: _Tally, name: str, gold: list[dict[str, Any]],
                pred: Iterable[ActorRef]) -> None:
    hit = _span_hit(gold, pred)
    if hit is None:
        return
    t.acc[name][1] += 1
    t.acc[name][0] += int(hit)


def _same_attribution(gold: dict[str, Any] | None, pred: ActorRef | None) -> bool:
    """Both none, or the predicted speaker's span overlaps the gold source span."""
    if gold is None or pred is None:
        return gold is None and pred is None
    return pred.start < int(gold["end"]) and int(gold["start"]) < pred.end


@functools.lru_cache(maxsize=1)
def _translit() -> TranslitRules:
    return load_translit()


def _name_words(text: str) -> frozenset[str]:
    """The words of a place name's key less direction and kind words ("Aleppo city",
    "central Damascus", "Idlib province": Aleppo, Damascus, Idlib)."""
    d = load_divisions()
    return frozenset(name_key(text, _translit()).split()) - d.generic - d.words


def _same_place(gold: dict[str, Any], pred: Event) -> bool:
    """The event's location is the gold place: the spans overlap, or the two name the same
    place in other words of the text, transliteration-insensitive ("Deir al-Zor" is "Deir
    ez-Zor") and with direction and kind words set aside ("Aleppo city" is "Aleppo")."""
    loc = pred.location
    if loc is None:
        return False
    if loc.start < int(gold["end"]) and int(gold["start"]) < loc.end:
        return True
    words = _name_words(loc.text)
    return bool(words) and words == _name_words(str(gold.get("text") or ""))


def _compare_args(t: _Tally, gold: dict[str, Any], pred: Event) -> None:
    ga, gr = gold.get("actor") or [], gold.get("recipient") or []
    if gold.get("symmetric") or pred.symmetric:
        gu, pu = list(ga) + list(gr), list(pred.actor) + list(pred.recipient)
        _judge_span(t, "actor_span", gu, pu)
        if gr:
            _judge_span(t, "recipient_span", gu, pu)
        t.judge("actor_country", _countries(gu), _countries(pu))
        t.judge("actor_sector", _sectors(gu), _sectors(pu))
        if gr:
            t.judge("recipient_country", _countries(gu), _countries(pu))
            t.judge("recipient_sector", _sectors(gu), _sectors(pu))
        return
    _judge_span(t, "actor_span", ga, pred.actor)
    _judge_span(t, "recipient_span", gr, pred.recipient)
    t.judge("actor_country", _countries(ga), _countries(pred.actor))
    t.judge("actor_sector", _sectors(ga), _sectors(pred.actor))
    t.judge("recipient_country", _countries(gr), _countries(pred.recipient))
    t.judge("recipient_sector", _sectors(gr), _sectors(pred.recipient))


def _refs_text(refs: Iterable[ActorRef]) -> list[str]:
    return [f"{r.text}[{r.country or '-'}/{r.sector or '-'}]" for r in refs]


def score_document(t: _Tally, doc: dict[str, Any], preds: list[Event]) -> None:
    """Add one document's matches to the tally."""
    golds = [g for g in doc.get("events") or [] if isinstance(g, dict)]
    required = [g for g in golds if not g.get("optional")]
    optional = [g for g in golds if g.get("optional")]
    t.documents += 1
    t.gold_events += len(required)
    t.optional_events += len(optional)
    t.predicted += len(preds)
    sentences = {(g["sentence"]["start"], g["sentence"]["end"]) if g.get("sentence") else None
                 for g in golds}
    t.gold_sentences += len(sentences)
    used: set[int] = set()
    for g in required:
        accept = {g["event_type"], *(g.get("accept_types") or [])}
        cands = [(i, p) for i, p in enumerate(preds)
                 if i not in used and p.event_type in accept and _overlaps(g, p)]
        if not cands:
            t.fn[g["event_type"]] += 1
            t.errors.append({"doc": doc.get("id"), "kind": "missed", "event_type": g["event_type"],
                             "text": (g.get("sentence") or {}).get("text") or doc["text"][:300],
                             "gold_actor": [a.get("text") for a in g.get("actor") or []],
                             "gold_recipient": [a.get("text") for a in g.get("recipient") or []]})
            continue
        gset = _countries(g.get("actor") or [])
        i, p = max(cands, key=lambda c: (len(_countries(c[1].actor) & gset), -c[0]))
        used.add(i)
        t.tp[g["event_type"]] += 1
        before = {k: v[0] for k, v in t.acc.items()}
        _compare_args(t, g, p)
        if g.get("mode"):
            t.acc["mode"][1] += 1
            t.acc["mode"][0] += int(p.mode == g["mode"])
        if "attributed_to" in g:
            t.acc["attribution"][1] += 1
            t.acc["attribution"][0] += int(_same_attribution(g["attributed_to"], p.attributed_to))
        if isinstance(g.get("place"), dict):
            t.acc["place"][1] += 1
            t.acc["place"][0] += int(_same_place(g["place"], p))
        if "negated" in g:
            t.acc["negation"][1] += 1
            t.acc["negation"][0] += int(bool(g["negated"]) == p.negated)
        if any(t.acc[k][0] == before.get(k, 0) and t.acc[k][1] > 0 for k in
               ("actor_country", "recipient_country")) and (
                _countries(g.get("actor") or []) != _countries(p.actor)
                or _countries(g.get("recipient") or []) != _countries(p.recipient)):
            t.errors.append({
                "doc": doc.get("id"), "kind": "arguments", "event_type": p.event_type,
                "trigger": p.trigger.text, "text": p.sentence.text,
                "gold_actor": [f"{a.get('text')}[{a.get('country')}]" for a in g.get("actor") or []],
                "gold_recipient": [f"{a.get('text')}[{a.get('country')}]"
                                   for a in g.get("recipient") or []],
                "actor": _refs_text(p.actor), "recipient": _refs_text(p.recipient)})
    opt_used: set[int] = set()
    for i, p in enumerate(preds):
        if i in used:
            continue
        hit = next((j for j, g in enumerate(optional) if j not in opt_used
                    and g["event_type"] == p.event_type and _overlaps(g, p)
                    and not _reversed(g, p)), None)
        if hit is not None:
            opt_used.add(hit)
            t.optional_matched += 1
            continue
        t.fp[p.event_type] += 1
        if any(_overlaps(g, p) for g in optional if g.get("sentence")):
            t.optional_conflicts += 1
        t.errors.append({"doc": doc.get("id"), "kind": "extra", "event_type": p.event_type,
                         "trigger": p.trigger.text, "text": p.sentence.text,
                         "actor": _refs_text(p.actor), "recipient": _refs_text(p.recipient)})


def score(docs: Iterable[tuple[dict[str, Any], list[Event]]], gold_name: str = "",
          seconds: float = 0.0) -> EventReport:
    """The report for (gold document, predicted events) pairs."""
    t = _Tally()
    for doc, preds in docs:
        score_document(t, doc, preds)
    types = sorted(set(t.tp) | set(t.fp) | set(t.fn))
    rows = tuple(TypeRow(ty, t.tp[ty], t.fp[ty], t.fn[ty]) for ty in types)
    overall = TypeRow("ALL", sum(t.tp.values()), sum(t.fp.values()), sum(t.fn.values()))

    def acc(name: str) -> Accuracy:
        c, n = t.acc[name]
        return Accuracy(c, n)

    return EventReport(
        gold=gold_name, documents=t.documents, gold_events=t.gold_events,
        optional_events=t.optional_events, predicted=t.predicted,
        gold_sentences=t.gold_sentences, overall=overall,
        actor_country=acc("actor_country"), recipient_country=acc("recipient_country"),
        actor_sector=acc("actor_sector"), recipient_sector=acc("recipient_sector"),
        actor_span=acc("actor_span"), recipient_span=acc("recipient_span"),
        mode=acc("mode"), attribution=acc("attribution"), negation=acc("negation"),
        place=acc("place"), optional_matched=t.optional_matched, optional_conflicts=t.optional_conflicts,
        per_type=rows, seconds=seconds, errors=tuple(t.errors),
    )


def evaluate(gold: Path, pipeline: Pipeline, limit: int | None = None,
             corpus: Path | None = None, split: str | None = None) -> EventReport:
    """Run ``pipeline`` on the documents of ``gold`` and score its events.

    An article gold (``gold/articles-*.jsonl``) reads its texts from ``corpus``; ``split``
    keeps its ``tune`` or ``test`` half.
    """
    return evaluate_many([gold], pipeline, limit, corpus, split)


def evaluate_many(golds: Iterable[Path], pipeline: Pipeline, limit: int | None = None,
                  corpus: Path | None = None, split: str | None = None) -> EventReport:
    """``evaluate`` over the pooled documents of several gold files."""
    started = time.perf_counter()
    paths = list(golds)
    docs = [d for g in paths for d in read_event_gold(g, corpus, split, limit)]
    results = pipeline.process(gold_article(d) for d in docs)
    pairs = [(d, list(r.events)) for d, r in zip(docs, results, strict=True)]
    return score(pairs, " + ".join(str(p) for p in paths), time.perf_counter() - started)
