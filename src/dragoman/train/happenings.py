"""Training and cross-validating the happening model (which mentions are one happening).

The article gold marks, for every event of an article, the happening it reports
(``happening``: the same value for the headline, the lead and the body retelling one raid).
Each gold document is coded by the event model, and its coded events are matched to the
gold events as ``dragoman eval incidents`` does (same type, trigger inside the gold
event's sentence). Every pair of matched same-typed events that the rules do not rule out
(``grouping.happening_pairs``: same negation, both or neither about an earlier happening)
is an example, ``same`` when the two gold events share their happening, else ``other``.
A logistic regression (scikit-learn, fixed seed) over the pair features is stored in the
event model folder beside the type and role models.

``cross_validate`` splits the articles into k folds; each fold's happening model never saw
its test articles. (The articles are coded by the event model given, which may have been
trained on them — the shipped one was — so its events are better than on unseen articles:
the test halves and the held-out set are the honest figures.) It scores the pairs as ``dragoman eval incidents`` does, beside the
rules' grouping of the same coded events.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from itertools import combinations
from typing import Any

from ..eval.incidents import match_happenings
from ..eval.scores import prf
from ..extract.events.model import EventModel, LinearModel
from ..extract.incidents import grouping
from ..extract.incidents.lexicon import load_incident_lexicon
from ..extract.incidents.pairs import Mention
from .events import PreparedDoc, _fit_linear, decode, folds

__all__ = ["C_HAPPENINGS", "HAPPENING_THRESHOLD", "cross_validate", "with_happenings"]

#: regularisation of the happening model (4-fold CV over the article gold's tune half,
#: ``dragoman eval incidents --cv 4``: pair F1 0.606 at C 1, flat from 0.3 to 3)
C_HAPPENINGS = 1.0
#: the mean ``same`` probability a mention needs to join an incident (same CV: pair F1
#: 0.591 at 0.25, 0.606 at 0.3, 0.589 at 0.35)
HAPPENING_THRESHOLD = 0.3


@dataclasses.dataclass
class _Doc:
    mentions: list[Mention]
    #: mention index → the gold happening of the gold event it matches
    happening: dict[int, str]
    pairs: dict[tuple[int, int], dict[str, float]]


def _docs(preps: Sequence[PreparedDoc], model: EventModel) -> list[_Doc]:
    """The article gold documents (those with a split), coded by ``model``, as pairs."""
    lex = load_incident_lexicon()
    out = []
    for p in preps:
        if not p.gold.get("split"):
            continue  # a one-sentence set marks no happenings
        events = decode(p, model)
        scene = grouping.document_scene(p.ctx, lex)
        mentions = grouping.document_mentions(p.ctx, scene, events, lex)
        matched = match_happenings(p.gold, [m.event for m in mentions])
        happening = {k: matched[m.event.id] for k, m in enumerate(mentions)
                     if m.event.id in matched}
        out.append(_Doc(mentions, happening, grouping.happening_pairs(mentions)))
    return out


def _examples(docs: Sequence[_Doc]) -> list[tuple[dict[str, float], str]]:
    data = []
    for d in docs:
        for (i, j), feats in d.pairs.items():
            if i in d.happening and j in d.happening:
                data.append((feats, "same" if d.happening[i] == d.happening[j] else "other"))
    return data


def _fit(docs: Sequence[_Doc], seed: int, c: float,
         data: list[tuple[dict[str, float], str]] | None = None) -> LinearModel:
    data = _examples(docs) if data is None else data
    if len({label for _, label in data}) < 2:
        raise ValueError("no happening examples of both kinds: the gold needs articles whose "
                         "events mark their happening")
    return _fit_linear(data, c, seed)


def with_happenings(model: EventModel, preps: Sequence[PreparedDoc], seed: int = 13,
                    c: float = C_HAPPENINGS) -> EventModel:
    """``model`` with a happening model fitted to the article gold among ``preps``
    (unchanged when there is none)."""
    docs = _docs(preps, model)
    if not docs:
        return model
    data = _examples(docs)
    happenings = _fit(docs, seed, c, data)
    meta = dict(model.meta)
    meta["happening_examples"] = len(data)
    return dataclasses.replace(model, happenings=happenings,
                               happening_threshold=HAPPENING_THRESHOLD, meta=meta)


def _score(docs: Sequence[_Doc], groups: Sequence[Sequence[Sequence[int]]]
           ) -> tuple[int, int, int]:
    both = pred = gold = 0
    for d, gs in zip(docs, groups, strict=True):
        owner = {k: n for n, g in enumerate(gs) for k in g}
        for i, j in combinations(sorted(d.happening), 2):
            same_gold = d.happening[i] == d.happening[j]
            same_pred = owner[i] == owner[j]
            gold += same_gold
            pred += same_pred
            both += same_gold and same_pred
    return both, pred, gold


def _report(name: str, counts: tuple[int, int, int]) -> dict[str, Any]:
    p, r, f = prf(*counts)
    return {"name": name, "pairs_both": counts[0], "pairs_predicted_same": counts[1],
            "pairs_gold_same": counts[2], "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(f, 3)}


def cross_validate(preps: Sequence[PreparedDoc], model: EventModel, k: int = 4,
                   seed: int = 13, c: float = C_HAPPENINGS,
                   threshold: float = HAPPENING_THRESHOLD) -> dict[str, Any]:
    """Pooled k-fold pair scores of the happening model and of the rules' grouping, over
    the article gold's documents coded by ``model``."""
    docs = _docs(preps, model)
    learned: list[list[list[int]]] = [[] for _ in docs]
    for test in folds(len(docs), k, seed):
        tset = set(test)
        fold_model = _fit([d for i, d in enumerate(docs) if i not in tset], seed, c)
        for i in test:
            learned[i] = grouping.group_by_model(docs[i].mentions, fold_model, threshold,
                                                 docs[i].pairs)
    rules = [grouping.group_by_rules(d.mentions) for d in docs]
    return {"k": k, "seed": seed, "documents": len(docs), "threshold": threshold,
            "learned": _report(f"{k}-fold CV (happening model)", _score(docs, learned)),
            "rules": _report("rules only", _score(docs, rules))}
