"""Trigger matching: which token starts an event, under which lexicon entry.

Owns the rules of ``docs/lexicon.md`` "Trigger entries": a token's lemma and its surface
variants are looked up in the lexicon, and the entries for it are tried most specific first
against the token's part of speech, particles, prepositions, objects (``@actor``, ``@place``,
``@media``), modifiers, complements and subject; bare nominal triggers only as the object of
a support verb or the subject of an eventive verb. Also photo captions (sentences and
parentheses) and the trigger's span in the text.
"""

from __future__ import annotations

import functools

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA, LOWER, ORTH, POS
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ...types import Span
from ..boilerplate import token_column, token_columns
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
        return self._matches(e, tok, _Facts(self, tok))

    def _matches(self, e: TriggerEntry, tok: Token, facts: _Facts) -> bool:
        """``matches``, with what it reads of the token in ``facts`` (read once for all
        the entries ``match`` tries)."""
        pos = facts.pos
        if e.pos == "verb" and pos not in ("VERB", "AUX") and not (
                pos == "ADJ" and tok.tag_ in ("VBN", "JJ") and tok.dep_ == "acomp"):
            return False
        if e.pos == "noun" and pos not in ("NOUN", "PROPN"):
            return False
        if e.pos == "adj" and pos != "ADJ":
            return False
        if e.pos == "aux" and not (pos in ("AUX", "VERB") and tok.dep_ == "aux"):
            return False
        prts = facts.prts
        if e.prt and not ((prts & set(e.prt)) or ("" in e.prt and not prts)):
            return False
        if e.not_prt and prts & set(e.not_prt):
            return False
        prep_words = facts.prep_words
        if e.prep and not prep_words & set(e.prep):
            return False
        if e.not_prep and prep_words & set(e.not_prep):
            return False
        if e.prep_obj:
            objects = [o for p in facts.tok_preps if not e.prep or p.lower_ in e.prep
                       for o in pobjs(p)]
            if not any(lemma(o) in e.prep_obj for o in objects):
                return False
        if e.obj and not self._obj_matches(facts.objs, e.obj):
            return False
        if e.not_obj and self._obj_matches(facts.objs, e.not_obj):
            return False
        if e.modifier and not facts.mod_lemmas & set(e.modifier):
            return False
        if e.not_modifier and facts.mod_lemmas & set(e.not_modifier):
            return False
        if e.complement or e.not_complement:
            comps, comp_lemmas = facts.comps, facts.comp_lemmas
            if e.complement:
                if "*" in e.complement:
                    if not comps:
                        return False
                elif not comp_lemmas & set(e.complement):
                    return False
            if e.not_complement and comp_lemmas & set(e.not_complement):
                return False
        if e.subj or e.not_subj:
            subj_lemmas = facts.subj_lemmas
            if e.subj and not subj_lemmas & set(e.subj):
                return False
            if e.not_subj and subj_lemmas & set(e.not_subj):
                return False
        if e.under_speech and facts.no_speech_above:
            return False
        return not (e.pos == "noun" and not e.prep and not facts.nominal_position)

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
        facts = _Facts(self, tok)
        for variant in dict.fromkeys(lemma_variants(tok)):
            for e in self.lex.entries_for(variant):
                if self._matches(e, tok, facts):
                    return e
        return None


class _Facts:
    """What ``Matcher.matches`` reads of one token, each part read when first needed and
    then kept (the entries of a word are tried one after another on the same token)."""

    def __init__(self, matcher: Matcher, tok: Token) -> None:
        self.matcher = matcher
        self.tok = tok
        self.pos = tok.pos_

    @functools.cached_property
    def prts(self) -> set[str]:
        return {p.lower_ for p in particles(self.tok, self.matcher.cues.particle_words)}

    @functools.cached_property
    def tok_preps(self) -> list[Token]:
        return preps(self.tok)

    @functools.cached_property
    def prep_words(self) -> set[str]:
        return {p.lower_ for p in self.tok_preps}

    @functools.cached_property
    def objs(self) -> list[Token]:
        objs = children(self.tok, OBJ)
        if self.pos in ("VERB", "AUX") and not objs:
            objs = children(self.tok, PASSIVE_SUBJ)
        return objs

    @functools.cached_property
    def mod_lemmas(self) -> set[str]:
        mods = [c for c in self.tok.children
                if c.dep_ in ("compound", "amod", "nmod", "npadvmod")]
        return {lemma(m) for m in mods} | {m.lower_ for m in mods}

    @functools.cached_property
    def comps(self) -> list[Token]:
        return complements(self.tok)

    @functools.cached_property
    def comp_lemmas(self) -> set[str]:
        return {lemma(x) for c in self.comps for x in c.subtree}

    @functools.cached_property
    def subj_lemmas(self) -> set[str]:
        tok = self.tok
        subj_tokens = ([x for s in self.matcher.args.subject(tok) for x in s.subtree]
                       if is_verbal(tok) else [])
        return {lemma(x) for x in subj_tokens}

    @functools.cached_property
    def no_speech_above(self) -> bool:
        return self.matcher.clauses.speech_governor(self.tok.head) is None

    @functools.cached_property
    def nominal_position(self) -> bool:
        return self.matcher.nominal_position(self.tok)


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
    texts = token_column(doc, ORTH)
    depth = 0
    for i in range(tok.i - 1, max(tok.sent.start, tok.i - 40) - 1, -1):
        t = texts[i]
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
