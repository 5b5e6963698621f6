"""Coding one sentence: triggers → governance → arguments → modality → intent → ``Event``.

Owns the order of the event coder's steps (``docs/lexicon.md``) and the ``Event`` record it
builds: triggers found by ``triggers.Matcher`` (speech verbs, captions and excluded ranges
skipped), triggers governed by another trigger or inside a condition dropped, actor and
recipient from ``arguments``, negation/modality from ``modality``, attribution (a quote's
speaker, a governing speech verb's subject), the PLOVER/CAMEO ``intent`` rule (announced
cooperative actions are AGREE, conflictual ones THREATEN), the ``historical`` modality, the
event's place and date, its confidence and its content-hash id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ...types import ActorRef, Event, SentenceRef, Span
from ..context import DocContext
from .arguments import Arguments
from .lexicon import Lexicon, TriggerEntry
from .modality import Clauses
from .syntax import lemma
from .triggers import DocWords, Matcher, in_caption_parens, is_caption, trigger_span

__all__ = ["EXTRACTOR", "HISTORICAL_DAYS", "Coder", "attribution", "build_event", "code_sentence",
           "coded_triggers", "event_id", "long_before", "reported_by"]

EXTRACTOR = "dragoman.events.rules/1"

#: an asserted event whose own date (from its sentence) ends more than this many days before
#: the publication date is ``historical``: the story recalls it, it does not report it
HISTORICAL_DAYS = 180

_Quotes = Sequence[tuple[int, int, ActorRef | None]]


def _phrase_end(ctx: DocContext, at: int) -> int:
    """The end (doc offset) of the noun phrase whose word ends at offset ``at``: the
    speaker's name may modify the phrase's head ("according to Al-Manar reporter": the
    source "Al-Manar", the phrase "Al-Manar reporter"; not a possessive: "according to
    their religion" names no source)."""
    span = ctx.doc.char_span(max(0, at - 1), at, alignment_mode="expand")
    if span is None or not len(span):
        return at
    tok = span[-1]
    while tok.dep_ in ("compound", "amod", "nmod") and tok.head.i > tok.i:
        tok = tok.head
    return max(at, max(t.idx + len(t.text) for t in tok.subtree))


def _closing_sources(ctx: DocContext, lex: Lexicon) -> _Quotes:
    """(start, end, speaker) of the claims of sources that close their sentence after a cue
    of ``closing_source_cues`` ("... according to a local civil defense official."): the
    sentence from its start to the cue. (The quotes stage gives such a quote only the
    clause next to the cue as its content.)"""
    out = []
    cues = lex.cues.closing_source_cues
    for q in ctx.quotes:
        if (q.cue is None or q.speaker is None or q.speaker.start < q.cue.end
                or " ".join(q.cue.text.lower().split()) not in cues):
            continue
        at = q.cue.start - ctx.base
        if not 0 <= at < len(ctx.text):
            continue
        sent = ctx.doc.char_span(at, at + 1, alignment_mode="expand")
        if sent is None:
            continue
        s = sent.sent
        rest = ctx.text[_phrase_end(ctx, q.speaker.end - ctx.base):s.end_char]
        if rest.strip(" .;:!?\"'”’)]\n"):
            continue  # the sentence goes on after the source
        out.append((ctx.abs(s.start_char), q.cue.start, q.speaker))
    return out


class Coder:
    """The rules for one document and one lexicon, shared by the sentences' steps."""

    def __init__(self, ctx: DocContext, lex: Lexicon) -> None:
        self.ctx = ctx
        self.lex = lex
        self.args = Arguments(ctx, lex)
        self.clauses = Clauses(lex.cues)
        self.matcher = Matcher(lex, self.args, self.clauses)
        #: (content start, end, speaker) of the document's quotes, and the sentences that
        #: sources closing them claim (``_closing_sources``)
        self.quotes: _Quotes = [*((q.content.start, q.content.end, q.speaker)
                                  for q in ctx.quotes), *_closing_sources(ctx, lex)]
        #: actor references by token index (the trained coder asks for them repeatedly)
        self.ref_cache: dict[int, list[ActorRef]] = {}
        #: what the trained coder's role features read of a mention, by token index
        self.mention_refs: dict[int, list[tuple[str | None, str | None, str | None]]] = {}
        self.actorish: dict[int, bool] = {}
        #: ``reported_by`` of the doc's tokens, by index
        self.reported: dict[int, tuple[Token | None, list[Token]]] = {}
        self._words: DocWords | None = None
        self._masks: dict[tuple[tuple[int, int], ...], tuple[DocWords, list[bool]]] = {}

    def excluded_mask(self, words: DocWords,
                      excluded: Sequence[tuple[int, int]]) -> list[bool] | None:
        """Whether each token of ``words``' doc starts inside one of the ``excluded``
        character ranges (None when there are none), worked out once per ranges."""
        if not excluded:
            return None
        key = tuple(excluded)
        found = self._masks.get(key)
        if found is None or found[0] is not words:
            found = self._masks[key] = (words, [any(a <= x < b for a, b in excluded)
                                                for x in words.idx])
        return found[1]

    def words(self, doc: Doc) -> DocWords:
        """The trigger scans' view of ``doc``'s tokens (kept for the context's doc)."""
        if doc is not self.ctx.doc:
            return DocWords(doc, self.lex)
        if self._words is None:
            self._words = DocWords(doc, self.lex)
        return self._words


def code_sentence(ctx: DocContext, lex: Lexicon, sent: SpacySpan,
                  excluded: Sequence[tuple[int, int]] = ()) -> list[Event]:
    """The events of one sentence of ``ctx.doc``."""
    coder = Coder(ctx, lex)
    return [ev for _, _, _, ev in coded_triggers(coder, sent, excluded) if ev is not None]


def coded_triggers(coder: Coder, sent: SpacySpan, excluded: Sequence[tuple[int, int]] = (),
                   *, full: bool = True
                   ) -> list[tuple[Token, TriggerEntry, bool, Event | None]]:
    """Every trigger the lexicon matches in ``sent``: (token, entry, whether another trigger
    governs it or it sits in a condition, the event coded there or None).

    ``full=False``: each event only as far as the trained coder reads it (``_sketch``: type,
    mode, context, parties, negation, modality, attribution; no place, date, trigger
    phrase, confidence or id)."""
    ctx, lex = coder.ctx, coder.lex
    if is_caption(lex, sent):
        return []
    found: list[tuple[Token, TriggerEntry]] = []
    doc = sent.doc
    words = coder.words(doc)
    mask = coder.excluded_mask(words, excluded)
    for i in range(sent.start, sent.end):
        # no form of the word in the lexicon: nothing for the matcher to try
        if words.skip[i] or not words.entries[i]:
            continue
        if mask is not None and mask[i]:
            continue
        tok = doc[i]
        if coder.clauses.is_speech(tok) and not lex.entries_for(lemma(tok)):
            continue
        entry = coder.matcher.match(tok)
        if entry is not None and not in_caption_parens(lex, tok):
            found.append((tok, entry))
    if not found:
        return []
    trig_ids = {t.i for t, _ in found}
    aux_heads = {t.head.i for t, e in found if e.pos == "aux"}
    trig_ids |= aux_heads
    sref = ctx.sentence_ref(sent)
    out: list[tuple[Token, TriggerEntry, bool, Event | None]] = []
    seen: set[tuple[str, tuple[int, ...], tuple[int, ...]]] = set()
    for tok, e in found:
        if tok.i in aux_heads and e.pos != "aux":
            out.append((tok, e, True, None))
            continue
        anchor = tok.head if e.pos == "aux" else tok
        if coder.clauses.governed(anchor, trig_ids) or coder.clauses.in_condition(anchor):
            out.append((tok, e, True, None))
            continue
        ev = _code_one(coder, sent, sref, tok, e, coder.quotes, full)
        if ev is not None:
            key = (ev.event_type, tuple(a.start for a in ev.actor),
                   tuple(r.start for r in ev.recipient))
            if key in seen:
                ev = None
            else:
                seen.add(key)
        out.append((tok, e, False, ev))
    return out


def reported_by(coder: Coder, tok: Token) -> tuple[Token | None, list[Token]]:
    """The speech verb that reports the trigger's clause and its speaker: the verb whose
    complement holds it ("X said rebels attacked"), else a reporting clause closing the
    sentence after it ("rebels attacked the town, X said"; ``Clauses.final_report``).

    Found once per token of the coder's doc (the rule and the trained coder both ask);
    the speaker list is the caller's own."""
    if tok.doc is not coder.ctx.doc:
        return _reported_by(coder, tok)
    found = coder.reported.get(tok.i)
    if found is None:
        found = coder.reported[tok.i] = _reported_by(coder, tok)
    return found[0], list(found[1])


def _reported_by(coder: Coder, tok: Token) -> tuple[Token | None, list[Token]]:
    speech = coder.clauses.speech_governor(tok)
    if speech is not None and coder.clauses.speakers_own_act(tok, speech):
        return None, []  # the speaker's own act, not what was said
    if speech is not None:
        if speech.i > tok.i:  # after the clause it reports: "..., said the Observatory"
            return speech, coder.args.reporter(speech, tok) or coder.args.subject(speech)
        return speech, coder.args.subject(speech)
    final = coder.clauses.final_report(tok)
    if final is not None:
        speaker = coder.args.reporter(final, tok)
        if speaker:
            return final, speaker
    if tok.dep_ == "dobj" and coder.clauses.is_speech(tok.head):
        # "the Observatory reported the airstrikes": the deed as the report's object
        subject = coder.args.subject(tok.head)
        if subject:
            return tok.head, subject
    return None, []


def _code_one(coder: Coder, sent: SpacySpan, sref: SentenceRef, tok: Token, e: TriggerEntry,
              quotes: _Quotes, full: bool = True) -> Event | None:

    ctx, lex, args, clauses = coder.ctx, coder.lex, coder.args, coder.clauses
    speech, speaker_toks = reported_by(coder, tok if e.pos != "aux" else tok.head)
    actor_toks = args.actor_tokens(tok, e, speaker_toks)
    actor = args.actor_refs(actor_toks)
    recipient = args.recipients(tok, e, sent, speaker_toks, actor_toks, actor)
    actor = args.unidentified_actor(actor_toks, actor, recipient)
    if not actor and not recipient:
        return None
    if e.pos == "noun" and e.prep and not recipient:
        return None  # "a press conference with …" / "a call for … by …" without the party
    # -- negation, modality, attribution
    verb = clauses.clause_verb(tok if e.pos != "aux" else tok.head)
    negated = clauses.negated(tok, verb)
    attributed = attribution(ctx, args, tok, e, speaker_toks, quotes)
    modality = clauses.modality(tok, verb, sent, attributed is not None or speech is not None)
    if e.pos == "aux":
        modality = "asserted"
    conditional_threat = modality == "future" and clauses.threat_condition(verb)
    etype, mode, modality, negated = _intent(lex, e, modality, negated, conditional_threat)
    if not full:
        return _sketch(coder, sref, tok, etype=etype, mode=mode, context=tuple(e.context),
                       actor=actor, recipient=recipient, negated=negated, modality=modality,
                       attributed=attributed, symmetric=e.symmetric and etype == e.type)
    return build_event(
        coder, sent, sref, tok, etype=etype, mode=mode, context=tuple(e.context),
        trig=trigger_span(ctx, lex, tok, e), actor=actor, recipient=recipient,
        negated=negated, modality=modality, attributed=attributed,
        symmetric=e.symmetric and etype == e.type, extractor=EXTRACTOR, entry=e)


def build_event(coder: Coder, sent: SpacySpan, sref: SentenceRef, tok: Token, *, etype: str,
                mode: str | None, context: tuple[str, ...], trig: Span,
                actor: Sequence[ActorRef], recipient: Sequence[ActorRef], negated: bool,
                modality: str, attributed: ActorRef | None, symmetric: bool, extractor: str,
                entry: TriggerEntry | None = None, confidence: float | None = None) -> Event:
    """The ``Event`` record of a coded trigger: the CAMEO crosswalk of its type and mode, its
    place and date, ``historical`` modality for old events, its confidence (given, else from
    the lexicon entry) and its content-hash id."""
    from .. import dates as dates_mod
    from .. import places as places_mod

    ctx, lex = coder.ctx, coder.lex
    if mode is not None and mode not in lex.types[etype].modes:
        mode = None
    cameo, quad, goldstein = lex.types[etype].crosswalk(mode)
    location = places_mod.event_location(ctx, sent, tok)
    date_value, date_basis = dates_mod.event_date(ctx, sent, tok)
    if (modality == "asserted" and date_basis == "text"
            and long_before(date_value, ctx.published, HISTORICAL_DAYS)):
        modality = "historical"  # "In 2014, Russia annexed Crimea": background, not news
    actor_t = tuple(actor)
    recipient_t = tuple(recipient)
    if attributed is None and quad in (2, 4):
        # a deed a headline credits to a source with a colon (a verbal act there is the
        # source's own: "Syrian Coalition: Targeting civilians is terrorism" accuses)
        attributed = _colon_source(coder.args, tok)
    if confidence is None:
        confidence = _confidence(entry, actor_t, recipient_t, modality)
    return Event(
        id=event_id(ctx.doc_id, etype, trig, actor_t, recipient_t),
        doc_id=ctx.doc_id,
        run_id=ctx.run_id,
        sentence=sref,
        event_type=etype,
        mode=mode,
        context=context,
        cameo=cameo,
        quad_class=quad,
        goldstein=goldstein,
        trigger=trig,
        actor=actor_t,
        recipient=recipient_t,
        negated=negated,
        modality=modality,
        attributed_to=attributed,
        location=location,
        date=date_value,
        date_basis=date_basis,
        date_precision=dates_mod.date_precision(date_value),
        confidence=confidence,
        extractor=extractor,
        symmetric=symmetric,
    )


def _sketch(coder: Coder, sref: SentenceRef, tok: Token, *, etype: str, mode: str | None,
            context: tuple[str, ...], actor: Sequence[ActorRef],
            recipient: Sequence[ActorRef], negated: bool, modality: str,
            attributed: ActorRef | None, symmetric: bool) -> Event:
    """The rule event at ``tok`` as the trained coder reads it (``coded_triggers(...,
    full=False)``): what ``build_event`` makes of type, mode, context and parties; the
    trigger is the token alone, and place, date, CAMEO code, confidence and id are left
    empty (``historical`` is never set)."""
    ctx, lex = coder.ctx, coder.lex
    if mode is not None and mode not in lex.types[etype].modes:
        mode = None
    return Event(
        id="", doc_id=ctx.doc_id, run_id=ctx.run_id, sentence=sref, event_type=etype,
        mode=mode, context=context, cameo=None, quad_class=None, goldstein=None,
        trigger=ctx.tspan(tok), actor=tuple(actor), recipient=tuple(recipient),
        negated=negated, modality=modality, attributed_to=attributed, location=None,
        date=None, date_basis=None, confidence=0.0, extractor=EXTRACTOR, symmetric=symmetric)


def attribution(ctx: DocContext, args: Arguments, tok: Token, e: TriggerEntry | None,
                speaker_toks: list[Token], quotes: _Quotes) -> ActorRef | None:
    """The speaker of the quote the trigger is in, else the subject of its speech verb."""
    abs_start = ctx.abs(tok.idx)
    for qs, qe, speaker in quotes:
        if qs <= abs_start < qe and speaker is not None:
            return speaker
    if speaker_toks and (e is None or e.pos != "aux"):
        return _speaker_ref(args, speaker_toks[0])
    return None


def _speaker_ref(args: Arguments, tok: Token) -> ActorRef | None:
    """The speaker a word names: the reference that covers the word itself, not a name
    modifying it ("local media" after "the town of Al Tabqah": the media speak); else a
    noun's own phrase (a source the actor index does not know, "Al Mayadeen TV channel":
    country and sector unknown); else the party a pronoun stands for."""
    at = args.ctx.abs(tok.idx)
    refs = args.refs(tok)
    own = [r for r in refs if r.start <= at < r.end]
    if own:
        return own[0]
    if tok.pos_ in ("NOUN", "PROPN"):
        return args.minimal_ref(tok)
    return refs[0] if refs else None


_COLON_SOURCE_MAX = 5  # words of a source named before or after a headline's colon


def _colon_source(args: Arguments, tok: Token) -> ActorRef | None:
    """The source a headline names with a colon: "Syrian Coalition: Russia offering ...",
    "20:08 Abdah: Assad's bombing of Aleppo ...", "... bombard Damascus suburbs after gas
    attack: activists". The words on the other side of the colon from the trigger are a
    short phrase of nouns and names, no verb."""
    sent = tok.sent
    colons = [t.i for t in sent if t.text == ":"]
    if len(colons) != 1:
        return None
    c = colons[0]
    if tok.i > c:
        # (a time or date before the source is no part of it: "20:08 Syrian Coalition:")
        side = [t for t in sent.doc[sent.start:c]
                if not (t.like_num or t.is_punct or any(ch.isdigit() for ch in t.text))]
    else:
        side = [t for t in sent.doc[c + 1:sent.end] if not t.is_punct]
    if (not side or len(side) > _COLON_SOURCE_MAX
            or any(t.pos_ in ("VERB", "AUX", "PRON", "NUM") for t in side)
            or not any(t.pos_ in ("NOUN", "PROPN") for t in side)
            or (tok.i > c and not any(t.text[:1].isupper() for t in side))):
        return None  # (a scraped "title:" label before a headline is no source)
    return _speaker_ref(args, next(t for t in reversed(side) if t.pos_ in ("NOUN", "PROPN")))


def _intent(lex: Lexicon, e: TriggerEntry, modality: str, negated: bool,
            conditional_threat: bool) -> tuple[str, str | None, str, bool]:
    """(type, mode, modality, negated) after the PLOVER/CAMEO intent rule: announced future
    actions are promises (AGREE; REJECT when refused) or threats (THREATEN)."""
    etype, mode = e.type, e.mode
    intent = lex.intent
    if conditional_threat and etype in intent.cooperative and not negated:
        etype, mode, modality = "THREATEN", None, "asserted"
    elif modality == "future" and etype in intent.cooperative:
        if negated:
            etype, mode, negated = "REJECT", None, False
        else:
            etype, mode = "AGREE", None
        modality = "asserted"
    elif modality == "future" and etype in intent.conflictual and not negated:
        mode = intent.threat_modes.get(f"{etype}/{mode}") or intent.threat_modes.get(etype)
        etype = "THREATEN"
        modality = "asserted"
    return etype, mode, modality, negated


def _confidence(e: TriggerEntry | None, actor: Sequence[ActorRef],
                recipient: Sequence[ActorRef], modality: str) -> float:
    if e is None:
        return 0.5
    confidence = e.confidence
    if actor and recipient:
        confidence += 0.1
    if not actor:
        confidence -= 0.15
    if e.pos == "noun":
        confidence -= 0.05
    if modality != "asserted":
        confidence -= 0.05
    return round(max(0.05, min(0.99, confidence)), 2)


def event_id(doc_id: str, etype: str, trigger: Span, actor: Sequence[ActorRef],
              recipient: Sequence[ActorRef]) -> str:
    key = "|".join([doc_id, etype, str(trigger.start), str(trigger.end),
                    ",".join(f"{a.start}-{a.end}" for a in actor),
                    ",".join(f"{r.start}-{r.end}" for r in recipient)])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def long_before(value: str | None, published: dt.date | None, days: int) -> bool:
    """Whether the latest day ``value`` can mean lies more than ``days`` before
    ``published`` (False when either is unknown)."""
    from ..dates import last_day

    last = last_day(value)
    return last is not None and published is not None and (published - last).days > days
