"""The runner: counts, duplicates, reruns and bad input, on real files and a real store."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from dragoman import Config
from dragoman.errors import InputError
from dragoman.query import api
from dragoman.runner import run
from dragoman.store import Store

ARTICLES = [
    {"id": "a1", "published": "2024-03-06", "source": "test",
     "text": "Egyptian Foreign Minister Sameh Shoukry met his Jordanian counterpart Ayman "
             "Safadi in Cairo on Tuesday to discuss the crisis in Gaza."},
    {"id": "a2", "published": "2024-03-07", "source": "test",
     "text": "Police arrested dozens of protesters in Istanbul on Wednesday after they "
             "marched toward the main square, the governor's office said."},
    {"id": "a3", "published": "2024-03-08", "source": "test",
     "text": "The United Nations called on both sides to allow humanitarian aid into the "
             "besieged city, warning that food supplies were running out."},
]


def write_jsonl(path: Path, rows: list[dict], extra_lines: list[str] = ()) -> Path:  # type: ignore[assignment]
    lines = [json.dumps(r) for r in rows] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def table_sizes(store: Path) -> dict[str, int]:
    s = Store.open(store)
    con = s.connect()
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "events", "quotes", "places", "dates")}


def test_run_counts_duplicates_and_bad_lines(tmp_path: Path) -> None:
    dup = dict(ARTICLES[0], id="copy-of-a1")
    src = write_jsonl(tmp_path / "in.jsonl", [*ARTICLES, dup],
                      extra_lines=["{not json", json.dumps({"id": "empty", "text": "  "})])
    issues: list[str] = []
    summary = run([str(src)], tmp_path / "store", Config(), on_issue=issues.append)
    assert summary.processed == 3
    assert summary.duplicates == 1
    assert summary.skipped == 2
    assert any("in.jsonl:5" in i for i in issues), issues
    docs = {d["doc_id"]: d for d in api.iter_table(Store.open(tmp_path / "store"), "documents")}
    assert set(docs) == {"a1", "a2", "a3", "copy-of-a1"}
    assert docs["copy-of-a1"]["duplicate_of"] == "a1"
    assert docs["a2"]["duplicate_of"] is None


def test_rerun_adds_nothing(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", ARTICLES)
    store = tmp_path / "store"
    first = run([str(src)], store, Config())
    before = table_sizes(store)
    second = run([str(src)], store, Config())
    assert first.processed == 3 and second.processed == 0 and second.already == 3
    assert table_sizes(store) == before
    assert before["documents"] == 3


def test_csv_without_text_column_fails_before_work(tmp_path: Path) -> None:
    src = tmp_path / "wire.csv"
    src.write_text("id,body\n1,Some article text that is long enough.\n", encoding="utf-8")
    with pytest.raises(InputError, match="text"):
        run([str(src)], tmp_path / "store", Config())


def test_split_parts_are_contiguous_and_bounded() -> None:
    from dragoman.pipeline import split_parts

    text = ("First paragraph sentence one. Sentence two.\n\n" * 40) + ("x" * 500)
    parts = split_parts(text, 0, len(text), 300)
    assert parts[0][0] == 0 and parts[-1][1] == len(text)
    assert all(a == b for (_, a), (b, _) in itertools.pairwise(parts))
    assert all(e - s <= 300 for s, e in parts)
    # cuts fall after paragraph breaks when there is one in the window
    assert all(text[e - 2:e] == "\n\n" for _, e in parts[:3])
    assert split_parts(text, 5, 50, 300) == [(5, 50)]


def test_article_over_max_article_chars_is_skipped_with_message(tmp_path: Path) -> None:
    big = {"id": "big", "text": "Troops shelled the town. " * 400}
    src = write_jsonl(tmp_path / "in.jsonl", [big, ARTICLES[1]])
    issues: list[str] = []
    summary = run([str(src)], tmp_path / "store", Config(max_article_chars=5000),
                  on_issue=issues.append)
    assert summary.processed == 1 and summary.skipped == 1
    assert any("'big'" in i and "max_article_chars" in i for i in issues), issues


def test_worker_pool_with_interleaved_duplicates_writes_each_document_once(
        tmp_path: Path) -> None:
    """With a pool, duplicates are recorded by the thread feeding the workers while results
    arrive on the main thread; small segments make both flush often. Every input document
    must be stored exactly once (a race once committed whole segments twice)."""
    rows = []
    filler = " The statement gave no further details." * 40  # fills the pool's task pipe
    for i in range(240):
        base = ARTICLES[i % 3]
        if i % 2:
            rows.append(dict(rows[-1], id=f"copy-{i}"))  # the same text: an exact duplicate
        else:
            rows.append(dict(base, id=f"orig-{i}",
                             text=f"{base['text']} Report number {i}.{filler}"))
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    summary = run([str(src)], tmp_path / "store",
                  Config(workers=2, segment_size=3, batch_size=2))
    assert summary.processed + summary.duplicates == 240
    ids = [r["doc_id"] for r in api.iter_table(Store.open(tmp_path / "store"), "documents")]
    assert len(ids) == 240
    assert sorted(set(ids)) == sorted(r["id"] for r in rows)
