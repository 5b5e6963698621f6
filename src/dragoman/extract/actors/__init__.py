"""Actors: resolve every mention in a document to who it is.

Contract used by the other extractors:

- ``load_kb(extra_files: Sequence[str]) -> KnowledgeBase`` — the packaged knowledge base
  (``dragoman/data/actors/``) with the user's files merged over it, validated at load.
- ``resolve(ctx: DocContext) -> ActorIndex`` — every actor mention of one document.
- ``ActorIndex.mentions: list[ActorMention]`` — every mention (unresolved ones with
  ``country=None``), in text order.
- ``ActorIndex.refs_for(token) -> list[ActorRef]`` — the actor(s) of the noun phrase headed
  by ``token`` (coordination expanded, pronouns and surnames resolved), [] when it is none.

The knowledge-base format and the resolution rules are documented in ``docs/actors.md``.

The package, data model first (none of these import the document context):
``names`` (matching keys), ``entries`` (``KBEntry``, ``Role``), ``lexicons`` (sector and
pronoun lexicons), ``tables`` (reading and validating actor tables), ``kb``
(``KnowledgeBase``, ``load_kb``); then the resolver: ``mentions`` (``ActorIndex``),
``state`` (one document's resolution state), ``titles``, ``named``, ``focus``, ``coref``,
``nominals`` (the passes) and ``resolver`` (``resolve``, the passes in order).
"""

from __future__ import annotations

from .entries import SPECIAL_CODES, KBEntry, Role
from .kb import KnowledgeBase, load_kb
from .lexicons import PronounLexicon, SectorLexicon, load_pronouns, load_sectors
from .mentions import ActorIndex
from .resolver import resolve

__all__ = [
    "SPECIAL_CODES",
    "ActorIndex",
    "KBEntry",
    "KnowledgeBase",
    "PronounLexicon",
    "Role",
    "SectorLexicon",
    "load_kb",
    "load_pronouns",
    "load_sectors",
    "resolve",
]
