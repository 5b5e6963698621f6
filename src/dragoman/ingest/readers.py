"""Read articles from files, folders and stdin as a lazy stream of ``Article``.

Inputs (``read_inputs``):

=====================  ==============================================================
``x.txt``              one article per file; id ``doc-<16 hex of content hash>`` (or the
                       file name with ``ReadOptions.id_from_filename``); no title
``x.jsonl``            one JSON object per line: ``id``, ``text``, ``title``,
                       ``published``, ``source``, ``url`` (names set by ``ReadOptions``);
                       every other field goes to ``Article.meta``
``x.csv`` / ``x.tsv``  a header row and the same columns as JSONL (``ReadOptions`` maps
                       other column names); a file without the text column stops the run
                       with ``InputError`` before anything is read
``x.html`` / ``.htm``  main text by trafilatura; title, date, canonical URL and site name
                       (as ``source``) from the page's metadata; author in ``meta``
``x.<any above>.gz``   the same, gzip-compressed
a folder               every file with a known extension below it, recursively, in sorted
                       path order; hidden files and folders (``.name``) are left out
``-``                  stdin, read as JSONL (or as ``ReadOptions.format``)
=====================  ==============================================================

``Article.origin`` is ``path`` (txt, html) or ``path:line`` (jsonl, csv: the line a record
starts on). Published dates are normalised to ``YYYY-MM-DD`` (ISO 8601 dates and date-times,
``YYYY/MM/DD``, ``YYYYMMDD``, RFC 2822 as in RSS); a date-time keeps the date as written,
its time zone is not applied. A value that is not a date is logged as a warning, ``published``
is None and the raw value is kept in ``meta["published_raw"]``.

Text is kept exactly as given, so offsets index it, with one exception: ``\\r\\n`` and lone
``\\r`` become ``\\n`` for every input. HTML text is what trafilatura extracts.

Bad input is never fatal. Each problem is a ``ReadIssue`` passed to ``on_error`` (or logged
as a warning when ``on_error`` is None):

- ``skipped=True``: the record or file was left out — an unreadable file, a malformed JSONL
  line (``path:line``), a CSV row the csv module rejects, a record without text or whose text
  has fewer than ``ReadOptions.min_chars`` non-space characters, an HTML page without main
  text, a corrupt gzip stream (the rest of that file).
- ``skipped=False``: a warning about an article that is still yielded — invalid UTF-8, decoded
  with U+FFFD replacement characters; a folder without any readable file.

Only two things raise, both before any article is read: an input path that does not exist or
has an unknown extension, and a CSV/TSV without the text column (``InputError``).
"""

from __future__ import annotations

import csv
import email.utils
import gzip
import io
import logging
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from ..errors import InputError, RecordError
from ..types import Article
from .dedup import article_id
from .html import extract_html

__all__ = [
    "FORMATS",
    "ReadIssue",
    "ReadOptions",
    "article_from_record",
    "normalize_published",
    "read_inputs",
    "sample_paths",
]

log = logging.getLogger(__name__)

#: file extension → format name (a ``.gz`` after any of them is decompressed)
FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".html": "html",
    ".htm": "html",
}
_FORMAT_NAMES = frozenset(FORMATS.values())

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "samples"


@dataclass(frozen=True)
class ReadOptions:
    """How to read inputs. Column names apply to both JSONL fields and CSV columns."""

    text_column: str = "text"
    id_column: str = "id"
    title_column: str = "title"
    published_column: str = "published"
    source_column: str = "source"
    url_column: str = "url"
    #: articles with fewer non-space characters than this are skipped as empty
    min_chars: int = 20
    #: force a format (txt, jsonl, csv, tsv, html) for explicit files and stdin
    format: str | None = None
    #: .txt/.html: use the file name without extension as the id instead of a content hash
    id_from_filename: bool = False
    #: source for articles whose input gives none
    source: str | None = None


@dataclass(frozen=True, slots=True)
class ReadIssue:
    """A problem met while reading. ``skipped`` says whether the record/file was left out
    (True) or the article was still yielded with a warning (False)."""

    origin: str
    message: str
    skipped: bool

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}" + (" (skipped)" if self.skipped else "")

    def to_error(self) -> RecordError:
        """The issue as a ``RecordError`` (for callers that want to raise it)."""
        return RecordError(self.message, self.origin)


OnIssue = Callable[[ReadIssue], None]


def _log_issue(issue: ReadIssue) -> None:
    log.warning("%s", issue)


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True, slots=True)
class _Source:
    path: Path | None  # None: stdin
    fmt: str
    display: str
    gz: bool = False

    @property
    def stem(self) -> str:
        if self.path is None:
            return "stdin"
        name = self.path.name
        if self.gz:
            name = name[:-3]
        return name.rsplit(".", 1)[0] if "." in name else name

    def open(self) -> IO[bytes]:
        if self.path is None:
            buffer = getattr(sys.stdin, "buffer", None)
            if buffer is not None:
                return buffer  # type: ignore[no-any-return]
            return io.BytesIO(sys.stdin.read().encode("utf-8", "surrogateescape"))
        if self.gz:
            return gzip.open(self.path, "rb")  # type: ignore[return-value]
        return open(self.path, "rb")


def _format_of(path: Path) -> tuple[str | None, bool]:
    name = path.name.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    suffix = "." + name.rsplit(".", 1)[1] if "." in name else ""
    return FORMATS.get(suffix), gz


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and _format_of(Path(name))[0] is not None:
                found.append(Path(root) / name)
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _plan(
    inputs: Sequence[str], options: ReadOptions
) -> tuple[list[_Source], list[ReadIssue]]:
    if options.format is not None and options.format not in _FORMAT_NAMES:
        raise InputError(
            f"unknown input format {options.format!r}; use one of "
            + ", ".join(sorted(_FORMAT_NAMES))
        )
    if options.min_chars < 0:
        raise InputError(f"min_chars must not be negative (got {options.min_chars})")
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [os.fspath(inputs)]
    sources: list[_Source] = []
    notes: list[ReadIssue] = []
    known = ", ".join(sorted(FORMATS))
    for raw in inputs:
        raw = os.fspath(raw)
        if raw == "-":
            sources.append(_Source(None, options.format or "jsonl", "<stdin>"))
            continue
        path = Path(raw)
        if not path.exists():
            raise InputError(f"input not found: {raw} (no such file or folder)")
        if path.is_dir():
            files = _walk(path)
            if not files:
                notes.append(
                    ReadIssue(raw, f"folder has no file with a known extension ({known})", False)
                )
            for f in files:
                fmt, gz = _format_of(f)
                assert fmt is not None
                sources.append(_Source(f, fmt, str(f), gz))
            continue
        fmt, gz = _format_of(path)
        fmt = options.format or fmt
        if fmt is None:
            raise InputError(
                f"unknown input type for {raw}: known extensions are {known} (optionally "
                "followed by .gz); set the format option to read it anyway"
            )
        sources.append(_Source(path, fmt, raw, gz))
        # a CSV named on the command line without the text column is a wrong option: stop at
        # once; one found in a folder is a bad file: _read_csv reports and skips it
        if fmt in ("csv", "tsv"):
            _check_csv_header(sources[-1], options)
    return sources, notes


def _check_csv_header(src: _Source, options: ReadOptions) -> None:
    try:
        with src.open() as fh:
            header = _csv_header(fh, src.fmt)
    except (OSError, EOFError, zlib.error, csv.Error):
        return  # reported as a read issue when the file is read
    if header is None:
        return  # empty file: reported when read
    if options.text_column not in header:
        columns = ", ".join(repr(c) for c in header) or "(none)"
        raise InputError(
            f"{src.display}: no text column {options.text_column!r}; its columns are "
            f"{columns}. Name the column that holds the article text with the text column "
            "option (ReadOptions.text_column / --text-column)."
        )


# --------------------------------------------------------------------------- helpers


def _decode(raw: bytes) -> tuple[str, bool]:
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), True


_NEWLINES = re.compile(r"\r\n?")


def _newlines(text: str) -> str:
    return _NEWLINES.sub("\n", text) if "\r" in text else text


def _non_space(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    out = value.strip() if isinstance(value, str) else str(value).strip()
    return out or None


_ISO_PREFIX = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")
_SLASHED = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})$")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})$")


def normalize_published(value: Any) -> str | None:
    """``YYYY-MM-DD`` for a date or date-time value, None when it is not one.

    >>> normalize_published("2017-04-12T09:30:00+03:00"), normalize_published("12/04")
    ('2017-04-12', None)
    >>> normalize_published("Wed, 12 Apr 2017 09:30:00 GMT")
    '2017-04-12'
    """
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    s = value.strip()
    for pattern in (_ISO_PREFIX, _SLASHED, _COMPACT):
        m = pattern.match(s)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            except ValueError:
                return None
    try:
        return datetime.fromisoformat(s).date().isoformat()
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed.date().isoformat() if parsed is not None else None


def _make_article(
    rec: Mapping[str, Any],
    origin: str,
    options: ReadOptions,
    report: OnIssue,
) -> Article | None:
    o = options
    if o.text_column not in rec or rec[o.text_column] is None:
        fields = ", ".join(repr(k) for k in rec) or "(none)"
        report(ReadIssue(origin, f"record has no {o.text_column!r} field (fields: {fields})", True))
        return None
    text = rec[o.text_column]
    if not isinstance(text, str):
        kind = type(text).__name__
        report(ReadIssue(origin, f"field {o.text_column!r} is not a string (got {kind})", True))
        return None
    text = _newlines(text)
    n = _non_space(text)
    if n < o.min_chars:
        report(
            ReadIssue(
                origin,
                f"empty article: {n} non-space characters (minimum {o.min_chars})",
                True,
            )
        )
        return None
    doc_id = _opt_str(rec.get(o.id_column))
    if doc_id is None:
        doc_id = article_id(text)
    used = {
        o.text_column, o.id_column, o.title_column, o.published_column, o.source_column,
        o.url_column,
    }
    meta = {k: v for k, v in rec.items() if k not in used}
    raw_published = rec.get(o.published_column)
    published = normalize_published(raw_published)
    if published is None and _opt_str(raw_published) is not None:
        log.warning(
            "%s: published %r is not a date; published is left empty and the value kept as "
            "meta['published_raw']",
            origin,
            raw_published,
        )
        meta["published_raw"] = raw_published
    return Article(
        id=doc_id,
        text=text,
        title=_opt_str(rec.get(o.title_column)),
        published=published,
        source=_opt_str(rec.get(o.source_column)) or o.source,
        url=_opt_str(rec.get(o.url_column)),
        meta=meta,
        origin=origin,
    )


_BAD_UTF8 = "invalid UTF-8 replaced with U+FFFD"


# --------------------------------------------------------------------------- readers


def _read_jsonl(
    src: _Source, fh: IO[bytes], options: ReadOptions, report: OnIssue
) -> Iterator[Article]:
    import json

    for lineno, raw in enumerate(fh, 1):
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        origin = f"{src.display}:{lineno}"
        line, bad = _decode(raw)
        try:
            rec = json.loads(line)
        except (ValueError, RecursionError) as exc:
            report(ReadIssue(origin, f"malformed JSON ({exc})", True))
            continue
        if not isinstance(rec, dict):
            report(ReadIssue(origin, f"expected a JSON object, got {type(rec).__name__}", True))
            continue
        if "\\u" in line:
            rec, fixed = _fix_surrogates(rec)
            if fixed:
                report(ReadIssue(origin, "lone surrogate escapes replaced with U+FFFD", False))
        if bad:
            report(ReadIssue(origin, _BAD_UTF8, False))
        article = _make_article(rec, origin, options, report)
        if article is not None:
            yield article


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _fix_surrogates(value: Any) -> tuple[Any, bool]:
    """JSON may escape lone surrogates (``"\\ud800"``), which cannot be encoded as UTF-8."""
    if isinstance(value, str):
        fixed = _SURROGATE.sub("\ufffd", value)
        return fixed, fixed != value
    if isinstance(value, list):
        pairs = [_fix_surrogates(v) for v in value]
        return [v for v, _ in pairs], any(c for _, c in pairs)
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        changed = False
        for k, v in value.items():
            k2, ck = _fix_surrogates(k)
            v2, cv = _fix_surrogates(v)
            out[k2] = v2
            changed = changed or ck or cv
        return out, changed
    return value, False


def _decoded_lines(fh: IO[bytes], bad_lines: list[int]) -> Iterator[str]:
    for lineno, raw in enumerate(fh, 1):
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        line, bad = _decode(raw)
        if bad:
            bad_lines.append(lineno)
        yield line


def _enlarge_csv_limit() -> None:
    if csv.field_size_limit() < 2**31 - 1:
        csv.field_size_limit(2**31 - 1)


def _csv_header(fh: IO[bytes], fmt: str) -> list[str] | None:
    _enlarge_csv_limit()
    reader = csv.reader(_decoded_lines(fh, []), delimiter="\t" if fmt == "tsv" else ",")
    for row in reader:
        if any(cell.strip() for cell in row):
            return [c.strip() for c in row]
    return None


def _read_csv(
    src: _Source, fh: IO[bytes], options: ReadOptions, report: OnIssue
) -> Iterator[Article]:
    _enlarge_csv_limit()
    bad_lines: list[int] = []
    reader = csv.reader(_decoded_lines(fh, bad_lines), delimiter="\t" if src.fmt == "tsv" else ",")
    header: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            report(ReadIssue(f"{src.display}:{start}", f"malformed CSV ({exc})", True))
            continue
        if not any(cell.strip() for cell in row):
            continue
        origin = f"{src.display}:{start}"
        if header is None:
            header = [c.strip() for c in row]
            if options.text_column not in header:  # the file changed since planning
                columns = ", ".join(repr(c) for c in header)
                report(
                    ReadIssue(
                        src.display,
                        f"no text column {options.text_column!r}; its columns are {columns}",
                        True,
                    )
                )
                return
            continue
        rec: dict[str, Any] = {}
        for name, value in zip(header, row, strict=False):
            rec[name] = value if value != "" else None
        if len(row) > len(header):
            rec["_extra_fields"] = row[len(header):]
        if bad_lines and bad_lines[-1] >= start:  # a line of this record was bad
            report(ReadIssue(origin, _BAD_UTF8, False))
        article = _make_article(rec, origin, options, report)
        if article is not None:
            yield article
    if header is None:
        report(ReadIssue(src.display, "empty CSV file (no header row)", True))


def _read_txt(
    src: _Source, fh: IO[bytes], options: ReadOptions, report: OnIssue
) -> Iterator[Article]:
    raw = fh.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    text, bad = _decode(raw)
    if bad and _non_space(text) >= options.min_chars:
        report(ReadIssue(src.display, _BAD_UTF8, False))
    rec: dict[str, Any] = {options.text_column: text}
    if options.id_from_filename:
        rec[options.id_column] = src.stem
    article = _make_article(rec, src.display, options, report)
    if article is not None:
        yield article


def _read_html(
    src: _Source, fh: IO[bytes], options: ReadOptions, report: OnIssue
) -> Iterator[Article]:
    raw = fh.read()
    try:
        page = extract_html(raw)
    except Exception as exc:  # noqa: BLE001 — trafilatura/lxml on untrusted bytes
        report(ReadIssue(src.display, f"cannot extract HTML ({type(exc).__name__}: {exc})", True))
        return
    if not page.text.strip():
        report(ReadIssue(src.display, "no main text found in the HTML page", True))
        return
    o = options
    rec: dict[str, Any] = {
        o.text_column: page.text,
        o.title_column: page.title,
        o.published_column: page.date,
        o.source_column: page.sitename,
        o.url_column: page.url,
    }
    if options.id_from_filename:
        rec[o.id_column] = src.stem
    if page.author:
        rec["author"] = page.author
    article = _make_article(rec, src.display, options, report)
    if article is not None:
        yield article


_READERS: dict[str, Callable[[_Source, IO[bytes], ReadOptions, OnIssue], Iterator[Article]]] = {
    "jsonl": _read_jsonl,
    "csv": _read_csv,
    "tsv": _read_csv,
    "txt": _read_txt,
    "html": _read_html,
}


def _read_source(src: _Source, options: ReadOptions, report: OnIssue) -> Iterator[Article]:
    try:
        fh = src.open()
    except OSError as exc:
        report(ReadIssue(src.display, f"cannot read file ({exc.strerror or exc})", True))
        return
    try:
        yield from _READERS[src.fmt](src, fh, options, report)
    except (OSError, EOFError, zlib.error) as exc:
        what = "corrupt gzip stream" if src.gz else "read error"
        report(ReadIssue(src.display, f"{what} ({exc}); rest of the file skipped", True))
    finally:
        if src.path is not None:
            fh.close()


def _iterate(
    sources: list[_Source], notes: list[ReadIssue], options: ReadOptions, report: OnIssue
) -> Iterator[Article]:
    for note in notes:
        report(note)
    for src in sources:
        yield from _read_source(src, options, report)


def read_inputs(
    inputs: Sequence[str],
    options: ReadOptions = ReadOptions(),
    on_error: Callable[[ReadIssue], None] | None = None,
) -> Iterator[Article]:
    """Articles from files, folders and ``-`` (stdin), lazily, in input order.

    Raises ``InputError`` at once (before anything is read) when an input does not exist,
    has an unknown extension, or is a CSV/TSV without the text column. Every other problem
    is a ``ReadIssue`` given to ``on_error`` (logged as a warning when None); see the module
    docstring.
    """
    sources, notes = _plan(inputs, options)
    return _iterate(sources, notes, options, on_error or _log_issue)


def article_from_record(
    record: Mapping[str, Any],
    origin: str,
    options: ReadOptions = ReadOptions(),
    on_error: Callable[[ReadIssue], None] | None = None,
) -> Article | None:
    """One record (a JSONL object or CSV row as a mapping) as an ``Article`` by the readers'
    rules (columns, ids, dates, ``meta``), or None when it is skipped (issue reported)."""
    return _make_article(record, origin, options, on_error or _log_issue)


def sample_paths() -> list[Path]:
    """The bundled sample inputs (for ``dragoman demo``), in a stable order."""
    out: list[Path] = []
    for pattern in ("*.jsonl", "*.csv", "html/*.html", "*.txt"):
        out.extend(sorted(SAMPLES_DIR.glob(pattern)))
    return out
