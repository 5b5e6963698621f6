"""Gazetteer-driven spotting beside NER (issue 16 point 1): names the model leaves untagged
or tags as something else, kept on evidence; demonyms; abbreviations of countries.

Real gazetteer, real spaCy model; hand-built ``Doc``s (no entities, no tags) where the
test is about the spotter alone.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from dragoman import Article
from dragoman.errors import DataFileError
from dragoman.extract import DocContext, places
from dragoman.extract.places import spot
from dragoman.types import Dateline, Span


def _ctx(pipeline, text: str, dateline: tuple[int, int] | None = None) -> DocContext:
    body = Span(0, len(text), text)
    dl = Dateline(body=body, place=Span(dateline[0], dateline[1],
                                        text[dateline[0]:dateline[1]]) if dateline else None)
    return DocContext(doc_id="t", run_id="r", article=Article(id="t", text=text), dateline=dl,
                      doc=pipeline.nlp(text), base=0, resources=pipeline.resources)


def _bare(pipeline, words: list[str]) -> DocContext:
    """A context over a Doc with no entities and no tags: only the spotter can find places."""
    doc = Doc(pipeline.nlp.vocab, words=words,
              sent_starts=[True] + [False] * (len(words) - 1))
    text = doc.text
    return DocContext(doc_id="t", run_id="r", article=Article(id="t", text=text),
                      dateline=Dateline(body=Span(0, len(text), text)), doc=doc, base=0,
                      resources=pipeline.resources)


def _found(ctx: DocContext) -> list[tuple[str, str | None, str]]:
    return [(p.text, p.country, p.role) for p in places.extract(ctx)]


@pytest.mark.parametrize("words, expected", [
    # a context phrase before the name makes a small town a place
    (["Shelling", "hit", "the", "town", "of", "Kafr", "Nabl", "on", "Monday"], "Kafr Nabl"),
    (["Dozens", "fled", "to", "the", "outskirts", "of", "Douma"], "Douma"),
    # a place word after it
    (["Clashes", "spread", "across", "Daraa", "countryside"], "Daraa"),
])
def test_untagged_names_with_context_are_spotted(pipeline, words, expected) -> None:
    assert expected in [t for t, _, _ in _found(_bare(pipeline, words))]


@pytest.mark.parametrize("words", [
    ["Kafr", "Nabl", "is", "quiet", "today"],  # a small town, no evidence
    ["Residents", "said", "Lincoln", "had", "left"],  # a city name standing alone, untagged
])
def test_untagged_names_without_evidence_are_not(pipeline, words) -> None:
    assert _found(_bare(pipeline, words)) == []


def test_a_country_inside_an_organisation_is_an_embedded_mention(pipeline) -> None:
    text = "Researchers at the University of Texas published the study on Tuesday."
    got = _found(_ctx(pipeline, text))
    assert ("Texas", "USA", "embedded") in got


def test_a_name_the_document_already_places_is_spotted_inside_others(pipeline) -> None:
    text = ("GAINESVILLE, Ga. - A man was arrested on Friday. The Gainesville Police "
            "Department said the man had fled.")
    got = _found(_ctx(pipeline, text, dateline=(0, 11)))
    assert [r for t, _, r in got if t == "Gainesville"] == ["embedded"]


def test_demonyms_name_their_country_plurals_do_not(pipeline) -> None:
    got = _found(_ctx(pipeline, "Russian warplanes struck the hospital, and Russians "
                                "later denied it."))
    assert ("Russian", "RUS", "demonym") in got
    assert not any(t == "Russians" for t, _, _ in got)


def test_a_country_abbreviation_is_the_country(pipeline) -> None:
    got = _found(_ctx(pipeline, "The U.S. military said the strike killed three fighters."))
    assert ("U.S.", "USA", "mention") in got


def test_a_place_name_inside_a_person_name_is_not_a_place(pipeline) -> None:
    got = _found(_ctx(pipeline, "Jordan Peterson and Sydney Sweeney spoke at the gala."))
    assert not any(t in ("Sydney", "Jordan") for t, _, _ in got)


def test_demonyms_and_embedded_places_are_no_event_location(pipeline) -> None:
    from dragoman.extract.places.location import event_location

    ctx = _ctx(pipeline, "Russian warplanes bombed the University of Aleppo.")
    ctx.places = places.extract(ctx)
    trig = next(t for t in ctx.doc if t.lemma_ == "bomb")
    assert event_location(ctx, trig.sent, trig) is None


def test_spotting_words_are_read_from_the_data_file() -> None:
    words = spot.load_spot_words()
    assert ("town", "of") in words.before and "province" in words.after


def test_user_spotting_file_extends_the_packaged_words(tmp_path) -> None:
    from dragoman.extract.places.words import load_spot_words

    extra = tmp_path / "more.yaml"
    extra.write_text("after: [township]\ncounty_lists: {boroughs: Borough}\n",
                     encoding="utf-8")
    words = load_spot_words((str(extra),))
    assert "township" in words.after and "province" in words.after
    assert words.county_lists["boroughs"] == "Borough"
    assert words.county_lists["counties"] == "County"
    bad = tmp_path / "bad.yaml"
    bad.write_text("afterwards: [x]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="bad.yaml: unknown key 'afterwards'"):
        load_spot_words((str(bad),))


def test_a_bad_spotting_file_is_named(tmp_path, monkeypatch) -> None:
    bad = tmp_path / "places"
    bad.mkdir()
    (bad / "spotting.yaml").write_text("before: town of\n", encoding="utf-8")
    import dragoman.extract.places.words as mod

    monkeypatch.setattr(mod, "data_path", lambda *parts: tmp_path.joinpath(*parts))
    mod.load_spot_words.cache_clear()
    try:
        with pytest.raises(DataFileError, match="spotting.yaml"):
            mod.load_spot_words()
    finally:
        mod.load_spot_words.cache_clear()


def test_region_demonyms_and_regions_named_by_the_model(pipeline) -> None:
    got = _found(_ctx(pipeline, "Tensions in the Middle East rose as European leaders met. "
                                "The Kurdish fighters advanced."))
    names = {(t, r) for t, _, r in got}
    assert {("Middle East", "mention"), ("European", "demonym"), ("Kurdish", "demonym")} <= names


def test_a_state_abbreviation_after_a_comma_is_the_state(pipeline) -> None:
    got = places.extract(_ctx(pipeline, "The chemical plant near Charleston, W.Va., closed "
                                        "on Monday."))
    assert ("W.Va.", "A.ADM1", "US") == next(
        (p.text, p.feature, p.country[:2]) for p in got if p.text.startswith("W.Va"))


def test_a_name_after_a_joined_arabic_article_reads_the_context_before_the_article(
        pipeline) -> None:
    # "in al-Hassakeh": the place preposition stands before "al", not before the name
    words = ["Bombers", "killed", "30", "in", "al", "-", "Hassakeh", "on", "Monday"]
    doc = Doc(pipeline.nlp.vocab, words=words, spaces=[True] * 4 + [False, False] + [True] * 3,
              sent_starts=[True] + [False] * (len(words) - 1))
    ctx = DocContext(doc_id="t", run_id="r", article=Article(id="t", text=doc.text),
                     dateline=Dateline(body=Span(0, len(doc.text), doc.text)), doc=doc,
                     base=0, resources=pipeline.resources)
    found = [(p.text, p.country) for p in places.extract(ctx)]
    assert ("Hassakeh", "SYR") in found
    # without the preposition the same small-evidence name is not spotted
    bare = _bare(pipeline, ["Bombers", "praised", "al", "-", "Hassakeh", "Monday"])
    assert "Hassakeh" not in [t for t, _, _ in _found(bare)]


def test_a_place_the_model_reads_as_an_organisation_with_its_article_is_a_place(
        pipeline) -> None:
    # the model tags "al-Hassakeh" as an ORG: the whole entity is the place's name, not an
    # organisation embedding it, so it can be where the attack happened
    text = ("Two suicide bombers have killed at least 30 Kurdish militiamen and police in "
            "al-Hassakeh in north-eastern Syria, a monitoring group says.")
    got = {p.text: p for p in places.extract(_ctx(pipeline, text))}
    assert "Hassakeh" in got
    assert got["Hassakeh"].role != "embedded"
    assert got["Hassakeh"].admin1 == "Al-Hasakah"
