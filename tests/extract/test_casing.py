"""Case restoration (issue 16 point 3): all-lower-case and all-capitals texts are parsed
with case restored, offsets exact, and records keep the original text's spans.

Real knowledge base, gazetteer, casing table and spaCy model.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dragoman import Article
from dragoman.config import Config
from dragoman.errors import DataFileError
from dragoman.extract import casing
from dragoman.pipeline import Pipeline

TEXT = ("Syrian government forces shelled the town of Douma near Damascus on Monday, "
        "killing 12 civilians, the Syrian Observatory for Human Rights said. The United "
        "Nations called for a ceasefire. Russian warplanes also struck Idlib province.")


@pytest.fixture(scope="module")
def restorer(pipeline: Pipeline) -> casing.CaseRestorer:
    return casing.CaseRestorer.build(pipeline.resources.kb, pipeline.resources.gazetteer)


@pytest.mark.parametrize("text, kind", [
    (TEXT, "mixed"), (TEXT.lower(), "lower"), (TEXT.upper(), "upper"), ("too short", "mixed"),
    ("This story is from March 10, 2002\n\n" + TEXT.lower(), "lower"),
])
def test_case_of(text: str, kind: str) -> None:
    assert casing.case_of(text) == kind


def test_restored_text_keeps_length_and_letters(restorer) -> None:
    for text in (TEXT.lower(), TEXT.upper()):
        out = restorer.restore(text)
        assert out is not None and len(out) == len(text) and out.lower() == text.lower()
    assert restorer.restore(TEXT) is None  # normal case is left alone


def test_restored_text_has_names_and_sentence_starts(restorer) -> None:
    out = restorer.restore(TEXT.lower())
    assert out is not None
    for name in ("Syrian", "Douma", "Damascus", "Monday", "United Nations", "Russian",
                 "Idlib", "The United"):
        assert name in out, name
    for word in (" government ", " forces ", " shelled ", " town ", " province"):
        assert word in out, word  # common words stay lower case


def test_records_keep_the_original_spans(pipeline: Pipeline) -> None:
    for text in (TEXT.lower(), TEXT.upper()):
        r = pipeline.process_one(Article(id="t", text=text))
        assert r.places and r.events
        spans = [(p.start, p.end, p.text) for p in r.places]
        spans += [(e.sentence.start, e.sentence.end, e.sentence.text) for e in r.events]
        spans += [(e.trigger.start, e.trigger.end, e.trigger.text) for e in r.events]
        spans += [(a.start, a.end, a.text) for e in r.events
                  for a in (*e.actor, *e.recipient)]
        for start, end, span_text in spans:
            assert text[start:end] == span_text


def test_lower_case_text_finds_what_cased_text_finds(pipeline: Pipeline) -> None:
    cased = pipeline.process_one(Article(id="t", text=TEXT))
    lower = pipeline.process_one(Article(id="t", text=TEXT.lower()))
    off = Pipeline(dataclasses.replace(Config(), restore_case=False)).process_one(
        Article(id="t", text=TEXT.lower()))
    names = {p.name for p in cased.places}
    assert {p.name for p in lower.places} == names
    assert len({p.name for p in off.places} & names) < len(names)  # without: places lost
    assert {e.event_type for e in lower.events} == {e.event_type for e in cased.events}


def test_original_spans_fixes_only_case(pipeline: Pipeline) -> None:
    from dragoman.types import Span

    text = "the un said."
    spans = (Span(4, 6, "UN"), Span(0, 3, "xyz"))
    assert casing.original_spans(spans, text) == (Span(4, 6, "un"), Span(0, 3, "xyz"))


def test_a_bad_casing_table_is_named(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "nlp").mkdir()
    (tmp_path / "nlp" / "casing.tsv").write_text(
        "word\tform\tcount\tshare\nsyria\tSyria\t10\t1.0\nun\tUNO\t3\t1.0\n", encoding="utf-8")
    monkeypatch.setattr(casing, "data_path", lambda *parts: tmp_path.joinpath(*parts))
    casing.load_casing.cache_clear()
    try:
        with pytest.raises(DataFileError, match=r"casing.tsv:3: .*'UNO'"):
            casing.load_casing()
    finally:
        casing.load_casing.cache_clear()


def test_user_casing_rows_extend_and_replace(tmp_path: Path) -> None:
    extra = tmp_path / "more.tsv"
    extra.write_text("word\tform\tcount\tshare\nzabadani\tZabadani\t5\t1.0\n", encoding="utf-8")
    table = casing.load_casing((str(extra),))
    assert table.forms["zabadani"][0] == "Zabadani"
    assert len(table.forms) == len(casing.load_casing().forms) + (
        "zabadani" not in casing.load_casing().forms)
