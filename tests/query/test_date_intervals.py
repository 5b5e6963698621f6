"""Date values as the intervals they denote: the Python twin and the index's SQL agree."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dragoman.store._intervals import date_interval, hi_sql, lo_sql

D = dt.date

CASES = [
    ("2017-04-12", (D(2017, 4, 12), D(2017, 4, 12))),
    ("2017-04-12T10:30", (D(2017, 4, 12), D(2017, 4, 12))),
    ("2017-W48", (D(2017, 11, 27), D(2017, 12, 3))),  # an ISO week: Monday to Sunday
    ("2015-W53", (D(2015, 12, 28), D(2016, 1, 3))),
    ("2017-W14-WE", (D(2017, 4, 8), D(2017, 4, 9))),  # the weekend of that week
    ("2017-W14-3", (D(2017, 4, 5), D(2017, 4, 5))),
    ("2017-04", (D(2017, 4, 1), D(2017, 4, 30))),
    ("2016-02", (D(2016, 2, 1), D(2016, 2, 29))),
    ("2017-Q4", (D(2017, 10, 1), D(2017, 12, 31))),
    ("2017-H1", (D(2017, 1, 1), D(2017, 6, 30))),
    ("2017-SU", (D(2017, 6, 1), D(2017, 8, 31))),
    ("2017-WI", (D(2016, 12, 1), D(2017, 2, 28))),
    ("2017", (D(2017, 1, 1), D(2017, 12, 31))),
    ("199", (D(1990, 1, 1), D(1999, 12, 31))),
    ("19", (D(1900, 1, 1), D(1999, 12, 31))),
    ("2017-04-03/2017-04-05", (D(2017, 4, 3), D(2017, 4, 5))),
    ("2017-04/2017-06", (D(2017, 4, 1), D(2017, 6, 30))),
    ("PRESENT_REF", None), ("P3Y", None), ("", None), (None, None), ("2017-02-30", None),
    ("2017-13", None), ("2017-W54", None), ("2017-05/2017-04", None), ("a/b/c", None),
    ("2017/", None), ("0000", None), ("0000-01-01", None),
]


def sql_intervals(values: list[str | None]) -> list[tuple[D, D] | None]:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(values)))
    rows = con.execute(f"SELECT {lo_sql('v')}, {hi_sql('v')} FROM t ORDER BY i").fetchall()
    return [None if lo is None and hi is None else (lo, hi) for lo, hi in rows]


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_date_interval(value: str | None, expected: tuple[D, D] | None) -> None:
    assert date_interval(value) == expected


def test_sql_agrees_on_the_cases() -> None:
    values = [v for v, _ in CASES]
    assert sql_intervals(values) == [e for _, e in CASES]


_PIECES = st.sampled_from(["2017", "2016", "0000", "9999", "199", "20", "-", "W", "Q", "H",
                           "SU", "WI", "WE", "/", "T", "01", "12", "29", "31", "48", "53", "00", "x"])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=7).map("".join), min_size=1, max_size=40))
def test_sql_agrees_with_python(values: list[str]) -> None:
    assert sql_intervals(values) == [date_interval(v) for v in values]
