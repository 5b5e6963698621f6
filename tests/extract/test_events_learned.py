"""The trained event coder: model files, scoring, and decoding on parsed sentences."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from dragoman import Config, Pipeline
from dragoman.errors import DataFileError
from dragoman.extract.events.model import (
    EventModel,
    LinearModel,
    default_model_path,
    load_event_model,
)
from dragoman.extract.resources import event_model_for


def _tiny(classes: tuple[str, ...], weights: dict[str, list[float]]) -> LinearModel:
    names = sorted(weights)
    w = np.array([weights[n] for n in names], dtype=np.float32)
    return LinearModel(classes, {n: i for i, n in enumerate(names)}, w,
                       np.zeros(len(classes), dtype=np.float32))


def test_linear_model_scores_named_features_and_ignores_unknown_ones() -> None:
    m = _tiny(("NONE", "ASSAULT"), {"lemma=attack": [0.0, 3.0], "lemma=say": [2.0, 0.0]})
    p = m.proba({"lemma=attack": 1.0, "never-seen": 1.0})
    assert abs(sum(p.values()) - 1.0) < 1e-9
    assert m.best({"lemma=attack": 1.0})[0] == "ASSAULT"
    assert m.best({"lemma=say": 1.0})[0] == "NONE"
    assert m.proba({}) == {"NONE": 0.5, "ASSAULT": 0.5}


def test_model_folder_round_trip(tmp_path: Path) -> None:
    types = _tiny(("NONE", "ASSAULT", "AGREE"),
                  {"a": [0.1, 0.2, 0.3], "b": [1.0, -1.0, 0.5]})
    roles = _tiny(("none", "source", "target"), {"path=^nsubj": [0.0, 2.0, -1.0]})
    model = EventModel("7", types, roles, {"gold": ["x.jsonl"]}, 0.4, 0.3)
    model.save(tmp_path / "m")
    load_event_model.cache_clear()
    back = load_event_model(tmp_path / "m")
    assert back.version == "7" and back.extractor == "dragoman.events.learned/7"
    assert back.type_threshold == 0.4 and back.role_threshold == 0.3
    assert back.types.classes == types.classes and back.types.index == types.index
    assert np.allclose(back.types.weights, types.weights)
    assert back.roles.proba({"path=^nsubj": 1.0}) == pytest.approx(
        roles.proba({"path=^nsubj": 1.0}))


def test_a_folder_that_is_not_a_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="not an event model folder"):
        load_event_model(tmp_path)
    (tmp_path / "model.json").write_text(json.dumps({"format": 99}), encoding="utf-8")
    np.savez(tmp_path / "weights.npz", x=np.zeros(1))
    load_event_model.cache_clear()
    with pytest.raises(DataFileError, match="format 99"):
        load_event_model(tmp_path)


def test_weights_that_do_not_fit_the_features_are_refused(tmp_path: Path) -> None:
    types = _tiny(("NONE", "ASSAULT"), {"a": [0.0, 1.0]})
    EventModel("1", types, types).save(tmp_path)
    meta = json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))
    meta["types"]["features"].append("extra")
    (tmp_path / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    load_event_model.cache_clear()
    with pytest.raises(DataFileError, match="do not fit"):
        load_event_model(tmp_path)


def test_the_setting_chooses_rules_the_packaged_model_or_a_folder(tmp_path: Path) -> None:
    assert event_model_for("rules") is None
    packaged = event_model_for("default")
    assert packaged is not None, "the package ships an event model (make model)"
    assert (default_model_path() / "weights.npz").stat().st_size < 20 * 2**20
    types = _tiny(("NONE", "ASSAULT"), {"a": [0.0, 1.0]})
    EventModel("x1", types, types).save(tmp_path)
    load_event_model.cache_clear()
    chosen = event_model_for(str(tmp_path))
    assert chosen is not None and chosen.version == "x1"


@pytest.fixture(scope="module")
def learned() -> Pipeline:
    return Pipeline(Config(), run_id="learned")


def _events(pipeline: Pipeline, text: str):  # type: ignore[no-untyped-def]
    from dragoman import Article

    (result,) = list(pipeline.process([Article(id="t", text=text, published="2017-04-12")]))
    return result.events


def test_records_name_the_model_version(learned: Pipeline) -> None:
    evs = _events(learned, "Turkish troops shelled Kurdish fighters near Afrin on Tuesday.")
    assert evs, "the trained coder codes an attack"
    model = learned.resources.event_model
    assert model is not None
    assert all(e.extractor == model.extractor for e in evs)


@pytest.mark.parametrize(("text", "etype", "actor", "recipient"), [
    ("Turkish troops shelled Kurdish fighters near Afrin on Tuesday.",
     "ASSAULT", "Turkish troops", "Kurdish fighters"),
    ("Kurdish fighters were shelled by Turkish troops near Afrin on Tuesday.",
     "ASSAULT", "Turkish troops", "Kurdish fighters"),
    ("The Egyptian foreign minister met his Jordanian counterpart in Amman on Monday.",
     "CONSULT", "Egyptian foreign minister", "Jordanian counterpart"),
])
def test_roles_follow_the_grammar_not_the_word_order(
        learned: Pipeline, text: str, etype: str, actor: str, recipient: str) -> None:
    evs = [e for e in _events(learned, text) if e.event_type == etype]
    assert evs, f"no {etype} in {text!r}"
    ev = evs[0]
    assert any(actor in a.text or a.text in actor for a in ev.actor), ev.actor
    assert any(recipient in r.text or r.text in recipient for r in ev.recipient), ev.recipient


def test_symmetric_only_with_two_parties(learned: Pipeline) -> None:
    text = ("Russia and Turkey agreed on a ceasefire in Idlib. The government agreed to "
            "reopen the crossing.")
    for ev in _events(learned, text):
        if ev.symmetric:
            assert len(ev.actor) + len(ev.recipient) >= 2


@pytest.mark.parametrize(("text", "trigger", "marks"), [
    ("More than 280,000 people have been killed since the conflict began in 2011.", "killed",
     {"since_span", "party_count_large"}),
    ("Thousands of people have died since 2011.", "died", {"since_span", "party_count_large"}),
    ("No one was injured in the blast, police said.", "injured", {"party_denied"}),
    ("Twelve civilians were killed in an air strike on Monday.", "killed", set()),
])
def test_statistic_and_denied_party_features(
        learned: Pipeline, text: str, trigger: str, marks: set[str]) -> None:
    from dragoman.extract.events.features import trigger_features

    doc = learned.nlp(text)
    tok = next(t for t in doc if t.text == trigger)
    feats = trigger_features(tok, (), None, None, False, False, False,
                             cues=learned.resources.lexicon.cues)
    assert {k for k in feats if k in ("since_span", "party_count_large", "party_denied")} \
        == marks


def test_an_event_noun_subject_of_its_verb_is_one_happening(learned: Pipeline) -> None:
    # "airstrikes ... killed 25 civilians": the strikes and the killing are one ASSAULT
    evs = [e for e in _events(learned, "Overnight airstrikes on the Islamic State group's de "
                              "facto capital Raqqa killed 25 civilians, a monitoring group "
                              "said on Wednesday.")
           if e.event_type == "ASSAULT"]
    assert len(evs) == 1, [(e.trigger.text, e.actor, e.recipient) for e in evs]
    assert any("civilians" in r.text for r in evs[0].recipient)


def test_one_event_for_one_happening_named_twice_in_a_sentence(learned: Pipeline) -> None:
    # "killed ... in regime airstrikes": one ASSAULT, with the actor of the airstrikes and
    # the victims of the killing
    evs = [e for e in _events(learned, "At least six civilians were killed in Assad regime "
                              "airstrikes on a camp in Idlib province on Wednesday.")
           if e.event_type == "ASSAULT"]
    assert len(evs) == 1, [(e.trigger.text, e.actor, e.recipient) for e in evs]
    assert evs[0].recipient and "civilians" in evs[0].recipient[0].text


@pytest.mark.parametrize("text", [
    ("Syrian state TV said an explosive device went off in the northern city of Aleppo "
     "killing six people and wounding 30 others."),
    "Turkish state media said a car bomb went off in the town of Azaz killing eight people.",
])
def test_the_source_of_a_reported_deed_is_not_its_party(learned: Pipeline, text: str) -> None:
    evs = [e for e in _events(learned, text) if e.event_type == "ASSAULT"]
    assert evs, "the reported attack is coded"
    for ev in evs:
        assert ev.attributed_to is not None  # claimed by the outlet …
        spoken = (ev.attributed_to.start, ev.attributed_to.end)
        for party in (*ev.actor, *ev.recipient):  # … which did not do it
            assert not (party.start < spoken[1] and spoken[0] < party.end), party


def test_a_speaker_denying_its_deed_stays_its_actor_and_the_deed_is_negated(
        learned: Pipeline) -> None:
    text = "Syria has categorically denied carrying out the gas attack."
    evs = [e for e in _events(learned, text) if e.event_type == "ASSAULT"]
    assert evs, "the denied attack is coded"
    ev = evs[0]
    assert [a.text for a in ev.actor] == ["Syria"]
    assert ev.negated
    said = [e for e in _events(learned, "The army said that it shelled the town on Monday.")
            if e.event_type == "ASSAULT"]
    assert said and not said[0].negated  # a that-clause under "said" is not denied
    denied = [e for e in _events(learned, "The army denied that it shelled the town on Monday.")
              if e.event_type == "ASSAULT"]
    assert denied and denied[0].negated


@pytest.mark.parametrize(("text", "source"), [
    # a reporting clause closing the sentence, with no comma (punctuation stripped)
    (("Overnight airstrikes on the city of Raqqa killed 25 civilians a monitoring group said "
     "on Wednesday."), "monitoring group"),
    # the speaker after its verb
    (("Government shelling killed four civilians in the town of Douma on Friday said the "
     "Syrian Observatory for Human Rights."), "Observatory"),
    # a perfect tense, the speaker named in brackets before it
    (("Russian and Syrian regime airstrikes killed 25 children on Saturday in a town in "
     "eastern Syria the United Nations children's agency (UNICEF) has said."), "UNICEF"),
    # a day after the verb is no speaker
    ("Rebels shelled the town on Sunday, the governor said Monday.", "governor"),
    # the deed as the object of the report
    ("The Syrian Observatory for Human Rights reported the airstrikes on Saturday.",
     "Observatory"),
    # the speaker's phrase, not a name the parse hung on it ("Al Tabqah")
    (("The Syrian Democratic Forces killed 13 jihadists of Daesh in clashes near the "
      "Daesh-controlled town of Al Tabqah local media reported."), "local media"),
    # a headline crediting its source with a colon, before or after
    ("20:02 Syrian Coalition: Over 19 Civilians Killed in Russian Airstrikes on Rural Deir Ezzor.",
     "Syrian Coalition"),
    ("Assads forces bombard Damascus suburbs after gas attack: activists.", "activists"),
    # "according to" closing the sentence: the whole sentence is the source's claim
    (("At least 11 people were killed Saturday when Russian jets struck a neighborhood in "
      "Idlib province according to a local civil defense official."), "official"),
    # a comma-less closing report the parse took the clause for the subject of, and one
    # followed by a participle
    (("A car bomb blast killed at least nine people in the town of Azaz on Monday the "
      "monitoring group said."), "monitoring group"),
    ("The raid killed 14 fighters near Raqqa the Observatory said updating an earlier toll.",
     "Observatory"),
    # ... the source's name modifying the phrase's head ("Al-Manar reporter")
    (("The army shelled rebel positions near Hama on Sunday killing nine fighters and "
      "wounding dozens of them according to Al-Manar reporter."), "Al-Manar"),
])
def test_a_deed_reported_after_or_around_its_clause_is_attributed(
        learned: Pipeline, text: str, source: str) -> None:
    # (whichever word of the attack the model codes it at: "airstrikes" or "killed")
    evs = [e for e in _events(learned, text) if e.event_type == "ASSAULT"]
    assert evs, "the attack is coded"
    attributed = evs[0].attributed_to
    assert attributed is not None and source in attributed.text


@pytest.mark.parametrize("text", [
    # the reporting clause reports its own content, not the attack before it
    "The army killed five rebels near Aleppo, and the group said that it would retaliate.",
    # a passive speech verb with a modal reports nothing
    ("Police arrested 40 men so that communal harmony could be maintained at this "
     "critical hour."),
])
def test_a_closing_clause_that_reports_something_else_is_no_source(
        learned: Pipeline, text: str) -> None:
    evs = [e for e in _events(learned, text) if e.event_type in ("ASSAULT", "COERCE")]
    assert evs, "the deed is coded"
    assert evs[0].attributed_to is None


@pytest.mark.parametrize(("text", "etype", "trigger"), [
    # a participle on the speech verb is what the speaker did while speaking
    ("Condemning the shelling of the market, the minister said rebels attacked the town.",
     "ACCUSE", "Condemning"),
    ("Urging the council to lift the curfew, the mayor said the march would be peaceful.",
     "REQUEST", "Urging"),
])
def test_the_speakers_own_act_beside_the_speech_verb_is_not_attributed(
        learned: Pipeline, text: str, etype: str, trigger: str) -> None:
    evs = [e for e in _events(learned, text) if e.trigger.text.startswith(trigger)]
    assert evs and evs[0].event_type == etype, "the speaker's act is coded"
    assert evs[0].attributed_to is None
    # what was said is still the speaker's claim
    said = [e for e in _events(learned, text) if e.trigger.start > text.index(" said ")]
    assert all(e.attributed_to is not None for e in said)
    assert said or "attacked" not in text


@pytest.mark.parametrize(("text", "count"), [
    ("At least 14 were killed in the shelling of the market on Tuesday.", "14"),
    ("Government air strikes killed 23 in the town of Saraqeb.", "23"),
])
def test_a_bare_count_is_the_target_never_the_actor(
        learned: Pipeline, text: str, count: str) -> None:
    # "killed 23": the 23 people are who was hit; a count is never who acted
    evs = [e for e in _events(learned, text) if e.event_type == "ASSAULT"]
    assert evs, "the attack is coded"
    assert any(count in r.text for e in evs for r in e.recipient)
    assert not any(count in a.text for e in evs for a in e.actor)


@pytest.mark.parametrize("text", [
    "Double bomb attack kills 31 in Syrian Kurdish city.",
    "A car bomb killed 12 people in the Syrian border town of Azaz on Monday.",
])
def test_a_country_word_on_a_place_noun_is_no_party(learned: Pipeline, text: str) -> None:
    # "the Syrian Kurdish city" says where the attack was, not who attacked (cues.place_nouns)
    evs = [e for e in _events(learned, text) if e.event_type == "ASSAULT"]
    assert evs
    parties = {a.text for e in evs for a in (*e.actor, *e.recipient)}
    assert not parties & {"Syrian", "Kurdish"}


def test_a_scraped_label_before_a_colon_is_no_source(learned: Pipeline) -> None:
    evs = [e for e in _events(learned, "title: Terrorist Attack on Damascus kill 5 injure 50.")
           if e.event_type == "ASSAULT"]
    assert evs and all(e.attributed_to is None for e in evs)


@pytest.mark.parametrize("text, word, above", [
    # an attack named as the topic of a blame, of a protest: the trigger word above it
    ("The minister condemned the attack on the train.", "attack",
     {"anc_lex=ACCUSE", "gov_lex=ACCUSE"}),
    ("The minister blamed foreign agents for the attack on the train.", "attack",
     {"anc_lex=ACCUSE"}),
    ("The bandh was called in protest against the killing of the activists.", "killing",
     {"anc_lex=PROTEST"}),
    # a report of the attack itself: no trigger word above it
    ("Gunmen attacked a police station in the town.", "attacked", set()),
])
def test_type_features_name_the_trigger_word_above_a_candidate(
        pipeline: Pipeline, make_ctx, text: str, word: str, above: set[str]) -> None:  # type: ignore[no-untyped-def]
    from dragoman.extract.events.coder import Coder
    from dragoman.extract.events.learned import plan_sentence

    ctx = make_ctx(text)
    coder = Coder(ctx, pipeline.resources.lexicon)
    cands = [c for s in ctx.doc.sents for c in plan_sentence(coder, s).candidates]
    feats = next(c.feats for c in cands if c.tok.text == word)
    names = {k for k in feats if k.startswith(("anc_lex=", "gov_lex="))}
    assert above <= names and bool(names) == bool(above)
    assert ("gov_lex=ACCUSE" in names) == ("gov_lex=ACCUSE" in above)
