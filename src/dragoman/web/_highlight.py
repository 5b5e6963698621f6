"""Split a text into pieces, each carrying the annotations that cover it.

The pages render every piece as plain (auto-escaped) text inside an element whose classes
name the annotations; nothing from the article is ever interpreted as markup. Overlapping
and nested annotations are handled by cutting the text at every span boundary.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Mark", "Piece", "pieces"]


@dataclass(frozen=True, slots=True)
class Mark:
    """One annotation over ``[start, end)`` of the *original* document text."""

    start: int
    end: int
    kind: str  # trigger | actor | recipient | place | date | quote | cue | frame | focus
    label: str = ""
    link: str = ""  # a same-origin URL the marked text links to (a trigger: its event)


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    start: int  # offset in the original text
    kinds: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    link: str = ""  # the first link of the marks covering it

    @property
    def css(self) -> str:
        return " ".join(f"a-{k}" for k in self.kinds)

    @property
    def title(self) -> str:
        return "; ".join(x for x in self.labels if x)


def pieces(text: str, marks: Iterable[Mark], base: int = 0,
           cuts: Iterable[int] = ()) -> list[Piece]:
    """Pieces of ``text`` (which starts at offset ``base`` of the document) with their marks.

    Marks outside the text are clipped; empty or inverted marks are ignored. ``cuts`` are
    extra offsets where a piece must start (e.g. sentence starts, for links to them).
    """
    end_of_text = base + len(text)
    clipped: list[Mark] = []
    for m in marks:
        start, end = max(m.start, base), min(m.end, end_of_text)
        if start < end:
            clipped.append(Mark(start, end, m.kind, m.label, m.link))
    cuts = {base, end_of_text} | {c for c in cuts if base < c < end_of_text}
    for m in clipped:
        cuts.add(m.start)
        cuts.add(m.end)
    bounds = sorted(cuts)
    out: list[Piece] = []
    for lo, hi in itertools.pairwise(bounds):
        covering = [m for m in clipped if m.start <= lo and hi <= m.end]
        kinds = tuple(dict.fromkeys(m.kind for m in covering))
        labels = tuple(dict.fromkeys(m.label for m in covering if m.label))
        link = next((m.link for m in covering if m.link), "")
        out.append(Piece(text[lo - base:hi - base], lo, kinds, labels, link))
    return out
