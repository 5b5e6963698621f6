"""An event's arguments: who did it (actor) and to whom (recipient).

Owns the argument rules of the event coder (``docs/lexicon.md``, "Arguments"): which tokens
are actors (named entities, personal pronouns, the lexicon's ``actor_nouns``), the doer of a
verb (subject, passive agent, the controller inherited through ``xcomp``/``conj``/participle
clauses, object control), the entries' argument paths (``dobj``, ``prep:with``,
``ccomp>subj``…), and the references the actor index gives for them, with a minimal
``ActorRef`` when it knows nothing. Word lists come from the lexicon's cues.
"""

from __future__ import annotations

import dataclasses
import logging

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ...types import ActorRef
from ..context import DocContext
from .lexicon import Lexicon, TriggerEntry
from .syntax import (
    MOD_DEPS,
    OBJ,
    PASSIVE_SUBJ,
    RECIPIENT_ENTS,
    SUBJ,
    children,
    clause_as_subject,
    conjuncts,
    governing_verb,
    is_verbal,
    lemma,
    pobjs,
    preps,
    through_quantity,
)

__all__ = ["Arguments"]

log = logging.getLogger(__name__)

_ENT_KINDS = {"PERSON": "person", "ORG": "org", "GPE": "country", "NORP": "group",
              "LOC": "country"}
#: relations a speaker after its verb gets in the parse ("... said the Observatory")
_INVERTED = frozenset({"nsubj", "dobj", "attr"})


class Arguments:
    """The argument rules over one document (its actor index) and one lexicon."""

    def __init__(self, ctx: DocContext, lex: Lexicon) -> None:
        self.ctx = ctx
        self.cues = lex.cues
        #: a doc's entities, read once (spaCy builds every span on each ``doc.ents``)
        self._ents: tuple[Doc, tuple[SpacySpan, ...]] | None = None
        #: ``is_actorish`` and ``refs`` of the context doc's tokens, by index (the coders
        #: ask again and again of the same tokens)
        self._actorish: dict[int, bool] = {}
        self._refs: dict[int, list[ActorRef]] = {}

    # -- actor tests ------------------------------------------------------------------
    def is_actorish(self, tok: Token) -> bool:
        if tok.doc is not self.ctx.doc:
            return self._is_actorish(tok)
        found = self._actorish.get(tok.i)
        if found is None:
            found = self._actorish[tok.i] = self._is_actorish(tok)
        return found

    def _is_actorish(self, tok: Token) -> bool:
        if tok.ent_type_ in RECIPIENT_ENTS:
            return True
        if tok.ent_type_:
            return False  # dates, numbers, money, works of art…
        if tok.pos_ == "PRON":
            return tok.lower_ in self.cues.personal_pronouns
        if tok.pos_ == "PROPN":
            return True
        if tok.pos_ == "NOUN" and lemma(tok) in self.cues.actor_nouns:
            return True
        # "Islamic fundamentalists", "Palestinian prisoners" (as the doer of an event)
        return bool(tok.pos_ == "NOUN" and tok.tag_ == "NNS"
                    and (tok.dep_ in ("nsubj", "nsubjpass") or tok.head.dep_ == "agent")
                    and lemma(tok) not in self.cues.instrument_nouns
                    and any(c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE")
                            for c in tok.children))

    def entity_mods(self, tok: Token) -> list[Token]:
        out = []
        for c in tok.children:
            if c.dep_ not in MOD_DEPS:
                continue
            if c.ent_type_ in RECIPIENT_ENTS or (c.pos_ == "PROPN" and not c.ent_type_):
                out.append(c)
            elif c.dep_ == "compound":  # "US Predator attacks"
                out.extend(g for g in c.children if g.dep_ == "compound"
                           and g.ent_type_ in RECIPIENT_ENTS)
        return out

    def actorish_within(self, tok: Token) -> list[Token]:
        """The actor a (possibly non-actor) noun phrase points to: itself, or its
        owner / ``of``/``for`` complement / national modifier ("positions of the X forces",
        "camp for Congolese refugees", "Palestinian homes")."""
        if self.is_actorish(tok):
            return [tok]
        if tok.pos_ not in ("NOUN", "PROPN", "NUM"):
            return []
        for c in tok.children:
            if c.dep_ == "poss" and self.is_actorish(c) and \
                    c.lower_ not in self.cues.vague_possessives:
                return [c]
        for p in preps(tok):
            if p.lower_ in ("of", "for"):
                for o in pobjs(p):
                    if self.is_actorish(o):
                        return [o]
        mods = self.entity_mods(tok)
        if mods:
            return mods[:1]
        return []

    # -- actor references -------------------------------------------------------------
    def refs(self, tok: Token) -> list[ActorRef]:
        """The actors a token names (through a quantity noun and conjuncts), each span
        and actor once; a new list on each call."""
        if tok.doc is not self.ctx.doc:
            return self._refs_of(tok)
        found = self._refs.get(tok.i)
        if found is None:
            found = self._refs[tok.i] = self._refs_of(tok)
        return list(found)

    def _refs_of(self, tok: Token) -> list[ActorRef]:
        out: list[ActorRef] = []
        seen: set[tuple[int, int, str | None, str | None]] = set()
        tok = through_quantity(tok, self.cues.quantity_nouns)
        for t in conjuncts(tok):
            for ref in self._refs_one(t):
                # one phrase may name several actors ("Hungarian and Romanian officials"):
                # refs of the same span differ by who they are
                key = (ref.start, ref.end, ref.country, ref.name)
                if key not in seen:
                    seen.add(key)
                    out.append(ref)
        return out

    def _refs_one(self, tok: Token) -> list[ActorRef]:
        index = self.ctx.actors
        if index is not None:
            try:
                found = list(index.refs_for(tok))
            except (AttributeError, TypeError, ValueError, KeyError, IndexError) as exc:
                log.warning("refs_for failed on %r: %s", tok.text, exc)
                found = []
            if found:
                return found
            place = index.place_ref(tok) if hasattr(index, "place_ref") else None
            if place is not None:
                return [place]  # "a curfew in Algiers": the place's country
        if self.is_actorish(tok) and not (tok.ent_type_ == "" and tok.pos_ == "PROPN"
                                          and lemma(tok) in self.cues.instrument_nouns):
            if lemma(tok) in self.cues.instrument_nouns:
                return self._mods_refs(tok)
            return [self.minimal_ref(tok)]
        if lemma(tok) in self.cues.instrument_nouns:
            return self._mods_refs(tok)
        return []

    def _mods_refs(self, tok: Token) -> list[ActorRef]:
        out: list[ActorRef] = []
        index = self.ctx.actors
        for m0 in self.entity_mods(tok):
            for m in [m0] + [c for c in m0.children if c.dep_ == "conj"]:
                found = list(index.refs_for(m)) if index is not None else []
                out.extend(found or [self.minimal_ref(m)])
        return out

    def minimal_ref(self, tok: Token) -> ActorRef:
        """Text and offsets only: the noun with its compounds/modifiers (country unknown)."""
        if tok.ent_type_ and tok.ent_iob_ != "O":
            if self._ents is None or self._ents[0] is not tok.doc:
                self._ents = (tok.doc, tuple(tok.doc.ents))
            ent = next((e for e in self._ents[1] if e.start <= tok.i < e.end), None)
            if ent is not None:
                span = self.ctx.tspan(ent)
                return ActorRef(span.text, span.start, span.end, kind=_ENT_KINDS.get(ent.label_))
        start = tok.i
        for c in tok.lefts:
            if c.dep_ in ("compound", "amod", "nmod", "poss", "case") or (
                    c.dep_ == "punct" and c.i > start - 3):
                start = min(start, c.left_edge.i)
        if start < tok.i and tok.doc[start].dep_ == "det":
            start += 1
        span = self.ctx.tspan(tok.doc[start:tok.i + 1])
        kind = "pronoun" if tok.pos_ == "PRON" else "group"
        return ActorRef(span.text, span.start, span.end, kind=kind)

    # -- clause structure -------------------------------------------------------------
    def reporter(self, verb: Token, trigger: Token) -> list[Token]:
        """The speaker of a sentence-final reporting clause (``Clauses.final_report``):
        the phrase after the verb ("... said the Syrian Observatory"; not after "told"),
        else its own subject when that follows the trigger ("..., a monitoring group
        said"), else the name just before the verb the parse left without one ("... Vasik
        Harak told Anadolu Agency", "... state news agency SANA reported", "... the UN
        children's agency (UNICEF) has said")."""
        if lemma(verb) not in self.cues.addressee_verbs:
            for c in verb.children:
                if (c.i > verb.i and c.dep_ in _INVERTED and c.pos_ in ("NOUN", "PROPN")
                        and c.ent_type_ not in ("DATE", "TIME")):  # not "..., he said Monday"
                    return [c]
        own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if own and own[0].i > trigger.i and not clause_as_subject(verb):
            return own[:1]
        # the name just before the verb (its auxiliaries and a closing bracket skipped)
        k = verb.i - 1
        while k > trigger.i and (verb.doc[k].dep_ in ("aux", "neg", "advmod")
                                 or verb.doc[k].text in (")", "]")):
            k -= 1
        before = verb.doc[k]
        if k > trigger.i and before.pos_ in ("NOUN", "PROPN"):
            return [before]
        return []

    def subject(self, verb: Token, depth: int = 0) -> list[Token]:
        """The doer of a verb: subject, passive agent, or the controller it inherits."""
        if depth > 6:
            return []
        relative = self.cues.relative_pronouns
        subs = children(verb, SUBJ)
        if subs:
            s = subs[0]
            if is_verbal(s):  # "The Red Cross operating in Iraq said": a mis-attached subject
                inner = children(s, SUBJ)
                if not inner:
                    return []
                s = inner[0]
            if s.lower_ in relative and verb.dep_ == "relcl":
                return [verb.head]
            if s.lower_ in relative:
                return []
            return [s]
        if children(verb, PASSIVE_SUBJ):
            for a in children(verb, ["agent"]):
                return pobjs(a)[:1]
            return []
        head = verb.head
        if head.i == verb.i:
            return []
        if verb.dep_ == "xcomp" or (verb.dep_ == "advcl" and not any(
                c.dep_ == "mark" and c.lower_ != "to" for c in verb.children)):
            if lemma(head) in self.cues.object_control:
                objs = children(head, OBJ)
                if objs:
                    return objs[:1]
            if is_verbal(head) or head.pos_ == "ADJ":
                return self.subject(head, depth + 1)
            if head.pos_ in ("NOUN", "PROPN") and verb.dep_ == "advcl":
                return []
        if verb.dep_ == "conj" and (is_verbal(head) or head.pos_ == "ADJ"):
            return self.subject(head, depth + 1)
        if verb.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN"):
            if not self.is_actorish(head) and head.dep_ in ("dobj", "obj") and \
                    is_verbal(head.head):
                return self.subject(head.head, depth + 1)  # "issued a declaration demanding"
            return [head]
        if verb.dep_ == "acomp" or (verb.dep_ == "pcomp" and head.dep_ == "prep"):
            h = head if verb.dep_ == "acomp" else head.head
            if is_verbal(h) or h.pos_ == "ADJ":
                return self.subject(h, depth + 1)
        return []

    def follow(self, tok: Token, path: str, ctx_speaker: list[Token]) -> list[Token]:
        """The tokens an argument path (``dobj>prep:by``…) leads to from ``tok``."""
        cur = [tok]
        for step in path.split(">"):
            nxt: list[Token] = []
            for t in cur:
                nxt.extend(self._step(t, step, ctx_speaker))
            cur = nxt
            if not cur:
                return []
        return cur

    def _step(self, t: Token, step: str, speaker: list[Token]) -> list[Token]:
        if step.startswith("prep:"):
            want = step[5:]
            out: list[Token] = []
            for p in preps(t):
                if want == "*" or p.lower_ == want or (want == "by" and p.dep_ == "agent"):
                    out.extend(pobjs(p))
            return out
        if step == "dobj":
            objs = children(t, OBJ)
            if not objs and is_verbal(t):
                objs = children(t, PASSIVE_SUBJ)
            out = []
            for o in objs:
                if o.lower_ in self.cues.relative_pronouns and t.dep_ == "relcl":
                    o = t.head
                out.append(through_quantity(o, self.cues.quantity_nouns))
            return out
        if step == "subjpass":
            return children(t, PASSIVE_SUBJ)
        if step == "verb":
            v = governing_verb(t)
            return [v] if v is not None else []
        if step == "dative":
            out = []
            for c in t.children:
                if c.dep_ in ("dative", "iobj"):
                    out.extend(pobjs(c) if c.pos_ == "ADP" else [c])
            return out
        if step == "subj":
            return self.subject(t) if (is_verbal(t) or t.pos_ == "ADJ") else []
        if step in ("ccomp", "xcomp", "advcl", "acl"):
            return children(t, [step, "relcl"] if step == "acl" else [step])
        if step == "mod":
            return self.entity_mods(t)
        if step == "poss":
            return children(t, ["poss"])
        if step == "head":
            return [t.head] if t.head.i != t.i else []
        if step == "speaker":
            return speaker
        return []

    # -- the actor ----------------------------------------------------------------------
    def actor_tokens(self, tok: Token, e: TriggerEntry, speaker: list[Token]) -> list[Token]:
        """The tokens naming the doer of the event ``tok`` triggers under entry ``e``."""
        actor_toks: list[Token] = []
        if e.actor:
            for p in e.actor:
                actor_toks = [a for a in self.follow(tok, p, speaker) if self.is_actorish(a)]
                if actor_toks:
                    break
        elif e.pos in ("verb", "adj", "any") and (is_verbal(tok) or tok.pos_ == "ADJ"):
            actor_toks = self.subject(tok)
        else:  # nominal trigger: owner, "by X", or the doer of the clause it belongs to
            poss = children(tok, ["poss"])
            by = [o for p in preps(tok) if p.lower_ == "by" for o in pobjs(p)]
            if poss and not (poss[0].pos_ == "PRON" or not self.refs(poss[0])
                             or lemma(poss[0]) in self.cues.generic_owners):
                actor_toks = poss[:1]
            elif by and not any(r.startswith("prep:by") for r in e.recipient):
                actor_toks = by[:1]
            else:
                verb = governing_verb(tok)
                if verb is not None:
                    actor_toks = self.subject(verb)
                if not actor_toks and poss:
                    actor_toks = poss[:1]
                if not actor_toks:
                    actor_toks = self.entity_mods(tok)[:1]
        return actor_toks

    def actor_refs(self, actor_toks: list[Token]) -> list[ActorRef]:
        actor: list[ActorRef] = []
        for a in actor_toks:
            found = self.refs(a)
            if not found and not self.is_actorish(a):
                # "the first deployment of NATO troops arrived": the doer inside the subject
                for inner in self.actorish_within(a):
                    found.extend(self.refs(inner))
            actor.extend(found)
        return actor

    def unidentified_actor(self, actor_toks: list[Token], actor: list[ActorRef],
                           recipient: list[ActorRef]) -> list[ActorRef]:
        """The actor when the doer is an attack or a weapon: unidentified armed forces."""
        index = self.ctx.actors
        if not actor and recipient and index is not None and hasattr(index, "place_ref"):
            # "a roadside bombing near the town of Samarra killed a soldier": nobody named;
            # the attack is by unidentified armed forces (UAF) of the place's country
            for a in actor_toks:
                if lemma(a) not in self.cues.instrument_nouns:
                    continue
                place = next((r for r in (index.place_ref(t) for t in a.subtree if t.i != a.i)
                              if r is not None), None)
                if place is not None:
                    return [*actor, dataclasses.replace(place, sector="UAF", kind="group")]
        elif recipient:
            # "a car bombing in Baghdad killed…": placed by its place, still nobody's doing
            inst = [self.ctx.abs(a.idx) for a in actor_toks
                    if lemma(a) in self.cues.instrument_nouns]
            return [dataclasses.replace(r, sector="UAF") if r.kind == "group" and r.sector is None
                    and any(r.start <= x < r.end for x in inst) else r for r in actor]
        return actor

    # -- the recipient ------------------------------------------------------------------
    def recipients(self, tok: Token, e: TriggerEntry, sent: SpacySpan, speaker: list[Token],
                   actor_toks: list[Token], actor: list[ActorRef]) -> list[ActorRef]:
        """The recipients by the entry's ordered paths (the first path that gives any),
        without the actor's own references."""
        recipient: list[ActorRef] = []
        actor_idx = {a.i for t in actor_toks for a in conjuncts(t)}
        for p in e.recipient:
            recipient = self._path_recipients(tok, p, sent, speaker, actor_idx)
            if recipient:
                break
        if not recipient and e.type == "REJECT":
            recipient = self._refused_party(tok, actor_idx)
        akeys = {(a.start, a.end) for a in actor}
        seen_r: set[tuple[int, int, str | None, str | None]] = set()
        unique: list[ActorRef] = []
        for r in recipient:
            rkey = (r.start, r.end, r.country, r.name)
            if (r.start, r.end) not in akeys and rkey not in seen_r:
                seen_r.add(rkey)
                unique.append(r)
        return unique

    def _path_recipients(self, tok: Token, p: str, sent: SpacySpan, speaker: list[Token],
                         actor_idx: set[int]) -> list[ActorRef]:
        index = self.ctx.actors
        civ_target = getattr(index, "is_civilian_target", None)
        cands: list[Token] = []
        civilian: set[int] = set()  # candidates reached through "homes", "village"…
        reached = self.follow(tok, p, speaker)
        if not reached and "dobj>prep:" in p:
            # the parser hung the object's "to/against X" on the verb ("deliver blows to X")
            reached = self.follow(tok, p.replace("dobj>prep:", "prep:", 1), speaker)
        for c in reached:
            if c.i in actor_idx or c.i == tok.i:
                continue
            within = self.actorish_within(c)
            if civ_target is not None and (civ_target(c) or (
                    c.dep_ in ("amod", "compound", "poss", "nmod") and civ_target(c.head))):
                # "demolished Palestinian homes", "retook a village in Cambodia": civilians
                if not within and index is not None and index.refs_for(c):
                    within = [c]
                civilian.update(t.i for t in within)
            cands.extend(within)
        cands = [c for c in cands if c.i not in actor_idx]
        for c in list(cands):
            # "blocked the bridge from France to Germany": a span from X to Y names both
            if c.dep_ != "pobj" or c.head.lower_ not in ("from", "to"):
                continue
            p0 = c.head.i
            near = range(max(sent.start, p0 - 4), p0) if c.head.lower_ == "to" else \
                range(p0 + 1, min(sent.end, p0 + 6))
            other = "from" if c.head.lower_ == "to" else "to"
            for j in near:
                f = c.doc[j]
                if f.lower_ == other and f.dep_ == "prep":
                    cands.extend(o for o in pobjs(f) if self.is_actorish(o)
                                 and o.i not in actor_idx and o not in cands)
        recipient: list[ActorRef] = []
        for c in cands:
            found = self.refs(c)
            if c.i in civilian:
                found = [dataclasses.replace(r, sector="CVL") if r.sector is None else r
                         for r in found]
            recipient.extend(found)
        return recipient

    def _refused_party(self, tok: Token, actor_idx: set[int]) -> list[ActorRef]:
        """"declined to resign despite pressure by the Commission": the party refused."""
        recipient: list[ActorRef] = []
        for v in [tok, *children(tok, ["xcomp"])]:
            for dp in (c for c in v.children if c.lower_ == "despite" and c.dep_ == "prep"):
                for pn in pobjs(dp):
                    for bp in (q for q in preps(pn) if q.lower_ in ("by", "from")):
                        for o in pobjs(bp):
                            for w in self.actorish_within(o):
                                if w.i not in actor_idx:
                                    recipient.extend(self.refs(w))
        return recipient
