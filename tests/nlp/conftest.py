"""Texts for the spaCy-stage tests: the bundled dispatches and, when ``../shared`` is beside
the checkout (CI), a slice of each real corpus."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import islice
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "dragoman" / "data" / "samples"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def _article_texts(start: int, stop: int) -> list[str]:
    texts = [json.loads(line)["text"]
             for line in (SAMPLES / "dispatches.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    for name in ("fakes.jsonl", "india-police-events-docs.jsonl"):
        path = SHARED / name
        if path.is_file():
            with path.open(encoding="utf-8") as fh:
                texts.extend(json.loads(line)["text"] for line in islice(fh, start, stop))
    return texts


@pytest.fixture(scope="session")
def article_texts() -> Callable[[int, int], list[str]]:
    """``article_texts(start, stop)``: the dispatches, and the articles ``start`` to
    ``stop`` of each corpus."""
    return _article_texts
