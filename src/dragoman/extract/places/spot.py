"""Gazetteer-driven spotting: place names the model's NER missed, kept on evidence.

``spot_mentions(ctx, gaz, found)`` looks every run of up to four capitalised tokens that
no earlier mention covers up in the gazetteer (its names and alternate names) and keeps a
match only with evidence: the name is already a place elsewhere in the document, a context
phrase of ``data/places/spotting.yaml`` or a place preposition stands before it (or a place
word after it), a ", Ga." qualifier follows, or it names a country, first-order division,
capital or large city. Inside a person's name it needs the first three; inside an
organisation's or another entity's name ("Gainesville Police Department") it is kept as an
*embedded* mention (role ``embedded``: not an event location, not an actor). Country
demonyms ("Russian", "Palestinians") from the actor knowledge base become mentions of
their country with source ``demonym``.
"""

from __future__ import annotations

from spacy.attrs import ENT_TYPE, IDX, IS_PUNCT, LOWER, ORTH
from spacy.tokens import Doc

from ..boilerplate import doc_text, token_columns
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
from .mentions import Mention, qualifier_after
from .translit import plain
from .words import SpotWords, load_spot_words, spot_words_of

__all__ = ["SpotWords", "load_spot_words", "spot_mentions"]

_MAX_WIDTH = 4
_POP_STRONG = 100_000  # a city this populous is a place wherever its name stands alone
_POP_CONTEXT = 1_000  # with a context phrase before or after it
# entity labels whose tokens are a person's name: a place inside needs strong evidence
_PERSON = "PERSON"
# labels of names that are not places but may embed one ("University of Texas")
_EMBEDDING = frozenset({"ORG", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "NORP"})
_PLACE_LABELS = frozenset({"GPE", "LOC"})
_DASHES = frozenset({"—", "–", "-", "--"})
_NOT_NAMES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL",
                        "ORDINAL", "LANGUAGE"})


def _cap(text: str) -> bool:
    return bool(text) and text[0].isupper()


def _countries(gaz: Gazetteer) -> dict[str, int]:
    """ISO-3 code → the gazetteer's country entry (cached on the gazetteer)."""
    cached: dict[str, int] | None = getattr(gaz, "_spot_countries", None)
    if cached is None:
        cached = {}
        for i, f in enumerate(gaz.feature):
            if f == FEATURE_COUNTRY:
                iso = gaz.country3(i)
                if iso and (iso not in cached or gaz.pop[i] > gaz.pop[cached[iso]]):
                    cached[iso] = i
        gaz._spot_countries = cached  # type: ignore[attr-defined]
    return cached


class _Toks:
    """The document's tokens' texts, lower-case forms and entity types as plain lists, read
    once: the spotting loops test them for every capitalised token and window."""

    __slots__ = ("ents", "idx", "lowers", "punct", "text", "texts")

    def __init__(self, doc: Doc) -> None:
        self.texts, self.lowers, self.ents, punct, self.idx = token_columns(
            doc, [ORTH, LOWER, ENT_TYPE, IS_PUNCT, IDX])
        self.punct = [bool(x) for x in punct]
        self.text = doc_text(doc)

    def chars(self, i: int, end: int) -> tuple[int, int]:
        """The character offsets of tokens ``[i, end)`` (``doc[i:end]``'s start and end)."""
        return self.idx[i], self.idx[end - 1] + len(self.texts[end - 1])


def _before_index(words: SpotWords) -> dict[str, list[tuple[str, ...]]]:
    """``words.before`` by each phrase's last word (cached per ``SpotWords``), in order."""
    cached = _BEFORE_INDEX.get(id(words))
    if cached is None or cached[0] is not words:
        index: dict[str, list[tuple[str, ...]]] = {}
        for phrase in words.before:
            if phrase:
                index.setdefault(phrase[-1], []).append(phrase)
        cached = _BEFORE_INDEX[id(words)] = (words, index)
    return cached[1]


_BEFORE_INDEX: dict[int, tuple[SpotWords, dict[str, list[tuple[str, ...]]]]] = {}


def _article_start(toks: _Toks, i: int, gaz: Gazetteer) -> int:
    """Where the name at token ``i`` starts with its joined Arabic article: ``i - 2`` for
    "al-Hassakeh" (tokens "al", "-", "Hassakeh"), else ``i``."""
    if i >= 2 and toks.texts[i - 1] == "-" and toks.lowers[i - 2] in gaz.rules.articles:
        return i - 2
    return i


def _context_before(doc: Doc, toks: _Toks, i: int, gaz: Gazetteer, words: SpotWords) -> bool:
    # (the context of "in al-Hassakeh" is the word before the article)
    i = _article_start(toks, i, gaz)
    if i == 0:
        return False
    lowers = toks.lowers
    prev = lowers[i - 1]
    if prev in gaz.preps and prev not in ("to", "from", "over", "on"):
        return True
    if prev == "of" and i >= 2 and toks.ents[i - 2] == _PERSON:
        return True  # "Mindy Miller of Ravenel"
    if _after_party(doc, i, words):
        return True
    j = i - 1 if prev != "the" else i - 2
    if j < 0:
        return False
    for phrase in _before_index(words).get(lowers[j], ()):
        n = len(phrase)
        if j - n + 1 >= 0 and tuple(lowers[j - n + 1:j + 1]) == phrase:
            return True
    return False


def _after_party(doc: Doc, i: int, words: SpotWords) -> bool:
    """Whether token ``i`` follows a party's letter and a hyphen ("D-S.C.", "R-Elbow Lake")."""
    return (i >= 2 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_
            and not doc[i - 2].whitespace_ and doc[i - 2].text in words.party_codes)


def _context_after(doc: Doc, end: int, gaz: Gazetteer, words: SpotWords) -> bool:
    return end < len(doc) and (doc[end].lower_ in words.after
                               or doc[end].lower_ in gaz.divisions.words)


def _dateline_like(doc: Doc, i: int, end: int) -> bool:
    """A name in capitals opening a sentence before a dash: a dateline after a headline
    ("… new program. HARTFORD — Connecticut legislators …")."""
    return (end < len(doc) and doc[end].text in _DASHES and _starts_sentence(doc, i)
            and all(t.text.isupper() for t in doc[i:end] if t.is_alpha))


def _strong(gaz: Gazetteer, i: int) -> bool:
    return _broad(gaz, i) or gaz.pop[i] >= _POP_STRONG


def _broad(gaz: Gazetteer, i: int) -> bool:
    f = gaz.feature[i]
    return (f in BROAD and (f != FEATURE_ADM1 or bool(gaz.ids[i]))) \
        or f in (FEATURE_CAPITAL, FEATURE_ADM2)


def _demonym(ctx: DocContext, gaz: Gazetteer, words: SpotWords, doc: Doc,
             i: int, toks: _Toks) -> tuple[int, int] | None:
    """(end token, entry) of a demonym starting at token ``i``: a country's (from the
    actor knowledge base) or a region's (``spotting.yaml``)."""
    kb = getattr(ctx.resources, "kb", None)
    demonyms: dict[str, str] = getattr(kb, "demonyms", None) or {}
    from ..actors.names import norm

    if toks.lowers[i] in gaz.rules.articles or toks.lowers[i] == "the":
        return None
    for w in (2, 1):
        if i + w > len(doc) or not all(_cap(t) for t in toks.texts[i:i + w]):
            continue
        a, b = toks.chars(i, i + w)
        key = norm(toks.text[a:b])  # (``doc[i:i + w].text``)
        iso = demonyms.get(key)  # (a plural, "Russians", names a people, not a place)
        if iso:
            entry = _countries(gaz).get(iso)
            if entry is not None:
                return i + w, entry
        region = words.demonyms.get(key)
        if region:
            broad = [j for j in gaz.lookup(region) if gaz.feature[j] in BROAD]
            if broad:
                return i + w, broad[0]
    return None


def spot_mentions(ctx: DocContext, gaz: Gazetteer, found: list[Mention]) -> list[Mention]:
    """Mentions the earlier passes missed: gazetteer names kept on evidence, and demonyms."""
    doc = ctx.doc
    n = len(doc)
    words = spot_words_of(ctx.resources)
    covered = [False] * n
    known: set[str] = set()
    for m in found:
        if m.start >= 0 and m.cands:  # (a name with only reserve candidates covers nothing)
            for t in range(m.start, m.end):
                covered[t] = True
        if m.source in ("ner", "dateline") and any(q > 0 for q in m.quality.values()):
            known.add(plain(m.text, gaz.rules))
    if ctx.dateline is not None and ctx.dateline.place is not None:
        known.add(plain(ctx.dateline.place.text, gaz.rules))
    # the names of the people the document names ("Aldar Khalil": then "Khalil" is him)
    for ent in doc.ents:
        if ent.label_ == _PERSON and len(ent) > 1:
            known.difference_update(plain(t.text, gaz.rules) for t in ent)
    toks = _Toks(doc)
    texts, ents = toks.texts, toks.ents
    out: list[Mention] = _county_lists(ctx, gaz, words, covered, toks)
    for m in out:
        for t in range(m.start, m.end):
            covered[t] = True
    i = 0
    while i < n:
        if covered[i] or not _cap(texts[i]):
            i += 1
            continue
        state = _state_after_comma(ctx, gaz, i, _after_party(doc, i, words))
        if state is not None:
            out.append(state)
            i = state.end
            continue
        if ents[i] in _NOT_NAMES or ents[i] in _PLACE_LABELS:
            i += 1
            continue
        hit = _match(ctx, gaz, words, known, covered, i, toks)
        if hit is None:
            dem = _demonym(ctx, gaz, words, doc, i, toks)
            if dem is not None and not any(covered[t] for t in range(i, dem[0])):
                end, entry = dem
                span = doc[i:end]
                out.append(Mention(i, end, span.text, ctx.abs(span.start_char),
                                   ctx.abs(span.end_char), "demonym", [entry], {entry: 0.5}))
                i = end
                continue
            i += 1
            continue
        out.append(hit)
        i = hit.end
    return out


def _match(ctx: DocContext, gaz: Gazetteer, words: SpotWords, known: set[str],
           covered: list[bool], i: int, toks: _Toks) -> Mention | None:
    doc = ctx.doc
    n = len(doc)
    texts, lowers, articles = toks.texts, toks.lowers, gaz.rules.articles
    before: bool | None = None  # the context before token i, read once for every width
    for w in range(_MAX_WIDTH, 0, -1):
        end = i + w
        if end > n or any(covered[t] for t in range(i, end)):
            continue
        if not _cap(texts[end - 1]) or toks.punct[end - 1]:
            continue
        if any(not (_cap(texts[t]) or lowers[t] in articles or texts[t] == "-")
               for t in range(i, end)):
            continue
        if end < n and texts[end] == "-" and end + 1 < n and _cap(texts[end + 1]):
            continue  # part of a hyphenated name
        start_char, end_char = toks.chars(i, end)
        text = toks.text[start_char:end_char]  # (``doc[i:end].text``)
        low = plain(text, gaz.rules)
        if low in gaz.never or low in gaz.stop:
            continue
        if len(text) <= 4 and text.endswith("."):
            continue  # abbreviations are read by the recogniser
        cands = gaz.lookup(text)
        if not cands:
            continue
        labels = set(toks.ents[i:end]) - {""}
        qual, _ = qualifier_after(gaz, doc, end, cands)
        if before is None:
            before = _context_before(doc, toks, i, gaz, words)
        ctx_ev = before or _context_after(doc, end, gaz, words) or _dateline_like(doc, i, end)
        exact = [c for c in cands if plain(gaz.names[c], gaz.rules) == low
                 or low in gaz.preferred.get(c, ()) or gaz.feature[c] == FEATURE_REGION]
        if qual is not None:
            kept = cands
        elif _PERSON in labels:
            # a place the document names, read as a person alone ("Alexandria police"); or
            # a name the model reads as a whole person with place context around it
            # ("Alexandria woman charged", "of 1935 Orchard St., Alexandria,")
            alone = w == 1 and len(labels) == 1 and _entity_len(doc, i) == 1
            whole = len(labels) == 1 and _entity_len(doc, i) == w and (
                doc[i].ent_iob_ == "B")
            if low in known and (ctx_ev or alone):
                kept = cands
            elif ctx_ev and whole:
                kept = [c for c in cands if _strong(gaz, c) or gaz.pop[c] >= _POP_CONTEXT]
            else:
                continue
        elif low in known:
            kept = cands
        elif ctx_ev:
            kept = [c for c in cands if _strong(gaz, c) or gaz.pop[c] >= _POP_CONTEXT]
        elif labels or w == 1:
            # inside another name, or one word the model left untagged: only a country,
            # division or capital ("University of Texas"; not "Toyota", "Lincoln")
            kept = [c for c in exact if _broad(gaz, c)]
            if not labels and _starts_sentence(doc, i):
                kept = []  # a capitalised first word of a sentence says nothing
        else:
            kept = [c for c in exact if _strong(gaz, c)]
        if not kept:
            continue
        # (an entity that is the name itself, with its article, is a place the model
        # mislabelled, "al-Hassakeh" read as an organisation: not a name embedding one)
        start = _article_start(toks, i, gaz)
        whole_name = start < i and _entity_len(doc, i) == end - start
        source = "embedded" if (labels & _EMBEDDING and not whole_name) or (
            _PERSON in labels and _entity_len(doc, i) > w) else "spot"
        quality = {c: (0.5 if c in exact else 0.0) for c in kept}
        return Mention(i, end, text, ctx.abs(start_char), ctx.abs(end_char),
                       source, kept, quality, qual)
    return None


def _county_lists(ctx: DocContext, gaz: Gazetteer, words: SpotWords,
                  covered: list[bool], toks: _Toks) -> list[Mention]:
    """The names of a county list ("Barrow, Jackson and Madison counties"): each the county
    of that name ("Barrow County"), wherever the gazetteer has one."""
    doc = ctx.doc
    texts = toks.texts
    out: list[Mention] = []
    for k, low in enumerate(toks.lowers):
        word = words.county_lists.get(low)
        if word is None or k == 0:
            continue
        j = k
        while j > 0:
            e = j
            while j > 0 and _cap(texts[j - 1]) and not covered[j - 1] and e - j < 3:
                j -= 1
            if j == e:
                break
            span = doc[j:e]
            cands = [c for c in gaz.lookup(f"{span.text} {word}")
                     if gaz.feature[c] == FEATURE_ADM2]
            if not cands:
                break
            out.append(Mention(j, e, span.text, ctx.abs(span.start_char),
                               ctx.abs(span.end_char), "spot", cands,
                               dict.fromkeys(cands, 0.5)))
            if j > 0 and doc[j - 1].lower_ in ("and", "or", ","):
                j -= 1
                if j > 0 and doc[j - 1].text == "," :
                    j -= 1
            else:
                break
    return out


def _state_after_comma(ctx: DocContext, gaz: Gazetteer, i: int,
                       party: bool = False) -> Mention | None:
    """A state's abbreviation after a place and a comma ("Charleston, W.Va.") or after a
    party's letter ("Clyburn, D-S.C."): the state."""
    doc = ctx.doc
    if not party and (i < 2 or doc[i - 1].text != "," or not _cap(doc[i - 2].text)):
        return None
    for w in (4, 3, 2, 1):
        if i + w > len(doc):
            continue
        span = doc[i:i + w]
        if span[-1].text == "." and w > 1 and not span[-2].text.endswith("."):
            pass  # "W.Va" "." : the tokenizer split the abbreviation's full stop
        elif not span.text.endswith("."):
            continue
        q = gaz.qualifiers.get(gaz.key(span.text))
        if q is None or "." not in q:
            continue
        cc = q.split(".")[0]
        cands = [j for j in gaz.lookup(gaz.admin1_names.get(q, ""))
                 if gaz.feature[j] == FEATURE_ADM1 and gaz.cc[j] == cc]
        if cands:
            return Mention(i, i + w, span.text, ctx.abs(span.start_char),
                           ctx.abs(span.end_char), "spot", cands, dict.fromkeys(cands, 0.5))
    return None


def _entity_len(doc: Doc, i: int) -> int:
    """The length in tokens of the entity token ``i`` is in (0 outside entities)."""
    if not doc[i].ent_type_:
        return 0
    a = i
    while a > 0 and doc[a].ent_iob_ == "I":
        a -= 1
    b = i + 1
    while b < len(doc) and doc[b].ent_iob_ == "I":
        b += 1
    return b - a


def _starts_sentence(doc: Doc, i: int) -> bool:
    """Whether token ``i`` begins its sentence (or follows an opening quote that does)."""
    t = doc[i]
    if t.is_sent_start:
        return True
    return i > 0 and doc[i - 1].is_sent_start is True and doc[i - 1].is_quote
