"""Incidents over a real store: the query function, `dragoman incidents` and
`dragoman export --what incidents` (JSONL, CSV, Parquet)."""

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
from dragoman.errors import QueryError
from dragoman.query.export import export
from dragoman.query.incidents import IncidentQuery, count_incidents, query_incidents
from dragoman.runner import run
from dragoman.store import Store

ARTICLES = [
    {"id": "k1", "published": "2017-04-19",
     "text": "A car bomb killed six people and wounded 32 in the city of Aleppo on Wednesday, "
             "state television said. The death toll later rose to nine."},
    {"id": "k2", "published": "2017-04-20",
     "text": "Government artillery shelled the town of Douma, killing at least 14 civilians "
             "including five children, according to the Syrian Observatory for Human Rights."},
    {"id": "k3", "published": "2017-04-21",
     "text": "The foreign ministers met in Geneva on Friday to discuss a ceasefire."},
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("incidents")
    src = root / "in.jsonl"
    src.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    run([str(src)], root / "store", Config())
    return root / "store"


def test_query_filters_and_orders(store: Path) -> None:
    s = Store.open(store)
    rows = query_incidents(s, IncidentQuery(event_type="ASSAULT", order="killed"))
    assert [r["doc_id"] for r in rows][:2] == ["k2", "k1"]  # 14 killed before 9
    k1 = next(r for r in rows if r["doc_id"] == "k1")
    assert k1["killed"] == 9  # the rising toll, resolved to its latest
    assert k1["cause"] == "explosion"
    assert k1["location"]["admin1"] == "Aleppo"
    assert [r["doc_id"] for r in query_incidents(s, IncidentQuery(cause="shelling"))] == ["k2"]
    assert {r["doc_id"] for r in query_incidents(s, IncidentQuery(min_killed=10))} == {"k2"}
    assert count_incidents(s, IncidentQuery(place="aleppo")) >= 1
    assert count_incidents(s, IncidentQuery(since="2017-04-21", event_type="ASSAULT")) == 0
    # dates are the days they denote, as in the events' filter: a month or an ISO week holds
    # the Wednesday and Thursday raids; a string comparison with "2017-04" would miss both
    assert {r["doc_id"] for r in query_incidents(
        s, IncidentQuery(since="2017-04", until="2017-04", event_type="ASSAULT"))} == {"k1", "k2"}
    assert {r["doc_id"] for r in query_incidents(
        s, IncidentQuery(since="2017-W16", until="2017-W16", event_type="ASSAULT"))} == {
        "k1", "k2"}
    events = {e["id"]: e for e in s.reader().fetch_dicts("SELECT id, incident_id FROM events", [])}
    for r in rows:
        assert all(events[e]["incident_id"] == r["id"] for e in r["event_ids"])


@pytest.mark.parametrize("bad", [IncidentQuery(cause="napalm"), IncidentQuery(since="May"),
                                 IncidentQuery(order="size"), IncidentQuery(limit=-1)])
def test_bad_query_is_refused(store: Path, bad: IncidentQuery) -> None:
    with pytest.raises(QueryError):
        query_incidents(Store.open(store), bad)


def test_export_incidents_in_three_formats(store: Path, tmp_path: Path) -> None:
    s = Store.open(store)
    n = count_incidents(s, IncidentQuery())
    buf = io.BytesIO()
    assert export(s, "incidents", "jsonl", buf) == n
    lines = [json.loads(x) for x in buf.getvalue().decode().splitlines()]
    assert {"doc_id", "event_ids", "location", "cause", "casualties", "cluster_id"} <= set(
        lines[0])
    buf = io.BytesIO()
    export(s, "incidents", "csv", buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue().decode())))
    assert len(rows) == n and "casualties_killed_civilians_low" in rows[0]
    assert "location_admin1" in rows[0]
    export(s, "incidents", "parquet", tmp_path / "i.parquet")
    assert pq.read_table(tmp_path / "i.parquet").num_rows == n


def test_cli_incidents(store: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "dragoman", "incidents", "--store", str(store),
                          "--cause", "shelling", "--format", "jsonl"],
                         capture_output=True, text=True, check=True)
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert [r["doc_id"] for r in rows] == ["k2"]
    assert rows[0]["casualties"]["killed"]["civilians"] == {"low": 14, "high": None}
    bad = subprocess.run([sys.executable, "-m", "dragoman", "incidents", "--store", str(store),
                          "--since", "yesterday"], capture_output=True, text=True, check=False)
    assert bad.returncode != 0 and "ISO date" in bad.stderr
