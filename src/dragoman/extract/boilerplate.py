"""Boilerplate in a parsed document: doc-relative ranges no extractor codes from.

``boilerplate_ranges(doc, text, base, end)`` finds the article's boilerplate inside the
doc (``dragoman.ingest.boilerplate.find_boilerplate`` over ``text[base:end]``) and turns it
into doc-relative character ranges. A tag run, which has no end mark in flattened text, is
cut at the earlier of two signs that the lead sentence has begun:

- the subject of the first past-tense (or auxiliary-led) verb inside it ("Tags Syria Idlib
  SOHR Syrian rebels launched …" ends before "Syrian rebels");
- the first lower-case function word (preposition, determiner, auxiliary, conjunction,
  pronoun) that is not inside a name ("Observatory for Human Rights"): tags are names and
  nouns, so the sentence starts at the capitalised word or number before it ("… Syria
  airstrikes Overnight airstrikes on the …" ends before "Overnight"; "… Assad war
  Government air raids in a northwestern town …" before "Government").

``DocContext.boilerplate`` computes this once per document; the extract stages drop what
falls inside (``drop_boilerplate``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from spacy.attrs import DEP, ENT_TYPE, LEMMA, LOWER, NORM, ORTH, POS, SHAPE, TAG
from spacy.tokens import Doc, Token

from ..ingest.boilerplate import BoilerplateLexicon, find_boilerplate

__all__ = ["boilerplate_ranges", "doc_text", "drop_boilerplate", "inside", "token_column",
           "token_columns"]

_AUXED = frozenset({"VBN", "VBG", "VB"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_MODIFIERS = frozenset({"ADJ", "DET", "NUM"})
#: closed-class parts of speech: a lower-case one does not occur in a list of tags
_FUNCTION = frozenset({"ADP", "DET", "AUX", "CCONJ", "SCONJ", "PRON", "PART"})
#: capitalised words before the sentence's first noun that belong to the sentence
#: ("Suspected Syrian regime and Russian airstrikes", "Intense Syrian regime bombardment")
_LEADING = frozenset({"ADJ", "VERB"})

_T = TypeVar("_T")


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per doc: spaCy joins every token each time it is asked."""
    cached = doc.user_data.get("dragoman_text")
    if cached is None:
        cached = doc.text
        doc.user_data["dragoman_text"] = cached
    return cached


#: token attributes whose ``to_array`` values are string ids
_STRING_ATTRS = frozenset({DEP, ENT_TYPE, LEMMA, LOWER, NORM, ORTH, POS, SHAPE, TAG})


def token_columns(doc: Doc, attrs: Sequence[int]) -> list[list[Any]]:
    """The tokens' ``attrs`` as plain lists, one per attribute, read with one
    ``Doc.to_array``: string attributes as their strings, the others as ints (a HEAD is
    the offset to the head, as spaCy stores it). The hot loops then test lists instead of
    making a spaCy token per test.

    Each column is read once per doc (kept in ``doc.user_data``: the stages ask for the
    same ones); the caller gets its own copy of each list."""
    return [list(col) for col in _columns(doc, attrs)]


def token_column(doc: Doc, attr: int) -> list[Any]:
    """``token_columns`` of one attribute, the doc's own list: read it, never change it."""
    return _columns(doc, [attr])[0]


def _columns(doc: Doc, attrs: Sequence[int]) -> list[list[Any]]:
    cache: dict[int, list[Any]] | None = doc.user_data.get("dragoman_columns")
    if cache is None:
        cache = doc.user_data["dragoman_columns"] = {}
    missing = [a for a in dict.fromkeys(attrs) if a not in cache]
    if missing:
        arr = doc.to_array(list[int | str](missing))
        if arr.ndim == 1:
            arr = arr.reshape(-1, len(missing))
        strings = doc.vocab.strings
        cols = [arr[:, k].tolist() for k in range(len(missing))]
        ids: set[int] = set()
        for a, col in zip(missing, cols, strict=True):
            if a in _STRING_ATTRS:
                ids.update(col)
        names = {h: strings[h] for h in ids}
        for a, col in zip(missing, cols, strict=True):
            cache[a] = list(map(names.__getitem__, col)) if a in _STRING_ATTRS else col
    return [cache[a] for a in attrs]


def _capital(tok: Token) -> bool:
    return tok.text[:1].isupper()


def _in_name(tok: Token) -> bool:
    """Whether a lower-case function word belongs to a name: between two capitalised words,
    perhaps with one more function word ("Observatory for Human Rights", "Staffan de
    Mistura", "al-Qaeda in the Arabian Peninsula"), hyphened to one ("al-Nusra"), or a
    determiner opening one ("the Nusra Front")."""
    doc = tok.doc
    after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    before = doc[tok.i - 1] if tok.i > 0 else None
    if after is not None and after.text in "-‐–" and not tok.whitespace_:
        return True
    if before is not None and before.text in "-‐–" and not before.whitespace_:
        return True
    if after is None:
        return False
    if tok.pos_ == "DET" and _capital(after):
        return True
    if before is None or not _capital(before):
        return False
    if _capital(after):
        return True
    return (after.pos_ in _FUNCTION and after.text[:1].islower() and tok.i + 2 < len(doc)
            and _capital(doc[tok.i + 2]))


def _function_cut(doc: Doc, first: int, last: int) -> int | None:
    """The token where the lead sentence starts in a tag run whose tags are
    ``doc[first:last]``: the capitalised word (or number) before its first lower-case
    function word, with the capitalised adjectives and participles that modify a word after
    them ("Suspected Syrian regime … airstrikes in"); None when the run has no such word."""
    for tok in doc[first:last]:
        if tok.pos_ not in _FUNCTION or not tok.text[:1].islower() or _in_name(tok):
            continue
        k = tok.i - 1
        while k > first and not (_capital(doc[k]) or doc[k].like_num):
            k -= 1
        while k - 1 > first and doc[k].like_num and doc[k - 1].like_num:
            k -= 1
        while (k - 1 > first and _capital(doc[k - 1]) and doc[k - 1].pos_ in _LEADING
               and doc[k - 1].head.i > k - 1):
            k -= 1
        return k if k > first else None
    return None


def _tag_cut(doc: Doc, start: int, end: int) -> int:
    """Where a tag run ``[start, end)`` really ends: the earlier of the subject of its first
    past tense or auxiliary-led verb (with at most one adjective, determiner or number
    before the subject's head) and the sentence start before its first lower-case function
    word (``_function_cut``)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) < 3:
        return end
    first = span[1].i  # the first tag word (span[0] is the cue)
    k = _function_cut(doc, first, span.end)
    if k is not None:
        end = min(end, doc[k].idx)
    for tok in span[2:]:
        # a tag run mis-parses plural nouns as VBZ/VBP ("Raqqa airstrikes"): only a past
        # tense or a verb with an auxiliary ("were killed", "have launched") opens the body
        if tok.tag_ != "VBD" and not (
            tok.tag_ in _AUXED and any(c.dep_ in ("aux", "auxpass") for c in tok.children)
        ):
            continue
        subj: Token | None = next((c for c in tok.children if c.dep_ in _SUBJECTS), None)
        cut = subj if subj is not None and subj.i < tok.i else tok
        if cut.i - 1 > first and doc[cut.i - 1].pos_ in _MODIFIERS:
            cut = doc[cut.i - 1]
        if cut.i > first:
            return min(end, cut.idx)
        return end
    return end


def boilerplate_ranges(doc: Doc, text: str, base: int, end: int,
                       lexicon: BoilerplateLexicon | None = None) -> tuple[tuple[int, int], ...]:
    """Doc-relative ``[start, end)`` ranges of the boilerplate in ``text[base:end]`` (the
    doc's own text, ``doc.text == text[base:end]``); ``lexicon``: the phrases
    (``Resources.boilerplate``), the packaged ones when None."""
    out: list[tuple[int, int]] = []
    for b in find_boilerplate(text, base, end, lexicon):
        s, e = b.span.start - base, b.span.end - base
        if b.kind == "tags":
            e = _tag_cut(doc, s, e)
            while e > s and doc_text(doc)[e - 1].isspace():
                e -= 1
        if e > s:
            out.append((s, e))
    return tuple(sorted(out))


def inside(ranges: Sequence[tuple[int, int]], offset: int) -> bool:
    """Whether an offset falls inside one of ``ranges``."""
    return any(a <= offset < b for a, b in ranges)


def drop_boilerplate(records: Sequence[_T], ranges: Sequence[tuple[int, int]], base: int,
                     start_of: str = "start") -> list[_T]:
    """``records`` less those whose ``start_of`` offset (into the original text) falls inside
    a doc-relative range of ``ranges`` (``base``: the doc's start in the original text)."""
    if not ranges:
        return list(records)
    return [r for r in records if not inside(ranges, getattr(r, start_of) - base)]
