"""Framing markers: hedges on claims and loaded labels applied to actors.

Contract: ``load_framing(extra_files=()) -> FramingLexicon``; ``extract(ctx) -> list[Frame]``.

The words are data (``dragoman/data/framing/framing.yaml``, extendable by a user file):

- a **hedge** ("alleged", "reportedly", "so-called", "according to", …) is recorded with the
  claim it bears on as ``target``: the noun phrase it modifies ("the alleged chemical
  attack" → "alleged chemical attack"), the clause of the verb it modifies ("reportedly
  killed …"), the clause of a hedging verb ("claimed that …") or, for "according to X",
  the clause the phrase attaches to.
- a **label** ("regime", "terrorists", "militants", …) is recorded with the actor it labels
  as ``applies_to``: the actor resolver's answer for the labelled noun ("Saudi regime" →
  SAU GOV); when the label is a modifier ("terrorist organizations") the noun it modifies;
  "the regime of X" → X. When the resolver knows no actor there, ``applies_to`` is the
  labelled noun phrase with no name or country (never a guess).
"""

from __future__ import annotations

import logging

from spacy.tokens import Doc, Token

from ...types import ActorRef, Frame, Span
from ..context import DocContext, doc_text
from .lexicon import FramingLexicon

__all__ = ["extract"]

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- extraction


def _trimmed(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].dep_ == "det"):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def _np_left(noun: Token) -> tuple[int, int]:
    """The noun phrase of ``noun`` up to the noun (its pre-modifiers), as a token range."""
    start = min([t.i for t in noun.lefts for t in t.subtree] + [noun.i])
    return _trimmed(noun.doc, start, noun.i + 1)


def _clause(verb: Token, skip: set[int]) -> tuple[int, int] | None:
    idx = [t.i for t in verb.subtree if t.i not in skip and t.sent == verb.sent]
    if not idx:
        return None
    return _trimmed(verb.doc, min(idx), max(idx) + 1)


def _hedge_target(tokens: list[Token]) -> tuple[int, int] | None:
    """Token range of the claim a hedge bears on."""
    first = tokens[0]
    doc = first.doc
    head = tokens[-1]
    if first.lower_ == "according":
        main = first.head
        while main.dep_ == "conj" and main.head is not main:
            main = main.head
        if main is first:
            return None
        return _clause(main, {t.i for t in first.subtree})
    for tok in tokens:
        if tok.head.i not in {t.i for t in tokens}:
            head = tok
            break
    gov = head.head
    if head.dep_ in ("amod", "compound", "nmod") and gov.pos_ in ("NOUN", "PROPN"):
        return _np_left(gov)
    if head.dep_ in ("advmod", "npadvmod") and gov.pos_ in ("VERB", "AUX", "ADJ"):
        return _clause(gov, set())
    if head.pos_ == "VERB":
        comps = [c for c in head.children if c.dep_ in ("ccomp", "xcomp", "dobj")]
        if comps:
            idx = [
                t.i for c in comps for t in c.subtree
                if not (t.dep_ == "mark" and t.head in comps)
            ]
            return _trimmed(doc, min(idx), max(idx) + 1)
        if head.dep_ == "acl" and gov.pos_ in ("NOUN", "PROPN"):  # "the victory claimed by …"
            return _np_left(gov)
    if head.dep_ in ("amod",) or gov.pos_ in ("NOUN", "PROPN"):
        return _np_left(gov)
    return None


_DISTANCING_VERBS = frozenset({"allege", "claim", "purport"})


def _reporting_verb(tokens: list[Token]) -> bool:
    """True for a plain reporting verb ("The Times reported that …"): not a hedge."""
    if len(tokens) != 1:
        return False
    tok = tokens[0]
    return (
        tok.pos_ in ("VERB", "AUX")
        and tok.dep_ not in ("amod", "acl", "advmod")
        and tok.lemma_.lower() not in _DISTANCING_VERBS
    )


def _ref(ctx: DocContext, token: Token) -> ActorRef | None:
    index = ctx.actors
    if index is None:
        return None
    refs = index.refs_for(token)
    return refs[0] if refs else None


def _bare_ref(ctx: DocContext, noun: Token) -> ActorRef:
    s, e = _np_left(noun)
    if e <= s:
        s, e = noun.i, noun.i + 1
    sp = ctx.tspan(ctx.doc[s:e])
    return ActorRef(text=sp.text, start=sp.start, end=sp.end)


def _label_target(ctx: DocContext, tokens: list[Token]) -> ActorRef:
    """The actor a loaded label is applied to."""
    head = tokens[-1]
    for tok in tokens:
        if tok.head.i not in {t.i for t in tokens}:
            head = tok
            break
    noun = head
    if head.dep_ in ("amod", "compound") and head.head.pos_ in ("NOUN", "PROPN"):
        noun = head.head  # "terrorist organizations": the organizations
    ref = _ref(ctx, noun)
    if ref is not None:
        return ref
    # "the regime of X", "the regime in Damascus": X
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "in"):
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    ref = _ref(ctx, pobj)
                    if ref is not None:
                        return ref
    # "Saudi regime", "Assad regime": the modifier
    for mod in noun.lefts:
        if mod.dep_ in ("amod", "compound", "poss", "nmod") and mod.i not in {t.i for t in tokens}:
            ref = _ref(ctx, mod)
            if ref is not None:
                return ref
    return _bare_ref(ctx, noun)


def extract(ctx: DocContext) -> list[Frame]:
    """Hedges and loaded labels of the document, in text order."""
    lex: FramingLexicon = ctx.resources.framing
    doc = ctx.doc
    frames: list[Frame] = []
    for kind in ("hedge", "label"):
        for start, end, marker in lex.find(doc_text(doc), kind):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            tokens = list(span)
            sp = ctx.span(start, end)
            if kind == "hedge":
                if _reporting_verb(tokens):
                    continue
                rng = _hedge_target(tokens)
                target: Span | None = None
                if rng is not None and rng[1] > rng[0]:
                    target = ctx.tspan(doc[rng[0]:rng[1]])
                frames.append(Frame(ctx.doc_id, "hedge", sp.start, sp.end, sp.text,
                                    target=target, category=marker.category))
            else:
                if not any(t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB") for t in tokens):
                    continue
                frames.append(Frame(ctx.doc_id, "label", sp.start, sp.end, sp.text,
                                    applies_to=_label_target(ctx, tokens),
                                    category=marker.category))
    frames.sort(key=lambda f: (f.start, f.end, f.kind))
    return frames
