"""Quotes (STUB — to be replaced by the quotes work).

Contract: ``load_cues() -> CueLexicon``; ``extract(ctx) -> list[Quote]``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..types import Quote
from .context import DocContext

__all__ = ["CueLexicon", "load_cues", "extract"]


@dataclass(frozen=True)
class CueLexicon:
    pass


def load_cues() -> CueLexicon:
    return CueLexicon()


def extract(ctx: DocContext) -> list[Quote]:
    return []
