"""Actors: the knowledge-base tables — their columns, the validation of every row, and the
reading of TSV and YAML actor files into ``KBEntry`` records.

Packaged TSV files (``data/actors/*.tsv``) and a user's TSV or YAML files have the same
columns (``COUNTRY_COLUMNS``, ``ORG_COLUMNS``, ``PEOPLE_COLUMNS``); a row that is wrong is
a ``DataFileError`` naming its file and line. Later files add to earlier ones (a country's
names), replace them (an organisation) or add roles (a person): see ``docs/actors.md``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..._data import construct, data_path, read_tsv
from ...errors import DataFileError
from .entries import SPECIAL_CODES, KBEntry, Role
from .lexicons import compose

__all__ = [
    "COUNTRY_COLUMNS",
    "ORG_COLUMNS",
    "ORG_KINDS",
    "PEOPLE_COLUMNS",
    "read_actor_files",
]

log = logging.getLogger(__name__)

COUNTRY_COLUMNS = ("iso3", "name", "aliases", "demonyms", "capital", "wikidata")
ORG_COLUMNS = ("id", "name", "aliases", "country", "sector", "kind", "wikidata")
PEOPLE_COLUMNS = ("id", "name", "aliases", "country", "role", "sector", "start", "end", "wikidata")
ORG_KINDS = frozenset({"igo", "ngo", "group", "party", "military", "agency", "media", "company"})

_ISO3 = re.compile(r"^[A-Z]{3}$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_ID = re.compile(r"^[a-z0-9_]+$")


@dataclass
class _Builder:
    entries: dict[str, KBEntry] = field(default_factory=dict)

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
    root = compose(path)
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise DataFileError(f"{path}:1: an actor YAML file is a mapping of tables")
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
            data = construct(item, path)
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


def _load_file(b: _Builder, path: Path, codes: frozenset[str]) -> None:
    if path.suffix.lower() in (".yaml", ".yml"):
        rows = _yaml_rows(path)
    else:
        header, tsv_rows = read_tsv(path)
        table = _table_of(header, str(path))
        rows = [(table, origin, row) for origin, row in tsv_rows]
    seen_c: set[str] = set()
    generated = path.name == "countries.tsv" and path.parent == data_path("actors")
    seen_o: set[str] = set()
    seen_p: set[tuple[str, str, str]] = set()
    for table, origin, row in rows:
        if table == "countries":
            _add_country(b, row, origin, seen_c, generated)
        elif table == "organizations":
            _add_org(b, row, origin, seen_o, codes)
        else:
            _add_person(b, row, origin, seen_p, codes)


def read_actor_files(paths: Sequence[Path], codes: frozenset[str]) -> dict[str, KBEntry]:
    """The entries of actor files (TSV or YAML) read in order, each merged over the ones
    before; ``codes`` are the sector codes a row may name.

    Raises ``DataFileError`` naming the file and line of the first invalid row.
    """
    b = _Builder()
    for path in paths:
        if not path.exists():
            raise DataFileError(f"{path}: actor file not found")
        _load_file(b, path, codes)
    return b.entries
