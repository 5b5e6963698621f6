"""The trained event coder: the rules propose, two trained classifiers decide.

For each sentence:

1. **Propose** (``propose``): every token the lexicon knows (any entry of its lemma, met or
   not), every other verb that is not a speech verb, each with what the rules make of it —
   the entry whose constraints it meets, whether another trigger governs it, and the event
   the rule coder builds there (type and arguments). Recall first: the rules' own
   precision filters become features, not gates.
2. **Type** (``EventModel.types``): each candidate gets a PLOVER type or ``NONE``; a
   candidate becomes an event when its best type reaches the model's threshold.
3. **Roles** (``EventModel.roles``): every noun-phrase head of the sentence (``mentions``)
   is scored as the event's ``source``, ``target`` or neither from the dependency path, the
   voice, the mention's entity type and what the actor resolver knows of it; the best
   source above the threshold is the actor, the best other target the recipient.
4. **The record**: negation, modality, attribution, place and date come from the same
   rules as the rule coder's (``modality``, ``coder``, ``places``, ``dates``); mode and
   context from the rule event or the lexicon entry of the chosen type.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ...types import COUNT_KIND, ActorRef, Event, SentenceRef
from ..context import DocContext
from ..places.not_places import source_base
from .coder import Coder, attribution, build_event, coded_triggers, event_id, reported_by
from .features import doc_tree, mention_features, role_examples, trigger_features
from .lexicon import Lexicon, TriggerEntry
from .model import EventModel
from .syntax import RECIPIENT_ENTS, conjuncts
from .triggers import DocWords, form_entries, is_caption, trigger_span

__all__ = ["Candidate", "SentencePlan", "decode_document", "decode_sentence", "extract_learned",
           "mentions", "plan_sentence", "role_features"]

NONE = "NONE"
_MENTION_POS = frozenset({"NOUN", "PROPN", "PRON"})
#: words of an entity that never head its phrase
_FUNCTION_POS = frozenset({"DET", "ADP", "CCONJ", "SCONJ", "PART", "AUX", "PUNCT"})
_ROLE_SOURCE, _ROLE_TARGET = "source", "target"
#: a number heading its own phrase as a verb's subject or object is a party ("killed 28",
#: "at least 14 were killed", "Seven died"): the people it counts
_NUMERAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})


def _counted(tok: Token) -> bool:
    """Whether ``tok`` is a number that stands for the people it counts."""
    return (tok.pos_ == "NUM" and tok.dep_ in _NUMERAL_DEPS
            and tok.ent_type_ in ("", "CARDINAL"))


@dataclass
class Candidate:
    """A token the rules propose as a trigger, with what they make of it."""

    tok: Token
    entry: TriggerEntry | None  # the entry whose constraints the token meets
    rule: Event | None  # the event the rule coder builds at this token
    feats: dict[str, float]


@dataclass
class SentencePlan:
    """One sentence's candidates and mentions, ready to be decoded by any model."""

    sent: SpacySpan
    sref: SentenceRef
    candidates: list[Candidate] = field(default_factory=list)
    mentions: list[Token] = field(default_factory=list)


def mentions(coder: Coder, sent: SpacySpan) -> list[Token]:
    """Noun-phrase heads that could be a party to an event: actor-like tokens, nouns and
    proper nouns heading their phrase, and entity modifiers ("US strikes")."""
    out: list[Token] = []
    tree = doc_tree(sent.doc)
    poses, ents = tree.poses, tree.ents
    doc = sent.doc
    for i in range(sent.start, sent.end):
        # neither a noun, proper noun or pronoun nor an entity a party may be: no mention
        # (``is_actorish`` and the tests below all need one of these)
        if poses[i] not in _MENTION_POS and ents[i] not in RECIPIENT_ENTS:
            if poses[i] == "NUM" and _counted(doc[i]):  # (no token made for the rest)
                out.append(doc[i])
            continue
        if poses[i] in _FUNCTION_POS:
            continue  # "The" of "The Russian Foreign Ministry": the name's head is the mention
        t = doc[i]
        if t.is_punct or t.is_space:
            continue
        # a source's base ("the Britain-based Observatory") is never a party itself
        if (i + 2 < len(doc) and doc[i + 1].text == "-" and not t.whitespace_
                and source_base(coder.ctx, coder.ctx.abs(t.idx + len(t.text)))):
            continue
        if (t.dep_ in ("amod", "compound") and t.head.i != t.i
                and t.head.lemma_.lower() in coder.lex.cues.place_nouns):
            continue  # "the Syrian Kurdish city": where, not who
        if coder.args.is_actorish(t):
            if t.dep_ == "compound" and t.head.pos_ == "PROPN" and not t.ent_type_:
                continue  # inside a longer name
            out.append(t)
        elif (t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("compound", "amod")) or (
                t.dep_ in ("compound", "amod", "poss") and t.ent_type_ in RECIPIENT_ENTS):
            out.append(t)
    return out


def plan_sentence(coder: Coder, sent: SpacySpan,
                  excluded: Sequence[tuple[int, int]] = ()) -> SentencePlan:
    """The candidates (with trigger features) and mentions of one sentence."""
    ctx, lex = coder.ctx, coder.lex
    plan = SentencePlan(sent, ctx.sentence_ref(sent))
    if is_caption(lex, sent):
        return plan
    coded = coded_triggers(coder, sent, excluded, full=False)  # (read: type, mode, parties)
    by_tok = {tok.i: (entry, governed, ev) for tok, entry, governed, ev in coded}
    doc = sent.doc
    words = coder.words(doc)
    heads = doc_tree(doc).heads
    mask = coder.excluded_mask(words, excluded)
    for i in range(sent.start, sent.end):
        if words.skip[i] or (mask is not None and mask[i]):
            continue
        entries = words.entries[i]
        if not entries and words.pos[i] != "VERB":
            continue
        tok = doc[i]
        speech = coder.clauses.is_speech(tok)
        if not entries and speech:
            continue
        entry, governed, ev = by_tok.get(tok.i, (None, False, None))
        matched = (entry.type, entry.mode) if entry is not None else None
        rule = (ev.event_type, bool(ev.actor), bool(ev.recipient)) if ev is not None else None
        in_speech = coder.clauses.speech_governor(tok) is not None
        feats = trigger_features(tok, (e.type for e in entries), matched, rule, governed,
                                 in_speech, speech, sent, lex.cues, lex.clusters,
                                 _above(words, heads, i))
        plan.candidates.append(Candidate(tok, entry, ev, feats))
    if plan.candidates:
        plan.mentions = mentions(coder, sent)
    return plan


def _above(words: DocWords, heads: list[int], i: int) -> tuple[frozenset[str], bool] | None:
    """The lexicon's types of the first trigger word above token ``i`` (at most three steps
    up the tree), and whether it is ``i``'s own head: "blamed ... for the attack", "in
    protest against the killing" (an event named as another's topic)."""
    t = i
    for step in (1, 2, 3):
        h = heads[t]
        if h == t:
            return None
        t = h
        if words.entries[t]:
            return frozenset(e.type for e in words.entries[t]), step == 1
    return None


def _rule_role(ev: Event | None, m: Token, base: int) -> str | None:
    if ev is None:
        return None
    x = base + m.idx
    if any(a.start <= x < a.end for a in ev.actor):
        return "actor"
    if any(r.start <= x < r.end for r in ev.recipient):
        return "recipient"
    return None


def role_features(coder: Coder, cand: Candidate, m: Token, etype: str) -> dict[str, float]:
    """Features of the pair (candidate trigger, mention) for an event of type ``etype``."""
    refs = [(r.country, r.sector, r.kind) for r in _refs_cached(coder, m)]
    rule_role = _rule_role(cand.rule, m, coder.ctx.base)
    return mention_features(cand.tok, m, etype, refs, coder.args.is_actorish(m), rule_role)


def _mention_refs(coder: Coder, m: Token) -> list[tuple[str | None, str | None, str | None]]:
    """(country, sector, kind) of the actors at a mention (``role_features``), once per
    document."""
    found = coder.mention_refs.get(m.i)
    if found is None:
        found = coder.mention_refs[m.i] = [
            (r.country, r.sector, r.kind) for r in _refs_cached(coder, m)]
    return found


def _actorish(coder: Coder, m: Token) -> bool:
    found = coder.actorish.get(m.i)
    if found is None:
        found = coder.actorish[m.i] = coder.args.is_actorish(m)
    return found


def _refs_cached(coder: Coder, m: Token) -> list[ActorRef]:
    cache: dict[int, list[ActorRef]] = coder.ref_cache
    found = cache.get(m.i)
    if found is None:
        found = coder.args.refs(m)
        if not found and not coder.args.is_actorish(m):
            for inner in coder.args.actorish_within(m):
                found.extend(coder.args.refs(inner))
        if not found and _counted(m):  # "killed 28": the 28, a group of no known side
            found = [replace(coder.args.minimal_ref(m), kind=COUNT_KIND)]
        cache[m.i] = found
    return found


#: a candidate's role mentions and their probabilities (None when there are no mentions)
_Scored = tuple[list[Token], "np.ndarray | None"]


def _role_inputs(coder: Coder, cand: Candidate, plan: SentencePlan, etype: str,
                 model: EventModel) -> tuple[list[Token], list[dict[str, float]]]:
    """The mentions that may fill a role of ``cand`` as an ``etype`` event, and the role
    model's features of each pair."""
    # a mention with no actor reference can fill no role (both loops of ``_choose`` skip
    # it), and each pair's probabilities are its own: only the others are scored
    others = [m for m in plan.mentions if m.i != cand.tok.i and _refs_cached(coder, m)]
    if not others:
        return others, []
    base = coder.ctx.base
    return others, role_examples(
        cand.tok, others, etype, [_mention_refs(coder, m) for m in others],
        [_actorish(coder, m) for m in others],
        [_rule_role(cand.rule, m, base) for m in others])


def _choose(coder: Coder, cand: Candidate, plan: SentencePlan, etype: str,
            model: EventModel, scored: _Scored | None = None
            ) -> tuple[list[ActorRef], list[ActorRef]]:
    """Actor and recipient of ``cand`` as an ``etype`` event (``scored``: its mentions and
    their role probabilities, when the caller scored them already)."""
    if scored is None:
        others, rows = _role_inputs(coder, cand, plan, etype, model)
        probs = model.roles.proba_many(rows) if others else None
    else:
        others, probs = scored
    if not others or probs is None:
        return [], []
    classes = model.roles.classes
    p_source = probs[:, classes.index(_ROLE_SOURCE)].tolist()
    p_target = probs[:, classes.index(_ROLE_TARGET)].tolist()
    thr = model.role_threshold
    actor: list[ActorRef] = []
    actor_tok: Token | None = None
    for k in sorted(range(len(others)), key=lambda k: -p_source[k]):
        if p_source[k] < thr:
            break
        if _counted(others[k]):
            continue  # a bare count is who was hit, never who acted
        refs = _refs_cached(coder, others[k])
        if refs:
            actor, actor_tok = list(refs), others[k]
            break
    taken = {t.i for t in conjuncts(actor_tok)} if actor_tok is not None else set()
    akeys = {(a.start, a.end) for a in actor}
    recipient: list[ActorRef] = []
    for k in sorted(range(len(others)), key=lambda k: -p_target[k]):
        if p_target[k] < thr:
            break
        m = others[k]
        if m.i in taken:
            continue
        refs = [r for r in _refs_cached(coder, m) if (r.start, r.end) not in akeys]
        if refs:
            recipient = refs
            break
    return actor, recipient


def _entry_for(lex: Lexicon, cand: Candidate, etype: str) -> TriggerEntry | None:
    if cand.entry is not None and cand.entry.type == etype:
        return cand.entry
    return next((e for e in form_entries(lex, cand.tok) if e.type == etype), None)


def _best_types(plan: SentencePlan, model: EventModel) -> list[tuple[str, float]]:
    """Each candidate's most probable type other than ``NONE`` and its probability (the
    first of equal ones in the model's class order, as ``top``), read from one array."""
    return _best_of(model.types.proba_many([c.feats for c in plan.candidates]), model)


def _best_of(probs: np.ndarray, model: EventModel) -> list[tuple[str, float]]:
    """``_best_types`` of the rows of the type model's probabilities ``probs``."""
    classes = model.types.classes
    types = [j for j, c in enumerate(classes) if c != NONE]
    scores = probs[:, types]
    best = scores.argmax(axis=1).tolist()
    return [(classes[types[j]], p) for j, p in zip(
        best, scores[np.arange(len(best)), best].tolist(), strict=True)]


def decode_document(coder: Coder, plans: Sequence[SentencePlan],
                    model: EventModel) -> list[Event]:
    """``decode_sentence`` of each plan, in order, with the type model's and then the role
    model's examples of all the plans scored at once: each row's probabilities are the
    same as scored sentence by sentence, without two small-array passes per sentence."""
    plans = [plan for plan in plans if plan.candidates]
    if not plans:
        return []
    best = _best_of(model.types.proba_many(
        [c.feats for plan in plans for c in plan.candidates]), model)
    types: list[list[tuple[str, float]]] = []
    at = 0
    for plan in plans:
        types.append(best[at:at + len(plan.candidates)])
        at += len(plan.candidates)
    # the role pairs of every candidate the type model keeps (``decode_sentence``'s test)
    inputs: list[tuple[int, int, list[Token], list[dict[str, float]]]] = []
    for k, (plan, typed) in enumerate(zip(plans, types, strict=True)):
        for j, (cand, (etype, p)) in enumerate(zip(plan.candidates, typed, strict=True)):
            if p >= model.type_threshold:
                inputs.append((k, j, *_role_inputs(coder, cand, plan, etype, model)))
    rows = [r for _, _, _, pairs in inputs for r in pairs]
    probs = model.roles.proba_many(rows) if rows else None
    scored: list[dict[int, _Scored]] = [{} for _ in plans]
    at = 0
    for k, j, others, pairs in inputs:
        part = probs[at:at + len(pairs)] if pairs and probs is not None else None
        scored[k][j] = (others, part)
        at += len(pairs)
    out: list[Event] = []
    for plan, typed, roles in zip(plans, types, scored, strict=True):
        out.extend(decode_sentence(coder, plan, model, typed, roles))
    return out


def decode_sentence(coder: Coder, plan: SentencePlan, model: EventModel,
                    types: Sequence[tuple[str, float]] | None = None,
                    roles: dict[int, _Scored] | None = None) -> list[Event]:
    """The events the model codes in one planned sentence (``types``, ``roles``: its
    candidates' best types and role probabilities when ``decode_document`` scored them)."""
    ctx, lex = coder.ctx, coder.lex
    quotes = coder.quotes
    events: list[Event] = []
    toks: list[Token] = []
    seen: set[tuple[str, tuple[int, ...], tuple[int, ...]]] = set()
    if types is None:
        types = _best_types(plan, model)
    for j, (cand, (etype, p)) in enumerate(zip(plan.candidates, types, strict=True)):
        if p < model.type_threshold:
            continue
        actor, recipient = _choose(coder, cand, plan, etype, model,
                                   roles.get(j) if roles is not None else None)
        if not actor and not recipient and p < model.bare_threshold:
            continue  # an event with no party must be very clear ("an explosion killed 12")
        tok = cand.tok
        entry = _entry_for(lex, cand, etype)
        rule = cand.rule if cand.rule is not None and cand.rule.event_type == etype else None
        speech, speaker_toks = reported_by(coder, tok)
        verb = coder.clauses.clause_verb(tok)
        negated = coder.clauses.negated(tok, verb)
        attributed = attribution(ctx, coder.args, tok, entry, speaker_toks, quotes)
        if (attributed is not None and _material(lex, etype)
                and not _self_report(lex, tok, speech or verb, speaker_toks)):
            # the source of a report of a deed is not a party to it (a statement's own
            # speaker is: "the regime is behind the attack, X said" is X's accusation)
            actor = [a for a in actor if not _overlaps(a, attributed)]
            recipient = [r for r in recipient if not _overlaps(r, attributed)]
            if not actor and not recipient and p < model.bare_threshold:
                continue
        modality = coder.clauses.modality(tok, verb, plan.sent,
                                          attributed is not None or speech is not None)
        lex_types = {e.type for e in form_entries(lex, tok)}
        if etype in ("AGREE", "THREATEN") and modality == "future" and etype not in lex_types:
            modality = "asserted"  # the promise or threat itself is what is reported
        if etype == "REJECT" and negated and "REJECT" not in lex_types:
            negated = False  # "will not attend" coded as a refusal
        mode = rule.mode if rule is not None else (entry.mode if entry is not None else None)
        context = rule.context if rule is not None else (
            tuple(entry.context) if entry is not None else ())
        key = (etype, tuple(a.start for a in actor), tuple(r.start for r in recipient))
        if key in seen:
            continue
        seen.add(key)
        symmetric = bool((rule.symmetric if rule is not None else
                          (entry.symmetric if entry is not None else False))
                         and len(actor) + len(recipient) >= 2)
        events.append(build_event(
            coder, plan.sent, plan.sref, tok, etype=etype, mode=mode, context=context,
            trig=trigger_span(ctx, lex, tok, entry) if entry is not None else ctx.tspan(tok),
            actor=actor, recipient=recipient, negated=negated, modality=modality,
            attributed=attributed, symmetric=symmetric, extractor=model.extractor,
            confidence=round(min(0.99, max(0.05, p)), 2)))
        toks.append(tok)
    return _one_per_happening(ctx.doc_id, events, toks)


def _material(lex: Lexicon, etype: str) -> bool:
    """Whether ``etype`` is a deed (CAMEO quad class 2 or 4), not a statement."""
    info = lex.types.get(etype)
    return info is not None and info.quad_class in (2, 4)


def _self_report(lex: Lexicon, tok: Token, governor: Token,
                 speaker: Sequence[Token]) -> bool:
    """Whether a speaker may be a party to the deed it reports: under a verb of one's own
    deeds ("IS claimed the bombing", "Syria denied carrying out the attack", "the
    authorities declared a state of siege"), or in a reported clause that points back to
    someone with a pronoun ("the army said it killed 20", "Syria said its jets struck a
    depot", "militants said they attempted to assassinate the prime minister").
    ``governor``: the reporting verb (else the trigger's own clause verb)."""
    if any(a.lemma_.lower() in lex.cues.self_report_verbs for a in tok.ancestors):
        return True
    clause = tok  # the reported clause: the governor's child that holds the trigger
    while clause.head.i != clause.i and clause.head.i != governor.i:
        clause = clause.head
    if clause.head.i != governor.i:
        clause = governor
    own = {t.i for t in speaker}
    words = lex.cues.personal_pronouns | lex.cues.vague_possessives
    return any(t.lower_ in words for t in clause.subtree if t.i not in own)


def _overlaps(a: ActorRef, b: ActorRef) -> bool:
    return a.start < b.end and b.start < a.end


def _parties(refs: Sequence[ActorRef]) -> set[tuple[int, int]]:
    """The spans of the parties ``refs`` name; a bare count names none ("killing three"
    after "police opened fire on demonstrators" says no one new)."""
    return {(r.start, r.end) for r in refs if r.kind != COUNT_KIND}


def _restates(a: Event, b: Event) -> bool:
    """Whether ``a`` says nothing ``b`` does not: same type, and each of its parties is
    one of ``b``'s (or absent)."""
    return (a.event_type == b.event_type and a.negated == b.negated
            and _parties(a.actor) <= _parties(b.actor)
            and _parties(a.recipient) <= _parties(b.recipient))


def _inside(outer: Token, inner: Token) -> bool:
    """Whether ``inner`` sits in a prepositional phrase or agent of ``outer`` ("killed in
    an ambush", "were hit by air strikes"): up at most three steps, through a preposition;
    or is the event noun that is the verb ``outer``'s subject ("air strikes killed 25")."""
    if (inner.dep_ == "nsubj" and inner.head.i == outer.i and outer.pos_ == "VERB"
            and inner.pos_ in ("NOUN", "PROPN")):
        return True
    t, steps, via = inner, 0, False
    while t.i != t.head.i and steps < 3:
        via = via or t.dep_ in ("prep", "agent")
        t, steps = t.head, steps + 1
        if t.i == outer.i:
            return via
    return False


def _merged(doc_id: str, keep: Event, drop: Event) -> Event:
    """``keep`` with the roles it lacks taken from ``drop`` (a party already in the other
    role is not taken)."""
    taken = _parties(keep.actor) | _parties(keep.recipient)
    actor = keep.actor or tuple(a for a in drop.actor if (a.start, a.end) not in taken)
    taken |= _parties(actor)
    recipient = keep.recipient or tuple(
        r for r in drop.recipient if (r.start, r.end) not in taken)
    if actor == keep.actor and recipient == keep.recipient:
        return keep
    return replace(keep, actor=tuple(actor), recipient=tuple(recipient),
                   id=event_id(doc_id, keep.event_type, keep.trigger, actor, recipient))


def _one_per_happening(doc_id: str, events: list[Event], toks: list[Token]) -> list[Event]:
    """A sentence that names one happening with several words is one event:

    - a same-type event in a prepositional phrase of another's trigger ("rebels killed five
      soldiers in an ambush", "6 civilians were killed in regime airstrikes") is merged
      into it: the governing event keeps its parties and takes the roles it lacks;
    - a same-type event whose parties are all another's is dropped (the fuller, then the
      more confident, is kept).
    """
    if len(events) < 2:
        return events
    alive = list(range(len(events)))
    for k in range(len(events)):
        for j in range(len(events)):
            if (j != k and j in alive and k in alive
                    and events[j].event_type == events[k].event_type
                    and events[j].negated == events[k].negated
                    and _inside(toks[k], toks[j])):
                events[k] = _merged(doc_id, events[k], events[j])
                alive.remove(j)
    rank = sorted(alive, key=lambda k: (
        -(len(_parties(events[k].actor)) + len(_parties(events[k].recipient))),
        -(events[k].confidence or 0), k))
    kept: list[int] = []
    for k in rank:
        if not any(_restates(events[k], events[j]) for j in kept):
            kept.append(k)
    return [events[k] for k in sorted(kept)]


def extract_learned(ctx: DocContext, lex: Lexicon, model: EventModel,
                    excluded: Sequence[tuple[int, int]] = ()) -> list[Event]:
    """Every event the trained coder finds in the document's body, in text order."""
    coder = Coder(ctx, lex)
    return decode_document(coder, [plan_sentence(coder, sent, excluded)
                                   for sent in ctx.doc.sents], model)
