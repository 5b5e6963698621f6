"""Places (STUB — to be replaced by the places work).

Contract: ``load_gazetteer() -> Gazetteer``; ``extract(ctx) -> list[Place]`` (roles
dateline | mention | metonym); ``event_location(ctx, sent, trigger) -> PlaceRef | None``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..types import Place, PlaceRef
from .context import DocContext

__all__ = ["Gazetteer", "load_gazetteer", "extract", "event_location"]


@dataclass(frozen=True)
class Gazetteer:
    pass


def load_gazetteer() -> Gazetteer:
    return Gazetteer()


def extract(ctx: DocContext) -> list[Place]:
    return []


def event_location(ctx: DocContext, sent: SpacySpan, trigger: Token) -> PlaceRef | None:
    return None
