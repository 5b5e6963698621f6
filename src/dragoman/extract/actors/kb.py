"""Actors: the knowledge base — every actor dragoman knows, indexed for matching.

``load_kb(extra_files)`` reads the packaged tables (``data/actors/countries.tsv``,
``countries_curated.tsv``, ``organizations.tsv``, ``people.tsv``) and a user's TSV or YAML
files over them (``tables``), the sector and pronoun lexicons (``lexicons``) and the
surname particles (``data/actors/names.yaml``), and indexes every name, acronym, demonym,
capital and surname. This is the data model of the actor resolver: it does not import the
document context, so ``extract.resources`` imports it at top level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..._data import data_path
from .entries import SPECIAL_CODES, KBEntry, Role, best_by_hint
from .lexicons import (
    PronounLexicon,
    SectorLexicon,
    load_pronouns,
    load_sectors,
    load_surname_particles,
)
from .names import exact_key, is_acronym, norm
from .tables import read_actor_files

__all__ = [
    "SPECIAL_CODES",
    "KBEntry",
    "KnowledgeBase",
    "PronounLexicon",
    "Role",
    "SectorLexicon",
    "best_by_hint",
    "load_kb",
    "load_pronouns",
    "load_sectors",
]

_PACKAGED_ORDER = ("countries.tsv", "countries_curated.tsv", "organizations.tsv", "people.tsv")


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
        hit = self.exact.get(exact_key(text))
        if hit:
            return hit
        return self.names.get(norm(text), ())


def load_kb(extra_files: Sequence[str] = ()) -> KnowledgeBase:
    """The packaged knowledge base with ``extra_files`` (TSV or YAML) merged over it.

    Raises ``DataFileError`` naming the file and line of the first invalid row.
    """
    data = data_path("actors")
    sectors = load_sectors(data / "sectors.yaml")
    files = [data / name for name in _PACKAGED_ORDER] + [Path(f) for f in extra_files]
    entries = read_actor_files(files, sectors.codes)
    particles = load_surname_particles(data / "names.yaml")
    return _index(entries, sectors, tuple(str(f) for f in files), particles,
                  load_pronouns(data / "pronouns.yaml"))


def _index(
    entries: dict[str, KBEntry], sectors: SectorLexicon, files: tuple[str, ...],
    particles: frozenset[str], pronouns: PronounLexicon,
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
            if is_acronym(alias):
                put(exact, exact_key(alias), kb_id)
            else:
                put(names, norm(alias), kb_id)
        if e.kind == "country":
            # a demonym or capital several countries share ("French": FRA, SPM…) goes to
            # the first one, unless a curated or user row claims it
            for d in e.demonyms:
                demonyms.setdefault(norm(d), e.country or "")
            for c in e.capitals:
                capitals.setdefault(norm(c), e.country or "")
        if e.kind == "person":
            for full in (e.name, *e.aliases):
                parts = full.split()
                if len(parts) < 2:
                    continue
                last = parts[-1]
                put(surnames, norm(last), kb_id)
                if "-" in last and last.split("-", 1)[0].lower() in particles:
                    put(surnames, norm(last.split("-", 1)[1]), kb_id)
    for e in entries.values():
        if e.kind == "country":
            for d in e.preferred:
                if d in e.demonyms:
                    demonyms[norm(d)] = e.country or ""
                if d in e.capitals:
                    capitals[norm(d)] = e.country or ""
    fuzzy: dict[str, tuple[str, str]] = {}
    for e in entries.values():
        if e.kind != "country" or not e.country:
            continue
        for alias in (e.name, *e.aliases):
            k = norm(alias)
            if len(k) >= 5 and not is_acronym(alias) and names.get(k, [""])[0] == e.kb_id:
                fuzzy.setdefault(k, (e.country, "name"))
        for d in e.demonyms:
            k = norm(d)
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
        pronouns=pronouns,
        fuzzy={c: (tuple(k for k in fuzzy if k[0] == c),
                   tuple(v for k, v in fuzzy.items() if k[0] == c))
               for c in {k[0] for k in fuzzy}},
    )

