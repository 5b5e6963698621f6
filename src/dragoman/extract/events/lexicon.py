"""The event coder's data model: PLOVER types, trigger entries and cue lists, and their loader.

Owns ``data/plover.yaml`` (types, modes, CAMEO crosswalk, contexts, the ``intent`` rule) and
``data/lexicon/*.yaml`` (``triggers:``, ``cues:`` and, in user files, ``disable:``; the
format is documented in ``docs/lexicon.md``). ``load_lexicon`` reads and validates them once
(through ``dragoman._data``) into a frozen ``Lexicon``; ``plover_types`` is the list of
PLOVER types for code that needs nothing else (the query API, the web filters).

This module knows nothing of spaCy or of ``DocContext``: ``extract.resources`` imports it at
start, and the algorithm modules of this package import it.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..._data import data_path, read_text, read_yaml
from ...errors import DataFileError
from .clusters import WordClusters, load_word_clusters

__all__ = [
    "Cues",
    "Intent",
    "Lexicon",
    "TriggerEntry",
    "TypeInfo",
    "load_lexicon",
    "plover_types",
]

log = logging.getLogger(__name__)

_PLOVER_NAME = "dragoman/data/plover.yaml"
_LEXICON_DIR = "lexicon"

_POS = {"verb", "noun", "adj", "aux", "any"}
_ENTRY_KEYS = {
    "type", "mode", "lemmas", "pos", "prep", "prt", "obj", "modifier", "complement", "subj",
    "prep_obj", "not_obj", "not_prep", "not_prt", "not_modifier", "not_complement", "not_subj",
    "recipient", "actor", "symmetric", "context", "confidence", "under_speech", "note",
}
_CUE_KEYS = {
    "speech_verbs", "future_aux", "future_verbs", "intended_verbs", "hypothetical_aux",
    "hypothetical_marks", "negators", "negating_verbs", "hedges", "object_control",
    "actor_nouns", "instrument_nouns", "caption_patterns", "condition_marks", "threat_marks",
    "eventive_verbs", "quantity_nouns", "support_verbs", "personal_pronouns",
    "relative_pronouns", "particle_words", "media_words", "generic_owners",
    "vague_possessives", "reported_future_aux", "statistic_marks", "large_count_words",
    "denying_words", "self_report_verbs", "addressee_verbs", "place_nouns",
    "closing_source_cues",
}
#: the steps an argument path (``recipient:``/``actor:``) may take besides ``prep:X``
_PATH_STEPS = frozenset({"dobj", "dative", "subj", "subjpass", "ccomp", "xcomp", "advcl", "acl",
                        "mod", "head", "speaker", "poss", "verb"})


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """One lexicon entry: a set of trigger lemmas with their constraints and argument paths."""

    type: str
    lemmas: tuple[str, ...]
    mode: str | None = None
    pos: str = "verb"
    prep: tuple[str, ...] = ()
    prt: tuple[str, ...] = ()
    obj: tuple[str, ...] = ()
    modifier: tuple[str, ...] = ()
    complement: tuple[str, ...] = ()
    subj: tuple[str, ...] = ()
    prep_obj: tuple[str, ...] = ()
    not_obj: tuple[str, ...] = ()
    not_prep: tuple[str, ...] = ()
    not_prt: tuple[str, ...] = ()
    not_modifier: tuple[str, ...] = ()
    not_complement: tuple[str, ...] = ()
    not_subj: tuple[str, ...] = ()
    recipient: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()
    symmetric: bool = False
    context: tuple[str, ...] = ()
    confidence: float = 0.7
    under_speech: bool = False
    source: str = ""  # "file:entry-number", for messages
    user: bool = False  # from a user file: tried before packaged entries of equal specificity

    @property
    def specificity(self) -> int:
        positive = (self.prep, self.prt, self.obj, self.modifier, self.complement, self.subj,
                    self.prep_obj)
        negative = (self.not_obj, self.not_prep, self.not_prt, self.not_modifier,
                    self.not_complement, self.not_subj)
        return (10 * sum(1 for c in positive if c) + sum(1 for c in negative if c)
                + (1 if self.pos != "any" else 0))


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """A PLOVER type with its CAMEO crosswalk and modes (mode → (cameo, quad, goldstein))."""

    name: str
    cameo: str
    quad_class: int
    goldstein: float
    modes: dict[str, tuple[str, int, float]] = field(default_factory=dict, hash=False)

    def crosswalk(self, mode: str | None) -> tuple[str, int, float]:
        if mode is not None and mode in self.modes:
            return self.modes[mode]
        return self.cameo, self.quad_class, self.goldstein


@dataclass(frozen=True)
class Intent:
    """``plover.yaml``'s ``intent``: announced future actions become promises or threats.

    A ``cooperative`` type with future modality is coded AGREE (REJECT when negated), a
    ``conflictual`` one THREATEN with the mode ``threat_modes`` gives for ``TYPE/mode`` or
    ``TYPE``.
    """

    cooperative: tuple[str, ...] = ()
    conflictual: tuple[str, ...] = ()
    threat_modes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Cues:
    """Closed-class cue lists (``cues:`` in the lexicon files)."""

    speech_verbs: frozenset[str] = frozenset()
    future_aux: frozenset[str] = frozenset()
    future_verbs: frozenset[str] = frozenset()
    intended_verbs: frozenset[str] = frozenset()
    hypothetical_aux: frozenset[str] = frozenset()
    hypothetical_marks: frozenset[str] = frozenset()
    negators: frozenset[str] = frozenset()
    negating_verbs: frozenset[str] = frozenset()
    hedges: frozenset[str] = frozenset()
    object_control: frozenset[str] = frozenset()
    actor_nouns: frozenset[str] = frozenset()
    instrument_nouns: frozenset[str] = frozenset()
    caption_patterns: tuple[str, ...] = ()
    condition_marks: frozenset[str] = frozenset()
    threat_marks: frozenset[str] = frozenset()
    eventive_verbs: frozenset[str] = frozenset()
    quantity_nouns: frozenset[str] = frozenset()
    support_verbs: frozenset[str] = frozenset()
    personal_pronouns: frozenset[str] = frozenset()
    relative_pronouns: frozenset[str] = frozenset()
    particle_words: frozenset[str] = frozenset()
    media_words: frozenset[str] = frozenset()
    generic_owners: frozenset[str] = frozenset()
    vague_possessives: frozenset[str] = frozenset()
    reported_future_aux: frozenset[str] = frozenset()
    statistic_marks: frozenset[str] = frozenset()
    large_count_words: frozenset[str] = frozenset()
    denying_words: frozenset[str] = frozenset()
    self_report_verbs: frozenset[str] = frozenset()
    addressee_verbs: frozenset[str] = frozenset()
    place_nouns: frozenset[str] = frozenset()
    closing_source_cues: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Lexicon:
    """Everything the coder needs: types and crosswalk, contexts, trigger entries, cues."""

    types: dict[str, TypeInfo] = field(default_factory=dict)
    contexts: tuple[str, ...] = ()
    entries: tuple[TriggerEntry, ...] = ()
    cues: Cues = field(default_factory=Cues)
    intent: Intent = field(default_factory=Intent)
    files: tuple[str, ...] = ()
    index: dict[str, tuple[TriggerEntry, ...]] = field(default_factory=dict)
    #: the entries of a word's forms, by (lemma, lower-case form, part of speech)
    forms_memo: dict[tuple[str, str, str], tuple[TriggerEntry, ...]] = field(
        default_factory=dict, compare=False, hash=False, repr=False)
    caption_re: re.Pattern[str] | None = None
    #: word classes for the trained type model's features (``clusters.py``)
    clusters: WordClusters = field(default_factory=WordClusters, compare=False, repr=False)

    def entries_for(self, lemma: str) -> tuple[TriggerEntry, ...]:
        return self.index.get(lemma, ())


# ------------------------------------------------------------------------------- reading


def _strs(value: object, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(f"{where}: '{key}' must be a string or a list of strings")
    return tuple(v.strip().lower() if key != "caption_patterns" else v for v in value)


def _parse_types(path: str, raw: dict[Any, Any]) -> dict[str, TypeInfo]:
    types: dict[str, TypeInfo] = {}
    for name, spec in raw.items():
        where = f"{path}: type {name}"
        if not isinstance(spec, dict):
            raise DataFileError(f"{where}: must be a mapping")
        try:
            cameo = str(spec["cameo"])
            quad = int(spec["quad_class"])
            gold = float(spec["goldstein"])
        except (KeyError, TypeError, ValueError) as exc:
            raise DataFileError(
                f"{where}: needs cameo, quad_class (int) and goldstein (number): {exc}"
            ) from exc
        if quad not in (1, 2, 3, 4) or not -10.0 <= gold <= 10.0:
            raise DataFileError(f"{where}: quad_class must be 1-4 and goldstein in [-10, 10]")
        modes: dict[str, tuple[str, int, float]] = {}
        for mname, mspec in (spec.get("modes") or {}).items():
            mspec = mspec or {}
            try:
                mg = float(mspec.get("goldstein", gold))
                mq = int(mspec.get("quad_class", quad))
            except (TypeError, ValueError) as exc:
                raise DataFileError(f"{where}: mode {mname}: bad number ({exc})") from exc
            if not -10.0 <= mg <= 10.0 or mq not in (1, 2, 3, 4):
                raise DataFileError(f"{where}: mode {mname}: goldstein/quad_class out of range")
            modes[str(mname)] = (str(mspec.get("cameo", cameo)), mq, mg)
        types[str(name)] = TypeInfo(str(name), cameo, quad, gold, modes)
    return types


def _parse_intent(path: str, raw: object, types: dict[str, TypeInfo]) -> Intent:
    raw = raw or {}
    if not isinstance(raw, dict):
        raise DataFileError(f"{path}: 'intent' must be a mapping")
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("cooperative", "conflictual"):
        names = raw.get(key, []) or []
        for t in names:
            if t not in types:
                raise DataFileError(f"{path}: intent.{key}: unknown type {t!r}")
        lists[key] = tuple(names)
    modes = raw.get("threat_modes") or {}
    if not isinstance(modes, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in modes.items()):
        raise DataFileError(f"{path}: intent.threat_modes must map TYPE or TYPE/mode to a mode")
    return Intent(lists["cooperative"], lists["conflictual"], dict(modes))


def _parse_plover(path: str, data: object) -> tuple[dict[str, TypeInfo], tuple[str, ...], Intent]:
    if not isinstance(data, dict) or not isinstance(data.get("types"), dict):
        raise DataFileError(f"{path}: needs a 'types' mapping")
    types = _parse_types(path, data["types"])
    contexts = _strs(data.get("contexts"), path, "contexts")
    return types, contexts, _parse_intent(path, data.get("intent"), types)


def _read_plover() -> tuple[dict[str, TypeInfo], tuple[str, ...], Intent]:
    text = read_text(data_path("plover.yaml"))
    return _parse_plover(_PLOVER_NAME, read_yaml(_PLOVER_NAME, text=text))


@functools.cache
def plover_types() -> tuple[str, ...]:
    """The PLOVER event types of ``data/plover.yaml``, in the ontology's order (read once)."""
    return tuple(_read_plover()[0])


def _check_path(where: str, key: str, path: str) -> None:
    for step in path.split(">"):
        name = step.split(":", 1)[0]
        if name == "prep" and ":" in step:
            continue
        if name not in _PATH_STEPS:
            raise DataFileError(f"{where}: {key} path {path!r}: unknown step {step!r}; "
                                f"steps: prep:X, {', '.join(sorted(_PATH_STEPS))}")


def _parse_entry(raw: object, where: str, types: dict[str, TypeInfo], contexts: Sequence[str],
                 user: bool) -> TriggerEntry:
    if not isinstance(raw, dict):
        raise DataFileError(f"{where}: an entry must be a mapping")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise DataFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; "
                            f"known: {', '.join(sorted(_ENTRY_KEYS))}")
    etype = raw.get("type")
    if etype not in types:
        raise DataFileError(f"{where}: unknown event type {etype!r}; one of {', '.join(types)}")
    mode = raw.get("mode")
    if mode is not None and mode not in types[etype].modes:
        raise DataFileError(f"{where}: type {etype} has no mode {mode!r}; "
                            f"modes: {', '.join(types[etype].modes) or '(none)'}")
    lemmas = _strs(raw.get("lemmas"), where, "lemmas")
    if not lemmas:
        raise DataFileError(f"{where}: 'lemmas' must list at least one trigger lemma")
    pos = str(raw.get("pos", "verb")).lower()
    if pos not in _POS:
        raise DataFileError(f"{where}: pos must be one of {', '.join(sorted(_POS))}, not {pos!r}")
    paths: dict[str, tuple[str, ...]] = {}
    for key in ("recipient", "actor"):
        vals = _strs(raw.get(key), where, key)
        for p in vals:
            _check_path(where, key, p)
        paths[key] = vals
    ctx_hint = _strs(raw.get("context"), where, "context")
    for c in ctx_hint:
        if contexts and c not in contexts:
            raise DataFileError(f"{where}: unknown context {c!r}")
    try:
        confidence = float(raw.get("confidence", 0.7))
    except (TypeError, ValueError) as exc:
        raise DataFileError(f"{where}: confidence must be a number") from exc
    if not 0.0 <= confidence <= 1.0:
        raise DataFileError(f"{where}: confidence must be between 0 and 1")
    kw = {k: _strs(raw.get(k), where, k) for k in (
        "prep", "prt", "obj", "modifier", "complement", "subj", "prep_obj", "not_obj",
        "not_prep", "not_prt", "not_modifier", "not_complement", "not_subj")}
    return TriggerEntry(
        type=etype, lemmas=lemmas, mode=mode, pos=pos, recipient=paths["recipient"],
        actor=paths["actor"], symmetric=bool(raw.get("symmetric", False)), context=ctx_hint,
        confidence=confidence, under_speech=bool(raw.get("under_speech", False)),
        source=where, user=user, **kw,
    )


def _package_sources() -> list[tuple[str, object, bool]]:
    """(name for messages, data, False) of every packaged lexicon file, by file name."""
    base = data_path(_LEXICON_DIR)
    out: list[tuple[str, object, bool]] = []
    for item in sorted(base.iterdir(), key=lambda p: p.name):
        if item.name.endswith((".yaml", ".yml")):
            name = f"dragoman/data/{_LEXICON_DIR}/{item.name}"
            out.append((name, read_yaml(name, text=read_text(item)), False))
    return out


def _merge_cues(name: str, data: dict[Any, Any], cue_lists: dict[str, list[str]]) -> None:
    cues = data.get("cues") or {}
    if not isinstance(cues, dict):
        raise DataFileError(f"{name}: 'cues' must be a mapping")
    bad = set(cues) - _CUE_KEYS
    if bad:
        raise DataFileError(f"{name}: unknown cue list(s) {', '.join(sorted(bad))}; "
                            f"known: {', '.join(sorted(_CUE_KEYS))}")
    for key, vals in cues.items():
        cue_lists[key].extend(_strs(vals, f"{name}: cues", key))


def _make_cues(cue_lists: dict[str, list[str]]) -> Cues:
    for pattern in cue_lists["caption_patterns"]:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise DataFileError(f"cues.caption_patterns: bad pattern {pattern!r}: {exc}") from exc
    words = {k: frozenset(v) for k, v in cue_lists.items() if k != "caption_patterns"}
    return Cues(caption_patterns=tuple(cue_lists["caption_patterns"]), **words)


def _index(entries: Sequence[TriggerEntry]) -> dict[str, tuple[TriggerEntry, ...]]:
    """lemma → its entries, most specific first (user entries first among equals)."""
    index: dict[str, list[TriggerEntry]] = {}
    for e in entries:
        for lemma in e.lemmas:
            index.setdefault(lemma, []).append(e)
    return {k: tuple(sorted(v, key=lambda e: (-e.specificity, not e.user)))
            for k, v in index.items()}


def load_lexicon(extra_files: Sequence[str] = ()) -> Lexicon:
    """The packaged lexicon, with the user's files merged over it.

    A user file has the same shape as a packaged one: ``triggers:`` (entries added, tried
    before packaged entries of equal specificity), ``cues:`` (lists added) and
    ``disable:`` (lemmas whose packaged entries are dropped). Raises ``DataFileError``
    naming the file and the entry when anything is invalid.
    """
    types, contexts, intent = _read_plover()
    sources = _package_sources()
    for extra in extra_files:
        sources.append((str(extra), read_yaml(extra), True))
    entries: list[TriggerEntry] = []
    cue_lists: dict[str, list[str]] = {k: [] for k in _CUE_KEYS}
    disabled: set[str] = set()
    for name, data, user in sources:
        if data is None:
            continue
        if not isinstance(data, dict):
            raise DataFileError(f"{name}: a lexicon file must be a mapping with "
                                "'triggers', 'cues' and/or 'disable'")
        unknown = set(data) - {"triggers", "cues", "disable"}
        if unknown:
            raise DataFileError(f"{name}: unknown top-level key(s) {', '.join(sorted(unknown))}")
        raw_entries = data.get("triggers") or []
        if not isinstance(raw_entries, list):
            raise DataFileError(f"{name}: 'triggers' must be a list of entries")
        for i, raw in enumerate(raw_entries, 1):
            lemma_hint = raw.get("lemmas") if isinstance(raw, dict) else None
            where = f"{name}: entry {i}" + (f" ({lemma_hint})" if lemma_hint else "")
            entries.append(_parse_entry(raw, where, types, contexts, user))
        _merge_cues(name, data, cue_lists)
        if user:
            disabled.update(_strs(data.get("disable"), name, "disable"))
    if disabled:
        entries = [e for e in entries if e.user or not set(e.lemmas) & disabled]
    cues = _make_cues(cue_lists)
    ordered = _index(entries)
    caption_re = (re.compile(r"^\W*(?:" + "|".join(cues.caption_patterns) + ")", re.IGNORECASE)
                  if cues.caption_patterns else None)
    lex = Lexicon(types=types, contexts=contexts, entries=tuple(entries), cues=cues,
                  intent=intent, files=tuple([_PLOVER_NAME] + [s[0] for s in sources]),
                  index=ordered, caption_re=caption_re, clusters=load_word_clusters())
    log.debug("event lexicon: %d entries, %d lemmas from %d files", len(entries), len(ordered),
              len(lex.files))
    return lex
