"""Exports in every format and style, read back with json / csv / pyarrow."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import sample_store

from dragoman.errors import QueryError
from dragoman.query import EventQuery
from dragoman.query.export import FORMATS, STYLES, WHATS, csv_columns, export, flatten
from dragoman.store import Store
from dragoman.store.schema import RECORDS
from dragoman.types import to_dict


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return sample_store.build(tmp_path_factory.mktemp("x") / "store")


def expected(what: str) -> list[dict]:
    rs = sample_store.results()
    if what == "documents":
        return [to_dict(r.document) for r in rs]
    return [to_dict(x) for r in rs for x in getattr(r, what)]


def key(d: dict) -> str:
    return json.dumps(d, sort_keys=True)


@pytest.mark.parametrize("what", WHATS)
def test_jsonl_and_parquet_native(store: Store, what: str, tmp_path: Path) -> None:
    exp = sorted(map(key, expected(what)))
    buf = io.BytesIO()
    n = export(store, what, "jsonl", buf)
    got = [json.loads(line) for line in buf.getvalue().decode().split("\n") if line]
    assert n == len(exp) == len(got)
    assert sorted(map(key, got)) == exp
    path = tmp_path / f"{what}.parquet"
    assert export(store, what, "parquet", path) == len(exp)
    table = pq.read_table(path)
    assert table.column_names == list(to_dict_fields(what))
    assert sorted(map(key, table.to_pylist())) == exp


def to_dict_fields(what: str) -> list[str]:
    return [f.name for f in dataclasses.fields(RECORDS[what])]


@pytest.mark.parametrize("what", WHATS)
def test_csv_native_flattened(store: Store, what: str, tmp_path: Path) -> None:
    path = tmp_path / f"{what}.csv"
    n = export(store, what, "csv", path)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    cols = csv_columns(what)
    assert rows[0] == [c[0] for c in cols]
    assert n == len(rows) - 1 == len(expected(what))
    assert sorted(rows[1:]) == sorted(flatten(r, cols) for r in expected(what))


def test_csv_event_columns(store: Store) -> None:
    buf = io.BytesIO()
    export(store, "events", "csv", buf, q=EventQuery(doc_id="d3"))
    rows = list(csv.DictReader(io.StringIO(buf.getvalue().decode())))
    assert len(rows) == 1
    r = rows[0]
    assert r["actor_name"] == "Sergey Lavrov;Bashar Jaafari"
    assert r["actor_country"] == "RUS;SYR"
    assert r["actor_kb_id"] == "Q1;"
    assert r["recipient_name"] == ""
    assert r["trigger_start"] == "7" and r["sentence_text"].endswith("Ünïcødé ✓")
    assert r["negated"] == "false" and r["mode"] == ""
    assert r["location_lat"] == "55.75"
    assert r["attributed_to_name"] == ""


def test_filter_and_limit(store: Store) -> None:
    buf = io.BytesIO()
    assert export(store, "events", "jsonl", buf, q=EventQuery(country="RUS", order="-date")) == 3
    assert [json.loads(x)["id"] for x in buf.getvalue().split(b"\n") if x] == ["e5", "e2", "e1"]
    buf = io.BytesIO()
    assert export(store, "events", "jsonl", buf, limit=2) == 2
    # other tables: the records of documents with a matching event
    buf = io.BytesIO()
    assert export(store, "quotes", "jsonl", buf, q=EventQuery(types=("ASSAULT",))) == 1
    assert json.loads(buf.getvalue())["id"] == "q-d2"


@pytest.mark.parametrize("fmt", FORMATS)
def test_polecat_style(store: Store, fmt: str, tmp_path: Path) -> None:
    path = tmp_path / f"p.{fmt}"
    assert export(store, "events", fmt, path, style="polecat") == 5
    rows = read_back(path, fmt)
    by_id = {r["event_id"]: r for r in rows}
    e2 = by_id["e2"]
    assert e2["story_id"] == "d1" and e2["event_type"] == "REQUEST"
    assert e2["actor_name"] == "Sergey Lavrov" and e2["actor_country"] == "RUS"
    assert e2["recipient_country"] == "IGO"
    assert e2["contexts"] == "cbrn"
    assert e2["placename"] == "Moscow" and str(e2["geonames_id"]) == "524901"
    assert e2["event_text"].startswith("Lavrov renewed")
    assert e2["url"] == "https://example.org/d1" and e2["publication_date"] == "2017-04-14"
    assert str(e2["quad_code"]) == "3"


@pytest.mark.parametrize("fmt", FORMATS)
def test_gdelt_style(store: Store, fmt: str, tmp_path: Path) -> None:
    path = tmp_path / f"g.{fmt}"
    assert export(store, "events", fmt, path, style="gdelt") == 5
    rows = read_back(path, fmt)
    assert list(rows[0])[:5] == ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    assert len(rows[0]) == 58 and list(rows[0])[-1] == "SOURCEURL"
    by_id = {r["GLOBALEVENTID"]: r for r in rows}
    e1 = by_id["e1"]
    assert str(e1["SQLDATE"]) == "20170412" and str(e1["MonthYear"]) == "201704"
    assert e1["Actor1Code"] == "RUSGOV" and e1["Actor1Name"] == "SERGEY LAVROV"
    assert e1["Actor1CountryCode"] == "RUS" and e1["Actor2CountryCode"] == "SYR"
    assert e1["EventCode"] == "04" and e1["EventRootCode"] == "04"
    assert str(e1["QuadClass"]) == "1"
    assert e1["ActionGeo_FullName"] == "Moscow" and str(e1["ActionGeo_Type"]) == "4"
    assert e1["ActionGeo_FeatureID"] == "524901" and e1["ActionGeo_ADM1Code"] == "48"
    assert e1["SOURCEURL"] == "https://example.org/d1"
    assert str(e1["DATEADDED"]) == "20170414"
    e2 = by_id["e2"]
    assert e2["Actor2KnownGroupCode"] == "IGO" and e2["Actor2CountryCode"] in (None, "")
    assert by_id["e4"]["SQLDATE"] in (None, "")


def read_back(path: Path, fmt: str) -> list[dict]:
    if fmt == "jsonl":
        return [json.loads(x) for x in path.read_text(encoding="utf-8").split("\n") if x]
    if fmt == "csv":
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))
    return pq.read_table(path).to_pylist()


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("secrets", "jsonl"), {}),
        (("events", "xml"), {}),
        (("events", "csv"), {"style": "acled"}),
        (("quotes", "csv"), {"style": "gdelt"}),
        (("events", "csv"), {"q": EventQuery(country="xx")}),
        (("events", "csv"), {"limit": -1}),
    ],
)
def test_export_errors(store: Store, args: tuple, kwargs: dict) -> None:
    with pytest.raises(QueryError):
        export(store, args[0], args[1], io.BytesIO(), **kwargs)


def test_empty_store_exports_headers(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "empty", create=True)
    for style in STYLES:
        buf = io.BytesIO()
        assert export(store, "events", "csv", buf, style=style) == 0
        assert buf.getvalue().count(b"\n") == 1
    path = tmp_path / "e.parquet"
    assert export(store, "events", "parquet", path) == 0
    assert pq.read_table(path).num_rows == 0
