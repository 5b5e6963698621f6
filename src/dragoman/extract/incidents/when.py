"""When an incident happened, as the document states it: date values against the article's
publication date.

``date_precision`` (day | week | month | year of a date value), ``last_day`` (the last
day a value can denote), ``is_past`` (a date well before publication), ``past_sentences``
(sentences about an earlier happening: every date they state is old) and
``old_sentences`` (sentences stating any date older than a number of days: their figures
count an earlier happening or a period). Split from ``grouping.py``, which reads them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ..context import DocContext

__all__ = ["date_precision", "is_past", "last_day", "old_sentences", "past_sentences"]

_PAST_DAYS = 60  # a stated date this long before publication is another, earlier happening
_VALUE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def date_precision(value: str | None) -> str | None:
    if not value:
        return None
    if "W" in value:
        return "week"
    if len(value) >= 10:
        return "day"
    if len(value) == 7:
        return "month"
    if len(value) == 4 and value.isdigit():
        return "year"
    return None


def last_day(value: str | None) -> dt.date | None:
    """The last day a date value ("2013", "2013-08", "2013-08-21") can denote."""
    m = _VALUE.match((value or "").split("/")[0])
    if m is None:
        return None
    year = int(m.group(1))
    month = int(m.group(2) or 12)
    if not (1 <= month <= 12):
        return None
    day = int(m.group(3) or calendar.monthrange(year, month)[1])
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def is_past(ctx: DocContext, value: str | None) -> bool:
    """A stated date well before the article's publication ("in August 2013")."""
    last = last_day(value)
    return (last is not None and ctx.published is not None
            and (ctx.published - last).days > _PAST_DAYS)


def past_sentences(ctx: DocContext) -> set[int]:
    """Sentences about an earlier happening: they state a date well before publication
    and none near it ("Hundreds died in a sarin attack in Ghouta in August 2013")."""
    past: set[int] = set()
    if ctx.published is None:
        return past
    for sent in ctx.doc.sents:
        s0, s1 = ctx.abs(sent.start_char), ctx.abs(sent.end_char)
        values = [d.value for d in ctx.dates
                  if s0 <= d.start and d.end <= s1 and d.kind in ("date", "range")
                  and last_day(d.value) is not None]
        if values and all(is_past(ctx, v) for v in values):
            past.add(ctx.sentence_index(sent))
    return past


def old_sentences(ctx: DocContext, days: int) -> set[int]:
    """Sentences that state a date more than ``days`` before publication, whatever else
    they state ("12,679 died of torture from March 2011 to ..."): their figures count an
    earlier happening or a period."""
    old: set[int] = set()
    if ctx.published is None:
        return old
    for d in ctx.dates:
        if d.kind not in ("date", "range"):
            continue
        last = last_day(d.value)
        if last is None or (ctx.published - last).days <= days:
            continue
        at = d.start - ctx.base
        if not 0 <= at < len(ctx.text):
            continue
        a = ctx.doc.char_span(at, at + 1, alignment_mode="expand")
        if a is not None:
            old.add(ctx.sentence_index(a.sent))
    return old
