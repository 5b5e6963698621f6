"""Readers never raise on arbitrary bytes: they yield articles or report issues."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dragoman.errors import InputError
from dragoman.ingest import ReadIssue, read_inputs, split_dateline

# bytes that look a little like the formats, mixed with noise
_PIECES = st.sampled_from(
    [b"{", b"}", b'"text"', b'"id"', b":", b",", b"\n", b"\r\n", b'"', b"\\u", b"\\ud800",
     b"\xff", b"\xe9", b"\xef\xbb\xbf", b"<html>", b"<p>", b"</p>", b"<meta ", b"id,text\n",
     b"BEIRUT (AP) \xe2\x80\x94 ", b"Moscow, SANA-", b"\x00", b"   ", b"[1]", b"null",
     b"The army said it advanced towards the town on Tuesday."]
)
_CONTENT = st.one_of(
    st.binary(max_size=400),
    st.lists(_PIECES, max_size=40).map(b"".join),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=_CONTENT, ext=st.sampled_from(["jsonl", "txt", "csv", "html", "tsv"]))
def test_readers_never_raise_on_random_bytes(content: bytes, ext: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input.{ext}"
        path.write_bytes(content)
        issues: list[ReadIssue] = []
        try:
            articles = list(read_inputs([str(path)], on_error=issues.append))
        except InputError:  # the only allowed failure: a CSV header without 'text'
            assert ext in ("csv", "tsv")
            return
        for a in articles:
            assert isinstance(a.text, str) and a.text.strip()
            a.text.encode("utf-8")  # always encodable (no lone surrogates)
            assert "\r" not in a.text
        for issue in issues:
            assert isinstance(issue, ReadIssue) and issue.origin.startswith(str(path))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_split_dateline_spans_always_index_the_text(text: str) -> None:
    d = split_dateline(text)
    for span in (d.body, d.place, d.agency, d.date, d.byline):
        if span is not None:
            assert 0 <= span.start <= span.end <= len(text)
            assert text[span.start:span.end] == span.text
