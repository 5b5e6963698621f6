"""Dateline and byline splitting: spans into the original text, and no false datelines."""

from __future__ import annotations

from pathlib import Path

import pytest

from dragoman.errors import DataFileError
from dragoman.ingest import parse_dateline, split_dateline
from dragoman.ingest.dateline import default_lexicon, load_dateline_lexicon
from dragoman.types import Span

SEED_LIKE = (
    "Moscow, SANA-Russian Foreign Minister Sergey Lavrov affirmed on Wednesday that Russia "
    "seeks to develop the two tracks in a coordinated manner.\n"
    "Lavrov said that Moscow wants to develop both processes, adding that it was crucial.\n"
    "“But we are unanimous that a settlement requires all parties,” He added.\n"
    "Manar/Mazen"
)

# (text, place, region, date, agency, agency_name, body_start_word)
DATELINES = [
    (SEED_LIKE, "Moscow", None, None, "SANA", "SANA", "Russian"),
    ("DAMASCUS, April 12 (Reuters) - The army said it had advanced.",
     "DAMASCUS", None, "April 12", "Reuters", "Reuters", "The"),
    ("BEIRUT (AP) — Syrian troops shelled the town on Tuesday.",
     "BEIRUT", None, None, "AP", "AP", "Syrian"),
    ("UNITED NATIONS, Jan 5 (Reuters) - The Security Council met on Friday.",
     "UNITED NATIONS", None, "Jan 5", "Reuters", "Reuters", "The"),
    ("Damascus, SANA – President al-Assad received the envoy.",
     "Damascus", None, None, "SANA", "SANA", "President"),
    ("GAZA CITY (AFP) - Strikes hit the north of the territory overnight.",
     "GAZA CITY", None, None, "AFP", "AFP", "Strikes"),
    ("Cairo, May 3 (Xinhua) -- Egypt on Wednesday called for calm.",
     "Cairo", None, "May 3", "Xinhua", "Xinhua", "Egypt"),
    ("KYIV, Ukraine (AP) — Russian drones struck the capital overnight.",
     "KYIV", "Ukraine", None, "AP", "AP", "Russian"),
    ("WASHINGTON — The United States imposed new sanctions on Thursday.",
     "WASHINGTON", None, None, None, None, "The"),
    ("MOSCOW, April 12. /TASS/. Russia has called on the OPCW to act.",
     "MOSCOW", None, "April 12", "TASS", "TASS", "Russia"),
    ("New Delhi, Jan 5 (PTI) India on Tuesday summoned a senior diplomat.",
     "New Delhi", None, "Jan 5", "PTI", "PTI", "India"),
    ("GENEVA, Wednesday (Reuters) - Talks resumed after a pause.",
     "GENEVA", None, "Wednesday", "Reuters", "Reuters", "Talks"),
    ("DAMASCUS, Syria, April 12, 2017 (AP) — Talks resumed.",
     "DAMASCUS", "Syria", "April 12, 2017", "AP", "AP", "Talks"),
    ("Deir ez-Zor, SANA- Army units repelled an attack near the city.",
     "Deir ez-Zor", None, None, "SANA", "SANA", "Army"),
    ("Tehran, IRNA – Iran's Foreign Ministry spokesman warned on Monday.",
     "Tehran", None, None, "IRNA", "IRNA", "Iran's"),
    ("ANKARA (AA) - Turkish police detained 14 suspects on Tuesday.",
     "ANKARA", None, None, "AA", "Anadolu", "Turkish"),
    ("KUWAIT, May 21 (KUNA) -- Kuwait welcomed on Sunday the agreement.",
     "KUWAIT", None, "May 21", "KUNA", "KUNA", "Kuwait"),
    ("BERLIN (dpa) - Germany will deliver an air defence system.",
     "BERLIN", None, None, "dpa", "dpa", "Germany"),
    ("Amman, June 8 (Petra) -- The foreign minister held talks.",
     "Amman", None, "June 8", "Petra", "Petra", "The"),
    ("ST. PETERSBURG, 3 June (RIA Novosti) - The forum opened.",
     "ST. PETERSBURG", None, "3 June", "RIA Novosti", "RIA Novosti", "The"),
    ("LONDON (Thomson Reuters Foundation) - Aid groups warned on Monday.",
     "LONDON", None, None, "Thomson Reuters Foundation", "Thomson Reuters Foundation", "Aid"),
    ("Ras al-Ain, SANA-Turkish occupation forces shelled the villages.",
     "Ras al-Ain", None, None, "SANA", "SANA", "Turkish"),
    ("PARIS, Feb. 3 (UPI) -- French farmers blocked motorways.",
     "PARIS", None, "Feb. 3", "UPI", "UPI", "French"),
    ("NEW DELHI: The Congress party on Monday demanded a judicial inquiry.",
     "NEW DELHI", None, None, None, None, "The"),
]


@pytest.mark.parametrize(
    ("text", "place", "region", "date", "agency", "agency_name", "body_word"), DATELINES
)
def test_datelines(
    text: str, place: str, region: str | None, date: str | None, agency: str | None,
    agency_name: str | None, body_word: str,
) -> None:
    parts = parse_dateline(text)
    for span in (parts.place, parts.region, parts.date, parts.agency, parts.body, *parts.bylines):
        if span is not None:
            assert text[span.start:span.end] == span.text
    assert parts.place is not None and parts.place.text == place
    assert (parts.region.text if parts.region else None) == region
    assert (parts.date.text if parts.date else None) == date
    assert (parts.agency.text if parts.agency else None) == agency
    assert parts.agency_name == agency_name
    assert parts.body.text.split()[0] == body_word
    assert parts.place.start == 0


def test_seed_like_spans_exact() -> None:
    d = split_dateline(SEED_LIKE)
    assert d.place == Span(0, 6, "Moscow")
    assert d.agency == Span(8, 12, "SANA")
    assert d.date is None
    assert d.body.start == 13 and d.body.text.startswith("Russian Foreign Minister")
    assert d.byline is not None and d.byline.text == "Manar/Mazen"
    assert d.byline.end == len(SEED_LIKE)
    assert d.body.text.endswith("He added.")
    assert d.body.end < d.byline.start


# texts that open like a dateline but have none
NO_DATELINE = [
    "Moscow wants to develop both processes in a coordinated manner.",
    "Russia – which holds a veto – said it would block the draft.",
    "Human Rights Watch (HRW) - the group said in a report.",
    "BREAKING - Strikes hit the capital overnight, residents said.",
    "Lavrov, speaking in Moscow, said the talks were useful.",
    "The army said on Tuesday that it had repelled an attack.",
    "Damascus, the Syrian capital, was quiet on Friday.",
    "Monday - the day the talks resumed - was calm.",
    "Syria's foreign minister (pictured) - arrived in Tehran.",
    "Damascus – a city of five million people – was quiet.",
    "Paris, France - Farmers blocked motorways around the capital.",
    "Iran-Iraq border crossings reopened on Sunday.",
    "UPDATE: Strikes hit the capital overnight, residents said.",
    "Lavrov: we will not accept this, he told reporters.",
    "Note: this story has been corrected.",
]


@pytest.mark.parametrize("text", NO_DATELINE)
def test_no_false_dateline(text: str) -> None:
    d = split_dateline(text)
    assert d.place is None and d.agency is None and d.date is None
    assert d.body == Span(0, len(text), text)


# (text, byline text, last words of the body)
BYLINES = [
    ("The army said it advanced.\nManar/Mazen", "Manar/Mazen", "advanced."),
    ("The army said it advanced.\nH.Said/ H. Zain", "H.Said/ H. Zain", "advanced."),
    ("The army said it advanced.\nHala Zain/ R. Raslan\n", "Hala Zain/ R. Raslan", "advanced."),
    ("The army said it advanced.\n(Reporting by Omar Fahmy; Editing by Helen Marsh)",
     "(Reporting by Omar Fahmy; Editing by Helen Marsh)", "advanced."),
    ("The army said it advanced. (Reporting by Omar Fahmy; Editing by Helen Marsh)",
     "(Reporting by Omar Fahmy; Editing by Helen Marsh)", "advanced."),
    ("The army said it advanced.\n— Reporting by Emma Larsen; Editing by Mark Potter",
     "— Reporting by Emma Larsen; Editing by Mark Potter", "advanced."),
    ("The army said it advanced.\n-- Additional reporting by Ali Kaya in Ankara",
     "-- Additional reporting by Ali Kaya in Ankara", "advanced."),
    ("The army said it advanced.\nAssociated Press writer Karim Jaber contributed to this report.",
     "Associated Press writer Karim Jaber contributed to this report.", "advanced."),
    ("The ministry called for calm.\n(end) ab.gh", "(end) ab.gh", "calm."),
]


@pytest.mark.parametrize(("text", "byline", "body_end"), BYLINES)
def test_trailing_bylines(text: str, byline: str, body_end: str) -> None:
    d = split_dateline(text)
    assert d.byline is not None and d.byline.text == byline
    assert text[d.byline.start:d.byline.end] == byline
    assert d.body.start == 0 and d.body.text.endswith(body_end)
    assert d.body.end <= d.byline.start


NOT_BYLINES = [
    "The army said it advanced.\nLavrov and Jubeir met in Moscow on Wednesday.",
    "The army said it advanced.\nHe added: “we will continue the fight/struggle.”",
    "Manar/Mazen",  # nothing but the would-be byline: no body to split from
    "The army said it advanced.\nThe Astana/Geneva tracks are complementary, he said.",
    "The end (of the war) is near, he said.",
]


@pytest.mark.parametrize("text", NOT_BYLINES)
def test_no_false_trailing_byline(text: str) -> None:
    d = split_dateline(text)
    assert d.byline is None and d.body.end == len(text)


def test_top_byline_then_dateline() -> None:
    text = "By Jane Holloway\n\nWASHINGTON — The United States imposed sanctions.\nH.Said/ H. Zain"
    parts = parse_dateline(text)
    assert [b.text for b in parts.bylines] == ["By Jane Holloway", "H.Said/ H. Zain"]
    assert parts.place is not None and parts.place.text == "WASHINGTON"
    assert parts.body.text == "The United States imposed sanctions."
    d = parts.to_dateline()
    assert d.byline == Span(0, 16, "By Jane Holloway")


@pytest.mark.parametrize(
    "text",
    [
        "By Wednesday, the army had advanced into the town.",
        "By the end of the day the fighting had stopped.\nIt resumed later.",
        "By John Smith",  # a byline with nothing after it is not split off
    ],
)
def test_no_false_top_byline(text: str) -> None:
    parts = parse_dateline(text)
    assert parts.bylines == () and parts.body.start == 0


def test_dateline_only_text_is_not_split() -> None:
    text = "BEIRUT (AP) — "
    d = split_dateline(text)
    assert d.place is None and d.body == Span(0, len(text), text)


def test_lexicon_loads_and_knows_aliases() -> None:
    lex = default_lexicon()
    assert lex.canonical_agency("Associated Press") == "AP"
    assert lex.canonical_agency("REUTERS") == "Reuters"
    assert lex.canonical_agency("Nobody News") is None
    assert len(lex.agencies) > 50


def test_user_lexicon_extends_agencies(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text("agencies:\n  - {name: Hawar, aliases: [ANHA]}\n", encoding="utf-8")
    lex = load_dateline_lexicon([extra])
    text = "Qamishli, ANHA- Local councils met on Sunday to discuss the water crisis."
    parts = parse_dateline(text, lex)
    assert parts.agency is not None and parts.agency.text == "ANHA"
    assert parts.agency_name == "Hawar"
    assert parse_dateline(text).agency is None  # not in the packaged list


@pytest.mark.parametrize(
    ("content", "line", "what"),
    [
        ("agencies:\n  - {name: X}\nbogus: [1]\n", 3, "unknown key"),
        ("agencies:\n  - {name: X}\n  - [not, a, mapping]\n", 3, "must be a mapping"),
        ("agencies:\n  - {name: X}\n  - {aliases: [Y]}\n", 3, "non-empty name"),
        ("agencies:\n  - {name: X, aliases: [A, [B]]}\n", 2, "non-empty string"),
        ("agencies:\n  - {name: X, colour: red}\n", 2, "unknown agency field"),
        ("place_particles: al\n", 1, "list of strings"),
        ("agencies: [\n  {name: X\n", 3, "not valid YAML"),
    ],
)
def test_invalid_lexicon_file(tmp_path: Path, content: str, line: int, what: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_dateline_lexicon([bad])
    assert f"{bad}:{line}" in str(info.value) and what in str(info.value)
