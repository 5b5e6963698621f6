"""Disambiguation that uses the story (issue 16 point 2): regions and historical names
resolve to the region (``regions.yaml``), and a small place in a country nothing else in
the story lies in is left unresolved unless a qualifier vouches for it.

Real gazetteer, real spaCy model.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from dragoman import Article
from dragoman.errors import DataFileError
from dragoman.extract.places.gazetteer import FEATURE_REGION, load_gazetteer, load_regions


def _places(pipeline, text: str) -> list[tuple[str, str, str | None, str | None]]:
    r = pipeline.process_one(Article(id="t", text=text))
    return [(p.text, p.name, p.country, p.feature) for p in r.places]


@pytest.mark.parametrize("text, mention, name, country", [
    ("Fighters from the Levant crossed into Syria near Aleppo.", "Levant", "Levant", None),
    ("Israel struck targets in the Golan after shelling from Syria.", "Golan",
     "Golan Heights", "SYR"),
    ("Kurdish forces in Kurdistan and Syria clashed with IS near Raqqa.", "Kurdistan",
     "Kurdistan", None),
])
def test_regions_resolve_to_the_region(pipeline, text, mention, name, country) -> None:
    got = {t: (n, c, f) for t, n, c, f in _places(pipeline, text)}
    assert got[mention] == (name, country, FEATURE_REGION)


def test_the_storys_country_wins_over_a_larger_namesake(pipeline) -> None:
    got = _places(pipeline, "Government forces besieged Madaya, near Damascus, Syria.")
    assert [c for _, _, c, _ in got] == ["SYR", "SYR", "SYR"]  # Madaya of Syria, not Myanmar


def test_a_small_place_far_from_the_story_is_left_unresolved(pipeline) -> None:
    got = _places(pipeline, "Government forces shelled Wundwin, near Damascus, Syria.")
    assert [c for _, _, c, _ in got] == ["SYR", "SYR"]  # Damascus, Syria; no Myanmar


def test_a_qualifier_vouches_for_a_far_place(pipeline) -> None:
    got = _places(pipeline, "Floods hit Wundwin, Myanmar, while Syria stayed dry.")
    assert ("Wundwin", "MMR") in [(t, c) for t, _, c, _ in got]


def test_regions_file_is_validated_with_lines(tmp_path: Path) -> None:
    f = tmp_path / "regions.yaml"
    f.write_text("regions:\n  Levant: [34.0, 36.5, \"\"]\n  Nowhere: [134.0, 36.5, \"\"]\n",
                 encoding="utf-8")
    with pytest.raises(DataFileError, match=r"regions.yaml:3: .*out of range"):
        load_regions(f)
    f.write_text("regions:\n  Golan: [33.0, 35.7, Syria]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"regions.yaml:2: .*ISO-2"):
        load_regions(f)
    f.write_text("regions:\n  Golan: [north, 35.7, SY]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"regions.yaml:2: .*must be"):
        load_regions(f)


def test_region_divisions_are_validated_with_lines(tmp_path: Path) -> None:
    f = tmp_path / "regions.yaml"
    f.write_text("regions:\n  Levant: [34.0, 36.5, \"\"]\ndivisions:\n  Levant: Homs\n",
                 encoding="utf-8")
    with pytest.raises(DataFileError, match=r"regions.yaml:4: .*no country"):
        load_regions(f)
    f.write_text("regions:\n  Golan: [33.0, 35.7, SY]\ndivisions:\n  Ghouta: Homs\n",
                 encoding="utf-8")
    with pytest.raises(DataFileError, match=r"regions.yaml:4: .*not a region"):
        load_regions(f)
    f.write_text("regions:\n  Golan: [33.0, 35.7, SY]\nareas:\n  Golan: Homs\n",
                 encoding="utf-8")
    with pytest.raises(DataFileError, match=r"regions.yaml:3: .*unknown key"):
        load_regions(f)
    f.write_text("regions:\n  Golan: [33.0, 35.7, SY]\ndivisions:\n  Golan: Atlantis\n",
                 encoding="utf-8")
    gaz = load_gazetteer()
    with pytest.raises(DataFileError, match=r"regions.yaml:4: .*not a first-order division"):
        copy.copy(gaz).add_regions(load_regions(f))


def test_a_region_in_one_division_has_its_province(pipeline) -> None:
    r = pipeline.process_one(Article(id="t", text="Shells fell on Eastern Ghouta and Douma."))
    got = {p.text: p.admin1 for p in r.places}
    assert got["Eastern Ghouta"] == "Rif-dimashq"


def test_packaged_regions_load() -> None:
    names = {r.name for r in load_regions()}
    assert {"Levant", "Golan Heights", "Kurdistan"} <= names


def test_a_us_county_is_a_place_of_its_state_near_the_storys_town(pipeline) -> None:
    r = pipeline.process_one(Article(id="t", text=(
        "Deputies in Laurel County arrested two men on Friday. The men were taken to the "
        "jail in London, Ky., the sheriff said.")))
    county = next(p for p in r.places if p.text == "Laurel County")
    town = next(p for p in r.places if p.text == "London")
    assert (county.feature, county.admin1, county.country) == ("A.ADM2", "Kentucky", "USA")
    # the county at its own centre (the mean of its ZIP codes), around its seat London
    assert town.admin1 == "Kentucky"
    assert abs(county.lat - town.lat) < 0.3 and abs(county.lon - town.lon) < 0.3
    assert (county.lat, county.lon) != (town.lat, town.lon)


@pytest.mark.parametrize("county, state", [("Henry County", "Tennessee"),
                                           ("Lamar County", "Texas")])
def test_a_town_and_a_county_resolve_to_the_state_they_share(pipeline, county, state) -> None:
    r = pipeline.process_one(Article(id="t", text=(
        f"A Paris man was arrested on Sunday by {county} deputies. He was held at the "
        f"{county} jail.")))
    got = {(p.text, p.admin1) for p in r.places}
    assert got == {("Paris", state), (county, state)}


def test_a_town_far_from_the_story_takes_the_sense_of_its_name_beside_it(pipeline) -> None:
    # "Marion" chosen in Illinois, 400 km from West Memphis, Arkansas, takes Marion,
    # Arkansas (10 km away): spatial coherence across the state line
    from dragoman.extract.places.disambiguate import _near_the_story
    from dragoman.extract.places.mentions import Mention

    gaz = pipeline.resources.gazetteer
    marion = [i for i in gaz.lookup("Marion") if gaz.feature[i] == "P.PPL"]
    illinois = next(i for i in marion if gaz.admin1_name(i) == "Illinois")
    arkansas = next(i for i in marion if gaz.admin1_name(i) == "Arkansas")
    (memphis,) = gaz.lookup("West Memphis")
    m = Mention(0, 1, "Marion", 0, 6, "ner", marion, {}, choice=illinois)
    w = Mention(3, 5, "West Memphis", 17, 29, "ner", [memphis], {}, choice=memphis)
    _near_the_story(gaz, [m, w])
    assert m.choice == arkansas and w.choice == memphis
    # a capital stands on its own: Damascus is not Damascus, Maryland beside Washington
    (damascus,) = [i for i in gaz.lookup("Damascus") if gaz.feature[i] == "P.PPLC"]
    (washington,) = [i for i in gaz.lookup("Washington") if gaz.feature[i] == "P.PPLC"]
    d = Mention(0, 1, "Damascus", 0, 8, "ner", gaz.lookup("Damascus"), {}, choice=damascus)
    o = Mention(3, 4, "Washington", 20, 30, "ner", [washington], {}, choice=washington)
    _near_the_story(gaz, [d, o])
    assert d.choice == damascus


def test_one_other_place_does_not_outweigh_a_capital(pipeline) -> None:
    r = pipeline.process_one(Article(id="t", text=(
        "The talks in Damascus ended as officials in Washington waited."),
        published="2017-03-20"))
    got = {p.text: p.country for p in r.places}
    assert got == {"Damascus": "SYR", "Washington": "USA"}
