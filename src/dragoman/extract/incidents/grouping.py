"""Incidents within a document: event mentions of the same happening merged into one record.

Which mentions are one happening: the rules propose, the event model's happening model
decides. Two mentions *can* be one happening when they have the same event type and the
same negation, and both or neither are about an earlier happening (``happening_pairs``).
The happening model (``pairs.py``; trained by ``dragoman train events`` from the article
gold's happening marks) gives each such pair a probability, and the mentions, in text
order, each join the incident whose mentions they are the same happening as with the
highest mean probability, when it reaches the model's threshold (``group_by_model``). A
model without a happening model (or the rules-only coder) groups by the rules alone
(``group_by_rules``): each mention joins the first incident it is compatible with —
actors, targets, places and dates compatible (a missing value is compatible with
anything; two countries that differ, two places in different first-order divisions, two
stated days that differ are not; ``same_happening``). Either way a headline, a lead and
the body that restate one raid give one incident. Casualty figures join the ASSAULT incident of
their sentence, else the nearest one before them (a casualty update after the lead), else
they make an incident of their own (a dispatch that only counts the dead).

Earlier happenings the story recalls are kept apart: a sentence that states only dates
well before publication ("a sarin attack in Ghouta in August 2013") is background — its
figures are kept but count in no toll, and its event mentions form incidents of their own.

The incident's place is the most specific place of its sentences that is in the
document's main country (the one its towns and provinces lie in), preferring the
first-order division the story opens with — never the dateline, a metonym ("Moscow
wants") or a source's base ("the Britain-based Observatory"). A town or province named
inside another name ("the Homs governor") counts after the others. When its sentences
name only the country, it is the story's first town, province or site outside background
sentences. An attack whose sentences name no cause takes the cause the story names most.

An attack whose mentions name no attacker the knowledge base knows takes it from the
modifiers of its attack nouns ("Russian strikes", "regime bombing", "US-led coalition
raids") and their "by" phrases ("raids by government warplanes"), resolved through the
document's actors; "the regime" with no country is the government of the story's country.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from spacy.attrs import LEMMA, POS

from ...types import (
    ActorRef,
    CasualtyFigure,
    Event,
    Incident,
    IncidentPlace,
    Place,
    Span,
)
from ..boilerplate import token_column
from ..context import DocContext
from ..places.not_places import attributive
from .casualties import find_figures, resolve_casualties
from .lexicon import IncidentLexicon, load_incident_lexicon
from .pairs import (
    Mention,
    opens_with,
    pair_features,
    party_keys,
    refers_back,
    sentence_names,
)
from .when import date_precision, is_past, old_sentences, past_sentences

__all__ = ["Scene", "build_incidents", "cause_of", "date_precision", "document_mentions",
           "document_scene", "group_by_model", "group_by_rules", "happening_pairs",
           "precision_of", "same_happening"]

_VIOLENT = "ASSAULT"
_PRECISION_RANK = {"site": 0, "town": 1, "district": 2, "province": 3, "country": 4}
_BASED = ("-based", " based", "–based")
_SIDE = ("pro-", "anti-", "pro–", "anti–")


def precision_of(feature: str | None) -> str:
    """site | town | district | province | country from a GeoNames feature class.code."""
    if not feature:
        return "town"
    cls, _, code = feature.partition(".")
    if cls == "A":
        if code.startswith("PCL"):
            return "country"
        if code == "ADM1":
            return "province"
        return "district"
    if cls == "P":
        return "site" if code in ("PPLX",) else "town"
    if feature == "L.RGN":
        return "district"  # a region of regions.yaml ("Eastern Ghouta", "Qalamoun")
    if cls in ("S", "L", "T", "H", "R", "V", "U"):
        return "site"
    return "town"


def _actors_compatible(a: Sequence[ActorRef], b: Sequence[ActorRef],
                       keys_a: tuple[AbstractSet[str], AbstractSet[str]] | None = None,
                       keys_b: tuple[AbstractSet[str], AbstractSet[str]] | None = None
                       ) -> bool:
    """Missing on either side, a shared name, or countries that are not disjoint
    (``keys_a``, ``keys_b``: ``party_keys`` of ``a`` and ``b`` when the caller has them)."""
    if not a or not b:
        return True
    na, ca = keys_a if keys_a is not None else party_keys(a)
    nb, cb = keys_b if keys_b is not None else party_keys(b)
    if na & nb:
        return True
    return not (ca and cb and not ca & cb)


def _place_compatible(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return True
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    pa, pb = precision_of(a.feature), precision_of(b.feature)
    if "country" in (pa, pb):
        return True
    ra = a.admin1 or (a.name if pa == "province" else None)
    rb = b.admin1 or (b.name if pb == "province" else None)
    return ra is None or rb is None or ra == rb


def _date_compatible(a: Event, b: Event) -> bool:
    """Missing on either side, either only a default (the publication or dateline date), or
    one date within the other ("2016-06" and "2016-06-25")."""
    if a.date is None or b.date is None or a.date_basis != "text" or b.date_basis != "text":
        return True
    return a.date.startswith(b.date) or b.date.startswith(a.date)


#: ``party_keys`` of an event's actors and of its targets (``Mention.actor_keys``,
#: ``target_keys``)
_PartyKeys = tuple[tuple[AbstractSet[str], AbstractSet[str]],
                   tuple[AbstractSet[str], AbstractSet[str]]]


def same_happening(a: Event, b: Event, place_a: Place | None = None,
                   place_b: Place | None = None, keys_a: _PartyKeys | None = None,
                   keys_b: _PartyKeys | None = None) -> bool:
    """Whether two event mentions of one document can describe the same happening
    (``keys_a``, ``keys_b``: their parties' keys when the caller holds them)."""
    if a.event_type != b.event_type or a.negated != b.negated:
        return False
    (actors_a, targets_a), (actors_b, targets_b) = keys_a or (None, None), keys_b or (None, None)
    return (_actors_compatible(a.actor, b.actor, actors_a, actors_b)
            and _actors_compatible(a.recipient, b.recipient, targets_a, targets_b)
            and _place_compatible(place_a, place_b)
            and _date_compatible(a, b))


def _cause_matches(span: Span, lex: IncidentLexicon,
                   cache: dict[tuple[int, int], list[tuple[str, Span]]] | None = None
                   ) -> list[tuple[str, Span]]:
    """The cause cue phrases of one text span, in order: (cause, where); ``cache`` keeps
    them per span across calls for one document."""
    key = (span.start, len(span.text))
    if cache is not None and key in cache:
        return cache[key]
    found = [(lex.cause_of_match(m.group(0)),
              Span(span.start + m.start(), span.start + m.end(), m.group(0)))
             for m in lex.cause_rx.finditer(span.text)]
    if cache is not None:
        cache[key] = found
    return found


def cause_of(texts: Sequence[Span], lex: IncidentLexicon,
             cache: dict[tuple[int, int], list[tuple[str, Span]]] | None = None
             ) -> tuple[str, Span | None]:
    """The cause the cue phrases of ``texts`` name most; of causes named as often, the one
    named first (the lead says what happened: "fighting between two militias killed 27"
    is combat, whatever a resident's "the shooting did not stop" adds later)."""
    from .lexicon import CAUSES

    counts: Counter[str] = Counter()
    first: dict[str, Span] = {}
    for span in texts:
        for cause, where in _cause_matches(span, lex, cache):
            counts[cause] += 1
            first.setdefault(cause, where)
    if not counts:
        return "unknown", None
    best = max(counts, key=lambda c: (counts[c], -first[c].start, -CAUSES.index(c)))
    return best, first[best]


def _based(ctx: DocContext, p: Place) -> bool:
    """A source's base ("Britain-based") or a side's ("pro-Damascus media"): no place
    where anything happened."""
    after = ctx.article.text[p.end:p.end + 7].lower()
    before = ctx.article.text[max(0, p.start - 5):p.start].lower()
    return (after.startswith(_BASED) or before.endswith(_SIDE) or attributive(ctx, p.end))


def _main_country(places: Sequence[Place]) -> str | None:
    """The country the story happens in: the one named most, a town, province or site
    counting twice (a country's name is often an actor's, "the US said", or a source's),
    its demonym once ("Syrian rebels", "the Syrian army": the wounded taken to a Turkish
    border town do not move the story to Turkey); a tie goes to the country named first."""
    counts: Counter[str] = Counter()
    for p in places:
        if p.country and p.role in ("mention", "event_location"):
            counts[p.country] += 1 if precision_of(p.feature) == "country" else 2
        elif p.country and p.role == "demonym":
            counts[p.country] += 1
    return counts.most_common(1)[0][0] if counts else None


def _usable(ctx: DocContext, p: Place) -> bool:
    """A place that can locate an incident: a mention or an event location, or a town or
    province named inside another name ("the Homs governor"); never a source's base."""
    if _based(ctx, p):
        return False
    if p.role in ("mention", "event_location"):
        return True
    return p.role == "embedded" and precision_of(p.feature) != "country"


_MODIFIERS = ("amod", "compound", "nmod", "poss", "npadvmod")
_WORD_BREAK = re.compile(r"[\s\-]+")
_FILLER = frozenset({"the", "a", "an", "air", "its", "their", "of", "and", "-", "led"})


@functools.lru_cache(maxsize=1)
def _agency_names() -> frozenset[str]:
    """The news agencies' names and aliases (``data/ingest/agencies.yaml``), lower case."""
    from ...ingest.dateline import default_lexicon

    return frozenset(n.lower() for a in default_lexicon().agencies
                     for n in (a.name, *a.aliases))


def _is_agency(r: ActorRef) -> bool:
    """Whether a party is only a news agency's name ("REUTERS", "AFP")."""
    return r.text.strip(" ()-").lower() in _agency_names()


def _names_someone(r: ActorRef, lex: IncidentLexicon) -> bool:
    """An actor the text names (not "air strikes" taken for one, not a pronoun, not the
    victims): a knowledge-base entry, or a country with a sector other than civilians,
    said with a word besides attack nouns."""
    if r.kind == "pronoun" or r.sector == "CVL":
        return False
    words = [w for w in _WORD_BREAK.split(r.text.lower()) if w and w not in _FILLER]
    if r.kb_id is None and any(w in lex.unnamed_attackers for w in words):
        return False  # "gunmen", "a suicide bomber", "terrorist groups": whoever it was
    if r.kb_id is None and (r.country is None or r.sector is None):
        return False
    return any(w not in lex.attack_nouns and w.rstrip("s") not in lex.attack_nouns
               and w not in lex.cause_of for w in words)


# Per-document token data for ``_perpetrators`` and ``_claimants``. ``_perpetrators`` runs
# once per incident and used to walk every sentence of the doc (``doc.sents``) and make a
# spaCy token of each of their words to find the attack nouns; ``_claimants`` did the same
# for the claim verbs. The token indexes they look for depend only on the doc and the
# vocabulary, so they are found once per doc from the token columns (``token_column``:
# plain lists, no spaCy token per test), by sentence, and kept in ``doc.user_data`` with
# the vocabulary they were found with.


def _lemma_tokens(ctx: DocContext, key: str, lemmas: frozenset[str],
                  pos: tuple[str, ...]) -> dict[int, list[int]]:
    """Doc-relative sentence index → the token indexes of that sentence, in order, whose
    lower-case lemma is in ``lemmas`` and whose part of speech is in ``pos`` (sentences
    in order, only those with such a token); found once per doc and vocabulary."""
    cache: dict[str, tuple[frozenset[str], dict[int, list[int]]]] = (
        ctx.doc.user_data.setdefault("dragoman_incident_tokens", {}))
    hit = cache.get(key)
    if hit is not None and hit[0] is lemmas:
        return hit[1]
    pos_col, lemma_col = token_column(ctx.doc, POS), token_column(ctx.doc, LEMMA)
    wanted = {lemma for lemma in set(lemma_col) if lemma.lower() in lemmas}
    starts = ctx._sentence_starts()
    found: dict[int, list[int]] = {}
    for i, lemma in enumerate(lemma_col):
        if lemma in wanted and pos_col[i] in pos:
            found.setdefault(bisect.bisect_right(starts, i) - 1, []).append(i)
    cache[key] = (lemmas, found)
    return found


def _attack_noun_tokens(ctx: DocContext, lex: IncidentLexicon) -> dict[int, list[int]]:
    """The doc's attack nouns ("strikes", "bombing"): ``_lemma_tokens``."""
    return _lemma_tokens(ctx, "attack_nouns", lex.attack_nouns, ("NOUN", "PROPN"))


def _perpetrators(ctx: DocContext, sentences: Sequence[int], lex: IncidentLexicon,
                  country: str | None) -> list[ActorRef]:
    """The attackers named as modifiers of attack nouns in ``sentences`` ("Russian
    strikes", "regime bombing", "coalition air raids"), or in a "by" phrase after one
    ("raids by government warplanes")."""
    if ctx.actors is None or not sentences:
        return []
    kb = getattr(ctx.resources, "kb", None) if ctx.resources is not None else None
    sectors = getattr(kb, "sectors", None)
    government: frozenset[str] = getattr(sectors, "government_nouns", None) or frozenset()
    wanted = set(sentences)
    out: list[ActorRef] = []

    def take(tok: Any, depth: int) -> None:
        refs = ctx.actors.refs_for(tok) if ctx.actors is not None else []
        if not refs and country is not None and tok.lemma_.lower() in government:
            span = ctx.tspan(tok)
            refs = [ActorRef(span.text, span.start, span.end, None, None, None, None, "group")]
        for r in refs:
            if r.country is None and r.kb_id is None and country is not None and (
                    tok.lemma_.lower() in government):
                # "regime bombs": the government of the story's country
                r = dataclasses.replace(r, country=country, sector="GOV")
            if _names_someone(r, lex):
                out.append(r)
        if not refs and depth < 1:
            for c in tok.children:  # "US-led", "coalition air strikes"
                if c.dep_ in _MODIFIERS and c.i < tok.i:
                    take(c, depth + 1)

    doc = ctx.doc
    for k, nouns in _attack_noun_tokens(ctx, lex).items():
        if ctx.sent_base + k not in wanted:
            continue
        for i in nouns:
            t = doc[i]
            for c in t.children:
                if c.dep_ in _MODIFIERS and c.i < t.i:
                    take(c, 0)
                elif c.dep_ == "prep" and c.lower_ == "by":
                    for o in c.children:
                        if o.dep_ == "pobj":
                            if o.lemma_.lower() in lex.attack_nouns:
                                for m in o.children:
                                    if m.dep_ in _MODIFIERS and m.i < o.i:
                                        take(m, 0)
                            else:
                                take(o, 0)
    return out


def _attack_at(violent: Sequence[_Group], i: int) -> _Group | None:
    """The attack sentence ``i`` is about: the one it belongs to, else the one whose last
    sentence before it is nearest, else the story's first (None when there is none)."""
    here = [g for g in violent if i in g.sentences]
    if here:
        return here[0]
    before = [g for g in violent if g.sentences and min(g.sentences) <= i]
    if before:
        return max(before, key=lambda g: max(k for k in g.sentences if k <= i))
    return violent[0] if violent else None


_MODALS = frozenset({"may", "might", "could", "would", "should"})


def _claimants(ctx: DocContext, lex: IncidentLexicon) -> dict[int, list[ActorRef]]:
    """Sentence index → the parties its claims of responsibility name: the subject of
    "claimed responsibility / the attack", the "by" phrase of "a blast claimed by X";
    never a negated or modal claim ("no group has claimed", "may claim")."""
    out: dict[int, list[ActorRef]] = {}
    if ctx.actors is None or not lex.claim_verbs:
        return out
    objects = lex.claim_objects | lex.attack_nouns
    doc = ctx.doc
    verbs = _lemma_tokens(ctx, "claim_verbs", lex.claim_verbs, ("VERB", "AUX"))
    for k, tokens in verbs.items():
        for i in tokens:
            t = doc[i]
            if any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in _MODALS)
                   for c in t.children):
                continue
            who: list[Any] = []
            if any(c.dep_ == "dobj" and c.lemma_.lower() in objects for c in t.children):
                who = [c for c in t.children if c.dep_ == "nsubj"]
            claimed = t.head.lemma_.lower() in lex.attack_nouns and t.dep_ == "acl" or any(
                c.dep_ == "nsubjpass" and c.lemma_.lower() in objects for c in t.children)
            if claimed:
                who += [o for c in t.children if c.dep_ == "agent"
                        for o in c.children if o.dep_ == "pobj"]
            refs = [r for w in who for r in ctx.actors.refs_for(w)
                    if _names_someone(r, lex)]
            if refs:
                out.setdefault(ctx.sent_base + k, []).extend(refs)
    return out


class _Group:
    def __init__(self, first: Event | None, place: Place | None) -> None:
        self.events: list[Event] = [first] if first is not None else []
        self.place = place
        self.sentences: dict[int, Span] = {}
        self.figures: list[CasualtyFigure] = []
        self.past: set[int] = set()  # its sentences about an earlier happening
        #: sentences of no incident that say its attacker is unknown ("there was no
        #: immediate claim of responsibility")
        self.doubts: list[Span] = []
        #: who a claim of responsibility in its sentences (or in a sentence of no incident
        #: after it) names: "Islamic State claimed responsibility for the bombing"
        self.claims: list[ActorRef] = []


@dataclasses.dataclass
class Scene:
    """What the grouping reads of a whole document: its sentences, which of them recall an
    earlier happening, its usable places, its main country and its casualty figures."""

    sent_spans: dict[int, Span]
    past: set[int]
    usable: list[Place]
    current: list[Place]
    country: str | None
    figures: list[CasualtyFigure]
    by_span: dict[tuple[int, int], Place]
    based: Callable[[Place], bool]  # a source's base or a side's
    #: the cause cue phrases found per sentence span (``_cause_matches``), found once
    causes: dict[tuple[int, int], list[tuple[str, Span]]] = dataclasses.field(
        default_factory=dict)

    def place_of(self, e: Event) -> Place | None:
        """The event's location when it can locate an incident (in the main country)."""
        if e.location is None:
            return None
        p = self.by_span.get((e.location.start, e.location.end))
        if p is None or self.based(p) or (self.country and p.country != self.country):
            return None
        return p


def document_scene(ctx: DocContext, lex: IncidentLexicon,
                   figures: list[CasualtyFigure] | None = None) -> Scene:
    """What the grouping reads of the whole document (``figures``: its casualty figures
    when already found)."""
    figures = find_figures(ctx) if figures is None else figures
    by_span = {(p.start, p.end): p for p in ctx.places}
    past = past_sentences(ctx)
    sent_spans: dict[int, Span] = {}
    for sent in ctx.doc.sents:
        ref = ctx.sentence_ref(sent)
        sent_spans[ref.index] = Span(ref.start, ref.end, ref.text)
    usable = [p for p in ctx.places if _usable(ctx, p)]
    # (the places of earlier happenings do not decide where this story happens)
    current = [p for p in usable
               if not any(sent_spans[i].start <= p.start < sent_spans[i].end for i in past
                          if i in sent_spans)]
    demonyms = [p for p in ctx.places if p.role == "demonym" and not any(
        sent_spans[i].start <= p.start < sent_spans[i].end for i in past if i in sent_spans)]
    country = _main_country(sorted([*(current or usable), *demonyms], key=lambda p: p.start))
    if country is not None:
        usable = [p for p in usable if p.country == country]
        current = [p for p in current if p.country == country]
    stale = past | old_sentences(ctx, lex.old_days)
    figures = [dataclasses.replace(f, background=True)
               if f.sentence_index in stale and not f.background else f for f in figures]
    return Scene(sent_spans, past, usable, current, country, figures, by_span,
                  functools.partial(_based, ctx))


def document_mentions(ctx: DocContext, scene: Scene, events: Sequence[Event],
                      lex: IncidentLexicon) -> list[Mention]:
    """The document's events in text order, each with what the pair features read."""
    figures: dict[int, set[tuple[str, int]]] = {}
    for f in scene.figures:
        if f.count.low is not None and not f.subset:
            figures.setdefault(f.sentence_index, set()).add((f.kind, f.count.low))
    causes: dict[int, frozenset[str]] = {}
    names: dict[int, frozenset[str]] = {}
    places: dict[int, frozenset[int]] = {}
    turns: dict[int, bool] = {}
    out = []
    for e in sorted(events, key=lambda e: (e.sentence.index, e.trigger.start)):
        i = e.sentence.index
        if i not in causes:
            causes[i] = frozenset(c for c, _ in _cause_matches(
                Span(e.sentence.start, e.sentence.end, e.sentence.text), lex, scene.causes))
            names[i] = sentence_names(e.sentence.text, lex.not_names)
            places[i] = frozenset(p.geonameid for p in scene.usable
                                  if p.geonameid is not None
                                  and e.sentence.start <= p.start < e.sentence.end)
            turns[i] = opens_with(e.sentence.text, lex.new_happening)
        out.append(Mention(e, scene.place_of(e), names[i], frozenset(figures.get(i, ())),
                           causes[i], refers_back(e, lex.refer_back),
                           e.date_basis == "text" and is_past(ctx, e.date), places[i],
                           turns[i]))
    return out


def happening_pairs(mentions: Sequence[Mention]) -> dict[tuple[int, int], dict[str, float]]:
    """(i, j) → the features of mentions i < j that can be one happening at all: same type,
    same negation, both or neither about an earlier happening."""
    by_type: dict[str, list[int]] = {}
    for k, m in enumerate(mentions):
        by_type.setdefault(m.event.event_type, []).append(k)
    out: dict[tuple[int, int], dict[str, float]] = {}
    for ks in by_type.values():
        sents = [mentions[k].event.sentence.index for k in ks]
        # (mentions in text order, as ``document_mentions`` gives them: the mentions in
        # the sentences between two are counted by bisection, not by a scan per pair)
        ordered = all(p <= q for p, q in itertools.pairwise(sents))
        for x, i in enumerate(ks):
            a = mentions[i]
            for y in range(x + 1, len(ks)):
                b = mentions[ks[y]]
                if a.event.negated != b.event.negated or a.earlier != b.earlier:
                    continue
                s0, s1 = sents[x], sents[y]
                if ordered:
                    between = max(0, bisect.bisect_left(sents, s1)
                                  - bisect.bisect_right(sents, s0))
                else:
                    between = sum(1 for s in sents if s0 < s < s1)
                rules = same_happening(a.event, b.event, a.place, b.place,
                                       (a.actor_keys, a.target_keys),
                                       (b.actor_keys, b.target_keys))
                out[(i, ks[y])] = pair_features(a, b, len(ks), between, rules)
    return out


def group_by_model(mentions: Sequence[Mention], model: Any, threshold: float,
                   pairs: dict[tuple[int, int], dict[str, float]] | None = None
                   ) -> list[list[int]]:
    """Mentions in text order, each joining the incident whose mentions it is the same
    happening as with the highest mean probability (at least ``threshold``), else starting
    its own (``pairs``: ``happening_pairs(mentions)`` when the caller has it)."""
    if pairs is None:
        pairs = happening_pairs(mentions)
    keys = list(pairs)
    proba: dict[tuple[int, int], float] = {}
    if keys:
        same = model.classes.index("same")
        probs = model.proba_many([pairs[k] for k in keys])[:, same]
        proba = dict(zip(keys, probs.tolist(), strict=True))
    groups: list[list[int]] = []
    for j in range(len(mentions)):
        best: list[int] | None = None
        best_p = threshold
        for g in groups:
            if any((i, j) not in proba for i in g):
                continue  # another type, or a pair the rules rule out
            mean = sum(proba[(i, j)] for i in g) / len(g)
            if mean >= best_p:
                best, best_p = g, mean
        if best is None:
            groups.append([j])
        else:
            best.append(j)
    return groups


def group_by_rules(mentions: Sequence[Mention]) -> list[list[int]]:
    """Mentions in text order, each joining the first incident every mention of which it
    is compatible with (``same_happening``)."""
    groups: list[list[int]] = []
    places: list[Place | None] = []  # each incident's first place
    for j, m in enumerate(mentions):
        for k, g in enumerate(groups):
            # (an earlier happening, "in August 2013", is not the one the story reports)
            if mentions[g[0]].earlier == m.earlier and all(
                    same_happening(m.event, mentions[i].event, m.place, places[k])
                    for i in g):
                g.append(j)
                places[k] = places[k] or m.place
                break
        else:
            groups.append([j])
            places.append(m.place)
    return groups


def build_incidents(ctx: DocContext, events: Sequence[Event]
                    ) -> tuple[tuple[Incident, ...], tuple[Event, ...]]:
    """The document's incidents, and its events with ``incident_id`` set."""
    lex = load_incident_lexicon()
    figures = find_figures(ctx)
    if not events and not figures:
        return (), tuple(events)
    scene = document_scene(ctx, lex, figures)
    sent_spans, past, usable, current = (scene.sent_spans, scene.past, scene.usable,
                                         scene.current)
    country, figures = scene.country, scene.figures
    mentions = document_mentions(ctx, scene, events, lex)
    model = getattr(getattr(ctx.resources, "event_model", None), "happenings", None)
    if model is not None:
        threshold = ctx.resources.event_model.happening_threshold  # type: ignore[union-attr]
        index_groups = group_by_model(mentions, model, threshold)
    else:
        index_groups = group_by_rules(mentions)

    earlier = {m.event.id for m in mentions if m.earlier}
    groups: list[_Group] = []
    owner: dict[str, _Group] = {}
    for ks in index_groups:
        g = _Group(None, next((mentions[k].place for k in ks
                               if mentions[k].place is not None), None))
        for k in ks:
            e = mentions[k].event
            g.events.append(e)
            owner[e.id] = g
            g.sentences[e.sentence.index] = sent_spans.get(
                e.sentence.index, Span(e.sentence.start, e.sentence.end, e.sentence.text))
        groups.append(g)
    # a toll of the whole war recalled as a killing ("more than 300,000 people have been
    # killed since the conflict began in 2011") is no happening: its mentions, dated before
    # the story, stand in sentences whose every figure is background; no incident for them
    by_sentence: dict[int, list[CasualtyFigure]] = {}
    for f in figures:
        by_sentence.setdefault(f.sentence_index, []).append(f)
    tolls = [g for g in groups if g.events and g.events[0].event_type == _VIOLENT
             and all(e.id in earlier and by_sentence.get(e.sentence.index)
                     and all(f.background for f in by_sentence[e.sentence.index])
                     for e in g.events)]
    if tolls:
        groups = [g for g in groups if g not in tolls]
        owner = {k: g for k, g in owner.items() if g not in tolls}
    violent = [g for g in groups if g.events and g.events[0].event_type == _VIOLENT]
    for f in figures:
        target = _attack_at(violent, f.sentence_index)
        if target is None:
            target = _Group(None, None)
            groups.append(target)
            violent.append(target)
        target.figures.append(f)
        # (a background figure, a war's toll or an earlier attack's, is kept with the
        # incident's figures but its sentence is no evidence of where or how it happened)
        if f.sentence_index in sent_spans and (not f.background or not target.sentences):
            target.sentences.setdefault(f.sentence_index, sent_spans[f.sentence_index])

    # a sentence of no incident that says no one knows who attacked is about the attack
    # before it (or the story's first): "... killed 24. It was unclear who carried out the raid"
    rx = lex.unknown_attacker_rx
    owned = {i for g in groups for i in g.sentences}
    for i, sp in sorted(sent_spans.items()):
        if rx is None or i in owned or i in past or not violent or not _says(rx, sp.text):
            continue
        doubted = _attack_at(violent, i)
        if doubted is not None:
            doubted.doubts.append(sp)

    # a claim of responsibility names the attacker of the attack of its sentence, or of the
    # attack before it when its sentence belongs to no incident ("... killed 44. Islamic
    # State claimed responsibility")
    for i, refs in sorted((_claimants(ctx, lex) if violent else {}).items()):
        if i in past:
            continue
        claimed = _attack_at(violent, i)
        if claimed is not None:
            claimed.claims.extend(refs)

    # the cause the story's own (not background) sentences name most: an attack whose
    # sentences name none ("the death toll rose to 58") is the story's attack
    story_cause = cause_of([sp for i, sp in sorted(sent_spans.items()) if i not in past], lex,
                           scene.causes)
    incidents: list[Incident] = []
    ids: dict[int, str] = {}
    for g in groups:
        g.past = past & set(g.sentences)
        incident = _incident(ctx, g, usable, current, lex, story_cause, country,
                             scene.causes)
        ids[id(g)] = incident.id
        incidents.append(incident)
    incidents = _with_story_attacker(incidents, groups, lex)
    coded = tuple(dataclasses.replace(e, incident_id=ids[id(owner[e.id])])
                  if e.id in owner else e for e in events)
    return tuple(incidents), coded


@functools.lru_cache(maxsize=1024)
def _says(rx: re.Pattern[str], text: str) -> bool:
    """Whether ``rx`` is found in ``text``. Kept for the last texts asked: each incident
    asks it of each of its sentences (``_attacker_unknown``, twice per attack) and the
    unknown-attacker phrases, with their gaps, are slow to search."""
    return rx.search(text) is not None


def _attacker_unknown(g: _Group, lex: IncidentLexicon) -> bool:
    """Whether the incident's own sentences, or a sentence of no incident after it, say no
    one knows who attacked ("it was unclear who carried out the raids", "no group has
    claimed responsibility")."""
    rx = lex.unknown_attacker_rx
    return rx is not None and (bool(g.doubts) or any(
        _says(rx, sp.text) for i, sp in g.sentences.items() if i not in g.past))


def _with_story_attacker(incidents: list[Incident], groups: Sequence[_Group],
                         lex: IncidentLexicon) -> list[Incident]:
    """An attack whose sentences name no attacker takes the one the story's attacks name
    most (outside its earlier happenings): "air strikes" in a story about "Russian
    strikes" are the Russian strikes."""
    counts: Counter[str] = Counter()
    first: dict[str, ActorRef] = {}
    for inc, g in zip(incidents, groups, strict=True):
        if inc.event_type != _VIOLENT or (g.sentences and all(i in g.past
                                                                for i in g.sentences)):
            continue
        for r in inc.actor:
            if _names_someone(r, lex):
                key = r.kb_id or f"{r.country}|{r.sector}"
                counts[key] += 1
                first.setdefault(key, r)
    if not counts:
        return incidents
    story = first[max(counts, key=lambda k: (counts[k], -list(first).index(k)))]
    return [dataclasses.replace(inc, actor=(*inc.actor, story))
            if inc.event_type == _VIOLENT and not _attacker_unknown(g, lex)
            and not any(_names_someone(r, lex) for r in inc.actor) else inc
            for inc, g in zip(incidents, groups, strict=True)]


def _division(p: Place) -> str | None:
    """A place's first-order division (a province is its own)."""
    return p.admin1 or (p.name if precision_of(p.feature) == "province" else None)


def _location(g: _Group, usable: Sequence[Place], current: Sequence[Place]
              ) -> IncidentPlace | None:
    spans = list(g.sentences.values())
    inside = [p for p in usable if any(s.start <= p.start < s.end for s in spans)]
    candidates = ([g.place] if g.place is not None else []) + inside
    if not any(precision_of(p.feature) != "country" for p in candidates) and spans:
        # the story's first town, province or site outside its background sentences (the
        # headline or lead says where the story happens)
        local = [p for p in current if precision_of(p.feature) != "country"]
        candidates = local[:1] or candidates
    if not candidates:
        return None
    # (of the incident's places, those in the division the story opens with first: "the
    # regime in Damascus" does not move an attack in Idlib)
    focus = next((_division(p) for p in current if precision_of(p.feature) != "country"),
                 None)
    best = min(candidates, key=lambda p: (focus is not None and _division(p) != focus,
                                          _PRECISION_RANK[precision_of(p.feature)],
                                          p.role == "embedded", p.start))
    precision = precision_of(best.feature)
    admin1 = best.admin1 or (best.name if precision == "province" else None)
    return IncidentPlace(text=best.text, start=best.start, end=best.end,
                         geonameid=best.geonameid, name=best.name, country=best.country,
                         admin1=admin1, lat=best.lat, lon=best.lon, precision=precision)


def _actor_key(r: ActorRef) -> str:
    return (r.kb_id or r.name or r.text).lower()


def _unique(refs: Sequence[ActorRef]) -> tuple[ActorRef, ...]:
    seen: set[str] = set()
    out = []
    for r in refs:
        key = _actor_key(r)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return tuple(out)


def _incident(ctx: DocContext, g: _Group, usable: Sequence[Place],
              current: Sequence[Place], lex: IncidentLexicon,
              story_cause: tuple[str, Span | None] = ("unknown", None),
              country: str | None = None,
              causes: dict[tuple[int, int], list[tuple[str, Span]]] | None = None
              ) -> Incident:
    evs = g.events
    spans = [g.sentences[i] for i in sorted(g.sentences)]
    dated = [e.date for e in evs if e.date and e.date_basis == "text"] or [
        e.date for e in evs if e.date]
    date = Counter(dated).most_common(1)[0][0] if dated else None
    attributed = next((e.attributed_to for e in evs if e.attributed_to is not None), None)
    source = (attributed.name or attributed.text) if attributed is not None else None
    violent = not evs or evs[0].event_type == _VIOLENT
    cause, cause_text = cause_of(spans, lex, causes) if violent else ("unknown", None)
    if violent and cause == "unknown" and not all(
            i in g.past for i in g.sentences):
        cause, cause_text = story_cause
    location = _location(g, usable, current)
    # (a news agency's credit read as a party, "(REUTERS) - A suicide attacker …", is the
    # report's source, not the attacker; civilians are an attack's victims, never its
    # attacker: a civilian party there is a role the coder got wrong, "people", or a town
    # read as its people in "a blast in the city of Qamishli killed 48")
    # ... nor is the bare name of the country it happened in ("Syrian" of "Syrian state
    # TV", "Syria" of "85 Syria troops" or "a Syria aid convoy": a state attacking in its
    # own land is named by its forces, "the regime", "the army")
    home = location.country if location is not None else None
    own_land = f"country:{home}" if violent and home is not None else None
    actors = [r for e in evs for r in e.actor
              if not _is_agency(r) and not (violent and r.sector == "CVL")
              and r.kb_id != own_land]
    # the party its mentions name most comes first (a stable sort: then text order): the
    # attacker a story repeats, not a one-off party of a side remark
    named_times = Counter(_actor_key(r) for r in actors)
    actors = sorted(actors, key=lambda r: -named_times[_actor_key(r)])
    if violent and _attacker_unknown(g, lex):
        actors = []  # the text says no one knows who it was: it names no attacker
    elif violent:
        # the attacker named as the attack's modifier ("Russian strikes") when the
        # mentions name none the knowledge base knows; after them otherwise
        named = _perpetrators(ctx, [i for i in sorted(g.sentences) if i not in g.past],
                              lex, country or (location.country if location else None))
        named = [r for r in named if r.kb_id != own_land]
        first_named = any(_names_someone(r, lex) for r in actors)
        actors = actors + named if first_named else named + actors
    if violent and g.claims:
        actors = [*g.claims, *actors]  # who claimed it comes first
    modes = Counter(e.mode for e in evs if e.mode)
    first = min([s.start for s in spans] or [0])
    key = f"{ctx.doc_id}|{first}|{'|'.join(sorted(e.id for e in evs))}"
    return Incident(
        id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:20],
        doc_id=ctx.doc_id,
        run_id=ctx.run_id,
        event_type=evs[0].event_type if evs else _VIOLENT,
        mode=modes.most_common(1)[0][0] if modes else None,
        event_ids=tuple(e.id for e in evs),
        evidence=tuple(spans),
        actor=_unique(actors),
        target=_unique([r for e in evs for r in e.recipient]),
        location=location,
        date=date,
        date_precision=date_precision(date),
        cause=cause,
        cause_text=cause_text,
        casualties=resolve_casualties(g.figures, source),
    )
