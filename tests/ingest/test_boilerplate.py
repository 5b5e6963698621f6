"""Boilerplate spotting on hand-written texts: kinds, spans, dates, ends; bad data files."""

from __future__ import annotations

from pathlib import Path

import pytest

from dragoman.errors import DataFileError
from dragoman.ingest.boilerplate import find_boilerplate, header_date, load_boilerplate_lexicon


def kinds(text: str) -> list[tuple[str, str, str | None]]:
    out = []
    for b in find_boilerplate(text):
        assert text[b.span.start:b.span.end] == b.span.text
        out.append((b.kind, b.span.text, b.value))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Date of publication 22 June 2016 Shells fell on the market of Douma.",
         [("publication", "Date of publication 22 June 2016", "2016-06-22")]),
        ("Published September 23 2016 Police closed the road to the port.",
         [("publication", "Published September 23 2016", "2016-09-23")]),
        ("Last updated at Aug 142016 A convoy reached the besieged town.",
         [("updated", "Last updated at Aug 142016", "2016-08-14")]),
        ("Sun 16 Apr 2017 Buses left the two towns at dawn.",
         [("header_date", "Sun 16 Apr 2017", "2017-04-16")]),
        ("Convoy hit near border AFP Monday 2 Feb 2015 A convoy was hit near the border.",
         [("agency_date", "AFP Monday 2 Feb 2015", "2015-02-02")]),
        ("The bridge was repaired in May. (Reuters Photo) Traffic resumed on Friday.",
         [("photo", "(Reuters Photo)", None)]),
        ("Traffic resumed on Friday. Print Tweet Views 812 Ministers met in Cairo.",
         [("share", "Print Tweet Views 812", None)]),
        ("03.05.2017Get short URL 0 417 Two shells hit the old market.",
         [("share", "Get short URL 0 417", None)]),
        ("The talks ended without a deal. Read Also Ministers meet in Oslo on trade",
         [("related", "Read Also Ministers meet in Oslo on trade", None)]),
        ("The talks ended without a deal. Source Gazette and agencies",
         [("source", "Source Gazette and agencies", None)]),
        ("The talks ended without a deal. Staff writers contributed to this report",
         [("byline", "Staff writers contributed to this report", None)]),
        ("The dam was finished in 1998. Tags Mosul dam floods Iraq The engineers warned.",
         [("tags", "Tags Mosul dam floods Iraq", None)]),
        ("Farmers protested. Tags farming prices protests. The minister answered.",
         [("tags", "Tags farming prices protests", None)]),
    ],
)
def test_kinds_spans_and_dates(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Published reports said the dam was finished in 1998.",  # no date after the cue
        "Officials read also the second letter aloud.",  # lower-case 'also' mid-sentence
        "The army said the photos were fake.",  # 'photos' outside a parenthesis
        "He tags along with the convoy every week.",  # not the capitalised cue
    ],
)
def test_content_is_not_boilerplate(text: str) -> None:
    assert kinds(text) == []


def test_related_cue_inside_the_body_is_the_cue_alone() -> None:
    text = ("Water ran out in May. Read also Drought hits the north The pumps broke. "
            "Engineers came on Monday.")
    assert kinds(text) == [("related", "Read also", None)]


def test_a_related_block_after_a_source_credit_runs_to_the_end() -> None:
    # the credit closes the body: the headlines after it are no content, even with a
    # caption's full stop among them before the footer
    text = ("Ministers met in Cairo on Monday. Source Gazette Related News Floods kill "
            "nine in the delta Bridge reopens after repairs A map says more than words. "
            "Follow us on Instagram for the latest.")
    got = kinds(text)
    assert ("source", "Source Gazette", None) in got
    related = [t for k, t, _ in got if k == "related"]
    assert related and related[0].startswith("Related News Floods kill nine")
    assert related[0].endswith("for the latest.")


def test_related_headlines_up_to_the_tags_are_a_block_whatever_precedes_the_cue() -> None:
    # a view count stands before the cue; the headlines have no full stop up to the tags
    text = ("Talks resumed in Vienna on Monday. ... 214 Related Floods Kill Nine in Delta "
            "Bridge Reopens After Repairs Tags floods delta")
    got = kinds(text)
    related = [t for k, t, _ in got if k == "related"]
    assert related and related[0].startswith("Related Floods Kill Nine")
    assert ("tags", "Tags floods delta", None) in got


def test_a_related_block_in_text_written_in_lower_case() -> None:
    # an archive that lower-cases its text: the headlines after the cue are no content
    text = ("the town was calm for the third night, police added. related stories "
            "minister visits riot-hit areas  curfew lifted in two towns")
    assert [(k, t) for k, t, _ in kinds(text)] == [
        ("related", text[text.index("related stories"):])]
    # the words in a sentence of the story are not a block
    assert kinds("police said the related stories were false. the curfew continues.") == []


def test_header_date_prefers_publication_over_update() -> None:
    text = ("Last updated at Jan 052017 Published January 3 2017 The port reopened. "
            "Tags ports trade")
    found = header_date(find_boilerplate(text))
    assert found is not None and (found.kind, found.value) == ("publication", "2017-01-03")
    assert header_date(find_boilerplate("The port reopened on Monday.")) is None
    updated = header_date(find_boilerplate("Last updated at Jan 052017 The port reopened."))
    assert updated is not None and updated.value == "2017-01-05"


def test_impossible_date_gives_no_value() -> None:
    [b] = find_boilerplate("Published February 30 2016 The port reopened.")
    assert b.kind == "publication" and b.value is None


def test_bounds_are_respected() -> None:
    text = "Tags one two. The port reopened. Tags three four"
    found = find_boilerplate(text, 14)
    assert [b.span.text for b in found] == ["Tags three four"]


def test_user_file_extends_the_lists(tmp_path: Path) -> None:
    extra = tmp_path / "more.yaml"
    extra.write_text("tag_cues: [Keywords]\n", encoding="utf-8")
    lex = load_boilerplate_lexicon([extra])
    found = find_boilerplate("Rain fell. Keywords weather rain", lexicon=lex)
    assert [b.kind for b in found] == ["tags"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("tag_cues: Tags\n", "more.yaml:1: tag_cues must be a list of non-empty strings"),
        ("max_tag_words: -3\n", "more.yaml:1: max_tag_words must be a positive whole number"),
        ("photo_words: [photo]\ntaggs: [x]\n", "more.yaml:2: unknown key 'taggs'"),
        ("tag_cues: [Tags, '']\n", "more.yaml:1: tag_cues must be a list"),
    ],
)
def test_bad_user_file_names_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    extra = tmp_path / "more.yaml"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=message.replace("(", r"\(")):
        load_boilerplate_lexicon([extra])
