"""Framing markers: hedges and loaded labels (STUB — to be replaced by the quotes work).

Contract: ``load_framing() -> FramingLexicon``; ``extract(ctx) -> list[Frame]``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..types import Frame
from .context import DocContext

__all__ = ["FramingLexicon", "load_framing", "extract"]


@dataclass(frozen=True)
class FramingLexicon:
    pass


def load_framing() -> FramingLexicon:
    return FramingLexicon()


def extract(ctx: DocContext) -> list[Frame]:
    return []
