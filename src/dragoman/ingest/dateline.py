"""Datelines and bylines: where a dispatch says it was filed, by whom, and where its body is.

``split_dateline(text)`` recognises the dateline that opens a dispatch and the credit line
that closes it, and returns spans into the *original* text (``text[s.start:s.end] == s.text``):

==========================================  =========================================
opening                                     place / date / agency
==========================================  =========================================
``Moscow, SANA-Russian Foreign …``          Moscow / – / SANA  (state-agency style)
``Damascus, SANA – The …``                  Damascus / – / SANA
``DAMASCUS, April 12 (Reuters) - The …``    DAMASCUS / April 12 / Reuters
``BEIRUT (AP) — Syrian …``                  BEIRUT / – / AP
``KYIV, Ukraine (AP) — …``                  KYIV / – / AP  (region "Ukraine" kept in
                                            ``DatelineParts.region``, not in the place)
``Cairo, May 3 (Xinhua) -- …``              Cairo / May 3 / Xinhua
``New Delhi, Jan 5 (PTI) The …``            New Delhi / Jan 5 / PTI (no dash needed
                                            after a known agency in parentheses)
``MOSCOW, April 12. /TASS/. …``             MOSCOW / April 12 / TASS
``WASHINGTON — …``                          WASHINGTON / – / –  (an ALL-CAPS place, or a
                                            place with a date, needs no agency)
``NEW DELHI: The …``                        NEW DELHI / – / –  (same rule, colon style)
==========================================  =========================================

A ``By John Smith`` line at the top and a closing credit (``Manar/Mazen``,
``H.Said/ H. Zain``, ``(Reporting by X; Editing by Y)``, ``— Reporting by …``,
``Jane Doe contributed to this report.``, the end mark ``(end) ab.gh``) are bylines: the body excludes them. ``Dateline``
has one ``byline`` span; when a text has both, it holds the top one (the author) and the body
still excludes both (``DatelineParts.bylines`` has all of them).

A text written all in lower case (scraped archives) has its dateline read without the
capitals: ``lucknow: the …`` (a place of at most three words before a colon, or with a
date), ``new delhi, jan 5 (pti) …`` (a known agency in any case).

The splitter is conservative: a text that merely starts with a capitalised place ("Moscow
wants …", "Russia – which …") has no dateline. Agencies in parentheses or after a comma must
be in the agency list (``data/ingest/agencies.yaml``, extendable with a user file through
``load_dateline_lexicon``), except that an ALL-CAPS place followed by a parenthesis and a dash
accepts any capitalised agency name ("LONDON (Thomson Reuters Foundation) -").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import _data
from ..errors import DataFileError
from ..types import Dateline, Span

__all__ = [
    "AGENCIES_FILE",
    "Agency",
    "DatelineLexicon",
    "DatelineParts",
    "default_lexicon",
    "load_dateline_lexicon",
    "parse_dateline",
    "split_dateline",
]

AGENCIES_FILE = _data.data_path("ingest", "agencies.yaml")

_LIST_KEYS = ("place_particles", "not_places", "byline_cues", "byline_phrases")


@dataclass(frozen=True, slots=True)
class Agency:
    """A news agency: its canonical name and the spellings datelines use."""

    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class DatelineLexicon:
    """The words the splitter needs, loaded from YAML (see ``load_dateline_lexicon``)."""

    agencies: tuple[Agency, ...]
    place_particles: frozenset[str]
    not_places: frozenset[str]
    byline_cues: tuple[str, ...]
    byline_phrases: tuple[str, ...] = ()
    _alias_to_name: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        table = self._alias_to_name
        for agency in self.agencies:
            for alias in (agency.name, *agency.aliases):
                table.setdefault(alias, agency.name)
                table.setdefault(alias.upper(), agency.name)

    def canonical_agency(self, text: str) -> str | None:
        """The canonical name of an agency spelling ("Associated Press" → "AP"), or None."""
        return self._alias_to_name.get(text.strip())

    @functools.cached_property
    def _patterns(self) -> _Patterns:
        return _Patterns(self)


# --------------------------------------------------------------------------- loading


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _str_list(node: yaml.Node, path: Path, what: str) -> list[str]:
    if not isinstance(node, yaml.SequenceNode):
        raise DataFileError(f"{path}:{_line(node)}: {what} must be a list of strings")
    out: list[str] = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode) or not str(item.value).strip():
            raise DataFileError(
                f"{path}:{_line(item)}: every entry of {what} must be a non-empty string"
            )
        out.append(str(item.value).strip())
    return out


def _read_lexicon_file(path: Path) -> dict[str, list]:  # type: ignore[type-arg]
    root = _data.compose_yaml(path)
    out: dict[str, list] = {"agencies": []}  # type: ignore[type-arg]
    if root is None:
        return out
    if not isinstance(root, yaml.MappingNode):
        raise DataFileError(f"{path}:{_line(root)}: expected a mapping with key 'agencies'")
    allowed = ("agencies", *_LIST_KEYS)
    for key_node, value_node in root.value:
        key = str(key_node.value)
        if key not in allowed:
            raise DataFileError(
                f"{path}:{_line(key_node)}: unknown key {key!r}; expected one of "
                + ", ".join(allowed)
            )
        if key != "agencies":
            out[key] = _str_list(value_node, path, key)
            continue
        if not isinstance(value_node, yaml.SequenceNode):
            raise DataFileError(f"{path}:{_line(value_node)}: 'agencies' must be a list")
        for entry in value_node.value:
            if not isinstance(entry, yaml.MappingNode):
                raise DataFileError(
                    f"{path}:{_line(entry)}: an agency must be a mapping "
                    "{name: ..., aliases: [...]}"
                )
            fields = {str(k.value): v for k, v in entry.value}
            extra = set(fields) - {"name", "aliases"}
            if extra:
                raise DataFileError(
                    f"{path}:{_line(entry)}: unknown agency field(s) {', '.join(sorted(extra))}"
                    "; expected name, aliases"
                )
            name_node = fields.get("name")
            if (
                not isinstance(name_node, yaml.ScalarNode)
                or not str(name_node.value).strip()
            ):
                raise DataFileError(f"{path}:{_line(entry)}: an agency needs a non-empty name")
            aliases = (
                _str_list(fields["aliases"], path, "aliases") if "aliases" in fields else []
            )
            out["agencies"].append(Agency(str(name_node.value).strip(), tuple(aliases)))
    return out


def load_dateline_lexicon(extra: Sequence[str | Path] = ()) -> DatelineLexicon:
    """The packaged agency list and dateline words, extended by the user's YAML files.

    A user file has the same keys as ``data/ingest/agencies.yaml``; its entries are added.
    Raises ``DataFileError`` (with file and line) when a file is invalid.
    """
    agencies: list[Agency] = []
    lists: dict[str, list[str]] = {k: [] for k in _LIST_KEYS}
    for path in (AGENCIES_FILE, *(Path(p) for p in extra)):
        data = _read_lexicon_file(path)
        agencies.extend(data.pop("agencies"))
        for key, values in data.items():
            lists[key].extend(values)
    return DatelineLexicon(
        agencies=tuple(agencies),
        place_particles=frozenset(w.casefold() for w in lists["place_particles"]),
        not_places=frozenset(lists["not_places"]),
        byline_cues=tuple(dict.fromkeys(lists["byline_cues"])),
        byline_phrases=tuple(dict.fromkeys(lists["byline_phrases"])),
    )


@functools.lru_cache(maxsize=1)
def default_lexicon() -> DatelineLexicon:
    """The packaged lexicon, loaded once per process."""
    return load_dateline_lexicon()


# --------------------------------------------------------------------------- patterns

_L = r"[^\W\d_]"  # one letter (any script)
_WORD = rf"{_L}+(?:['’`.\-]{_L}+)*\.?"
_PLACE = rf"{_WORD}(?:[ ]{_WORD}){{0,4}}"
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAYNUM = r"\d{1,2}(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DATE = (
    rf"(?i:{_MONTH}[ ]{_DAYNUM}(?:,?[ ]\d{{4}})?|{_DAYNUM}[ ]{_MONTH}(?:,?[ ]\d{{4}})?"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|{_WEEKDAY})"
)
_NOT_DATE = rf"(?!{_DATE}\b)"
_SEP = r"(?:--|[-–—−:])"
_DATE_RE = re.compile(rf"{_DATE}\b")


class _Patterns:
    def __init__(self, lex: DatelineLexicon) -> None:
        aliases = sorted(
            {a for ag in lex.agencies for a in (ag.name, *ag.aliases)}
            | {a.upper() for ag in lex.agencies for a in (ag.name, *ag.aliases)},
            key=len,
            reverse=True,
        )
        ag = "(?:" + "|".join(re.escape(a) for a in aliases) + r")(?!\w)"
        head = rf"(?P<place>{_PLACE})(?:,[ ]?{_NOT_DATE}(?P<region>{_PLACE}))?"
        self.paren = re.compile(
            rf"{head}(?:,?[ ](?P<date>{_DATE}))?[ ]?\((?P<agency>[^()\n]{{1,40}})\)"
            rf"[ \t]*(?P<sep>{_SEP}|)[ \t]*"
        )
        self.comma = re.compile(
            rf"(?P<place>{_PLACE})(?:,[ ]?(?P<date>{_DATE}))?[ ]?,[ \t]*(?P<agency>{ag})"
            rf"[ \t]*(?P<sep>{_SEP})[ \t]*"
        )
        self.slash = re.compile(
            rf"(?P<place>{_PLACE})(?:,[ ]?(?P<date>{_DATE}))?\.?[ \t]*/(?P<agency>{ag})/\.?"
            rf"[ \t]*(?:{_SEP}[ \t]*)?"
        )
        self.bare = re.compile(
            rf"{head}(?:,?[ ](?P<date>{_DATE}))?"
            rf"(?P<sep>[ \t]*(?:--|[–—])|[ \t]+-(?=[ \t])|:(?=[ \t]))[ \t]*"
        )
        cues = "|".join(re.escape(c) for c in sorted(lex.byline_cues, key=len, reverse=True))
        self.paren_credit = re.compile(rf"\((?:{cues})\b[^()]*\)\s*\Z") if cues else None
        self.line_credit = (
            re.compile(rf"(?:(?:--|[-–—])[ \t]*)?(?:{cues})\b[^\n]*") if cues else None
        )
        self.phrases = tuple(p.casefold() for p in lex.byline_phrases)


_TOP_BYLINE = re.compile(r"By[ \t]+(?P<names>[^\n]{2,100}?)[ \t]*(?:\n|\Z)")
_BYLINE_JOINERS = frozenset({"and", "&", "|", "-", "–", "—", "in", "of", "the", "for", "with"})
_NAME = rf"(?:{_L}\.[ ]?)*{_L}[\w'’\-]*(?:[ ]{_L}[\w'’\-]*){{0,2}}"
_SLASH_NAMES = re.compile(rf"{_NAME}(?:[ ]?/[ ]?{_NAME})+")
# "(end) ab.gh", "(END)": the end mark of KUNA/Yonhap-style copy, with editors' initials
_END_MARK = re.compile(r"\((?:end|END|End)\)(?:[ \t]+[a-z]{1,5}(?:[./][a-z]{1,5})*)?")


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True, slots=True)
class DatelineParts:
    """Everything ``parse_dateline`` found; ``Dateline`` is the stored subset."""

    body: Span
    place: Span | None = None
    region: Span | None = None
    agency: Span | None = None
    agency_name: str | None = None
    date: Span | None = None
    bylines: tuple[Span, ...] = ()

    def to_dateline(self) -> Dateline:
        return Dateline(
            body=self.body,
            place=self.place,
            agency=self.agency,
            date=self.date,
            byline=self.bylines[0] if self.bylines else None,
        )


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _group_span(text: str, m: re.Match[str], name: str, base: int) -> Span | None:
    if name not in m.re.groupindex or m.group(name) is None:
        return None
    return _span(text, base + m.start(name), base + m.end(name))


def _cap(word: str) -> bool:
    return word[:1].isupper()


def _valid_place(place: str, lex: DatelineLexicon) -> bool:
    words = place.split(" ")
    if not _cap(words[0]) or words[0].rstrip(".") in lex.not_places:
        return False
    if _DATE_RE.match(place):
        return False
    for w in words[1:]:
        if _cap(w):
            continue
        head = re.split(r"[-'’`]", w, maxsplit=1)[0]
        if head.casefold() not in lex.place_particles:
            return False
    return True


def _all_caps(place: str) -> bool:
    letters = [c for c in place if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _agency_like(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 5 and all(_cap(w) or w.casefold() in {"of", "de"} for w in words)


def _lower_case(text: str) -> bool:
    """Whether a stretch of text is written all in lower case (scraped archives)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 20 and not any(c.isupper() for c in letters)


def _match_lower(head: str, lex: DatelineLexicon) -> tuple[re.Match[str], str | None] | None:
    """A dateline of a lower-case text: "lucknow: the …", "new delhi, jan 5 (pti) the …"."""
    pats = lex._patterns
    m = pats.paren.match(head)
    if m and len(m["place"].split()) <= 3 and m["region"] is None:
        name = lex.canonical_agency(m["agency"].upper()) or next(
            (a.name for a in lex.agencies
             if m["agency"].strip().casefold() in {x.casefold() for x in (a.name, *a.aliases)}),
            None)
        if name is not None:
            return m, name
    m = pats.bare.match(head)
    if (m and m["region"] is None and len(m["place"].split()) <= 3
            and not {w.casefold() for w in m["place"].split()}
            & {w.casefold() for w in lex.not_places}
            and (m["sep"].strip() == ":" or m["date"] is not None)):
        return m, None
    return None


def _match_dateline(
    text: str, pos: int, lex: DatelineLexicon
) -> tuple[re.Match[str], str | None] | None:
    """The first dateline pattern that matches at ``pos`` and passes validation."""
    pats = lex._patterns
    head = text[pos:pos + 240]
    if _lower_case(text[pos:pos + 400]):
        return _match_lower(head, lex)
    m = pats.comma.match(head)
    if m and _valid_place(m["place"], lex):
        return m, lex.canonical_agency(m["agency"])
    m = pats.slash.match(head)
    if m and _valid_place(m["place"], lex):
        return m, lex.canonical_agency(m["agency"])
    m = pats.paren.match(head)
    if m and _valid_place(m["place"], lex) and (
        m["region"] is None or _valid_place(m["region"], lex)
    ):
        name = lex.canonical_agency(m["agency"])
        if name is not None:
            return m, name
        if m["sep"] and _all_caps(m["place"]) and _agency_like(m["agency"]):
            return m, m["agency"].strip()
    m = pats.bare.match(head)
    if (
        m
        and _valid_place(m["place"], lex)
        and (m["region"] is None or _valid_place(m["region"], lex))
        and (_all_caps(m["place"]) or m["date"] is not None)
    ):
        return m, None
    return None


def _top_byline(text: str, pos: int) -> re.Match[str] | None:
    m = _TOP_BYLINE.match(text, pos)
    if not m:
        return None
    names = m["names"]
    if _DATE_RE.match(names):
        return None
    tokens = [t for t in re.split(r"[\s,;]+", names) if t]
    if not tokens or len(tokens) > 12 or not _cap(tokens[0]):
        return None
    for t in tokens:
        if not (_cap(t) or t.casefold() in _BYLINE_JOINERS):
            return None
    last = tokens[-1]
    if last[-1] in ".!?" and not re.fullmatch(rf"{_L}\.", last):
        return None
    return m


def _trailing_byline(text: str, start: int, lex: DatelineLexicon) -> Span | None:
    """A closing credit after ``start``, as a span, or None."""
    end = len(text.rstrip())
    if end <= start:
        return None
    pats = lex._patterns
    if pats.paren_credit is not None:
        window = max(start, end - 600)
        m = pats.paren_credit.search(text, window, len(text))
        if m and text[start:m.start()].strip():
            return _span(text, m.start(), m.start() + len(m.group(0).rstrip()))
    line_start = text.rfind("\n", start, end) + 1
    if line_start <= start:  # the credit must be a line of its own after some body text
        return None
    lead = len(text[line_start:end]) - len(text[line_start:end].lstrip())
    line_start += lead
    line = text[line_start:end]
    if not text[start:line_start].strip():
        return None
    if _END_MARK.fullmatch(line):
        return _span(text, line_start, end)
    if len(line) <= 60 and _SLASH_NAMES.fullmatch(line):
        names = re.split(r"\s*/\s*", line)
        if all(_cap(n) for n in names):
            return _span(text, line_start, end)
    if pats.line_credit is not None and pats.line_credit.fullmatch(line):
        return _span(text, line_start, end)
    folded = line.casefold()
    if len(line) <= 200 and any(p in folded for p in pats.phrases):
        return _span(text, line_start, end)
    return None


def parse_dateline(text: str, lexicon: DatelineLexicon | None = None,
                   start: int = 0) -> DatelineParts:
    """Find the dateline, region, agency, date and bylines of a dispatch (all spans).

    ``start``: where the dispatch begins (after a header line such as "This story is from
    March 10, 2002", which the body then leaves out)."""
    lex = lexicon or default_lexicon()
    n = len(text)
    pos = start + len(text[start:]) - len(text[start:].lstrip())
    bylines: list[Span] = []
    body_start = pos if start else 0
    top = _top_byline(text, pos)
    if top is not None:
        line_end = top.end() if not top.group(0).endswith("\n") else top.end() - 1
        rest = text[top.end():]
        if rest.strip():
            bylines.append(_span(text, pos, len(text[:line_end].rstrip())))
            pos = top.end() + (len(rest) - len(rest.lstrip()))
            body_start = pos
    place = region = agency = date = None
    agency_name = None
    found = _match_dateline(text, pos, lex)
    if found is not None:
        m, agency_name = found
        after = pos + m.end()
        if text[after:].strip():
            place = _group_span(text, m, "place", pos)
            region = _group_span(text, m, "region", pos)
            agency = _group_span(text, m, "agency", pos)
            date = _group_span(text, m, "date", pos)
            if agency is not None:  # "(Thomson Reuters Foundation )" → trimmed
                stripped = agency.text.strip()
                offset = agency.text.find(stripped)
                agency = _span(text, agency.start + offset, agency.start + offset + len(stripped))
            body_start = after + (len(text[after:]) - len(text[after:].lstrip()))
        else:
            agency_name = None
    body_end = n
    tail = _trailing_byline(text, body_start, lex)
    if tail is not None:
        bylines.append(tail)
        body_end = len(text[:tail.start].rstrip())
    return DatelineParts(
        body=_span(text, body_start, body_end),
        place=place,
        region=region,
        agency=agency,
        agency_name=agency_name,
        date=date,
        bylines=tuple(bylines),
    )


def split_dateline(text: str, lexicon: DatelineLexicon | None = None,
                   start: int = 0) -> Dateline:
    """The dateline (place, agency, date), byline and body span of a dispatch (from
    ``start``: see ``parse_dateline``).

    >>> d = split_dateline("Moscow, SANA-Russian Foreign Minister Sergey Lavrov said.")
    >>> d.place.text, d.agency.text, d.body.text[:7]
    ('Moscow', 'SANA', 'Russian')
    """
    return parse_dateline(text, lexicon, start).to_dateline()
