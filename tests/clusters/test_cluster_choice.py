"""Which cluster an incident joins when several would take it: the most alike one (the same
town and cause, killed figures of one order), and the reports with the largest tolls are
placed first, so a story's main incident meets the other outlets' main incidents before a
side mention of the same story (a headline the story did not merge) takes its place."""

from __future__ import annotations

from dragoman.clusters.build import _assign
from dragoman.clusters.match import ClusterSettings, IncidentKey, similarity


def _key(iid: str, doc: str, day: int, killed: int | None, **kw: object) -> IncidentKey:
    empty: frozenset[str] = frozenset()
    base: dict[str, object] = {
        "id": iid, "doc_id": doc, "event_type": "ASSAULT", "cause": "airstrike",
        "day": day, "country": "SYR", "admin1": "Rif-dimashq", "geonameid": 170000,
        "lat": 33.81, "lon": 36.74, "precision": "town", "actor_names": empty,
        "actor_countries": empty, "target_names": empty, "target_countries": empty,
        "killed": killed}
    base.update(kw)
    return IncidentKey(**base)  # type: ignore[arg-type]


def test_the_main_incidents_of_two_reports_share_a_cluster() -> None:
    # doc a: a headline incident with no toll (the publication day) and the raid itself,
    # 30 killed, dated the day before; doc b: the raid, 43 killed, on the publication day
    headline = _key("a1", "a", 101, None, geonameid=None)  # placed by its province only
    raid_a = _key("a2", "a", 100, 30)
    raid_b = _key("b1", "b", 101, 43)
    members: dict[str, str] = {}
    _assign([headline, raid_a, raid_b], members, set(), ClusterSettings())
    assert members["a2"] == members["b1"]
    assert members["a1"] != members["b1"]  # one story's incidents at no one place: apart


def test_similarity_prefers_the_same_town_cause_and_toll() -> None:
    b = _key("b1", "b", 100, 43)
    same = _key("a1", "a", 100, 38)
    other_town = _key("a2", "a", 100, 38, geonameid=170001)
    other_toll = _key("a3", "a", 100, 2)
    assert similarity(b, same) > similarity(b, other_town)
    assert similarity(b, same) > similarity(b, other_toll)
    assert similarity(b, same) > similarity(b, _key("a4", "a", 102, 38))


def test_one_documents_incidents_share_a_cluster_only_at_one_place() -> None:
    from dragoman.clusters.match import compatible

    body = _key("a1", "a", 100, 13)
    headline = _key("a2", "a", 100, None)  # same town: the headline the story did not merge
    elsewhere = _key("a3", "a", 100, 5, geonameid=170001)  # another town of the division
    unplaced = _key("a4", "a", 100, 5, geonameid=None)
    assert compatible(body, headline, ClusterSettings())
    assert not compatible(body, elsewhere, ClusterSettings())
    assert not compatible(body, unplaced, ClusterSettings())
    # another outlet's report joins the cluster that holds both
    members: dict[str, str] = {}
    _assign([headline, body, _key("b1", "b", 100, 14)], members, set(), ClusterSettings())
    assert members["a1"] == members["a2"] == members["b1"]


def test_an_incident_alike_in_nothing_but_day_and_province_starts_its_own_cluster() -> None:
    # two raids of one day in one governorate, different towns, one with no toll and no
    # cause of its own: compatible, but nothing positive in common
    raid = _key("a1", "a", 100, 12)
    vague = _key("b1", "b", 100, None, geonameid=170009, lat=33.9, lon=36.6, cause="unknown")
    members: dict[str, str] = {}
    _assign([raid, vague], members, set(), ClusterSettings())
    assert members["a1"] != members["b1"]
    # the same town is enough; so is a lower bar
    members = {}
    _assign([raid, _key("b2", "b", 100, None, cause="unknown")], members, set(),
            ClusterSettings())
    assert members["a1"] == members["b2"]
    members = {}
    _assign([raid, vague], members, set(), ClusterSettings(min_alike=0.0))
    assert members["a1"] == members["b1"]
