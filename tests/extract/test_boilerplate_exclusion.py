"""Nothing is coded from boilerplate: events, actors, places, quotes and dates inside tag
lines, photo credits, share and related blocks are dropped; the body around them is kept.
Real spaCy model, real extractors, hand-written texts."""

from __future__ import annotations

from pathlib import Path

from dragoman import Article, Pipeline


def _process(pipeline: Pipeline, text: str):  # type: ignore[no-untyped-def]
    return pipeline.process_one(Article(id="bp", text=text, published="2019-03-05"))


def _inside(text: str, start: int, marker: str, end_marker: str) -> bool:
    a = text.index(marker)
    return a <= start < text.index(end_marker, a)


def test_tag_run_is_not_coded_but_the_sentence_after_it_is(pipeline: Pipeline) -> None:
    text = ("Rebels captured two villages near Aleppo on Sunday, the monitor said. "
            "Tags Syria Idlib rebels clashes Syrian rebels launched an offensive on the "
            "town of Saraqib on Friday.")
    r = _process(pipeline, text)
    tag_start, tag_end = text.index("Tags"), text.index("Syrian rebels")
    assert not [e for e in r.events if tag_start <= e.trigger.start < tag_end]
    assert not [a for a in r.actors if tag_start <= a.start < tag_end]
    assert not [p for p in r.places if tag_start <= p.start < tag_end]
    triggers = {e.trigger.text for e in r.events}
    assert "captured" in triggers  # the body before the tags
    assert {"launched", "offensive"} & triggers  # and the sentence the tags run into
    # whose evidence sentence starts after the tag run, with its offsets exact
    later = [e for e in r.events if e.trigger.start >= tag_end]
    assert later
    for e in later:
        assert e.sentence.start >= tag_end
        assert text[e.sentence.start:e.sentence.end] == e.sentence.text
        assert e.sentence.text.startswith(("Syrian", "rebels"))


def test_tag_run_alone_at_the_end_codes_nothing(pipeline: Pipeline) -> None:
    text = ("Farmers blocked the highway near Lyon on Monday. "
            "Tags Raqqa airstrikes IS Syria airstrikes")
    r = _process(pipeline, text)
    start = text.index("Tags")
    assert [e.trigger.text for e in r.events if e.trigger.start >= start] == []
    assert [a.text for a in r.actors if a.start >= start] == []
    assert [p.text for p in r.places if p.start >= start] == []


def test_related_block_photo_credit_and_share_line_code_nothing(pipeline: Pipeline) -> None:
    text = ('The governor said: "We will rebuild the bridge." (AFP Photo) '
            "Print Tweet Views 1514 Related Army kills 20 militants in Hama "
            "Police arrest protesters in Homs")
    r = _process(pipeline, text)
    start = text.index("(AFP Photo)")
    assert [e.trigger.text for e in r.events if e.trigger.start >= start] == []
    assert [p.text for p in r.places if p.start >= start] == []
    assert [d.text for d in r.dates if d.start >= start] == []
    assert [q.content.text for q in r.quotes] == ["We will rebuild the bridge."]


def test_publication_line_date_is_not_a_date_mention(pipeline: Pipeline) -> None:
    text = "Published March 3 2019 Government troops shelled the village on Monday."
    r = _process(pipeline, text)
    assert [d.text for d in r.dates] == ["Monday"]
    assert [e.trigger.text for e in r.events] == ["shelled"]


# FA-KES texts (The New Arab, fakes-1923102898 and fakes-1915433694), flattened as scraped:
# a publication line, the lead, a tag run glued to the next sentence.
_ALEPPO = ("Date of publication 17 October 2016 At least 45 people have been killed in Aleppo "
           "in the last 24 hours according to monitors with high-level diplomatic talks over "
           "the weekend failing to curb the bloodshed. Tags Aleppo Syria United States Russia "
           "At least 12 civilians were killed by airstrikes in the rebel-held east Aleppo "
           "district of Marjeh on Monday bringing the number killed in 24 hours of bombardment "
           "on the battleground city to 45. The Syrian Observatory for Human Rights reported "
           "that five of the dead were children.")
_ARIHA = ("Date of publication 20 May 2015 Activists say a Syrian warplane crashed. Tags Syria "
          "Idlib Ariha Assad war Government air raids in a northwestern town in Syria and a "
          "subsequent crash by a Syrian warplane that slammed into a residential area there "
          "killed at least 27 people on Monday activists said. The raids on the town of Ariha "
          "came amid intense clashes in the northwestern province of Idlib.")


def test_lead_after_publication_line_keeps_its_places(pipeline: Pipeline) -> None:
    # the model reads "Tags Aleppo" as a person: a name inside boilerplate must not make
    # "Aleppo" a surname and drop every Aleppo of the story
    r = _process(pipeline, _ALEPPO)
    lead = _ALEPPO.index("Aleppo")
    assert any(p.start == lead and p.text == "Aleppo" for p in r.places)
    assert sum(p.text == "Aleppo" for p in r.places) >= 2
    tags = _ALEPPO.index("Tags")
    assert not [p for p in r.places if tags <= p.start < _ALEPPO.index("At least 12")]
    assert any(e.trigger.start < tags and e.trigger.text == "killed" for e in r.events)


def test_tag_run_ends_where_the_lead_sentence_starts(pipeline: Pipeline) -> None:
    # no past-tense verb right after the tags: the run used to swallow the lead up to
    # "warplane"; it ends before "Government", the word before the first "in"
    r = _process(pipeline, _ARIHA)
    lead = _ARIHA.index("Government")
    syria = _ARIHA.index("Syria and a subsequent")
    assert any(p.start == syria and p.text == "Syria" for p in r.places)
    # the lead is coded ("air raids ... killed at least 27 people": one ASSAULT)
    assert any(lead <= e.trigger.start < _ARIHA.index("The raids on") for e in r.events)
    tags = _ARIHA.index("Tags")
    assert not [p for p in r.places if tags <= p.start < lead]


def test_a_users_boilerplate_file_extends_the_packaged_phrases(
        pipeline: Pipeline, tmp_path: Path) -> None:
    text = ("Syrian troops shelled rebel positions near Homs on Monday, the army said. "
            "The shelling lasted three hours, residents told reporters. Sponsored stories "
            "Rebels attacked an army post in Hama on Sunday.")
    article = Article(id="b", text=text, published="2017-04-12")
    before = pipeline.process_one(article)
    assert any(e.trigger.start > text.index("Sponsored") for e in before.events)
    extra = tmp_path / "site.yaml"
    extra.write_text("footer_cues: [Sponsored stories]\n", encoding="utf-8")
    custom = Pipeline(pipeline.config.replace(boilerplate=(str(extra),)), run_id="b")
    after = custom.process_one(article)
    assert after.events and all(e.trigger.start < text.index("Sponsored") for e in after.events)
