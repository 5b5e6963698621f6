"""Boilerplate inside an article's text: web debris that is not content.

``find_boilerplate(text)`` returns the stretches of a text that are tag lines, publication
and update dates, header dates, photo credits, share lines, related-article and footer
blocks, source credits and inline bylines, each a ``Boilerplate`` with a span into the
original text (``text[b.span.start:b.span.end] == b.span.text``) and, for the dated kinds,
the date it gives (ISO ``YYYY-MM-DD``). Scraped texts often have no line breaks, so every
kind knows where it ends (see ``data/ingest/boilerplate.yaml``):

==============================================  ===============  =====================
text                                            kind             ends
==============================================  ===============  =====================
``Date of publication 22 June 2016``            publication      at its date
``Published September 23 2016``                 publication      at its date
``Last updated at Aug 142016``                  updated          at its date
``Sun 16 Apr 2017`` (opening the text)          header_date      at its date
``AFP Monday 2 Feb 2015``                       agency_date      at its date
``Tags Raqqa airstrikes IS Syria``              tags             punctuation, an opener
``(AFP Photo)``                                 photo            at the parenthesis
``Print Tweet Views 729``                       share            after the share words
``Read Also``, ``Related News …``               related          end of the text
``Follow us on …``, ``Copyright …``             footer           end of the text
``Source TRTWorld and agencies``                source           end, or a related block
``Agencies contributed to this report``         byline           at the phrase
==============================================  ===============  =====================

A tag run has no end mark in flattened text ("Tags Syria Idlib SOHR Syrian rebels launched
…"): here it ends at sentence punctuation, a ``sentence_openers`` word or after
``max_tag_words`` words; ``DocContext.boilerplate`` shortens it further to the subject of
the first finite verb once the text is parsed.

``header_date(items)`` picks the article's own date among them (a publication or header
date first, an update date last). The patterns' words are data: ``data/ingest/boilerplate.yaml``
(month and weekday names from ``data/dates/dates.yaml``, agencies from ``agencies.yaml``),
extendable with a user's file through ``load_boilerplate_lexicon``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import _data
from ..errors import DataFileError
from ..types import Span
from .dateline import default_lexicon as _agency_lexicon

__all__ = [
    "BOILERPLATE_FILE",
    "Boilerplate",
    "BoilerplateLexicon",
    "days_apart",
    "default_boilerplate_lexicon",
    "find_boilerplate",
    "header_date",
    "load_boilerplate_lexicon",
]

BOILERPLATE_FILE = _data.data_path("ingest", "boilerplate.yaml")
_DATES_FILE = _data.data_path("dates", "dates.yaml")

_LISTS = (
    "publication_cues", "update_cues", "tag_cues", "sentence_openers", "related_cues",
    "footer_cues", "source_cues", "share_words", "photo_words", "byline_phrases",
    "share_phrases",
)
_NUMBERS = ("max_source_words", "max_byline_words", "max_tag_words")
_DATED = ("publication", "header_date", "agency_date", "updated")


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """One stretch of boilerplate: its kind, its span, and the date it gives (if any)."""

    kind: str
    span: Span
    date: Span | None = None
    value: str | None = None  # the date as YYYY-MM-DD


@dataclass(frozen=True)
class BoilerplateLexicon:
    """The phrases of ``data/ingest/boilerplate.yaml`` (and user files)."""

    lists: dict[str, tuple[str, ...]]
    numbers: dict[str, int]
    months: dict[str, int]
    weekdays: tuple[str, ...]
    agencies: tuple[str, ...]

    @functools.cached_property
    def _patterns(self) -> _Patterns:
        return _Patterns(self)


def _read(path: Path) -> tuple[dict[str, list[str]], dict[str, int]]:
    data = _data.read_yaml(path, mapping=True) if path.exists() else None
    if data is None:
        raise DataFileError(f"{path}: no such boilerplate file")
    lists: dict[str, list[str]] = {}
    numbers: dict[str, int] = {}
    raw = _data.read_text(path).splitlines()

    def line_of(key: str) -> int:
        for i, line in enumerate(raw, 1):
            if line.startswith(f"{key}:"):
                return i
        return 1

    for key, value in data.items():
        where = f"{path}:{line_of(str(key))}"
        if key in _NUMBERS:
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise DataFileError(f"{where}: {key} must be a positive whole number")
            numbers[key] = value
        elif key in _LISTS:
            if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                raise DataFileError(f"{where}: {key} must be a list of non-empty strings")
            lists[key] = [v.strip() for v in value]
        else:
            raise DataFileError(
                f"{where}: unknown key {key!r}; expected one of "
                + ", ".join((*_LISTS, *_NUMBERS))
            )
    return lists, numbers


def load_boilerplate_lexicon(extra: Sequence[str | Path] = ()) -> BoilerplateLexicon:
    """The packaged boilerplate phrases, extended by the user's YAML files (same keys; lists
    are added to, numbers replaced). Raises ``DataFileError`` (file:line) on a bad file."""
    lists: dict[str, list[str]] = {k: [] for k in _LISTS}
    numbers: dict[str, int] = {}
    for path in (BOILERPLATE_FILE, *(Path(p) for p in extra)):
        more, nums = _read(path)
        for key, values in more.items():
            lists[key].extend(values)
        numbers.update(nums)
    missing = [k for k in _NUMBERS if k not in numbers]
    if missing:
        raise DataFileError(f"{BOILERPLATE_FILE}:1: missing {', '.join(missing)}")
    vocab: Any = _data.read_yaml(_DATES_FILE, mapping=True)
    agencies = _agency_lexicon().agencies
    return BoilerplateLexicon(
        lists={k: tuple(dict.fromkeys(v)) for k, v in lists.items()},
        numbers=numbers,
        months={str(k): int(v) for k, v in vocab["months"].items()},
        weekdays=tuple(str(k) for k in vocab["weekdays"]),
        agencies=tuple(dict.fromkeys(a for ag in agencies for a in (ag.name, *ag.aliases))),
    )


@functools.lru_cache(maxsize=1)
def default_boilerplate_lexicon() -> BoilerplateLexicon:
    """The packaged lexicon, loaded once per process."""
    return load_boilerplate_lexicon()


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _first(words: Sequence[str]) -> re.Pattern[str] | None:
    """The words, any of them (None for none): where a pattern that opens with one of them
    can match (``_scan``)."""
    return re.compile(f"(?:{_alt(words)})") if words else None


def _scan(first: re.Pattern[str] | None, full: re.Pattern[str], text: str, start: int,
          stop: int) -> Iterator[re.Match[str]]:
    r"""``full.finditer(text, start, stop)``, ``full`` tried only where ``first`` (the words
    every match of ``full`` opens with) is found.

    The same matches: a pattern opening with a look-behind (``(?<![\w-])Tags``) is tried
    by the regex engine at every position of the text, a bare alternation of words only
    where one of their first letters is (5–40 times faster over an article); the
    look-behind is still ``full``'s, and ``match`` at a position sees the text before it.
    """
    if first is None:
        yield from full.finditer(text, start, stop)
        return
    pos = start
    while (c := first.search(text, pos, stop)) is not None:
        s = c.start()
        m = full.match(text, s, stop)
        if m is None:
            pos = s + 1
            continue
        yield m
        pos = m.end() if m.end() > s else s + 1


class _Patterns:
    def __init__(self, lex: BoilerplateLexicon) -> None:
        L = lex.lists
        months = _alt(list(lex.months))
        weekday = rf"(?:{_alt(list(lex.weekdays))})\.?,?"
        # "22 June 2016" | "June 22, 2016" | "Aug 142016" (day and year run together) | ISO
        dmy = rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?[ ]+(?P<m1>{months})\.?,?[ ]+(?P<y1>\d{{4}})"
        mdy = (rf"(?P<m2>{months})\.?[ ]+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?"
               rf"(?:,?[ ]+|)(?P<y2>\d{{4}})")
        iso = r"(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})"
        core = rf"(?:{dmy}|{mdy}|{iso})"
        self.date = rf"(?i:(?:{weekday}[ ]+)?{core})(?!\d)"
        dated_head = rf"(?i:{weekday}[ ]+{core})(?!\d)"
        self.dated = re.compile(
            rf"(?P<cue>{_alt(L['publication_cues'])}|(?P<upd>{_alt(L['update_cues'])}))"
            rf"\b[ :]*(?:at[ ]+|on[ ]+)?(?P<date>{self.date})"
        )
        self.header = re.compile(rf"\s*(?P<date>{dated_head})")
        self.agency = re.compile(
            rf"(?<!\w)(?:{_alt(lex.agencies)})[ ]+(?P<date>{dated_head})"
        )
        self.tags = re.compile(rf"(?<![\w-])(?:{_alt(L['tag_cues'])})[ :]+(?=\w)")
        self.openers = frozenset(L["sentence_openers"])
        # a related block starts after a sentence's end, a closing quote or a gap
        self.related = re.compile(r"(?<=[.!?\"”')\]])|(?<=\s\s)")
        self.related_cue = re.compile(rf"(?<![\w-])(?:{_alt(L['related_cues'])})(?![\w-])")
        self.footer = re.compile(rf"(?<![\w-])(?:{_alt(L['footer_cues'])})(?![\w-])")
        self.source = re.compile(
            rf"(?:(?<=[.!?\"”')])[ \t]*|(?<=\s))(?:{_alt(L['source_cues'])})[ :]+(?=[A-Z])"
        )
        share = _alt(L["share_words"])
        self.share = re.compile(
            rf"(?<![\w-])(?:{share})(?:[ \t]+(?:{share}))+(?:[ \t]+Views[ \t]+\d[\d,]*)?(?![\w-])"
        )
        # a share widget's phrase and its counters ("Get short URL 0 612"), glued to what
        # stands before it too ("16.04.2017Get short URL")
        phrases: Sequence[str] = L.get("share_phrases") or ()
        self.share_line = re.compile(
            rf"(?:{_alt(phrases)})(?:[ \t]+\d[\d,]*)*(?![\w-])") if phrases else None
        self.photo = re.compile(
            rf"\((?=[^()]{{0,60}}\))(?:[^()\s]+[ \t]+){{0,3}}(?i:{_alt(L['photo_words'])})"
            rf"(?:[ \t]+[^()\s]+){{0,3}}[ \t]*\)"
        )
        self.byline = re.compile(rf"(?i:{_alt(L['byline_phrases'])})(?![\w-])")
        # what every match of a pattern opens with (``_scan``); the source pattern's cue
        # comes after its opening spaces, so it only tells whether the text has one
        self.dated_first = _first([*L["publication_cues"], *L["update_cues"]])
        self.agency_first = _first(lex.agencies)
        self.tags_first = _first(L["tag_cues"])
        self.related_first = _first(L["related_cues"])
        self.footer_first = _first(L["footer_cues"])
        self.source_cue = _first(L["source_cues"])
        self.share_first = _first(L["share_words"])
        self.max_source = lex.numbers["max_source_words"]
        self.max_byline = lex.numbers["max_byline_words"]
        self.max_tags = lex.numbers["max_tag_words"]
        self.months = {k.casefold(): v for k, v in lex.months.items()}


def _iso(m: re.Match[str], pats: _Patterns) -> str | None:
    for d, mo, y in (("d1", "m1", "y1"), ("d2", "m2", "y2"), ("d3", "m3", "y3")):
        if m.group(y) is None:
            continue
        month_text = m.group(mo)
        month = int(month_text) if month_text.isdigit() else pats.months.get(
            month_text.casefold())
        try:
            return dt.date(int(m.group(y)), month or 0, int(m.group(d))).isoformat()
        except ValueError:
            return None
    return None


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


_WORD = re.compile(r"\S+")
_SENT_END = re.compile(r"[.!?](?=\s|\Z|[\"”'])")


def _tag_end(text: str, start: int, end: int, pats: _Patterns) -> int:
    """Where a tag run opened at ``start`` (after its cue) ends."""
    stop = end
    m = _SENT_END.search(text, start, end)
    if m is not None:
        stop = m.start()
    last = start
    for count, w in enumerate(_WORD.finditer(text, start, stop)):
        word = w.group(0)
        if count >= 1 and word in pats.openers:
            return last
        if count >= pats.max_tags:
            return last
        last = w.end()
    return last if stop == end else stop


def find_boilerplate(text: str, start: int = 0, end: int | None = None,
                     lexicon: BoilerplateLexicon | None = None) -> tuple[Boilerplate, ...]:
    """The boilerplate of ``text[start:end]`` in text order, spans into ``text``.

    >>> [b.kind for b in find_boilerplate("Published June 3 2016 Rebels said. Tags Syria war")]
    ['publication', 'tags']
    """
    lex = lexicon or default_boilerplate_lexicon()
    pats = lex._patterns
    stop = len(text) if end is None else end
    found: list[Boilerplate] = []

    def add(kind: str, s: int, e: int, m: re.Match[str] | None = None) -> None:
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            return
        date = value = None
        if m is not None:
            date = _span(text, m.start("date"), m.end("date"))
            value = _iso(m, pats)
        found.append(Boilerplate(kind, _span(text, s, e), date, value))

    lead = start + len(text[start:stop]) - len(text[start:stop].lstrip())
    m = pats.header.match(text, lead, stop)
    if m is not None:
        add("header_date", m.start("date"), m.end(), m)
    for m in _scan(pats.dated_first, pats.dated, text, start, stop):
        add("updated" if m.group("upd") else "publication", m.start(), m.end(), m)
    for m in _scan(pats.agency_first, pats.agency, text, start, stop):
        add("agency_date", m.start(), m.end(), m)
    for m in pats.photo.finditer(text, start, stop):
        add("photo", m.start(), m.end())
    for m in _scan(pats.share_first, pats.share, text, start, stop):
        add("share", m.start(), m.end())
    if pats.share_line is not None:
        for m in pats.share_line.finditer(text, start, stop):
            add("share", m.start(), m.end())
    for m in _scan(pats.tags_first, pats.tags, text, start, stop):
        add("tags", m.start(), _tag_end(text, m.end(), stop, pats))
    tail = stop
    # the site footer (in the text's second half) ends the body: a related block runs to it
    footer = next((m.start() for m in _scan(pats.footer_first, pats.footer, text, start, stop)
                   if m.start() >= start + (stop - start) // 2), None)
    body_end = stop if footer is None else footer
    shares = {b.span.end for b in found if b.kind == "share"}
    for m in _scan(pats.related_first, pats.related_cue, text, start, stop):
        before = text[start:m.start()].rstrip()
        # (after a source credit, which closes the body, the block runs to the end)
        credited = _credited(text, start, m.start(), pats)
        # (headlines without a full stop up to the body's end or a tag run: a related block
        # whatever stands before its cue, a view count too: "... 01 Related Daesh Shells
        # Syrias Deir ez-Zor Injures 10 People ... Tags blockade shelling")
        tags = min((b.span.start for b in found
                    if b.kind == "tags" and b.span.start >= m.end()), default=body_end)
        headlines = _SENT_END.search(text, m.end(), min(body_end, tags)) is None
        if not (pats.related.match(text, m.start() - (len(text[start:m.start()]) - len(before)))
                or start + len(before) in shares or not before or credited or headlines):
            continue
        if credited or headlines:  # to the end
            tail = m.start()
            add("related", m.start(), stop)
            break
        add("related", m.start(), m.end())  # a cue inside the body: the cue alone
    if footer is not None:
        tail = min(tail, footer)
        add("footer", footer, stop)
    # (no source cue in the text: no source line; its pattern opens with look-behinds)
    sources = (pats.source.finditer(text, start, stop) if pats.source_cue is None
               or pats.source_cue.search(text, start, stop) is not None else ())
    for m in sources:
        rest = text[m.end():tail]
        if 0 < len(rest.split()) <= pats.max_source and not _SENT_END.search(rest.rstrip(".")):
            add("source", m.start() + len(m.group(0)) - len(m.group(0).lstrip()), tail)
    for m in pats.byline.finditer(text, start, stop):
        back = text[max(start, m.start() - 200):m.start()]
        ends = list(_SENT_END.finditer(back))
        s0 = (m.start() - len(back) + ends[-1].end()) if ends else max(start, m.start() - 200)
        words = text[s0:m.start()].split()
        if 0 < len(words) <= pats.max_byline:
            add("byline", s0 + len(text[s0:m.start()]) - len(text[s0:m.start()].lstrip()),
                m.end())
    found.sort(key=lambda b: (b.span.start, -b.span.end))
    return tuple(found)


def _credited(text: str, start: int, at: int, pats: _Patterns) -> bool:
    """Whether a source credit of at most ``max_source_words`` words ends at ``at``
    ("... across the country. Source AA Related News ...")."""
    back = text[max(start, at - 120):at]
    last = [m.end() for m in pats.source.finditer(back)][-1:]
    return bool(last) and 0 < len(back[last[0]:].split()) <= pats.max_source


def days_apart(a: str | None, b: str | None) -> int | None:
    """Days between two ISO dates (their first ten characters), or None when either is
    missing or not a date.

    >>> days_apart("2016-09-23", "2016-09-30T10:00:00")
    7
    """
    try:
        da = dt.date.fromisoformat((a or "")[:10])
        db = dt.date.fromisoformat((b or "")[:10])
    except ValueError:
        return None
    return abs((da - db).days)


def header_date(items: Sequence[Boilerplate]) -> Boilerplate | None:
    """The article's own date among its boilerplate: a publication, header or agency date
    (the first in the text), else an update date; None when no dated item resolved."""
    for kinds in (_DATED[:3], _DATED[3:]):
        for b in items:
            if b.kind in kinds and b.value is not None:
                return b
    return None
