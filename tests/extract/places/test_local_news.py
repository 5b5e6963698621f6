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


def test_a_county_is_placed_at_its_own_centre_not_its_states(pipeline: Pipeline) -> None:
    # Walker County lies in Georgia's north-west corner (LaFayette); Georgia's centre is
    # some 250 km south-east of it
    r = pipeline.process_one(Article(id="c", text="Deputies searched the woods of Walker "
                                     "County, Ga., on Tuesday.", published="2009-03-20"))
    county = [p for p in r.places if p.feature == "A.ADM2"]
    assert [p.admin1 for p in county] == ["Georgia"]
    assert 34.4 < county[0].lat < 35.2 and -85.6 < county[0].lon < -85.0
    state = [p for p in r.places if p.feature == "A.ADM1" and p.name == "Georgia"]
    assert state and state[0].lat < 33.8  # the state itself keeps its own centre


def test_a_qualifier_that_is_a_state_and_a_country_reads_as_the_one_the_place_is_in(
        pipeline: Pipeline) -> None:
    found = _places(pipeline, "He grew up in Athens, Georgia, and studied law.")
    assert found == [("Athens", "USA", "Georgia", "P.PPL"),
                     ("Georgia", "USA", "Georgia", "A.ADM1")]
    found = _places(pipeline, "He flew to Tbilisi, Georgia, on Monday.")
    assert [(p[0], p[1]) for p in found] == [("Tbilisi", "GEO"), ("Georgia", "GEO")]
