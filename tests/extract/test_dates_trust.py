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
