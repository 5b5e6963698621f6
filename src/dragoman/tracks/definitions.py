"""Track definitions: the processes a user follows, read from YAML (the data model).

A tracks file (format in ``docs/tracks.md``; example ``data/tracks/syria.yaml``, template
``data/tracks/template.yaml``) is a mapping with one key, ``tracks``: a list of tracks,
each with a ``name`` and the vocabulary that names it. Everything is read through
``dragoman._data``, so every error reads ``file:line: what is wrong``.

Terms are phrases matched case-insensitively on word boundaries; the words of a phrase
may be separated by spaces or hyphens ("de-escalation zones" matches "de escalation
zones"). A term given as a mapping ``{phrase: Geneva, near: [Syria, Syrian]}`` counts only
in a document that also contains one of its ``near`` phrases; ``not_terms`` are phrases
whose matches hide the terms inside them ("Geneva Conventions" hides "Geneva").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._data import data_path, entry_where, read_text, read_yaml
from ..errors import DataFileError

__all__ = [
    "Participant",
    "Proposal",
    "Term",
    "Track",
    "TrackSet",
    "default_tracks_path",
    "in_window",
    "load_tracks",
    "phrase_pattern",
]

_TRACK_KEYS = frozenset({
    "name", "title", "description", "participants", "terms", "not_terms", "places",
    "proposals", "event_types", "window", "min_hits",
})
_PARTICIPANT_KEYS = frozenset({"name", "kb", "aliases", "role"})
_PROPOSAL_KEYS = frozenset({"name", "title", "terms"})
_TERM_KEYS = frozenset({"phrase", "near", "window"})
_WINDOW_KEYS = frozenset({"from", "to"})
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def phrase_pattern(phrase: str) -> str:
    """The regular expression of a phrase: its words on word boundaries, case as given,
    separated by any run of spaces, hyphens or quotation marks (``"de-escalation" zones``)."""
    words = [w for w in re.split(r"[\s\-]+", phrase.strip()) if w]
    body = r"[\s\-\"'“”‘’]+".join(re.escape(w) for w in words)
    left = r"\b" if words and re.match(r"\w", words[0]) else ""
    right = r"\b" if words and re.search(r"\w$", words[-1]) else ""
    return f"{left}{body}{right}"


def in_window(date: str | None, lo: str | None, hi: str | None) -> bool:
    """Whether an ISO date (or a prefix of one: ``2017``, ``2017-04``) can fall inside
    ``[lo, hi]`` (each YYYY[-MM[-DD]] or None: open); an unknown date is kept."""
    if not date:
        return True
    d = date[:10]
    if lo and d < lo[: len(d)]:
        return False
    return not (hi and d[: len(hi)] > hi)


@dataclass(frozen=True, slots=True)
class Term:
    """A phrase that names a track or proposal; with ``near``, only in a document that also
    contains one of those phrases; with a window, only in documents published inside it
    ("Geneva talks" named one process in 2012 and another in 2016)."""

    phrase: str
    near: tuple[str, ...] = ()
    window_from: str | None = None
    window_to: str | None = None

    def in_window(self, date: str | None) -> bool:
        """Whether the term counts in a document published on ``date`` (None: unknown)."""
        return in_window(date, self.window_from, self.window_to)


@dataclass(frozen=True, slots=True)
class Participant:
    """A party to a process: a knowledge-base id (``person:lavrov``, ``country:RUS``) and/or
    a name with aliases, matched against resolved actor names and mention texts."""

    name: str
    kb: str | None = None
    aliases: tuple[str, ...] = ()
    role: str | None = None

    def all_names(self) -> tuple[str, ...]:
        """The lower-cased names this participant is recognised by."""
        return tuple(dict.fromkeys(n.casefold() for n in (self.name, *self.aliases) if n))


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposal or issue followed inside a track, with its own terms."""

    name: str
    title: str
    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class Track:
    """One process to follow."""

    name: str
    title: str
    description: str
    terms: tuple[Term, ...]
    not_terms: tuple[str, ...] = ()
    participants: tuple[Participant, ...] = ()
    places: tuple[str, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    event_types: tuple[str, ...] = ()
    window_from: str | None = None
    window_to: str | None = None
    min_hits: int = 1
    origin: str = ""

    def in_window(self, date: str | None) -> bool:
        """Whether an ISO date (or a prefix of one: ``2017``, ``2017-04``) can fall inside
        the track's window; an unknown date is kept."""
        return in_window(date, self.window_from, self.window_to)


@dataclass(frozen=True, slots=True)
class TrackSet:
    """The tracks of one file and the file's fingerprint (a changed file, a new one)."""

    tracks: tuple[Track, ...]
    path: str
    fingerprint: str

    def get(self, name: str) -> Track:
        for t in self.tracks:
            if t.name == name:
                return t
        raise KeyError(
            f"no track {name!r} in {self.path}; its tracks are "
            f"{', '.join(t.name for t in self.tracks)}")


def default_tracks_path() -> Path:
    """The packaged example: the Syria settlement (Astana, Geneva, the OPCW investigation)."""
    return data_path("tracks", "syria.yaml")


def _strings(value: Any, where: str, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataFileError(f"{where}: {what} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _terms(value: Any, where: str, origin: str, what: str) -> tuple[Term, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise DataFileError(f"{where}: {what} must be a list of phrases")
    out = []
    for item in value:
        if isinstance(item, str) and item.strip():
            out.append(Term(item.strip()))
        elif isinstance(item, dict):
            w = entry_where(item, origin, _TERM_KEYS, "term")
            phrase = item.get("phrase")
            if not isinstance(phrase, str) or not phrase.strip():
                raise DataFileError(f"{w}: a term mapping needs a non-empty 'phrase'")
            lo, hi = _window(item.get("window"), origin, w)
            out.append(Term(phrase.strip(), _strings(item.get("near"), w, "near"), lo, hi))
        else:
            raise DataFileError(f"{where}: {what}: {item!r} is neither a phrase nor a mapping")
    return tuple(out)


def _date(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str | int) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(value)):
        return str(value)
    raise DataFileError(f"{where}: window dates are YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")


def _window(value: Any, origin: str, where: str) -> tuple[str | None, str | None]:
    """(from, to) of a ``window`` mapping (None: absent), checked."""
    if value is None:
        return None, None
    if not isinstance(value, dict) or not value:
        raise DataFileError(f"{where}: window is a mapping with 'from' and/or 'to'")
    ww = entry_where(value, origin, _WINDOW_KEYS, "window")
    lo, hi = _date(value.get("from"), ww), _date(value.get("to"), ww)
    if lo and hi and lo > hi[: len(lo)]:
        raise DataFileError(f"{ww}: window from {lo} is after to {hi}")
    return lo, hi


def _participant(item: Any, origin: str, where: str) -> Participant:
    if isinstance(item, str) and item.strip():
        return Participant(item.strip())
    if not isinstance(item, dict):
        raise DataFileError(f"{where}: a participant is a name or a mapping, not {item!r}")
    w = entry_where(item, origin, _PARTICIPANT_KEYS, "participant")
    name, kb = item.get("name"), item.get("kb")
    if kb is not None and (not isinstance(kb, str) or ":" not in kb):
        raise DataFileError(f"{w}: kb is a knowledge-base id like person:lavrov or "
                            f"country:RUS, not {kb!r}")
    if name is None and kb is None:
        raise DataFileError(f"{w}: a participant needs a name or a kb id")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise DataFileError(f"{w}: name must be a non-empty string")
    role = item.get("role")
    if role is not None and not isinstance(role, str):
        raise DataFileError(f"{w}: role must be a string")
    return Participant((name or str(kb).split(":", 1)[1]).strip(), kb,
                       _strings(item.get("aliases"), w, "aliases"), role)


def _track(entry: Any, origin: str, known_types: frozenset[str] | None) -> Track:
    if not isinstance(entry, dict):
        raise DataFileError(f"{origin}: every item of 'tracks' must be a mapping")
    w = entry_where(entry, origin, _TRACK_KEYS, "track")
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise DataFileError(f"{w}: a track needs a 'name' of lower-case letters, digits, - "
                            f"and _ (got {name!r})")
    terms = _terms(entry.get("terms"), w, origin, "terms")
    if not terms:
        raise DataFileError(f"{w}: track {name!r} needs at least one term")
    parts = entry.get("participants") or []
    if not isinstance(parts, list):
        raise DataFileError(f"{w}: participants must be a list")
    proposals = []
    raw_props = entry.get("proposals") or []
    if not isinstance(raw_props, list):
        raise DataFileError(f"{w}: proposals must be a list")
    seen: set[str] = set()
    for p in raw_props:
        if not isinstance(p, dict):
            raise DataFileError(f"{w}: every proposal is a mapping with name and terms")
        pw = entry_where(p, origin, _PROPOSAL_KEYS, "proposal")
        pname = p.get("name")
        if not isinstance(pname, str) or not _NAME.match(pname) or pname in seen:
            raise DataFileError(f"{pw}: a proposal needs a unique lower-case 'name' "
                                f"(got {pname!r})")
        seen.add(pname)
        pterms = _terms(p.get("terms"), pw, origin, "terms")
        if not pterms:
            raise DataFileError(f"{pw}: proposal {pname!r} needs at least one term")
        proposals.append(Proposal(pname, str(p.get("title") or pname), pterms))
    types = _strings(entry.get("event_types"), w, "event_types")
    if known_types is not None:
        bad = [t for t in types if t not in known_types]
        if bad:
            raise DataFileError(f"{w}: unknown PLOVER event type(s) {', '.join(bad)}; "
                                f"known: {', '.join(sorted(known_types))}")
    window = entry.get("window") or {}
    if not isinstance(window, dict):
        raise DataFileError(f"{w}: window is a mapping with 'from' and/or 'to'")
    ww = entry_where(window, origin, _WINDOW_KEYS, "window") if window else w
    min_hits = entry.get("min_hits", 1)
    if not isinstance(min_hits, int) or isinstance(min_hits, bool) or min_hits < 1:
        raise DataFileError(f"{w}: min_hits must be a positive integer")
    return Track(
        name=name,
        title=str(entry.get("title") or name),
        description=str(entry.get("description") or "").strip(),
        terms=terms,
        not_terms=_strings(entry.get("not_terms"), w, "not_terms"),
        participants=tuple(_participant(p, origin, w) for p in parts),
        places=_strings(entry.get("places"), w, "places"),
        proposals=tuple(proposals),
        event_types=types,
        window_from=_date(window.get("from"), ww),
        window_to=_date(window.get("to"), ww),
        min_hits=min_hits,
        origin=w,
    )


def load_tracks(
    path: Path | str | None = None, *, text: str | None = None,
    known_types: Sequence[str] | None = None,
) -> TrackSet:
    """The tracks of a YAML file (the packaged Syria example when ``path`` is None).

    ``known_types``: the PLOVER types ``event_types`` may name (default: those of
    ``data/plover.yaml``). Raises ``DataFileError`` with ``file:line`` on any problem.
    """
    p = Path(path) if path is not None else default_tracks_path()
    raw = read_text(p) if text is None else text
    data = read_yaml(p, text=raw, lines=True, mapping=True)
    entry_where(data, str(p), frozenset({"tracks"}), "tracks file")
    items = data.get("tracks")
    if not isinstance(items, list) or not items:
        raise DataFileError(f"{p}:1: a tracks file needs a non-empty list 'tracks'")
    if known_types is None:
        from ..extract.events.lexicon import plover_types

        known_types = plover_types()
    kt = frozenset(known_types)
    tracks = tuple(_track(e, str(p), kt) for e in items)
    names = [t.name for t in tracks]
    for t in tracks:
        if names.count(t.name) > 1:
            raise DataFileError(f"{t.origin}: the track name {t.name!r} is used twice")
    fingerprint = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]
    return TrackSet(tracks, str(p), fingerprint)
