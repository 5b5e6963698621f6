"""The article's own header date (issue 16 point 6): read from the text, kept beside the
input's `published`, counted by the run when they disagree, and chosen by a setting."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from dragoman import Article, Config
from dragoman.config import load_config
from dragoman.errors import ConfigError
from dragoman.pipeline import dated_article, dates_disagree, make_document
from dragoman.runner import run

TEXT = ("Published September 23 2016 Government aircraft bombed the market of the town on "
        "Monday, killing nine people.")


def test_header_date_is_kept_beside_published() -> None:
    doc = make_document(Article(id="a", text=TEXT, published="2016-10-05"), "r")
    assert (doc.published, doc.text_published) == ("2016-10-05", "2016-09-23")
    assert dates_disagree(doc)
    near = make_document(Article(id="b", text=TEXT, published="2016-09-24"), "r")
    assert not dates_disagree(near)


def test_header_date_serves_when_no_date_is_given() -> None:
    article = Article(id="a", text=TEXT, published=None)
    doc = make_document(article, "r")
    assert doc.published == "2016-09-23"
    assert dated_article(article, doc).published == "2016-09-23"


@pytest.mark.parametrize(("choice", "expected"), [("input", "2016-10-05"), ("text", "2016-09-23")])
def test_setting_picks_the_date_extraction_uses(choice: str, expected: str) -> None:
    article = Article(id="a", text=TEXT, published="2016-10-05")
    assert dated_article(article, make_document(article, "r"), choice).published == expected


def test_setting_is_validated_and_read_from_the_environment() -> None:
    with pytest.raises(ConfigError, match="publication_date"):
        load_config(env={}, publication_date="newest")
    assert load_config(env={"DRAGOMAN_PUBLICATION_DATE": "text"}).publication_date == "text"
    assert load_config(env={}).publication_date == "input"


def test_run_stores_both_dates_reports_and_resolves_by_the_setting(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "late", "text": TEXT, "published": "2016-10-05"},
        {"id": "plain", "text": "Rebels shelled the airport of the city on Monday.",
         "published": "2016-10-05"},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    dates = {}
    for choice in ("input", "text"):
        store = tmp_path / choice
        summary = run([str(src)], store, Config(publication_date=choice))
        assert summary.date_disagreements == 1
        assert summary.to_dict()["date_disagreements"] == 1
        con = duckdb.connect()
        seg = f"{store}/segments/*"
        got = con.sql(f"select doc_id, published, text_published from "
                      f"read_parquet('{seg}/documents.parquet') order by doc_id").fetchall()
        assert got == [("late", "2016-10-05", "2016-09-23"), ("plain", "2016-10-05", None)]
        dates[choice] = con.sql(
            f"select date, date_precision from read_parquet('{seg}/events.parquet') "
            "where doc_id = 'late'").fetchall()
    # "on Monday" before 2016-10-05 (a Wednesday) vs before 2016-09-23 (a Friday)
    assert ("2016-10-03", "day") in dates["input"]
    assert ("2016-09-19", "day") in dates["text"]

