"""The pipeline's parse batching: bounded batches, same docs, same order."""

from __future__ import annotations

import dataclasses
from typing import Any

from dragoman import Config
from dragoman.pipeline import Pipeline
from dragoman.types import Article

TEXTS = [
    "Russia and Saudi Arabia met in Moscow on Monday.",
    "The ministers said talks would continue. " * 30,
    "Short.",
    "Turkey shelled positions near Afrin, the army said. " * 12,
    "Iran called for a ceasefire in Idlib.",
]


def _with(pipeline: Pipeline, **changes: Any) -> Pipeline:
    """The session's pipeline (model and resources shared) with other settings."""
    p = Pipeline.__new__(Pipeline)
    p.__dict__.update(pipeline.__dict__)
    p.config = dataclasses.replace(pipeline.config, **changes)
    return p


def test_parse_bounds_each_batch_and_keeps_order(pipeline: Pipeline) -> None:
    p = _with(pipeline, batch_size=3, batch_chars=300)
    calls: list[list[str]] = []
    real_pipe = p.nlp.pipe

    class Recorder:
        """Records each nlp.pipe call's texts, then lets the real model parse them."""

        def pipe(self, items: list[tuple[str, Any]], **kw: Any) -> Any:
            calls.append([t for t, _ in items])
            return real_pipe(items, **kw)

    p.nlp = Recorder()  # type: ignore[assignment]
    out = list(p.parse((t, i) for i, t in enumerate(TEXTS)))
    assert [ctx for _, ctx in out] == list(range(len(TEXTS)))
    assert [doc.text for doc, _ in out] == TEXTS
    assert len(calls) > 1
    for batch in calls:
        assert len(batch) <= 3
        # a text longer than the budget travels alone
        assert sum(map(len, batch)) <= 300 or len(batch) == 1


def test_batching_does_not_change_results(pipeline: Pipeline) -> None:
    arts = [Article(id=f"a{i}", text=t, published="2017-04-12") for i, t in enumerate(TEXTS)]
    small = list(_with(pipeline, batch_size=2, batch_chars=200).process(arts))
    large = list(_with(pipeline, batch_size=32, batch_chars=1_000_000).process(arts))
    assert [r.document.doc_id for r in small] == [a.id for a in arts]
    assert small == large
    assert any(r.events or r.places for r in small)


def test_batch_chars_is_a_setting() -> None:
    assert Config().batch_chars == 40_000
    assert Config().replace(batch_chars=5000).batch_chars == 5000
