"""Dates: resolution against fixed publication dates, extraction with the real model,
and the event date with its basis."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from collections.abc import Callable

import pytest

from dragoman import Article
from dragoman.extract import DocContext, dates
from dragoman.types import Dateline, Span

THU = dt.date(2017, 4, 13)  # the seed's week: Wednesday is 2017-04-12
DCT_1998 = dt.date(1998, 3, 1)  # a Sunday


@pytest.mark.parametrize("text, anchor, tense, value, precision, kind", [
    ("Wednesday", THU, None, "2017-04-12", "day", "date"),
    ("on Wednesday", THU, "past", "2017-04-12", "day", "date"),
    ("Thursday", THU, None, "2017-04-13", "day", "date"),
    ("last Thursday", THU, None, "2017-04-06", "day", "date"),
    ("Monday", THU, "future", "2017-04-17", "day", "date"),
    ("next Monday", THU, None, "2017-04-17", "day", "date"),
    ("Friday night", THU, "past", "2017-04-07", "day", "date"),
    ("yesterday", THU, None, "2017-04-12", "day", "date"),
    ("today", THU, None, "2017-04-13", "day", "date"),
    ("tomorrow", THU, None, "2017-04-14", "day", "date"),
    ("last week", THU, None, "2017-W14", "week", "date"),
    ("this week", THU, None, "2017-W15", "week", "date"),
    ("earlier this month", THU, None, "2017-04", "month", "date"),
    ("last month", THU, None, "2017-03", "month", "date"),
    ("last year", THU, None, "2016", "year", "date"),
    ("April 4", THU, None, "2017-04-04", "day", "date"),
    ("4 April", THU, None, "2017-04-04", "day", "date"),
    ("Sept. 30", dt.date(1989, 11, 2), None, "1989-09-30", "day", "date"),
    ("December", dt.date(1998, 1, 8), None, "1997-12", "month", "date"),
    ("Dec. 15", dt.date(1989, 11, 2), "future", "1989-12-15", "day", "date"),
    # the tense weighs, it does not exclude: "was extended to Dec. 7" in late October
    ("Dec. 7", dt.date(1989, 10, 27), "past", "1989-12-07", "day", "date"),
    ("Aug. 6", dt.date(1998, 2, 6), "past", "1997-08-06", "day", "date"),
    ("last April", dt.date(1989, 10, 27), None, "1989-04", "month", "date"),
    ("last October", dt.date(1989, 10, 27), None, "1988-10", "month", "date"),
    ("mid-November", dt.date(1989, 10, 27), None, "1989-11", "month", "date"),
    ("the fourth quarter ended Aug. 26", dt.date(1989, 11, 1), None, "1989-Q4", "quarter",
     "date"),
    ("the year ended Sept. 30", dt.date(1989, 11, 2), None, "1989", "year", "date"),
    ("this year's third quarter", dt.date(1989, 11, 1), None, "1989-Q3", "quarter", "date"),
    ("the 1988 second quarter", dt.date(1989, 11, 2), None, "1988-Q2", "quarter", "date"),
    ("the year-ago third quarter", dt.date(1989, 10, 30), None, "1988-Q3", "quarter", "date"),
    ("the latest quarter", dt.date(1989, 10, 26), None, "1989-Q3", "quarter", "date"),
    ("the last half of 1989", dt.date(1989, 10, 26), None, "1989-H2", "quarter", "date"),
    ("the weekend", dt.date(1990, 8, 13), "past", "1990-W32-WE", "week", "date"),
    ("the current fiscal year", dt.date(1989, 11, 2), None, "1989", "year", "date"),
    ("earlier in the year", dt.date(1989, 10, 26), None, "1989", "year", "date"),
    ("the nineties", dt.date(1998, 3, 3), None, "199", "decade", "date"),
    ("4/4/2017", THU, None, "2017-04-04", "day", "date"),
    ("2017-04-04", None, None, "2017-04-04", "day", "date"),
    ("Aug. 7, 1998", None, None, "1998-08-07", "day", "date"),
    ("2017", None, None, "2017", "year", "date"),
    ("the 1990s", None, None, "199", "decade", "date"),
    ("nineteen ninety-six", None, None, "1996", "year", "date"),
    ("April 3-5", THU, None, "2017-04-03/2017-04-05", "day", "range"),
    ("the third quarter", dt.date(1989, 10, 25), None, "1989-Q3", "quarter", "date"),
    ("the latest quarter", dt.date(1989, 10, 25), None, "1989-Q3", "quarter", "date"),
    ("a year earlier", DCT_1998, None, "1997", "year", "date"),
    ("two days ago", DCT_1998, None, "1998-02-27", "day", "date"),
    # a decade ago is a year, not the decade
    ("a decade ago", dt.date(1999, 3, 12), None, "1989", "year", "date"),
    ("two decades ago", dt.date(1999, 3, 12), None, "1979", "year", "date"),
    ("the week of March 6", dt.date(2000, 2, 24), None, "2000-W10", "week", "date"),
    ("June last year", DCT_1998, None, "1997-06", "month", "date"),
    ("this summer", THU, None, "2017-SU", "season", "date"),
    ("now", THU, None, "PRESENT_REF", None, "date"),
    ("recently", THU, None, "PAST_REF", None, "date"),
    ("three years", THU, None, "P3Y", None, "duration"),
    ("the past two weeks", THU, None, "P2W", None, "duration"),
    ("every week", THU, None, "P1W", None, "set"),
    ("daily", THU, None, "P1D", None, "set"),
])
def test_resolve(text: str, anchor: dt.date | None, tense: str | None, value: str,
                 precision: str | None, kind: str) -> None:
    r = dates.resolve(text, anchor, tense)
    assert r is not None
    assert (r.value, r.precision, r.kind) == (value, precision, kind)


@pytest.mark.parametrize("text", ["Wednesday", "last week", "April 4", "yesterday"])
def test_relative_without_anchor_keeps_the_record_unresolved(text: str) -> None:
    r = dates.resolve(text, None)
    assert r is not None and r.value is None


@pytest.mark.parametrize("text", ["the committee", "Lavrov", "53"])
def test_non_dates_are_not_resolved(text: str) -> None:
    assert dates.resolve(text, THU) is None


def test_seed_wednesday(make_ctx: Callable[..., DocContext]) -> None:
    text = ("Russian Foreign Minister Sergey Lavrov affirmed on Wednesday that Russia seeks to "
            "develop the Astana and Geneva tracks.")
    ctx = make_ctx(text, published="2017-04-13")
    found = dates.extract(ctx)
    wed = [d for d in found if d.text == "Wednesday"]
    assert wed and wed[0].value == "2017-04-12" and wed[0].precision == "day"
    assert text[wed[0].start:wed[0].end] == "Wednesday"
    ctx.dates = found
    affirmed = next(t for t in ctx.doc if t.text == "affirmed")
    assert dates.event_date(ctx, affirmed.sent, affirmed) == ("2017-04-12", "text")
    seeks = next(t for t in ctx.doc if t.text == "develop")
    assert dates.event_date(ctx, seeks.sent, seeks) == ("2017-04-12", "text")


def test_future_tense_points_forward(make_ctx: Callable[..., DocContext]) -> None:
    ctx = make_ctx("The ministers will meet on Monday in Geneva.", published="2017-04-13")
    found = dates.extract(ctx)
    assert [(d.text, d.value) for d in found] == [("Monday", "2017-04-17")]


def test_extract_many_forms(make_ctx: Callable[..., DocContext]) -> None:
    text = ("Talks held last week and again yesterday failed. The UN said earlier this month "
            "that the truce signed on 4/4/2017 had lasted three years. Inspectors visit every "
            "week.")
    ctx = make_ctx(text, published="2017-04-13")
    got = {d.text: (d.value, d.kind) for d in dates.extract(ctx)}
    assert got["last week"] == ("2017-W14", "date")
    assert got["yesterday"] == ("2017-04-12", "date")
    assert got["earlier this month"] == ("2017-04", "date")
    assert got["4/4/2017"] == ("2017-04-04", "date")
    assert got["three years"] == ("P3Y", "duration")
    assert got["every week"] == ("P1W", "set")


def test_no_publication_date_keeps_unresolved_records(
        make_ctx: Callable[..., DocContext]) -> None:
    ctx = make_ctx("Lavrov affirmed on Wednesday that talks would continue in 2018.")
    found = {d.text: d.value for d in dates.extract(ctx)}
    assert found["Wednesday"] is None
    assert found["2018"] == "2018"


def test_event_date_falls_back_to_published_then_none(
        make_ctx: Callable[..., DocContext]) -> None:
    ctx = make_ctx("The committee discussed the budget.", published="2017-04-13")
    ctx.dates = dates.extract(ctx)
    tok = next(t for t in ctx.doc if t.text == "discussed")
    assert dates.event_date(ctx, tok.sent, tok) == ("2017-04-13", "published")
    ctx = make_ctx("The committee discussed the budget.")
    ctx.dates = dates.extract(ctx)
    tok = next(t for t in ctx.doc if t.text == "discussed")
    assert dates.event_date(ctx, tok.sent, tok) == (None, None)


def test_event_date_from_the_dateline(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "DAMASCUS, April 12, 2017 (SANA) - The committee discussed the budget on the day."
    body_start = text.index("The committee")
    dl = Dateline(body=Span(body_start, len(text), text[body_start:]),
                  place=Span(0, 8, "DAMASCUS"), date=Span(10, 24, "April 12, 2017"))
    ctx = DocContext(doc_id="d", run_id="r", article=Article(id="d", text=text), dateline=dl,
                     doc=pipeline.nlp(text[body_start:]), base=body_start,
                     resources=pipeline.resources)
    ctx.dates = dates.extract(ctx)
    tok = next(t for t in ctx.doc if t.text == "discussed")
    assert dates.event_date(ctx, tok.sent, tok) == ("2017-04-12", "dateline")
    # the dateline's date is also the anchor when the article has no publication date
    ctx2 = DocContext(doc_id="d", run_id="r", article=Article(id="d", text=text), dateline=dl,
                      doc=pipeline.nlp("They met yesterday."), base=body_start,
                      resources=pipeline.resources)
    assert [d.value for d in dates.extract(ctx2)] == ["2017-04-11"]


def test_ages_are_not_dates(make_ctx: Callable[..., DocContext]) -> None:
    ctx = make_ctx("The 53 years old minister resigned on Friday.", published="2017-04-13")
    assert [d.text for d in dates.extract(ctx)] == ["Friday"]


def test_reporting_quarter_is_anaphoric(make_ctx: Callable[..., DocContext]) -> None:
    text = ("Net income rose in the third quarter. Sales fell 8% in the quarter, from "
            "$93 million a year earlier.")
    ctx = make_ctx(text, published="1989-11-02")
    got = {d.text: d.value for d in dates.extract(ctx)}
    assert got["the third quarter"] == "1989-Q3"
    assert got["the quarter"] == "1989-Q3"
    assert got["a year earlier"] == "1988-Q3"


def test_a_year_ago_follows_the_named_quarter_not_itself(
        make_ctx: Callable[..., DocContext]) -> None:
    text = ("Acme earned $5 million in the third quarter, up from $4 million a year ago. "
            "Sales rose 3% from a year earlier. The quarter was strong, and a year ago "
            "sales were weaker.")
    ctx = make_ctx(text, published="1989-11-02")
    got = {(d.text, d.value) for d in dates.extract(ctx)}
    assert ("the third quarter", "1989-Q3") in got
    values = [v for t, v in got if "year" in t.lower()]
    assert values and all(v == "1988-Q3" for v in values)


@pytest.mark.parametrize("sentence, published, expected", [
    # a deadline with a clock time before the weekday still points forward
    ("The agency gave the relatives until 9 a.m. Tuesday to sign.", "2000-04-03",
     "2000-04-04"),
    # what is planned or put off happens later
    ("Protesters planned a large demonstration on Saturday.", "2000-01-07", "2000-01-08"),
    ("Officials postponed until Tuesday morning any action on the case.", "2000-03-30",
     "2000-04-04"),
    ("On Tuesday, the league plans to hold a news conference.", "1998-10-26", "1998-10-27"),
    # ... but not when the date says when the planning happened, or inside a past clause
    ("On Friday, the government planned to pay the first claims.", "1998-09-30",
     "1998-09-25"),
    ("A service planned for Saturday was canceled.", "1999-10-24", "1999-10-23"),
])
def test_weekday_direction_from_the_clause(make_ctx: Callable[..., DocContext], sentence: str,
                                           published: str, expected: str) -> None:
    found = dates.extract(make_ctx(sentence, published=published))
    days = [d.value for d in found if d.precision == "day"]
    assert days == [expected]


def test_present_perfect_is_past(make_ctx: Callable[..., DocContext]) -> None:
    ctx = make_ctx("Investigators have been searching for him since shortly after the "
                   "Oct. 23 slaying.", published="1999-05-06")
    got = {d.text: d.value for d in dates.extract(ctx)}
    assert got["Oct. 23"] == "1998-10-23"


@pytest.mark.parametrize("value, last", [
    ("2017-04-12", dt.date(2017, 4, 12)),
    ("2016-02", dt.date(2016, 2, 29)),
    ("2017-12", dt.date(2017, 12, 31)),
    ("2014", dt.date(2014, 12, 31)),
    ("198", dt.date(1989, 12, 31)),
    ("2017-04-03/2017-04-05", dt.date(2017, 4, 5)),
    ("2017-W14", None), ("2017-Q2", None), ("PRESENT_REF", None), ("P3Y", None), (None, None),
])
def test_last_day_of_a_value(value: str | None, last: dt.date | None) -> None:
    assert dates.last_day(value) == last


def test_that_year_and_that_day_follow_the_last_named_date(
        make_ctx: Callable[..., DocContext]) -> None:
    ctx = make_ctx("He fled to Florida in June 1998 and returned to Cuba later that year. "
                   "The doctor was killed on Oct. 23, 1999. Earlier that day, the family "
                   "sent a fax.", published="2000-01-28")
    got = {d.text: d.value for d in dates.extract(ctx)}
    assert got["later that year"] == "1998"
    assert got["Earlier that day"] == "1999-10-23"


def test_that_year_without_an_antecedent_is_not_invented(
        make_ctx: Callable[..., DocContext]) -> None:
    ctx = make_ctx("Prices fell sharply that year.", published="2000-01-28")
    got = {d.text: d.value for d in dates.extract(ctx)}
    # no earlier date to point back to: read as the publication year, as before
    assert got["that year"] == "2000"


def test_the_resolver_needs_neither_spacy_nor_the_context() -> None:
    """``dates.resolve`` (with ``values`` and ``vocab``) runs where spaCy is missing: the
    parent packages (which import the pipeline) are stubbed, spaCy and the context blocked."""
    code = textwrap.dedent("""
        import datetime, importlib.util, sys, types
        from pathlib import Path

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("spacy", "thinc") or name.startswith(
                        "dragoman.extract.context"):
                    raise ImportError(f"blocked: {name}")
                return None

        sys.meta_path.insert(0, Block())
        spec = importlib.util.find_spec("dragoman")  # found, not run
        root = Path(spec.origin).parent
        for name, where in (("dragoman", root), ("dragoman.extract", root / "extract"),
                            ("dragoman.extract.dates", root / "extract" / "dates")):
            stub = types.ModuleType(name)
            stub.__path__ = [str(where)]
            stub.__spec__ = spec if name == "dragoman" else None
            sys.modules[name] = stub
        from dragoman.extract.dates.resolve import last_day, resolve
        r = resolve("last week", datetime.date(2017, 4, 13))
        print(r.value, r.precision, last_day("2016-02"))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["2017-W14", "week", "2016-02-29"]


def test_vocabulary_comes_from_the_data_files() -> None:
    from dragoman.extract.dates.vocab import load_cues, load_vocab

    v, c = load_vocab(), load_cues()
    assert v.months["sept"] == 9 and v.relative_days["the day after tomorrow"] == 2
    assert v.spelled_years.pattern.search("in nineteen eighty-four") is not None
    assert "on" in v.lead.pattern  # the word, not YAML 1.1's boolean
    assert "will" in c.future_aux and "say" in c.say_verbs and "once" in c.not_candidate_words
