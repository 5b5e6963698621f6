"""Casualty figures in a parsed document: "killed at least 12 civilians", "six people were
killed and 32 injured", "dozens of children", "the death toll rose to 126".

A figure is a number expression (digits, number words, or a vague word such as "dozens",
with an optional hedge such as "at least") that a killed/injured cue governs or stands
next to. Its category comes from the victim noun it counts; its source from the quote that
contains it, an "according to X" in its sentence, or the event's attribution. The words are
data (``data/incidents/incidents.yaml``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from spacy.attrs import ENT_TYPE, IDX, LEMMA, LIKE_NUM, LOWER, POS
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ...types import Casualties, CasualtyCount, CasualtyFigure, Quote, Toll
from ..boilerplate import drop_boilerplate, token_column
from ..context import DocContext
from .lexicon import CATEGORIES, IncidentLexicon, load_incident_lexicon

__all__ = ["find_figures", "is_vague", "parse_number", "resolve_casualties",
           "sentence_figures"]

_NOT_COUNTS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "ORDINAL", "QUANTITY"})
_INSIDE_PHRASE = frozenset({"-", '"', "“", "”", "'", "‘", "’"})
_WINDOW = 6  # tokens between a number and the cue it belongs to, at most
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
_WORDS = re.compile(r"[\w,]+")


def parse_number(words: Sequence[str], lex: IncidentLexicon) -> int | None:
    """The value of a number written in digits or words ("1,200", "twenty five",
    "two hundred"); None if it is not one."""
    if len(words) == 1 and _DIGITS.match(words[0]):
        return int(words[0].replace(",", ""))
    total, current, seen = 0, 0, False
    for raw in words:
        for w in raw.lower().split("-"):
            if not w or w == "and":
                continue
            if _DIGITS.match(w):
                current += int(w.replace(",", ""))
            elif w in lex.units:
                current += lex.units[w]
            elif w in lex.scales:
                current = max(current, 1) * lex.scales[w]
                if lex.scales[w] >= 1000:
                    total, current = total + current, 0
            else:
                return None
            seen = True
    return total + current if seen else None


class _Columns(NamedTuple):
    """The token columns (``token_column``) the figures read, fetched once per doc (kept
    in ``doc.user_data``): the helpers below run per number and per figure, and read
    these lists instead of making a spaCy token per word."""

    lower: list[str]
    lemma: list[str]
    pos: list[str]
    ent_type: list[str]
    like_num: list[int]
    idx: list[int]


def _columns(doc: Doc) -> _Columns:
    cols: _Columns | None = doc.user_data.get("dragoman_figure_columns")
    if cols is None:
        cols = _Columns(*(token_column(doc, a)
                          for a in (LOWER, LEMMA, POS, ENT_TYPE, LIKE_NUM, IDX)))
        doc.user_data["dragoman_figure_columns"] = cols
    return cols


def _is_num_lower(low: str, lex: IncidentLexicon) -> bool:
    """Whether a token, by its lower-case text, is a number: digits, or number words
    ("twenty", "twenty-five", "hundred")."""
    if _DIGITS.match(low):
        return True
    return all(p in lex.units or p in lex.scales for p in low.split("-") if p)


def _counts_people(cols: _Columns, at: int, lex: IncidentLexicon) -> bool:
    """A number the model read into a date that counts the people named right after it:
    "On Thursday 23 civilians were killed", "9 Aug 2016 5 people were killed"."""
    nxt = at + 1
    return (nxt < len(cols.lower) and cols.lower[at].isdigit()
            and (cols.lemma[nxt].lower() in lex.victims or cols.lower[nxt] in lex.victims)
            and cols.ent_type[nxt] not in _NOT_COUNTS)


def _number_at(sent: SpacySpan, i: int, lex: IncidentLexicon
               ) -> tuple[int, int, int | None, int | None] | None:
    """(start, end, low, high) of a number expression starting at sentence token ``i``."""
    # (the tokens' attributes from the token columns: no spaCy token per word tested)
    cols, first = _columns(sent.doc), sent.start
    lowers, ents, pos, like_num = cols.lower, cols.ent_type, cols.pos, cols.like_num
    at = first + i
    if ents[at] in _NOT_COUNTS and not _counts_people(cols, at, lex):
        return None
    low = lowers[at]
    if low in lex.vague and pos[at] in ("NOUN", "NUM", "ADJ"):
        if low == "dozen" and i > 0 and lowers[at - 1] in ("a", "one"):
            return i, i + 1, 12, 12
        low_n, high_n = lex.vague[low]
        return i, i + 1, low_n, high_n
    if not (like_num[at] or _is_num_lower(low, lex)) or not _is_num_lower(low, lex):
        return None
    j = i
    n = len(sent)
    while j + 1 < n and (_is_num_lower(lowers[first + j + 1], lex)
                         or (lowers[first + j + 1] == "and" and j + 2 < n
                             and _is_num_lower(lowers[first + j + 2], lex)
                             and lowers[first + j] in lex.scales)):
        j += 1
    value = parse_number([x.text for x in sent[i:j + 1]], lex)
    if value is None or value <= 0:
        return None
    if 1900 <= value <= 2100 and sent[i:j + 1].text.isdigit():
        return None  # a year
    return i, j + 1, value, value


def _hedge_before(sent: SpacySpan, i: int, lex: IncidentLexicon) -> tuple[int, str | None]:
    """(start token, hedge kind) of a hedge ending just before token ``i``."""
    lowers, first = _columns(sent.doc).lower, sent.start
    for n in (3, 2, 1):
        if i - n < 0:
            continue
        phrase = " ".join(lowers[first + i - n:first + i])
        if phrase in lex.hedges:
            return i - n, lex.hedges[phrase]
    return i, None


def _others(t: Token, lex: IncidentLexicon) -> bool:
    """More people besides those just counted ("and 30 others were wounded")."""
    return t.pos_ != "ADJ" and (t.lemma_.lower() in lex.others or t.lower_ in lex.others)


#: plural endings of title-case words, whose lemma the model leaves as written ("5 Rescue
#: Workers Killed"), and their singulars
_PLURALS = (("children", "child"), ("women", "woman"), ("ies", "y"), ("s", ""))


def _victim_category(t: Token, lemma: str, lex: IncidentLexicon) -> str | None:
    """The victim category of a word: by its lemma or lower case, and for a capitalised
    word by its singular too."""
    found = lex.victims.get(lemma) or lex.victims.get(t.lower_)
    if found is None and t.text[:1].isupper():
        low = t.lower_
        for plural, singular in _PLURALS:
            if low.endswith(plural):
                found = lex.victims.get(low[:len(low) - len(plural)] + singular)
                break
    return found


def _victim(sent: SpacySpan, i: int, end: int, lex: IncidentLexicon
            ) -> tuple[str | None, int, bool]:
    """(category, last token, counts something else) of what the number counts."""
    k = end
    limit = min(len(sent), end + 4)
    named = False  # a name before the noun: "15 ISIL militants", "five Kurdish police"
    while k < limit:
        t = sent[k]
        lemma = t.lemma_.lower()
        if _others(t, lex):
            return "total", k, False  # "30 others" (sentence_figures keeps the injured)
        category = _victim_category(t, lemma, lex)
        if category is not None and t.pos_ != "ADJ":
            if category == "combatants" and any(
                    x.lemma_.lower() in lex.households
                    for x in sent[k + 1:min(len(sent), k + 5)]):
                category = "total"  # "six members of one family"
            return category, k, False
        if named and t.pos_ == "NUM":
            break  # "12 November 2016 Three civilians": a date, then another number
        if t.lower_ in ("of", "them", "the", "whom", "were", "are", "was", "have", "had",
                        "been", "people's", "his", "its", "their", "our", "her"
                        ) or t.pos_ in ("ADJ", "ADV", "DET", "PUNCT", "AUX", "NUM") or (
                # a participle modifying the noun counted ("two besieged towns")
                t.dep_ == "amod" and t.tag_ in ("VBN", "VBG") and t.head.i > t.i
                and lemma not in lex.killed and lemma not in lex.injured):
            if t.pos_ == "PUNCT" and t.text not in _INSIDE_PHRASE:
                break  # (a hyphen or quotation marks stay inside: killed 50 "terrorists")
            k += 1
            continue
        if (t.pos_ == "PROPN" and t.ent_type_ not in _NOT_COUNTS
                and lemma not in lex.killed and lemma not in lex.injured):
            named = True
            k += 1
            continue
        if t.pos_ in ("NOUN", "PROPN") and lemma not in lex.killed and lemma not in lex.injured:
            return None, k, True  # "150 airstrikes", "10 km", "five years", "12 November"
        break
    if named:
        return None, k - 1, True  # a name and no victim noun ("3 Hezbollah"): no count
    return None, end - 1, False


def _cue(sent: SpacySpan, start: int, end: int, lex: IncidentLexicon,
         taken: set[int]) -> tuple[str | None, int]:
    """(killed | injured | None, cue token) nearest the number, within the window."""
    best: tuple[int, str, int] | None = None
    # (the words' lemmas and lower case from the token columns; only the words within the
    # window can be the cue)
    cols, first = _columns(sent.doc), sent.start
    lemmas, lowers = cols.lemma, cols.lower
    for k in range(max(0, start - _WINDOW), min(len(sent), end + _WINDOW)):
        if start <= k < end:
            continue
        lemma, low = lemmas[first + k].lower(), lowers[first + k]
        kind = ("killed" if lemma in lex.killed or low in lex.killed
                else "injured" if lemma in lex.injured or low in lex.injured else None)
        if kind is None:
            continue
        dist = start - k if k < start else k - end + 1
        if dist > _WINDOW:
            continue
        # a cue right after the figure ("six killed", "32 were injured") binds tighter
        dist = dist - 1 if k >= end else dist
        if best is None or dist < best[0]:
            best = (dist, kind, k)
    if best is None:
        return None, -1
    return best[1], best[2]


def _kind_of(t: Token, lex: IncidentLexicon) -> str | None:
    lemma = t.lemma_.lower()
    if lemma in lex.killed or t.lower_ in lex.killed:
        return "killed"
    if lemma in lex.injured or t.lower_ in lex.injured:
        return "injured"
    return None


def _cue_after(sent: SpacySpan, last: int, lex: IncidentLexicon) -> tuple[str | None, int]:
    """The killed/injured word right after a counted phrase ending at sentence token
    ``last``, over auxiliaries only: it says what the phrase counts even where the parse
    hangs the phrase on another cue ("As well as those killed at least 160 people were
    injured", "16 fighters were killed and around 40 wounded"; ``before_cue``: the
    auxiliaries)."""
    cols, first = _columns(sent.doc), sent.start
    for k in range(last + 1, min(len(sent), last + 4)):
        low, lemma = cols.lower[first + k], cols.lemma[first + k].lower()
        if lemma in lex.killed or low in lex.killed:
            return "killed", k
        if lemma in lex.injured or low in lex.injured:
            return "injured", k
        if low not in lex.before_cue:
            break
    return None, -1


def _governing_cue(t: Token, lex: IncidentLexicon) -> tuple[str | None, int]:
    """A killed/injured word that governs the counted noun ("400 people ... have been
    injured", "killing six people"), up to three steps up the parse."""
    node = t
    for _ in range(3):
        if node.head.i == node.i:
            break
        node = node.head
        kind = _kind_of(node, lex)
        if kind is not None:
            return kind, node.i - node.sent.start
        if node.pos_ == "VERB":
            # the verb's own object says it ("lost their lives", "sustained injuries"), and
            # a rising verb's subject ("the death toll ... rose to 12 people")
            rising = node.lemma_.lower() in lex.rise
            for c in node.children:
                if (c.dep_ == "dobj" or (rising and c.dep_ in ("nsubj", "nsubjpass"))) and (
                        kind := _kind_of(c, lex)) is not None:
                    return kind, c.i - c.sent.start
        if node.pos_ in ("VERB", "AUX") and node.dep_ in ("ROOT", "conj", "ccomp"):
            break
    return None, -1


def _perfect(cue: Token) -> bool:
    """Whether the verb of a killed/injured cue (the cue itself, or the verb above a noun
    cue: "claimed hundreds of lives") is in the present perfect ("have killed")."""
    node = cue
    for _ in range(4):
        if node.pos_ in ("VERB", "AUX"):
            return any(c.dep_ == "aux" and c.lemma_.lower() == "have"
                       and c.tag_ in ("VBP", "VBZ") for c in node.children)
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _rising(sent: SpacySpan, start: int, lex: IncidentLexicon) -> bool:
    lemmas, first = _columns(sent.doc).lemma, sent.start
    for lemma in lemmas[first + max(0, start - 4):first + start]:
        if lemma.lower() in lex.rise:
            return True
    return False


def _subset(sent: SpacySpan, start: int, lex: IncidentLexicon) -> bool:
    lowers, first = _columns(sent.doc).lower, sent.start
    before = lowers[first + max(0, start - 2):first + start]
    return bool(before) and (before[-1] in lex.subset or " ".join(before) in lex.subset)


def _source(ctx: DocContext, sent: SpacySpan, start_char: int,
            quotes: Sequence[Quote], lex: IncidentLexicon) -> str | None:
    for q in quotes:
        if q.content.start <= start_char < q.content.end and q.speaker is not None:
            return q.speaker.name or q.speaker.text
    # (the sentence's text from the doc's: ``sent.text`` joins its tokens)
    low = ctx.text[sent.start_char:sent.end_char].lower()
    cols = _columns(sent.doc)
    idx, pos = cols.idx, cols.pos
    for phrase in lex.according:
        at = low.find(phrase + " ")
        if at < 0:
            continue
        begin = sent.start_char + at + len(phrase) + 1
        for i in range(sent.start, sent.end):
            if idx[i] >= begin and pos[i] in ("NOUN", "PROPN"):
                head = sent.doc[i]
                while head.head.i != head.i and head.dep_ in ("compound", "amod", "nmod"):
                    head = head.head
                refs = ctx.actors.refs_for(head) if ctx.actors is not None else []
                if refs and refs[0].name:
                    return refs[0].name
                sub = [x for x in head.subtree if x.idx >= begin]
                return " ".join(x.text for x in sub) if sub else head.text
    return None


def sentence_figures(ctx: DocContext, sent: SpacySpan, lex: IncidentLexicon | None = None,
                     quotes: Sequence[Quote] = ()) -> list[CasualtyFigure]:
    """The casualty figures of one sentence, in text order."""
    lex = lex or load_incident_lexicon()
    out: list[CasualtyFigure] = []
    index = ctx.sentence_index(sent)
    # (the doc's text between the sentence's ends is ``sent.text``, without joining tokens)
    text = ctx.text[sent.start_char:sent.end_char]
    # (a background phrase covers the figures of its own part of the sentence: a header
    # date or other boilerplate inside a run-on headline-and-lead parts them, as in "17
    # dead as ... expelled jihadists last month ... AFP Saturday 17 Aug 2013 ... 17 people
    # were killed")
    cuts = [a for a, b in ctx.boilerplate if sent.start_char < a and b < sent.end_char]
    parts = [(p0 - sent.start_char, p1 - sent.start_char)
             for p0, p1 in zip([sent.start_char, *cuts], [*cuts, sent.end_char], strict=True)
             if lex.background_rx.search(text, p0 - sent.start_char, p1 - sent.start_char)]
    # (an earlier happening introduced in the sentence: the figures after the phrase)
    recalled = lex.recall_rx.search(text) if lex.recall_rx is not None else None
    recall_at = ctx.abs(sent.start_char + recalled.start()) if recalled else None
    taken: set[int] = set()
    # a number expression starts only at a word for a vague number or a number token
    # (``_number_at``): the others are passed over without making their tokens
    lowers = token_column(sent.doc, LOWER)
    first = sent.start
    starts = _number_starts(sent.doc, lex)
    i = 0  # the sentence token the next figure can start at
    for at in starts[bisect.bisect_left(starts, first):bisect.bisect_left(starts, sent.end)]:
        if at - first < i:
            continue  # inside the figure before
        i = at - first
        num = _number_at(sent, i, lex)
        if num is None:
            continue
        start, end, low, high = num
        hstart, hedge = _hedge_before(sent, start, lex)
        category, last, other = _victim(sent, start, end, lex)
        if other:
            i = end
            continue
        subset = _subset(sent, hstart, lex)
        kind: str | None
        if subset and out:
            kind, cue_at = out[-1].kind, -1
        else:
            kind, cue_at = _cue_after(sent, last, lex)
            if kind is None:
                kind, cue_at = _governing_cue(sent[last], lex)
            if kind is None:
                kind, cue_at = _cue(sent, start, last + 1, lex, taken)
        if kind is None or (kind == "killed" and _others(sent[last], lex)):
            i = end
            continue
        if hedge == "low":
            high = None
        elif hedge == "high":
            low = None
        # (a figure no single attack reaches counts a war, a campaign or a year)
        too_large = max(v for v in (low, high, 0) if v is not None) >= lex.max_toll
        # ("coalition strikes have killed hundreds of civilians": a campaign's running toll)
        cumulative = (lowers[first + start] in lex.cumulative
                      and cue_at >= 0 and _perfect(sent[cue_at]))
        tok_a, tok_b = sent[hstart], sent[last]
        span = ctx.span(tok_a.idx, tok_b.idx + len(tok_b.text))
        out.append(CasualtyFigure(
            kind=kind, category=category or "total", count=CasualtyCount(low, high),
            start=span.start, end=span.end, text=span.text, sentence_index=index,
            source=_source(ctx, sent, span.start, quotes, lex),
            rising=_rising(sent, hstart, lex), subset=subset,
            background=any(p0 <= tok_a.idx - sent.start_char < p1 for p0, p1 in parts)
            or too_large or cumulative or (
                recall_at is not None and span.start > recall_at),
        ))
        taken.add(cue_at)
        i = max(end, last + 1)
    return out


def _number_starts(doc: Doc, lex: IncidentLexicon) -> list[int]:
    """The doc's token indexes, in order, where a number expression can start: a vague
    number or a number token (``_is_num_lower``).

    ``sentence_figures`` used to test each word of each sentence it reads; the words are
    tested once per doc here instead (each distinct word once) and the indexes kept in
    ``doc.user_data`` with the vocabulary they were found with."""
    cached: tuple[IncidentLexicon, list[int]] | None = doc.user_data.get(
        "dragoman_number_starts")
    if cached is not None and cached[0] is lex:
        return cached[1]
    lowers = token_column(doc, LOWER)
    vague, units, scales = lex.vague, lex.units, lex.scales
    number: dict[str, bool] = {}
    for low in set(lowers):
        if low in vague:
            number[low] = True
        elif low and "-" not in low and not low[0].isdigit():
            # (a word without a hyphen that does not start with a digit is a number only
            # as a unit or scale word: ``_is_num_lower`` in short)
            number[low] = low in units or low in scales
        else:
            number[low] = _is_num_lower(low, lex)
    starts = [i for i, low in enumerate(lowers) if number[low]]
    doc.user_data["dragoman_number_starts"] = (lex, starts)
    return starts


def find_figures(ctx: DocContext) -> list[CasualtyFigure]:
    """Every casualty figure of the document, in text order; none inside boilerplate (a
    related-articles block glued to the last sentence: "... Related Airstrikes Against IS
    Kill Over 900 in Syria Watchdog")."""
    lex = load_incident_lexicon()
    out: list[CasualtyFigure] = []
    like_num, lowers = (token_column(ctx.doc, a) for a in (LIKE_NUM, LOWER))
    vague, units = lex.vague, lex.units
    # (whether each token can make its sentence worth reading: tested once per token)
    counts = [bool(n) or low in vague or low in units
              for n, low in zip(like_num, lowers, strict=True)]
    for sent in ctx.doc.sents:
        if any(counts[sent.start:sent.end]):
            out += sentence_figures(ctx, sent, lex, ctx.quotes)
    return drop_boilerplate(out, ctx.boilerplate, ctx.base)


def is_vague(figure: CasualtyFigure, lex: IncidentLexicon | None = None) -> bool:
    """A figure stated with a word for no number ("dozens", "hundreds of civilians")."""
    lex = lex or load_incident_lexicon()
    words = _WORDS.findall(figure.text.lower())
    if any(_DIGITS.match(w) or w in lex.units or w in lex.scales for w in words):
        return False
    return any(w in lex.vague for w in words)


def _pick(figures: list[CasualtyFigure]) -> CasualtyFigure:
    rising = [f for f in figures if f.rising]
    if rising:
        return rising[-1]
    # a stated number before a word for none ("dozens of civilians ... at least 31")
    stated = [f for f in figures if not is_vague(f)]
    return (stated or figures)[0]


def resolve_casualties(figures: Iterable[CasualtyFigure],
                       default_source: str | None = None) -> Casualties:
    """An incident's tolls from its figures: per kind and category a rising toll's latest
    figure, else the first stated number (a vague word, "dozens", only when no number is
    given); background figures (a war's toll) are left out."""
    figs = sorted(figures, key=lambda f: f.start)
    counted = [f for f in figs if not f.background]
    tolls: dict[str, dict[str, CasualtyCount]] = {"killed": {}, "injured": {}}
    source = None
    for kind in ("killed", "injured"):
        for cat in CATEGORIES:
            these = [f for f in counted if f.kind == kind and f.category == cat]
            if these:
                chosen = _pick(these)
                tolls[kind][cat] = chosen.count
                if kind == "killed" and source is None:
                    source = chosen.source
    return Casualties(
        killed=Toll(**tolls["killed"]),
        injured=Toll(**tolls["injured"]),
        source=source or (default_source if counted else None),
        figures=tuple(figs),
    )
