"""Small reads of the dependency parse shared by the event coder's rules.

Owns the structural constants (dependency labels, entity labels) and the helpers that walk a
token's children: lemmas and their surface variants, particles, prepositions and their
objects, complements, conjuncts, quantities ("tens of thousands of students"), and the verb a
nominal trigger belongs to. Word lists come from the lexicon's cues, passed in by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

__all__ = [
    "ACTOR_ENTS",
    "MOD_DEPS",
    "OBJ",
    "PASSIVE_SUBJ",
    "PLACE_ENTS",
    "RECIPIENT_ENTS",
    "SUBJ",
    "children",
    "clause_as_subject",
    "complements",
    "conjuncts",
    "governing_verb",
    "is_verbal",
    "lemma",
    "lemma_variants",
    "particles",
    "pobjs",
    "preps",
    "through_quantity",
]

ACTOR_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
RECIPIENT_ENTS = ACTOR_ENTS | {"LOC"}
SUBJ = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJ = frozenset({"nsubjpass", "csubjpass"})
OBJ = frozenset({"dobj", "obj"})
MOD_DEPS = frozenset({"compound", "amod", "poss", "nmod"})


def lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def lemma_variants(tok: Token) -> list[str]:
    """The lemma, then guesses from the surface form for verbs the lemmatizer gets wrong
    ("staged" → "stag", "raped" → "rap")."""
    out = [lemma(tok), tok.lower_]
    w = tok.lower_
    if tok.pos_ in ("VERB", "AUX", "ADJ"):
        if w.endswith("ed"):
            out += [w[:-1], w[:-2]]
        if w.endswith("ing"):
            out += [w[:-3] + "e", w[:-3]]
        if w.endswith("s"):
            out += [w[:-1], w[:-2]]
    return out


def children(tok: Token, deps: Iterable[str]) -> list[Token]:
    deps = set(deps)
    return [c for c in tok.children if c.dep_ in deps]


def particles(tok: Token, words: frozenset[str]) -> list[Token]:
    """Verb particles, including ones the parser attached as a bare adverb/preposition
    ("stepped down on Friday"; ``words``: the lexicon's ``particle_words``)."""
    return [c for c in tok.children if c.dep_ == "prt" or (
        c.dep_ in ("advmod", "prep") and c.lower_ in words and c.i == tok.i + 1
        and not any(g.dep_ in ("pobj", "pcomp") for g in c.children))]


def preps(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ in ("prep", "agent", "dative") and c.pos_ == "ADP"]


def pobjs(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]


def complements(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ in ("xcomp", "ccomp")
            or (c.dep_ == "prep" and any(g.dep_ == "pcomp" for g in c.children))
            or (c.dep_ == "advcl" and not any(g.dep_ == "mark" and g.lower_ != "to"
                                                for g in c.children))]


def through_quantity(tok: Token, quantity: frozenset[str], depth: int = 0) -> Token:
    """"more than 1,000 Palestinian refugees", "tens of thousands of students",
    "part of a programme": the noun a quantity stands for."""
    if depth > 3:
        return tok
    if tok.pos_ == "NUM" or tok.lower_ in quantity or tok.lemma_.lower() in quantity:
        for p in tok.children:
            if p.dep_ == "prep" and p.lower_ == "of":
                for o in p.children:
                    if o.dep_ == "pobj":
                        return through_quantity(o, quantity, depth + 1)
    return tok


def is_verbal(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX")


def conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON"):
            out.extend(conjuncts(c))
    return out


def governing_verb(tok: Token) -> Token | None:
    """The verb a nominal trigger belongs to (its clause)."""
    cur = tok
    for _ in range(8):
        if cur.dep_ in ("nsubj", "nsubjpass", "ROOT"):
            return None
        head = cur.head
        if head.i == cur.i:
            return None
        if is_verbal(head) or (head.pos_ == "ADJ" and cur.dep_ == "prep"):
            return head
        cur = head
    return None


def clause_as_subject(verb: Token) -> bool:
    """Whether the parse made a whole clause ``verb``'s subject, as it does when the comma
    before a closing reporting clause is missing ("A suicide bomb blast killed 16 people
    on Tuesday the monitoring group said": "blast" the subject, "killed" its ``acl``): the
    subject's ``acl`` is a finite verb or takes a direct object, which a participle
    modifying a noun does not ("the people killed", "witnesses of the attack")."""
    for s in verb.children:
        if s.dep_ not in ("nsubj", "nsubjpass"):
            continue
        for c in s.children:
            if c.dep_ == "acl" and (c.tag_ in ("VBD", "VBZ", "VBP")
                                    or any(g.dep_ == "dobj" for g in c.children)):
                return True
    return False
