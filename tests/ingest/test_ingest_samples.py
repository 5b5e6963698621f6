"""The bundled samples: all readable, datelines found, the planted duplicates detected."""

from __future__ import annotations

from collections import Counter

from dragoman import ingest
from dragoman.ingest import (
    NearDuplicateIndex,
    ReadIssue,
    parse_dateline,
    read_inputs,
    sample_paths,
)


def test_exports() -> None:
    assert set(ingest.__all__) == {
        "ReadOptions", "ReadIssue", "read_inputs", "normalize_published", "sample_paths",
        "split_dateline", "parse_dateline", "DatelineParts", "content_hash", "article_id",
        "NearDuplicateIndex", "DuplicateMatch", "article_from_record",
    }


def test_samples_read_cleanly() -> None:
    paths = sample_paths()
    assert {p.suffix for p in paths} == {".jsonl", ".csv", ".html", ".txt"}
    issues: list[ReadIssue] = []
    articles = list(read_inputs([str(p) for p in paths], on_error=issues.append))
    assert issues == []
    assert len(articles) >= 22
    assert len({a.id for a in articles}) == len(articles)
    kinds = Counter(a.origin.rsplit(".", 1)[-1].split(":")[0] for a in articles if a.origin)
    assert kinds["jsonl"] >= 14 and kinds["csv"] >= 3 and kinds["html"] >= 2 and kinds["txt"] >= 1
    for a in articles:
        if not (a.origin or "").endswith(".txt"):
            assert a.published is not None and a.title, a.id


def test_every_sample_has_a_dateline_with_a_place() -> None:
    for a in read_inputs([str(p) for p in sample_paths()]):
        parts = parse_dateline(a.text)
        assert parts.place is not None, a.id
        assert parts.body.text.strip() and parts.body.start > 0


def test_planted_duplicates_are_found_and_nothing_else() -> None:
    index = NearDuplicateIndex()
    found = {}
    for a in read_inputs([str(p) for p in sample_paths()]):
        match = index.check_and_add(a.id, a.text)
        if match is not None:
            found[a.id] = (match.doc_id, match.kind)
    assert found == {
        "mirror-0302": ("sample-rtrs-0002", "exact"),
        "digest-2023-05-03-17": ("sample-xinhua-0005", "near"),
    }
