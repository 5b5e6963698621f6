"""Shared fixtures: the real spaCy model and dragoman's pipeline, loaded once per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dragoman import Article, Config, Pipeline
from dragoman.extract import DocContext
from dragoman.pipeline import make_document

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline(Config(), run_id="test-run")


@pytest.fixture(scope="session")
def nlp(pipeline: Pipeline):  # type: ignore[no-untyped-def]
    return pipeline.nlp


@pytest.fixture(scope="session")
def make_ctx(pipeline: Pipeline) -> Callable[..., DocContext]:
    """Build a DocContext for a text (dateline split, parsed), with no extractor run yet."""

    def build(text: str, published: str | None = None, doc_id: str = "doc") -> DocContext:
        article = Article(id=doc_id, text=text, published=published)
        document = make_document(article, pipeline.run_id)
        assert document.dateline is not None
        body = document.dateline.body
        doc = pipeline.nlp(text[body.start:body.end])
        return DocContext(
            doc_id=doc_id,
            run_id=pipeline.run_id,
            article=article,
            dateline=document.dateline,
            doc=doc,
            base=body.start,
            resources=pipeline.resources,
        )

    return build
