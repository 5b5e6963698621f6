"""The date of an event: the date in its trigger's clause, else its sentence, else the
dateline's, else the publication date — with the basis it came from.

Reads the document's extracted dates (``ctx.dates``, from ``extract.extract``); no data
file of its own.
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ...types import DateRef
from ..context import DocContext
from .extract import dateline_date
from .resolve import resolve

__all__ = ["event_date"]


def _is_date_value(value: str | None) -> bool:
    return bool(value) and value[0].isdigit()  # type: ignore[index]


def _reaches(tok: Token, trigger: Token) -> int | None:
    """Steps from ``tok`` up to ``trigger`` without crossing another verb."""
    t = tok
    steps = 0
    while t.head is not t and steps < 8:
        steps += 1
        if t.head.i == trigger.i:
            return steps
        if t.head.pos_ in ("VERB", "AUX") and t.head.i != trigger.i:
            return None
        t = t.head
    return None


def event_date(ctx: DocContext, sent: SpacySpan, trigger: Token) -> tuple[str | None, str | None]:
    """(value, basis) of the event of ``trigger``: the date in its clause, else in its
    sentence (basis "text"), else the dateline's date ("dateline"), else the publication
    date ("published"), else (None, None). Only day/month/year-like values count."""
    doc = ctx.doc
    s0, s1 = ctx.abs(sent.start_char), ctx.abs(sent.end_char)
    in_sent = [d for d in ctx.dates
               if s0 <= d.start and d.end <= s1 and d.kind in ("date", "range")
               and _is_date_value(d.value)]
    best: tuple[int, int, DateRef] | None = None
    anchors = [trigger] + ([trigger.head] if trigger.head is not trigger
                           and trigger.pos_ not in ("VERB", "AUX") else [])
    for d in in_sent:
        span = doc.char_span(d.start - ctx.base, d.end - ctx.base, alignment_mode="expand")
        if span is None:
            continue
        for rank, a in enumerate(anchors):
            steps = _reaches(span.root, a)
            if steps is not None:
                key = (rank, steps, d)
                if best is None or key[:2] < best[:2]:
                    best = key
                break
    if best is None and in_sent:
        nearest = min(in_sent, key=lambda d: abs(d.start - ctx.abs(trigger.idx)))
        best = (9, 9, nearest)
    if best is not None:
        value = best[2].value
        assert value is not None
        return value.split("/")[0], "text"
    dl = ctx.dateline.date if ctx.dateline is not None else None
    if dl is not None:
        dl_date = dateline_date(dl.text)
        if dl_date is None and ctx.published is not None:
            r = resolve(dl.text, ctx.published)
            if r is not None and _is_date_value(r.value):
                return (r.value or "").split("/")[0], "dateline"
        if dl_date is not None:
            return dl_date.isoformat(), "dateline"
    if ctx.published is not None:
        return ctx.published.isoformat(), "published"
    return None, None
