"""Actors: ``resolve(ctx)`` — every actor mention of one document, pass by pass.

The passes run in this order over one ``DocState`` (docs/actors.md lists the rules):

1. ``named.match_names``: knowledge-base names, capitals as metonyms, demonyms, places
   as actors, misspelt country names;
2. ``named.tagged_names``: the tagger's people and organisations the knowledge base lacks;
3. ``focus.focus_pass``: titled people without a nationality, "ethnic Albanians";
4. ``coref.surnames``: bare surnames;
5. ``nominals.nominals``: common-noun actors ("Iranian advisors", "the minister");
6. ``coref.person_pronouns``, ``coref.group_pronouns``, ``coref.we_in_quotes``.
"""

from __future__ import annotations

from ..context import DocContext
from .coref import group_pronouns, person_pronouns, surnames, we_in_quotes
from .focus import focus_pass
from .kb import KnowledgeBase
from .mentions import ActorIndex
from .named import match_names, tagged_names
from .nominals import nominals
from .state import DocState

__all__ = ["resolve"]


def _kb_of(ctx: DocContext) -> KnowledgeBase:
    """The context's knowledge base, else the packaged one."""
    kb = getattr(ctx.resources, "kb", None) if ctx.resources is not None else None
    if isinstance(kb, KnowledgeBase) and kb.entries:
        return kb
    from ..resources import default_resources  # resources imports this package

    default: KnowledgeBase = default_resources().kb
    return default


def resolve(ctx: DocContext) -> ActorIndex:
    """Resolve every actor mention of a document (see docs/actors.md)."""
    r = DocState(ctx, _kb_of(ctx))
    match_names(r)
    tagged_names(r)
    focus_pass(r)
    surnames(r)
    nominals(r)
    person_pronouns(r)
    group_pronouns(r)
    we_in_quotes(r)
    return r.index()
