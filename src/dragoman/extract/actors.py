"""Actors: resolve every mention to who it is (STUB — to be replaced by the actors work).

Contract used by the other extractors:

- ``load_kb(extra_files: Sequence[str]) -> KnowledgeBase``
- ``resolve(ctx: DocContext) -> ActorIndex``
- ``ActorIndex.mentions: list[ActorMention]`` — every resolved mention of the document
- ``ActorIndex.refs_for(token) -> list[ActorRef]`` — the actor(s) of the noun phrase headed
  by ``token`` (coordination expanded, pronouns and surnames resolved), [] when it is no actor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Token

from ..types import ActorMention, ActorRef
from .context import DocContext

__all__ = ["KnowledgeBase", "ActorIndex", "load_kb", "resolve"]


@dataclass(frozen=True)
class KnowledgeBase:
    entries: tuple[Any, ...] = ()


@dataclass
class ActorIndex:
    ctx: DocContext
    mentions: list[ActorMention] = field(default_factory=list)

    def refs_for(self, token: Token) -> list[ActorRef]:
        return []


def load_kb(extra_files: Sequence[str] = ()) -> KnowledgeBase:
    return KnowledgeBase()


def resolve(ctx: DocContext) -> ActorIndex:
    return ActorIndex(ctx)
