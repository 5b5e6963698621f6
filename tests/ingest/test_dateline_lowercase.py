"""Datelines in lower-case texts and after a header line (issue 16 point 4), on
hand-written texts."""

from __future__ import annotations

import pytest

from dragoman import Article
from dragoman.ingest import split_dateline
from dragoman.pipeline import make_document


@pytest.mark.parametrize(
    ("text", "place", "agency", "body"),
    [
        ("kanpur: the district police arrested four men after the clash on the bridge.",
         "kanpur", None, "the district"),
        ("new delhi: the ministry said the trains would run again from monday morning.",
         "new delhi", None, "the ministry"),
        ("pune, march 4 (pti) farmers blocked the highway for six hours near the toll plaza.",
         "pune", "pti", "farmers"),
    ],
)
def test_lower_case_dateline(text: str, place: str, agency: str | None, body: str) -> None:
    d = split_dateline(text)
    assert d.place is not None and d.place.text == place
    assert (d.agency.text if d.agency else None) == agency
    assert d.body.text.startswith(body)
    assert text[d.body.start:d.body.end] == d.body.text


@pytest.mark.parametrize(
    "text",
    [
        # a capitalised text keeps the old rule: "Police said" is no dateline
        "Police said: the road was closed after the clash near the market on Monday night.",
        # lower case, but a whole clause before the colon is no place
        "the minister told reporters on monday evening: we will rebuild every house.",
    ],
)
def test_no_dateline(text: str) -> None:
    d = split_dateline(text)
    assert d.place is None and d.body.start == 0


def test_header_line_then_lower_case_dateline() -> None:
    text = ("This story is from March 10, 2002\n\nkanpur: the district police arrested "
            "four men after the clash on the bridge.")
    doc = make_document(Article(id="h", text=text, published=None), "r")
    assert doc.dateline is not None and doc.dateline.place is not None
    assert doc.dateline.place.text == "kanpur"
    assert doc.dateline.body.text.startswith("the district police")
    assert (doc.published, doc.text_published) == ("2002-03-10", "2002-03-10")


def test_header_line_without_dateline_is_left_out_of_the_body() -> None:
    text = ("This story is from March 10, 2002\n\nthe district police arrested four men "
            "after the clash on the bridge near the old market.")
    doc = make_document(Article(id="h", text=text), "r")
    assert doc.dateline is not None and doc.dateline.place is None
    assert doc.dateline.body.text.startswith("the district police")


def test_lower_case_clause_before_a_colon_is_no_place() -> None:
    d = split_dateline("police said: the road was closed after the clash near the market.")
    assert d.place is None and d.body.start == 0
