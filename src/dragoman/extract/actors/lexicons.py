"""Actors: the word lexicons of the resolver and their loaders.

- ``SectorLexicon`` / ``load_sectors``: titles and nouns → PLOVER sector, and the title
  and government words of the resolver (``data/actors/sectors.yaml``);
- ``PronounLexicon`` / ``load_pronouns``: pronouns and the prepositions and modifiers that
  place an actor (``data/actors/pronouns.yaml``);
- ``load_surname_particles``: the particles a surname may be written with or without
  (``data/actors/names.yaml``).

Every file is read through ``dragoman._data``; errors name the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any  # YAML data

import yaml

from ..._data import compose_yaml, construct, data_path
from ...errors import DataFileError

__all__ = [
    "PronounLexicon",
    "SectorLexicon",
    "compose",
    "load_pronouns",
    "load_sectors",
    "load_surname_particles",
]


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
    title_words: frozenset[str] = frozenset()  # "vice", "mr.": title words of no sector
    title_function_words: frozenset[str] = frozenset()  # "foreign": a title word, any tag
    government_nouns: frozenset[str] = frozenset()  # "the regime" → the country in focus
    government_preps: frozenset[str] = frozenset()  # "the regime in Syria"
    instruments: frozenset[str] = frozenset()  # "air strike": a party only when it says whose

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
    locative_preps: frozenset[str] = frozenset()


_PRONOUN_KEYS = ("person", "singular", "plural", "speaker", "pleonastic_heads",
                 "pleonastic_passives", "pleonastic_adjectives", "diaspora_modifiers",
                 "focus_preps", "locative_preps")
_PRONOUN_REQUIRED = ("person", "singular", "plural", "speaker")
_NAME_KEYS = ("surname_particles",)


_DUPLICATE = re.compile(r"^(?P<where>.*:\d+): the key (?P<key>.+) is given twice in one mapping$")


def compose(path: Path | str) -> yaml.Node | None:
    """``dragoman._data.compose_yaml``, with a key given twice reported in the actor files'
    words: ``path:line: duplicate key 'name'``."""
    try:
        return compose_yaml(path)
    except DataFileError as exc:
        m = _DUPLICATE.match(str(exc))
        if m is None:
            raise
        raise DataFileError(
            f"{m['where']}: duplicate key {m['key']} (given twice in one mapping)"
        ) from None


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    """The lower-cased words of an optional list."""
    return frozenset(str(w).lower() for w in data.get(key) or ())


def load_sectors(path: Path | None = None) -> SectorLexicon:
    """Load and validate ``sectors.yaml``."""
    path = path or data_path("actors", "sectors.yaml")
    root = compose(path)
    lines: dict[str, int] = {}
    if isinstance(root, yaml.MappingNode):
        lines = {k.value: k.start_mark.line + 1 for k, _ in root.value}
    data = construct(root, path) if root is not None else None
    if not isinstance(data, dict) or "codes" not in data or "sectors" not in data:
        raise DataFileError(f"{path}:1: a sector lexicon needs 'codes' and 'sectors'")
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
    for word in _words(data, "instruments"):
        if tuple(word.split()) not in terms:
            raise DataFileError(f"{path}:{lines.get('instruments', 1)}: instrument {word!r} "
                                "is not a term of any sector")
    return SectorLexicon(
        codes=codes,
        terms=terms,
        modifiers=modifiers,
        country_nouns=_words(data, "country_nouns"),
        person_titles=_words(data, "person_titles"),
        civilian_targets=_words(data, "civilian_targets"),
        place_target_verbs=_words(data, "place_target_verbs"),
        title_words=_words(data, "title_words"),
        title_function_words=_words(data, "title_function_words"),
        government_nouns=_words(data, "government_nouns"),
        government_preps=_words(data, "government_preps"),
        instruments=_words(data, "instruments"),
        max_len=max((len(k) for k in terms), default=1),
    )


def _word_lists(
    path: Path, what: str, keys: Sequence[str], required: Sequence[str]
) -> dict[str, frozenset[str]]:
    """A file that is a mapping of word lists: every key one of ``keys``, every list of
    lower-cased words each listed once, the ``required`` keys present."""
    root = compose(path)
    if not isinstance(root, yaml.MappingNode):
        raise DataFileError(f"{path}:1: a {what} is a mapping of word lists")
    out: dict[str, frozenset[str]] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        key = key_node.value
        if key not in keys:
            raise DataFileError(
                f"{path}:{line}: unknown key {key!r} (expected one of {', '.join(keys)})"
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
    missing = [k for k in required if k not in out]
    if missing:
        raise DataFileError(f"{path}:1: missing key(s) {', '.join(missing)}")
    return out


def load_pronouns(path: Path | None = None) -> PronounLexicon:
    """Load and validate ``pronouns.yaml`` (every key a list of lower-case words, each
    listed once; unknown keys are an error)."""
    path = path or data_path("actors", "pronouns.yaml")
    return PronounLexicon(**_word_lists(path, "pronoun lexicon", _PRONOUN_KEYS,
                                        _PRONOUN_REQUIRED))


def load_surname_particles(path: Path | None = None) -> frozenset[str]:
    """The particles of ``names.yaml``: "al-Assad" is also "Assad"."""
    path = path or data_path("actors", "names.yaml")
    return _word_lists(path, "name lexicon", _NAME_KEYS, _NAME_KEYS)["surname_particles"]
