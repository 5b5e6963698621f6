"""Which mentions of one document are one happening: the pair features, the happening model
of the shipped event model, and its place in the event model folder."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from dragoman import Article
from dragoman.errors import DataFileError
from dragoman.extract.events.model import LinearModel, load_event_model
from dragoman.extract.incidents.grouping import group_by_model, group_by_rules, happening_pairs
from dragoman.extract.incidents.lexicon import load_incident_lexicon
from dragoman.extract.incidents.pairs import Mention, pair_features, refers_back, sentence_names
from dragoman.types import ActorRef, Event, SentenceRef, Span


def _event(n: int, sentence: int, text: str, trigger: str, etype: str = "ASSAULT",
           actor: tuple[ActorRef, ...] = (), negated: bool = False) -> Event:
    at = text.index(trigger)
    return Event(id=f"e{n}", doc_id="d", run_id="r",
                 sentence=SentenceRef(sentence, 1000 * sentence, 1000 * sentence + len(text),
                                      text),
                 event_type=etype, mode=None, context=(), cameo=None, quad_class=None,
                 goldstein=None,
                 trigger=Span(1000 * sentence + at, 1000 * sentence + at + len(trigger),
                              trigger),
                 actor=actor, recipient=(), negated=negated, modality="asserted",
                 attributed_to=None, location=None, date=None, date_basis=None,
                 confidence=1.0, extractor="test")


def _mention(e: Event, figures: frozenset[tuple[str, int]] = frozenset(),
             causes: frozenset[str] = frozenset()) -> Mention:
    lex = load_incident_lexicon()
    return Mention(e, None, sentence_names(e.sentence.text, lex.not_names), figures, causes,
                   refers_back(e, lex.refer_back))


def test_sentence_names_skip_the_first_word_and_calendar_words() -> None:
    names = sentence_names("On Tuesday the Syrian Observatory said raids hit Saraqeb.",
                           load_incident_lexicon().not_names)
    assert names == {"syrian", "observatory", "saraqeb"}


def test_a_definite_attack_noun_refers_back() -> None:
    words = load_incident_lexicon().refer_back
    assert refers_back(_event(1, 2, "The attack killed 12 people.", "attack"), words)
    assert not refers_back(_event(2, 0, "Air strikes killed 12 people.", "strikes"), words)


def test_pair_features_say_what_two_mentions_share() -> None:
    rebels = ActorRef("rebels", 0, 6, None, "SYR", "REB", None, "group")
    a = _mention(_event(1, 0, "Air strikes killed 12 civilians in Saraqeb.", "strikes",
                        actor=(rebels,)),
                 figures=frozenset({("killed", 12)}), causes=frozenset({"airstrike"}))
    b = _mention(_event(2, 1, "The strikes on Saraqeb killed 12 civilians.", "strikes",
                        actor=(rebels,)),
                 figures=frozenset({("killed", 12)}), causes=frozenset({"airstrike"}))
    f = pair_features(a, b, same_type_count=2, between=0, rules_compatible=True)
    for key in ("headline", "trigger:same", "refers_back", "actor:name", "figures:shared",
                "cause:shared", "names_shared:1", "rules:compatible"):
        assert f.get(key) == 1.0, key
    c = _mention(_event(3, 5, "Rebels shelled Aleppo, killing two.", "shelled"),
                 figures=frozenset({("killed", 2)}), causes=frozenset({"shelling"}))
    g = pair_features(a, c, same_type_count=3, between=1, rules_compatible=True)
    assert g.get("figures:differ") == 1.0 and g.get("cause:differ") == 1.0
    assert "headline" in g and "refers_back" not in g and "names_shared:0" in g


def test_parties_of_one_country_under_different_names_say_nothing() -> None:
    # the mob and the police of one riot, or two Indian parties: no sign either way;
    # parties of two different countries conflict
    mob = ActorRef("the mob", 0, 7, None, "IND", "CVL", None, "group")
    police = ActorRef("police", 0, 6, None, "IND", "COP", None, "group")
    army = ActorRef("the army", 0, 8, None, "PAK", "MIL", None, "group")
    a = _mention(_event(1, 0, "A mob burned shops in the old city.", "burned", actor=(mob,)))
    b = _mention(_event(2, 3, "Police fired at the crowd in the old city.", "fired",
                        actor=(police,)))
    c = _mention(_event(3, 4, "The army shelled posts on the border.", "shelled",
                        actor=(army,)))
    f = pair_features(a, b, same_type_count=3, between=0, rules_compatible=True)
    assert f.get("actor:unknown") == 1.0 and "actor:conflict" not in f
    g = pair_features(a, c, same_type_count=3, between=1, rules_compatible=True)
    assert g.get("actor:conflict") == 1.0


def _model(weights: dict[str, float], bias: float = -2.0) -> LinearModel:
    """A two-class model: ``same`` scores ``bias`` plus the weights of the features."""
    names = list(weights)
    w = np.array([[-v / 2, v / 2] for v in weights.values()],
                 dtype=np.float32).reshape(len(names), 2)
    return LinearModel(("other", "same"), {n: i for i, n in enumerate(names)}, w,
                       np.array([-bias / 2, bias / 2], dtype=np.float32))


def test_the_model_decides_and_pairs_the_rules_rule_out_never_merge() -> None:
    texts = ["Air strikes killed 12 civilians in Saraqeb.",
             "The strikes on Saraqeb killed 12 civilians.",
             "Rebels shelled Aleppo, killing two.",
             "No strikes hit Saraqeb on Monday."]
    events = [_event(1, 0, texts[0], "strikes"), _event(2, 1, texts[1], "strikes"),
              _event(3, 2, texts[2], "shelled"),
              _event(4, 3, texts[3], "strikes", negated=True)]
    mentions = [_mention(e) for e in events]
    pairs = happening_pairs(mentions)
    assert (0, 3) not in pairs and (1, 3) not in pairs  # negated: never the same happening
    assert group_by_rules(mentions) == [[0, 1, 2], [3]]  # nothing tells the rules apart
    # a model that trusts a repeated trigger and names the sentences share
    model = _model({"trigger:same": 3.0, "names_jaccard": 2.0})
    assert group_by_model(mentions, model, threshold=0.5) == [[0, 1], [2], [3]]
    # a model that believes every pair is one happening still keeps the negation apart
    assert group_by_model(mentions, _model({}, bias=5.0), threshold=0.5) == [[0, 1, 2], [3]]


def test_the_shipped_model_keeps_a_retold_raid_together_and_a_separate_attack_apart(
        pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Air strikes killed 12 civilians in the Syrian town of Saraqeb on Tuesday, a "
            "monitor said. The strikes hit a market in the town, the Syrian Observatory for "
            "Human Rights said. The Observatory said the raids killed 12 civilians including "
            "four children. Separately, rebels shelled a government-held district of Aleppo, "
            "killing two people.")
    assert load_event_model(None).happenings is not None
    result = next(iter(pipeline.process([Article(id="raid", text=text,
                                                 published="2016-03-01")])))
    assault = [e for e in result.events if e.event_type == "ASSAULT"]
    by_trigger = {e.trigger.text: e.incident_id for e in assault}
    assert by_trigger["strikes"] == by_trigger["raids"]
    assert by_trigger["shelled"] != by_trigger["strikes"]
    raid = next(i for i in result.incidents if i.id == by_trigger["strikes"])
    assert raid.casualties.killed.civilians is not None
    assert raid.casualties.killed.civilians.low == 12


def test_a_model_folder_keeps_its_happening_model(tmp_path: Path) -> None:
    shipped = load_event_model(None)
    model = dataclasses.replace(shipped, happenings=_model({"trigger:same": 3.0}),
                                happening_threshold=0.4)
    model.save(tmp_path / "m")
    load_event_model.cache_clear()
    back = load_event_model(tmp_path / "m")
    assert back.happenings is not None and back.happening_threshold == 0.4
    assert back.happenings.classes == ("other", "same")
    # a model without one groups by the rules, and still loads
    dataclasses.replace(shipped, happenings=None).save(tmp_path / "old")
    load_event_model.cache_clear()
    assert load_event_model(tmp_path / "old").happenings is None
    # classes other than other/same are refused with the file named
    bad = dataclasses.replace(shipped, happenings=LinearModel(
        ("a", "b"), {"bias": 0}, np.zeros((1, 2), dtype=np.float32),
        np.zeros(2, dtype=np.float32)))
    bad.save(tmp_path / "bad")
    load_event_model.cache_clear()
    with pytest.raises(DataFileError, match="happenings"):
        load_event_model(tmp_path / "bad")
    load_event_model.cache_clear()
