"""The interval of days a date value denotes, in Python and as DuckDB SQL (the same rules).

Event dates follow TIMEX3 (``dragoman.extract.dates``): a day ``2017-04-12``, an ISO week
``2017-W48`` (Monday to Sunday; ``2017-W48-WE`` its weekend, ``2017-W48-3`` its Wednesday), a month ``2017-04``, a quarter ``2017-Q2``, a half
``2017-H1``, a season ``2017-SU`` (SP Mar–May, SU Jun–Aug, FA Sep–Nov, WI Dec of the year
before to Feb), a year ``2017``, a decade ``201``, a century ``20``, a range ``a/b`` (from
the start of ``a`` to the end of ``b``). Anything else (``PRESENT_REF``, durations) has no
interval. Filters and sorting compare these intervals, never the strings: ``2017-W48``
starts on 2017-11-27, so it sorts in November.

The event index stores both ends (``_date_lo``, ``_date_hi``) computed by ``lo_sql`` /
``hi_sql``; ``date_interval`` is the Python twin (tests hold them equal).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

__all__ = ["date_interval", "hi_sql", "lo_sql", "within_sql"]

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(T.*)?")
_WEEK = re.compile(r"(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])(-[1-7]|-WE)?")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_PART = re.compile(r"(\d{4})-(Q[1-4]|H[12]|SP|SU|FA|WI)")
_YEARS = re.compile(r"\d{2,4}")

#: suffix of an ISO week -> its first and last day (0 = Monday); a digit is one weekday
_WEEK_DAYS: dict[str, tuple[int, int]] = {"": (0, 6), "-WE": (5, 6)}

#: part of a year -> (first month, offset of its first year, last month, offset of last year)
_PARTS: dict[str, tuple[int, int, int, int]] = {
    "Q1": (1, 0, 3, 0), "Q2": (4, 0, 6, 0), "Q3": (7, 0, 9, 0), "Q4": (10, 0, 12, 0),
    "H1": (1, 0, 6, 0), "H2": (7, 0, 12, 0),
    "SP": (3, 0, 5, 0), "SU": (6, 0, 8, 0), "FA": (9, 0, 11, 0), "WI": (12, -1, 2, 0),
}


def _month_end(y: int, m: int) -> dt.date:
    nxt = dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1)
    return nxt - dt.timedelta(days=1)


def _one(p: str) -> tuple[dt.date, dt.date] | None:
    if m := _DAY.fullmatch(p):
        d = dt.date(int(m[1]), int(m[2]), int(m[3]))
        return d, d
    if m := _WEEK.fullmatch(p):
        jan4 = dt.date(int(m[1]), 1, 4)
        mon = jan4 - dt.timedelta(days=jan4.isoweekday() - 1) + dt.timedelta(weeks=int(m[2]) - 1)
        suffix = m[3] or ""
        first, last = (int(suffix[1:]) - 1,) * 2 if suffix[1:].isdigit() else _WEEK_DAYS[suffix]
        return mon + dt.timedelta(days=first), mon + dt.timedelta(days=last)
    if m := _MONTH.fullmatch(p):
        y, mo = int(m[1]), int(m[2])
        return dt.date(y, mo, 1), _month_end(y, mo)
    if m := _PART.fullmatch(p):
        y = int(m[1])
        m0, y0, m1, y1 = _PARTS[m[2]]
        return dt.date(y + y0, m0, 1), _month_end(y + y1, m1)
    if _YEARS.fullmatch(p):
        scale = 10 ** (4 - len(p))
        y = int(p) * scale
        return dt.date(y, 1, 1), dt.date(y + scale - 1, 12, 31)
    return None


@functools.lru_cache(maxsize=1 << 16)
def date_interval(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day ``value`` denotes, or None (no interval, or not a date).

    Cached: a store has few distinct date values, and a timeline asks for all of them.
    """
    if not isinstance(value, str) or not value:
        return None
    if value.count("/") > 1:
        return None
    first, slash, last = value.partition("/")
    try:
        a = _one(first)
        b = _one(last) if slash else a
    except (ValueError, OverflowError):
        return None
    if a is None or b is None or b[1] < a[0]:
        return None
    return a[0], b[1]


def _cases(p: str, hi: bool) -> str:
    """SQL: one end of the interval of the date string expression ``p`` (NULL if none)."""
    y = f"{p}[1:4]"

    def day(expr: str) -> str:
        return f"try_cast({expr} AS DATE)"

    jan4 = day(f"{y} || '-01-04'")
    monday = (f"({jan4} - CAST(isodow({jan4}) - 1 AS INTEGER) "
              f"+ 7 * (CAST({p}[7:8] AS INTEGER) - 1))")
    month_lo = day(f"{p}[1:7] || '-01'")
    parts_lo, parts_hi = [], []
    for code, (m0, y0, m1, y1) in _PARTS.items():
        start = day(f"lpad(CAST(CAST({y} AS INTEGER) + ({y0}) AS VARCHAR), 4, '0') || '-{m0:02d}-01'")
        end = f"last_day({day(f'lpad(CAST(CAST({y} AS INTEGER) + ({y1}) AS VARCHAR), 4, {chr(39)}0{chr(39)}) || {chr(39)}-{m1:02d}-01{chr(39)}')})"
        parts_lo.append(f"WHEN {p}[6:7] = '{code}' THEN {start}")
        parts_hi.append(f"WHEN {p}[6:7] = '{code}' THEN {end}")
    part = "CASE " + " ".join(parts_hi if hi else parts_lo) + " END"

    def years(n: int) -> str:
        scale = 10 ** (4 - n)
        first = f"CAST({p} AS INTEGER) * {scale}"
        if hi:
            return day(f"lpad(CAST({first} + {scale - 1} AS VARCHAR), 4, '0') || '-12-31'")
        return day(f"lpad(CAST({first} AS VARCHAR), 4, '0') || '-01-01'")

    return (
        "CASE "
        rf"WHEN regexp_full_match({p}, '\d{{4}}-\d{{2}}-\d{{2}}(T.*)?') THEN {day(f'{p}[1:10]')} "
        rf"WHEN regexp_full_match({p}, '\d{{4}}-W(0[1-9]|[1-4]\d|5[0-3])') THEN "
        f"{monday + ' + 6' if hi else monday} "
        rf"WHEN regexp_full_match({p}, '\d{{4}}-W(0[1-9]|[1-4]\d|5[0-3])-WE') THEN "
        f"{monday} + {6 if hi else 5} "
        rf"WHEN regexp_full_match({p}, '\d{{4}}-W(0[1-9]|[1-4]\d|5[0-3])-[1-7]') THEN "
        f"{monday} + CAST({p}[10:10] AS INTEGER) - 1 "
        rf"WHEN regexp_full_match({p}, '\d{{4}}-\d{{2}}') THEN "
        f"{'last_day(' + month_lo + ')' if hi else month_lo} "
        rf"WHEN regexp_full_match({p}, '\d{{4}}-(Q[1-4]|H[12]|SP|SU|FA|WI)') THEN {part} "
        rf"WHEN regexp_full_match({p}, '\d{{4}}') THEN {years(4)} "
        rf"WHEN regexp_full_match({p}, '\d{{3}}') THEN {years(3)} "
        rf"WHEN regexp_full_match({p}, '\d{{2}}') THEN {years(2)} "
        "END"
    )


def _ends(col: str) -> tuple[str, str]:
    first = f"split_part({col}, '/', 1)"
    last = f"(CASE WHEN contains({col}, '/') THEN split_part({col}, '/', 2) ELSE {col} END)"
    return _cases(first, False), _cases(last, True)


def _checked(col: str, which: int) -> str:
    lo, hi = _ends(col)
    slashes = f"length({col}) - length(replace({col}, '/', ''))"
    # a plain day (most events) first, without the general case's four CASE expressions
    return (
        rf"(CASE WHEN regexp_full_match({col}, '\d{{4}}-\d{{2}}-\d{{2}}') "
        f"THEN (CASE WHEN {col} >= '0001' THEN try_cast({col} AS DATE) END) "
        f"WHEN {slashes} <= 1 AND {hi} >= {lo} AND {lo} >= DATE '0001-01-01' "
        f"AND {hi} <= DATE '9999-12-31' THEN {(lo, hi)[which]} END)"
    )


def lo_sql(col: str) -> str:
    """SQL: the first day (DATE) the date string column ``col`` denotes, NULL if none."""
    return _checked(col, 0)


def hi_sql(col: str) -> str:
    """SQL: the last day (DATE) the date string column ``col`` denotes, NULL if none."""
    return _checked(col, 1)


def within_sql(expr: str, since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    """SQL conditions (and their parameters) that the days the date string ``expr`` denotes
    lie within ``since``–``until`` (each a day, month, year or ISO week; None: open)."""
    parts: list[str] = []
    params: list[Any] = []
    lo, hi = date_interval(since), date_interval(until)
    if lo is not None:
        parts.append(f"{lo_sql(expr)} >= ?")
        params.append(lo[0])
    if hi is not None:
        parts.append(f"{hi_sql(expr)} <= ?")
        params.append(hi[1])
    return parts, params
