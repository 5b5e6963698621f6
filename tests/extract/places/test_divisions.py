"""Division words (``data/places/divisions.yaml``): validated, and part of the cache key."""

from __future__ import annotations

from pathlib import Path

import pytest

from dragoman._data import data_path
from dragoman.errors import DataFileError
from dragoman.extract.places import build
from dragoman.extract.places.translit import load_translit


def test_packaged_division_words() -> None:
    words = build.load_divisions()
    assert "governorate" in words.suffixes and "governorate" in words.words
    assert "district" in words.words and "district" not in words.suffixes
    assert {"western", "north-east"} <= words.generic
    assert words.county_words == ("County", "Parish")
    assert words.suffix_re.sub("", "Idlib Governorate") == "Idlib"


@pytest.mark.parametrize("text, problem", [
    ("suffixes: [Province]\nwords: [county]\ngeneric: [west]\ncounty_words: [County]\n",
     "'suffixes' must be a non-empty list of lower-case words"),
    ("suffixes: [province]\nwords: county\ngeneric: [west]\ncounty_words: [County]\n",
     "'words' must be a list of strings"),
    ("suffixes: [province]\nwords: [county]\ngeneric: [west]\n",
     "'county_words' must be a non-empty list"),
    ("- province\n", "expected a mapping"),
])
def test_bad_division_file_names_file_and_problem(tmp_path: Path, text: str,
                                                  problem: str) -> None:
    bad = tmp_path / "divisions.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match="divisions.yaml") as err:
        build.read_divisions(bad)
    assert problem in str(err.value)


def test_editing_the_division_words_rebuilds_the_cached_gazetteer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = load_translit()
    before = build._source_digest(rules)
    edited = tmp_path / "divisions.yaml"
    original = data_path("places", "divisions.yaml").read_text(encoding="utf-8")
    edited.write_text(original.replace("oblast, ", "oblast, krai, "), encoding="utf-8")

    def redirected(*parts: str) -> Path:
        return edited if parts == ("places", "divisions.yaml") else data_path(*parts)

    monkeypatch.setattr(build, "data_path", redirected)
    assert build._source_digest(rules) != before
