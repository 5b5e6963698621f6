"""The event coder: argument extraction on hand-built Docs, and the real model end to end."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from spacy.tokens import Doc

from dragoman import Article
from dragoman.errors import DataFileError
from dragoman.extract import DocContext
from dragoman.extract import events as ev
from dragoman.pipeline import Pipeline
from dragoman.types import Dateline, Event, Span

PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
                "COERCE", "ASSAULT"}


@pytest.fixture(scope="module")
def rules_pipeline() -> Pipeline:
    """The rule coder alone (these tests are about the rules; the trained coder has its own)."""
    from dragoman import Config

    return Pipeline(Config(event_model="rules"), run_id="test-run")


@pytest.fixture(scope="module")
def lexicon() -> ev.Lexicon:
    return ev.load_lexicon()


def hand_doc(vocab, rows: Sequence[tuple[str, int, str, str, str]],  # type: ignore[no-untyped-def]
             ents: Sequence[str] | None = None) -> Doc:
    """rows: (word, head index, dep, pos, lemma)."""
    words = [r[0] for r in rows]
    return Doc(vocab, words=words, heads=[r[1] for r in rows], deps=[r[2] for r in rows],
               pos=[r[3] for r in rows], lemmas=[r[4] for r in rows],
               ents=list(ents) if ents else None)


def code(doc: Doc, pipeline: Pipeline, lexicon: ev.Lexicon) -> list[Event]:
    article = Article(id="hand", text=doc.text)
    ctx = DocContext(doc_id="hand", run_id="test", article=article,
                     dateline=Dateline(body=Span(0, len(doc.text), doc.text)), doc=doc, base=0,
                     resources=pipeline.resources)
    out: list[Event] = []
    for sent in doc.sents:
        out.extend(ev.code_sentence(ctx, lexicon, sent))
    return out


# ------------------------------------------------------------------------- the data files


def test_plover_file_has_the_16_types_28_contexts_and_a_crosswalk(lexicon: ev.Lexicon) -> None:
    assert set(lexicon.types) == PLOVER_TYPES
    # the PLOVER manual's (draft 0.8) general contexts and modes
    assert len(lexicon.contexts) == 28 and len(set(lexicon.contexts)) == 28
    assert {"diplomatic", "legal", "resource", "enviro_disaster"} <= set(lexicon.contexts)
    for info in lexicon.types.values():
        assert info.quad_class in (1, 2, 3, 4)
        assert -10 <= info.goldstein <= 10
    for name in ("AGREE", "SUPPORT", "CONCEDE", "COOPERATE", "AID"):
        assert lexicon.types[name].modes == {}
    assert set(lexicon.types["REQUEST"].modes) == set(lexicon.types["REJECT"].modes) == {
        "assist", "change", "yield", "meet"}
    assert set(lexicon.types["CONSULT"].modes) == {"visit", "third-party", "multilateral", "phone"}
    assert "kill" not in lexicon.types["ASSAULT"].modes
    assert lexicon.types["ASSAULT"].crosswalk("firearms")[0] == "19"
    assert lexicon.types["ASSAULT"].crosswalk("unconventional")[0] == "20"
    assert lexicon.types["ASSAULT"].crosswalk("destroy")[0] == "17"
    assert lexicon.types["ACCUSE"].crosswalk("investigate")[0] == "09"
    assert lexicon.types["SANCTION"].crosswalk("convict")[0] == "11"
    assert lexicon.types["REQUEST"].crosswalk(None) == ("10", 3, -5.0)
    assert lexicon.types["REQUEST"].crosswalk("meet") == ("10", 3, -5.0)
    # every context hint is a manual context; every threat mode a THREATEN mode
    assert {c for e in lexicon.entries for c in e.context} <= set(lexicon.contexts)
    for key, mode in lexicon.intent.threat_modes.items():
        etype, _, emode = key.partition("/")
        assert etype in lexicon.types and (not emode or emode in lexicon.types[etype].modes)
        assert mode in lexicon.types["THREATEN"].modes
    # every type has triggers
    assert {e.type for e in lexicon.entries} == PLOVER_TYPES


@pytest.mark.parametrize("body, message", [
    ("triggers:\n  - type: BOMBARD\n    lemmas: [zap]\n", "unknown event type"),
    ("triggers:\n  - type: ASSAULT\n    mode: tickle\n    lemmas: [zap]\n", "no mode 'tickle'"),
    ("triggers:\n  - type: ASSAULT\n    lemmas: [zap]\n    colour: red\n", "unknown key"),
    ("triggers:\n  - type: ASSAULT\n    lemmas: [zap]\n    recipient: [dobj>sideways]\n",
     "unknown step"),
    ("triggers:\n  - type: ASSAULT\n    lemmas: []\n", "at least one trigger lemma"),
    ("triggers:\n  - type: ASSAULT\n    lemmas: [zap]\n    pos: adverb\n", "pos must be"),
    ("triggers: [\n", "not valid YAML"),
    ("cues:\n  colours: [red]\n", "unknown cue list"),
])
def test_bad_user_lexicon_is_reported_with_file_and_entry(
        tmp_path: Path, body: str, message: str) -> None:
    f = tmp_path / "mine.yaml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        ev.load_lexicon([str(f)])
    assert str(f) in str(info.value) and message in str(info.value)


def test_yaml_on_is_a_word_not_a_boolean(lexicon: ev.Lexicon) -> None:
    calls = [e for e in lexicon.entries_for("call") if e.type == "REQUEST"]
    assert any("on" in e.prep for e in calls)


# ----------------------------------------------------------------- hand-built parses


def test_passive_voice_actor_is_the_agent(pipeline: Pipeline, lexicon: ev.Lexicon) -> None:
    doc = hand_doc(pipeline.nlp.vocab, [
        ("Refugees", 2, "nsubjpass", "NOUN", "refugee"), ("were", 2, "auxpass", "AUX", "be"),
        ("attacked", 2, "ROOT", "VERB", "attack"), ("by", 2, "agent", "ADP", "by"),
        ("militiamen", 3, "pobj", "NOUN", "militiaman"), (".", 2, "punct", "PUNCT", ".")])
    (e,) = code(doc, pipeline, lexicon)
    assert e.event_type == "ASSAULT"
    assert [a.text for a in e.actor] == ["militiamen"]
    assert [r.text for r in e.recipient] == ["Refugees"]
    assert e.cameo == "18" and e.quad_class == 4


def test_coordinated_parties_of_a_symmetric_event(pipeline: Pipeline,
                                                  lexicon: ev.Lexicon) -> None:
    doc = hand_doc(pipeline.nlp.vocab, [
        ("Greece", 3, "nsubj", "PROPN", "Greece"), ("and", 0, "cc", "CCONJ", "and"),
        ("Turkey", 0, "conj", "PROPN", "Turkey"), ("signed", 3, "ROOT", "VERB", "sign"),
        ("an", 5, "det", "DET", "an"), ("agreement", 3, "dobj", "NOUN", "agreement"),
        (".", 3, "punct", "PUNCT", ".")], ents=["B-GPE", "O", "B-GPE", "O", "O", "O", "O"])
    (e,) = code(doc, pipeline, lexicon)
    assert e.event_type == "SUPPORT" and e.symmetric
    assert [a.text for a in e.actor] == ["Greece", "Turkey"]


def test_prepositional_recipient_met_with(pipeline: Pipeline, lexicon: ev.Lexicon) -> None:
    doc = hand_doc(pipeline.nlp.vocab, [
        ("Lavrov", 1, "nsubj", "PROPN", "Lavrov"), ("met", 1, "ROOT", "VERB", "meet"),
        ("with", 1, "prep", "ADP", "with"), ("Jubeir", 2, "pobj", "PROPN", "Jubeir"),
        (".", 1, "punct", "PUNCT", ".")])
    (e,) = code(doc, pipeline, lexicon)
    assert e.event_type == "CONSULT" and e.symmetric
    assert [a.text for a in e.actor] == ["Lavrov"] and [r.text for r in e.recipient] == ["Jubeir"]


def test_negation(pipeline: Pipeline, lexicon: ev.Lexicon) -> None:
    doc = hand_doc(pipeline.nlp.vocab, [
        ("Egypt", 3, "nsubj", "PROPN", "Egypt"), ("did", 3, "aux", "AUX", "do"),
        ("not", 3, "neg", "PART", "not"), ("agree", 3, "ROOT", "VERB", "agree"),
        (".", 3, "punct", "PUNCT", ".")], ents=["B-GPE", "O", "O", "O", "O"])
    (e,) = code(doc, pipeline, lexicon)
    assert e.event_type == "AGREE" and e.negated


def test_reported_speech_is_attributed_and_the_speech_verb_is_no_event(
        pipeline: Pipeline, lexicon: ev.Lexicon) -> None:
    doc = hand_doc(pipeline.nlp.vocab, [
        ("Officials", 1, "nsubj", "NOUN", "official"), ("said", 1, "ROOT", "VERB", "say"),
        ("rebels", 3, "nsubj", "NOUN", "rebel"), ("attacked", 1, "ccomp", "VERB", "attack"),
        ("Goma", 3, "dobj", "PROPN", "Goma"), (".", 1, "punct", "PUNCT", ".")])
    (e,) = code(doc, pipeline, lexicon)
    assert e.event_type == "ASSAULT"
    assert [a.text for a in e.actor] == ["rebels"] and [r.text for r in e.recipient] == ["Goma"]
    assert e.attributed_to is not None and e.attributed_to.text == "Officials"


def test_nominal_trigger_with_owner_and_by_agent(pipeline: Pipeline,
                                                 lexicon: ev.Lexicon) -> None:
    # Lavrov renewed his call for an investigation by the OPCW .
    doc = hand_doc(pipeline.nlp.vocab, [
        ("Lavrov", 1, "nsubj", "PROPN", "Lavrov"), ("renewed", 1, "ROOT", "VERB", "renew"),
        ("his", 3, "poss", "PRON", "his"), ("call", 1, "dobj", "NOUN", "call"),
        ("for", 3, "prep", "ADP", "for"), ("an", 6, "det", "DET", "an"),
        ("investigation", 4, "pobj", "NOUN", "investigation"), ("by", 6, "prep", "ADP", "by"),
        ("the", 9, "det", "DET", "the"), ("OPCW", 7, "pobj", "PROPN", "OPCW"),
        (".", 1, "punct", "PUNCT", ".")],
        ents=["B-PERSON", "O", "O", "O", "O", "O", "O", "O", "O", "B-ORG", "O"])
    (e,) = code(doc, pipeline, lexicon)
    assert e.event_type == "REQUEST" and e.trigger.text == "call"
    assert [a.text for a in e.actor] == ["Lavrov"]
    assert [r.text for r in e.recipient] == ["OPCW"]


@pytest.mark.parametrize("aux, lemma, expected_type, modality", [
    ("will", "will", "THREATEN", "asserted"),  # an announced attack is a threat
    ("could", "could", "ASSAULT", "hypothetical"),
])
def test_modality_from_auxiliaries(pipeline: Pipeline, lexicon: ev.Lexicon, aux: str,
                                   lemma: str, expected_type: str, modality: str) -> None:
    doc = hand_doc(pipeline.nlp.vocab, [
        ("Rebels", 2, "nsubj", "NOUN", "rebel"), (aux, 2, "aux", "AUX", lemma),
        ("attack", 2, "ROOT", "VERB", "attack"), ("Goma", 2, "dobj", "PROPN", "Goma"),
        (".", 2, "punct", "PUNCT", ".")])
    (e,) = code(doc, pipeline, lexicon)
    assert (e.event_type, e.modality) == (expected_type, modality)


def test_intended_and_alleged(pipeline: Pipeline, lexicon: ev.Lexicon) -> None:
    seeks = hand_doc(pipeline.nlp.vocab, [
        ("Rebels", 1, "nsubj", "NOUN", "rebel"), ("seek", 1, "ROOT", "VERB", "seek"),
        ("to", 3, "aux", "PART", "to"), ("attack", 1, "xcomp", "VERB", "attack"),
        ("Goma", 3, "dobj", "PROPN", "Goma"), (".", 1, "punct", "PUNCT", ".")])
    (e,) = code(seeks, pipeline, lexicon)
    assert e.event_type == "ASSAULT" and e.modality == "intended"
    hedged = hand_doc(pipeline.nlp.vocab, [
        ("Soldiers", 2, "nsubj", "NOUN", "soldier"), ("reportedly", 2, "advmod", "ADV",
                                                      "reportedly"),
        ("attacked", 2, "ROOT", "VERB", "attack"), ("Goma", 2, "dobj", "PROPN", "Goma"),
        (".", 2, "punct", "PUNCT", ".")])
    (e,) = code(hedged, pipeline, lexicon)
    assert e.modality == "alleged"


def test_governed_trigger_is_not_coded_twice(pipeline: Pipeline, lexicon: ev.Lexicon) -> None:
    # Iran threatened to attack Israel .  → one THREATEN, no separate ASSAULT
    doc = hand_doc(pipeline.nlp.vocab, [
        ("Iran", 1, "nsubj", "PROPN", "Iran"), ("threatened", 1, "ROOT", "VERB", "threaten"),
        ("to", 3, "aux", "PART", "to"), ("attack", 1, "xcomp", "VERB", "attack"),
        ("Israel", 3, "dobj", "PROPN", "Israel"), (".", 1, "punct", "PUNCT", ".")])
    (e,) = code(doc, pipeline, lexicon)
    assert e.event_type == "THREATEN" and e.mode == "violence"
    assert [r.text for r in e.recipient] == ["Israel"]


def test_user_lexicon_adds_and_disables_triggers(tmp_path: Path, pipeline: Pipeline) -> None:
    f = tmp_path / "extra.yaml"
    f.write_text("triggers:\n  - type: ASSAULT\n    mode: firearms\n    lemmas: [zap]\n"
                 "    recipient: [dobj]\ndisable: [attack]\n", encoding="utf-8")
    lex = ev.load_lexicon([str(f)])
    zap = hand_doc(pipeline.nlp.vocab, [
        ("Rebels", 1, "nsubj", "NOUN", "rebel"), ("zapped", 1, "ROOT", "VERB", "zap"),
        ("Goma", 1, "dobj", "PROPN", "Goma"), (".", 1, "punct", "PUNCT", ".")])
    (e,) = code(zap, pipeline, lex)
    assert (e.event_type, e.mode) == ("ASSAULT", "firearms")
    attack = hand_doc(pipeline.nlp.vocab, [
        ("Rebels", 1, "nsubj", "NOUN", "rebel"), ("attacked", 1, "ROOT", "VERB", "attack"),
        ("Goma", 1, "dobj", "PROPN", "Goma"), (".", 1, "punct", "PUNCT", ".")])
    assert code(attack, pipeline, lex) == []


# ------------------------------------------------------------------------ the real model

SEED = (
    "Moscow, SANA-Russian Foreign Minister Sergey Lavrov affirmed on Wednesday that Russia "
    "seeks to develop the Astana and Geneva tracks on the settlement of the crisis in Syria.\n"
    "In a press conference with Saudi regime’s foreign Minister Adel al-Jubeir in Moscow, "
    "Lavrov said that the initiative to launch the Astana meetings has played a crucial role.\n"
    "Lavrov renewed his country’s call for a full and objective investigation by the "
    "Organization for the Prohibition of Chemical Weapons (OPCW) through a balanced mechanism "
    "to identify those responsible for the alleged chemical attack in Khan Sheikhoun.\n"
    "Manar/Mazen")


def test_seed_dispatch_consult_and_request(rules_pipeline: Pipeline) -> None:
    result = rules_pipeline.process_one(Article(id="seed", text=SEED))
    by_type = {e.event_type: e for e in result.events}
    assert set(by_type) == {"CONSULT", "REQUEST"}, [(e.event_type, e.trigger) for e in result.events]
    consult, request = by_type["CONSULT"], by_type["REQUEST"]
    assert consult.symmetric
    parties = {r.text for r in consult.actor + consult.recipient}
    assert any("Jubeir" in p for p in parties) and any("Lavrov" in p for p in parties)
    assert [a.text for a in request.actor] == ["Lavrov"]
    assert "Prohibition of Chemical Weapons" in request.recipient[0].text
    for e in result.events:
        assert SEED[e.trigger.start:e.trigger.end] == e.trigger.text
        assert SEED[e.sentence.start:e.sentence.end] == e.sentence.text
        assert e.trigger.start > SEED.index("SANA-") and e.extractor == ev.EXTRACTOR
        assert e.run_id == rules_pipeline.run_id


def test_ids_are_stable_and_distinct(rules_pipeline: Pipeline) -> None:
    text = "Rebels attacked Goma on Monday. The army arrested twelve rebels in Goma."
    a = rules_pipeline.process_one(Article(id="d1", text=text))
    b = rules_pipeline.process_one(Article(id="d1", text=text))
    assert [e.id for e in a.events] == [e.id for e in b.events]
    assert len({e.id for e in a.events}) == len(a.events) == 2


@pytest.mark.parametrize("text", [
    "The president said on Monday that the economy grew by three percent.",
    "He pointed out that exports had risen sharply.",
    "Photo: Israeli soldiers arrest a Palestinian youth in Hebron.",
    "File photo shows Afghan police attacking a checkpoint.",
    "If the talks fail, the country will hold new elections in May.",
])
def test_no_event(make_ctx: Callable[..., DocContext], text: str) -> None:
    ctx = make_ctx(text)
    assert ev.extract_rules(ctx) == []


def test_repeated_headline_is_coded_and_merged_caption_parenthetical_skipped(
        rules_pipeline: Pipeline) -> None:
    text = ("Police arrest forty protesters in Nairobi. Kenyan police arrested forty protesters "
            "outside parliament on Monday (Photo: police attack a crowd), witnesses said.")
    result = rules_pipeline.process_one(
        Article(id="h", text=text, title="Police arrest forty protesters in Nairobi"))
    # the headline is a mention of the happening the lead reports: coded, then one incident
    assert [(e.event_type, e.trigger.text) for e in result.events] == [
        ("COERCE", "arrest"), ("COERCE", "arrested")]
    (incident,) = [i for i in result.incidents if i.event_type == "COERCE"]
    assert set(incident.event_ids) == {e.id for e in result.events}


def test_wire_dateline_is_not_coded(rules_pipeline: Pipeline) -> None:
    text = "DAMASCUS, April 12 (Reuters) - Syrian troops shelled rebel positions near Homs."
    result = rules_pipeline.process_one(Article(id="w", text=text))
    (e,) = result.events
    assert e.event_type == "ASSAULT" and e.trigger.start > text.index("-")


def test_real_parse_refused_and_conditions(make_ctx: Callable[..., DocContext]) -> None:
    refused = ev.extract_rules(make_ctx("The Taliban refused to hand over the suspects to the Americans."))
    assert [e.event_type for e in refused] == ["REJECT"]
    threat = ev.extract_rules(make_ctx("The union said its members would strike unless the "
                                 "government raised wages."))
    assert [e.event_type for e in threat] == ["THREATEN"]
    assert threat[0].attributed_to is not None


def test_coordinated_actors_and_quantities(make_ctx: Callable[..., DocContext]) -> None:
    (e,) = ev.extract_rules(make_ctx("Tens of thousands of students staged mass demonstrations in "
                               "Jakarta on Saturday."))
    assert e.event_type == "PROTEST" and e.actor[0].text.endswith("students")


def test_coordinated_modifiers_give_one_actor_each(make_ctx: Callable[..., DocContext]) -> None:
    from dragoman.extract import actors

    ctx = make_ctx("Tanzanian and Kenyan officials signed a trade agreement.")
    ctx.actors = actors.resolve(ctx)
    (e,) = ev.extract_rules(ctx)
    # one phrase, two actors: refs of the same span are told apart by who they are
    assert {r.country for r in (*e.actor, *e.recipient)} == {"TZA", "KEN"}


def test_pronoun_place_and_inner_doer_arguments(make_ctx: Callable[..., DocContext]) -> None:
    from dragoman.extract import actors

    def coded(text: str) -> list[Event]:
        ctx = make_ctx(text)
        ctx.actors = actors.resolve(ctx)
        return ev.extract_rules(ctx)

    (e,) = coded("Kenyan rebels said they would free the hostages on Friday.")
    assert [(r.text, r.country) for r in e.actor] == [("they", "KEN")]
    (e,) = coded("Police imposed a curfew in Algiers.")
    assert [(r.text, r.country, r.sector) for r in e.recipient] == [("Algiers", "DZA", "CVL")]
    (e,) = coded("A convoy of Turkish troops attacked the village.")
    assert (e.event_type, [r.country for r in e.actor]) == ("ASSAULT", ["TUR"])


def test_civilian_targets_and_cities_under_force(make_ctx: Callable[..., DocContext]) -> None:
    """What civilians own or live in, as a target, stands for civilians (CVL); so does a
    capital that is the object of a verb of force ("blockade Paris"), which otherwise is
    its country's government."""
    from dragoman.extract import actors

    def recipients(text: str) -> list[tuple[str | None, str | None]]:
        ctx = make_ctx(text)
        ctx.actors = actors.resolve(ctx)
        events = ev.extract_rules(ctx)
        assert events, text
        return [(r.country, r.sector) for r in events[0].recipient]

    assert recipients("Turkish soldiers demolished Syrian homes near the border.") == [
        ("SYR", "CVL")]
    assert recipients("Angry farmers said they would blockade Madrid next week.") == [
        ("ESP", "CVL")]
    assert recipients("Moscow threatened Kiev with sanctions.") == [("UKR", "GOV")]


def test_argument_fallbacks(make_ctx: Callable[..., DocContext]) -> None:
    """Unattributed attacks, a PP the parser hung on the verb, "from X to Y" spans and
    refusals "despite pressure by X"."""
    from dragoman.extract import actors

    def coded(text: str) -> list[Event]:
        ctx = make_ctx(text)
        ctx.actors = actors.resolve(ctx)
        return ev.extract_rules(ctx)

    def parties(e: Event) -> tuple[list[tuple[str | None, str | None]], list[str | None]]:
        return [(a.country, a.sector) for a in e.actor], [r.country for r in e.recipient]

    (e,) = [x for x in coded("A car bombing in Baghdad killed three Jordanian policemen.")
            if x.event_type == "ASSAULT"]
    assert parties(e) == ([("IRQ", "UAF")], ["JOR"])
    (e,) = coded("The Taliban threatened to deliver heavy blows to Pakistan.")
    assert e.event_type == "THREATEN" and parties(e)[1] == ["PAK"]
    es = [x for x in coded("Angry Spanish fishermen blocked the road leading from Spain to "
                           "Portugal for three hours.") if x.event_type == "PROTEST"]
    assert es and sorted(c for c in parties(es[0])[1] if c) == ["ESP", "PRT"]
    es = [x for x in coded("The minister declined to resign despite pressure by the Ghana "
                           "Anti-Graft Commission.") if x.event_type == "REJECT"]
    assert es and parties(es[0])[1] == ["GHA"]


def test_an_event_dated_long_before_publication_is_historical(rules_pipeline) -> None:  # type: ignore[no-untyped-def]
    from dragoman import Article

    text = ("In 2014, Russia annexed Crimea from Ukraine. On Wednesday, Russian jets bombed "
            "rebel positions in Idlib. Last month, Turkish troops shelled Kurdish positions "
            "near Afrin.")
    r = rules_pipeline.process_one(Article(id="h", text=text, published="2017-04-13"))
    got = {e.trigger.text: (e.date, e.modality) for e in r.events}
    assert got["annexed"] == ("2014", "historical")
    assert got["bombed"] == ("2017-04-12", "asserted")
    assert got["shelled"] == ("2017-03", "asserted")  # recent past: still news


def test_historical_needs_a_publication_date(rules_pipeline) -> None:  # type: ignore[no-untyped-def]
    from dragoman import Article

    r = rules_pipeline.process_one(Article(id="h2", text="In 2014, Russia annexed Crimea from "
                                     "Ukraine. Israel invaded Lebanon in 1982."))
    assert [e.modality for e in r.events] == ["asserted", "asserted"]


def test_long_before_reads_every_precision() -> None:
    import datetime as dt

    from dragoman.extract.events.coder import long_before

    pub = dt.date(2017, 4, 13)
    assert long_before("2014", pub, 180)
    assert not long_before("2017", pub, 180)  # the year is not over: could be recent
    assert long_before("2016-09", pub, 180) and not long_before("2016-11", pub, 180)
    assert long_before("198", pub, 180)  # the 1980s
    assert not long_before("2017-W14", pub, 180)  # weeks are not read: never historical
    assert not long_before(None, pub, 180) and not long_before("2014", None, 180)
    assert long_before("2016-01-01/2016-10-14", pub, 180)  # a range ends on its last day
    assert not long_before("2016-01-01/2016-10-15", pub, 180)
