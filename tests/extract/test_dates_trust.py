"""Dates an analyst can trust (issue 16 point 6), on hand-written texts with the real model:
a date more than 50 years before publication needs its year written out."""

from __future__ import annotations

import pytest

from dragoman import Article, Pipeline


def _dates(pipeline: Pipeline, text: str, published: str = "2017-05-01") -> dict[str, str | None]:
    r = pipeline.process_one(Article(id="d", text=text, published=published))
    return {d.text: d.value for d in r.dates}


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The blast struck the depot at 1514 on the eastern road.", "1514"),
        ("The clip had Views 1662 within an hour of posting.", "1662"),
        ("Medics said they treated 1733 children at the clinic.", "1733"),
        ("The curfew starts at 1850 (local time) across the district.", "1850"),
    ],
)
def test_number_far_back_without_a_year_word_is_not_a_date(
    pipeline: Pipeline, text: str, phrase: str
) -> None:
    found = _dates(pipeline, text)
    assert found.get(phrase, "missing") in (None, "missing")


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The party has ruled the country since 1963 without a break.", "1963", "1963"),
        ("The war of May 1948 displaced thousands of families.", "May 1948", "1948-05"),
        ("Archivists found letters from the 1930s in the cellar.", "the 1930s", "193"),
    ],
)
def test_year_written_out_keeps_an_old_date(
    pipeline: Pipeline, text: str, phrase: str, value: str
) -> None:
    assert _dates(pipeline, text)[phrase] == value


def test_recent_number_is_untouched_by_the_old_year_rule(pipeline: Pipeline) -> None:
    # 1990 is 27 years before publication: no year word needed
    found = _dates(pipeline, "The bridge, finished 1990, was shelled on Monday.")
    assert found.get("1990") == "1990"


def test_old_event_date_falls_back_when_the_number_is_no_year(pipeline: Pipeline) -> None:
    r = pipeline.process_one(Article(
        id="e", text="Gunmen attacked the checkpoint at 1514 near the bridge.",
        published="2017-05-01"))
    assert r.events, "the attack is coded"
    assert all(e.date is None or e.date >= "1967" for e in r.events)


@pytest.mark.parametrize(
    ("value", "precision"),
    [("2016-03-04", "day"), ("2016-W09", "week"), ("2016-03", "month"), ("2016-Q1", "quarter"),
     ("2016-SU", "season"), ("2016", "year"), ("201", "decade"), (None, None), ("PAST_REF", None)],
)
def test_date_precision_from_the_value(value: str | None, precision: str | None) -> None:
    from dragoman.extract.dates import date_precision

    assert date_precision(value) == precision


def test_event_records_carry_their_date_precision(pipeline: Pipeline) -> None:
    text = ("Government troops shelled the market of the town on Monday. "
            "Rebels attacked an army post in March 2016.")
    r = pipeline.process_one(Article(id="p", text=text, published="2017-05-03"))
    by_trigger = {e.trigger.text: (e.date, e.date_precision) for e in r.events}
    assert by_trigger["shelled"] == ("2017-05-01", "day")
    assert by_trigger["attacked"] == ("2016-03", "month")


def test_background_statement_takes_no_publication_date(pipeline: Pipeline) -> None:
    text = ("Rebels shelled the western district of the city. "
            "The Turkish-backed operation has so far captured the town of Jarablus.")
    r = pipeline.process_one(Article(id="b", text=text, published="2016-09-20"))
    by_trigger = {e.trigger.text: (e.date, e.date_basis) for e in r.events}
    assert by_trigger["shelled"] == ("2016-09-20", "published")
    assert by_trigger["captured"] == (None, None)


def test_recent_present_perfect_keeps_the_publication_date(pipeline: Pipeline) -> None:
    text = "The fighting has displaced thousands of families over the past three days."
    r = pipeline.process_one(Article(id="r", text=text, published="2016-09-20"))
    assert [(e.date, e.date_basis) for e in r.events if e.trigger.text == "displaced"] == [
        ("2016-09-20", "published")]
