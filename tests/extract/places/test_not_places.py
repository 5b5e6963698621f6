"""Names that are not places (issue 16 point 5), on hand-written texts with the real model
and gazetteer: media names, a source's base, surnames; bad data files."""

from __future__ import annotations

from pathlib import Path

import pytest

from dragoman import Article, Pipeline
from dragoman.errors import DataFileError
from dragoman.extract.places.not_places import load_not_places


def _result(pipeline: Pipeline, text: str):  # type: ignore[no-untyped-def]
    return pipeline.process_one(Article(id="np", text=text, published="2017-05-03"))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (("Government aircraft bombed a market in Douma on Monday, the state news agency "
          "SANA reported."), "SANA"),
        ("The channel Al-Horra reported that rebels shelled the western districts.", "Al-Horra"),
    ],
)
def test_media_names_are_not_places(pipeline: Pipeline, text: str, name: str) -> None:
    r = _result(pipeline, text)
    assert name not in {p.text for p in r.places}
    assert all(e.location is None or e.location.text != name for e in r.events)


def test_douma_is_still_the_place_beside_sana(pipeline: Pipeline) -> None:
    r = _result(pipeline, "Government aircraft bombed a market in Douma on Monday, the "
                          "state news agency SANA reported.")
    assert [e.location.text for e in r.events if e.location] == ["Douma"]


def test_a_sources_base_is_never_the_event_place_nor_an_actor(pipeline: Pipeline) -> None:
    text = ("The Britain-based monitoring group said US-led aircraft struck a bridge on "
            "Tuesday. A London-based charity sent doctors.")
    r = _result(pipeline, text)
    roles = {p.text: p.role for p in r.places}
    assert roles.get("Britain") == "embedded" and roles.get("US") == "embedded"
    assert roles.get("London") == "embedded"
    assert all(e.location is None for e in r.events)
    assert not [a for a in r.actors if a.text in ("Britain", "US", "London")]


def test_a_sources_base_is_no_party_to_the_event_it_reports(pipeline: Pipeline) -> None:
    # the trained coder scores every noun phrase head: "Britain" of "Britain-based" is not one
    text = ('"Fifteen civilians among them 11 children were killed in a barrel bomb attack '
            'on the Bab al-Nayrab neighbourhood" in southern Aleppo city the Britain-based '
            "Syrian Observatory for Human Rights monitor said.")
    r = _result(pipeline, text)
    assert [e for e in r.events if e.event_type == "ASSAULT"]
    parties = [a.text for e in r.events for a in (*e.actor, *e.recipient)]
    assert "Britain" not in parties


def test_a_surname_is_not_a_city(pipeline: Pipeline) -> None:
    text = ("Kurdish official Aldar Khalil spoke to reporters in Qamishli on Sunday. "
            "Khalil said the fighters would stay.")
    r = _result(pipeline, text)
    assert "Khalil" not in {p.text for p in r.places}
    assert "Qamishli" in {p.text for p in r.places}


def test_the_same_name_alone_is_still_a_place(pipeline: Pipeline) -> None:
    text = "Settlers clashed with residents in Hebron on Sunday."
    r = _result(pipeline, text)
    assert "Hebron" in {p.text for p in r.places}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("media: SANA\nattributive_suffixes: [based]\nperson_labels: [PERSON]\n",
         "np.yaml:1: media must be a list of non-empty strings"),
        ("media: [SANA]\nattributive_suffixes: [based]\n", "np.yaml:1: missing key"),
        ("media: [SANA]\nattributive_suffixes: [based]\nperson_labels: [PERSON]\nfoo: [x]\n",
         "np.yaml:4: unknown key 'foo'"),
        (("media: [SANA]\nattributive_suffixes: [based]\nbase_suffixes: [born]\n"
          "person_labels: [PERSON]\n"), "base_suffixes born must also be attributive_suffixes"),
    ],
)
def test_bad_file_names_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "np.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        load_not_places(path)


def test_user_file_extends_the_lists_and_resources_carry_them(tmp_path: Path) -> None:

    from dragoman.config import Config
    from dragoman.extract.resources import Resources

    extra = tmp_path / "more.yaml"
    extra.write_text("media: [Al-Mayadeen]\n", encoding="utf-8")
    lists = load_not_places(extra=[extra])
    assert "almayadeen" in lists.media and "alhorra" in lists.media
    bad = tmp_path / "bad.yaml"
    bad.write_text("medias: [x]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="bad.yaml:1: unknown key 'medias'"):
        load_not_places(extra=[bad])
    # Resources.load reads the extra files a configuration names (settings not_places, …)
    res = Resources.load(Config().replace(not_places=(str(extra),)))
    assert res.not_places is not None and "almayadeen" in res.not_places.media
    assert res.spotting is not None and res.boilerplate is not None and res.casing is not None
