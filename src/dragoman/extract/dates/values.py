"""TIMEX3 values from calendar numbers: the arithmetic behind the date resolver.

``Resolved`` (value, precision, kind) is what the resolver returns; the functions here turn
a year, month, day, offset or quarter into one (``day_value``, ``shift``, ``unit_value``,
``quarter_value``…), choose the year of a month or day given without one (``pick_year``),
and read a value back as the latest day it can mean (``last_day``). Pure Python; the only
data used is the ``Vocab`` passed in (units, seasons, ordinals).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .vocab import Vocab

__all__ = [
    "Resolved", "add_months", "day_from", "day_value", "iso_week", "last_day",
    "month_day_value", "pick_year", "quarter_value", "shift", "unit_value",
]


@dataclass(frozen=True)
class Resolved:
    value: str | None
    precision: str | None
    kind: str = "date"


def iso_week(d: dt.date) -> str:
    """The ISO week of a day, ``YYYY-Www``."""
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def add_months(d: dt.date, n: int) -> tuple[int, int]:
    m = d.year * 12 + (d.month - 1) + n
    return m // 12, m % 12 + 1


_AGAINST_TENSE = 3.0  # a date against the clause's tense must be this much nearer


def pick_year(month: int, day: int | None, anchor: dt.date, tense: str | None,
              strict: bool = False) -> int:
    """The year of a month(/day) without one: the nearest, where a date on the side the
    tense does not point to counts ``_AGAINST_TENSE`` times as far ("was extended to Dec. 7"
    in late October is the coming December). ``strict``: only the tense's side ("last
    April")."""
    best = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            d = dt.date(y, month, day or 15)
        except ValueError:
            continue
        if day is None:
            # a month: compare month indexes
            diff = (y * 12 + month) - (anchor.year * 12 + anchor.month)
            diff_days = diff * 30
        else:
            diff_days = (d - anchor).days
        against = (tense == "future" and diff_days < 0) or (tense == "past" and diff_days > 0)
        if against and strict:
            continue
        cost = abs(diff_days) * (_AGAINST_TENSE if against else 1.0)
        if best is None or cost < best[0]:
            best = (cost, y)
    return best[1] if best else anchor.year


def last_day(value: str | None) -> dt.date | None:
    """The latest day a resolved value can mean: a day itself, "2017-03" → 2017-03-31,
    "2014" → 2014-12-31, the decade "198" → 1989-12-31, a range's end; None for anything
    else (weeks, quarters, seasons, durations, sets, ``*_REF``)."""
    v = (value or "").split("/")[-1]
    try:
        if len(v) == 10:
            return dt.date.fromisoformat(v)
        if len(v) == 7 and v[4] == "-" and v[5:].isdigit():
            y, m = add_months(dt.date(int(v[:4]), int(v[5:]), 1), 1)
            return dt.date(y, m, 1) - dt.timedelta(days=1)
        if v.isdigit() and len(v) in (3, 4):
            return dt.date(int(v) * 10 + 9 if len(v) == 3 else int(v), 12, 31)
    except ValueError:
        return None
    return None


def day_value(y: int, mo: int, d: int) -> Resolved | None:
    try:
        return Resolved(dt.date(y, mo, d).isoformat(), "day")
    except ValueError:
        return None


def day_from(anchor: dt.date | None, delta: int) -> Resolved:
    if anchor is None:
        return Resolved(None, "day")
    return Resolved((anchor + dt.timedelta(days=delta)).isoformat(), "day")


def month_day_value(mon: int, d1: int, d2: int | None, year: int | None,
                    anchor: dt.date | None, tense: str | None) -> Resolved | None:
    if year is None:
        if anchor is None:
            return Resolved(None, "day", "range" if d2 else "date")
        year = pick_year(mon, d1, anchor, tense)
    first = day_value(year, mon, d1)
    if first is None:
        return None
    if d2 is not None and d2 > d1:
        last = day_value(year, mon, d2)
        if last is not None:
            return Resolved(f"{first.value}/{last.value}", "day", "range")
    return first


def shift(anchor: dt.date, n: int, unit: str) -> Resolved:
    if unit == "day":
        return Resolved((anchor + dt.timedelta(days=n)).isoformat(), "day")
    if unit == "week":
        return Resolved(iso_week(anchor + dt.timedelta(weeks=n)), "week")
    if unit == "month":
        y, mo = add_months(anchor, n)
        return Resolved(f"{y:04d}-{mo:02d}", "month")
    if unit == "decade":
        return Resolved(f"{(anchor.year + 10 * n) // 10:03d}", "decade")
    if unit == "century":
        return Resolved(f"{(anchor.year + 100 * n) // 100:02d}", "century")
    return Resolved(f"{anchor.year + n:04d}", "year")


def unit_value(mod: str, unit: str, anchor: dt.date | None, v: Vocab) -> Resolved | None:
    n = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(mod, 0)
    if anchor is None:
        return Resolved(None, v.units.get(unit, (None, unit))[1])
    if unit == "weekend":
        return Resolved(iso_week(anchor + dt.timedelta(weeks=n)) + "-WE", "week")
    if unit == "quarter":
        q = (anchor.month - 1) // 3 + n
        y = anchor.year + q // 4
        return Resolved(f"{y:04d}-Q{q % 4 + 1}", "quarter")
    if unit in v.seasons:
        return Resolved(f"{anchor.year + n:04d}-{v.seasons[unit]}", "season")
    if unit in ("week", "month", "year", "decade", "century"):
        return shift(anchor, n, unit)
    return None


def quarter_value(which: str, unit: str, year: str | None, anchor: dt.date | None,
                  tense: str | None, v: Vocab) -> Resolved | None:
    if unit == "half":
        n = v.ordinals.get(which)
        if n == -1:
            n = 2  # "the last half"
        if n is None or n > 2:
            return None
        if year:
            return Resolved(f"{year}-H{n}", "quarter")
        if anchor is None:
            return Resolved(None, "quarter")
        return Resolved(f"{anchor.year}-H{n}", "quarter")
    if anchor is None and not year:
        return Resolved(None, "quarter")
    n = v.ordinals.get(which)
    if n == -1 and year:
        n = 4  # "the last quarter of 1989"
    if n is not None and n > 0:
        if year:
            return Resolved(f"{year}-Q{n}", "quarter")
        assert anchor is not None
        cur = (anchor.month - 1) // 3 + 1
        y = anchor.year
        if n > cur and tense != "future":
            y -= 1
        return Resolved(f"{y:04d}-Q{n}", "quarter")
    assert anchor is not None
    # the latest (completed) quarter; a year-ago quarter is that quarter a year before
    q = (anchor.month - 1) // 3 - 1
    y = anchor.year + q // 4
    q = q % 4 + 1
    if which == "current":
        q, y = (anchor.month - 1) // 3 + 1, anchor.year
    if which.startswith("year"):
        y -= 1
    return Resolved(f"{y:04d}-Q{q}", "quarter")
