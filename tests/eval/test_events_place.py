"""The event-place figure of ``eval events`` on an article gold: scored on the matched
gold events that name a place, by span overlap or by the same name elsewhere."""

from __future__ import annotations

from typing import Any

from dragoman.eval.events import score
from dragoman.pipeline import Pipeline
from dragoman.types import Article

TEXT = "Regime aircraft bombed a market in Idlib on Monday. The raid killed 12 civilians."


def _gold(place_of_raid: dict[str, Any] | None) -> dict[str, Any]:
    first = TEXT.index(".") + 1
    idlib = {"start": TEXT.index("Idlib"), "end": TEXT.index("Idlib") + 5,
             "text": "Idlib"}
    return {"id": "place", "text": TEXT, "events": [
        {"sentence": {"start": 0, "end": first}, "event_type": "ASSAULT", "actor": [],
         "recipient": [], "place": idlib},
        {"sentence": {"start": first + 1, "end": len(TEXT)}, "event_type": "ASSAULT",
         "actor": [], "recipient": [], "place": place_of_raid},
    ]}


def test_event_place_counts_only_gold_events_that_name_one(pipeline: Pipeline) -> None:
    result = next(iter(pipeline.process([Article(id="place", text=TEXT)])))
    events = list(result.events)
    # the raid's sentence names no place: its gold names none either, so it is not scored
    report = score([(_gold(None), events)])
    assert report.overall.tp == 2
    assert (report.place.correct, report.place.total) == (1, 1)
    # a gold place written in other words of the text still counts as the same place
    elsewhere = {"start": 0, "end": 0, "text": "idlib"}
    report = score([(_gold(elsewhere), events)])
    assert (report.place.correct, report.place.total) == (2, 2)
    # ... and with direction and kind words set aside
    report = score([(_gold({"start": 0, "end": 0, "text": "Idlib city"}), events)])
    assert (report.place.correct, report.place.total) == (2, 2)
    # a place the event is not at is wrong
    report = score([(_gold({"start": 0, "end": 0, "text": "Aleppo"}), events)])
    assert (report.place.correct, report.place.total) == (1, 2)
    assert "place (gold has one)" in report.to_text()
