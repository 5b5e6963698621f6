"""Readers: every input kind, bad inputs reported (never fatal), the two things that raise."""

from __future__ import annotations

import gzip
import io
import json
import logging
import sys
from pathlib import Path

import pytest

from dragoman.errors import InputError, RecordError
from dragoman.ingest import (
    ReadIssue,
    ReadOptions,
    article_from_record,
    article_id,
    normalize_published,
    read_inputs,
)
from dragoman.types import Article

LONG = "Government forces shelled villages in the south on Thursday, residents said."
LONG2 = "Thousands of protesters rallied in the capital on Friday to demand jobs."


DEFAULT = ReadOptions()


def read(
    paths: list[Path | str], options: ReadOptions = DEFAULT
) -> tuple[list[Article], list[ReadIssue]]:
    issues: list[ReadIssue] = []
    articles = list(read_inputs([str(p) for p in paths], options, on_error=issues.append))
    return articles, issues


def write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


# --------------------------------------------------------------------------- jsonl


def test_jsonl_fields_meta_and_origin(tmp_path: Path) -> None:
    p = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"id": "d1", "text": LONG, "title": " Shelling ", "published": "2021-03-04T10:00:00Z",
             "source": "Reuters", "url": "https://example.org/x", "lang": "en", "tags": ["a"]},
            {"id": 7, "text": LONG2},
        ],
    )
    (a, b), issues = read([p])
    assert issues == []
    assert a == Article(
        id="d1", text=LONG, title="Shelling", published="2021-03-04", source="Reuters",
        url="https://example.org/x", meta={"lang": "en", "tags": ["a"]}, origin=f"{p}:1",
    )
    assert b.id == "7" and b.origin == f"{p}:2" and b.title is None and b.meta == {}


def test_jsonl_without_id_gets_content_hash_id(tmp_path: Path) -> None:
    p = write_jsonl(tmp_path / "a.jsonl", [{"text": LONG}, {"id": "", "text": LONG2}])
    (a, b), _ = read([p])
    assert a.id == article_id(LONG) and a.id.startswith("doc-") and len(a.id) == 20
    assert b.id == article_id(LONG2) != a.id


def test_jsonl_malformed_line_reported_with_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text(
        json.dumps({"id": "ok1", "text": LONG}) + "\n{not json\n\n[1, 2]\n"
        + json.dumps({"id": "ok2", "text": LONG2}) + "\n",
        encoding="utf-8",
    )
    articles, issues = read([p])
    assert [a.id for a in articles] == ["ok1", "ok2"]
    assert [i.origin for i in issues] == [f"{p}:2", f"{p}:4"]
    assert all(i.skipped for i in issues)
    assert "malformed JSON" in issues[0].message
    assert "expected a JSON object" in issues[1].message
    err = issues[0].to_error()
    assert isinstance(err, RecordError) and str(err).startswith(f"{p}:2: malformed JSON")


def test_records_without_text_or_empty_are_skipped(tmp_path: Path) -> None:
    p = write_jsonl(
        tmp_path / "a.jsonl",
        [{"id": "no-text", "body": LONG}, {"id": "null", "text": None},
         {"id": "num", "text": 12345}, {"id": "empty", "text": "   \n  "},
         {"id": "short", "text": "Too short."}, {"id": "good", "text": LONG}],
    )
    articles, issues = read([p])
    assert [a.id for a in articles] == ["good"]
    assert [i.origin.rsplit(":", 1)[1] for i in issues] == ["1", "2", "3", "4", "5"]
    assert all(i.skipped for i in issues)
    assert "no 'text' field" in issues[0].message and "'body'" in issues[0].message
    assert "not a string" in issues[2].message
    assert "empty article" in issues[3].message and "empty article" in issues[4].message


def test_min_chars_option(tmp_path: Path) -> None:
    p = write_jsonl(tmp_path / "a.jsonl", [{"id": "s", "text": "Short one."}])
    assert read([p])[0] == []
    articles, issues = read([p], ReadOptions(min_chars=3))
    assert [a.id for a in articles] == ["s"] and issues == []


def test_invalid_utf8_is_replaced_and_reported_not_skipped(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl"
    p.write_bytes(b'{"id": "u", "text": "Caf\xe9 owners protested in the capital on Tuesday."}\n')
    (a,), (issue,) = read([p])
    assert a.text.startswith("Caf\ufffd owners")
    assert issue == ReadIssue(f"{p}:1", "invalid UTF-8 replaced with U+FFFD", skipped=False)


def test_lone_surrogate_escape_is_replaced(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl"
    p.write_text('{"id": "s", "text": "Protesters \\ud800 rallied in the capital today."}\n')
    (a,), (issue,) = read([p])
    assert "\ufffd" in a.text and not issue.skipped
    a.text.encode("utf-8")  # must not raise


def test_crlf_normalised_and_bom_stripped(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl"
    rec = {"id": "c", "text": "First line of the article.\r\nSecond line.\rThird."}
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps(rec).encode() + b"\r\n")
    (a,), issues = read([p])
    assert issues == [] and a.text == "First line of the article.\nSecond line.\nThird."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2017-04-12", "2017-04-12"),
        ("2017-04-12T23:30:00-05:00", "2017-04-12"),
        ("2017-04-12 08:00", "2017-04-12"),
        ("2017/4/2", "2017-04-02"),
        ("20170412", "2017-04-12"),
        ("Wed, 12 Apr 2017 09:30:00 GMT", "2017-04-12"),
        ("2017-13-45", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (20170412, None),
    ],
)
def test_normalize_published(raw: object, expected: str | None) -> None:
    assert normalize_published(raw) == expected


def test_invalid_published_logged_and_kept_in_meta(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    p = write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "text": LONG, "published": "sometime"}])
    with caplog.at_level(logging.WARNING, logger="dragoman.ingest.readers"):
        (a,), issues = read([p])
    assert a.published is None and a.meta == {"published_raw": "sometime"} and issues == []
    assert "sometime" in caplog.text and f"{p}:1" in caplog.text


def test_issues_are_logged_when_no_callback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    p = tmp_path / "a.jsonl"
    p.write_text("{oops\n" + json.dumps({"id": "k", "text": LONG}) + "\n")
    with caplog.at_level(logging.WARNING, logger="dragoman.ingest.readers"):
        articles = list(read_inputs([str(p)]))
    assert [a.id for a in articles] == ["k"]
    assert f"{p}:1: malformed JSON" in caplog.text


def test_jsonl_column_mapping(tmp_path: Path) -> None:
    p = write_jsonl(
        tmp_path / "a.jsonl", [{"doc": "m1", "body": LONG, "headline": "H", "date": "2020-01-02"}]
    )
    opts = ReadOptions(text_column="body", id_column="doc", title_column="headline",
                       published_column="date")
    (a,), issues = read([p], opts)
    assert (a.id, a.title, a.published, a.meta) == ("m1", "H", "2020-01-02", {})
    assert issues == []


# --------------------------------------------------------------------------- csv


def test_csv_columns_multiline_and_origin_line(tmp_path: Path) -> None:
    p = tmp_path / "w.csv"
    p.write_text(
        'id,title,published,source,url,text,desk\n'
        f'c1,Title one,2023-02-08,Reuters,https://e.org/1,"{LONG}\r\nSecond paragraph.",world\n'
        f'c2,,not a date,,,{LONG2},\n',
        encoding="utf-8",
    )
    (a, b), issues = read([p])
    assert issues == []
    assert a.id == "c1" and a.text == LONG + "\nSecond paragraph." and a.origin == f"{p}:2"
    assert a.meta == {"desk": "world"} and a.published == "2023-02-08" and a.source == "Reuters"
    assert b.origin == f"{p}:4" and b.title is None and b.published is None
    assert b.meta == {"desk": None, "published_raw": "not a date"}


def test_csv_mapped_columns_and_tsv(tmp_path: Path) -> None:
    p = tmp_path / "w.tsv"
    p.write_text(f"story_id\tbody\theadline\n9\t{LONG}\tH\n", encoding="utf-8")
    opts = ReadOptions(text_column="body", id_column="story_id", title_column="headline")
    (a,), issues = read([p], opts)
    assert (a.id, a.text, a.title) == ("9", LONG, "H") and issues == []


def test_csv_without_text_column_raises_before_any_work(tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "text": LONG}])
    bad = tmp_path / "b.csv"
    bad.write_text(f"id,body,headline\n1,{LONG},H\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_inputs([str(good), str(bad)])  # raises at the call, not at iteration
    msg = str(info.value)
    assert str(bad) in msg and "'text'" in msg and "'id', 'body', 'headline'" in msg


def test_csv_empty_text_row_and_invalid_utf8(tmp_path: Path) -> None:
    p = tmp_path / "w.csv"
    p.write_bytes(
        b"id,text\n"
        b"e1,\n"
        b'u1,"Caf\xe9 owners protested\nin the capital on Tuesday."\n'
        + f"ok,{LONG}\n".encode()
    )
    articles, issues = read([p])
    assert [a.id for a in articles] == ["u1", "ok"]
    assert issues[0].origin == f"{p}:2" and issues[0].skipped
    assert issues[1] == ReadIssue(f"{p}:3", "invalid UTF-8 replaced with U+FFFD", False)
    assert articles[1].origin == f"{p}:5"


def test_gzip_inputs(tmp_path: Path) -> None:
    j = tmp_path / "a.jsonl.gz"
    with gzip.open(j, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "g1", "text": LONG}) + "\n")
    c = tmp_path / "b.csv.gz"
    with gzip.open(c, "wt", encoding="utf-8") as fh:
        fh.write(f"id,text\ng2,{LONG2}\n")
    articles, issues = read([j, c])
    assert [a.id for a in articles] == ["g1", "g2"] and issues == []


def test_corrupt_gzip_is_reported(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl.gz"
    p.write_bytes(b"\x1f\x8b\x08\x00garbage-not-deflate")
    articles, (issue,) = read([p])
    assert articles == [] and issue.skipped and "gzip" in issue.message


# --------------------------------------------------------------------------- txt / html


def test_txt_one_article_hash_id(tmp_path: Path) -> None:
    p = tmp_path / "story.txt"
    p.write_bytes(b"\xef\xbb\xbf" + (LONG + "\r\n\r\n" + LONG2 + "\n").encode())
    (a,), issues = read([p])
    assert issues == [] and a.origin == str(p) and a.title is None
    assert a.text == LONG + "\n\n" + LONG2 + "\n"
    assert a.id == article_id(a.text)
    (b,), _ = read([p], ReadOptions(id_from_filename=True, source="Desk"))
    assert b.id == "story" and b.source == "Desk"


def test_txt_empty_and_invalid_utf8(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n ")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Protesters in Bogotá marched to the presidential palace.".encode("latin-1"))
    articles, issues = read([empty, latin])
    assert [a.origin for a in articles] == [str(latin)]
    assert "\ufffd" in articles[0].text
    assert issues[0].origin == str(empty) and issues[0].skipped
    assert issues[1] == ReadIssue(str(latin), "invalid UTF-8 replaced with U+FFFD", False)


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Militias clash in Tripoli | The Example Times</title>
<meta property="og:title" content="Militias clash in Tripoli">
<meta property="og:site_name" content="The Example Times">
<meta property="article:published_time" content="2023-08-15T09:40:00+00:00">
<link rel="canonical" href="https://news.example.com/2023/08/15/tripoli"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a>
<a href="/subscribe">Subscribe today for full access</a></nav></header>
<main><article><h1>Militias clash in Tripoli</h1>
<p>TRIPOLI, Libya (AP) — Fighting between two militias in the Libyan capital killed at least
27 people overnight, the health ministry said Wednesday, in the worst violence in a year.</p>
<p>The clashes erupted after one group detained a commander of the other at Mitiga airport,
residents said. Flights were diverted to Misrata while the fighting went on.</p>
<p>The U.N. mission called on all sides to preserve the calm and protect civilians.</p>
</article></main>
<footer><p>Copyright 2023 The Example Times. All rights reserved. Privacy policy. Cookie
settings. Terms of service.</p></footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(PAGE, encoding="utf-8")
    (a,), issues = read([p])
    assert issues == []
    assert a.text.startswith("TRIPOLI, Libya (AP) — Fighting")
    assert "protect civilians" in a.text
    for boilerplate in ("Subscribe", "Copyright", "Sport", "Militias clash in Tripoli\n"):
        assert boilerplate not in a.text
    assert a.title == "Militias clash in Tripoli"
    assert a.published == "2023-08-15"
    assert a.url == "https://news.example.com/2023/08/15/tripoli"
    assert a.source == "The Example Times"
    assert a.origin == str(p)


def test_html_without_main_text_is_reported(tmp_path: Path) -> None:
    p = tmp_path / "empty.htm"
    p.write_text("<html><head><title>x</title></head><body><nav>Home</nav></body></html>")
    articles, (issue,) = read([p])
    assert articles == [] and issue.origin == str(p) and issue.skipped


# --------------------------------------------------------------------------- folders / paths


def test_folder_recursive_sorted_known_extensions_only(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "z.txt").write_text(LONG + " z")
    (root / "a.txt").write_text(LONG + " a")
    write_jsonl(root / "b" / "m.jsonl", [{"id": "m1", "text": LONG}, {"id": "m2", "text": LONG2}])
    (root / "b" / "deep" / "c.txt").write_text(LONG + " c")
    (root / "b" / "notes.md").write_text(LONG)
    (root / "b" / "image.png").write_bytes(b"\x89PNG\r\n")
    (root / ".hidden" / "h.txt").write_text(LONG + " h")
    (root / ".dot.txt").write_text(LONG + " dot")
    articles, issues = read([root])
    assert issues == []
    assert [a.origin for a in articles] == [
        str(root / "a.txt"),
        f"{root / 'b' / 'deep' / 'c.txt'}",
        f"{root / 'b' / 'm.jsonl'}:1",
        f"{root / 'b' / 'm.jsonl'}:2",
        str(root / "z.txt"),
    ]


def test_unreadable_file_in_folder_is_reported_and_rest_read(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.jsonl").symlink_to(tmp_path / "does-not-exist.jsonl")  # broken symlink
    (root / "b.txt").write_text(LONG)
    articles, (issue,) = read([root])
    assert [a.origin for a in articles] == [str(root / "b.txt")]
    assert issue.origin == str(root / "a.jsonl") and issue.skipped
    assert "cannot read file" in issue.message


def test_directory_named_like_a_file_is_read_as_folder(tmp_path: Path) -> None:
    d = tmp_path / "odd.jsonl"
    d.mkdir()
    (d / "x.txt").write_text(LONG)
    articles, issues = read([d])
    assert [a.origin for a in articles] == [str(d / "x.txt")] and issues == []


def test_empty_folder_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "e").mkdir()
    articles, (issue,) = read([tmp_path / "e"])
    assert articles == [] and not issue.skipped and "no file" in issue.message


def test_missing_path_raises_immediately(tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "text": LONG}])
    with pytest.raises(InputError, match="input not found: .*nope.jsonl"):
        read_inputs([str(good), str(tmp_path / "nope.jsonl")])
    with pytest.raises(InputError):
        read_inputs([str(tmp_path / "broken")])


def test_unknown_extension_raises_unless_format_given(tmp_path: Path) -> None:
    p = tmp_path / "story.md"
    p.write_text(LONG)
    with pytest.raises(InputError, match="unknown input type"):
        read_inputs([str(p)])
    (a,), _ = read([p], ReadOptions(format="txt"))
    assert a.text == LONG
    with pytest.raises(InputError, match="unknown input format"):
        read_inputs([str(p)], ReadOptions(format="pdf"))


def test_reading_is_lazy(tmp_path: Path) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", [{"id": "1", "text": LONG}])
    b = write_jsonl(tmp_path / "b.jsonl", [{"id": "2", "text": LONG2}])
    issues: list[ReadIssue] = []
    it = read_inputs([str(a), str(b)], on_error=issues.append)
    assert next(it).id == "1"
    b.unlink()  # b is opened only when the stream gets to it
    assert list(it) == []
    assert [i.origin for i in issues] == [str(b)] and "cannot read file" in issues[0].message


# --------------------------------------------------------------------------- stdin


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data = (
        json.dumps({"id": "s1", "text": LONG}) + "\n" + "{broken\n"
        + json.dumps({"text": LONG2}, ensure_ascii=False) + "\n"
    ).encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    articles, issues = read(["-"])
    assert [a.id for a in articles] == ["s1", article_id(LONG2)]
    assert [a.origin for a in articles] == ["<stdin>:1", "<stdin>:3"]
    assert [i.origin for i in issues] == ["<stdin>:2"]


def test_stdin_with_format_txt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(LONG.encode()), encoding="utf-8"))
    (a,), _ = read(["-"], ReadOptions(format="txt"))
    assert a.text == LONG and a.origin == "<stdin>"


def test_article_from_record_same_rules() -> None:
    issues: list[ReadIssue] = []
    a = article_from_record({"text": LONG, "published": "2020-05-06T01:00:00Z", "x": 1}, "row:1")
    assert a is not None and a.id == article_id(LONG) and a.published == "2020-05-06"
    assert a.meta == {"x": 1} and a.origin == "row:1"
    assert article_from_record({"text": "tiny"}, "row:2", on_error=issues.append) is None
    assert issues[0].origin == "row:2" and issues[0].skipped
