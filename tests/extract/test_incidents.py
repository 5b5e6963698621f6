"""Incidents: casualty figures, merging the mentions of one happening, cause and place.

Real spaCy model, real gazetteer and actor KB; the texts are written for these tests.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from dragoman.errors import DataFileError
from dragoman.extract import DocContext, extract_document, prepare_context
from dragoman.extract.incidents.casualties import find_figures, parse_number
from dragoman.extract.incidents.grouping import _is_agency, build_incidents
from dragoman.extract.incidents.lexicon import (
    _phrase_rx,
    load_incident_lexicon,
    read_incident_lexicon,
)
from dragoman.pipeline import Pipeline
from dragoman.types import ActorRef, Article, CasualtyCount


def _figures(make_ctx: Callable[..., DocContext], text: str) -> list[tuple]:
    ctx = make_ctx(text, published="2017-04-19")
    prepare_context(ctx)
    return [(f.kind, f.category, f.count.low, f.count.high, f.rising, f.subset)
            for f in find_figures(ctx)]


@pytest.mark.parametrize(("words", "value"), [
    (["1,200"], 1200), (["twenty-five"], 25), (["two", "hundred"], 200),
    (["three", "thousand", "and", "five"], 3005), (["many"], None),
])
def test_parse_number(words: list[str], value: int | None) -> None:
    assert parse_number(words, load_incident_lexicon()) == value


@pytest.mark.parametrize(("text", "want"), [
    ("A bomb blast killed six people and injured 32 in Aleppo.",
     [("killed", "total", 6, 6, False, False), ("injured", "total", 32, 32, False, False)]),
    ("Airstrikes killed at least 15 civilians, including four children, and wounded dozens.",
     [("killed", "civilians", 15, None, False, False),
      ("killed", "children", 4, 4, False, True),
      ("injured", "total", 24, None, False, False)]),
    ("The death toll rose to 126 on Sunday.", [("killed", "total", 126, 126, True, False)]),
    ("Twenty-five soldiers were killed and up to 50 were wounded.",
     [("killed", "combatants", 25, 25, False, False),
      ("injured", "total", None, 50, False, False)]),
    ("Warplanes dropped more than 1000 bombs in 150 airstrikes over ten days in 2016.", []),
    # a name before the victim noun (not a date's); the civilians of a trade
    ("US-led strikes killed 15 ISIL militants near Raqqa.",
     [("killed", "combatants", 15, 15, False, False)]),
    ("12 November 2016 Three civilians were killed in the shelling.",
     [("killed", "civilians", 3, 3, False, False)]),
    ("Four medics were killed when an airstrike hit a clinic.",
     [("killed", "civilians", 4, 4, False, False)]),
    ("Airstrikes killed 3 Hezbollah in Qusayr.", []),
    # a day and month before the count: the day is no count; the count the model read
    # into the date still counts the people named after it
    ("9 Aug 2016 5 people were killed and 12 others wounded in the attack.",
     [("killed", "total", 5, 5, False, False), ("injured", "total", 12, 12, False, False)]),
    ("On Thursday 23 civilians including nine children were killed in regime air raids.",
     [("killed", "civilians", 23, 23, False, False),
      ("killed", "children", 9, 9, False, True)]),
    # quotation marks around the noun counted
    ('State media said government forces had killed 50 "terrorists" in the area.',
     [("killed", "combatants", 50, 50, False, False)]),
    # a participle before the noun counted: two towns, not two dead
    (("A car bomb hit a convoy of buses carrying civilians out of two besieged Syrian towns "
      "killing at least 100 people."), [("killed", "total", 100, None, False, False)]),
    # a possessive between the number and the victim noun: the noun still says who
    ("The Turkish military said four of its soldiers have been killed.",
     [("killed", "combatants", 4, 4, False, False)]),
    ("A commander was killed alongside nine of his comrades in a battle.",
     [("killed", "combatants", 9, 9, False, False)]),
    # the verb's own object says it: "lost their lives"
    ("Six civilians, including two children, lost their lives in the shelling.",
     [("killed", "civilians", 6, 6, False, False), ("killed", "children", 2, 2, False, True)]),
    # "others": everyone hurt besides the dead; killed "others" add to a figure already had
    ("Four people were killed and 30 others were wounded in the blast.",
     [("killed", "total", 4, 4, False, False), ("injured", "total", 30, 30, False, False)]),
    ("Five civilians were killed along with three others.",
     [("killed", "civilians", 5, 5, False, False)]),
    # a title-case headline: the model leaves capitalised plurals as written
    ("Council Mourns 5 Rescue Workers Killed in Raids on Rural Hama",
     [("killed", "civilians", 5, 5, False, False)]),
    ("Airstrikes Kill 12 Civilians and 4 Children in Idlib",
     [("killed", "civilians", 12, 12, False, False),
      ("killed", "children", 4, 4, False, False)]),
    # a rising verb's subject says what the figure counts, not the injured word nearest it
    (("The death toll from the shelling of the market in the old city rose to 14 people in "
      "addition to more than 90 others injured, officials said."),
     [("killed", "total", 14, 14, True, False), ("injured", "total", 90, None, False, False)]),
    # the injured word right after the count says what it counts, whatever the parse
    # hangs it on
    ("Apart from those killed at least 70 people were injured the hospital said.",
     [("injured", "total", 70, None, False, False)]),
    ("Officials said 12 gunmen were killed in the village and around 30 wounded.",
     [("killed", "combatants", 12, 12, False, False),
      ("injured", "total", 30, 30, False, False)]),
    ("The army said 40 insurgents died while more than 60 were left wounded.",
     [("killed", "combatants", 40, 40, False, False),
      ("injured", "total", 60, None, False, False)]),
])
def test_casualty_figures(make_ctx: Callable[..., DocContext], text: str,
                          want: list[tuple]) -> None:
    assert _figures(make_ctx, text) == want


def test_figure_source_from_according_to(make_ctx: Callable[..., DocContext]) -> None:
    ctx = make_ctx("Shelling killed 12 civilians in Douma, according to the Syrian "
                   "Observatory for Human Rights.", published="2017-04-19")
    prepare_context(ctx)
    (fig,) = find_figures(ctx)
    assert fig.source is not None and "Observatory" in fig.source
    assert ctx.article.text[fig.start:fig.end] == fig.text == "12 civilians"


def test_one_incident_for_headline_lead_and_update(pipeline: Pipeline) -> None:
    text = ("Air strikes kill 20 in Idlib town. Syrian government air strikes killed at least "
            "20 civilians in the town of Ariha in Idlib province on Monday, the Britain-based "
            "Syrian Observatory for Human Rights said. The death toll later rose to 27, "
            "including eight children, the Observatory said. More than 300,000 people have "
            "been killed since the conflict began in 2011.")
    result = pipeline.process_one(Article(id="t1", text=text, published="2015-08-03"))
    violent = [i for i in result.incidents if i.event_type == "ASSAULT"]
    assert len(violent) == 1
    inc = violent[0]
    k = inc.casualties.killed
    assert k.civilians == CasualtyCount(20, None)
    assert k.total == CasualtyCount(27, 27)  # the rising toll, resolved to its latest
    assert k.children == CasualtyCount(8, 8)
    assert any(f.background for f in inc.casualties.figures)  # the war's toll: not counted
    assert inc.cause == "airstrike"
    assert inc.location is not None and inc.location.country == "SYR"
    assert inc.location.admin1 == "Idlib"
    assert inc.location.name != "United Kingdom"
    assert set(inc.event_ids) <= {e.id for e in result.events}
    # every event belongs to an incident but a mention of the war's toll (last sentence),
    # which is no happening
    ids = {i.id for i in result.incidents}
    war = text.index("More than 300,000")
    assert all(e.incident_id in ids for e in result.events if e.sentence.start < war)
    assert all(e.incident_id is None for e in result.events if e.sentence.start >= war)
    for span in inc.evidence:
        assert text[span.start:span.end] == span.text


def test_different_places_are_different_incidents(pipeline: Pipeline) -> None:
    text = ("A car bomb killed five people in Aleppo on Monday. In the city of Homs, "
            "government artillery shelled a market and killed nine civilians on Tuesday.")
    result = pipeline.process_one(Article(id="t2", text=text, published="2017-04-19"))
    violent = [i for i in result.incidents if i.event_type == "ASSAULT"]
    assert len(violent) == 2
    by_cause = {i.cause: i for i in violent}
    assert set(by_cause) == {"explosion", "shelling"}
    assert by_cause["explosion"].location is not None
    assert by_cause["explosion"].location.admin1 == "Aleppo"
    assert by_cause["shelling"].casualties.killed.civilians == CasualtyCount(9, 9)


def _main(result):  # the incident with most killed
    from dragoman.eval.incidents import main_incident
    return main_incident(result)


def _main_place(pipeline: Pipeline, text: str, published: str):
    main = _main(pipeline.process_one(Article(id="t", text=text, published=published)))
    assert main is not None and main.location is not None
    return main.location


def test_an_earlier_attack_the_story_recalls_is_background(pipeline: Pipeline) -> None:
    # the recalled attack (a stated date years before publication) gives neither its place,
    # its cause nor its toll to the attack the story reports
    text = ("Health workers in Idlib treated the wounded after the attack on Tuesday, a "
            "doctor said. At least 40 people were killed, the doctor said. "
            "Hundreds of civilians died in a sarin gas attack in Ghouta near Damascus in "
            "August 2013.")
    result = pipeline.process_one(Article(id="t3", text=text, published="2017-04-05"))
    main = _main(result)
    assert main is not None
    assert main.casualties.killed.total == CasualtyCount(40, None)
    assert main.casualties.killed.civilians is None  # the 2013 toll is not this attack's
    assert main.location is not None and main.location.admin1 == "Idlib"
    recalled = [f for i in result.incidents for f in i.casualties.figures
                if f.text.startswith("Hundreds")]
    assert recalled and all(f.background for f in recalled)


def test_incident_place_from_region_division_and_main_country(pipeline: Pipeline) -> None:
    # a region of regions.yaml carries its province; a country named often as an actor
    # ("the US said") is not where the attack happened
    text = ("The US condemned the attack. US officials said the US would respond. "
            "Government warplanes killed 12 civilians in Eastern Ghouta on Monday.")
    place = _main_place(pipeline, text, "2017-11-20")
    assert (place.country, place.admin1, place.precision) == ("SYR", "Rif-dimashq", "district")


def test_incident_place_prefers_the_division_the_story_opens_with(pipeline: Pipeline
                                                                  ) -> None:
    # the incident's sentence names two towns: the one in the story's division wins
    text = ("Idlib town hit by air strikes. The government in Damascus denied that its "
            "warplanes killed 15 people in Saraqeb on Sunday.")
    assert _main_place(pipeline, text, "2017-04-19").admin1 == "Idlib"


def test_an_attack_without_a_cause_word_takes_the_story_cause(pipeline: Pipeline) -> None:
    text = ("A car bomb exploded near a bakery in the town of Qamishli on Friday. "
            "Medics said the death toll had risen to 16 by the evening.")
    result = pipeline.process_one(Article(id="t6", text=text, published="2016-07-27"))
    main = _main(result)
    assert main is not None
    assert main.casualties.killed.total == CasualtyCount(16, 16)
    assert main.cause == "explosion"


def test_extract_document_returns_incidents(make_ctx: Callable[..., DocContext]) -> None:
    ctx = make_ctx("Gunmen shot dead three policemen in the city of Homs.",
                   published="2017-04-19")
    out = extract_document(ctx)
    assert len(out.incidents) == 1
    assert out.incidents[0].cause == "shooting"
    assert out.incidents[0].casualties.killed.combatants == CasualtyCount(3, 3)


@pytest.mark.parametrize(("change", "message"), [
    (("\nvictims:", "\nvictim_nouns:"), "unknown key"),
    (("  women: [woman, mother]", "  women: [woman, mother, soldier]"), "both"),
    (("dozens: {low: 24, high: null}", "dozens: {low: many, high: null}"), "vague word"),
])
def test_bad_lexicon_file_is_named(tmp_path, change: tuple[str, str], message: str) -> None:
    from dragoman._data import data_path

    text = data_path("incidents", "incidents.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    bad = tmp_path / "incidents.yaml"
    bad.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(DataFileError, match=message) as err:
        read_incident_lexicon(bad)
    assert str(bad) in str(err.value)


def test_the_attacker_named_as_the_attack_nouns_modifier(pipeline: Pipeline) -> None:
    # "regime bombs": no event actor the KB knows; the modifier of the attack noun is the
    # attacker, and "the regime" of a Syrian story is the Syrian government
    text = ("Five civilians including three children were killed by regime bombs that "
            "landed on the town of Douma in Rif Dimashq on Thursday, a monitor said.")
    main = _main(pipeline.process_one(Article(id="p1", text=text, published="2017-04-19")))
    assert main is not None and main.actor
    first = main.actor[0]
    assert (first.text, first.country, first.sector) == ("regime", "SYR", "GOV")


@pytest.mark.parametrize(("background", "floor"), [
    ("The conflict has left more than 320,000 people dead.", 1000),
    (("The Observatory said on Monday that 1,679 people died of torture in government "
      "prisons from March 2011."), 1000),
    ("The war that has killed more than 300,000 people shows no sign of ending.", 1000),
    ("Government air raids have killed thousands across the north.", 1000),
    # a tally over days or months is no figure of the story's attack, even when larger
    (("Hundreds of civilians have been killed over the past few days in the bombardment of "
      "the besieged districts."), 40),
    ("More than 550 civilians have been killed in the last two months in Syria.", 40),
    # a campaign's running toll in vague numbers and a perfect verb (``cumulative``)
    ("But US-led coalition strikes have also claimed hundreds of civilian lives.", 100),
    # an earlier attack the sentence recalls (``recall``: the figures after the phrase)
    ("The strikes came a day after a rebel offensive killed 40 civilians in the town.", 39),
])
def test_cumulative_tolls_are_background(pipeline: Pipeline, background: str,
                                         floor: int) -> None:
    # a war's or a period's toll neither makes the main incident nor sets its casualties
    text = ("Air strikes killed 12 civilians in the town of Saraqeb in Idlib province on "
            "Monday, the Observatory said. " + background)
    result = pipeline.process_one(Article(id="b1", text=text, published="2017-04-19"))
    main = _main(result)
    assert main is not None
    assert main.casualties.killed.civilians == CasualtyCount(12, 12)
    assert main.casualties.killed.total is None
    big = [f for i in result.incidents for f in i.casualties.figures if f.count.low
           and f.count.low > floor]
    assert big and all(f.background for f in big)


def test_hundreds_killed_in_one_attack_are_counted(pipeline: Pipeline) -> None:
    # a vague number with a simple past verb is the attack's toll, not a campaign's
    text = "Air strikes killed hundreds of people in the town of Saraqeb on Monday."
    result = pipeline.process_one(Article(id="b2", text=text, published="2017-04-19"))
    figures = [f for i in result.incidents for f in i.casualties.figures]
    assert [(f.count.low, f.background) for f in figures] == [(200, False)]


def test_an_attack_weeks_before_publication_is_background(pipeline: Pipeline) -> None:
    # a sentence dated three weeks before the story recalls another attack: its larger
    # toll neither makes the main incident nor sets its casualties
    text = ("Airstrikes killed 12 civilians in the village of Duwayleh in Idlib province on "
            "Tuesday, the Observatory said. On April 4, a chemical attack killed 88 civilians "
            "in the town of Khan Sheikhun.")
    main = _main(pipeline.process_one(Article(id="b4", text=text, published="2017-04-25")))
    assert main is not None and main.casualties.killed.civilians == CasualtyCount(12, 12)


@pytest.mark.parametrize(("text", "published", "want"), [
    # the related block starts inside the parser's last sentence: its headline's toll is
    # boilerplate, no figure at all
    (("Shelling killed seven civilians in the town of Douma on Sunday, rescuers said. "
      "Aid groups urged both sides to stop. Source Gazette Related News Strikes "
      "Kill Over 300 in Two Provinces Talks Stall in Geneva"), "2017-04-25", [(7, False)]),
    # headline, standfirst and lead in one parsed sentence, parted by the agency's date
    # line: "last month" in the standfirst does not make the lead's toll background
    (("Rebels shell Kurd town After troops left the area last month the rebels strike "
      "back AFP Sunday 9 Jun 2013 Rebels shelled a mainly Kurdish town in northern "
      "Syria on Sunday and 11 people were killed a monitor said."), "2013-06-09",
     [(11, False)]),
])
def test_boilerplate_inside_a_sentence_bounds_its_figures(
        pipeline: Pipeline, text: str, published: str, want: list[tuple[int, bool]]) -> None:
    result = pipeline.process_one(Article(id="b5", text=text, published=published))
    figures = [f for i in result.incidents for f in i.casualties.figures]
    assert [(f.count.low, f.background) for f in figures] == want


def test_an_attack_on_displaced_people_is_counted(pipeline: Pipeline) -> None:
    # the displaced and refugees as the attack's victims ("a camp for displaced families")
    # are no war-wide count of people driven from their homes
    text = ("An Islamic State car bomb killed 20 people and injured 30 others at a site where "
            "displaced families are located in Deir Ezzor province on Friday.")
    main = _main(pipeline.process_one(Article(id="b3", text=text, published="2017-11-17")))
    assert main is not None and main.casualties.killed.total == CasualtyCount(20, 20)
    assert not any(f.background for f in main.casualties.figures)


def test_a_household_is_no_count_of_people(make_ctx: Callable[..., DocContext]) -> None:
    assert _figures(make_ctx, "Regime air strikes killed three children from one family "
                              "in Rastan on Saturday.") == [
        ("killed", "children", 3, 3, False, False)]
    assert _figures(make_ctx, "Six members of one family were killed in the shelling.") == [
        ("killed", "total", 6, 6, False, False)]


def test_combat_is_no_shooting(pipeline: Pipeline) -> None:
    text = ("At least 20 fighters were killed in clashes between rebels and government "
            "forces near the town of Morek in Hama province on Sunday.")
    main = _main(pipeline.process_one(Article(id="c1", text=text, published="2017-04-19")))
    assert main is not None and main.cause == "other"


def test_an_attack_naming_no_attacker_takes_the_storys(pipeline: Pipeline) -> None:
    text = ("Russian warplanes struck rebel positions near Aleppo on Sunday, the Russian "
            "defence ministry said. On Monday, air strikes on a market in the town of Saraqeb "
            "in Idlib province killed 15 civilians, the Observatory said.")
    result = pipeline.process_one(Article(id="s1", text=text, published="2017-04-19"))
    main = _main(result)
    assert main is not None and main.casualties.killed.civilians == CasualtyCount(15, 15)
    assert any(a.country == "RUS" for a in main.actor)


def test_a_sides_city_is_no_place_of_the_attack(pipeline: Pipeline) -> None:
    text = ("A car bomb exploded in a market in northern Syria on Friday. Pro-Damascus media "
            "outlets said the bombing in the town of Azaz killed 22 people.")
    place = _main_place(pipeline, text, "2017-02-24")
    assert place.name != "Damascus" and place.admin1 == "Aleppo"


@pytest.mark.parametrize(("text", "civilians"), [
    # "dozens of civilians" is no count when the story then states one
    (("Dozens of civilians were killed when air strikes hit a market in the town of "
      "Maarat al-Numan in Idlib province on Monday. At least 31 civilians were killed in "
      "the strikes, the Observatory said."), CasualtyCount(31, None)),
    # an attack the story recalls ("days after") is background
    (("An air strike killed 18 civilians in the town of Saraqeb in Idlib province on "
      "Saturday, the Observatory said. The strike came days after a chemical attack in "
      "Khan Sheikhun killed at least 87 people."), CasualtyCount(18, 18)),
])
def test_the_main_tolls(pipeline: Pipeline, text: str, civilians: CasualtyCount) -> None:
    main = _main(pipeline.process_one(Article(id="m1", text=text, published="2017-04-09")))
    assert main is not None
    assert main.casualties.killed.civilians == civilians
    assert main.casualties.killed.total is None


def test_the_storys_country_counts_its_demonyms(pipeline: Pipeline) -> None:
    # the wounded taken to a Turkish border town do not move a Syrian story to Turkey
    text = ("Syrian rebels said Syrian government air strikes killed 12 Syrian civilians in a "
            "village on Monday. The wounded were taken to hospitals in the Turkish border "
            "town of Kilis.")
    main = _main(pipeline.process_one(Article(id="d1", text=text, published="2017-04-19")))
    assert main is not None
    assert main.location is None or main.location.country == "SYR"


def test_an_attack_whose_attacker_the_text_says_is_unknown_has_none(pipeline: Pipeline) -> None:
    said = ("Air strikes on a market in Idlib killed 24 people on Saturday, a monitor said. "
            "It was not immediately clear who carried out the raids. Russian jets have "
            "bombed the province for weeks.")
    (inc,) = [i for i in pipeline.process_one(
        Article(id="u1", text=said, published="2016-09-10")).incidents
        if i.event_type == "ASSAULT"]
    assert inc.actor == ()  # neither the story's "Russian jets" nor anyone else
    named = "Russian air strikes on a market in Idlib killed 24 people on Saturday."
    (inc,) = [i for i in pipeline.process_one(
        Article(id="u2", text=named, published="2016-09-10")).incidents
        if i.event_type == "ASSAULT"]
    assert [a.country for a in inc.actor] == ["RUS"]


@pytest.mark.parametrize(("doubt", "unknown"), [
    # the doubt is about who carried out the raid, even when it names the suspects
    ("It was unclear if regime warplanes or Russian jets carried out the raid.", True),
    ("There was no immediate claim of responsibility for the raid.", True),
    # a doubt about something else leaves the attacker named
    ("It was unclear whether the dead included fighters.", False),
])
def test_a_doubt_about_the_attacker_leaves_the_attack_without_one(
        pipeline: Pipeline, doubt: str, unknown: bool) -> None:
    text = ("Russian air strikes on a market in Idlib killed 24 people on Saturday, a monitor "
            f"said. {doubt}")
    (inc,) = [i for i in pipeline.process_one(
        Article(id="u3", text=text, published="2016-09-10")).incidents
        if i.event_type == "ASSAULT"]
    assert (inc.actor == ()) is unknown


def test_a_gap_in_a_phrase_stays_inside_its_clause() -> None:
    rx = _phrase_rx(["unclear whether ... carried out"])
    assert rx.search("It was unclear whether regime or Russian jets carried out the raid")
    assert not rx.search("unclear whether he was a hostage. The army carried out a raid")
    assert not rx.search("unclear whether " + "many " * 13 + "carried out")


def test_a_news_agency_credit_is_no_party_of_an_incident() -> None:
    assert _is_agency(ActorRef("REUTERS", 0, 7))
    assert _is_agency(ActorRef("(AFP)", 0, 5))
    assert not _is_agency(ActorRef("a Reuters journalist", 0, 20))
    assert not _is_agency(ActorRef("Syrian army", 0, 11))


def test_the_party_the_mentions_name_most_leads_the_incidents_actors(
        make_ctx: Callable[..., DocContext]) -> None:
    # three mentions of one raid: the first names a side party, the other two the attacker;
    # the attacker the story repeats comes first (readers of incident.actor[0] get it)
    text = ("Clashes hit the town of Ariha on Monday. Air strikes hit Ariha on Monday. "
            "The air strikes killed 12 civilians in Ariha on Monday.")
    ctx = make_ctx(text, published="2015-08-03")
    events = [e for e in extract_document(ctx).events if e.event_type == "ASSAULT"]
    assert len(events) >= 3
    side = ActorRef("rebels", 0, 6, country="SYR", sector="REB")
    jets = ActorRef("government warplanes", 0, 21, country="SYR", sector="MIL")
    events = [dataclasses.replace(e, actor=(side,) if k == 0 else (jets,), recipient=())
              for k, e in enumerate(sorted(events, key=lambda e: e.trigger.start))]
    incidents, _ = build_incidents(ctx, events)
    raid = [i for i in incidents if i.event_type == "ASSAULT" and len(i.event_ids) >= 3]
    assert raid, incidents
    assert raid[0].actor[0].text == "government warplanes"


@pytest.mark.parametrize("text", [
    ("A car bomb killed 12 people in the town of Azaz on Monday. The Islamic State group "
     "claimed responsibility for the attack."),
    "A car bomb claimed by the Islamic State group killed 12 people in Azaz on Monday.",
])
def test_a_claim_of_responsibility_names_the_attacker(pipeline: Pipeline, text: str) -> None:
    result = pipeline.process_one(Article(id="c1", text=text, published="2016-02-01"))
    inc = _main(result)
    assert inc is not None and inc.actor
    assert inc.actor[0].kb_id == "org:isil"


def test_a_denied_claim_names_no_one(pipeline: Pipeline) -> None:
    text = ("A car bomb killed 12 people in the town of Azaz on Monday. The Islamic State "
            "group did not claim responsibility for the attack.")
    result = pipeline.process_one(Article(id="c2", text=text, published="2016-02-01"))
    inc = _main(result)
    assert inc is not None
    assert not [a for a in inc.actor if a.kb_id == "org:isil"]


def test_a_material_event_without_a_place_of_its_own_happened_where_its_incident_did(
        pipeline: Pipeline) -> None:
    text = ("Regime aircraft bombed the town of Saraqib in Idlib province on Monday, the "
            "Observatory said. The raid killed 12 civilians, including four children. The "
            "United States condemned the attack.")
    result = next(iter(pipeline.process([Article(id="inherit", text=text,
                                                 published="2016-05-02")])))
    by_trigger = {e.trigger.text: e for e in result.events}
    assert by_trigger["bombed"].location is not None
    # "The raid killed 12": its sentence names no place; its incident is at Saraqib
    raid = by_trigger["raid"]
    assert raid.location is not None and raid.location.text == "Saraqib"
    incident = next(i for i in result.incidents if i.id == raid.incident_id)
    assert incident.location is not None and incident.location.start == raid.location.start
    # a statement is not made where the raid happened
    assert by_trigger["condemned"].location is None


def test_a_recalled_happening_makes_only_the_figures_after_it_background(
        make_ctx: Callable[..., DocContext]) -> None:
    ctx = make_ctx("Air strikes killed 24 people in Idlib, a monitor said, a day after a car "
                   "bomb killed 12 in Aleppo.", published="2016-09-11")
    prepare_context(ctx)
    assert [(f.count.low, f.background) for f in find_figures(ctx)] == [(24, False),
                                                                          (12, True)]


def test_civilians_are_never_an_attacks_attacker(pipeline: Pipeline) -> None:
    # the coder reads the town as its people and makes them the actor of "killed"
    text = ("A bomb blast in the Syrian city of Qamishli on Wednesday killed 48 people and "
            "left dozens more wounded.")
    result = pipeline.process_one(Article(id="cvl", text=text, published="2016-07-28"))
    assert any(a.sector == "CVL" for e in result.events for a in e.actor)
    assert result.incidents
    assert not any(a.sector == "CVL" for i in result.incidents for a in i.actor)


@pytest.mark.parametrize("text", [
    # the country's name modifies the victims' convoy, not who attacked it
    ("Some 20 civilians killed in Syria aid convoy attack. Some 20 civilians were killed in "
     "an attack on an aid convoy near Aleppo."),
])
def test_the_country_an_attack_happened_in_is_not_its_attacker(pipeline: Pipeline,
                                                               text: str) -> None:
    result = pipeline.process_one(Article(id="home", text=text, published="2016-08-10"))
    main = _main(result)
    assert main is not None and main.location is not None
    assert main.location.country == "SYR"
    assert not any(a.kb_id == "country:SYR" for a in main.actor)


def test_a_foreign_country_named_as_the_attacker_stays(pipeline: Pipeline) -> None:
    text = "Turkish shelling kills 12 near Afrin. Turkish artillery shelled villages near Afrin."
    result = pipeline.process_one(Article(id="abroad", text=text, published="2016-08-10"))
    assert any(a.country == "TUR" for i in result.incidents for a in i.actor)
