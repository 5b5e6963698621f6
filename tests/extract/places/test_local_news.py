"""Local news (LGL-style): towns the model reads as people or organisations, county lists,
party-and-place designations, state abbreviations, datelines after a headline, and one
sense per name. Real spaCy model and gazetteer, real pipeline runs."""

from __future__ import annotations

from dragoman import Article, Pipeline


def _places(pipeline: Pipeline, text: str) -> list[tuple[str, str | None, str | None, str]]:
    r = pipeline.process_one(Article(id="p", text=text, published="2009-03-20"))
    return [(p.text, p.country, p.admin1 or p.name, p.feature or "")
            for p in sorted(r.places, key=lambda p: p.start)]


def test_town_read_as_a_person_with_place_words_around_it(pipeline: Pipeline) -> None:
    # "Alexandria woman", "of 1935 Orchard St., Alexandria,": the model reads a person
    found = _places(pipeline, "Alexandria woman charged in connection with fire. Chiquita "
                    "Henry, 19, of 1935 Orchard St., Alexandria, was arrested. Rapides Parish "
                    "Fire District 2 investigated the fire.")
    assert [p[:3] for p in found if p[0] == "Alexandria"] == [
        ("Alexandria", "USA", "Louisiana")] * 2


def test_each_name_of_a_county_list_is_a_county(pipeline: Pipeline) -> None:
    found = _places(pipeline, "Jobless rates rose in Barrow, Jackson and Madison counties, "
                    "the Georgia Department of Labor said.")
    counties = [p for p in found if p[3] == "A.ADM2"]
    assert [p[0] for p in counties] == ["Barrow", "Jackson", "Madison"]
    assert {p[2] for p in counties} == {"Georgia"}


def test_party_letter_and_place(pipeline: Pipeline) -> None:
    found = _places(pipeline, "The bill drew support from House Majority Whip James Clyburn, "
                    "D-S.C., and Rep. Torrey Westrom, R-Elbow Lake, said he would vote for it.")
    assert ("S.C.", "USA", "South Carolina", "A.ADM1") in found
    assert ("Elbow Lake", "USA", "Minnesota", "P.PPL") in found


def test_state_abbreviation_the_model_tags_and_a_dateline_after_the_headline(
        pipeline: Pipeline) -> None:
    assert ("Ill.", "USA", "Illinois", "A.ADM1") in _places(
        pipeline, "Missing Ill. man found in stolen car.")
    found = _places(pipeline, "Democrats pick candidate. HARTFORD — Connecticut legislators "
                    "voted on Monday.")
    assert ("HARTFORD", "USA", "Connecticut", "P.PPL") in found
