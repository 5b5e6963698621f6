"""Crash safety: ``dragoman run`` killed with SIGKILL mid-run, rerun, equals one clean run.

One store is killed at three points (just after its first segment commit, after several
commits, and at a random moment between commits), each time rerun with the same command,
then run to completion. It must then hold exactly what one uninterrupted run of the same
input wrote into another directory: the same documents (with the same duplicate marks), the
same events, quotes, places, dates, actors and frames, no id twice, and ``dragoman check``
clean. After every kill, before the rerun, the store must already be readable and hold no
damaged segment (a crash loses at most the segment in flight).
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from reliability_corpus import (
    child_env,
    committed_segments,
    dragoman_cmd,
    ids,
    make_corpus,
    run_cli,
    snapshot,
    write_config,
    write_jsonl,
)

pytestmark = pytest.mark.slow

N_ARTICLES = 600
#: (new segments committed by this run before the kill, extra delay in seconds)
KILL_POINTS: tuple[tuple[int, float], ...] = ((1, 0.0), (3, 0.0), (1, -1.0))


def _kill_after(cmd: list[str], store: Path, new_segments: int, delay: float,
                rng: random.Random) -> dict[str, Any]:
    """Start ``cmd``, wait until it committed ``new_segments`` more segments, SIGKILL it."""
    before = committed_segments(store)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=child_env())
    deadline = time.monotonic() + 240
    try:
        while committed_segments(store) < before + new_segments:
            if proc.poll() is not None:
                out, err = proc.communicate()
                raise AssertionError(f"run ended before the kill point: {proc.returncode}\n"
                                     f"{out.decode()}\n{err.decode()}")
            if time.monotonic() > deadline:
                raise AssertionError("no segment committed within 240 s")
            time.sleep(0.02)
        # delay < 0: a random moment within the next segment's work (mid-batch, mid-write)
        time.sleep(rng.uniform(0.05, 0.5) if delay < 0 else delay)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    return {
        "segments_before": before,
        "segments_at_kill": committed_segments(store),
        "lock_left": (store / "lock").exists(),
        "tmp_left": len(list((store / "tmp").iterdir())) if (store / "tmp").is_dir() else 0,
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("crash")
    corpus = write_jsonl(base / "wire.jsonl", make_corpus(N_ARTICLES, seed=11, copies=True))
    config = write_config(base / "dragoman.toml", segment_size=20, batch_size=8)

    reference = base / "reference"
    ref = run_cli("run", str(corpus), "--store", str(reference), "--quiet", "--json",
                  config=config)
    ref_summary = json.loads(ref.stdout)

    store = base / "crashed"
    cmd = dragoman_cmd("run", str(corpus), "--store", str(store), "--quiet", "--json",
                       config=config)
    rng = random.Random(5)
    kills = []
    for new_segments, delay in KILL_POINTS:
        kills.append(_kill_after(cmd, store, new_segments, delay, rng))
        # readable at once, nothing damaged: only leftovers that the next writer removes
        check = run_cli("check", "--store", str(store), check=False)
        kills[-1]["check_rc"] = check.returncode
        kills[-1]["check_out"] = check.stdout
        kills[-1]["documents"] = len(ids(store, "documents", "doc_id"))
    final = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=300,
                           env=child_env())
    assert final.returncode == 0, final.stderr
    return {"reference": reference, "store": store, "kills": kills,
            "ref_summary": ref_summary, "final_summary": json.loads(final.stdout),
            "corpus_size": N_ARTICLES}


def test_every_kill_left_a_readable_undamaged_store(runs: dict[str, Any]) -> None:
    seen = 0
    for kill in runs["kills"]:
        assert kill["segments_at_kill"] > kill["segments_before"]
        assert kill["check_rc"] == 0, kill["check_out"]  # warnings only, no error
        assert "error" not in kill["check_out"], kill["check_out"]
        if kill["lock_left"]:
            assert "stale lock" in kill["check_out"]
        assert kill["documents"] > seen, "a kill lost committed documents"
        seen = kill["documents"]


def test_no_id_twice(runs: dict[str, Any]) -> None:
    for table, column in (("documents", "doc_id"), ("events", "id"), ("quotes", "id")):
        values = ids(runs["store"], table, column)
        twice = [v for v, n in Counter(values).items() if n > 1]
        assert not twice, f"{table}.{column} written twice: {twice[:5]}"


def test_resumed_store_has_the_documents_and_events_of_one_clean_run(
    runs: dict[str, Any],
) -> None:
    got, want = runs["store"], runs["reference"]
    assert sorted(ids(got, "documents", "doc_id")) == sorted(ids(want, "documents", "doc_id"))
    assert len(ids(want, "documents", "doc_id")) == runs["ref_summary"]["read"]
    # the original wire stories' records are identical, field for field (run ids aside);
    # the syndicated copies are the next test's subject
    a, b = snapshot(got), snapshot(want)

    def originals(rows: list[str]) -> list[str]:
        return [r for r in rows if '"doc_id": "wire-' in r]

    assert originals(a["documents"]) == originals(b["documents"])
    assert len(originals(b["events"])) > 0
    for table in ("events", "quotes", "places", "dates", "actors", "frames"):
        assert originals(a[table]) == originals(b[table]), f"{table} differ"


def test_resumed_store_marks_syndicated_copies_like_one_clean_run(
    runs: dict[str, Any],
) -> None:
    """A copy whose original was committed before the kill is still a duplicate of it.

    The resumed run skips the committed original; it must still know the original's
    content (exact hash of originals, MinHash for near copies), so the copy gets the same
    ``duplicate_of``/``duplicate_kind`` (an exact copy no records of its own), as in one clean
    run.
    """
    a, b = snapshot(runs["store"]), snapshot(runs["reference"])
    marks_a = sorted(
        (d["doc_id"], d["duplicate_of"], d["duplicate_kind"])
        for d in map(json.loads, a["documents"]) if d["duplicate_of"])
    marks_b = sorted(
        (d["doc_id"], d["duplicate_of"], d["duplicate_kind"])
        for d in map(json.loads, b["documents"]) if d["duplicate_of"])
    assert marks_a == marks_b
    for table in a:
        assert a[table] == b[table], f"{table} differ from the uninterrupted run"


def test_final_rerun_completes_and_check_is_clean(runs: dict[str, Any]) -> None:
    s = runs["final_summary"]
    assert s["already"] > 0 and s["read"] == runs["ref_summary"]["read"]
    check = run_cli("check", "--store", str(runs["store"]))
    assert check.stdout.strip().endswith(": ok"), check.stdout
    assert not (runs["store"] / "lock").exists()
    # a third run of the same input adds nothing
    again = run_cli("run", str(Path(runs["store"]).parent / "wire.jsonl"), "--store",
                    str(runs["store"]), "--quiet", "--json")
    summary = json.loads(again.stdout)
    assert summary["processed"] == 0 and summary["already"] == summary["read"]
