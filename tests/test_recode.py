"""recode: re-extract a real store with another coder, swap atomically, count what changed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dragoman.config import Config
from dragoman.engines import get_engine
from dragoman.ingest import sample_paths
from dragoman.recode import recode
from dragoman.runner import run
from dragoman.store import Store, check_store
from dragoman.types import Article, Result

RULES = Config(event_model="rules", segment_size=5)


@pytest.fixture(scope="module")
def rules_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled samples coded by the rule coder, in several segments."""
    root = tmp_path_factory.mktemp("recode") / "store"
    summary = run([str(p) for p in sample_paths()], root, RULES)
    assert summary.processed >= 10 and summary.duplicates >= 1
    assert len(Store.open(root).segments()) > 2
    return root


@pytest.fixture
def store(rules_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(rules_store, copy)
    return copy


def _events(root: Path) -> list[dict[str, Any]]:
    con = Store.open(root).connect()
    cur = con.execute(
        "SELECT id, doc_id, sentence.start, trigger.start, trigger.\"end\", event_type, "
        "to_json(actor)::VARCHAR, to_json(recipient)::VARCHAR, run_id FROM events")
    cols = ["id", "doc", "sent", "t0", "t1", "type", "actor", "recipient", "run_id"]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _keys(rows: Iterable[dict[str, Any]]) -> Counter[tuple[Any, ...]]:
    return Counter((r["doc"], r["sent"], r["t0"], r["t1"]) for r in rows)


def test_recode_counts_what_the_store_shows(store: Path) -> None:
    before = _events(store)
    docs_before = Store.open(store).connect().execute(
        "SELECT doc_id, text, duplicate_of FROM documents ORDER BY doc_id").fetchall()
    summary = recode(store, Config())  # the packaged trained model
    after = _events(store)
    # the store holds exactly the new records, once each
    assert summary.events_before == len(before)
    assert summary.events_after == len(after)
    assert {r["run_id"] for r in after} == {summary.run_id}
    assert Store.open(store).connect().execute(
        "SELECT doc_id, text, duplicate_of FROM documents ORDER BY doc_id").fetchall() \
        == docs_before
    assert not [p for p in check_store(Store.open(store)) if p.severity == "error"]
    # the diff, recomputed from the two snapshots by trigger key
    old_k, new_k = _keys(before), _keys(after)
    added = sum((new_k - old_k).values())
    removed = sum((old_k - new_k).values())
    d = summary.to_dict()
    assert (d["added"], d["removed"]) == (added, removed)
    assert d["changed"] + d["unchanged"] == sum((old_k & new_k).values())
    assert added + removed + d["changed"] > 0  # the trained model differs from the rules
    # added by type: events on triggers the old records did not have at all
    only_new = Counter(r["type"] for r in after if _keys([r]).keys() - old_k.keys())
    only_old = Counter(r["type"] for r in before if _keys([r]).keys() - new_k.keys())
    if all(n == 1 for n in (old_k | new_k).values()):
        assert +summary.added == only_new
        assert +summary.removed == only_old
        old_by = {(r["doc"], r["sent"], r["t0"], r["t1"]): r for r in before}
        retyped = Counter(f"{old_by[k]['type']} -> {r['type']}" for r in after
                          if (k := (r["doc"], r["sent"], r["t0"], r["t1"])) in old_by
                          and old_by[k]["type"] != r["type"])
        assert +summary.type_changes == retyped
    runs = Store.open(store).connect().execute(
        "SELECT run_id, status, summary FROM runs").fetchall()
    mine = [r for r in runs if r[0] == summary.run_id]
    assert len(mine) == 1 and mine[0][1] == "finished"
    assert json.loads(mine[0][2])["added"] == added
    assert len(runs) == 2  # the original run is kept

    # recoding with the same coder again changes nothing
    again = recode(store, Config())
    assert (sum(again.added.values()), sum(again.removed.values()),
            sum(again.changed.values())) == (0, 0, 0)
    assert again.unchanged == len(after)


class _Crashing:
    """A real engine that fails after ``after`` results, as a worker crash would."""

    name = "crashing"

    def __init__(self, after: int) -> None:
        self.after = after
        self.inner = get_engine("local")

    def info(self) -> dict[str, object]:
        return {"engine": self.name}

    def run(self, articles: Iterable[Article], config: Config, run_id: str) -> Iterator[Result]:
        for n, result in enumerate(self.inner.run(articles, config, run_id)):
            if n == self.after:
                raise RuntimeError("worker died")
            yield result


def test_a_crash_mid_recode_leaves_the_old_records(store: Path) -> None:
    before = sorted(r["id"] for r in _events(store))
    segments = Store.open(store).segment_names()
    with pytest.raises(RuntimeError, match="worker died"):
        # 12 results: the first old segments are replaced by parts before the crash
        recode(store, Config(), engine=_Crashing(after=12))
    reopened = Store.open(store)
    assert sorted(r["id"] for r in _events(store)) == before
    assert reopened.segment_names() == segments  # parts removed, old segments untouched
    assert not reopened.lock_path.exists()
    assert not [p for p in check_store(reopened) if p.severity == "error"]


def test_cli_recode_prints_the_diff_as_json(store: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "dragoman", "recode", "--store", str(store), "--json",
         "--event-model", "rules"],
        check=False, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    # the same coder as the store was built with: nothing changes
    assert (d["added"], d["removed"], d["changed"]) == (0, 0, 0)
    assert d["unchanged"] == d["events_before"] == d["events_after"] > 0
    assert d["kept"] >= 1  # the duplicates
