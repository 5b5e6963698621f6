"""Boilerplate in a parsed document: doc-relative ranges no extractor codes from.

``boilerplate_ranges(doc, text, base, end)`` finds the article's boilerplate inside the
doc (``dragoman.ingest.boilerplate.find_boilerplate`` over ``text[base:end]``) and turns it
into doc-relative character ranges. A tag run, which has no end mark in flattened text, is
cut before the subject of the first past-tense (or auxiliary-led) verb inside it ("Tags Syria Idlib SOHR Syrian
rebels launched …" ends before "Syrian rebels"). ``DocContext.boilerplate`` computes this
once per document; the extract stages drop what falls inside (``drop_boilerplate``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from spacy.tokens import Doc, Token

from ..ingest.boilerplate import find_boilerplate

__all__ = ["boilerplate_ranges", "drop_boilerplate", "inside"]

_AUXED = frozenset({"VBN", "VBG", "VB"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_MODIFIERS = frozenset({"ADJ", "DET", "NUM"})

_T = TypeVar("_T")


def _tag_cut(doc: Doc, start: int, end: int) -> int:
    """Where a tag run ``[start, end)`` really ends: before the subject of its first past
    tense or auxiliary-led verb (with at most one adjective, determiner or number before the
    subject's head)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) < 3:
        return end
    first = span[1].i  # the first tag word (span[0] is the cue)
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


def boilerplate_ranges(doc: Doc, text: str, base: int, end: int) -> tuple[tuple[int, int], ...]:
    """Doc-relative ``[start, end)`` ranges of the boilerplate in ``text[base:end]`` (the
    doc's own text, ``doc.text == text[base:end]``)."""
    out: list[tuple[int, int]] = []
    for b in find_boilerplate(text, base, end):
        s, e = b.span.start - base, b.span.end - base
        if b.kind == "tags":
            e = _tag_cut(doc, s, e)
            while e > s and doc.text[e - 1].isspace():
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
