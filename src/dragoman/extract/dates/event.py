"""The date of an event: the date in its trigger's clause, else its sentence, else the
dateline's, else the publication date — with the basis it came from.

Reads the document's extracted dates (``ctx.dates``, from ``extract.extract``); no data
file of its own.
"""

from __future__ import annotations

import re

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ...types import DateRef
from ..context import DocContext
from .extract import dateline_date
from .resolve import resolve
from .vocab import load_cues

__all__ = ["background", "date_precision", "event_date"]

_PRECISION = (  # the shape of a date value → its precision
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "day"),
    (re.compile(r"^\d{4}-W\d{2}$"), "week"),
    (re.compile(r"^\d{4}-\d{2}$"), "month"),
    (re.compile(r"^\d{4}-Q\d$"), "quarter"),
    (re.compile(r"^\d{4}-(?:SP|SU|FA|WI)$"), "season"),
    (re.compile(r"^\d{4}$"), "year"),
    (re.compile(r"^\d{3}$"), "decade"),
    (re.compile(r"^\d{2}$"), "century"),
)


def date_precision(value: str | None) -> str | None:
    """The precision of an event's date value: day, week, month, quarter, season, year,
    decade or century (None for no value or another shape).

    >>> date_precision("2017-04-12"), date_precision("2017-W15"), date_precision("2017")
    ('day', 'week', 'year')
    """
    for pattern, name in _PRECISION:
        if value and pattern.match(value):
            return name
    return None


_CLAUSES = frozenset({"ccomp", "advcl", "relcl", "conj", "acl", "xcomp", "parataxis"})


def background(trigger: Token) -> bool:
    """Whether a trigger states background rather than the news: a present perfect with a
    word of duration in its own clause ("the operation has so far captured Jarablus", "has
    killed more than 300,000 people since 2011"; the words are ``background_words`` in
    ``cues.yaml``)."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if not (verb.tag_ == "VBN" and any(a.lower_ in ("has", "have", "'ve", "'s") for a in auxes)):
        return False
    words = load_cues().background_words
    own = [verb] + [t for c in verb.children if c.dep_ not in _CLAUSES for t in c.subtree]
    span_text = " ".join(t.lower_ for t in sorted(own, key=lambda t: t.i))
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", span_text) for w in words)


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
    date ("published"), else (None, None). Only day/month/year-like values count. A
    background statement (``background``) takes neither the dateline's nor the publication
    date."""
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
    if background(trigger):
        return None, None  # background ("has so far captured"): not dated by the article
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
