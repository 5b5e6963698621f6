"""Actors: resolve every mention in a document to who it is.

Contract used by the other extractors:

- ``load_kb(extra_files: Sequence[str]) -> KnowledgeBase`` — the packaged knowledge base
  (``dragoman/data/actors/``) with the user's files merged over it, validated at load.
- ``resolve(ctx: DocContext) -> ActorIndex`` — every actor mention of one document.
- ``ActorIndex.mentions: list[ActorMention]`` — every mention (unresolved ones with
  ``country=None``), in text order.
- ``ActorIndex.refs_for(token) -> list[ActorRef]`` — the actor(s) of the noun phrase headed
  by ``token`` (coordination expanded, pronouns and surnames resolved), [] when it is none.

The knowledge-base format and the resolution rules are documented in ``docs/actors.md``.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz as rf_fuzz
from rapidfuzz import process as rf_process
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from .. import _yaml
from ..errors import DataFileError
from ..types import ActorMention, ActorRef, Span
from .context import DocContext

__all__ = [
    "SPECIAL_CODES",
    "ActorIndex",
    "KBEntry",
    "KnowledgeBase",
    "PronounLexicon",
    "Role",
    "SectorLexicon",
    "load_kb",
    "load_pronouns",
    "resolve",
]

log = logging.getLogger(__name__)

#: country codes that are not ISO-3: intergovernmental, non-governmental, multinational,
#: international militarised group (CAMEO's code for transnational armed groups)
SPECIAL_CODES = frozenset({"IGO", "NGO", "MNC", "IMG"})

COUNTRY_COLUMNS = ("iso3", "name", "aliases", "demonyms", "capital", "wikidata")
ORG_COLUMNS = ("id", "name", "aliases", "country", "sector", "kind", "wikidata")
PEOPLE_COLUMNS = ("id", "name", "aliases", "country", "role", "sector", "start", "end", "wikidata")
ORG_KINDS = frozenset({"igo", "ngo", "group", "party", "military", "agency", "media", "company"})

_PACKAGED_ORDER = ("countries.tsv", "countries_curated.tsv", "organizations.tsv", "people.tsv")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_ID = re.compile(r"^[a-z0-9_]+$")
_MAX_ALIAS_TOKENS = 10


# --------------------------------------------------------------------------------------
# records
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Role:
    """One office a person held: ``start`` inclusive, ``end`` exclusive (None = open)."""

    title: str
    country: str
    sector: str | None
    start: dt.date | None
    end: dt.date | None

    def active(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


@dataclass(frozen=True, slots=True)
class KBEntry:
    """A knowledge-base actor: a country, an organisation or a person."""

    kb_id: str  # "country:RUS", "org:hezbollah", "person:lavrov"
    kind: str  # country | org | person
    name: str
    country: str | None
    sector: str | None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    org_kind: str | None = None
    wikidata: str | None = None
    origin: str = ""
    preferred: tuple[str, ...] = ()  # demonyms/capitals a curated or user row claims

    def role_on(self, on: dt.date | None, hint: str = "") -> Role | None:
        """The role held on ``on``; without a date the one whose title the text names
        (``hint``: lower-cased title words around the mention), else the latest."""
        if not self.roles:
            return None
        if on is not None:
            active = [r for r in self.roles if r.active(on)]
            if active:
                return _best_by_hint(active, hint) or active[-1]
            return None
        return _best_by_hint(list(self.roles), hint) or self.roles[-1]


def _best_by_hint(roles: list[Role], hint: str) -> Role | None:
    if not hint:
        return None
    best: Role | None = None
    best_score = 0
    for r in roles:
        words = set(r.title.lower().split())
        score = len(words & set(hint.split()))
        if r.title.lower() in hint:
            score += 10
        if score > best_score:
            best, best_score = r, score
    return best


@dataclass(frozen=True)
class SectorLexicon:
    """Titles and nouns → PLOVER sector (``sectors.yaml``)."""

    codes: frozenset[str]
    terms: dict[tuple[str, ...], str]  # lemma sequence → sector
    modifiers: dict[str, str]
    country_nouns: frozenset[str]
    person_titles: frozenset[str]
    max_len: int = 1
    civilian_targets: frozenset[str] = frozenset()  # "Palestinian homes" → its people, CVL
    place_target_verbs: frozenset[str] = frozenset()  # "blockade Paris": the city, not GOV

    def match_at(self, lemmas: Sequence[str], end: int) -> tuple[int, str] | None:
        """The longest term ending at ``end`` (exclusive) in ``lemmas``: (start, sector)."""
        for n in range(min(self.max_len, end), 0, -1):
            key = tuple(lemmas[end - n:end])
            sector = self.terms.get(key)
            if sector is not None:
                return end - n, sector
        return None


@dataclass(frozen=True)
class PronounLexicon:
    """Pronouns and focus cues (``pronouns.yaml``)."""

    person: frozenset[str]
    singular: frozenset[str]
    plural: frozenset[str]
    speaker: frozenset[str]
    pleonastic_heads: frozenset[str] = frozenset()
    pleonastic_passives: frozenset[str] = frozenset()
    pleonastic_adjectives: frozenset[str] = frozenset()
    diaspora_modifiers: frozenset[str] = frozenset()
    focus_preps: frozenset[str] = frozenset()


_PRONOUN_KEYS = ("person", "singular", "plural", "speaker", "pleonastic_heads",
                 "pleonastic_passives", "pleonastic_adjectives", "diaspora_modifiers",
                 "focus_preps")


@dataclass(frozen=True)
class KnowledgeBase:
    """Every actor dragoman knows, indexed for matching on token text."""

    entries: dict[str, KBEntry] = field(default_factory=dict)
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # norm alias → kb ids
    exact: dict[str, tuple[str, ...]] = field(default_factory=dict)  # acronyms (case kept)
    demonyms: dict[str, str] = field(default_factory=dict)  # norm demonym → iso3
    capitals: dict[str, str] = field(default_factory=dict)  # norm capital → iso3
    surnames: dict[str, tuple[str, ...]] = field(default_factory=dict)  # norm → person ids
    prefixes: frozenset[str] = frozenset()  # every prefix of every lower-cased key
    sectors: SectorLexicon | None = None
    files: tuple[str, ...] = ()
    pronouns: PronounLexicon | None = None
    # country names, aliases and demonyms of 5+ letters, for misspellings ("Ethopia"),
    # by first letter: initial → (normalised keys, (iso3, "name" | "demonym") per key)
    fuzzy: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = field(
        default_factory=dict)

    def country(self, iso3: str) -> KBEntry | None:
        return self.entries.get(f"country:{iso3}")

    def lookup(self, text: str) -> tuple[str, ...]:
        """kb ids whose name or alias is ``text`` (acronyms case-sensitive)."""
        hit = self.exact.get(_exact_key(text))
        if hit:
            return hit
        return self.names.get(_norm(text), ())


# --------------------------------------------------------------------------------------
# normalisation
# --------------------------------------------------------------------------------------

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "–": "-", "—": "-", "‐": "-"})


def _fold(text: str) -> str:
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return "".join(c for c in text if not unicodedata.combining(c))


def _norm(text: str) -> str:
    """Matching key of a name: accents folded, lower case, 'the' dropped, spaces collapsed."""
    t = " ".join(_fold(text).lower().split())
    t = t.removeprefix("the ")
    return t


def _exact_key(text: str) -> str:
    return " ".join(_fold(text).split())


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(alias) <= 8


# --------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------


@dataclass
class _Builder:
    entries: dict[str, KBEntry] = field(default_factory=dict)
    role_keys: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def known_country(self, code: str) -> bool:
        return code in SPECIAL_CODES or f"country:{code}" in self.entries


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _date(value: str, origin: str, column: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DataFileError(
            f"{origin}: column '{column}' is {value!r}, not an ISO date (YYYY-MM-DD)"
        ) from None


def _read_tsv(path: Path) -> tuple[tuple[str, ...], list[tuple[str, dict[str, str]]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read actor file ({exc})") from exc
    lines = text.splitlines()
    header_line = 0
    while header_line < len(lines) and (
        not lines[header_line].strip() or lines[header_line].startswith("#")
    ):
        header_line += 1
    if header_line >= len(lines):
        raise DataFileError(f"{path}: empty actor file (a TSV needs a header line)")
    header = tuple(h.strip() for h in lines[header_line].split("\t"))
    rows: list[tuple[str, dict[str, str]]] = []
    for n, line in enumerate(lines[header_line + 1:], start=header_line + 2):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != len(header):
            raise DataFileError(
                f"{path}:{n}: {len(cells)} tab-separated fields, the header has {len(header)}"
            )
        rows.append((f"{path}:{n}", {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    return header, rows


def _table_of(header: Sequence[str], origin: str) -> str:
    cols = set(header)
    for table, required in (
        ("people", PEOPLE_COLUMNS),
        ("organizations", ORG_COLUMNS),
        ("countries", COUNTRY_COLUMNS),
    ):
        if required[0] in cols and ("role" in cols) == (table == "people") and (
            ("iso3" in cols) == (table == "countries")
        ) and (("kind" in cols) == (table == "organizations")):
            missing = [c for c in required if c not in cols]
            if missing:
                raise DataFileError(
                    f"{origin}:1: missing column(s) {', '.join(missing)} for a {table} table "
                    f"(expected: {chr(9).join(required)})"
                )
            return table
    raise DataFileError(
        f"{origin}:1: header {list(header)} names no actor table; a countries table has "
        f"{list(COUNTRY_COLUMNS)}, organizations {list(ORG_COLUMNS)}, people {list(PEOPLE_COLUMNS)}"
    )


def _check_sector(value: str, origin: str, codes: frozenset[str]) -> str | None:
    if not value:
        return None
    if value not in codes:
        raise DataFileError(
            f"{origin}: sector {value!r} is not a PLOVER sector code ({', '.join(sorted(codes))})"
        )
    return value


def _check_qid(value: str, origin: str) -> str | None:
    if not value:
        return None
    if not _QID.match(value):
        raise DataFileError(f"{origin}: wikidata id {value!r} is not of the form Q123")
    return value


def _add_country(
    b: _Builder, row: dict[str, str], origin: str, seen: set[str], generated: bool = False
) -> None:
    iso = row["iso3"]
    if not _ISO3.match(iso) or iso in SPECIAL_CODES:
        raise DataFileError(f"{origin}: iso3 {iso!r} is not an ISO 3166-1 alpha-3 code")
    if iso in seen:
        raise DataFileError(f"{origin}: duplicate key iso3 {iso!r} in this file")
    seen.add(iso)
    key = f"country:{iso}"
    old = b.entries.get(key)
    capitals = tuple(c for part in _split(row["capital"]) for c in part.split(" / ") if c)
    claimed = () if generated else _split(row["demonyms"]) + capitals
    if old is None:
        if not row["name"]:
            raise DataFileError(f"{origin}: new country {iso} needs a name")
        b.entries[key] = KBEntry(
            kb_id=key, kind="country", name=row["name"], country=iso, sector=None,
            aliases=_split(row["aliases"]), demonyms=_split(row["demonyms"]),
            capitals=capitals, wikidata=_check_qid(row["wikidata"], origin), origin=origin,
            preferred=claimed,
        )
        return
    # a later row for a known country adds names (and may rename it)
    b.entries[key] = KBEntry(
        kb_id=key, kind="country", name=row["name"] or old.name, country=iso, sector=None,
        aliases=tuple(dict.fromkeys(old.aliases + _split(row["aliases"]))),
        demonyms=tuple(dict.fromkeys(_split(row["demonyms"]) + old.demonyms)),
        capitals=tuple(dict.fromkeys(capitals + old.capitals)) if capitals else old.capitals,
        wikidata=_check_qid(row["wikidata"], origin) or old.wikidata, origin=origin,
        preferred=old.preferred + claimed,
    )


def _add_org(
    b: _Builder, row: dict[str, str], origin: str, seen: set[str], codes: frozenset[str]
) -> None:
    oid = row["id"]
    if not _ID.match(oid):
        raise DataFileError(f"{origin}: id {oid!r} must be lower-case letters, digits, '_'")
    if oid in seen:
        raise DataFileError(f"{origin}: duplicate key id {oid!r} in this file")
    seen.add(oid)
    if not row["name"]:
        raise DataFileError(f"{origin}: organization {oid!r} needs a name")
    country = row["country"]
    if not b.known_country(country):
        raise DataFileError(
            f"{origin}: country {country!r} is not a known ISO-3 code nor one of "
            f"{', '.join(sorted(SPECIAL_CODES))}"
        )
    kind = row["kind"] or "group"
    if kind not in ORG_KINDS:
        raise DataFileError(f"{origin}: kind {kind!r} is not one of {', '.join(sorted(ORG_KINDS))}")
    key = f"org:{oid}"
    if key in b.entries:
        log.debug("%s: organization %s replaces %s", origin, oid, b.entries[key].origin)
    b.entries[key] = KBEntry(
        kb_id=key, kind="org", name=row["name"], country=country,
        sector=_check_sector(row["sector"], origin, codes), aliases=_split(row["aliases"]),
        org_kind=kind, wikidata=_check_qid(row["wikidata"], origin), origin=origin,
    )


def _add_person(
    b: _Builder, row: dict[str, str], origin: str, seen: set[tuple[str, str, str]],
    codes: frozenset[str],
) -> None:
    pid = row["id"]
    if not _ID.match(pid):
        raise DataFileError(f"{origin}: id {pid!r} must be lower-case letters, digits, '_'")
    rkey = (pid, row["role"], row["start"])
    if rkey in seen:
        raise DataFileError(
            f"{origin}: duplicate key (id, role, start) {rkey!r} in this file"
        )
    seen.add(rkey)
    country = row["country"]
    if not b.known_country(country):
        raise DataFileError(
            f"{origin}: country {country!r} is not a known ISO-3 code nor one of "
            f"{', '.join(sorted(SPECIAL_CODES))}"
        )
    if not row["role"]:
        raise DataFileError(f"{origin}: person {pid!r} needs a role")
    start = _date(row["start"], origin, "start")
    end = _date(row["end"], origin, "end")
    if start and end and end < start:
        raise DataFileError(f"{origin}: end {end} is before start {start}")
    role = Role(row["role"], country, _check_sector(row["sector"], origin, codes), start, end)
    key = f"person:{pid}"
    old = b.entries.get(key)
    if old is None:
        if not row["name"]:
            raise DataFileError(f"{origin}: the first row of person {pid!r} needs a name")
        b.entries[key] = KBEntry(
            kb_id=key, kind="person", name=row["name"], country=country, sector=role.sector,
            aliases=_split(row["aliases"]), roles=(role,),
            wikidata=_check_qid(row["wikidata"], origin), origin=origin,
        )
        return
    if row["name"] and row["name"] != old.name and (pid, "", "") not in seen:
        raise DataFileError(
            f"{origin}: person {pid!r} is named {row['name']!r} here but {old.name!r} at "
            f"{old.origin}"
        )
    roles = tuple(sorted(old.roles + (role,), key=lambda r: r.start or dt.date.min))
    b.entries[key] = KBEntry(
        kb_id=key, kind="person", name=old.name, country=roles[-1].country,
        sector=roles[-1].sector, aliases=tuple(dict.fromkeys(old.aliases + _split(row["aliases"]))),
        roles=roles, wikidata=old.wikidata or _check_qid(row["wikidata"], origin),
        origin=old.origin,
    )


def _yaml_rows(path: Path) -> list[tuple[str, str, dict[str, str]]]:
    """(table, origin, row) for a user YAML file: top-level keys countries/organizations/
    people, each a list of mappings with the TSV columns (aliases may be a list)."""
    try:
        text = path.read_text(encoding="utf-8")
        root = _yaml.compose(text)
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: cannot read actor file ({exc})") from exc
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise DataFileError(f"{path}:1: an actor YAML file is a mapping of tables")
    _no_duplicate_keys(root, path)
    out: list[tuple[str, str, dict[str, str]]] = []
    columns = {"countries": COUNTRY_COLUMNS, "organizations": ORG_COLUMNS, "people": PEOPLE_COLUMNS}
    for key_node, value_node in root.value:
        table = key_node.value
        if table not in columns:
            raise DataFileError(
                f"{path}:{key_node.start_mark.line + 1}: unknown table {table!r} "
                f"(countries, organizations, people)"
            )
        if not isinstance(value_node, yaml.SequenceNode):
            raise DataFileError(f"{path}:{value_node.start_mark.line + 1}: {table} must be a list")
        for item in value_node.value:
            origin = f"{path}:{item.start_mark.line + 1}"
            data = _yaml.construct(item)
            if not isinstance(data, dict):
                raise DataFileError(f"{origin}: an entry must be a mapping")
            unknown = set(data) - set(columns[table])
            if unknown:
                raise DataFileError(f"{origin}: unknown field(s) {', '.join(sorted(unknown))}")
            row: dict[str, str] = {}
            for col in columns[table]:
                v = data.get(col, "")
                if isinstance(v, list):
                    v = "|".join(str(x) for x in v)
                row[col] = "" if v is None else str(v)
            required = columns[table][0]
            if not row[required]:
                raise DataFileError(f"{origin}: missing column {required!r}")
            out.append((table, origin, row))
    return out


def _no_duplicate_keys(node: yaml.Node, path: Path) -> None:
    """YAML keeps the last of two equal keys silently; a data file must not have them."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for k, v in node.value:
            line = k.start_mark.line + 1
            if isinstance(k, yaml.ScalarNode):
                if k.value in seen:
                    raise DataFileError(
                        f"{path}:{line}: duplicate key {k.value!r} (first at line {seen[k.value]})"
                    )
                seen[k.value] = line
            _no_duplicate_keys(v, path)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _no_duplicate_keys(item, path)


def load_sectors(path: Path | None = None) -> SectorLexicon:
    """Load and validate ``sectors.yaml``."""
    path = path or _data_dir() / "sectors.yaml"
    try:
        root = _yaml.compose(path.read_text(encoding="utf-8"))
        data = _yaml.construct(root) if root is not None else None
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: cannot read sector lexicon ({exc})") from exc
    if not isinstance(data, dict) or "codes" not in data or "sectors" not in data:
        raise DataFileError(f"{path}:1: a sector lexicon needs 'codes' and 'sectors'")
    lines: dict[str, int] = {}
    if isinstance(root, yaml.MappingNode):
        _no_duplicate_keys(root, path)
        lines = {k.value: k.start_mark.line + 1 for k, _ in root.value}
    codes = frozenset(str(c) for c in data["codes"])
    terms: dict[tuple[str, ...], str] = {}
    for code, spec in (data.get("sectors") or {}).items():
        where = f"{path}:{lines.get('sectors', 1)}"
        if code not in codes:
            raise DataFileError(f"{where}: sector {code!r} is not listed in 'codes'")
        if not isinstance(spec, dict) or not isinstance(spec.get("terms"), list):
            raise DataFileError(f"{where}: sector {code} needs a 'terms' list")
        for term in spec["terms"]:
            key = tuple(str(term).lower().split())
            if not key:
                raise DataFileError(f"{where}: empty term in sector {code}")
            if key in terms and terms[key] != code:
                raise DataFileError(
                    f"{where}: duplicate key: term {' '.join(key)!r} is in {terms[key]} and {code}"
                )
            terms[key] = code
    modifiers: dict[str, str] = {}
    for word, code in (data.get("modifiers") or {}).items():
        if code not in codes:
            raise DataFileError(
                f"{path}:{lines.get('modifiers', 1)}: modifier {word!r} → unknown sector {code!r}"
            )
        modifiers[str(word).lower()] = code
    return SectorLexicon(
        codes=codes,
        terms=terms,
        modifiers=modifiers,
        country_nouns=frozenset(str(w).lower() for w in data.get("country_nouns") or ()),
        person_titles=frozenset(str(w).lower() for w in data.get("person_titles") or ()),
        civilian_targets=frozenset(str(w).lower() for w in data.get("civilian_targets") or ()),
        place_target_verbs=frozenset(
            str(w).lower() for w in data.get("place_target_verbs") or ()),
        max_len=max((len(k) for k in terms), default=1),
    )


def load_pronouns(path: Path | None = None) -> PronounLexicon:
    """Load and validate ``pronouns.yaml`` (every key a list of lower-case words, each
    listed once; unknown keys are an error)."""
    path = path or _data_dir() / "pronouns.yaml"
    try:
        root = _yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: cannot read pronoun lexicon ({exc})") from exc
    if not isinstance(root, yaml.MappingNode):
        raise DataFileError(f"{path}:1: a pronoun lexicon is a mapping of word lists")
    _no_duplicate_keys(root, path)
    out: dict[str, frozenset[str]] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        key = key_node.value
        if key not in _PRONOUN_KEYS:
            raise DataFileError(
                f"{path}:{line}: unknown key {key!r} (expected one of {', '.join(_PRONOUN_KEYS)})"
            )
        if not isinstance(value_node, yaml.SequenceNode) or not all(
            isinstance(v, yaml.ScalarNode) and v.value.strip() for v in value_node.value
        ):
            raise DataFileError(f"{path}:{line}: {key} must be a list of words")
        words = [v.value.strip().lower() for v in value_node.value]
        dup = next((w for i, w in enumerate(words) if w in words[:i]), None)
        if dup is not None:
            raise DataFileError(f"{path}:{line}: duplicate word {dup!r} in {key}")
        out[key] = frozenset(words)
    missing = [k for k in ("person", "singular", "plural", "speaker") if k not in out]
    if missing:
        raise DataFileError(f"{path}:1: missing key(s) {', '.join(missing)}")
    return PronounLexicon(**out)


def _data_dir() -> Path:
    return Path(str(importlib_resources.files("dragoman") / "data" / "actors"))


def _load_file(
    b: _Builder, path: Path, codes: frozenset[str]
) -> None:
    if path.suffix.lower() in (".yaml", ".yml"):
        rows = _yaml_rows(path)
    else:
        header, tsv_rows = _read_tsv(path)
        table = _table_of(header, str(path))
        rows = [(table, origin, row) for origin, row in tsv_rows]
    seen_c: set[str] = set()
    generated = path.name == "countries.tsv" and path.parent == _data_dir()
    seen_o: set[str] = set()
    seen_p: set[tuple[str, str, str]] = set()
    for table, origin, row in rows:
        if table == "countries":
            _add_country(b, row, origin, seen_c, generated)
        elif table == "organizations":
            _add_org(b, row, origin, seen_o, codes)
        else:
            _add_person(b, row, origin, seen_p, codes)


def load_kb(extra_files: Sequence[str] = ()) -> KnowledgeBase:
    """The packaged knowledge base with ``extra_files`` (TSV or YAML) merged over it.

    Raises ``DataFileError`` naming the file and line of the first invalid row.
    """
    data = _data_dir()
    sectors = load_sectors(data / "sectors.yaml")
    b = _Builder()
    files = [data / name for name in _PACKAGED_ORDER] + [Path(f) for f in extra_files]
    for path in files:
        if not path.exists():
            raise DataFileError(f"{path}: actor file not found")
        _load_file(b, path, sectors.codes)
    kb = _index(b.entries, sectors, tuple(str(f) for f in files))
    return dataclasses.replace(kb, pronouns=load_pronouns(data / "pronouns.yaml"))


def _index(
    entries: dict[str, KBEntry], sectors: SectorLexicon, files: tuple[str, ...]
) -> KnowledgeBase:
    names: dict[str, list[str]] = {}
    exact: dict[str, list[str]] = {}
    demonyms: dict[str, str] = {}
    capitals: dict[str, str] = {}
    surnames: dict[str, list[str]] = {}

    def put(index: dict[str, list[str]], key: str, kb_id: str) -> None:
        ids = index.setdefault(key, [])
        if kb_id not in ids:
            ids.append(kb_id)

    for kb_id, e in entries.items():
        for alias in (e.name, *e.aliases):
            if _is_acronym(alias):
                put(exact, _exact_key(alias), kb_id)
            else:
                put(names, _norm(alias), kb_id)
        if e.kind == "country":
            # a demonym or capital several countries share ("French": FRA, SPM…) goes to
            # the first one, unless a curated or user row claims it
            for d in e.demonyms:
                demonyms.setdefault(_norm(d), e.country or "")
            for c in e.capitals:
                capitals.setdefault(_norm(c), e.country or "")
        if e.kind == "person":
            for full in (e.name, *e.aliases):
                parts = full.split()
                if len(parts) < 2:
                    continue
                last = parts[-1]
                put(surnames, _norm(last), kb_id)
                if "-" in last and last.split("-", 1)[0].lower() in ("al", "el", "ad", "as"):
                    put(surnames, _norm(last.split("-", 1)[1]), kb_id)
    for e in entries.values():
        if e.kind == "country":
            for d in e.preferred:
                if d in e.demonyms:
                    demonyms[_norm(d)] = e.country or ""
                if d in e.capitals:
                    capitals[_norm(d)] = e.country or ""
    fuzzy: dict[str, tuple[str, str]] = {}
    for e in entries.values():
        if e.kind != "country" or not e.country:
            continue
        for alias in (e.name, *e.aliases):
            k = _norm(alias)
            if len(k) >= 5 and not _is_acronym(alias) and names.get(k, [""])[0] == e.kb_id:
                fuzzy.setdefault(k, (e.country, "name"))
        for d in e.demonyms:
            k = _norm(d)
            if len(k) >= 5 and demonyms.get(k) == e.country:
                fuzzy.setdefault(k, (e.country, "demonym"))
    prefixes: set[str] = set()
    plural = [d + "s" for d in demonyms if not d.endswith(("s", "ese", "sh", "ch"))]
    for key in (*names, *(k.lower() for k in exact), *demonyms, *plural, *capitals):
        for n in range(1, len(key) + 1):
            prefixes.add(key[:n])
    return KnowledgeBase(
        entries=entries,
        names={k: tuple(v) for k, v in names.items()},
        exact={k: tuple(v) for k, v in exact.items()},
        demonyms=demonyms,
        capitals=capitals,
        surnames={k: tuple(v) for k, v in surnames.items()},
        prefixes=frozenset(prefixes),
        sectors=sectors,
        files=files,
        fuzzy={c: (tuple(k for k in fuzzy if k[0] == c),
                   tuple(v for k, v in fuzzy.items() if k[0] == c))
               for c in {k[0] for k in fuzzy}},
    )


# --------------------------------------------------------------------------------------
# resolution
# --------------------------------------------------------------------------------------

_FUZZY_CUTOFF = 90.0  # rapidfuzz ratio for a misspelt country name
_TITLE_WINDOW = 8  # tokens walked left of a name for its title
_FOCUS_SENTENCES = 3  # sentences looked back for the country in focus of a titled person
_LOCATIVE_PREPS = {
    "in", "at", "near", "inside", "across", "throughout", "into", "within", "around",
    "outside",
}
_AGENT_DEPS = {"nsubj", "nsubjpass", "agent", "poss", "csubj"}
_ARG_DEPS = _AGENT_DEPS | {"dobj", "dative", "pobj", "conj", "appos"}
_STOP_LEFT = {"DET", "ADP", "VERB", "AUX", "PUNCT", "CCONJ", "SCONJ", "PRON", "NUM", "SPACE"}
_NAME_LABELS = {"PERSON", "ORG", "NORP", "GPE", "FAC", "LOC"}


@dataclass
class _Mention:
    start: int  # token indices [start, end)
    end: int
    head: int
    name: str | None
    country: str | None
    sector: str | None
    kb_id: str | None
    kind: str
    resolved_by: str
    role: str | None = None  # person's role title (for "the minister")
    alts: list[tuple[str | None, str | None]] = field(default_factory=list)  # coordination


@dataclass
class ActorIndex:
    """The actors of one document: mentions and a per-token lookup for the extractors."""

    ctx: DocContext
    mentions: list[ActorMention] = field(default_factory=list)
    _by_token: dict[int, _Mention] = field(default_factory=dict, repr=False)
    _items: list[_Mention] = field(default_factory=list, repr=False)
    _demonyms: dict[int, tuple[int, int, str, str | None, str | None]] = field(
        default_factory=dict, repr=False)  # token → (start, end, iso3, name, kb_id)
    _places: dict[int, tuple[int, int, str, str | None, str | None]] = field(
        default_factory=dict, repr=False)  # place token → (start, end, iso3, name, kb_id)
    _focus_preps: frozenset[str] = frozenset()
    _civilian_targets: frozenset[str] = frozenset()

    def is_civilian_target(self, token: Token) -> bool:
        """Whether ``token`` is a noun for what civilians own or live in ("homes",
        "village", "residential areas"): as an event's target it stands for civilians."""
        return token.pos_ == "NOUN" and token.lemma_.lower() in self._civilian_targets

    def refs_for(self, token: Token) -> list[ActorRef]:
        """The actor(s) of the noun phrase headed by ``token`` ([] when it names none).

        Coordinated phrases ("Russia and Iran", "Hungarian and Romanian officials") give one
        ref per conjunct; pronouns, surnames and role nouns come back resolved.
        """
        if token.doc is not self.ctx.doc:
            return []
        out: list[ActorRef] = []
        self._collect(token, out, depth=0)
        # de-duplicate (a conjunct may be reached twice)
        seen: set[tuple[int, int, str | None, str | None]] = set()
        uniq: list[ActorRef] = []
        for r in out:
            key = (r.start, r.end, r.name, r.country)
            if key not in seen:
                seen.add(key)
                uniq.append(r)
        return uniq

    def _collect(self, token: Token, out: list[ActorRef], depth: int) -> None:
        if depth > 6:
            return
        m = self._by_token.get(token.i)
        if m is not None:
            out.extend(self._refs(m))
        elif token.i in self._demonyms:
            # a demonym as the argument itself ("Palestinian riots", "rejected an Israeli…")
            self._modifier(token, out, conjuncts=False)
        elif token.pos_ in ("NOUN", "PROPN") and depth == 0:
            # no actor itself: the one its modifier names ("an Indian proposal",
            # "Saudi Arabia's stance", "the Turkish and Greek sides"), else the country
            # it is placed in ("opposition groups in Zimbabwe")
            n = len(out)
            for child in token.children:
                # "the Federal Minister for Interior X", "opposition leader X": the person
                pm = self._by_token.get(child.i) if child.dep_ == "appos" else None
                if pm is not None and pm.kind == "person":
                    out.extend(self._refs(pm))
                    break
            if len(out) == n:
                for child in token.children:
                    if child.dep_ in ("amod", "compound", "poss", "nmod") and child.i < token.i:
                        self._modifier(child, out)
            if len(out) == n:
                self._placed_in(token, out)
        for child in token.children:
            if child.dep_ == "conj" and child.i > token.i:
                self._collect(child, out, depth + 1)

    def place_ref(self, token: Token) -> ActorRef | None:
        """The country of a place that is no actor but an event's target ("a curfew in
        **Algiers**", "fired at targets in **Jericho**"): a ref to the place's text with its
        country and sector CVL (a place that is an action's target stands for the people
        who live there), or None when ``token`` is in no known place."""
        if token.doc is not self.ctx.doc or token.i not in self._places:
            return None
        start, end, iso, name, kb_id = self._places[token.i]
        s = _span_of(self.ctx, self.ctx.doc[start:end])
        return ActorRef(s.text, s.start, s.end, name, iso, "CVL", kb_id, "country")

    def _placed_in(self, token: Token, out: list[ActorRef]) -> None:
        """"groups in Zimbabwe", "students throughout Indonesia": a group, country unknown,
        placed in a country by a preposition right after it."""
        for p in token.children:
            if p.dep_ != "prep" or p.i <= token.i or p.lower_ not in self._focus_preps:
                continue
            for o in p.children:
                if o.dep_ != "pobj":
                    continue
                m = self._by_token.get(o.i)
                iso = m.country if m is not None and m.kind == "country" else None
                if iso is None and o.i in self._places:
                    iso = self._places[o.i][2]
                if iso is None or iso in SPECIAL_CODES:
                    continue
                s = _span_of(self.ctx, self.ctx.doc[token.left_edge.i:o.right_edge.i + 1])
                entry_name = m.name if m is not None else self._places[o.i][3]
                out.append(ActorRef(s.text, s.start, s.end, entry_name, iso, None, None, "group"))
                return

    def _modifier(self, tok: Token, out: list[ActorRef], conjuncts: bool = True,
                  depth: int = 0) -> None:
        extra = [c for c in tok.children if c.dep_ == "conj"] if conjuncts else []
        for t in (tok, *extra):
            m = self._by_token.get(t.i)
            if m is not None and m.kind != "pronoun":
                out.extend(self._refs(m))
                continue
            d = self._demonyms.get(t.i)
            if d is not None:
                start, end, iso, name, kb_id = d
                s = _span_of(self.ctx, self.ctx.doc[start:end])
                out.append(ActorRef(s.text, s.start, s.end, name, iso, None, kb_id, "country"))
            elif depth == 0 and t.dep_ == "compound":
                # "US Predator attacks": the modifier of a compound modifier
                for c in t.children:
                    if c.dep_ in ("compound", "amod") and c.i < t.i:
                        self._modifier(c, out, conjuncts, depth + 1)

    def _refs(self, m: _Mention) -> list[ActorRef]:
        span = self.ctx.doc[m.start:m.end]
        s = _span_of(self.ctx, span)
        refs = [ActorRef(s.text, s.start, s.end, m.name, m.country, m.sector, m.kb_id, m.kind)]
        for country, name in m.alts:
            refs.append(ActorRef(s.text, s.start, s.end, name, country, m.sector, None, m.kind))
        return refs


class _Resolver:
    """One document's resolution (see docs/actors.md for the rules, in order)."""

    def __init__(self, ctx: DocContext, kb: KnowledgeBase) -> None:
        self.ctx = ctx
        self.doc: Doc = ctx.doc
        self.kb = kb
        self.lex = kb.sectors or load_sectors()
        self.date = ctx.published
        self.items: list[_Mention] = []
        self.by_token: dict[int, _Mention] = {}
        self.taken: set[int] = set()  # tokens inside a named mention
        self.toks: list[Token] = list(self.doc)  # spaCy builds a new Token on every access
        self.lemmas = [t.lemma_.lower() for t in self.toks]
        self.pron = kb.pronouns or _default_pronouns()
        self.place_country: dict[int, str] = {}  # gazetteer place token → its country
        self.place_spans: dict[int, tuple[int, int, str]] = {}  # token → place (start, end, iso3)
        self.place_tokens, self.metonym_tokens = self._places()
        self.country_at: dict[int, str] = {}  # token → country named there (for focus)
        self.demonym_at: dict[int, tuple[int, int, str]] = {}  # token → (start, end, iso3)
        self.demonym_tok: dict[int, tuple[int, str]] = {}  # every demonym token → start, iso3
        self.skip: set[int] = self._dateline_tokens()
        self._sent_of: list[int] | None = None
        self._sent_starts: list[int] = []
        self._group_cache: dict[int, _Mention | None] = {}
        self._focus_points: list[tuple[int, str]] | None = None
        self._diaspora: list[_Mention] = []
        self._title_words = frozenset(
            w for k, sec in self.lex.terms.items() if sec in ("GOV", "MIL", "JUD", "LEG")
            and len(k) <= 3 for w in k
        ) | self.lex.person_titles | {"vice", "deputy", "mr.", "mrs.", "ms.", "dr."}

    # ---- inputs --------------------------------------------------------------------

    def _places(self) -> tuple[set[int], set[int]]:
        places: set[int] = set()
        metonyms: set[int] = set()
        if not self.ctx.places:
            return places, metonyms
        for p in self.ctx.places:
            span = self.doc.char_span(
                p.start - self.ctx.base, p.end - self.ctx.base, alignment_mode="expand"
            )
            if span is None:
                continue
            for t in span:
                places.add(t.i)
                if p.role == "metonym":
                    metonyms.add(t.i)
                if p.country and p.role != "dateline":
                    self.place_country.setdefault(t.i, p.country)
                    self.place_spans.setdefault(t.i, (span.start, span.end, p.country))
        return places, metonyms

    def _dateline_tokens(self) -> set[int]:
        """Tokens of a dateline the body still holds ("Moscow, SANA-" at the very start)."""
        doc = self.doc
        out: set[int] = set()
        if len(doc) > 3 and self.toks[1].text == "," and _norm(self.toks[0].text) in self.kb.capitals:
            # "Moscow, SANA-Russian ..." / "Moscow, (Reuters) -"
            for t in doc[:6]:
                if t.text in ("-", "—", "–") or t.text.endswith("-"):
                    out.update(range(t.i + 1))
                    break
            if out or (self.toks[2].is_upper and len(self.toks[2]) <= 8):
                out.update({0, 1})
        return out

    # ---- matching ------------------------------------------------------------------

    def _kb_matches(self) -> list[tuple[int, int, str, Any]]:
        """Longest KB matches, left to right: (start, end, what, value)."""
        doc, kb = self.doc, self.kb
        folded = [_fold(t.text) for t in self.toks]
        lowered = [f.lower() for f in folded]
        ws = [bool(t.whitespace_) for t in self.toks]
        out: list[tuple[int, int, str, Any]] = []
        prefixes = kb.prefixes
        i = 0
        n = len(doc)
        while i < n:
            if lowered[i] not in prefixes or lowered[i] == "the" or i in self.skip:
                i += 1
                continue
            best: tuple[int, str, Any] | None = None
            exact = ""
            key = ""
            upper = False
            for j in range(i, min(n, i + _MAX_ALIAS_TOKENS)):
                piece = folded[j]
                if j > i:
                    sep = " " if ws[j - 1] else ""
                    exact += sep
                    key += sep
                exact += piece
                key += lowered[j]
                if key not in prefixes or "\n" in piece or not piece.strip():
                    break
                upper = upper or any(c.isupper() for c in piece)
                if not upper:
                    continue
                ids = kb.exact.get(exact) or kb.names.get(key)
                if ids:
                    best = (j + 1, "kb", ids)
                elif key in kb.demonyms:
                    best = (j + 1, "demonym", kb.demonyms[key])
                elif key in kb.capitals:
                    best = (j + 1, "capital", kb.capitals[key])
                elif key.endswith("s") and key[:-1] in kb.demonyms:
                    best = (j + 1, "demonyms", kb.demonyms[key[:-1]])
            if best is None:
                i += 1
                continue
            end, what, value = best
            out.append((i, end, what, value))
            i = end
        return out

    def _choose(self, ids: Sequence[str], hint: str) -> KBEntry:
        entries = [self.kb.entries[i] for i in ids]
        if len(entries) > 1 and self.date is not None:
            active = [e for e in entries if e.kind != "person" or e.role_on(self.date)]
            if active:
                entries = active
        if len(entries) > 1 and hint:
            for e in entries:
                if e.kind == "person" and _best_by_hint(list(e.roles), hint):
                    return e
        return entries[0]

    # ---- left/right context of a name ------------------------------------------------

    def _title_context(
        self, start: int, end: int, nested: bool = False
    ) -> tuple[str | None, str | None, str, int]:
        """Country, sector, title words and new start from the words before (or the
        apposition after) a name: "Russian Foreign Minister [Sergey Lavrov]"; a name in
        apposition to a title before it takes that title ("Qatar's emir, [Sheikh Hamad]",
        "the Federal Minister for Interior [X]")."""
        doc = self.doc
        country: str | None = None
        sector: str | None = None
        words: list[str] = []
        i = start - 1
        new_start = start
        # a title is a few words long: walk at most _TITLE_WINDOW tokens left, never past
        # the sentence start (unpunctuated text would otherwise make this quadratic)
        floor = max(self._sent_start(start), start - _TITLE_WINDOW)
        while i >= floor and i not in self.skip:
            t = self.toks[i]
            if t.text in ("'s", "’s", "'"):
                i -= 1
                continue
            if t.text == "-" and i > 0 and not self.toks[i - 1].whitespace_ and not t.whitespace_:
                i -= 1  # "Secretary-General"
                continue
            m = self.by_token.get(i)
            if m is not None and m.kind in ("org", "group", "country") and m.start < start:
                # "Arab League Secretary-General X", "Niger's ambassador X"
                if country is None and m.country and (
                    m.kind == "country" or m.country in SPECIAL_CODES
                ):
                    country = m.country
                new_start = min(new_start, m.start)
                i = min(i, m.start) - 1  # always move left, even on an odd token map
                continue
            if t.pos_ in _STOP_LEFT and t.lower_ not in ("foreign",):
                break
            if t.is_punct or "\n" in t.text:
                break
            low = t.lemma_.lower()
            key = _norm(t.text)
            iso = self._demonym_of(t) or self.kb.demonyms.get(key)
            if iso is not None:
                country = iso  # the nearest demonym wins over an organisation's country
            elif country is None and self.kb.names.get(key):
                e = self.kb.entries[self.kb.names[key][0]]
                if e.kind == "country":
                    country = e.country
            elif t.pos_ in ("NOUN", "PROPN", "ADJ"):
                words.append(t.lower_)
                if low in self.lex.modifiers and sector is None:
                    sector = self.lex.modifiers[low]
            else:
                break
            new_start = i
            i -= 1
        words.reverse()
        title_lemmas = [_lemma_word(w) for w in words]
        term: tuple[int, str] | None = None
        for stop in range(len(title_lemmas), 0, -1):
            term = self.lex.match_at(title_lemmas, stop)
            if term:
                break
        if term:
            # a modifier ("opposition negotiator") beats a generic title sector
            term_sector = term[1]
            # ("former president X": an elite, no longer the government)
            sector = sector if sector in ("REB", "MIL", "OPP", "ELI") and term_sector == "GOV" \
                else term_sector
        if term is None and country is None and not nested and end > start:
            head = self._title_head_before(start, end, i)
            if head is not None:
                c2, s2, w2, _ = self._title_context(head.i + 1, head.i + 1, nested=True)
                if s2 is not None:
                    return c2, s2, w2, new_start
        # apposition after: "Adel al-Jubeir, Saudi foreign minister,"
        if not words and end < len(doc) - 2 and self.toks[end].text == ",":
            j = end + 1
            app: list[Token] = []
            while j < len(doc) and not self.toks[j].is_punct and len(app) < 6:
                app.append(self.toks[j])
                j += 1
            lem = [_lemma_word(t.lower_) for t in app if t.pos_ != "DET"]
            hit = self.lex.match_at(lem, len(lem)) if lem else None
            if hit:
                sector = hit[1]
                words = [t.lower_ for t in app]
                for t in app:
                    key = _norm(t.text)
                    if key in self.kb.demonyms:
                        country = self.kb.demonyms[key]
                        break
        return country, sector, " ".join(words), new_start

    def _title_head_before(self, start: int, end: int, stop: int) -> Token | None:
        """The title noun a name stands in apposition to: the parse's ``appos`` head before
        it, or the noun right before the comma where the title walk stopped."""
        doc = self.doc
        root = doc[start:end].root
        cands: list[Token] = []
        if root.dep_ == "appos" and root.head.i < start and start - root.head.i <= _TITLE_WINDOW:
            cands.append(root.head)
        if 0 < stop < start and self.toks[stop].text == "," and self.toks[stop - 1].pos_ in ("NOUN", "PROPN"):
            cands.append(self.toks[stop - 1])
        for h in cands:
            if h.i in self.taken and self.by_token.get(h.i) is not None and (
                self.by_token[h.i].kind == "person"
            ):
                continue
            if self.lex.match_at(self.lemmas, h.i + 1) is not None or (
                self.lemmas[h.i] in self.lex.person_titles
            ):
                return h
        return None

    # ---- the passes ------------------------------------------------------------------

    def run(self) -> None:
        self._named()
        self._ner()
        self._focus_pass()
        self._surnames()
        self._nominals()
        self._pronouns()
        self._group_pronouns()
        self._we_in_quotes()

    def _add(self, m: _Mention) -> None:
        self.items.append(m)
        for t in range(m.start, m.end):
            self.by_token.setdefault(t, m)
        self.by_token[m.head] = m

    def _head_of(self, start: int, end: int) -> int:
        span = self.doc[start:end]
        return span.root.i

    def _named(self) -> None:
        for start, end, what, value in self._kb_matches():
            head = self._head_of(start, end)
            if what == "kb":
                country, sector, hint, _ = self._title_context(start, end)
                e = self._choose(value, hint)
                self._add(self._from_entry(e, start, end, head, hint, "kb", country, sector))
                if e.kind == "country":
                    self.country_at[start] = e.country or ""
                self.taken.update(range(start, end))
            elif what == "capital":
                self.country_at[start] = value
                for k in range(start, end):
                    self.place_spans.setdefault(k, (start, end, value))
                t = self.toks[head]
                locative = t.dep_ == "pobj" and t.head.lower_ in _LOCATIVE_PREPS
                if head in self.metonym_tokens or (
                    t.dep_ in _ARG_DEPS and not locative and head not in self.skip
                ):
                    entry = self.kb.country(value)
                    # "blockade Paris", "shelled Kabul": the city and its people
                    sector = "CVL" if t.dep_ == "dobj" and \
                        t.head.lemma_.lower() in self.lex.place_target_verbs else "GOV"
                    self._add(_Mention(start, end, head, entry.name if entry else None, value,
                                       sector, entry.kb_id if entry else None, "country",
                                       "metonym"))
                self.taken.update(range(start, end))
            elif what in ("demonym", "demonyms"):
                prev = self.demonym_tok.get(start - 1)
                if prev is not None and prev[0] in self.demonym_at:
                    # "Bosnian Serbs", "Bosnian Serb forces": a people of the first country
                    first, value = prev[0], prev[1]
                    self.demonym_at[first] = (first, end, value)
                    start = first
                self.country_at[start] = value
                self.demonym_at[start] = (start, end, value)
                for k in range(start, end):
                    self.demonym_tok[k] = (start, value)
                # a plural demonym is a noun ("the Russians", "Palestinians"): its people
                t = self.toks[head]
                if what == "demonyms" and t.dep_ not in ("amod", "compound"):
                    entry = self.kb.country(value)
                    m = _Mention(start, end, head, entry.name if entry else None, value,
                                 "CVL", None, "group", "demonym")
                    self._add(m)
                    if start > 0 and self.lemmas[start - 1] in self.pron.diaspora_modifiers:
                        self._diaspora.append(m)  # "ethnic Albanians": settled in _focus_pass
                    self.taken.update(range(start, end))
        self._places_as_actors()
        self._misspelt_countries()

    def _misspelt_countries(self) -> None:
        """A name the tagger calls a place, organisation or nationality that is a country
        name or demonym misspelt by a letter ("Ethopia", "Quatar"): that country."""
        if not self.kb.fuzzy:
            return
        spans: list[tuple[int, int]] = []
        in_ents: set[int] = set()
        for ent in self.doc.ents:
            in_ents.update(range(ent.start, ent.end))
            if ent.label_ in ("GPE", "ORG", "NORP", "LOC") and len(ent) <= 3:
                start = ent.start + (self.toks[ent.start].lower_ == "the")
                spans.append((start, ent.end))
        for t in self.toks:  # a capitalised word the tagger left out of every entity
            if t.i not in in_ents and t.pos_ in ("PROPN", "ADJ") and t.text[:1].isupper():
                spans.append((t.i, t.i + 1))
        for start, end in spans:
            if start >= end or any(t in self.taken or t in self.skip or t in self.place_tokens
                                   for t in range(start, end)):
                continue
            key = _norm(self.doc[start:end].text)
            if len(key) < 5 or not key.replace(" ", "").isalpha():
                continue
            # a misspelling keeps its first letter: compare with names of that initial only
            keys, values = self.kb.fuzzy.get(key[0], ((), ()))
            hit = rf_process.extractOne(key, keys, scorer=rf_fuzz.ratio,
                                        score_cutoff=_FUZZY_CUTOFF) if keys else None
            if hit is None:
                continue
            iso, what = values[hit[2]]
            head = self._head_of(start, end)
            self.country_at[start] = iso
            if what == "demonym":
                self.demonym_at[start] = (start, end, iso)
                for k in range(start, end):
                    self.demonym_tok[k] = (start, iso)
                continue
            entry = self.kb.country(iso)
            if entry is None:
                continue
            self._add(self._from_entry(entry, start, end, head, "", "kb", None, None))
            self.taken.update(range(start, end))

    def _places_as_actors(self) -> None:
        """A gazetteer place that is the subject or object of a verb stands for its people
        or authorities ("Samarra was attacked"): its country, sector unknown."""
        if not self.ctx.places:
            return
        for p in self.ctx.places:
            if p.role == "dateline" or not p.country:
                continue
            span = self.doc.char_span(p.start - self.ctx.base, p.end - self.ctx.base,
                                      alignment_mode="expand")
            if span is None or any(t.i in self.taken for t in span):
                continue
            root = span.root
            if root.dep_ not in ("nsubj", "nsubjpass", "dobj", "agent") and p.role != "metonym":
                continue
            entry = self.kb.country(p.country)
            sector = "GOV" if p.role == "metonym" else None
            self._add(_Mention(span.start, span.end, root.i, entry.name if entry else None,
                               p.country, sector, entry.kb_id if entry else None, "country",
                               "metonym"))
            self.taken.update(range(span.start, span.end))

    def _from_entry(
        self, e: KBEntry, start: int, end: int, head: int, hint: str, how: str,
        ctx_country: str | None, ctx_sector: str | None,
    ) -> _Mention:
        if e.kind == "person":
            role = e.role_on(self.date, hint)
            if role is None and self.date is not None:
                # outside every role on that date: keep who they are, not an office
                return _Mention(start, end, head, e.name, ctx_country or e.roles[-1].country,
                                ctx_sector, e.kb_id, "person", how)
            assert role is not None
            sector = role.sector
            if self.date is None and hint and ctx_sector and not _best_by_hint(list(e.roles), hint):
                sector = ctx_sector  # "General Michel Aoun" before his presidency
            return _Mention(start, end, head, e.name, role.country, sector, e.kb_id,
                            "person", how, role=role.title)
        if e.kind == "country":
            tok = self.toks[head]
            sector = "GOV"
            if tok.dep_ == "pobj" and tok.head.lower_ in _LOCATIVE_PREPS:
                sector = None
            return _Mention(start, end, head, e.name, e.country, sector, e.kb_id, "country", how)
        kind = "org" if e.org_kind in ("igo", "ngo", "agency", "media", "company", "military") else "group"
        return _Mention(start, end, head, e.name, e.country, e.sector, e.kb_id, kind, how)

    def _overlaps_place(self, start: int, end: int) -> bool:
        return any(t in self.place_tokens for t in range(start, end))

    def _ner(self) -> None:
        """Named entities the KB does not know: people (title → country/sector), orgs."""
        person_texts: set[str] = set()
        ents = [(e.start, e.end, e.label_, e.root.i) for e in self.doc.ents]
        for start, end, label, _ in ents:
            if label == "PERSON" and self._good_person(start, end):
                person_texts.add(_norm(self.doc[start:end].text))
        ents.extend(self._titled_names({i for s, e, _, _ in ents for i in range(s, e)}))
        ents.sort()
        for start, end, label, root in ents:
            if label not in ("PERSON", "ORG") or any(
                t in self.taken or t in self.skip for t in range(start, end)
            ):
                continue
            while start < end and self.toks[start].lower_ == "the":
                start += 1
            if start >= end:
                continue
            if label == "PERSON":
                while end - start > 1 and (
                    self._is_title_word(self.toks[start]) or self.toks[start].text == "-"
                ):
                    start += 1  # "Vice-President Moody Awori": the title is context
            elif all(self._demonym_of(t) or self._is_title_word(t) or t.is_punct
                     for t in self.doc[start:end]):
                continue  # "[British Defence] Secretary Tom King", "[Ugandan] rebels"
            key = _norm(self.doc[start:end].text)
            if end - start == 1 and (self._surname_of(key) or key in self.kb.surnames):
                continue  # a bare surname: left to the surname pass
            titled = start > 0 and self.toks[start - 1].lemma_.lower() in self.lex.person_titles and all(
                t.pos_ == "PROPN" for t in self.doc[start:end])
            is_person = label == "PERSON" or key in person_texts or titled
            if is_person:
                if not self._good_person(start, end):
                    continue
                country, sector, hint, _ = self._title_context(start, end)
                name = self.doc[start:end].text
                how = "title" if (country or sector) else "ner"
                self._add(_Mention(start, end, root, name, country, sector, None,
                                   "person", how, role=hint or None))
            else:
                if self._surname_of(key) or self._junk(start, end):
                    continue  # left to the surname pass
                country, sector = self._org_attrs(start, end)
                self._add(_Mention(start, end, root, self.doc[start:end].text, country,
                                   sector, None, "org", "ner"))
            self.taken.update(range(start, end))

    def _is_title_word(self, t: Token) -> bool:
        low = t.lower_
        return low in self._title_words or t.lemma_.lower() in self._title_words

    def _titled_names(self, in_ents: set[int]) -> list[tuple[int, int, str, int]]:
        """Proper names right after a person title that the tagger missed
        ("ambassador Brah Mohamane", "President Juvenal Habyariman")."""
        doc = self.doc
        out: list[tuple[int, int, str, int]] = []
        i = 1
        while i < len(doc):
            prev = self.toks[i - 1]
            if (self.toks[i].pos_ == "PROPN" and i not in in_ents and i not in self.taken
                    and prev.lemma_.lower() in self.lex.person_titles and self.toks[i].text[:1].isupper()):
                j = i
                while j < len(doc) and self.toks[j].pos_ == "PROPN" and j not in in_ents and (
                    j not in self.taken
                ):
                    j += 1
                if j - i <= 4:
                    out.append((i, j, "PERSON", doc[i:j].root.i))
                i = j
            i += 1
        return out

    def _good_person(self, start: int, end: int) -> bool:
        span = self.doc[start:end]
        if "\n" in span.text or self._overlaps_place(start, end) or self._junk(start, end):
            return False
        root = span.root
        if root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE_PREPS:
            return False  # "in Khan Sheikhoun": people are not where things happen
        if not any(t.is_alpha and t.text[:1].isupper() for t in span):
            return False
        for t in span:
            key = _norm(t.text)
            if key in self.kb.demonyms or key in self.kb.capitals:
                return False
            ids = self.kb.lookup(t.text)
            if ids and self.kb.entries[ids[0]].kind != "person":
                return False
        return True

    def _junk(self, start: int, end: int) -> bool:
        span = self.doc[start:end]
        txt = span.text
        if len(txt) < 2 or "/" in txt or "\n" in txt:
            return True
        return all(not t.is_alpha for t in span)

    def _org_attrs(self, start: int, end: int) -> tuple[str | None, str | None]:
        country: str | None = None
        lem = [self.lemmas[i] for i in range(start, end)]
        sector = None
        for e in range(len(lem), 0, -1):
            hit = self.lex.match_at(lem, e)
            if hit:
                sector = hit[1]
                break
        for i in range(start, end):
            key = _norm(self.toks[i].text)
            if key in self.kb.demonyms:
                country = self.kb.demonyms[key]
                break
            ids = self.kb.names.get(key)
            if ids and self.kb.entries[ids[0]].kind == "country":
                country = self.kb.entries[ids[0]].country
                break
        if country is None:
            country = self._title_context(start, end)[0]
        return country, sector

    def _surname_of(self, key: str) -> _Mention | None:
        """A person already mentioned whose surname is ``key``."""
        for m in reversed(self.items):
            if m.kind != "person" or not m.name:
                continue
            parts = m.name.split()
            if len(parts) < 2:
                continue
            last = _norm(parts[-1])
            if key == last or (key.split("-")[-1] == last.split("-")[-1] and "-" in last):
                return m
        return None

    def _surnames(self) -> None:
        """Bare surnames ("Lavrov", even when tagged ORG) → the person named in full."""
        people = sorted((m for m in self.items if m.kind == "person"), key=lambda m: m.start)
        for t in self.toks:
            if t.i in self.taken or t.i in self.skip or t.pos_ != "PROPN":
                continue
            if t.i in self.place_tokens or (t.dep_ == "compound" and t.head.pos_ == "PROPN"):
                continue  # "Khan Sheikhoun" is a place, not Mr Khan
            key = _norm(t.text)
            prior = None
            for m in people:
                if m.name and m.end <= t.i + 1 and len(m.name.split()) > 1:
                    last = _norm(m.name.split()[-1])
                    if key == last or ("-" in last and key == last.split("-", 1)[1]):
                        prior = m
            if prior is None:
                prior = self._kb_surname(t)
            if prior is None:
                continue
            if prior.kb_id is None and prior.country is None and prior.sector is None:
                country, sector = self._title_context(t.i, t.i + 1)[:2]
            else:
                country, sector = prior.country, prior.sector
            m = _Mention(t.i, t.i + 1, t.i, prior.name, country, sector, prior.kb_id, "person",
                         "coref", role=prior.role)
            self._add(m)
            self.taken.add(t.i)
            people.append(m)

    def _kb_surname(self, t: Token) -> _Mention | None:
        ids = self.kb.surnames.get(_norm(t.text))
        if not ids:
            return None
        ent = t.ent_type_
        country, sector, hint, _ = self._title_context(t.i, t.i + 1)
        if ent not in ("PERSON", "ORG") and not hint:
            return None
        cands = [self.kb.entries[i] for i in ids]
        if self.date is not None:
            active = [e for e in cands if e.role_on(self.date)]
            cands = active or cands
        if len(cands) > 1 and hint:
            cands = [e for e in cands if _best_by_hint(list(e.roles), hint)] or cands
        if len(cands) > 1:
            # "President Bush": not sure who, but sure of the country and sector
            shared = {(e.roles[-1].country, e.roles[-1].sector) for e in cands}
            if len(shared) != 1:
                return None
            c, sec = shared.pop()
            return _Mention(t.i, t.i + 1, t.i, t.text, c, sec, None, "person", "kb",
                            role=hint or None)
        return self._from_entry(cands[0], t.i, t.i + 1, t.i, hint, "kb", country, sector)

    def _focus_country(self, before: int) -> str | None:
        best = None
        for i, c in self.country_at.items():
            if i < before and (best is None or i > best[0]):
                best = (i, c)
        return best[1] if best else None

    def _country_after(self, i: int) -> str | None:
        """A country named by "in X"/"of X" right after token ``i`` ("the regime in Syria")."""
        doc = self.doc
        if i + 2 < len(doc) and self.toks[i + 1].lower_ in ("in", "of"):
            m = self.by_token.get(i + 2)
            if m is not None and m.kind == "country":
                return m.country
        return None

    def _nominals(self) -> None:
        """Common-noun actors: "Iranian advisors", "Saudi regime", "the country's government",
        "the minister" (→ the last person with that role), "the terrorist organizations"."""
        doc = self.doc
        placeless: list[_Mention] = []
        for t in self.toks:
            if t.i in self.taken or t.i in self.skip or t.pos_ not in ("NOUN", "PROPN"):
                continue
            if t.dep_ in ("compound", "amod", "nmod") and t.head.pos_ in ("NOUN", "PROPN"):
                continue  # a modifier ("press conference"), not the head of a phrase
            if t.lower_ in self.lex.country_nouns:
                self._country_noun(t)
                continue
            if (t.ent_type_ == "NORP" and t.tag_ in ("NNS", "NNPS")) or (
                t.tag_ == "NNPS" and any(self._demonym_of(c) for c in t.children if c.i < t.i)
            ):
                # "Iraqi Kurds", "ethnic Albanians": a people
                countries, _, left = self._np_countries(t, t.i)
                if any(c.dep_ == "amod" and c.lemma_.lower() in self.pron.diaspora_modifiers
                       for c in t.children):
                    other = self._focus_near(left, t.i + 1, exclude=countries[0] if countries else None)
                    if other is not None:
                        countries = [other]
                self._add(_Mention(left, t.i + 1, t.i, None, countries[0] if countries else None,
                                   "CVL", None, "group", "demonym" if countries else "ner"))
                continue
            lem = self.lemmas
            hit = self.lex.match_at(lem, t.i + 1)
            if hit is None:
                continue
            start, sector = hit
            if any(i in self.taken for i in range(start, t.i + 1)):
                start = t.i
                sector = self.lex.terms.get((lem[t.i],)) or ""
                if not sector:
                    continue
            if t.i + 1 < len(doc) and self.toks[t.i + 1].i in self.taken and self.toks[t.i + 1].ent_type_ == "PERSON":
                continue  # a title before a name
            if any(c.dep_ in ("compound", "nmod") and c.i < t.i and self.by_token.get(c.i) and
                   self.by_token[c.i].kind in ("org", "group") for c in t.children):
                continue  # "the Taliban religious faction" is the Taliban
            if any(c.dep_ in ("compound", "appos", "flat") and c.i in self.taken and
                   self.by_token.get(c.i) and self.by_token[c.i].kind == "person"
                   for c in t.children):
                continue
            countries, mod_sector, left = self._np_countries(t, start)
            if mod_sector:
                sector = mod_sector
            kind = "group"
            name = None
            kb_id = None
            how = "title"
            # "the minister" → the last person with that role
            if t.lemma_.lower() in self.lex.person_titles and t.tag_ in ("NN", "NNP") and not countries:
                det = [c for c in t.children if c.dep_ == "det" and c.lower_ == "the"]
                p = self._last_person_with(t.lemma_.lower(), t.i) if det else None
                if p is not None:
                    self._add(_Mention(left, t.i + 1, t.i, p.name, p.country, p.sector, p.kb_id,
                                       "person", "coref", role=p.role))
                    continue
            if not countries and sector == "GOV" and t.lemma_.lower() in (
                "government", "regime", "authority", "administration", "cabinet"
            ) and any(c.lower_ == "the" for c in t.children):
                focus = self._country_after(t.i) or self._focus_country(t.i)
                if focus:
                    countries = [focus]
                    how = "coref"
            country = countries[0] if countries else None
            if country:
                entry = self.kb.country(country)
                name = entry.name if entry else None
            m = _Mention(left, t.i + 1, t.i, name, country, sector, kb_id, kind,
                         "demonym" if country and how == "title" else how)
            for c in countries[1:]:
                entry = self.kb.country(c)
                m.alts.append((c, entry.name if entry else None))
            self._add(m)
            if country is None:
                placeless.append(m)
        # a group the phrase places nowhere ("demonstrators", "Shona rebels", "refugees
        # fleeing the war in Liberia") is of the country its sentence is about
        for m in placeless:
            focus = self._focus_near(m.start, m.end, sentence_only=True)
            if focus is not None:
                entry = self.kb.country(focus)
                m.country, m.name, m.resolved_by = focus, entry.name if entry else None, "coref"

    def _country_noun(self, t: Token) -> None:
        """"his country" → the country of the person 'his' is; "the country" → the country
        in focus (the last one named before it)."""
        poss = [c for c in t.children if c.dep_ == "poss"]
        det = [c for c in t.children if c.dep_ == "det" and c.lower_ == "the"]
        if not poss and not det:
            return
        if poss and poss[0].lower_ not in self.pron.person | self.pron.plural | self.pron.singular:
            return
        if t.dep_ == "pobj" and t.head.lower_ in _LOCATIVE_PREPS:
            return
        countries = self._countries_of(t)
        if not countries:
            return
        entry = self.kb.country(countries[0])
        start = poss[0].i if poss else t.i
        m = _Mention(start, t.i + 1, t.i, entry.name if entry else None, countries[0],
                     "GOV", entry.kb_id if entry else None, "country", "coref")
        for c in countries[1:]:
            other = self.kb.country(c)
            m.alts.append((c, other.name if other else None))
        self._add(m)

    def _np_countries(self, head: Token, term_start: int) -> tuple[list[str], str | None, int]:
        """Countries named by the modifiers of a noun phrase, a modifier sector and the
        phrase's first token (the determiner excluded)."""
        countries: list[str] = []
        mod_sector: str | None = None
        left = term_start
        for c in head.children:
            if c.i > head.i:
                if c.dep_ == "prep" and c.lower_ in self.pron.focus_preps:
                    for p in c.children:
                        if p.dep_ == "pobj":
                            found = self._countries_of(p)
                            if not found and p.i in self.place_country:
                                found = [self.place_country[p.i]]  # "militias in Tripoli"
                            if not found:
                                # "leaders of Romania's new government"
                                for g in p.children:
                                    if g.dep_ in ("poss", "amod", "compound", "nmod") and g.i < p.i:
                                        found.extend(self._countries_of(g))
                            countries.extend(found)
                continue
            if c.dep_ in ("amod", "compound", "nmod", "poss", "npadvmod"):
                found = self._countries_of(c)
                if found:
                    countries.extend(found)
                    left = min(left, c.left_edge.i if c.dep_ != "poss" else c.i)
                    if c.dep_ == "poss":
                        left = min(left, c.left_edge.i)
                    continue
                low = c.lemma_.lower()
                if low in self.lex.modifiers and c.i < term_start:
                    mod_sector = self.lex.modifiers[low]
                    left = min(left, c.i)
                elif c.dep_ == "compound":
                    # "Israeli intelligence officials": the modifier's own modifiers
                    for cc in c.children:
                        if cc.i < c.i and cc.lemma_.lower() in self.lex.modifiers:
                            mod_sector = self.lex.modifiers[cc.lemma_.lower()]
        # linear fallback: "Saudi regime" where the parse attaches elsewhere
        if not countries:
            i = term_start - 1
            while i >= 0 and doc_ok(self.toks[i]):
                iso = self._demonym_of(self.toks[i])
                if iso is not None:
                    countries.append(iso)
                    left = self.demonym_tok[i][0]
                    break
                if self.toks[i].pos_ not in ("ADJ", "NOUN", "PROPN"):
                    break
                i -= 1
        while left < head.i and self.toks[left].pos_ in ("DET", "PUNCT"):
            left += 1
        return list(dict.fromkeys(countries)), mod_sector, left

    def _demonym_of(self, t: Token) -> str | None:
        hit = self.demonym_tok.get(t.i)
        return hit[1] if hit else None

    def _countries_of(self, tok: Token) -> list[str]:
        """Countries a modifier names: demonyms (and their conjuncts), country names,
        possessives ("Russia's", "his", "the country's")."""
        out: list[str] = []
        for t in [tok, *[c for c in tok.children if c.dep_ == "conj"]]:
            iso = self._demonym_of(t)
            if iso is not None:
                out.append(iso)
                continue
            m = self.by_token.get(t.i)
            if m is not None and m.country and m.kind in ("country", "group", "person", "org"):
                out.append(m.country)
                continue
            if t.lower_ in self.lex.country_nouns:
                poss = [c for c in t.children if c.dep_ == "poss"]
                if poss and poss[0].lower_ in self.pron.person:
                    pm = self._pronoun_target(poss[0])
                    if pm is not None and pm.country:
                        out.append(pm.country)
                        continue
                if poss and poss[0].pos_ == "PRON" and (
                    poss[0].lower_ in self.pron.plural or poss[0].lower_ in self.pron.singular
                ):
                    gm = self._group_target(poss[0])
                    if gm is not None and gm.country:
                        # "their countries" after "Hungarian and Romanian officials"
                        out.extend(c for c in (gm.country, *(a for a, _ in gm.alts)) if c)
                        continue
                focus = self._focus_country(t.i)
                if focus:
                    out.append(focus)
            elif t.pos_ == "PRON" and t.lower_ in self.pron.person:
                pm = self._pronoun_target(t)
                if pm is not None and pm.country and pm.country not in SPECIAL_CODES:
                    out.append(pm.country)
            elif t.pos_ == "PRON" and (t.lower_ in self.pron.plural or t.lower_ in self.pron.singular):
                gm = self._group_target(t)  # "their forces", "its troops"
                if gm is not None and gm.country:
                    out.extend(c for c in (gm.country, *(a for a, _ in gm.alts)) if c)
        return out

    def _last_person_with(self, title: str, before: int) -> _Mention | None:
        for m in sorted(self.items, key=lambda m: -m.start):
            if m.start >= before or m.kind != "person" or not m.role:
                continue
            if title in m.role.lower():
                return m
        return None

    # ---- pronouns --------------------------------------------------------------------

    def _sents(self) -> list[int]:
        if self._sent_of is None:
            self._sent_of = [0] * len(self.doc)
            if not (self.doc.has_annotation("SENT_START") or self.doc.has_annotation("DEP")):
                self._sent_starts.append(0)  # no sentence boundaries: one sentence
                return self._sent_of
            for k, sent in enumerate(self.doc.sents):
                self._sent_starts.append(sent.start)
                for t in range(sent.start, sent.end):
                    self._sent_of[t] = k
        return self._sent_of

    def _sent_index(self, i: int) -> int:
        return self._sents()[i]

    def _sent_start(self, i: int) -> int:
        if i >= len(self.doc):
            return len(self.doc)
        return self._sent_starts[self._sents()[i]]

    def _pronoun_target(self, tok: Token) -> _Mention | None:
        """The person a 3rd-person singular pronoun refers to: in its own sentence the last
        person before it (possessives and objects), else the subject of the closest earlier
        sentence that has a person, else the last person mentioned."""
        people = [m for m in self.items if m.kind == "person" and m.start < tok.i]
        if not people:
            return None
        s = self._sent_index(tok.i)
        same = [m for m in people if self._sent_index(m.head) == s]
        if same and tok.dep_ not in ("nsubj", "nsubjpass"):
            subj = [m for m in same if self.toks[m.head].dep_ in ("nsubj", "nsubjpass")]
            return (subj or same)[-1]
        for prev in range(s - 1, -1, -1):
            in_prev = [m for m in people if self._sent_index(m.head) == prev]
            if not in_prev:
                continue
            subj = [m for m in in_prev if self.toks[m.head].dep_ in ("nsubj", "nsubjpass")]
            return (subj or in_prev)[-1] if subj else in_prev[-1]
        return people[-1]

    def _quote_spans(self) -> list[tuple[int, int]]:
        """Character spans of quotations (curly or straight double quotes)."""
        text = self.ctx.text  # cached: spaCy joins every token for doc.text
        spans: list[tuple[int, int]] = []
        open_at: int | None = None
        for k, ch in enumerate(text):
            if ch == "“" or (ch == '"' and open_at is None):
                open_at = k
            elif (ch == "”" or ch == '"') and open_at is not None:
                spans.append((open_at, k + 1))
                open_at = None
        return spans

    def _speaker_of(self, qs: int, qe: int) -> _Mention | None:
        """The person closest to a quotation, outside it, in its sentence or the next
        ("Lavrov said “…”", "“…” He added.")."""
        doc = self.doc
        first = doc.char_span(qs, qe, alignment_mode="expand")
        if first is None:
            return None
        s0, s1 = self._sent_index(first.start), self._sent_index(first.end - 1)
        best: tuple[int, _Mention] | None = None
        for m in self.items:
            if m.kind != "person" or m.country is None:
                continue
            c0 = self.toks[m.start].idx
            if qs <= c0 < qe:
                continue
            si = self._sent_index(m.head)
            if si not in (s0, s1, s1 + 1):
                continue
            dist = qs - c0 if c0 < qs else c0 - qe
            if best is None or dist < best[0]:
                best = (dist, m)
        return best[1] if best else None

    def _we_in_quotes(self) -> None:
        """"we"/"our" inside a quotation → the speaker's country (and sector)."""
        spans = self._quote_spans()
        if not spans:
            return
        for t in self.toks:
            if t.lower_ not in self.pron.speaker or t.pos_ != "PRON" or t.i in self.taken:
                continue
            q = next(((a, b) for a, b in spans if a <= t.idx < b), None)
            if q is None:
                continue
            sp = self._speaker_of(*q)
            if sp is None or not sp.country or sp.country in SPECIAL_CODES:
                continue
            entry = self.kb.country(sp.country)
            self._add(_Mention(t.i, t.i + 1, t.i, entry.name if entry else None, sp.country,
                               sp.sector, entry.kb_id if entry else None, "pronoun", "pronoun"))

    def _pronouns(self) -> None:
        for t in self.toks:
            if t.lower_ not in self.pron.person or t.pos_ != "PRON" or t.i in self.taken:
                continue
            target = self._pronoun_target(t)
            if target is None:
                self._add(_Mention(t.i, t.i + 1, t.i, None, None, None, None, "pronoun", "none"))
                continue
            self._add(_Mention(t.i, t.i + 1, t.i, target.name, target.country, target.sector,
                               target.kb_id, "person", "pronoun", role=target.role))

    # ---- it / they ------------------------------------------------------------------

    def _fits_group(self, m: _Mention, plural: bool) -> bool:
        """Whether a mention can be what "it" (singular) or "they" (plural) stands for."""
        if m.kind not in ("country", "org", "group") or (m.country is None and m.sector is None):
            return False
        if plural:
            return True
        return not (m.kind == "group" and self.toks[m.head].tag_ in ("NNS", "NNPS"))

    def _pleonastic(self, tok: Token) -> bool:
        """"it seems", "it is reported that", "it is likely that": an "it" that is nobody."""
        if tok.lower_ != "it":
            return False
        if tok.dep_ == "expl":
            return True
        head = tok.head
        lem = head.lemma_.lower()
        if tok.dep_ == "nsubj" and lem in self.pron.pleonastic_heads:
            return True
        if tok.dep_ == "nsubjpass" and lem in self.pron.pleonastic_passives:
            return True
        if tok.dep_ == "nsubj" and lem == "be":
            return any(c.dep_ in ("acomp", "attr") and c.lemma_.lower()
                       in self.pron.pleonastic_adjectives for c in head.children)
        return False

    def _group_target(self, tok: Token) -> _Mention | None:
        """What "it"/"its" (a country, organisation or singular group) or "they"/"their" (a
        group, organisation or country) stands for: the subject of a clause governing the
        pronoun ("Hungary said it will…", "Bosnian Serbs said their forces…"), else the last
        fitting mention before it in its sentence, else the subject (or last fitting
        mention) of one of the two sentences before."""
        if tok.i in self._group_cache:
            return self._group_cache[tok.i]
        plural = tok.lower_ in self.pron.plural
        found: _Mention | None = None
        if not self._pleonastic(tok):
            found = self._governing_subject(tok, plural) or self._last_fitting(tok, plural)
        self._group_cache[tok.i] = found
        return found

    def _governing_subject(self, tok: Token, plural: bool) -> _Mention | None:
        for anc in tok.ancestors:
            for c in anc.children:
                if c.dep_ not in ("nsubj", "nsubjpass") or c.i >= tok.i:
                    continue
                m = self.by_token.get(c.i)
                if m is not None and self._fits_group(m, plural) and not (m.start <= tok.i < m.end):
                    return m
        return None

    def _last_fitting(self, tok: Token, plural: bool) -> _Mention | None:
        s = self._sent_index(tok.i)
        lo = max(self._sent_starts[max(0, s - 2)], tok.i - 150)
        seen: set[int] = set()
        subj_by: dict[int, _Mention] = {}
        last_by: dict[int, _Mention] = {}
        for j in range(tok.i - 1, lo - 1, -1):
            m = self.by_token.get(j)
            if m is None or id(m) in seen:
                continue
            seen.add(id(m))
            if not self._fits_group(m, plural) or m.start <= tok.i < m.end:
                continue
            si = self._sent_index(m.head)
            if si == s:
                return m
            if self.toks[m.head].dep_ in ("nsubj", "nsubjpass"):
                subj_by.setdefault(si, m)
            last_by.setdefault(si, m)
        for si in range(s - 1, s - 3, -1):
            m = subj_by.get(si) or last_by.get(si)
            if m is not None:
                return m
        return None

    def _group_pronouns(self) -> None:
        """"it"/"they" and their possessives → the country, organisation or group meant."""
        pron = self.pron
        for t in self.toks:
            low = t.lower_
            if t.pos_ != "PRON" or t.i in self.taken or t.i in self.by_token or not (
                low in pron.singular or low in pron.plural
            ):
                continue
            target = self._group_target(t)
            if target is None:
                continue
            m = _Mention(t.i, t.i + 1, t.i, target.name, target.country, target.sector,
                         target.kb_id, target.kind, "pronoun", alts=list(target.alts))
            if low in pron.plural:
                # "Russia and Iran said they…": every conjunct of the antecedent
                for c in self.toks[target.head].children:
                    other = self.by_token.get(c.i) if c.dep_ == "conj" else None
                    if other is not None and other is not target and other.country and (
                        other.country != target.country
                    ):
                        m.alts.append((other.country, other.name))
            self._add(m)

    # ---- the country in focus of a titled person ---------------------------------------

    def _points(self) -> list[tuple[int, str]]:
        """Where countries are named (demonyms, country names, capitals, places, and
        mentions of a national organisation or person): sorted (token, iso3)."""
        if self._focus_points is None:
            pts: dict[int, str] = {}
            for i, c in self.country_at.items():
                if c and c not in SPECIAL_CODES:
                    pts.setdefault(i, c)
            for m in self.items:
                if m.country and m.country not in SPECIAL_CODES:
                    pts.setdefault(m.head, m.country)
            for i, c in self.place_country.items():
                pts.setdefault(i, c)
            self._focus_points = sorted(pts.items())
        return self._focus_points

    def _focus_near(self, start: int, end: int, exclude: str | None = None,
                    sentence_only: bool = False) -> str | None:
        """The country named nearest a phrase: in its sentence before it, else after it,
        else (unless ``sentence_only``) in the few sentences before."""
        pts = self._points()
        if not pts:
            return None
        keys = [p[0] for p in pts]
        s = self._sent_index(start)
        s0 = self._sent_starts[s]
        s1 = self._sent_starts[s + 1] if s + 1 < len(self._sent_starts) else len(self.doc)
        k = bisect.bisect_left(keys, start) - 1
        while k >= 0 and keys[k] >= s0:
            if pts[k][1] != exclude:
                return pts[k][1]
            k -= 1
        k = bisect.bisect_left(keys, end)
        while k < len(keys) and keys[k] < s1:
            if pts[k][1] != exclude:
                return pts[k][1]
            k += 1
        if sentence_only:
            return None
        floor = self._sent_starts[max(0, s - _FOCUS_SENTENCES)]
        k = bisect.bisect_left(keys, s0) - 1
        while k >= 0 and keys[k] >= floor:
            if pts[k][1] != exclude:
                return pts[k][1]
            k -= 1
        return None

    def _focus_pass(self) -> None:
        """A person with an office title but no nationality ("President Laurent Gbagbo",
        "Lt. Gen. Prosper Avril") holds that office in the country the text is about: the
        country named nearest in the sentence, else in the sentences before. "Ethnic
        Albanians" are of the country in focus other than Albania, when one is named."""
        for m in self._diaspora:
            own = m.country
            other = self._focus_near(m.start, m.end, exclude=own)
            if other is not None:
                entry = self.kb.country(other)
                m.country, m.name = other, entry.name if entry else None
                m.start = max(0, m.start - 1)
        for m in self.items:
            if m.kind != "person" or m.country is not None or m.sector is None or m.kb_id:
                continue
            country = self._focus_near(m.start, m.end)
            if country is not None:
                m.country = country
                m.resolved_by = "coref"

    # ---- output ----------------------------------------------------------------------

    def index(self) -> ActorIndex:
        items = sorted(self.items, key=lambda m: (m.start, m.end))
        mentions: list[ActorMention] = []
        for m in items:
            s = _span_of(self.ctx, self.doc[m.start:m.end])
            mentions.append(ActorMention(
                doc_id=self.ctx.doc_id, start=s.start, end=s.end, text=s.text, name=m.name,
                country=m.country, sector=m.sector, kb_id=m.kb_id, kind=m.kind,
                resolved_by=m.resolved_by,
            ))
            for c, name in m.alts:
                mentions.append(ActorMention(
                    doc_id=self.ctx.doc_id, start=s.start, end=s.end, text=s.text, name=name,
                    country=c, sector=m.sector, kb_id=None, kind=m.kind,
                    resolved_by=m.resolved_by,
                ))
        demonyms: dict[int, tuple[int, int, str, str | None, str | None]] = {}
        for start, end, iso in self.demonym_at.values():
            entry = self.kb.country(iso)
            for i in range(start, end):
                demonyms[i] = (start, end, iso, entry.name if entry else None,
                               entry.kb_id if entry else None)
        places: dict[int, tuple[int, int, str, str | None, str | None]] = {}
        for i, (start, end, iso) in self.place_spans.items():
            entry = self.kb.country(iso)
            places[i] = (start, end, iso, entry.name if entry else None,
                         entry.kb_id if entry else None)
        return ActorIndex(self.ctx, mentions, dict(self.by_token), items, demonyms, places,
                          self.pron.focus_preps, self.lex.civilian_targets)


def _span_of(ctx: DocContext, span: SpacySpan) -> Span:
    """``ctx.tspan`` without rebuilding ``doc.text`` (spaCy joins every token for it)."""
    return Span(ctx.base + span.start_char, ctx.base + span.end_char, span.text)


def doc_ok(tok: Token) -> bool:
    return not (tok.is_punct or tok.is_space or tok.pos_ in ("DET", "ADP", "VERB", "AUX"))


def _lemma_word(word: str) -> str:
    """A cheap singular for title words already lower-cased ("ministers" → "minister")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_DEFAULT_KB: KnowledgeBase | None = None


_DEFAULT_PRONOUNS: list[PronounLexicon] = []


def _default_pronouns() -> PronounLexicon:
    if not _DEFAULT_PRONOUNS:
        _DEFAULT_PRONOUNS.append(load_pronouns())
    return _DEFAULT_PRONOUNS[0]


def _kb_of(ctx: DocContext) -> KnowledgeBase:
    global _DEFAULT_KB
    kb = getattr(ctx.resources, "kb", None) if ctx.resources is not None else None
    if isinstance(kb, KnowledgeBase) and kb.entries:
        return kb
    if _DEFAULT_KB is None:
        _DEFAULT_KB = load_kb()
    return _DEFAULT_KB


def resolve(ctx: DocContext) -> ActorIndex:
    """Resolve every actor mention of a document (see docs/actors.md)."""
    r = _Resolver(ctx, _kb_of(ctx))
    r.run()
    return r.index()


def iter_entries(kb: KnowledgeBase, kind: str | None = None) -> Iterable[KBEntry]:
    """The entries of a knowledge base, optionally of one kind (country | org | person)."""
    return (e for e in kb.entries.values() if kind is None or e.kind == kind)
