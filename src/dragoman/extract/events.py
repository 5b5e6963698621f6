"""The event coder (STUB — to be replaced by the event-coder work).

Contract: ``load_lexicon(extra_files) -> Lexicon``; ``extract(ctx) -> list[Event]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..types import Event
from .context import DocContext

__all__ = ["Lexicon", "load_lexicon", "extract"]


@dataclass(frozen=True)
class Lexicon:
    pass


def load_lexicon(extra_files: Sequence[str] = ()) -> Lexicon:
    return Lexicon()


def extract(ctx: DocContext) -> list[Event]:
    return []
