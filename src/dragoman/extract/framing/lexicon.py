"""The framing lexicon: hedges ("alleged", "reportedly") and loaded labels ("regime").

The words are data (``dragoman/data/framing/framing.yaml``, extendable by a user file),
read through ``dragoman._data`` and validated with file:line errors. This module is the
data model only; ``dragoman.extract.framing.markers`` finds them in documents.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ... import _data
from ...errors import DataFileError

__all__ = ["FramingLexicon", "Marker", "load_framing", "read_framing_file"]

log = logging.getLogger(__name__)

_ENTRY_KEYS = frozenset({"text", "category"})


@dataclass(frozen=True, slots=True)
class Marker:
    """One lexicon entry: a hedge or a label, its surface forms and category."""

    kind: Literal["hedge", "label"]
    forms: tuple[str, ...]
    category: str
    origin: str = ""


def _form_pattern(form: str) -> str:
    words = re.split(r"[\s\-]+", form.strip())
    return r"[\s\-]+".join(re.escape(w) for w in words)


@dataclass(frozen=True)
class FramingLexicon:
    """Hedges and labels, compiled into one case-insensitive whole-word pattern per kind."""

    markers: tuple[Marker, ...] = ()
    _patterns: dict[str, tuple[re.Pattern[str], dict[str, Marker]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def build(cls, markers: Sequence[Marker]) -> FramingLexicon:
        patterns: dict[str, tuple[re.Pattern[str], dict[str, Marker]]] = {}
        for kind in ("hedge", "label"):
            by_form: dict[str, Marker] = {}
            for m in markers:
                if m.kind == kind:
                    for form in m.forms:
                        by_form[_normal(form)] = m  # later (user) entries win
            if not by_form:
                continue
            alts = sorted(by_form, key=len, reverse=True)
            rx = re.compile(
                r"(?<![\w\-])(?:" + "|".join(_form_pattern(a) for a in alts) + r")(?![\w\-])",
                re.IGNORECASE,
            )
            patterns[kind] = (rx, by_form)
        return cls(tuple(markers), patterns)

    def __len__(self) -> int:
        return len(self.markers)

    def find(self, text: str, kind: str) -> list[tuple[int, int, Marker]]:
        """(start, end, marker) of every match of ``kind`` in ``text``."""
        entry = self._patterns.get(kind)
        if entry is None:
            return []
        rx, by_form = entry
        out = []
        for m in rx.finditer(text):
            marker = by_form.get(_normal(m.group(0)))
            if marker is not None:
                out.append((m.start(), m.end(), marker))
        return out


def _normal(form: str) -> str:
    return " ".join(re.split(r"[\s\-]+", form.strip().lower()))


def _parse_entry(entry: Any, kind: Literal["hedge", "label"], origin: str) -> Marker:
    if not isinstance(entry, dict):
        raise DataFileError(f"{origin}: a {kind} entry must be a mapping, not {entry!r}")
    where = _data.entry_where(entry, origin, _ENTRY_KEYS, f"{kind} entry")
    text = entry.get("text")
    forms = [text] if isinstance(text, str) else text
    if (
        not isinstance(forms, list)
        or not forms
        or not all(isinstance(f, str) and f.strip() for f in forms)
    ):
        raise DataFileError(
            f"{where}: a {kind} entry needs 'text': a word or phrase, or a list of them"
        )
    category = entry.get("category", _normal(forms[0]))
    if not isinstance(category, str) or not category.strip():
        raise DataFileError(f"{where}: {kind} {forms[0]!r}: 'category' must be a non-empty string")
    return Marker(kind, tuple(forms), category.strip(), where)


def read_framing_file(path: Path | str, text: str | None = None) -> list[Marker]:
    """The markers of one framing YAML file, validated (``DataFileError`` with file:line)."""
    data = _data.read_yaml(path, text=text, lines=True, mapping=True)
    unknown = set(data) - {"hedges", "labels", "__line__"}
    if unknown:
        raise DataFileError(
            f"{path}:1: unknown top-level key(s) {', '.join(sorted(unknown))}; "
            "a framing file has 'hedges' and 'labels'"
        )
    out: list[Marker] = []
    for key, kind in (("hedges", "hedge"), ("labels", "label")):
        entries = data.get(key, [])
        if not isinstance(entries, list):
            raise DataFileError(f"{path}:1: '{key}' must be a list of entries")
        out.extend(_parse_entry(e, kind, str(path)) for e in entries)  # type: ignore[arg-type]
    return out


def load_framing(extra_files: Sequence[str | Path] = ()) -> FramingLexicon:
    """The packaged hedges and labels, extended by ``extra_files``."""
    markers = read_framing_file(_data.data_path("framing", "framing.yaml"))
    for extra in extra_files:
        markers.extend(read_framing_file(extra))
    lexicon = FramingLexicon.build(markers)
    log.debug("loaded %d framing markers", len(lexicon))
    return lexicon
