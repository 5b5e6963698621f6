"""Actors: a name's title — the country, sector and title words around it.

``title_context`` walks left from a name over its title ("Russian Foreign Minister
[Sergey Lavrov]", "Arab League Secretary-General [X]"), falls back to the title noun the
name stands in apposition to ("Qatar's emir, [Sheikh Hamad]") and to an apposition after
it ("[Adel al-Jubeir], Saudi foreign minister,"). Title terms come from ``sectors.yaml``.
"""

from __future__ import annotations

from spacy.tokens import Token

from .entries import SPECIAL_CODES
from .names import norm
from .state import DocState

__all__ = ["lemma_word", "title_context"]

_TITLE_WINDOW = 8  # tokens walked left of a name for its title
#: parts of speech that end the walk left over a title (a name's title is nouns,
#: adjectives and proper nouns)
_STOP_LEFT = {"DET", "ADP", "VERB", "AUX", "PUNCT", "CCONJ", "SCONJ", "PRON", "NUM", "SPACE"}


def title_context(
    r: DocState, start: int, end: int, nested: bool = False
) -> tuple[str | None, str | None, str, int]:
    """Country, sector, title words and new start from the words before (or the
    apposition after) a name: "Russian Foreign Minister [Sergey Lavrov]"; a name in
    apposition to a title before it takes that title ("Qatar's emir, [Sheikh Hamad]",
    "the Federal Minister for Interior [X]")."""
    doc = r.doc
    country: str | None = None
    sector: str | None = None
    words: list[str] = []
    i = start - 1
    new_start = start
    # a title is a few words long: walk at most _TITLE_WINDOW tokens left, never past
    # the sentence start (unpunctuated text would otherwise make this quadratic)
    floor = max(r.sent_start(start), start - _TITLE_WINDOW)
    while i >= floor and i not in r.skip:
        t = r.toks[i]
        if t.text in ("'s", "’s", "'"):
            i -= 1
            continue
        if t.text == "-" and i > 0 and not r.toks[i - 1].whitespace_ and not t.whitespace_:
            i -= 1  # "Secretary-General"
            continue
        m = r.by_token.get(i)
        if m is not None and m.kind in ("org", "group", "country") and m.start < start:
            # "Arab League Secretary-General X", "Niger's ambassador X"
            if country is None and m.country and (
                m.kind == "country" or m.country in SPECIAL_CODES
            ):
                country = m.country
            new_start = min(new_start, m.start)
            i = min(i, m.start) - 1  # always move left, even on an odd token map
            continue
        if t.pos_ in _STOP_LEFT and t.lower_ not in r.lex.title_function_words:
            break
        if t.is_punct or "\n" in t.text:
            break
        low = t.lemma_.lower()
        key = norm(t.text)
        iso = r.demonym_of(t) or r.kb.demonyms.get(key)
        if iso is not None:
            country = iso  # the nearest demonym wins over an organisation's country
        elif country is None and r.kb.names.get(key):
            e = r.kb.entries[r.kb.names[key][0]]
            if e.kind == "country":
                country = e.country
        elif t.pos_ in ("NOUN", "PROPN", "ADJ"):
            words.append(t.lower_)
            if low in r.lex.modifiers and sector is None:
                sector = r.lex.modifiers[low]
        else:
            break
        new_start = i
        i -= 1
    words.reverse()
    title_lemmas = [lemma_word(w) for w in words]
    term: tuple[int, str] | None = None
    for stop in range(len(title_lemmas), 0, -1):
        term = r.lex.match_at(title_lemmas, stop)
        if term:
            break
    if term:
        # a modifier ("opposition negotiator") beats a generic title sector
        term_sector = term[1]
        # ("former president X": an elite, no longer the government)
        sector = sector if sector in ("REB", "MIL", "OPP", "ELI") and term_sector == "GOV" \
            else term_sector
    if term is None and country is None and not nested and end > start:
        head = _title_head_before(r, start, end, i)
        if head is not None:
            c2, s2, w2, _ = title_context(r, head.i + 1, head.i + 1, nested=True)
            if s2 is not None:
                return c2, s2, w2, new_start
    # apposition after: "Adel al-Jubeir, Saudi foreign minister,"
    if not words and end < len(doc) - 2 and r.toks[end].text == ",":
        j = end + 1
        app: list[Token] = []
        while j < len(doc) and not r.toks[j].is_punct and len(app) < 6:
            app.append(r.toks[j])
            j += 1
        lem = [lemma_word(t.lower_) for t in app if t.pos_ != "DET"]
        hit = r.lex.match_at(lem, len(lem)) if lem else None
        if hit:
            sector = hit[1]
            words = [t.lower_ for t in app]
            for t in app:
                key = norm(t.text)
                if key in r.kb.demonyms:
                    country = r.kb.demonyms[key]
                    break
    return country, sector, " ".join(words), new_start


def _title_head_before(r: DocState, start: int, end: int, stop: int) -> Token | None:
    """The title noun a name stands in apposition to: the parse's ``appos`` head before
    it, or the noun right before the comma where the title walk stopped."""
    doc = r.doc
    root = doc[start:end].root
    cands: list[Token] = []
    if root.dep_ == "appos" and root.head.i < start and start - root.head.i <= _TITLE_WINDOW:
        cands.append(root.head)
    if 0 < stop < start and r.toks[stop].text == "," and r.toks[stop - 1].pos_ in ("NOUN", "PROPN"):
        cands.append(r.toks[stop - 1])
    for h in cands:
        if h.i in r.taken and r.by_token.get(h.i) is not None and (
            r.by_token[h.i].kind == "person"
        ):
            continue
        if r.lex.match_at(r.lemmas, h.i + 1) is not None or (
            r.lemmas[h.i] in r.lex.person_titles
        ):
            return h
    return None


def lemma_word(word: str) -> str:
    """A cheap singular for title words already lower-cased ("ministers" → "minister")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word

