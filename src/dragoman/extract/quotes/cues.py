"""The quote-cue lexicon: speech and stance verbs and source phrases ("according to").

The cues are data (``dragoman/data/quotes/speech_cues.yaml``, extendable by a user file),
read through ``dragoman._data`` and validated with file:line errors. This module is the
data model only; ``dragoman.extract.quotes.speech`` uses it to find quotes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from spacy.tokens import Token

from ... import _data
from ...errors import DataFileError

__all__ = ["COMPLEMENTS", "Cue", "CueLexicon", "load_cues", "read_cue_file"]

log = logging.getLogger(__name__)

#: the dependency labels a cue's content may hang on
COMPLEMENTS = frozenset({"ccomp", "xcomp", "oprd", "dobj", "object"})
_CUE_KEYS = frozenset({"cue", "kind", "complements", "class", "addressee"})


@dataclass(frozen=True, slots=True)
class Cue:
    """One lexicon entry: ``words[0]`` is the head lemma, the rest particles/prepositions."""

    words: tuple[str, ...]
    kind: Literal["verb", "source"] = "verb"
    complements: frozenset[str] = frozenset({"ccomp"})
    origin: str = ""
    cls: Literal["speech", "stance"] = "speech"
    #: its object is the one told, never the speaker ("..., he told Reuters")
    addressee: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class CueLexicon:
    """The cue lexicon: entries indexed by their head word."""

    cues: tuple[Cue, ...] = ()
    _by_head: dict[str, tuple[Cue, ...]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, cues: Iterable[Cue]) -> CueLexicon:
        merged: dict[tuple[str, ...], Cue] = {}
        for cue in cues:
            merged[cue.words] = cue  # a later (user) entry replaces an earlier one
        by_head: dict[str, list[Cue]] = {}
        for cue in merged.values():
            by_head.setdefault(cue.words[0], []).append(cue)
        # longest entries first, so "point out" wins over a bare "point"
        index = {h: tuple(sorted(cs, key=lambda c: -len(c.words))) for h, cs in by_head.items()}
        return cls(tuple(merged.values()), index)

    def __len__(self) -> int:
        return len(self.cues)

    def may_head(self, lemma: str, lower: str) -> bool:
        """Whether a token of this lower-case lemma and form may head a cue (``match``
        finds none for any other)."""
        return lemma in self._by_head or lower in self._by_head

    def match(self, token: Token) -> tuple[Cue, list[Token]] | None:
        """The cue headed by ``token`` and the tokens it spans, or None."""
        candidates = self._by_head.get(token.lemma_.lower()) or self._by_head.get(token.lower_)
        if not candidates:
            return None
        for cue in candidates:
            if cue.kind == "verb" and token.pos_ not in ("VERB", "AUX"):
                continue
            tokens = _match_rest(token, cue.words[1:])
            if tokens is not None:
                return cue, [token, *tokens]
        return None


def _match_rest(head: Token, rest: Sequence[str]) -> list[Token] | None:
    """The tokens matching ``rest`` as children of ``head`` or as the next words."""
    if not rest:
        return []
    found: list[Token] = []
    # as the following words
    doc = head.doc
    i = head.i + 1
    ok = True
    for word in rest:
        if i >= len(doc) or word not in (doc[i].lower_, doc[i].lemma_.lower()):
            ok = False
            break
        found.append(doc[i])
        i += 1
    if ok:
        return found
    # as particles / prepositions attached to the head ("pointed it out")
    found = []
    children = [c for c in head.children if c.dep_ in ("prt", "prep", "advmod")]
    for word in rest:
        match = next((c for c in children if c.lower_ == word and c not in found), None)
        if match is None:
            return None
        found.append(match)
    return found


def _parse_cue(entry: Any, origin: str) -> Cue:
    if isinstance(entry, str):
        entry = {"cue": entry}
    if not isinstance(entry, dict):
        raise DataFileError(f"{origin}: a cue entry must be a mapping or a string, not {entry!r}")
    where = _data.entry_where(entry, origin, _CUE_KEYS, "cue entry")
    text = entry.get("cue")
    if not isinstance(text, str) or not text.strip():
        raise DataFileError(f"{where}: a cue entry needs a non-empty 'cue' (e.g. cue: say)")
    words = tuple(text.lower().split())
    kind = entry.get("kind", "verb")
    if kind not in ("verb", "source"):
        raise DataFileError(f"{where}: cue {text!r}: kind must be 'verb' or 'source', not {kind!r}")
    if kind == "source" and len(words) < 2:
        raise DataFileError(
            f"{where}: cue {text!r}: a 'source' cue needs a preposition ('according to')"
        )
    comps = entry.get("complements", ["ccomp"])
    if (
        not isinstance(comps, list)
        or not comps
        or not all(isinstance(c, str) and c in COMPLEMENTS for c in comps)
    ):
        raise DataFileError(
            f"{where}: cue {text!r}: complements must be a non-empty list of "
            f"{', '.join(sorted(COMPLEMENTS))}, not {comps!r}"
        )
    cls = entry.get("class", "speech")
    if cls not in ("speech", "stance"):
        raise DataFileError(
            f"{where}: cue {text!r}: class must be 'speech' or 'stance', not {cls!r}"
        )
    addressee = entry.get("addressee", False)
    if not isinstance(addressee, bool):
        raise DataFileError(f"{where}: cue {text!r}: addressee must be true or false")
    return Cue(words, kind, frozenset(comps), where, cls, addressee)


def read_cue_file(path: Path | str, text: str | None = None) -> list[Cue]:
    """The cue entries of one YAML file, validated (``DataFileError`` with file:line)."""
    data = _data.read_yaml(path, text=text, lines=True, mapping=True)
    unknown = set(data) - {"cues", "__line__"}
    if unknown:
        raise DataFileError(f"{path}:1: unknown top-level key(s) {', '.join(sorted(unknown))}; "
                            "a cue file has one key, 'cues'")
    entries = data.get("cues")
    if not isinstance(entries, list):
        raise DataFileError(f"{path}:1: 'cues' must be a list of cue entries")
    return [_parse_cue(e, str(path)) for e in entries]


def load_cues(extra_files: Sequence[str | Path] = ()) -> CueLexicon:
    """The packaged cue lexicon, extended (and overridden entry by entry) by ``extra_files``."""
    cues = read_cue_file(_data.data_path("quotes", "speech_cues.yaml"))
    for extra in extra_files:
        cues.extend(read_cue_file(extra))
    lexicon = CueLexicon.build(cues)
    log.debug("loaded %d quote cues", len(lexicon))
    return lexicon
