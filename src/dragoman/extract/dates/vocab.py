"""The dates extractor's data model: its vocabulary and cue words, loaded and validated once.

``load_vocab`` reads ``data/dates/dates.yaml`` (month and weekday names, number words,
seasons, units, ``*_REF`` words, sets, lead words and qualifiers, spelled years and decades,
relative days) into a ``Vocab``, with the regexes built from those words; ``load_cues``
reads ``data/dates/cues.yaml`` (candidate modifiers, age cues, the cue words of a clause's
tense) into ``Cues``. Both go through ``dragoman._data``; this module imports neither spaCy
nor ``dragoman.extract.context``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..._data import data_path, read_yaml
from ...errors import DataFileError

__all__ = ["Cues", "SpelledYears", "Vocab", "alternation", "load_cues", "load_vocab"]


def alternation(words: Iterable[str], *, escape: bool = True) -> str:
    """``a|b|c`` of ``words`` in their order, each escaped unless ``escape=False``."""
    return "|".join(re.escape(w) if escape else w for w in words)


@dataclass(frozen=True)
class SpelledYears:
    """Spelled years: "nineteen ninety-six" → 1996, "two thousand and one" → 2001."""

    centuries: tuple[str, ...]
    tens: dict[str, int]
    ones: dict[str, int]
    millennium: str
    #: the spelled year anywhere in a text (groups: century, rest; or millennium's number)
    pattern: re.Pattern[str]

    def value(self, m: re.Match[str]) -> str:
        """The year (digits) of a ``pattern`` match."""
        if m.group(1):
            century = self.tens[m.group(1)]
            parts = re.split(r"[- ]", m.group(2))
            n = self.tens[parts[0]] + (self.ones[parts[1]] if len(parts) > 1 else 0)
            return str(century * 100 + n)
        after = m.group(3) or ""
        return str(2000 + (self.ones.get(after, 0) if after in self.ones else
                           self.tens.get(after, 0)))


@dataclass(frozen=True)
class Vocab:
    """The resolver's vocabulary (``data/dates/dates.yaml``) and the regexes built from it."""

    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int | None]
    ordinals: dict[str, int]
    seasons: dict[str, str]
    units: dict[str, tuple[str, str]]
    present: frozenset[str]
    past: frozenset[str]
    future: frozenset[str]
    sets: dict[str, str]
    spelled_years: SpelledYears
    spelled_decades: dict[str, int]
    relative_days: dict[str, int]
    #: lead words dropped from the front ("on the"), one at a time
    lead: re.Pattern[str]
    #: a qualifier ("early", "the end of") and the expression after it (group 1)
    qualified: re.Pattern[str]
    #: a hyphenated qualifier ("mid-") and the expression after it (group 1)
    hyphen_qualified: re.Pattern[str]
    #: month names, longest first (an alternation for a regex)
    month_names: str
    #: weekday names, longest first (an alternation for a regex)
    weekday_names: str


@dataclass(frozen=True)
class Cues:
    """The extractor's cue words (``data/dates/cues.yaml``)."""

    not_candidate_words: frozenset[str]
    candidate_modifiers: tuple[str, ...]
    age_after: frozenset[str]
    age_endings: tuple[str, ...]
    not_context: re.Pattern[str]
    future_aux: frozenset[str]
    future_preps: frozenset[str]
    future_as: frozenset[str]
    clock: frozenset[str]
    future_child: frozenset[str]
    future_words: frozenset[str]
    plan_verbs: frozenset[str]
    future_heads: frozenset[str]
    say_verbs: frozenset[str]
    old_year_before: frozenset[str] = frozenset()
    background_words: tuple[str, ...] = ()


class _Reader:
    """Typed access to a data file's top-level keys; errors name the file and the key."""

    def __init__(self, path: str, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    def fail(self, message: str) -> DataFileError:
        return DataFileError(f"{self.path}: {message}")

    def mapping(self, key: str, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
        v = (self.data if data is None else data).get(key)
        if not isinstance(v, dict):
            raise self.fail(f"'{key}' must be a mapping")
        return {str(k).lower(): x for k, x in v.items()}

    def ints(self, key: str, data: Mapping[str, Any] | None = None) -> dict[str, int]:
        out = self.mapping(key, data)
        for k, v in out.items():
            if not isinstance(v, int) or isinstance(v, bool):
                raise self.fail(f"{key}.{k} must be an integer")
        return out

    def words(self, key: str, data: Mapping[str, Any] | None = None) -> tuple[str, ...]:
        v = (self.data if data is None else data).get(key)
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise self.fail(f"'{key}' must be a list of strings")
        return tuple(x.lower() for x in v)

    def word(self, key: str, data: Mapping[str, Any]) -> str:
        v = data.get(key)
        if not isinstance(v, str):
            raise self.fail(f"'{key}' must be a string")
        return v.lower()


def _read(name: str) -> _Reader:
    path = data_path("dates", name)
    return _Reader(str(path), read_yaml(path, mapping=True))


def _longest_first(names: Iterable[str]) -> str:
    return alternation(sorted(names, key=len, reverse=True), escape=False)


def _spelled_years(r: _Reader) -> SpelledYears:
    data = r.mapping("spelled_years")
    centuries = r.words("centuries", data)
    tens, ones = r.ints("tens", data), r.ints("ones", data)
    millennium = r.word("millennium", data)
    for c in centuries:
        if c not in tens:
            raise r.fail(f"spelled_years.centuries: {c!r} is not one of spelled_years.tens")
    teens = [w for w, n in tens.items() if n < 20]
    decades = [w for w, n in tens.items() if n >= 20]
    after_millennium = list(ones) + [w for w, n in tens.items() if n == 10]
    pattern = re.compile(
        rf"\b(?:({alternation(centuries)}) ({alternation(teens)}|"
        rf"(?:{alternation(decades)})(?:[- ](?:{alternation(ones)}))?)"
        rf"|{re.escape(millennium)}"
        rf"(?:(?: and)? ({alternation(after_millennium)}))?)\b")
    return SpelledYears(centuries=centuries, tens=tens, ones=ones, millennium=millennium,
                        pattern=pattern)


@functools.lru_cache(maxsize=1)
def load_vocab() -> Vocab:
    """The temporal vocabulary (``data/dates/dates.yaml``), validated."""
    r = _read("dates.yaml")

    units = {}
    for k, v in r.mapping("units").items():
        if not isinstance(v, list) or len(v) != 2:
            raise r.fail(f"unit {k!r} must be [code, precision]")
        units[k] = (str(v[0]), str(v[1]))
    months, weekdays = r.ints("months"), r.ints("weekdays")
    relative_days = r.ints("relative_days")
    qualifiers, hyphen = r.words("qualifiers"), r.words("hyphen_qualifiers")
    return Vocab(
        months=months, weekdays=weekdays, numbers=r.mapping("numbers"),
        ordinals=r.ints("ordinals"), seasons={k: str(v) for k, v in r.mapping("seasons").items()},
        units=units, present=frozenset(r.words("present")), past=frozenset(r.words("past")),
        future=frozenset(r.words("future")),
        sets={k: str(v) for k, v in r.mapping("sets").items()},
        spelled_years=_spelled_years(r), spelled_decades=r.ints("spelled_decades"),
        relative_days=relative_days,
        lead=re.compile(rf"^(?:{alternation(r.words('lead'))})\s+"),
        qualified=re.compile(rf"^(?:{alternation(qualifiers)})\s+(?:the )?(.+)$"),
        hyphen_qualified=re.compile(rf"^(?:{alternation(hyphen)})-(.+)$"),
        month_names=_longest_first(months), weekday_names=_longest_first(weekdays),
    )


@functools.lru_cache(maxsize=1)
def load_cues() -> Cues:
    """The extractor's cue words (``data/dates/cues.yaml``), validated."""
    r = _read("cues.yaml")

    def words(key: str) -> frozenset[str]:
        return frozenset(r.words(key))

    return Cues(
        not_candidate_words=words("not_candidate_words"),
        candidate_modifiers=r.words("candidate_modifiers"),
        age_after=words("age_after"), age_endings=r.words("age_endings"),
        not_context=re.compile(rf"\b(?:{alternation(r.words('not_context'))})\b",
                               re.IGNORECASE),
        future_aux=words("future_aux"), future_preps=words("future_preps"),
        future_as=words("future_as"), clock=words("clock"),
        future_child=words("future_child"), future_words=words("future_words"),
        plan_verbs=words("plan_verbs"), future_heads=words("future_heads"),
        say_verbs=words("say_verbs"), old_year_before=words("old_year_before"),
        background_words=r.words("background_words"),
    )
