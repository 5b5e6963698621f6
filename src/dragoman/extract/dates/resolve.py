"""The date resolver: one temporal expression's text → its TIMEX3 value, in pure Python.

``resolve(text, anchor, tense)`` normalises the text (lower case, spelled years as digits,
lead words such as "on the" dropped) and tries an ordered table of rules, each a compiled
regex and a small handler; the first rule whose handler decides wins. A handler may
decline (``GO_ON``) to let the later rules try. Values follow TimeML's TIMEX3 conventions,
which are ISO 8601 where ISO has a form:

=========  ===========================  ===================================
precision  value                        example
=========  ===========================  ===================================
day        ``YYYY-MM-DD``               "on Wednesday" → ``2017-04-12``
week       ``YYYY-Www``                 "last week" → ``2017-W14``
month      ``YYYY-MM``                  "earlier this month" → ``2017-04``
quarter    ``YYYY-Qn`` / ``YYYY-Hn``    "the third quarter" → ``1989-Q3``
season     ``YYYY-SU`` (SP, FA, WI)     "this summer" → ``2017-SU``
year       ``YYYY``                     "last year" → ``2016``
decade     ``YYY``                      "the 1990s" → ``199``
None       ``PRESENT_REF`` …            "now", "recently", "the future"
=========  ===========================  ===================================

Ranges ("April 3-5") have kind ``range`` and an ISO interval ``2017-04-03/2017-04-05``;
durations ("three years") kind ``duration`` and ``P3Y``; sets ("every week") kind ``set``
and their period (``P1W``). A weekday means the most recent such day on or before the
anchor, unless the tense says future ("will meet on Monday" → the next Monday). Without an
anchor, relative expressions keep ``value=None``. The calendar arithmetic, ``Resolved`` and
``last_day`` (a value read back as the latest day it can mean) are in ``values``.

The vocabulary is ``data/dates/dates.yaml`` (``vocab.load_vocab``). This module imports
neither spaCy nor ``dragoman.extract.context``.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from .values import (
    Resolved,
    day_from,
    day_value,
    iso_week,
    last_day,
    month_day_value,
    pick_year,
    quarter_value,
    shift,
    unit_value,
)
from .vocab import Vocab, load_vocab

__all__ = ["Resolved", "iso_week", "last_day", "load_vocab", "norm", "resolve"]


def _num(tok: str, vocab: Vocab) -> int | None:
    if tok.isdigit():
        return int(tok)
    return vocab.numbers.get(tok)


_CLEAN = re.compile(r"[^\w\s/\-']")


def norm(text: str) -> str:
    """An expression as the rules read it: lower case, spelled years as digits, punctuation
    out, single spaces, lead words ("on the") and a final "'s" dropped."""
    v = load_vocab()
    s = text.lower().replace("’", "'").strip()
    s = v.spelled_years.pattern.sub(v.spelled_years.value, s)
    s = _CLEAN.sub(" ", s)
    s = re.sub(r"\s+", " ", s).strip()
    prev = None
    while prev != s:
        prev = s
        s = v.lead.sub("", s)
    s = re.sub(r"'s$", "", s)
    return s


def resolve(text: str, anchor: dt.date | None, tense: str | None = None) -> Resolved | None:
    """Resolve one temporal expression; None when it is not one dragoman understands.

    ``tense`` is "past", "future" or None (unknown/present): it decides which way a
    weekday or a month without a year points from the ``anchor``.
    """
    v = load_vocab()
    s = norm(text)
    if not s:
        return None
    r = _resolve_norm(s, anchor, tense, v)
    if r is None and " " in s:
        # drop a leading qualifier ("early", "late", "mid") and try again
        m = v.qualified.match(s)
        if m:
            r = _resolve_norm(v.lead.sub("", m.group(1)), anchor, tense, v)
    if r is None:
        m = v.hyphen_qualified.match(s)  # "mid-November"
        if m:
            r = _resolve_norm(m.group(1), anchor, tense, v)
    return r


# --------------------------------------------------------------------------- the rules


class _Go(enum.Enum):
    ON = "on"


#: a handler's "not mine": the next rule tries
GO_ON: Literal[_Go.ON] = _Go.ON
Outcome = Resolved | None | Literal[_Go.ON]
Handler = Callable[[re.Match[str], str, dt.date | None, str | None, Vocab], Outcome]


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    handler: Handler


def _rule(pattern: str, handler: Handler) -> _Rule:
    return _Rule(re.compile(pattern), handler)


def _resolve_norm(s: str, anchor: dt.date | None, tense: str | None,
                  v: Vocab) -> Resolved | None:
    """The first rule's decision on a normalised expression; None when no rule decides."""
    for rule in _rules():
        m = rule.pattern.match(s)
        if m is not None:
            out = rule.handler(m, s, anchor, tense, v)
            if out is not GO_ON:
                return out
    return None


def _single_day(r: Resolved | None) -> dt.date | None:
    if r is not None and r.precision == "day" and r.value and "/" not in r.value:
        return dt.date.fromisoformat(r.value)
    return None


def _week_of(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
             v: Vocab) -> Outcome:
    """ "the week of March 6": the ISO week holding that day."""
    d = _single_day(_resolve_norm(m.group(1), anchor, tense, v))
    return Resolved(iso_week(d), "week") if d is not None else GO_ON


def _period_ended(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                  v: Vocab) -> Outcome:
    """ "the fourth quarter ended Aug. 26", "the year ended Sept. 30": the period, placed by
    its last day (a fiscal quarter keeps its own number)."""
    d = _single_day(_resolve_norm(m.group(2), anchor, "past", v))
    if d is None:
        return _resolve_norm(m.group(1), anchor, tense, v)
    head = m.group(1)
    if head.endswith("year"):
        return Resolved(f"{d.year:04d}", "year")
    n = next((o for w, o in v.ordinals.items() if o > 0 and re.search(
        rf"\b{re.escape(w)}\b", head)), None)
    if head.endswith("half"):
        return Resolved(f"{d.year:04d}-H{n or (1 if d.month <= 6 else 2)}", "quarter")
    return Resolved(f"{d.year:04d}-Q{n or (d.month - 1) // 3 + 1}", "quarter")


def _years_quarter(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                   v: Vocab) -> Outcome:
    """ "this year's third quarter", "the 1988 second quarter", "the year-ago third
    quarter"."""
    which = m.group(1)
    if anchor is None and not which[0].isdigit():
        return GO_ON
    if which[0].isdigit():
        y = int(which)
    else:
        assert anchor is not None
        y = anchor.year + (1 if which.startswith("next") else
                           0 if which.startswith("this") else -1)
    n = v.ordinals.get((m.group(2) or "").replace("fiscal ", ""))
    if m.group(3) == "half":
        return Resolved(f"{y:04d}-H{n or 1}", "quarter") if n and n <= 2 else None
    if n is None:
        if anchor is None:
            return Resolved(None, "quarter")
        n = ((anchor.month - 1) // 3 - 1) % 4 + 1  # the latest completed quarter's number
    return Resolved(f"{y:04d}-Q{n}", "quarter")


def _spelled_decade(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                    v: Vocab) -> Outcome:
    """Spelled decades: "the nineties"."""
    return Resolved(f"19{v.spelled_decades[m.group(1)]}", "decade")


def _whole_year(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                v: Vocab) -> Outcome:
    """The year a text is about ("the current fiscal year")."""
    return Resolved(f"{anchor.year:04d}", "year") if anchor is not None else GO_ON


def _set(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
         v: Vocab) -> Outcome:
    return Resolved(v.sets[s], None, "set")


def _every_weekday(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                   v: Vocab) -> Outcome:
    return Resolved("P1W", None, "set") if m.group(1) in v.weekdays else GO_ON


def _ref(value: str) -> Handler:
    def handler(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                v: Vocab) -> Outcome:
        return Resolved(value, None)
    return handler


def _iso_day(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
             v: Vocab) -> Outcome:
    return day_value(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _slash_date(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                v: Vocab) -> Outcome:
    y = int(m.group(3))
    y = y + (1900 if y >= 50 else 2000) if y < 100 else y
    return day_value(y, int(m.group(1)), int(m.group(2)))


def _slash_month_day(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                     v: Vocab) -> Outcome:
    if not anchor:
        return GO_ON
    mo, dd = int(m.group(1)), int(m.group(2))
    if 1 <= mo <= 12:
        return day_value(pick_year(mo, dd, anchor, tense), mo, dd)
    return GO_ON


def _month_of_year(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                   v: Vocab) -> Outcome:
    """ "June last year"."""
    if anchor is None:
        return Resolved(None, "month")
    y = anchor.year + {"last": -1, "next": 1}.get(m.group(2), 0)
    return Resolved(f"{y:04d}-{v.months[m.group(1)]:02d}", "month")


def _century(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
             v: Vocab) -> Outcome:
    return Resolved(f"{int(m.group(1)) - 1:02d}", "century")


def _vague_plural(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                  v: Vocab) -> Outcome:
    """ "recent weeks", "the coming months", "several years ago"."""
    if s.startswith(("several", "a few", "many")) and not s.endswith("ago"):
        return GO_ON
    future = s.startswith(("coming", "the coming", "next few", "the next few"))
    return Resolved("FUTURE_REF" if future else "PAST_REF", None)


def _year(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
          v: Vocab) -> Outcome:
    return Resolved(m.group(1), "year")


def _decade(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
            v: Vocab) -> Outcome:
    return Resolved(m.group(1), "decade")


def _month_day_year(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                    v: Vocab) -> Outcome:
    """ "April 3", "April 3-5", "Aug. 7, 1998" (a modifier before it is read past)."""
    mon, day1, day2, year = m.group(2), m.group(3), m.group(4), m.group(5)
    return month_day_value(v.months[mon], int(day1), int(day2) if day2 else None,
                      int(year) if year else None, anchor, tense)


def _day_month_year(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                    v: Vocab) -> Outcome:
    """ "4 April", "3-5 April 1999", "3rd of April"."""
    day1, day2, mon, year = m.group(1), m.group(2), m.group(3), m.group(4)
    return month_day_value(v.months[mon], int(day1), int(day2) if day2 else None,
                      int(year) if year else None, anchor, tense)


def _month(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
           v: Vocab) -> Outcome:
    """ "December", "last April", "May 1998"."""
    mod, mon, year = m.group(1), v.months[m.group(2)], m.group(3)
    if year:
        return Resolved(f"{int(year):04d}-{mon:02d}", "month")
    if anchor is None:
        return Resolved(None, "month")
    t = {"last": "past", "this past": "past", "next": "future"}.get(mod or "", tense)
    if mod == "this":
        y = anchor.year
    elif mod in ("last", "this past") and mon == anchor.month:
        y = anchor.year - 1
    elif mod == "next" and mon == anchor.month:
        y = anchor.year + 1
    else:
        # "last April" is the latest April before now, "next June" the coming one
        y = pick_year(mon, None, anchor, t, strict=mod in ("last", "this past", "next"))
    return Resolved(f"{y:04d}-{mon:02d}", "month")


def _weekday_month_day(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                       v: Vocab) -> Outcome:
    """ "Monday, Oct. 26": the month-day whose weekday agrees."""
    wd, mon, day = v.weekdays[m.group(1)], v.months[m.group(2)], int(m.group(3))
    if m.group(4):
        return day_value(int(m.group(4)), mon, day)
    if anchor is None:
        return Resolved(None, "day")
    for y in sorted((anchor.year, anchor.year - 1, anchor.year + 1),
                    key=lambda y: abs(y - anchor.year)):
        try:
            if dt.date(y, mon, day).weekday() == wd:
                return day_value(y, mon, day)
        except ValueError:
            continue
    return month_day_value(mon, day, None, None, anchor, tense)


def _relative_day(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                  v: Vocab) -> Outcome:
    """ "yesterday", "tomorrow morning", "the day after tomorrow"."""
    return day_from(anchor, v.relative_days[s])


def _weekday(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
             v: Vocab) -> Outcome:
    """ "Wednesday", "last Thursday", "Friday night"."""
    if anchor is None:
        return Resolved(None, "day")
    mod, wd = m.group(1), v.weekdays[m.group(2)]
    t = tense
    if mod in ("last", "past", "this past"):
        t = "past"
    elif mod in ("next", "coming", "this coming"):
        t = "future"
    if t == "future":
        delta = (wd - anchor.weekday()) % 7 or (7 if mod == "next" else 0)
        return day_from(anchor, delta)
    back = (anchor.weekday() - wd) % 7
    if mod in ("last", "past", "this past") and back == 0:
        back = 7
    return day_from(anchor, -back)


def _unit_of_now(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                 v: Vocab) -> Outcome:
    """ "last week", "earlier this month", "the end of next year"."""
    return unit_value(m.group(1), m.group(2), anchor, v)


def _the_quarter(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                 v: Vocab) -> Outcome:
    return quarter_value("latest", "quarter", None, anchor, tense, v)


def _weekend(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
             v: Vocab) -> Outcome:
    """The weekend just past, unless the clause looks ahead."""
    if anchor is None:
        return GO_ON
    if tense == "future":
        d = anchor + dt.timedelta(days=(5 - anchor.weekday()) % 7)
    else:
        d = anchor - dt.timedelta(days=0 if anchor.weekday() >= 5 else anchor.weekday() + 1)
    return Resolved(iso_week(d) + "-WE", "week")


def _the_unit(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
              v: Vocab) -> Outcome:
    """ "the week", "the year": the current one."""
    return unit_value("this", s.split()[-1], anchor, v)


def _season(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
            v: Vocab) -> Outcome:
    """ "this summer", "winter of 2001"."""
    code = v.seasons[m.group(2)]
    if m.group(3):
        return Resolved(f"{m.group(3)}-{code}", "season")
    if anchor is None:
        return Resolved(None, "season")
    y = anchor.year + {"last": -1, "next": 1}.get(m.group(1) or "", 0)
    return Resolved(f"{y:04d}-{code}", "season")


def _quarter_or_half(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                     v: Vocab) -> Outcome:
    """ "the third quarter", "the last half of 1989", "the latest quarter"."""
    return quarter_value(m.group(1), m.group(2), m.group(3), anchor, tense, v)


def _units_ago(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
               v: Vocab) -> Outcome:
    """ "two days ago", "five years later"; "a decade ago" is a year ("1989"), not the
    1980s."""
    n = _num(m.group(1), v)
    unit = m.group(2)
    sign = -1 if m.group(3) in ("ago", "earlier", "before") else 1
    if unit == "decade":
        n, unit = (n * 10 if n is not None else None), "year"
    if n is None or anchor is None:
        return Resolved(None, v.units[unit][1])
    return shift(anchor, sign * n, unit)


def _unit_earlier(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
                  v: Vocab) -> Outcome:
    """ "a year earlier", "year-ago"."""
    return shift(anchor, -1, m.group(1)) if anchor else GO_ON


def _duration(m: re.Match[str], s: str, anchor: dt.date | None, tense: str | None,
              v: Vocab) -> Outcome:
    """ "three years", "the past two weeks", "hours"."""
    if not (m.group(1) or s.endswith("s")):
        return GO_ON
    unit = m.group(2)
    code = v.units[unit][0]
    n = _num(m.group(1), v) if m.group(1) else None
    if m.group(1) and n is None and m.group(1) not in v.numbers:
        return None
    if s.endswith(" old"):
        return None
    t = "T" if unit in ("hour", "minute") else ""
    if code.endswith(("0Y", "00Y")):
        mult = int(code[:-1])
        return Resolved(f"P{(n or 1) * mult}Y" if n else "PXY", None, "duration")
    return Resolved(f"P{t}{n}{code}" if n else f"P{t}X{code}", None, "duration")


def _exactly(words: Iterable[str]) -> str:
    """A regex that matches exactly one of ``words`` (a whole normalised expression)."""
    return rf"^(?:{'|'.join(re.escape(w) for w in sorted(words, key=len, reverse=True))})$"


@functools.lru_cache(maxsize=1)
def _rules() -> tuple[_Rule, ...]:
    """The rules in the order they are tried (the first that decides wins)."""
    v = load_vocab()
    mon, wd = v.month_names, v.weekday_names
    seasons = "|".join(re.escape(k) for k in v.seasons)
    return (
        _rule(r"^(?:the )?week of (.+)$", _week_of),
        _rule(r"^(.*\b(?:quarter|half|year|period)) (?:that )?(?:ended|ending|ends) (.+)$",
              _period_ended),
        _rule(r"^(?:the )?(?:comparable |corresponding |same )?(this year's|last year's|"
              r"next year's|year-ago|year-earlier|year ago|year earlier|prior-year|"
              r"(?:1[5-9]|20)\d\d) (?:(first|second|third|fourth|1st|2nd|3rd|4th|"
              r"fiscal first|fiscal second|fiscal third|fiscal fourth)[ -])?"
              r"(?:fiscal )?(quarter|half)$", _years_quarter),
        _rule(rf"^(?:early |mid |late |mid-)?({'|'.join(map(re.escape, v.spelled_decades))})$",
              _spelled_decade),
        _rule(r"^(?:current |full |fiscal |calendar |current fiscal |full fiscal |whole |entire )"
              r"year$", _whole_year),
        _rule(_exactly(v.sets), _set),
        _rule(r"^(?:every|each)\s+(\w+)$", _every_weekday),
        _rule(_exactly(v.present), _ref("PRESENT_REF")),
        _rule(_exactly(v.past), _ref("PAST_REF")),
        _rule(_exactly(v.future), _ref("FUTURE_REF")),
        # explicit numeric dates
        _rule(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", _iso_day),
        _rule(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$", _slash_date),
        _rule(r"^(\d{1,2})/(\d{1,2})$", _slash_month_day),
        _rule(rf"^({mon}) (this|last|next) year$", _month_of_year),
        _rule(r"^(?:a |an )?(\d{1,2})(?:st|nd|rd|th)[ -]century$", _century),
        _rule(r"^(?:(?:the )?(?:last|past) (?:few|several) |recent |several |a few |many |"
              r"(?:the )?(?:coming|next few|coming few|years to come) )"
              r"(days|weeks|months|years|decades)(?: ago)?$", _vague_plural),
        # years, decades
        _rule(r"^(?:fiscal |fy |calendar |the year |year )?((?:1[5-9]|20)\d\d)$", _year),
        _rule(r"^(?:the )?(?:early |mid |late |mid-)?((?:1[5-9]|20)\d)0s$", _decade),
        # month (day) (year); day month (year); ranges
        _rule(rf"^(?:(last|this|next|early|late|mid) )?({mon}) (\d{{1,2}})(?:st|nd|rd|th)?"
              rf"(?: ?(?:-|to|through|and) ?(\d{{1,2}})(?:st|nd|rd|th)?)?(?: (\d{{4}}))?$",
              _month_day_year),
        _rule(rf"^(\d{{1,2}})(?:st|nd|rd|th)?(?: ?(?:-|to) ?(\d{{1,2}}))? (?:of )?"
              rf"({mon})(?: (\d{{4}}))?$", _day_month_year),
        _rule(rf"^(?:(last|this|next|early|late|mid|this past) )?({mon})(?: (?:of )?(\d{{4}}))?$",
              _month),
        _rule(rf"^({wd}) ({mon}) (\d{{1,2}})(?:st|nd|rd|th)?(?: (\d{{4}}))?$", _weekday_month_day),
        _rule(_exactly(v.relative_days), _relative_day),
        _rule(rf"^(?:(last|next|this|coming|past|this coming|this past) )?({wd})"
              r"(?: (?:morning|afternoon|evening|night))?$", _weekday),
        # this/last/next unit; earlier/later this unit
        _rule(r"^(?:(?:earlier|later|early|late|the end of|end of|the rest of|"
              r"the start of|the beginning of) )?(this|last|next|past|coming|previous|"
              r"the current|current|the same|that) "
              r"(week|weekend|month|year|quarter|decade|century|summer|spring|fall|autumn|"
              r"winter)$", _unit_of_now),
        _rule(r"^(?:quarter|the quarter|period|the period)$", _the_quarter),
        _rule(r"^(?:weekend|this weekend)$", _weekend),
        _rule(r"^(?:the week|the month|the year|the weekend|week|month|year)$", _the_unit),
        _rule(rf"^(?:(this|last|next) )?({seasons})(?: (?:of )?(\d{{4}}))?$", _season),
        # quarters and halves
        _rule(r"^(?:the )?(first|second|third|fourth|1st|2nd|3rd|4th|latest|last|"
              r"most recent|current|past|previous|year ago|year earlier|year-ago|"
              r"year-earlier|fiscal)[ -](?:fiscal |calendar )?(quarter|half|period)"
              r"(?: (?:of )?(?:fiscal )?(\d{4}))?$", _quarter_or_half),
        # N units ago/earlier/later; a year earlier
        _rule(r"^(?:about |almost |nearly |some |more than |less than |just |only )?"
              r"(\w+|a few) (day|week|month|year|decade|century)s? "
              r"(ago|earlier|before|later|from now|hence)$", _units_ago),
        _rule(r"^(?:a |one )?(year|month|week|day)[- ](earlier|ago|before)$", _unit_earlier),
        # durations
        _rule(r"^(?:about |almost |nearly |some |more than |less than |at least |"
              r"the (?:past|last|next|previous|coming|first|final) |"
              r"(?:past|last|next|previous|coming) )?(\w+|a few)?[ -]?"
              r"(day|week|month|year|decade|century|hour|minute)s?(?: long| old)?$", _duration),
    )


# --------------------------------------------------------------------------- values
