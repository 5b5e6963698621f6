"""The Ray engine gives the same stored records as the local engine, on a real local cluster.

A 2-CPU Ray cluster is started by the fixture and stopped at the end of the module. The
same dispatches run through ``dragoman.runner.run`` with ``--engine local`` and
``--engine ray`` into two stores, whose tables must be identical row for row.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dragoman import Article, Config
from dragoman.engines.local import LocalEngine
from dragoman.errors import EngineError
from dragoman.query.api import iter_table
from dragoman.runner import run
from dragoman.store import TABLES, Store

pytestmark = [pytest.mark.ray, pytest.mark.slow]

TEXTS = [
    ("Moscow, SANA- Russian Foreign Minister Sergey Lavrov renewed on Wednesday the call on "
    "the Organization for the Prohibition of Chemical Weapons to send experts to Khan "
    "Sheikhoun. \"We demand an impartial investigation,\" Lavrov told reporters."),
    ("Turkish President Recep Tayyip Erdogan met German Chancellor Angela Merkel in Berlin on "
    "Friday to discuss the refugee agreement with the European Union."),
    "Israeli aircraft struck targets near Damascus airport on Tuesday, the Syrian army said.",
    ("The United States imposed new sanctions on Iranian banks on Monday, accusing Tehran of "
    "financing militant groups in Yemen."),
    ("Protesters gathered outside the parliament in Kiev on Sunday to demand the resignation "
    "of the prime minister."),
    ("China rejected the ruling of the arbitration tribunal in The Hague on the South China "
    "Sea, calling it null and void."),
    ("Iraqi forces recaptured the town of Tal Afar from Islamic State fighters after an "
    "eight-day offensive, the Iraqi defence ministry said on Thursday."),
    ("The Saudi-led coalition agreed to a 72-hour ceasefire in Yemen, United Nations envoy "
    "Ismail Ould Cheikh Ahmed announced in Riyadh."),
    ("North Korea threatened to strike the U.S. territory of Guam after President Donald "
    "Trump warned of \"fire and fury\"."),
    ("French Foreign Minister Jean-Marc Ayrault said France would host a conference on the "
    "Middle East peace process in Paris in January."),
    ("Rebel groups in Aleppo accused government forces of using barrel bombs against "
    "civilians in the eastern districts of the city."),
    ("Egypt sent humanitarian aid to Gaza through the Rafah crossing on Saturday, state media "
    "reported."),
]

DATES = ["2017-04-12", "2016-03-18", "2016-12-07", "2017-05-22", "2014-01-26", "2016-07-12",
         "2017-08-31", "2016-10-19", "2017-08-09", "2016-06-03", "2016-11-30", "2015-02-14"]


def articles() -> list[Article]:
    return [Article(id=f"ray-test-{i:02d}", text=t, published=d, source="test")
            for i, (t, d) in enumerate(zip(TEXTS, DATES, strict=True))]


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[Any]:
    import ray

    assert not ray.is_initialized(), "another test left Ray running"
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING")
    try:
        yield ray
    finally:
        ray.shutdown()


def table_rows(store_path: Path) -> dict[str, list[str]]:
    """Every table of a store as sorted canonical JSON rows (the runs table left out)."""
    store = Store.open(store_path)
    out: dict[str, list[str]] = {}
    for table in TABLES:
        if table == "runs":
            continue
        rows = [json.dumps(r, sort_keys=True, default=str) for r in iter_table(store, table)]
        out[table] = sorted(rows)
    return out


class Recording:
    """An engine that passes another engine's results on and notes their ids, in order."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name, self.ids = inner, inner.name, []

    def info(self) -> dict[str, object]:
        return dict(self.inner.info())

    def run(self, articles: Any, config: Config, run_id: str) -> Iterator[Any]:
        for result in self.inner.run(articles, config, run_id):
            self.ids.append(result.document.doc_id)
            yield result


def test_ray_and_local_store_identical_records(ray_cluster: Any, tmp_path: Path) -> None:
    from dragoman.engines.ray import RayEngine

    config = Config(batch_size=4)
    local = run([], tmp_path / "local", config, engine=LocalEngine(1),
                articles=articles(), run_id="run-same")
    # window=7: two datasets, so the order across windows and actor-pool restarts is covered
    engine = Recording(RayEngine(workers=2, window=7))
    remote = run([], tmp_path / "ray", config, engine=engine,
                 articles=articles(), run_id="run-same")
    assert engine.ids == [a.id for a in articles()], "results must come back in input order"
    assert ray_cluster.is_initialized(), "the engine must not shut down a cluster it did not start"
    assert local.processed == remote.processed == len(TEXTS)
    assert (local.events, local.quotes, local.places, local.dates) == (
        remote.events, remote.quotes, remote.places, remote.dates)

    a, b = table_rows(tmp_path / "local"), table_rows(tmp_path / "ray")
    assert len(a["documents"]) == len(TEXTS)
    assert sum(len(rows) for rows in a.values()) > len(TEXTS), "nothing extracted at all"
    for table in a:
        assert a[table] == b[table], f"table {table} differs between engines"
    ids = {t: sorted(json.loads(r).get("id") or json.loads(r).get("doc_id") for r in a[t])
           for t in ("events", "quotes", "documents")}
    ids_ray = {t: sorted(json.loads(r).get("id") or json.loads(r).get("doc_id") for r in b[t])
               for t in ("events", "quotes", "documents")}
    assert ids == ids_ray


def test_ray_run_files_reads_jsonl(ray_cluster: Any, tmp_path: Path) -> None:
    from dragoman.engines.ray import RayEngine
    from dragoman.ingest import read_inputs

    path = tmp_path / "in.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for a in articles()[:6]:
            fh.write(json.dumps({"id": a.id, "text": a.text, "published": a.published,
                                 "source": a.source, "desk": "world"}) + "\n")
    results = list(RayEngine(workers=2).run_files([str(path)], Config(), "run-files"))
    # the same rows read by dragoman's own reader, origin set to the path as Ray gives it
    expected_articles = [
        Article(id=a.id, text=a.text, title=a.title, published=a.published, source=a.source,
                url=a.url, meta=a.meta, origin=results[i].document.origin)
        for i, a in enumerate(read_inputs([str(path)]))
    ]
    assert [r.document.origin for r in results] == [str(path)] * 6
    assert json.loads(results[0].document.meta_json) == {"desk": "world"}
    local = list(LocalEngine(1).run(expected_articles, Config(), "run-files"))
    assert results == local


def test_missing_ray_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from dragoman.engines import get_engine

    real_import = builtins.__import__

    def no_ray(name: str, globals_: Any = None, locals_: Any = None, fromlist: Any = (),
               level: int = 0) -> Any:
        if level == 0 and (name == "ray" or name.startswith("ray.")):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, globals_, locals_, fromlist, level)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    with pytest.raises(EngineError, match=r"pip install 'dragoman\[ray\]'"):
        get_engine("ray", workers=2)
