"""Bad input at scale: every case ends with a report, the rest is processed, nothing crashes.

- hypothesis feeds ``dragoman.runner.run`` (the real pipeline and store) folders holding good
  articles plus hostile files: random bytes, invalid UTF-8, NUL bytes, zero-width and
  right-to-left text, lone surrogate escapes, malformed HTML, in every input format;
- targeted cases: a 5 MB single line in each format, 10,000 nested ``<div>``s, an article
  longer than ``max_chars`` (processed in parts with a warning), a 50 MB article (bounded
  memory and time, measured in a child process);
- a folder of 10,000 small files with some unreadable (broken symlinks, directories named
  ``x.txt``, invalid UTF-8, empty files) through ``read_inputs`` with exact counts, and a
  folder of ~200 such files through the ``dragoman run`` command.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_corpus import REPO, child_env, dragoman_cmd, make_corpus, run_cli, write_jsonl

from dragoman import Config
from dragoman.ingest import ReadIssue, read_inputs
from dragoman.runner import run
from dragoman.store import Store, check_store

pytestmark = pytest.mark.slow  # the real model over many small runs; still run by default

# ------------------------------------------------------------------------- strategies

HOSTILE_TEXT = [
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u202a", "\u202b",
    "\u202e", "\u2066", "\u2069", "\x00", "\x00\x00\x00", "\u0301", "\u0000Moscow",
    "قال وزير الخارجية السوري إن ", "שר החוץ אמר ", "\u202eTASS\u202c", "Ла\u0301вров ",
    "\ud7ff", "\U0001f4a5", "\t", "\n\n", "\r", " ", "Lavrov\u200bsaid ", "Da\u200dmascus",
]
SENTENCES = [
    "Russian Foreign Minister Sergey Lavrov met his Turkish counterpart in Moscow on Tuesday.",
    "Rebels shelled villages near Aleppo, killing four civilians, residents said.",
    "The United Nations called on both sides to respect the ceasefire.",
    "Protesters gathered in Cairo on Friday to demand the release of prisoners.",
]
BAD_BYTES = [b"\xff", b"\xfe", b"\xc3", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
             b"\x80\x80", b"\x00", b"\xef\xbb\xbf"]
HTML_BITS = [b"<div>", b"</div>", b"<p>", b"</p", b"<script>alert(1)</script>", b"<!--",
             b"-->", b"<![CDATA[", b"<table><tr><td>", b"&#0;", b"&#xD800;", b"&amp",
             b"<meta charset=\"x-unknown\">", b"<title>", b"<br/>", b"<html><body>"]


@st.composite
def hostile_text(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(st.sampled_from(HOSTILE_TEXT), st.sampled_from(SENTENCES),
                                    st.text(max_size=20)), min_size=1, max_size=12))
    return "".join(parts)


@st.composite
def hostile_bytes(draw: st.DrawFn) -> bytes:
    text = draw(hostile_text())
    raw = text.encode("utf-8", "surrogatepass")
    cuts = sorted(draw(st.lists(st.integers(0, len(raw)), max_size=4)))
    out, last = [], 0
    for c in cuts:
        out += [raw[last:c], draw(st.sampled_from(BAD_BYTES))]
        last = c
    out.append(raw[last:])
    return b"".join(out)


@st.composite
def hostile_file(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["random", "txt", "jsonl", "jsonl-raw", "csv", "html"]))
    if kind == "random":  # (random bytes as CSV: see test_csv_without_text_column_in_a_folder)
        return draw(st.sampled_from(["txt", "jsonl", "html"])), draw(st.binary(max_size=600))
    body = draw(hostile_bytes())
    if kind == "txt":
        return "txt", body
    if kind == "jsonl":
        text = draw(hostile_text())
        line = json.dumps({"id": draw(st.text(max_size=8)), "text": text})
        return "jsonl", line.encode("utf-8", "surrogatepass") + b"\n" + body + b"\n"
    if kind == "jsonl-raw":  # invalid UTF-8 inside a JSON string
        return "jsonl", b'{"text": "' + body.replace(b'"', b"").replace(b"\\", b"") + b'"}\n'
    if kind == "csv":
        cell = body.replace(b'"', b'""')
        return "csv", b'id,text\nx1,"' + cell + b'"\n' + body + b"\n"
    bits = draw(st.lists(st.sampled_from(HTML_BITS), max_size=20))
    return "html", b"".join(bits[: len(bits) // 2]) + body + b"".join(bits[len(bits) // 2:])


GOOD = [{"id": f"good-{i}", "text": t["text"], "published": t["published"]}
        for i, t in enumerate(make_corpus(3, seed=99))]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=st.lists(hostile_file(), min_size=1, max_size=4))
def test_run_survives_hostile_files_and_processes_the_rest(
    files: list[tuple[str, bytes]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        write_jsonl(folder / "a-good.jsonl", GOOD)
        for i, (ext, content) in enumerate(files):
            (folder / f"b-hostile-{i}.{ext}").write_bytes(content)
        issues: list[str] = []
        summary = run([str(folder)], Path(tmp) / "store", Config(batch_size=8),
                      on_issue=issues.append)
        # the good articles are always processed, whatever came with them
        store = Store.open(Path(tmp) / "store")
        docs = {r[0] for r in store.connect().execute("SELECT doc_id FROM documents").fetchall()}
        assert {g["id"] for g in GOOD} <= docs
        assert summary.read == len(docs) + summary.already
        assert summary.processed + summary.duplicates == len(docs)
        assert len(summary.issues) == len(issues) >= summary.skipped
        assert all(str(folder) in i or "empty article" in i for i in issues), issues
        assert [p for p in check_store(store) if p.severity == "error"] == []


def test_csv_without_text_column_in_a_folder_is_reported_and_the_rest_processed(
    tmp_path: Path,
) -> None:
    """One broken CSV among many files (here its header is a NUL byte, as hypothesis found)
    must not stop the run: it is reported as skipped, naming the file and its columns, and
    every other file is processed. (An explicit CSV argument without the column may still
    stop the run at once: that is a wrong ``--text-column``, not a broken file.)"""
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(folder / "a-good.jsonl", GOOD)
    (folder / "b-broken.csv").write_bytes(b"\x00\n\x00,\x01\n")
    (folder / "c-other.csv").write_text("headline,body\nx,y\n", encoding="utf-8")
    issues: list[str] = []
    summary = run([str(folder)], tmp_path / "store", Config(batch_size=8),
                  on_issue=issues.append)
    assert summary.processed == len(GOOD)
    assert summary.skipped == 2
    assert any("b-broken.csv" in i and "text" in i for i in issues), issues
    assert any("c-other.csv" in i and "'headline'" in i for i in issues), issues


# --------------------------------------------------------------------- targeted cases

FIVE_MB = 5 * 1024 * 1024


def _long_text(n: int, seed: int = 4) -> str:
    """``n`` characters of distinct news sentences (no repetition: every shingle new)."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < n:
        for a in make_corpus(2000, seed=rng.randrange(10**9)):
            parts.append(a["text"])
            size += len(a["text"]) + 2
    return "\n\n".join(parts)[:n]


@pytest.mark.parametrize("fmt", ["txt", "jsonl", "csv"])
def test_five_megabyte_single_line_is_read_whole(tmp_path: Path, fmt: str) -> None:
    text = _long_text(FIVE_MB).replace("\n", " ")
    path = tmp_path / f"big.{fmt}"
    if fmt == "txt":
        path.write_text(text, encoding="utf-8")
    elif fmt == "jsonl":
        path.write_text(json.dumps({"id": "big", "text": text}) + "\n", encoding="utf-8")
    else:
        cell = text.replace(",", ";").replace('"', "'")
        path.write_text("id,text\nbig," + cell + "\n", encoding="utf-8")
    after = tmp_path / f"z-after.{fmt}"
    write_after = {"txt": GOOD[0]["text"],
                   "jsonl": json.dumps(GOOD[0]) + "\n",
                   "csv": "id,text\n" + GOOD[0]["id"] + ","
                   + GOOD[0]["text"].replace(",", ";").replace('"', "'")}
    after.write_text(write_after[fmt], encoding="utf-8")
    issues: list[ReadIssue] = []
    articles = list(read_inputs([str(path), str(after)], on_error=issues.append))
    assert issues == []
    assert len(articles) == 2
    assert len(articles[0].text) == FIVE_MB


def test_ten_thousand_nested_divs(tmp_path: Path) -> None:
    deep = tmp_path / "a-deep.html"
    deep.write_text("<html><body>" + "<div>" * 10_000 + "<p>" + SENTENCES[0] + " " +
                    SENTENCES[1] + "</p>" + "</div>" * 9_000 + "<span><b><i>", encoding="utf-8")
    write_jsonl(tmp_path / "b-good.jsonl", GOOD)
    issues: list[str] = []
    summary = run([str(tmp_path)], tmp_path / "store", Config(batch_size=8),
                  on_issue=issues.append)
    assert summary.processed >= len(GOOD)
    # the deep page is either read (its text extracted) or reported, never a crash
    assert summary.read == len(GOOD) + 1 or any(str(deep) in i for i in issues), issues


def test_article_longer_than_max_chars_is_processed_in_parts(tmp_path: Path) -> None:
    """``Config.max_chars``: "Articles longer than this are split into parts (with a warning)".

    A 12,000-character article with ``max_chars=3000``: a warning names the article and the
    split, and events are found in every part (offsets into the whole text stay exact).
    """
    text = _long_text(12_000, seed=8)
    write_jsonl(tmp_path / "long.jsonl", [{"id": "long-1", "text": text}, GOOD[0]])
    issues: list[str] = []
    summary = run([str(tmp_path / "long.jsonl")], tmp_path / "store",
                  Config(max_chars=3000, batch_size=8), on_issue=issues.append)
    assert summary.processed == 2
    from dragoman.query import api

    data = api.get_document(Store.open(tmp_path / "store"), "long-1")
    assert data is not None
    starts = [e["sentence"]["start"] for e in data["events"]]
    for e in data["events"]:
        s = e["sentence"]
        assert text[s["start"]:s["end"]] == s["text"]
    assert max(starts) > 9000, "no events found past the first part"
    assert any("long-1" in i or "long.jsonl:1" in i for i in issues), (
        f"no warning about splitting the article: {issues}")


# ------------------------------------------------------------------ the 50 MB article

_PEAK = """
import json, resource, subprocess, sys
limit = int(sys.argv[1])
def cap():
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
try:
    p = subprocess.run(sys.argv[2:], capture_output=True, text=True, preexec_fn=cap,
                       timeout=400)
    rc, out, err = p.returncode, p.stdout, p.stderr
except subprocess.TimeoutExpired as e:
    rc, out, err = "timeout", "", str(e)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "peak_mb": r.ru_maxrss / 1024, "stdout": out,
                  "stderr": err[-4000:]}))
"""
#: address-space cap of the child: a runaway run fails inside it instead of eating the machine
AS_LIMIT = 3 * 1024**3


def _peak_run(args: list[str]) -> dict[str, Any]:
    """Run ``dragoman ARGS`` in a grandchild capped at AS_LIMIT; its peak RSS in MB."""
    proc = subprocess.run([sys.executable, "-c", _PEAK, str(AS_LIMIT), *dragoman_cmd(*args)],
                          capture_output=True, text=True, timeout=600, env=child_env(),
                          cwd=REPO, check=True)
    return json.loads(proc.stdout)


def test_fifty_megabyte_article_bounded_memory_and_no_crash(tmp_path: Path) -> None:
    """A 50 MB article among normal ones: the run completes, the normal articles are
    processed, the big one is processed in parts or skipped/truncated with a message naming
    it, and peak RSS stays below the small run's peak + 1 GB (= 20x the article: the raw
    line, the decoded string, the JSON value, the document record and its Arrow/Parquet
    buffers are ~6 copies; parsing in ``max_chars`` parts adds a constant). The child runs
    under a 3 GB address-space cap so a regression fails here instead of swapping."""
    small = write_jsonl(tmp_path / "small.jsonl", GOOD)
    big_text = _long_text(50 * 1024 * 1024, seed=1)
    big = write_jsonl(tmp_path / "big.jsonl", [GOOD[0], {"id": "huge", "text": big_text},
                                               GOOD[1], GOOD[2]])
    del big_text
    base = _peak_run(["run", str(small), "--store", str(tmp_path / "s0"), "--json"])
    assert base["rc"] == 0, base["stderr"]
    got = _peak_run(["run", str(big), "--store", str(tmp_path / "s1"), "--json"])
    report = (f"rc={got['rc']} peak={got['peak_mb']:.0f} MB (small run "
              f"{base['peak_mb']:.0f} MB)\n{got['stderr'][-1500:]}")
    assert got["rc"] == 0, report
    summary = json.loads(got["stdout"].strip().splitlines()[-1])
    assert summary["processed"] >= 3, report
    assert "huge" in got["stderr"] or f"{big}:2" in got["stderr"], report
    assert got["peak_mb"] < base["peak_mb"] + 1024, report
    docs = {r["doc_id"] for r in map(json.loads, run_cli(
        "export", "--store", str(tmp_path / "s1"), "--what", "documents").stdout.splitlines())}
    assert {g["id"] for g in GOOD} <= docs


# ------------------------------------------------------------------ folders of files

def _make_folder(root: Path, n_good: int, n_bad_each: int) -> dict[str, int]:
    """``n_good`` article files plus ``n_bad_each`` of every kind of bad entry."""
    root.mkdir()
    texts = [a["text"] for a in make_corpus(n_good + n_bad_each * 3, seed=17)]
    for i in range(n_good):
        sub = root / f"d{i % 20:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"a{i:05d}.txt").write_text(texts[i], encoding="utf-8")
    bad = root / "bad"
    bad.mkdir()
    for i in range(n_bad_each):
        os.symlink(root / f"missing-{i}.txt", bad / f"broken-{i}.txt")
        d = bad / f"folder-{i}.txt"  # a directory with a file name: walked into, not read
        d.mkdir()
        if i % 2 == 0:
            (d / "inner.txt").write_text(texts[n_good + i], encoding="utf-8")
        raw = texts[n_good + n_bad_each + i].encode("utf-8")
        (bad / f"latin-{i}.txt").write_bytes(raw[:20] + b"\xff\xfe\xe9" + raw[20:])
        (bad / f"empty-{i}.txt").write_bytes(b"")
        (bad / f"blank-{i}.txt").write_bytes(b" \n\t\x0c\n")
        nul = texts[n_good + 2 * n_bad_each + i].replace(" ", " \x00", 3)
        (bad / f"nul-{i}.txt").write_text(nul, encoding="utf-8")
    inner = (n_bad_each + 1) // 2
    return {
        # good + files inside the x.txt folders + invalid UTF-8 ones + ones with NUL bytes
        "articles": n_good + inner + 2 * n_bad_each,
        "unreadable": n_bad_each,  # broken symlinks
        "utf8_warnings": n_bad_each,
        "empty": 2 * n_bad_each,  # empty files, whitespace-only files
    }


def test_ten_thousand_files_exact_counts(tmp_path: Path) -> None:
    want = _make_folder(tmp_path / "in", n_good=9_880, n_bad_each=20)
    issues: list[ReadIssue] = []
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    n = 0
    for _ in read_inputs([str(tmp_path / "in")], on_error=issues.append):
        n += 1
    grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert n == want["articles"] == 9_880 + 10 + 20 + 20
    broken = [i for i in issues if "broken-" in i.origin]
    latin = [i for i in issues if "latin-" in i.origin]
    empty = [i for i in issues if "empty article" in i.message]
    assert len(broken) == want["unreadable"] and all(i.skipped for i in broken)
    assert all("cannot read file" in i.message for i in broken)
    assert len(latin) == want["utf8_warnings"] and not any(i.skipped for i in latin)
    assert len(empty) == want["empty"] and all(i.skipped for i in empty)
    assert len(issues) == len(broken) + len(latin) + len(empty)
    assert grew_mb < 200, f"reading 10,000 files grew the process by {grew_mb:.0f} MB"


def test_two_hundred_files_through_the_cli(tmp_path: Path) -> None:
    want = _make_folder(tmp_path / "in", n_good=170, n_bad_each=5)
    proc = run_cli("run", str(tmp_path / "in"), "--store", str(tmp_path / "store"), "--json",
                   "--batch-size", "16")
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary["read"] == want["articles"]
    assert summary["processed"] + summary["duplicates"] == want["articles"]
    assert summary["skipped"] == want["unreadable"] + want["empty"]
    assert summary["issues"] == want["unreadable"] + want["empty"] + want["utf8_warnings"]
    for name in ("broken-0.txt", "empty-0.txt", "latin-0.txt"):
        assert name in proc.stderr, f"{name} not reported:\n{proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr
    strict = subprocess.run(dragoman_cmd("run", str(tmp_path / "in"), "--store",
                                         str(tmp_path / "store"), "--quiet", "--strict"),
                            capture_output=True, text=True, env=child_env(), check=False)
    assert strict.returncode == 1 and "skipped (--strict)" in strict.stderr
