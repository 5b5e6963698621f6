"""How `dragoman eval incidents` files an incident's actors under the FA-KES crowd's actor
categories (data/incidents/fakes_crowd.yaml): state media's "terrorist groups" name no
perpetrator the crowd could file (the annotators file them "unknown"), and the US-led
coalition is the international coalition whatever country the resolver gave the bare
word "coalition"."""

from __future__ import annotations

import dataclasses

from dragoman.eval.incidents import _actor_label, _crowd_map
from dragoman.types import ActorRef, Casualties, Incident, Toll


def _incident(*actors: ActorRef) -> Incident:
    return Incident(id="i", doc_id="d", run_id="r", event_type="ASSAULT", mode=None,
                    event_ids=(), evidence=(), actor=tuple(actors), target=(), location=None,
                    date=None, date_precision=None, cause="shelling", cause_text=None,
                    casualties=Casualties(killed=Toll(), injured=Toll(), source=None,
                                          figures=()))


def _ref(text: str, country: str | None, sector: str | None, kb_id: str | None = None
         ) -> ActorRef:
    return ActorRef(text, 0, len(text), None, country, sector, kb_id, "group")


def test_terrorist_labels_name_no_category() -> None:
    cmap = _crowd_map()
    assert _actor_label(_incident(_ref("terrorist groups", "SYR", "REB")), cmap) == "unknown"
    assert _actor_label(_incident(_ref("Takfiri terrorist organizations", "SYR", "REB")),
                        cmap) == "unknown"
    # the next actor decides
    assert _actor_label(_incident(_ref("terrorists", "SYR", "REB"),
                                  _ref("Jabhat al-Nusra", "SYR", "REB", "org:nusra")),
                        cmap) == "al-nusra front"
    assert _actor_label(_incident(_ref("rebels", "SYR", "REB")),
                        cmap) == "armed opposition groups"


def test_the_coalition_is_the_international_coalition() -> None:
    cmap = _crowd_map()
    for ref in (_ref("coalition", "SYR", "MIL"), _ref("US-led coalition", None, None)):
        assert _actor_label(_incident(ref), cmap) == "international coalition forces"
    assert _actor_label(_incident(_ref("Syrian regime", "SYR", "GOV")),
                        cmap) == "syrian government or russian troops"


def test_civilians_as_a_word_for_no_number_give_way_to_a_stated_total() -> None:
    from dragoman.eval.incidents import civilians_killed
    from dragoman.types import CasualtyCount, CasualtyFigure

    def fig(category: str, low: int, text: str, start: int) -> CasualtyFigure:
        return CasualtyFigure(kind="killed", category=category,
                              count=CasualtyCount(low, None), start=start,
                              end=start + len(text), text=text, sentence_index=0, source=None,
                              rising=False, subset=False, background=False)

    figures = (fig("civilians", 24, "Dozens of civilians", 0), fig("total", 12,
                                                                   "at least 12 people", 40))
    killed = Toll(total=CasualtyCount(12, None), civilians=CasualtyCount(24, None))
    inc = dataclasses.replace(_incident(), casualties=Casualties(
        killed=killed, injured=Toll(), source=None, figures=figures))
    assert civilians_killed(inc) == 12
    stated = dataclasses.replace(inc, casualties=Casualties(
        killed=Toll(total=CasualtyCount(12, None), civilians=CasualtyCount(9, 9)),
        injured=Toll(), source=None,
        figures=(fig("civilians", 9, "nine civilians", 0), figures[1])))
    assert civilians_killed(stated) == 9


def _at(incident: Incident, start: int, killed: int | None, etype: str = "ASSAULT"
        ) -> Incident:
    from dragoman.types import CasualtyCount, Span

    toll = Toll(total=CasualtyCount(killed, killed)) if killed is not None else Toll()
    return dataclasses.replace(
        incident, id=f"i{start}", event_type=etype,
        evidence=(Span(start, start + 10, "x" * 10),),
        casualties=Casualties(killed=toll, injured=Toll(), source=None, figures=()))


def test_the_lead_incident_is_the_first_that_counts_killed_the_main_one_the_deadliest() -> None:
    from dragoman.eval.incidents import lead_incident, main_incident
    from dragoman.types import Document, Result

    doc = Document("d", "text", None, None, None, None, "h", None)
    base = _incident()
    statement = _at(base, 0, None, "ACCUSE")  # the headline's accusation counts no one
    raid = _at(base, 50, 12)  # the raid the story reports
    recalled = _at(base, 400, 1400)  # a massacre the story recalls further down
    result = Result(doc, incidents=(statement, raid, recalled))
    assert main_incident(result) is recalled
    assert lead_incident(result) is raid
    # a story whose incidents count no one: the lead is the main incident
    quiet = Result(doc, incidents=(statement, _at(base, 90, None)))
    assert lead_incident(quiet) is main_incident(quiet)
    assert lead_incident(Result(doc)) is None
