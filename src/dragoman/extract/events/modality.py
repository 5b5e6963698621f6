"""The clause around a trigger: speech, negation, modality, conditions and governance.

Owns the rules of ``docs/lexicon.md`` "Negation, modality, attribution" and "Governance":
which verbs are speech verbs (never events; their complements are attributed), whether an
event is negated ("did not", "failed to"), its modality (future, intended, hypothetical,
alleged, question, asserted), whether it sits in a condition ("unless …") or inside the
object/complement of another trigger (then it is part of that event). Word lists come from
the lexicon's cues.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..boilerplate import doc_text
from .lexicon import Cues
from .syntax import clause_as_subject, governing_verb, is_verbal, lemma, particles

__all__ = ["Clauses"]

#: tags of a finite reporting verb ("said", "says", "reported"; not "saying", "to say")
_FINITE = frozenset({"VBD", "VBZ", "VBP"})


class Clauses:
    """The clause rules for one lexicon's cues."""

    def __init__(self, cues: Cues) -> None:
        self.cues = cues
        #: ``is_speech`` of the tokens of one doc (the last one asked about), by index
        self._speech_doc: Doc | None = None
        self._speech: dict[int, bool] = {}

    # -- speech -----------------------------------------------------------------------
    def is_speech(self, tok: Token) -> bool:
        if tok.doc is not self._speech_doc:
            self._speech_doc, self._speech = tok.doc, {}
        found = self._speech.get(tok.i)
        if found is None:
            found = self._speech[tok.i] = self._is_speech(tok)
        return found

    def _is_speech(self, tok: Token) -> bool:
        if not is_verbal(tok):
            return False
        lem = lemma(tok)
        for p in particles(tok, self.cues.particle_words):
            if f"{lem} {p.lower_}" in self.cues.speech_verbs:
                return True
        return lem in self.cues.speech_verbs

    def speech_governor(self, tok: Token) -> Token | None:
        """The speech verb whose clausal complement contains ``tok``, if any."""
        cur = tok
        for _ in range(12):
            head = cur.head
            if head.i == cur.i:
                return None
            if cur.dep_ in ("ccomp", "xcomp", "parataxis", "advcl") and self.is_speech(head):
                return head
            if cur.dep_ in ("relcl",):
                return None
            cur = head
        return None

    @staticmethod
    def speakers_own_act(tok: Token, speech: Token) -> bool:
        """Whether ``tok`` is a participle modifying its speech verb ``speech`` with no
        subject or marker of its own: what the speaker did while speaking ("condemning the
        incident, he said …", "demanding the dissolution of the government, X said …"),
        not what was said."""
        return (tok.head.i == speech.i and tok.i != speech.i and tok.dep_ == "advcl"
                and tok.tag_ in ("VBG", "VBN")
                and not any(c.dep_ in ("nsubj", "nsubjpass", "mark", "expl")
                            for c in tok.children))

    def final_report(self, tok: Token) -> Token | None:
        """The reporting clause that closes the trigger's sentence after it ("... killed 25
        civilians, a monitoring group said on Wednesday", "... killed 10 civilians said the
        Observatory", "... state television reported"), when the parse did not make the
        trigger's clause its complement: its speech verb, the last of the sentence, with
        every word after it its own (its speaker, a day) and no reported clause of its own
        after it ("... and the group said that it would retaliate" reports something else)."""
        sent = tok.sent
        doc = tok.doc
        for i in range(sent.end - 1, tok.i, -1):
            v = doc[i]
            if v.is_punct or v.is_space or not self.is_speech(v):
                continue
            # "UNICEF has said"; "... Al Mayadeen TV channel reported on Sunday" parsed as a
            # participle after a noun (not "the deaths reported by ...")
            auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
            finite = not any(c.dep_ == "auxpass" or c.tag_ == "MD" for c in auxes) and (
                v.tag_ in _FINITE or (v.tag_ == "VBN" and (
                    any(c.lemma_ == "have" for c in auxes)
                    or (not auxes and v.i > 0 and doc[v.i - 1].pos_ in ("NOUN", "PROPN")
                        and not any(c.dep_ == "agent" for c in v.children)))))
            if not finite or (_in_subject(tok, v) and not clause_as_subject(v)):
                return None
            # a clause of its own after the verb reports something else ("... and the group
            # said that it would retaliate"); a participle does not ("... the Observatory
            # said updating an earlier toll", "... said, adding that ...")
            if any(c.i > v.i and c.dep_ in ("ccomp", "xcomp", "advcl", "conj")
                   and not (c.dep_ in ("xcomp", "advcl") and c.tag_ == "VBG")
                   for c in v.children):
                return None
            if all(x.is_punct or x.is_space or v.is_ancestor(x) for x in doc[v.i + 1:sent.end]):
                return v
            return None
        return None

    # -- negation and modality --------------------------------------------------------
    def clause_verb(self, trigger: Token) -> Token:
        if is_verbal(trigger) or trigger.pos_ == "ADJ":
            return trigger
        return governing_verb(trigger) or trigger

    def negated(self, trigger: Token, verb: Token) -> bool:
        for t in {trigger, verb}:
            for c in t.children:
                if c.dep_ == "neg" or (c.lower_ in self.cues.negators and c.dep_ in (
                        "neg", "advmod", "det", "preconj")):
                    return True
        cur = verb
        for _ in range(4):
            if cur.dep_ not in ("xcomp", "ccomp") or cur.head.i == cur.i:
                break
            clausal = cur.dep_ == "ccomp"
            cur = cur.head
            if lemma(cur) in self.cues.negating_verbs:
                return True
            if clausal:
                break  # "said that …": only a negating verb reaches through a that-clause
            if any(c.dep_ == "neg" for c in cur.children) and (
                    lemma(cur) in self.cues.intended_verbs
                    or lemma(cur) in self.cues.future_verbs):
                return True
        return False

    def modality(self, trigger: Token, verb: Token, sent: SpacySpan, attributed: bool) -> str:
        hedged = any(
            c.lower_ in self.cues.hedges for t in {trigger, verb} for c in t.children
            if c.dep_ in ("amod", "advmod", "acomp", "npadvmod"))
        if hedged:
            return "alleged"
        chain = [verb]
        cur = verb
        for _ in range(4):
            if cur.dep_ not in ("xcomp", "conj") or cur.head.i == cur.i:
                break
            cur = cur.head
            chain.append(cur)
        for v in chain:
            auxes = {lemma(c) for c in v.children if c.dep_ in ("aux", "auxpass")} | {
                c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
            marks = {c.lower_ for c in v.children if c.dep_ == "mark"}
            if v.i != verb.i and lemma(v) in self.cues.intended_verbs:
                return "intended"
            if v.i != verb.i and lemma(v) in self.cues.future_verbs:
                return "future"
            if auxes & self.cues.future_aux:
                return "future"
            if auxes & self.cues.hypothetical_aux:
                # "said they would boycott": the future of reported speech
                if attributed and auxes & self.cues.reported_future_aux:
                    return "future"
                return "hypothetical"
            if marks & self.cues.hypothetical_marks:
                return "hypothetical"
        if verb.dep_ == "advcl" and any(c.lower_ in self.cues.hypothetical_marks
                                        for c in verb.children if c.dep_ == "mark"):
            return "hypothetical"
        # (``sent.text``, sliced from the doc's text instead of joined from its tokens)
        if (not attributed and doc_text(sent.doc)[sent.start_char:sent.end_char]
                .rstrip().endswith("?")):
            return "question"
        return "asserted"

    # -- governance and conditions ----------------------------------------------------
    def governed(self, tok: Token, triggers: set[int]) -> bool:
        """True when ``tok`` sits in the object/complement of another trigger (or in the
        purpose clause of a nominal trigger's verb: "began a hunger strike to demand…")."""
        cur = tok
        for _ in range(14):
            head = cur.head
            if head.i == cur.i:
                return False
            dep = cur.dep_
            if dep in ("relcl", "parataxis", "nsubj", "nsubjpass", "csubj"):
                return False
            if dep == "advcl" and any(c.dep_ == "mark" and c.lower_ != "to" for c in cur.children):
                return False
            if head.i in triggers and dep != "conj":
                return True
            if dep in ("advcl", "xcomp", "ccomp", "conj", "prep") and head.i not in triggers and any(
                    c.dep_ in ("dobj", "obj") and c.i in triggers and c.i != cur.i
                    for c in head.children):
                return True
            if dep == "ccomp" and self.is_speech(head):
                return False
            cur = head
        return False

    def in_condition(self, tok: Token) -> bool:
        """Inside a condition or a subject clause ("unless Baghdad accepted…",
        "removing the sanctions is out of the question"): not an asserted event."""
        cur = tok
        for _ in range(14):
            head = cur.head
            if head.i == cur.i:
                return False
            if cur.dep_ in ("csubj", "csubjpass"):
                return True
            if cur.dep_ in ("advcl", "ccomp") and any(
                    c.dep_ == "mark" and c.lower_ in self.cues.condition_marks
                    for c in cur.children):
                return True
            if cur.dep_ == "pcomp" and head.lower_ in self.cues.condition_marks:
                return True
            cur = head
        return False

    def threat_condition(self, verb: Token) -> bool:
        """The event has an "unless …" clause: an announced action with a condition."""
        cur = verb
        for _ in range(3):
            for c in cur.children:
                if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in self.cues.threat_marks
                                             for m in c.children):
                    return True
            if cur.dep_ not in ("xcomp", "conj") or cur.head.i == cur.i:
                break
            cur = cur.head
        return False


def _in_subject(tok: Token, verb: Token) -> bool:
    """Whether ``tok`` lies in ``verb``'s subject ("witnesses of the attack said")."""
    cur = tok
    while cur.head.i != cur.i:
        if cur.head.i == verb.i:
            return cur.dep_ in ("nsubj", "nsubjpass", "csubj")
        cur = cur.head
    return False
