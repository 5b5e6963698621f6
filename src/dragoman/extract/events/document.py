"""Coding a whole document: every sentence of the body, minus its boilerplate.

Owns ``extract(ctx)``, the extractor ``extract_document`` calls: it takes the lexicon from
``ctx.resources`` (the process's default resources when the context has none) and codes
each sentence with ``coder.code_sentence`` (or the trained coder), skipping boilerplate.
A headline the body repeats is content: its events are coded like any sentence's, and the
incident stage merges them with the lead's (one happening, several mentions).
"""

from __future__ import annotations

from ...types import Event
from ..context import DocContext
from .coder import code_sentence
from .lexicon import Lexicon

__all__ = ["extract", "extract_rules"]


def _lexicon_of(ctx: DocContext) -> Lexicon:
    lex = getattr(ctx.resources, "lexicon", None)
    if isinstance(lex, Lexicon) and lex.entries:
        return lex
    from ..resources import default_resources

    default: Lexicon = default_resources().lexicon
    return default


def extract(ctx: DocContext) -> list[Event]:
    """Every event coded in the document's body, in text order: by the trained coder when
    the resources hold an event model, else by the rules alone."""
    model = getattr(ctx.resources, "event_model", None)
    if model is not None:
        from .learned import extract_learned

        return extract_learned(ctx, _lexicon_of(ctx), model, ctx.boilerplate)
    return extract_rules(ctx)


def extract_rules(ctx: DocContext) -> list[Event]:
    """Every event the rule coder codes in the document's body, in text order."""
    lex = _lexicon_of(ctx)
    out: list[Event] = []
    for sent in ctx.doc.sents:
        out.extend(code_sentence(ctx, lex, sent, ctx.boilerplate))
    return out
