"""The CLI through its real entry point (``python -m dragoman``), on real files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLES = [
    {"id": "c1", "published": "2023-05-02", "title": "Talks in Ankara",
     "text": "Turkish President Recep Tayyip Erdogan met Russian President Vladimir Putin in "
             "Ankara on Monday. Erdogan said the two leaders agreed to extend the grain deal."},
    {"id": "c2", "published": "2023-05-03",
     "text": "Israeli aircraft struck targets in the Gaza Strip on Tuesday, the army said, "
             "after rockets were fired at Israeli towns."},
]


def dragoman(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dragoman", *args], check=False, input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    src = root / "in.jsonl"
    src.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    out = dragoman("run", str(src), "--store", str(root / "store"), "--json", "--quiet")
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["processed"] == 2
    return root / "store"


def test_version_and_settings() -> None:
    assert "dragoman" in dragoman("--version").stdout
    out = dragoman("settings")
    assert out.returncode == 0 and "DRAGOMAN_BATCH_SIZE" in out.stdout


def test_events_jsonl_and_csv(store: Path) -> None:
    out = dragoman("events", "--store", str(store), "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert rows and all(r["doc_id"] in {"c1", "c2"} for r in rows)
    assert all({"event_type", "actor", "recipient", "trigger", "sentence"} <= set(r) for r in rows)
    out = dragoman("events", "--store", str(store), "--format", "csv")
    assert out.returncode == 0, out.stderr
    parsed = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(parsed) == len(rows)


def test_bad_filter_is_a_clear_error(store: Path) -> None:
    out = dragoman("events", "--store", str(store), "--since", "not-a-date")
    assert out.returncode != 0
    assert "since" in out.stderr.lower() and "Traceback" not in out.stderr


def test_export_every_table(store: Path, tmp_path: Path) -> None:
    for what in ("events", "quotes", "places", "dates", "documents"):
        out = dragoman("export", "--store", str(store), "--what", what, "--format", "jsonl")
        assert out.returncode == 0, out.stderr
        for line in out.stdout.splitlines():
            json.loads(line)
    target = tmp_path / "events.parquet"
    out = dragoman("export", "--store", str(store), "--what", "events", "--format", "parquet",
                   "-o", str(target))
    assert out.returncode == 0, out.stderr
    import pyarrow.parquet as pq

    assert pq.read_table(target).num_rows >= 1


def test_show_marks_annotations(store: Path) -> None:
    out = dragoman("show", "--store", str(store), "c1")
    assert out.returncode == 0, out.stderr
    assert "]{" in out.stdout and "## annotations" in out.stdout
    missing = dragoman("show", "--store", str(store), "nope")
    assert missing.returncode == 1 and "no document" in missing.stderr


def test_stdin_and_rerun_adds_nothing(store: Path) -> None:
    lines = "\n".join(json.dumps(a) for a in ARTICLES)
    out = dragoman("run", "-", "--store", str(store), "--json", "--quiet", stdin=lines)
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["processed"] == 0 and summary["already"] == 2


def test_nothing_processable_exits_non_zero(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text("{broken\n", encoding="utf-8")
    out = dragoman("run", str(src), "--store", str(tmp_path / "s"), "--quiet")
    assert out.returncode == 1
    assert "bad.jsonl:1" in out.stderr or "nothing" in out.stderr
