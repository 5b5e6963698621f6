"""Trigger matching: which token starts an event, under which lexicon entry.

Owns the rules of ``docs/lexicon.md`` "Trigger entries": a token's lemma and its surface
variants are looked up in the lexicon, and the entries for it are tried most specific first
against the token's part of speech, particles, prepositions, objects (``@actor``, ``@place``,
``@media``), modifiers, complements and subject; bare nominal triggers only as the object of
a support verb or the subject of an eventive verb. Also photo captions (sentences and
parentheses) and the trigger's span in the text.
"""

from __future__ import annotations

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA, LOWER, POS
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ...types import Span
from ..boilerplate import token_columns
from ..context import DocContext, doc_text
from .arguments import Arguments
from .lexicon import Lexicon, TriggerEntry
from .modality import Clauses
from .syntax import (
    OBJ,
    PASSIVE_SUBJ,
    PLACE_ENTS,
    children,
    complements,
    is_verbal,
    lemma,
    lemma_variants,
    particles,
    pobjs,
    preps,
)

__all__ = ["DocWords", "Matcher", "form_entries", "in_caption_parens", "is_caption",
           "trigger_span"]


class Matcher:
    """Finds the lexicon entry a token triggers (argument and clause rules as constraints)."""

    def __init__(self, lex: Lexicon, args: Arguments, clauses: Clauses) -> None:
        self.lex = lex
        self.cues = lex.cues
        self.args = args
        self.clauses = clauses

    def _obj_matches(self, objs: list[Token], wanted: tuple[str, ...]) -> bool:
        for o in objs:
            lem = lemma(o)
            for w in wanted:
                if w == "@any":
                    return True
                if w == "@actor" and self.args.is_actorish(o) and \
                        o.ent_type_ not in PLACE_ENTS - {"GPE"}:
                    return True
                if w == "@place" and o.ent_type_ in PLACE_ENTS:
                    return True
                if w == "@media" and (o.ent_type_ == "ORG" and any(
                        lemma(x) in self.cues.media_words for x in o.subtree)):
                    return True
                if lem == w or o.lower_ == w:
                    return True
                if not w.startswith("@") and any(
                        c.dep_ == "compound" and lemma(c) == w for c in o.children):
                    return True
            # "two of its nationals", "more than 100 Palestinians": look through quantities
            if o.pos_ == "NUM" or lem in self.cues.quantity_nouns:
                inner = [g for p in preps(o) if p.lower_ == "of" for g in pobjs(p)]
                if inner and self._obj_matches(inner, wanted):
                    return True
        return False

    def matches(self, e: TriggerEntry, tok: Token) -> bool:
        pos = tok.pos_
        if e.pos == "verb" and pos not in ("VERB", "AUX") and not (
                pos == "ADJ" and tok.tag_ in ("VBN", "JJ") and tok.dep_ == "acomp"):
            return False
        if e.pos == "noun" and pos not in ("NOUN", "PROPN"):
            return False
        if e.pos == "adj" and pos != "ADJ":
            return False
        if e.pos == "aux" and not (pos in ("AUX", "VERB") and tok.dep_ == "aux"):
            return False
        prts = {p.lower_ for p in particles(tok, self.cues.particle_words)}
        if e.prt and not ((prts & set(e.prt)) or ("" in e.prt and not prts)):
            return False
        if e.not_prt and prts & set(e.not_prt):
            return False
        tok_preps = preps(tok)
        prep_words = {p.lower_ for p in tok_preps}
        if e.prep and not prep_words & set(e.prep):
            return False
        if e.not_prep and prep_words & set(e.not_prep):
            return False
        if e.prep_obj:
            objects = [o for p in tok_preps if not e.prep or p.lower_ in e.prep for o in pobjs(p)]
            if not any(lemma(o) in e.prep_obj for o in objects):
                return False
        objs = children(tok, OBJ)
        if tok.pos_ in ("VERB", "AUX") and not objs:
            objs = children(tok, PASSIVE_SUBJ)
        if e.obj and not self._obj_matches(objs, e.obj):
            return False
        if e.not_obj and self._obj_matches(objs, e.not_obj):
            return False
        mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod", "npadvmod")]
        mod_lemmas = {lemma(m) for m in mods} | {m.lower_ for m in mods}
        if e.modifier and not mod_lemmas & set(e.modifier):
            return False
        if e.not_modifier and mod_lemmas & set(e.not_modifier):
            return False
        if e.complement or e.not_complement:
            comps = complements(tok)
            comp_lemmas = {lemma(x) for c in comps for x in c.subtree}
            if e.complement:
                if "*" in e.complement:
                    if not comps:
                        return False
                elif not comp_lemmas & set(e.complement):
                    return False
            if e.not_complement and comp_lemmas & set(e.not_complement):
                return False
        if e.subj or e.not_subj:
            subj_tokens = ([x for s in self.args.subject(tok) for x in s.subtree]
                           if is_verbal(tok) else [])
            subj_lemmas = {lemma(x) for x in subj_tokens}
            if e.subj and not subj_lemmas & set(e.subj):
                return False
            if e.not_subj and subj_lemmas & set(e.not_subj):
                return False
        if e.under_speech and self.clauses.speech_governor(tok.head) is None:
            return False
        return not (e.pos == "noun" and not e.prep and not self.nominal_position(tok))

    def nominal_position(self, tok: Token) -> bool:
        """A bare nominal trigger is coded only as the object of a verb ("held talks",
        "launched ten days of war games") or the subject of an eventive verb ("riots
        erupted", "clashes are continuing")."""
        dep = tok.dep_
        if dep in ("dobj", "obj", "nsubjpass"):
            return any(v in self.cues.support_verbs for v in lemma_variants(tok.head))
        if dep == "conj":
            return tok.head.dep_ in ("dobj", "obj") and self.nominal_position(tok.head)
        if dep == "nsubj":
            return lemma(tok.head) in self.cues.eventive_verbs
        if dep == "pobj" and tok.head.lower_ == "of":
            q = tok.head.head
            return (q.dep_ in ("dobj", "obj") and (q.pos_ == "NUM" or lemma(q) in
                    self.cues.quantity_nouns or q.lower_ in self.cues.quantity_nouns)
                    and lemma(q.head) in self.cues.support_verbs)
        return False

    def match(self, tok: Token) -> TriggerEntry | None:
        """The first entry (most specific first) of any of the token's lemma variants that
        fits the token, or None."""
        for variant in dict.fromkeys(lemma_variants(tok)):
            for e in self.lex.entries_for(variant):
                if self.matches(e, tok):
                    return e
        return None


def form_entries(lex: Lexicon, tok: Token) -> tuple[TriggerEntry, ...]:
    """The lexicon entries of any form of the token's word: its lemma and surface guesses,
    and for nouns the singular ("Kills", "Strikes" in a title-case headline). A token with
    none has no entry ``Matcher.match`` could find (its lemma variants are among the forms).
    """
    key = (tok.lemma_, tok.lower_, tok.pos_)
    found = lex.forms_memo.get(key)
    if found is None:
        if len(lex.forms_memo) >= 100_000:
            lex.forms_memo.clear()
        found = lex.forms_memo[key] = tuple(_form_entries(lex, tok))
    return found


class DocWords:
    """A document's tokens as the trigger scans test them, read once with ``to_array``:
    whether each is punctuation or space, its character offset, its part of speech and
    the lexicon entries of its word's forms (``form_entries``); a spaCy token is then made
    only for a word that may be a trigger."""

    __slots__ = ("entries", "idx", "pos", "skip")

    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        lemmas, lowers, self.pos, punct, space, self.idx = token_columns(
            doc, [LEMMA, LOWER, POS, IS_PUNCT, IS_SPACE, IDX])
        self.skip = [bool(p or s) for p, s in zip(punct, space, strict=True)]
        memo = lex.forms_memo
        self.entries: list[tuple[TriggerEntry, ...]] = []
        for i, key in enumerate(zip(lemmas, lowers, self.pos, strict=True)):
            found = memo.get(key)
            self.entries.append(found if found is not None else form_entries(lex, doc[i]))


def _form_entries(lex: Lexicon, tok: Token) -> list[TriggerEntry]:
    forms = list(dict.fromkeys(lemma_variants(tok)))
    w = tok.lower_
    if tok.pos_ in ("NOUN", "PROPN") and w.endswith("s"):
        forms += [w[:-1], w[:-2]] if w.endswith("es") else [w[:-1]]
    out: list[TriggerEntry] = []
    for f in dict.fromkeys(forms):
        out.extend(lex.entries_for(f))
    return out


def is_caption(lex: Lexicon, sent: SpacySpan) -> bool:
    """The sentence is a photo caption (``cues.caption_patterns``)."""
    return lex.caption_re is not None and bool(
        lex.caption_re.match(doc_text(sent.doc)[sent.start_char:sent.end_char]))


def in_caption_parens(lex: Lexicon, tok: Token) -> bool:
    """The token is inside a parenthesis that opens with a caption ("(Photo: …)")."""
    if lex.caption_re is None:
        return False
    doc = tok.doc
    depth = 0
    for i in range(tok.i - 1, max(tok.sent.start, tok.i - 40) - 1, -1):
        t = doc[i].text
        if t == ")":
            depth += 1
        elif t == "(":
            if depth == 0:
                rest = doc[i + 1: min(len(doc), i + 6)].text
                return bool(lex.caption_re.match(rest))
            depth -= 1
    return False


def trigger_span(ctx: DocContext, lex: Lexicon, tok: Token, e: TriggerEntry) -> Span:
    """The trigger's text: the token with its particle, object or modifier words from the
    entry when they are close (at most three tokens), else the token alone."""
    parts = [tok]
    parts += [p for p in particles(tok, lex.cues.particle_words)
              if not e.prt or p.lower_ in e.prt]
    if e.obj and not any(w.startswith("@") for w in e.obj):
        parts += [o for o in children(tok, OBJ) if lemma(o) in e.obj]
    if e.modifier:
        parts += [m for m in tok.children if lemma(m) in e.modifier]
    lo = min(p.i for p in parts)
    hi = max(p.i for p in parts)
    if hi - lo > 2:
        lo = hi = tok.i
    return ctx.tspan(tok.doc[lo:hi + 1])
