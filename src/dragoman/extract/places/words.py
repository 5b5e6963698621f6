"""The place stage's word lists (data model): spotting context words and names that are not
places, each loaded and validated once, extendable with a user's files.

``load_spot_words(extra)`` reads ``data/places/spotting.yaml`` (and the user's YAML files
with the same keys: lists are added to, mappings extended); ``load_not_places(path, extra)``
reads ``data/places/not_places.yaml`` likewise. ``Resources`` carries both
(``Resources.spotting``, ``Resources.not_places``); ``spot_words_of(resources)`` and
``not_places_of(resources)`` give a context's lists, the packaged ones when its resources
carry none. Nothing here works on a parsed document.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ... import _data
from ..._data import data_path, read_yaml
from ...errors import DataFileError
from ...ingest.dateline import default_lexicon as _agencies
from .translit import str_list

__all__ = [
    "NOT_PLACES_FILE",
    "NotPlaces",
    "SpotWords",
    "default_not_places",
    "load_not_places",
    "load_spot_words",
    "not_places_key",
    "not_places_of",
    "spot_words_of",
]

_SPOT_LISTS = ("before", "after", "parts", "party_codes")
_SPOT_MAPS = ("demonyms", "county_lists")


@dataclass(frozen=True)
class SpotWords:
    """The context words of ``spotting.yaml`` (lower case, split into words)."""

    before: tuple[tuple[str, ...], ...]
    after: frozenset[str]
    demonyms: dict[str, str]  # lower-case adjective → the name of the region it stands for
    parts: frozenset[str] = frozenset()  # "district", "neighbourhood": X <part> of Y
    county_lists: dict[str, str] = field(default_factory=dict)  # "counties" → "County"
    party_codes: frozenset[str] = frozenset()  # "D", "R": "Clyburn, D-S.C."


def _spot_file(path: Path) -> tuple[dict[str, list[str]], dict[str, dict[str, str]]]:
    data = read_yaml(path, mapping=True)
    label = str(path)
    lists: dict[str, list[str]] = {}
    maps: dict[str, dict[str, str]] = {}
    for key, value in data.items():
        if key in _SPOT_LISTS:
            lists[key] = str_list(value, label, key)
        elif key in _SPOT_MAPS:
            if not isinstance(value, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
                raise DataFileError(f"{label}: '{key}' must map words to names")
            maps[key] = dict(value)
        else:
            raise DataFileError(f"{label}: unknown key {key!r}; expected one of "
                                + ", ".join((*_SPOT_LISTS, *_SPOT_MAPS)))
    return lists, maps


@functools.lru_cache(maxsize=4)
def load_spot_words(extra: tuple[str | Path, ...] = ()) -> SpotWords:
    """The packaged spotting context words extended by ``extra`` YAML files, validated
    (``DataFileError`` names the file)."""
    lists: dict[str, list[str]] = {k: [] for k in _SPOT_LISTS}
    maps: dict[str, dict[str, str]] = {k: {} for k in _SPOT_MAPS}
    for path in (data_path("places", "spotting.yaml"), *(Path(p) for p in extra)):
        more, more_maps = _spot_file(path)
        for k, v in more.items():
            lists[k] += v
        for k, m in more_maps.items():
            maps[k].update(m)
    before = tuple(sorted({tuple(p.lower().split()) for p in lists["before"] if p.strip()},
                          key=len, reverse=True))
    return SpotWords(
        before=before,
        after=frozenset(w.lower() for w in lists["after"]),
        demonyms={k.lower(): v for k, v in maps["demonyms"].items()},
        parts=frozenset(w.lower() for w in lists["parts"]),
        county_lists={k.lower(): v for k, v in maps["county_lists"].items()},
        party_codes=frozenset(lists["party_codes"]),
    )


def spot_words_of(resources: Any) -> SpotWords:
    """The spotting words ``resources`` carries, else the packaged ones."""
    found = getattr(resources, "spotting", None)
    return found if isinstance(found, SpotWords) else load_spot_words()


NOT_PLACES_FILE = _data.data_path("places", "not_places.yaml")
_KEYS = ("media", "attributive_suffixes", "base_suffixes", "person_labels")


def not_places_key(name: str) -> str:
    """A name as the media list compares it: no spaces, hyphens or apostrophes, case-folded."""
    return re.sub(r"[\s\-‐–'’]+", "", name).casefold()


@dataclass(frozen=True)
class NotPlaces:
    """Media names (as keys), agency acronyms (exact), attributive suffixes and the subset
    of them that name a base (lower case), person entity labels."""

    media: frozenset[str]
    acronyms: frozenset[str]
    suffixes: tuple[str, ...]
    person_labels: frozenset[str]
    bases: tuple[str, ...] = ()

    @functools.cached_property
    def attributive(self) -> re.Pattern[str]:
        return _hyphen_suffix(self.suffixes)

    @functools.cached_property
    def base(self) -> re.Pattern[str] | None:
        """A hyphen and a base suffix ("-based"), or None when the list is empty."""
        return _hyphen_suffix(self.bases) if self.bases else None


def _hyphen_suffix(words: Sequence[str]) -> re.Pattern[str]:
    """A hyphen and one of ``words`` as a whole word ("-led", "-based"), any case."""
    alt = "|".join(re.escape(s) for s in sorted(words, key=len, reverse=True))
    return re.compile(rf"[-‐–](?:{alt})(?![\w])", re.IGNORECASE)


def _not_places_file(path: str | Path, complete: bool) -> dict[str, list[str]]:
    data = _data.read_yaml(path, mapping=True, lines=True)
    lines: dict[str, int] = {}
    for i, line in enumerate(_data.read_text(path).splitlines(), 1):
        m = re.match(r"([^\s:#][^:]*):", line)
        if m:
            lines.setdefault(m.group(1), i)
    out: dict[str, list[str]] = {}
    for key, value in data.items():
        if key == "__line__":
            continue
        where = f"{path}:{lines.get(str(key), 1)}"
        if key not in _KEYS:
            raise DataFileError(f"{where}: unknown key {key!r}; expected one of "
                                + ", ".join(_KEYS))
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            raise DataFileError(f"{where}: {key} must be a list of non-empty strings")
        out[key] = [v.strip() for v in value]
    missing = [k for k in _KEYS if k not in out]
    if complete and missing:
        raise DataFileError(f"{path}:1: missing key(s) {', '.join(missing)}")
    return out


def load_not_places(path: str | Path = NOT_PLACES_FILE,
                    extra: Sequence[str | Path] = ()) -> NotPlaces:
    """The not-places lists of ``path`` (every key required) extended by ``extra`` files
    (any of the keys), validated: raises ``DataFileError`` naming the file and line."""
    out = _not_places_file(path, True)
    for more in extra:
        for k, v in _not_places_file(more, False).items():
            out[k] = out[k] + v
    stray = sorted({b.lower() for b in out["base_suffixes"]}
                   - {a.lower() for a in out["attributive_suffixes"]})
    if stray:
        raise DataFileError(f"{path}: base_suffixes {', '.join(stray)} must also be "
                            "attributive_suffixes")
    agencies = {a for ag in _agencies().agencies for a in (ag.name, *ag.aliases)
                if a.isupper() and len(a) >= 3}
    return NotPlaces(
        media=frozenset(not_places_key(m) for m in out["media"] if not m.isupper()),
        acronyms=frozenset(m for m in (*out["media"], *agencies) if m.isupper()),
        suffixes=tuple(s.lower() for s in out["attributive_suffixes"]),
        person_labels=frozenset(out["person_labels"]),
        bases=tuple(s.lower() for s in out["base_suffixes"]),
    )


@functools.lru_cache(maxsize=1)
def default_not_places() -> NotPlaces:
    """The packaged not-places lists, loaded once per process."""
    return load_not_places()


def not_places_of(resources: Any) -> NotPlaces:
    """The not-places lists ``resources`` carries, else the packaged ones."""
    found = getattr(resources, "not_places", None)
    return found if isinstance(found, NotPlaces) else default_not_places()
