"""Place recognition: the document's candidate spans and their gazetteer candidates.

Owns ``Mention`` (one place mention with its candidates and, later, its choice) and
``find_mentions`` (spans the model tags GPE/LOC/FAC, PERSON/ORG/NORP spans and runs of
capitalised proper nouns, filtered by the stop words and looked up in the gazetteer, plus
the dateline place), and ``gazetteer_of`` (the context's gazetteer). Its word lists come
with the ``Gazetteer`` (``data/places/*.yaml``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..context import DocContext
from .gazetteer import (
    BROAD,
    FEATURE_ADM1,
    FEATURE_ADM2,
    FEATURE_CAPITAL,
    FEATURE_COUNTRY,
    FEATURE_REGION,
    Gazetteer,
)
from .translit import plain

__all__ = ["Mention", "find_mentions", "gazetteer_of", "particle_tail", "qualifier_after",
           "settle_qualifiers", "stripped_possessive"]

_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_HYPHENS = frozenset({"-", "‐", "–"})
# a place found by gazetteer lookup alone (not tagged GPE/LOC/FAC) must be this populous
# (a one-word name much more so: most one-word capitalised non-places are surnames)
_MIN_POP_UNTAGGED = 5000
MIN_POP_UNTAGGED_ONE_WORD = 100_000
_FUZZY_CUTOFF = 94.0
_MIN_POP_FUZZY = 10_000


@dataclass
class Mention:
    """One place mention: its span, its gazetteer candidates and (once resolved) its choice."""

    start: int  # doc token indexes [start, end); -1 for the dateline
    end: int
    text: str
    char_start: int  # original-text offsets
    char_end: int
    source: str  # ner | propn | person | org | dateline
    cands: list[int]
    quality: dict[int, float]
    qualifier: str | None = None  # "US.GA" or "US"
    weak: bool = False  # a lone untagged word: kept only if populous or in the focus
    choice: int | None = None
    score: float = 0.0
    # the votes of every mention of the same name (its own included), left out of its focus
    name_cc: Counter[str] = field(default_factory=Counter)
    name_a1: Counter[str] = field(default_factory=Counter)
    own_local: tuple[str, float] = ("", 0.0)  # its own vote for a first-order division
    # every candidate of the name, when only the broad ones were kept (a lone word the model
    # reads as a person or organisation, a name inside another): the story's named
    # divisions may bring back a town there ("Paris Public Library" in a story of Illinois)
    pool: list[int] = field(default_factory=list)
    # its US town candidates that lie in a county the story names (Huntsville, Texas beside
    # "Walker County")
    in_county: frozenset[int] = frozenset()


def _is_cap(tok: Token) -> bool:
    t = tok.text
    return bool(t) and (t[0].isupper() or (t[0].isdigit() is False and t.isupper()))


def _trim(span: SpacySpan) -> tuple[int, int] | None:
    """Token bounds of ``span`` from its first to its last capitalised token."""
    toks = [t for t in span if _is_cap(t)]
    if not toks:
        return None
    return toks[0].i, toks[-1].i + 1



def particle_tail(doc: Doc, end: int, articles: frozenset[str]) -> int:
    """Where a name ending at token ``end`` really ends when an Arabic article joined by a
    hyphen and a capitalised word follow it ("Salah" + "al-Din", "Ras" + "al-Ain"): the name
    is matched whole, never its first word alone. Repeats ("Abu al-Duhur al-Askari")."""
    n = len(doc)
    while (0 < end and end + 2 < n and doc[end - 1].whitespace_
           and doc[end].lower_ in articles and not doc[end].whitespace_
           and doc[end + 1].text in _HYPHENS and not doc[end + 1].whitespace_
           and _is_cap(doc[end + 2])):
        end += 3
    return end


def _surname(doc: Doc, text: str) -> bool:
    """Whether ``text`` is the last word of a person's name the document gives."""
    return any(ent.label_ == "PERSON" and len(ent) > 1 and ent[-1].text == text
               for ent in doc.ents)


def gazetteer_of(ctx: DocContext) -> Gazetteer:
    """The gazetteer of the context's resources (the default resources' when it has none)."""
    gaz = getattr(ctx.resources, "gazetteer", None)
    if isinstance(gaz, Gazetteer):
        return gaz
    from ..resources import default_resources

    default: Gazetteer = default_resources().gazetteer
    return default


def qualifier_after(gaz: Gazetteer, doc: Doc, end: int,
                    cands: Sequence[int] = ()) -> tuple[str | None, int]:
    """A ", Idaho" / ", Ga." / ", Syria" after token ``end``: (constraint, end token).

    A name that is both a division and a country ("Georgia") is read as the one a
    candidate of the place before it (``cands``) lies in: "Athens, Georgia" is the US
    state, "Tbilisi, Georgia" the country; with none inside either, the first reading."""
    if end + 1 >= len(doc) or doc[end].text != ",":
        return None, end
    for width in (3, 2, 1):
        stop = end + 1 + width
        if stop > len(doc):
            continue
        span = doc[end + 1:stop]
        if not _is_cap(span[0]):
            continue
        text = span.text
        k = gaz.key(text)
        if k in gaz.qualifiers:
            return gaz.qualifiers[k], stop
        readings: list[str] = []
        for i in gaz.lookup(text):
            f = gaz.feature[i]
            if f == FEATURE_ADM1 and plain(gaz.names[i], gaz.rules) == plain(text, gaz.rules):
                readings.append(f"{gaz.cc[i]}.{gaz.admin1[i]}")
            elif f == FEATURE_COUNTRY:
                readings.append(gaz.cc[i])
        if readings:
            return next((r for r in readings if any(
                gaz.within(c, r) and gaz.feature[c] != FEATURE_COUNTRY for c in cands)),
                readings[0]), stop
    return None, end


def settle_qualifiers(gaz: Gazetteer, mentions: list[Mention]) -> None:
    """The name after a comma that qualifies the place before it ("Athens, Georgia") is
    the division or country it was read as, not its other senses (the Caucasus country)."""
    starts = {m.start: m for m in mentions if m.start >= 0}
    for m in mentions:
        q = m.qualifier
        nxt = starts.get(m.end + 1) if q and m.end >= 0 else None
        if q is None or nxt is None or nxt is m:
            continue
        sense = FEATURE_ADM1 if "." in q else FEATURE_COUNTRY
        kept = [i for i in nxt.cands if gaz.feature[i] == sense and gaz.within(i, q)]
        if kept:
            nxt.cands = kept


def _quality(gaz: Gazetteer, text: str, cands: Sequence[int]) -> dict[int, float]:
    p = plain(text, gaz.rules)
    return {i: (0.5 if plain(gaz.names[i], gaz.rules) == p or p in gaz.preferred.get(i, ())
                else 0.0) for i in cands}


_MIN_POP_PART = 100_000


def _major(gaz: Gazetteer, i: int) -> bool:
    """A country, a first-order division or a city of ``_MIN_POP_PART`` people."""
    return gaz.feature[i] in BROAD or gaz.pop[i] >= _MIN_POP_PART


def _named_part(gaz: Gazetteer, doc: Doc, s: int, e: int) -> tuple[int, int, list[int]] | None:
    """The longest run of tokens at the start of ``doc[s:e]`` that ends with a capitalised
    word and names a gazetteer entry, with its entries: exactly, or a
    transliteration variant of a division, a country or a city of ``_MIN_POP_PART`` people
    ("Deir al-Zor" for Deir ez-Zor). The words left over must name a major place too, or
    its possessive without the apostrophe ("Syrias"), or open with a verb the model's span
    ran over in a title-case headline ("in Hama Killing 50"): "Jackson Township", "Boston
    Harbor", "Zion National Park" are other places, not Jackson, Boston or National Park."""
    def named(text: str) -> list[int]:
        return [i for i, q in _quality(gaz, text, gaz.lookup(text)).items()
                if q > 0 or _major(gaz, i)]

    def place_word(t: Token) -> bool:
        if not t.is_alpha:
            return t.is_punct
        if plain(t.text, gaz.rules) in gaz.stop:
            return False
        forms = [t.text, t.text[:-1]] if t.text.endswith("s") and len(t.text) > 3 else [t.text]
        return any(_major(gaz, i) for f in forms for i in gaz.lookup(f))

    for b in range(e - 1, s, -1):
        if not (doc[b - 1].is_alpha and _is_cap(doc[b - 1])):
            continue
        text = doc[s:b].text
        if plain(text, gaz.rules) in gaz.stop or not (
                doc[b].tag_.startswith("VB") or all(place_word(t) for t in doc[b:e])):
            continue
        cands = named(text)
        if cands:
            return s, b, cands
    if e - s > 1 and doc[s].lower_ in gaz.divisions.generic:
        # a direction before the name ("Northeastern Aleppo" in a title-case line)
        cands = named(doc[s + 1:e].text)
        return (s + 1, e, cands) if cands else _named_part(gaz, doc, s + 1, e)
    return None


def find_mentions(ctx: DocContext, gaz: Gazetteer) -> list[Mention]:
    """Every place mention of the document with its candidates, in span order, then the
    dateline place."""
    doc = ctx.doc
    out: list[Mention] = []
    spans = _candidate_spans(ctx, gaz)
    for s, e, source in spans:
        span = doc[s:e]
        text = span.text
        low = plain(text, gaz.rules)
        if low in gaz.never or (low in gaz.stop and source != "ner"):
            continue
        cands = gaz.lookup(text)
        quality = _quality(gaz, text, cands)
        abbrev = gaz.qualifiers.get(gaz.key(text)) if text.endswith(".") else None
        if abbrev is not None:
            # "Ga." after a comma names the state, and so does one the model tags as a place
            # ("Missing Ill. man", "a second campus in D.C."); elsewhere it is not a place
            if "." not in abbrev or (source != "ner" and (s == 0 or doc[s - 1].text != ",")):
                continue
            cc, a1 = abbrev.split(".")
            cands = [i for i in cands if gaz.cc[i] == cc and gaz.admin1[i] == a1
                     and gaz.feature[i] == FEATURE_ADM1]
            cands = cands or [i for i in gaz.lookup(gaz.admin1_names.get(abbrev, ""))
                              if gaz.feature[i] == FEATURE_ADM1 and gaz.cc[i] == cc]
            quality = dict.fromkeys(cands, 0.5)
        elif len(text) <= 4 and text.endswith("."):
            # "U.S.", "U.K.": a country's abbreviation is the country; others are not places
            cands = [i for i in cands if gaz.feature[i] == FEATURE_COUNTRY]
            if not cands:
                continue
        if not cands and source == "ner" and e - s > 1:
            # the model's span ran over its name ("Deir al-Zor Syrias" in text stripped of
            # apostrophes): the longest part of it that is a place's own name
            part = _named_part(gaz, doc, s, e)
            if part is not None:
                s, e, cands = part
                span = doc[s:e]
                text = span.text
                quality = _quality(gaz, text, cands)
        if not cands and source == "ner":
            fz = [(i, sc) for i, sc in gaz.fuzzy(text, _FUZZY_CUTOFF)
                  if gaz.pop[i] >= _MIN_POP_FUZZY or gaz.feature[i] in BROAD]
            cands = [i for i, _ in fz]
            quality = {i: -1.0 - (100.0 - sc) / 10.0 for i, sc in fz}
        if not cands:
            continue
        pool: list[int] = []
        if source != "ner" and abbrev is None:
            # (a division without a GeoNames id counts as broad only if populous: those are
            # many small parishes and districts — "St. Peter" of Barbados)
            broad = [i for i in cands if (gaz.feature[i] in BROAD and (
                gaz.ids[i] or gaz.pop[i] >= _MIN_POP_UNTAGGED))
                or gaz.feature[i] in (FEATURE_CAPITAL, FEATURE_REGION, FEATURE_ADM2)]
            weak = False
            after_prep = s > 0 and doc[s - 1].lower_ in gaz.preps
            if source == "person" and len(span) == 1 and after_prep:
                # "security returned to Palmyra": a lone PERSON after a place preposition
                weak = True
                cands = [i for i in cands if i in broad or gaz.pop[i] >= _MIN_POP_UNTAGGED]
            elif source == "org" or (source == "person" and len(span) < 2):
                if len(span) == 1 and not _surname(doc, span.text):
                    pool = [i for i in cands if quality.get(i, 0) > 0]
                cands = [i for i in broad if quality.get(i, 0) > 0]

            elif source == "norp":
                cands = [i for i in cands if quality.get(i, 0) > 0
                         and (i in broad or gaz.pop[i] >= MIN_POP_UNTAGGED_ONE_WORD)]
            else:
                # one word: kept only if populous, or (decided later) in the document's focus
                weak = len(span) == 1
                cands = [i for i in cands if i in broad or gaz.pop[i] >= _MIN_POP_UNTAGGED]
            if not cands and not pool:
                continue
        else:
            weak = False
        if e < len(doc) and doc[e].lower_ in gaz.divisions.words:
            # "Aleppo province", "Idlib governorate": the division, not the city
            division = [i for i in gaz.lookup(f"{text} {doc[e].text.title()}")
                        if gaz.feature[i] in (FEATURE_ADM1, FEATURE_ADM2)]
            if division:
                cands = division
                quality = dict.fromkeys(cands, 0.5)
        qual, _ = qualifier_after(gaz, doc, e, cands)
        out.append(Mention(s, e, text, ctx.abs(span.start_char), ctx.abs(span.end_char),
                            source, list(cands), quality, qual, weak=weak, pool=pool))
    # the dateline place: outside the body, offsets used directly
    dl = ctx.dateline.place if ctx.dateline is not None else None
    if dl is not None and dl.text.strip():
        cands = gaz.lookup(dl.text)
        if cands:
            out.append(Mention(-1, -1, dl.text, dl.start, dl.end, "dateline", cands,
                                _quality(gaz, dl.text, cands)))
    return out


def stripped_possessive(gaz: Gazetteer, tok: Token) -> bool:
    """A place's possessive written without its apostrophe, as in text stripped of them
    ("Syrias Idlib" for "Syria's Idlib"): a capitalised word that names no place itself and,
    less its final s, names a country, a first-order division or a city of ``_MIN_POP_PART``
    people."""
    t = tok.text
    if len(t) < 5 or t[-1] != "s" or not t.isalpha() or not _is_cap(tok) or gaz.lookup(t):
        return False
    return any(_major(gaz, i) for i in gaz.lookup(t[:-1]))


def _after_possessive(gaz: Gazetteer, ent: SpacySpan) -> tuple[int, int] | None:
    """The place named after a stripped possessive that opens an entity: "Syrias Idlib"
    (GPE) names Idlib; "Syrias Homs", which the model reads as a person or a product, names
    Homs when the words after the possessive are a major place's name exactly."""
    b = _trim(ent)
    if b is None or b[1] - b[0] < 2 or not stripped_possessive(gaz, ent.doc[b[0]]):
        return None
    rest = ent.doc[b[0] + 1:b[1]]
    if ent.label_ in _PLACE_LABELS or any(_major(gaz, i) for i in gaz.lookup(rest.text)):
        return rest.start, rest.end
    return None


_NAME_LABELS = frozenset({"DATE", "TIME", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW",
                          "LANGUAGE"})


def _misread_name(ent: SpacySpan) -> bool:
    """A lone capitalised proper noun the model labels a date, a product, a work or an
    event: on names it never saw it guesses so ("Fighting in Manbij", Manbij a DATE); the
    word stays open to the run of proper nouns and the gazetteer. Dates the model reads
    right have a digit or a calendar word (which the gazetteer's stop words hold)."""
    return (len(ent) == 1 and ent.label_ in _NAME_LABELS and ent[0].pos_ == "PROPN"
            and ent[0].is_alpha and ent[0].text[:1].isupper() and not ent[0].is_upper)


def _candidate_spans(ctx: DocContext, gaz: Gazetteer) -> list[tuple[int, int, str]]:
    doc = ctx.doc
    articles = gaz.rules.articles
    out: list[tuple[int, int, str]] = []
    taken = [False] * len(doc)
    placed: set[int] = set()  # entities read as places after a stripped possessive
    for ent in doc.ents:
        after = _after_possessive(gaz, ent)
        if after is not None:
            placed.add(ent.start)
        if ent.label_ in _PLACE_LABELS or after is not None:
            b = after or _trim(ent)
            if b:
                b = (b[0], particle_tail(doc, b[1], articles))
                out.append((b[0], b[1], "ner"))
                for i in range(*b):
                    taken[i] = True
            for t in ent:
                taken[t.i] = True
    for ent in doc.ents:
        if ent.start in placed:
            continue
        if ent.label_ in ("PERSON", "ORG", "NORP"):
            b = _trim(ent)
            if b:
                b = (b[0], particle_tail(doc, b[1], articles))
            if b and not any(taken[i] for i in range(*b)):
                src = {"PERSON": "person", "ORG": "org", "NORP": "norp"}[ent.label_]
                out.append((b[0], b[1], src))
                for i in range(*b):
                    taken[i] = True
            for t in ent:
                taken[t.i] = True
        elif ent.label_ not in _PLACE_LABELS and not _misread_name(ent):
            for t in ent:
                taken[t.i] = True
    n = len(doc)
    i = 0
    while i < n:
        t = doc[i]
        if taken[i] or t.pos_ != "PROPN" or not _is_cap(t):
            i += 1
            continue
        j = i + 1
        while j < n and not taken[j]:
            u = doc[j]
            if u.pos_ == "PROPN" and _is_cap(u) or ((u.text == "-" or u.lower_ in articles) and j + 1 < n and not taken[j + 1]
                  and _is_cap(doc[j + 1])):
                j += 1
            else:
                break
        tail = particle_tail(doc, j, articles)
        if tail > j and not any(taken[k] for k in range(j, tail)):
            j = tail
        out.append((i, j, "propn"))
        i = j
    return out

