"""Concurrency: one writer at a time (a lock), readers never blocked, never a torn store.

- While ``dragoman run`` writes (400 articles, small segments, so it commits often and compacts at the
  end), this process keeps querying the same store three ways: a fresh ``Store.connect()``
  snapshot, the query API on one long-lived ``Store`` object (the web server's path), and the
  dashboard app through ``TestClient``. Every answer must come back, counts never go down,
  and no snapshot shows an event whose document is missing (segments are atomic).
- A second ``dragoman run`` on the same store stops at once, non-zero, naming the lock file
  and the pid that holds it; run again afterwards it adds only what is new.
- Three runs started at the same instant on a new store: exactly one writes.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from reliability_corpus import (
    child_env,
    dragoman_cmd,
    ids,
    make_corpus,
    run_cli,
    write_config,
    write_jsonl,
)

pytestmark = pytest.mark.slow

N_FIRST = 400  # articles of the first run


def _snapshot_counts(store_path: Path) -> tuple[int, int, int]:
    from dragoman.store import Store

    con = Store.open(store_path).connect()
    try:
        docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        orphans = con.execute(
            "SELECT count(*) FROM events e ANTI JOIN documents d ON e.doc_id = d.doc_id"
        ).fetchone()[0]
    finally:
        con.close()
    return int(docs), int(events), int(orphans)


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("concurrency")
    # long enough that the first run is still writing when the refused second one has
    # started Python and given up, on a loaded machine too (150 was not, once)
    corpus = make_corpus(N_FIRST, seed=23)
    first = write_jsonl(base / "first.jsonl", corpus)
    # the second input overlaps the first by 50 articles and adds 40 new ones
    extra = make_corpus(N_FIRST + 40, seed=23)[N_FIRST:]
    second = write_jsonl(base / "second.jsonl", corpus[N_FIRST - 50:] + extra)
    config = write_config(base / "dragoman.toml", segment_size=10, batch_size=8)
    return {"base": base, "first": first, "second": second, "config": config}


def test_second_run_stops_at_once_and_readers_keep_answering(
    setting: dict[str, Path], record_property: Any,
) -> None:
    from fastapi.testclient import TestClient

    from dragoman.query import api
    from dragoman.store import Store
    from dragoman.web import create_app

    store_path = setting["base"] / "store"
    config = setting["config"]
    writer = subprocess.Popen(
        dragoman_cmd("run", str(setting["first"]), "--store", str(store_path), "--quiet",
                     "--json", config=config),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env())
    try:
        deadline = time.monotonic() + 120
        while not (store_path / "lock").exists():
            assert writer.poll() is None, writer.communicate()
            assert time.monotonic() < deadline, "the writer never took the lock"
            time.sleep(0.02)

        # a second writer on the same store: refused at once, naming the lock and its holder
        t0 = time.monotonic()
        second = subprocess.run(
            dragoman_cmd("run", str(setting["second"]), "--store", str(store_path), "--quiet",
                         config=config),
            check=False, capture_output=True, text=True, timeout=120, env=child_env())
        refused_after = time.monotonic() - t0
        assert second.returncode != 0
        assert writer.poll() is None, "the first run ended before the second was refused"
        assert str(store_path / "lock") in second.stderr, second.stderr
        assert f"pid {writer.pid}" in second.stderr, second.stderr
        assert "Traceback" not in second.stderr

        # readers while the writer commits segments
        shared = Store.open(store_path)
        snapshots: list[tuple[int, int, int]] = []
        api_counts: list[int] = []
        web_counts: list[int] = []
        with TestClient(create_app(store_path)) as client:
            while writer.poll() is None:
                snapshots.append(_snapshot_counts(store_path))
                api_counts.append(api.count_events(shared, api.EventQuery()))
                api.query_events(shared, api.EventQuery(limit=5, order="-date"))
                r = client.get("/api/summary")
                assert r.status_code == 200, r.text
                web_counts.append(r.json()["counts"]["events"])
                r = client.get("/api/events", params={"limit": 5})
                assert r.status_code == 200, r.text
                time.sleep(0.05)
            out, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    summary = json.loads(out)
    final = _snapshot_counts(store_path)
    record_property("reader_rounds_during_run", len(snapshots))
    record_property("second_run_refused_after_s", round(refused_after, 2))

    assert refused_after < 30, f"the second run took {refused_after:.1f} s to give up"
    assert len(snapshots) >= 5, "the readers did not get to query during the run"
    assert final[0] == summary["read"] == N_FIRST and final[1] == summary["events"]
    assert all(orphans == 0 for _, _, orphans in snapshots), "a torn segment was visible"
    for series in ([s[0] for s in snapshots], [s[1] for s in snapshots], api_counts,
                   web_counts):
        assert series == sorted(series), f"a reader saw the store shrink: {series}"
    assert 0 < max(s[0] for s in snapshots) <= final[0], "no reader saw a committed segment"
    assert max(api_counts + web_counts) <= final[1]

    # the refused run, once the store is free: adds only the new articles, nothing twice
    again = run_cli("run", str(setting["second"]), "--store", str(store_path), "--quiet",
                    "--json", config=config)
    s2 = json.loads(again.stdout)
    assert s2["already"] == 50 and s2["processed"] + s2["duplicates"] == 40
    docs = ids(store_path, "documents", "doc_id")
    assert len(docs) == N_FIRST + 40 and len(set(docs)) == N_FIRST + 40
    events = ids(store_path, "events", "id")
    assert not [e for e, n in Counter(events).items() if n > 1]
    check = run_cli("check", "--store", str(store_path))
    assert check.stdout.strip().endswith(": ok"), check.stdout


def test_simultaneous_runs_exactly_one_writes(setting: dict[str, Path]) -> None:
    small = write_jsonl(setting["base"] / "small.jsonl", make_corpus(24, seed=3))
    store_path = setting["base"] / "race"
    cmd = dragoman_cmd("run", str(small), "--store", str(store_path), "--quiet", "--json",
                       config=setting["config"])
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=child_env()) for _ in range(3)]
    results: list[tuple[int, str, str]] = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        results.append((p.returncode, out, err))
    winners = [r for r in results if r[0] == 0]
    losers = [r for r in results if r[0] != 0]
    assert len(winners) == 1, results
    for _, _, err in losers:
        assert "being written by pid" in err and str(store_path / "lock") in err, err
    summary: dict[str, Any] = json.loads(winners[0][1])
    assert summary["processed"] == 24
    docs = ids(store_path, "documents", "doc_id")
    assert len(docs) == len(set(docs)) == 24
    check = run_cli("check", "--store", str(store_path))
    assert check.stdout.strip().endswith(": ok"), check.stdout
