"""Liveness regressions: texts that once sent an extractor into an endless loop.

A hang is turned into a failure with SIGALRM (a liveness check, not a speed measurement).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from dragoman import Article, Pipeline

CASES = [
    # an ORG whose model span starts one token before the resolved mention ("The New Arab")
    # followed directly by a person: the title walk once stopped moving left here
    ('"We are deeply worried about the suffering of the Syrian people" said SARC President '
    "Dr Abdulrahman Attar. Speaking to The New Arab Mona Kurdi a spokesperson for SARC noted "
    "that the convoy had been blocked for two weeks."),
]


@pytest.fixture
def alarm() -> Iterator[None]:
    def boom(signum: int, frame: object) -> None:
        raise TimeoutError("extraction did not finish: endless loop?")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("text", CASES)
def test_extraction_finishes(pipeline: Pipeline, alarm: None, text: str) -> None:
    result = pipeline.process_one(Article(id="live", text=text))
    names = {a.name for a in result.actors}
    assert "Mona Kurdi" in names or any("Kurdi" in (a.text or "") for a in result.actors)
