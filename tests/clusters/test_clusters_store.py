"""Clusters across documents on a real store built by the real pipeline: two outlets'
reports of one raid with different tolls cluster and the disagreement is reported, a raid
elsewhere stays apart, a second run's report joins the existing cluster; overrides split
and merge by hand; `dragoman clusters`, `dragoman cluster` and `export --what clusters`."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dragoman import Config
from dragoman.clusters import ClusterSettings, cluster_store, read_overrides, read_table
from dragoman.clusters.match import IncidentKey, compatible
from dragoman.errors import DataFileError, QueryError
from dragoman.query.clusters import ClusterQuery, count_clusters, export_clusters, query_clusters
from dragoman.query.incidents import IncidentQuery, query_incidents
from dragoman.runner import run
from dragoman.store import Store

RAID_A = {"id": "r1", "published": "2016-07-02", "source": "afp",
          "text": "Government air strikes on the town of Jayrud killed 30 civilians on "
                  "Saturday, the Syrian Observatory for Human Rights said."}
RAID_B = {"id": "r2", "published": "2016-07-03", "source": "alaraby",
          "text": "Syrian government air strikes killed at least 43 people in the town of "
                  "Jayrud on Saturday, activists said."}
OTHER = {"id": "r3", "published": "2016-07-02", "source": "afp",
         "text": "A car bomb killed eight people in the city of Qamishli on Saturday, "
                 "state television said."}
LATER = {"id": "r4", "published": "2016-07-03", "source": "reuters",
         "text": "Air strikes by government warplanes on Jayrud killed 38 civilians on "
                 "Saturday, a monitor said."}


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _cluster_of(root: Path) -> dict[str, str]:
    """doc_id → cluster of its ASSAULT incident."""
    s = Store.open(root)
    docs = {r["id"]: r["doc_id"] for r in s.reader().fetch_dicts(
        "SELECT id, doc_id FROM incidents WHERE event_type = 'ASSAULT'", [])}
    return {docs[m["incident_id"]]: m["cluster_id"]
            for m in read_table(root, "members").to_pylist() if m["incident_id"] in docs}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clusters")
    run([str(_write(root / "in.jsonl", [RAID_A, RAID_B, OTHER]))], root / "store", Config())
    return root / "store"


def test_same_raid_clusters_with_its_disagreement(store: Path) -> None:
    of = _cluster_of(store)
    assert of["r1"] == of["r2"]
    assert of["r3"] != of["r1"]
    rows = query_clusters(Store.open(store))
    assert len(rows) == 1  # clusters of at least two documents by default
    c = rows[0]
    assert c["cluster_id"] == of["r1"]
    assert c["documents"] == ["r1", "r2"] and c["sources"] == ["afp", "alaraby"]
    assert (c["first_report"], c["last_report"]) == ("2016-07-02", "2016-07-03")
    assert c["admin1"] == "Rif-dimashq" and c["cause"] == "airstrike"
    assert "killed" in c["disagreements"]
    assert (c["killed_min"], c["killed_max"]) == (30, 43)
    by_source = {r["source"]: r["killed_low"] for r in c["reports"]}
    assert by_source == {"afp": 30, "alaraby": 43}
    assert count_clusters(Store.open(store), ClusterQuery(disagreement="killed")) == 1
    incidents = query_incidents(Store.open(store), IncidentQuery(event_type="ASSAULT"))
    assert {r["doc_id"]: r["cluster_id"] for r in incidents} == of
    assert count_clusters(Store.open(store), ClusterQuery(place="hasakah")) == 0
    assert count_clusters(Store.open(store), ClusterQuery(place="hasakah",
                                                          min_documents=1)) == 1


def test_second_run_joins_the_existing_cluster(store: Path, tmp_path: Path) -> None:
    before = _cluster_of(store)
    version = read_table(store, "members").num_rows
    run([str(_write(tmp_path / "later.jsonl", [LATER]))], store, Config())
    after = _cluster_of(store)
    assert after["r4"] == before["r1"] == after["r1"] == after["r2"]
    assert after["r3"] == before["r3"]
    assert read_table(store, "members").num_rows > version
    c = query_clusters(Store.open(store), ClusterQuery(cluster_id=before["r1"]))[0]
    assert c["n_documents"] == 3 and c["killed_max"] == 43


def _key(doc: str, day: int, lat: float, lon: float, **kw: object) -> IncidentKey:
    empty: frozenset[str] = frozenset()
    base: dict[str, object] = {
        "id": f"i-{doc}", "doc_id": doc, "event_type": "ASSAULT", "cause": "airstrike",
        "day": day, "country": "SYR", "admin1": "Aleppo", "geonameid": None, "lat": lat,
        "lon": lon, "precision": "town", "actor_names": empty, "actor_countries": empty,
        "target_names": empty, "target_countries": empty}
    base.update(kw)
    return IncidentKey(**base)  # type: ignore[arg-type]


def test_thresholds_are_settings() -> None:
    aleppo = _key("a", 100, 36.20, 37.16)
    idlib = _key("b", 100, 35.93, 36.63, admin1="Idlib")  # ~57 km away
    assert not compatible(aleppo, idlib, ClusterSettings(days=2, km=50))
    assert compatible(aleppo, idlib, ClusterSettings(days=2, km=60))
    later = _key("c", 103, 36.20, 37.16)
    assert not compatible(aleppo, later, ClusterSettings(days=2, km=50))
    assert compatible(aleppo, later, ClusterSettings(days=3, km=50))
    # a province-wide place: the same first-order division, whatever the distance
    province = _key("d", 100, 36.0, 37.5, precision="province")
    assert compatible(aleppo, province, ClusterSettings())
    assert not compatible(idlib, province, ClusterSettings(km=500))
    # the cause, the actors' countries, the document
    assert not compatible(aleppo, _key("e", 100, 36.20, 37.16, cause="explosion"),
                          ClusterSettings())
    assert compatible(aleppo, _key("e", 100, 36.20, 37.16, cause="unknown"), ClusterSettings())
    assert compatible(aleppo, _key("e", 100, 36.20, 37.16, cause="chemical"), ClusterSettings())
    # two towns of one first-order division, farther apart than cluster_km
    manbij = _key("h", 100, 36.53, 37.95)  # ~80 km from Aleppo, in Aleppo governorate
    assert compatible(aleppo, manbij, ClusterSettings(km=50))
    raqqa_town = _key("i", 100, 36.60, 38.50, admin1="Ar-Raqqah")  # ~50 km from Manbij
    assert not compatible(manbij, raqqa_town, ClusterSettings(km=10))
    assert compatible(manbij, raqqa_town, ClusterSettings(km=60))
    rus = _key("f", 100, 36.2, 37.16, actor_countries=frozenset({"RUS"}))
    usa = _key("g", 100, 36.2, 37.16, actor_countries=frozenset({"USA"}))
    assert not compatible(rus, usa, ClusterSettings()) and compatible(rus, aleppo,
                                                                      ClusterSettings())
    # reports confuse a country's own forces with their foreign allies ("regime or Russian
    # jets"), and disagree on the victims: neither keeps two reports apart
    regime = _key("j", 100, 36.2, 37.16, actor_countries=frozenset({"SYR"}))
    assert compatible(rus, regime, ClusterSettings())
    told_gbr = _key("k", 100, 36.2, 37.16, target_countries=frozenset({"GBR"}))
    assert compatible(told_gbr, _key("l", 100, 36.2, 37.16, target_countries=frozenset({"SYR"})),
                      ClusterSettings())
    assert not compatible(aleppo, _key("a", 100, 36.20, 37.16), ClusterSettings())


def test_overrides_split_and_merge(store: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "s"
    shutil.copytree(store, copy)
    s = Store.open(copy)
    inc = {r["doc_id"]: r["id"] for r in s.reader().fetch_dicts(
        "SELECT id, doc_id FROM incidents WHERE event_type = 'ASSAULT'", [])}
    ov = copy / "clusters" / "overrides.yaml"
    ov.write_text(f"split:\n  - {inc['r2']}\nmerge:\n  - [{inc['r1']}, {inc['r3']}]\n",
                  encoding="utf-8")
    cluster_store(copy)
    of = _cluster_of(copy)
    assert of["r2"] not in (of["r1"], of["r3"])
    assert of["r1"] == of["r3"]
    how = {m["incident_id"]: m["how"] for m in read_table(copy, "members").to_pylist()}
    assert how[inc["r2"]] == "split" and how[inc["r3"]] == "merge"
    ov.write_text("merge:\n  - [nope-1, nope-2]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"overrides.yaml:2: no incident 'nope-1'"):
        cluster_store(copy)
    assert _cluster_of(copy) == of  # the failed clustering wrote nothing
    ov.unlink()
    cluster_store(copy)
    back = _cluster_of(copy)
    assert back["r1"] == back["r2"] != back["r3"]  # overrides removed: automatic again


@pytest.mark.parametrize("text, message", [
    ("split: 12\n", r":1: `split` must be a list"),
    ("merge:\n  - [a]\n", r":2: `merge` must be a list of lists of at least two"),
    ("join: []\n", r":1: expected a mapping with `split` and/or `merge`"),
    ("split: [a\n", r"bad\.yaml:\d+"),
])
def test_bad_overrides_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        read_overrides(path)


def test_export_and_cli(store: Path, tmp_path: Path) -> None:
    s = Store.open(store)
    buf = io.BytesIO()
    n = export_clusters(s, "jsonl", buf)
    lines = [json.loads(x) for x in buf.getvalue().decode().splitlines()]
    assert n == len(lines) >= 1 and lines[0]["reports"]
    buf = io.BytesIO()
    export_clusters(s, "csv", buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue().decode())))
    assert rows[0]["reports_source"].count(";") == int(rows[0]["n_incidents"]) - 1
    export_clusters(s, "parquet", tmp_path / "c.parquet")
    assert pq.read_table(tmp_path / "c.parquet").num_rows == n
    with pytest.raises(QueryError):
        query_clusters(s, ClusterQuery(disagreement="colour"))
    cli = [sys.executable, "-m", "dragoman"]
    out = subprocess.run([*cli, "clusters", "--store", str(store), "--format", "jsonl"],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out.splitlines()[0])["cluster_id"] == lines[0]["cluster_id"]
    out = subprocess.run([*cli, "export", "--store", str(store), "--what", "clusters",
                          "--format", "csv"], capture_output=True, text=True, check=True).stdout
    assert out.startswith("cluster_id,")
    done = subprocess.run([*cli, "cluster", "--store", str(store)],
                          capture_output=True, text=True, check=True).stdout
    assert "0 joined a cluster, 0 started one" in done  # nothing new since the last run


def test_the_dashboard_view_sees_the_clusters_the_run_made(store: Path) -> None:
    """``query.incident_views`` (the dashboard's incidents page) reads cluster membership from
    the cluster tables, not from the segments' (always empty) ``cluster_id``."""
    from dragoman.query.incident_views import count_clusters as view_count
    from dragoman.query.incident_views import incident_clusters

    of = _cluster_of(store)
    views = incident_clusters(Store.open(store))
    raid = next(v for v in views if v["cluster_id"] == of["r1"])
    assert {r["doc_id"] for r in raid["reports"]} >= {"r1", "r2"}
    assert "killed" in raid["disagree"]
    assert view_count(Store.open(store)) >= 1
