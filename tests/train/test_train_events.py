"""Training the event models: folds, alignment, the train command and cross-validation.

These train on the project's own gold (tests/golden/events/gold.jsonl), so they need no
shared data; the shipped model's figures come from `make model` (docs/evaluation.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from dragoman import Config
from dragoman.cli import cli
from dragoman.extract.events.model import load_event_model
from dragoman.train.events import _pipeline, align, examples, fit, folds, prepare, read_golds

GOLD = Path(__file__).resolve().parent.parent / "golden" / "events" / "gold.jsonl"


def test_folds_partition_the_documents() -> None:
    fs = folds(103, 5, seed=1)
    assert len(fs) == 5
    flat = sorted(i for f in fs for i in f)
    assert flat == list(range(103))
    assert max(map(len, fs)) - min(map(len, fs)) <= 1
    assert folds(103, 5, seed=1) == fs and folds(103, 5, seed=2) != fs


@pytest.fixture(scope="module")
def preps():  # type: ignore[no-untyped-def]
    docs = read_golds([GOLD], limit=60)
    return list(prepare(_pipeline(Config()), docs))


def test_alignment_labels_each_gold_event_once_with_a_candidate_of_its_type(preps) -> None:  # type: ignore[no-untyped-def]
    n_gold = aligned = same_type = 0
    for p in preps:
        pairs = align(p)
        gold = [g for g in p.gold["events"] if not g.get("optional")]
        n_gold += len(gold)
        aligned += len(pairs)
        assert len({id(c) for _, c, _, _ in pairs}) == len(pairs), "a candidate used twice"
        for _, c, g, label in pairs:
            assert label in {g["event_type"], *(g.get("accept_types") or [])}
            same_type += int(c.rule is not None and c.rule.event_type == label)
    assert aligned >= 0.95 * n_gold
    assert same_type >= 0.8 * aligned


def test_alignment_prefers_the_gold_trigger(preps) -> None:  # type: ignore[no-untyped-def]
    p = next(p for p in preps if p.gold["events"] and p.plans)
    g = p.gold["events"][0]
    cands = [c for plan in p.plans for c in plan.candidates]
    other = cands[-1]
    g["trigger"] = {"start": p.ctx.base + other.tok.idx,
                    "end": p.ctx.base + other.tok.idx + len(other.tok.text)}
    try:
        pairs = align(p)
        assert pairs[0][1] is other
    finally:
        del g["trigger"]


def test_a_fitted_model_decodes_the_sentences_it_was_fitted_on(preps) -> None:  # type: ignore[no-untyped-def]
    from dragoman.eval.events import score
    from dragoman.train.events import decode

    model = fit(preps, seed=3)
    report = score([(p.gold, decode(p, model)) for p in preps])
    assert report.overall.f1 >= 0.85, report.to_text()
    assert report.actor_span.value >= 0.85


def test_train_command_writes_a_small_model_and_eval_cv_reports_both_coders(
        tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "model"
    res = runner.invoke(cli, ["train", "events", "--gold", str(GOLD), "--out", str(out),
                              "--seed", "5", "--version", "t1"])
    assert res.exit_code == 0, res.output
    assert (out / "model.json").is_file() and (out / "weights.npz").stat().st_size < 20 * 2**20
    meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert meta["version"] == "t1" and meta["meta"]["seed"] == 5
    load_event_model.cache_clear()
    assert load_event_model(out).extractor == "dragoman.events.learned/t1"
    res = runner.invoke(cli, ["eval", "events", "--gold", str(GOLD), "--limit", "40",
                              "--cv", "2", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output[res.output.index("{"):])
    assert data["k"] == 2 and data["documents"] == 40
    for coder in ("learned", "rules"):
        assert 0.0 < data[coder]["f1"] <= 1.0
        assert "actor_span" in data[coder]


_ARTICLES = [
    ("a1", ("Air strikes killed 12 civilians in the Syrian town of Saraqeb on Tuesday, a "
           "monitor said. The strikes hit a market in the town, the Syrian Observatory for "
           "Human Rights said. Separately, rebels shelled a government-held district of "
           "Aleppo, killing two people.")),
    ("a2", ("Police arrested three men in Mumbai on Monday for rioting. The three men were "
           "arrested after a clash near the station, police said. In Pune, police arrested "
           "a trader for hoarding sugar.")),
    ("a3", ("Government forces shelled the town of Douma on Friday, killing five people. The "
           "shelling also wounded 20, activists said. Islamic State fighters attacked an "
           "army checkpoint near Palmyra.")),
    ("a4", ("Troops fired on protesters in Hama on Sunday, killing four. Soldiers opened fire "
           "as the crowd marched, witnesses said. In Homs, a car bomb killed six people.")),
]
#: (article, trigger, type, happening)
_EVENTS = [("a1", "killed", "ASSAULT", "h1"), ("a1", "hit", "ASSAULT", "h1"),
           ("a1", "shelled", "ASSAULT", "h2"), ("a2", "arrested", "COERCE", "h1"),
           ("a2", "were arrested", "COERCE", "h1"), ("a2", "police arrested", "COERCE", "h2"),
           ("a3", "shelled", "ASSAULT", "h1"), ("a3", "wounded", "ASSAULT", "h1"),
           ("a3", "attacked", "ASSAULT", "h2"), ("a4", "fired", "ASSAULT", "h1"),
           ("a4", "opened fire", "ASSAULT", "h1"), ("a4", "killed six", "ASSAULT", "h2")]


def _article_gold(folder: Path) -> Path:
    """A four-article gold of our own (corpus file + article gold marking happenings)."""
    import hashlib
    import re

    corpus = folder / "mini.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": t, "published": "2016-03-01"}) + "\n"
                              for i, t in _ARTICLES), encoding="utf-8")
    lines = []
    for i, text in _ARTICLES:
        starts = [0] + [m.end() for m in re.finditer(r"\. ", text)]
        ends = [s - 1 for s in starts[1:]] + [len(text)]
        events = []
        for n, (doc, trigger, etype, happening) in enumerate(_EVENTS, 1):
            if doc != i:
                continue
            at = text.index(trigger)
            k = max(j for j, s in enumerate(starts) if s <= at)
            events.append({"n": n, "sentence": {"start": starts[k], "end": ends[k]},
                           "trigger": {"start": at, "end": at + len(trigger),
                                       "text": trigger},
                           "event_type": etype, "actor": [], "recipient": [],
                           "negated": False, "modality": "asserted", "attributed_to": None,
                           "happening": happening})
        lines.append({"corpus": "mini.jsonl", "id": i, "split": "tune", "events": events,
                      "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()})
    gold = folder / "articles.jsonl"
    gold.write_text("".join(json.dumps(g) + "\n" for g in lines), encoding="utf-8")
    return gold


def test_training_on_an_article_gold_adds_a_happening_model_and_cv_scores_it(
        tmp_path: Path) -> None:
    gold = _article_gold(tmp_path)
    runner = CliRunner()
    out = tmp_path / "model"
    res = runner.invoke(cli, ["train", "events", "--gold", str(GOLD), "--gold", str(gold),
                              "--corpus", str(tmp_path), "--out", str(out), "--version", "h1"])
    assert res.exit_code == 0, res.output
    meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert meta["happenings"]["classes"] == ["other", "same"]
    assert meta["meta"]["happening_examples"] > 0
    load_event_model.cache_clear()
    model = load_event_model(out)
    assert model.happenings is not None and 0 < model.happening_threshold < 1
    # the sentence gold alone marks no happenings: no happening model, the rules group
    res = runner.invoke(cli, ["train", "events", "--gold", str(GOLD), "--out",
                              str(tmp_path / "plain")])
    assert res.exit_code == 0, res.output
    assert "happenings" not in json.loads((tmp_path / "plain" / "model.json").read_text())
    res = runner.invoke(cli, ["eval", "incidents", "--cv", "2", "--gold", str(gold),
                              "--corpus", str(tmp_path), "--event-model", str(out), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output[res.output.index("{"):])
    assert data["k"] == 2 and data["documents"] == 4
    learned, rules = data["learned"], data["rules"]
    # both groupings are scored on the same coded events against the same gold pairs
    assert learned["pairs_gold_same"] == rules["pairs_gold_same"] > 0
    for r in (learned, rules):
        assert 0.0 <= r["precision"] <= 1.0 and 0.0 < r["recall"] <= 1.0
    load_event_model.cache_clear()


def test_classifiers_from_keeps_the_type_and_role_classifiers_and_refits_happenings(
        tmp_path: Path) -> None:
    gold = _article_gold(tmp_path)
    runner = CliRunner()
    base = tmp_path / "base"
    res = runner.invoke(cli, ["train", "events", "--gold", str(GOLD), "--out", str(base),
                              "--version", "b1"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "refit"
    res = runner.invoke(cli, ["train", "events", "--gold", str(gold), "--corpus", str(tmp_path),
                              "--classifiers-from", str(base), "--out", str(out),
                              "--version", "b1.1"])
    assert res.exit_code == 0, res.output
    load_event_model.cache_clear()
    kept, refit = load_event_model(base), load_event_model(out)
    assert kept.happenings is None and refit.happenings is not None
    assert refit.version == "b1.1" and refit.meta["classifiers_from"] == "b1"
    for name in ("types", "roles"):
        a, b = getattr(kept, name), getattr(refit, name)
        assert a.classes == b.classes and a.index == b.index
        assert np.array_equal(a.weights, b.weights) and np.array_equal(a.intercept, b.intercept)
    load_event_model.cache_clear()


def test_a_prior_realigns_an_event_without_a_trigger_and_type_priors_are_cross_fitted(
        preps) -> None:  # type: ignore[no-untyped-def]
    from dragoman.train.events import type_priors

    p, plan, c1, label = next((p, plan, c, label) for p in preps for plan, c, g, label in align(p)
                              if len(plan.candidates) > 1)
    c2 = next(c for c in plan.candidates if c is not c1)
    prior = {id(c): {label: 1.0 if c is c2 else 0.0} for c in plan.candidates}
    assert any(c is c1 for _, c, _, _ in align(p, prior, weight=0.0))
    assert any(c is c2 for _, c, _, _ in align(p, prior, weight=100.0))
    # the role examples keep the alignment's own choice; only the type examples move
    plain_types, plain_roles = examples(p)
    moved_types, moved_roles = examples(p, prior)
    assert moved_roles == plain_roles
    assert {id(f) for f, lab in moved_types if lab != "NONE"} != {
        id(f) for f, lab in plain_types if lab != "NONE"}
    priors = type_priors(preps, seed=3)
    cands = {id(c) for q in preps for pl in q.plans for c in pl.candidates}
    assert priors and set(priors) <= cands
    for row in list(priors.values())[:50]:
        assert abs(sum(row.values()) - 1.0) < 1e-3 and "NONE" in row
