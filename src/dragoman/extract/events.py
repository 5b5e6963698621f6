"""The event coder: PLOVER events from the dependency parse, driven by a trigger lexicon.

Contract: ``load_lexicon(extra_files) -> Lexicon``; ``extract(ctx) -> list[Event]``.

How a sentence is coded (the data lives in ``data/plover.yaml`` and ``data/lexicon/*.yaml``;
the format is documented in ``docs/lexicon.md``):

1. **Triggers.** Every token whose lemma is in the lexicon is checked against that lemma's
   entries, most specific first (part of speech, particle, preposition, object, modifier,
   complement, subject constraints and their negative counterparts). The first entry that
   fits gives the PLOVER type, mode and argument paths. Nominal triggers are coded only when
   the noun is the object of a verb ("held talks") or carries the entry's preposition
   ("a press conference with X").
2. **Governance.** A trigger inside the object, complement or purpose clause of another
   trigger is part of that event and is not coded again ("threatened to ban",
   "accused X of attacking Y", "condemned the attack"). Coordination inherits governance;
   relative clauses and clauses with their own subordinator ("after …") do not.
3. **Arguments.** The actor is the subject (the ``by`` agent in the passive; inherited
   through ``xcomp``/``conj``/participle clauses; object control for "urged X to");
   the recipient comes from the entry's ordered argument paths (``dobj``, ``prep:with``,
   ``dobj>prep:by``, ``ccomp>subj``…), keeping only candidates that are actors. Actors are
   resolved by ``ctx.actors.refs_for``; when it knows nothing, a minimal ``ActorRef``
   (text and offsets only) is made for nouns that clearly name an actor.
4. **Negation, modality, attribution.** ``neg`` dependents and negating governors
   ("failed to") set ``negated``; auxiliaries and governing verbs give ``future``,
   ``intended``, ``hypothetical``; hedges ("alleged", "reportedly") give ``alleged``;
   a question mark gives ``question``. An event inside a quote, or in the clausal
   complement of a speech verb, is ``attributed_to`` the speaker. Speech verbs themselves
   are never events.
5. **Intent.** Following PLOVER/CAMEO, an announced future cooperative action
   ("Finland will give Tanzania a grant") is coded AGREE, an announced future
   conflictual action ("said they would blockade Paris") THREATEN, a refused one REJECT
   (``plover.yaml`` ``intent``).
6. **Precision.** Events need an actor or a recipient; nothing is coded from photo
   captions or from a headline repeated at the start of the body; the same event is
   not coded twice in a sentence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from .. import _yaml
from ..errors import DataFileError
from ..types import ActorRef, Event, Span
from .context import DocContext

__all__ = [
    "EXTRACTOR",
    "Cues",
    "Lexicon",
    "TriggerEntry",
    "TypeInfo",
    "code_sentence",
    "extract",
    "load_lexicon",
]

log = logging.getLogger(__name__)

EXTRACTOR = "dragoman.events.rules/1"

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
    "eventive_verbs", "quantity_nouns", "support_verbs",
}
_PATH_STEPS = {"dobj", "dative", "subj", "subjpass", "ccomp", "xcomp", "advcl", "acl", "mod",
               "head", "speaker", "poss", "verb"}
_ACTOR_ENTS = {"PERSON", "ORG", "GPE", "NORP"}
_PLACE_ENTS = {"GPE", "LOC", "FAC"}
_RECIPIENT_ENTS = _ACTOR_ENTS | {"LOC"}
_SUBJ = {"nsubj", "csubj"}
_PASSIVE_SUBJ = {"nsubjpass", "csubjpass"}
_OBJ = {"dobj", "obj"}
_MOD_DEPS = {"compound", "amod", "poss", "nmod"}
_RELATIVE = {"who", "that", "which", "whom", "whose"}
_PERSONAL_PRONOUNS = {"he", "she", "they", "we", "it", "i", "you", "him", "her", "them", "us"}
_MEDIA_WORDS = {"newspaper", "daily", "weekly", "radio", "television", "tv", "agency", "press"}


# ------------------------------------------------------------------------------------ data


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


@dataclass(frozen=True)
class Lexicon:
    """Everything the coder needs: types and crosswalk, contexts, trigger entries, cues."""

    types: dict[str, TypeInfo] = field(default_factory=dict)
    contexts: tuple[str, ...] = ()
    entries: tuple[TriggerEntry, ...] = ()
    cues: Cues = field(default_factory=Cues)
    intent: dict[str, Any] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    index: dict[str, tuple[TriggerEntry, ...]] = field(default_factory=dict)
    caption_re: re.Pattern[str] | None = None

    def entries_for(self, lemma: str) -> tuple[TriggerEntry, ...]:
        return self.index.get(lemma, ())


class _Loader(_yaml.SafeLoader):  # type: ignore[misc,valid-type]
    """YAML 1.1 without the yes/no/on/off booleans ("prep: [on]" means the word "on")."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


def _read_yaml(path: Path | str, text: str | None = None) -> Any:
    try:
        raw = text if text is not None else Path(path).read_text(encoding="utf-8")
        return yaml.load(raw, Loader=_Loader)
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read lexicon file ({exc})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise DataFileError(f"{path}{where}: not valid YAML ({exc})") from exc


def _strs(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(f"{where}: '{key}' must be a string or a list of strings")
    return tuple(v.strip().lower() if key != "caption_patterns" else v for v in value)


def _parse_plover(path: str, data: Any) -> tuple[dict[str, TypeInfo], tuple[str, ...], dict[str, Any]]:
    if not isinstance(data, dict) or not isinstance(data.get("types"), dict):
        raise DataFileError(f"{path}: needs a 'types' mapping")
    types: dict[str, TypeInfo] = {}
    for name, spec in data["types"].items():
        where = f"{path}: type {name}"
        if not isinstance(spec, dict):
            raise DataFileError(f"{where}: must be a mapping")
        try:
            cameo = str(spec["cameo"])
            quad = int(spec["quad_class"])
            gold = float(spec["goldstein"])
        except (KeyError, TypeError, ValueError) as exc:
            raise DataFileError(f"{where}: needs cameo, quad_class (int) and goldstein (number): {exc}") from exc
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
    contexts = _strs(data.get("contexts"), path, "contexts")
    intent = data.get("intent") or {}
    if not isinstance(intent, dict):
        raise DataFileError(f"{path}: 'intent' must be a mapping")
    for key in ("cooperative", "conflictual"):
        for t in intent.get(key, []) or []:
            if t not in types:
                raise DataFileError(f"{path}: intent.{key}: unknown type {t!r}")
    return types, contexts, intent


def _parse_entry(raw: Any, where: str, types: dict[str, TypeInfo], contexts: Sequence[str],
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
            for step in p.split(">"):
                name = step.split(":", 1)[0]
                if name == "prep" and ":" in step:
                    continue
                if name not in _PATH_STEPS:
                    raise DataFileError(f"{where}: {key} path {p!r}: unknown step {step!r}; "
                                        f"steps: prep:X, {', '.join(sorted(_PATH_STEPS))}")
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


def _package_files() -> list[tuple[str, str]]:
    base = importlib_resources.files("dragoman") / "data" / "lexicon"
    out = []
    for item in sorted(base.iterdir(), key=lambda p: p.name):
        if item.name.endswith((".yaml", ".yml")):
            out.append((f"dragoman/data/lexicon/{item.name}", item.read_text(encoding="utf-8")))
    return out


def load_lexicon(extra_files: Sequence[str] = ()) -> Lexicon:
    """The packaged lexicon, with the user's files merged over it.

    A user file has the same shape as a packaged one: ``triggers:`` (entries added, tried
    before packaged entries of equal specificity), ``cues:`` (lists added) and
    ``disable:`` (lemmas whose packaged entries are dropped). Raises ``DataFileError``
    naming the file and the entry when anything is invalid.
    """
    plover_path = "dragoman/data/plover.yaml"
    plover_text = (importlib_resources.files("dragoman") / "data" / "plover.yaml").read_text(
        encoding="utf-8")
    types, contexts, intent = _parse_plover(plover_path, _read_yaml(plover_path, plover_text))
    sources: list[tuple[str, Any, bool]] = [
        (name, _read_yaml(name, text), False) for name, text in _package_files()]
    for extra in extra_files:
        sources.append((str(extra), _read_yaml(extra), True))
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
        cues = data.get("cues") or {}
        if not isinstance(cues, dict):
            raise DataFileError(f"{name}: 'cues' must be a mapping")
        bad = set(cues) - _CUE_KEYS
        if bad:
            raise DataFileError(f"{name}: unknown cue list(s) {', '.join(sorted(bad))}; "
                                f"known: {', '.join(sorted(_CUE_KEYS))}")
        for key, vals in cues.items():
            cue_lists[key].extend(_strs(vals, f"{name}: cues", key))
        if user:
            disabled.update(_strs(data.get("disable"), name, "disable"))
    if disabled:
        entries = [e for e in entries if e.user or not set(e.lemmas) & disabled]
    for pattern in cue_lists["caption_patterns"]:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise DataFileError(f"cues.caption_patterns: bad pattern {pattern!r}: {exc}") from exc
    fields: dict[str, Any] = {k: (tuple(v) if k == "caption_patterns" else frozenset(v))
                              for k, v in cue_lists.items()}
    cues_obj = Cues(**fields)
    index: dict[str, list[TriggerEntry]] = {}
    for e in entries:
        for lemma in e.lemmas:
            index.setdefault(lemma, []).append(e)
    ordered = {k: tuple(sorted(v, key=lambda e: (-e.specificity, not e.user)))
               for k, v in index.items()}
    caption_re = (re.compile(r"^\W*(?:" + "|".join(cues_obj.caption_patterns) + ")", re.IGNORECASE)
                  if cues_obj.caption_patterns else None)
    lex = Lexicon(types=types, contexts=contexts, entries=tuple(entries), cues=cues_obj,
                  intent=intent, files=tuple([plover_path] + [s[0] for s in sources]),
                  index=ordered, caption_re=caption_re)
    log.debug("event lexicon: %d entries, %d lemmas from %d files", len(entries), len(ordered),
              len(lex.files))
    return lex


# ----------------------------------------------------------------------------- parse helpers


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _lemma_variants(tok: Token) -> list[str]:
    """The lemma, then guesses from the surface form for verbs the lemmatizer gets wrong
    ("staged" → "stag", "raped" → "rap")."""
    out = [_lemma(tok), tok.lower_]
    w = tok.lower_
    if tok.pos_ in ("VERB", "AUX", "ADJ"):
        if w.endswith("ed"):
            out += [w[:-1], w[:-2]]
        if w.endswith("ing"):
            out += [w[:-3] + "e", w[:-3]]
        if w.endswith("s"):
            out += [w[:-1], w[:-2]]
    return out


def _children(tok: Token, deps: Iterable[str]) -> list[Token]:
    deps = set(deps)
    return [c for c in tok.children if c.dep_ in deps]


_PARTICLE_WORDS = {"down", "up", "out", "off", "over", "aside", "away", "back", "in", "on"}


def _particles(tok: Token) -> list[Token]:
    """Verb particles, including ones the parser attached as a bare adverb/preposition
    ("stepped down on Friday")."""
    return [c for c in tok.children if c.dep_ == "prt" or (
        c.dep_ in ("advmod", "prep") and c.lower_ in _PARTICLE_WORDS and c.i == tok.i + 1
        and not any(g.dep_ in ("pobj", "pcomp") for g in c.children))]


def _preps(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ in ("prep", "agent", "dative") and c.pos_ == "ADP"]


def _pobjs(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]


def _complements(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ in ("xcomp", "ccomp")
            or (c.dep_ == "prep" and any(g.dep_ == "pcomp" for g in c.children))
            or (c.dep_ == "advcl" and not any(g.dep_ == "mark" and g.lower_ != "to"
                                                for g in c.children))]


def _through_quantity(tok: Token, quantity: frozenset[str], depth: int = 0) -> Token:
    """"more than 1,000 Palestinian refugees", "tens of thousands of students",
    "part of a programme": the noun a quantity stands for."""
    if depth > 3:
        return tok
    if tok.pos_ == "NUM" or tok.lower_ in quantity or tok.lemma_.lower() in quantity:
        for p in tok.children:
            if p.dep_ == "prep" and p.lower_ == "of":
                for o in p.children:
                    if o.dep_ == "pobj":
                        return _through_quantity(o, quantity, depth + 1)
    return tok


def _is_verbal(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX")


def _conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON"):
            out.extend(_conjuncts(c))
    return out


class _Coder:
    """Codes the sentences of one document."""

    def __init__(self, ctx: DocContext, lex: Lexicon) -> None:
        self.ctx = ctx
        self.lex = lex
        self.cues = lex.cues

    # -- actor tests ------------------------------------------------------------------
    def is_actorish(self, tok: Token) -> bool:
        if tok.ent_type_ in _RECIPIENT_ENTS:
            return True
        if tok.ent_type_:
            return False  # dates, numbers, money, works of art…
        if tok.pos_ == "PRON":
            return tok.lower_ in _PERSONAL_PRONOUNS
        if tok.pos_ == "PROPN":
            return True
        if tok.pos_ == "NOUN" and _lemma(tok) in self.cues.actor_nouns:
            return True
        # "Islamic fundamentalists", "Palestinian prisoners" (as the doer of an event)
        return bool(tok.pos_ == "NOUN" and tok.tag_ == "NNS"
                    and (tok.dep_ in ("nsubj", "nsubjpass") or tok.head.dep_ == "agent")
                    and _lemma(tok) not in self.cues.instrument_nouns
                    and any(c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE")
                            for c in tok.children))

    def entity_mods(self, tok: Token) -> list[Token]:
        out = []
        for c in tok.children:
            if c.dep_ not in _MOD_DEPS:
                continue
            if c.ent_type_ in _RECIPIENT_ENTS or (c.pos_ == "PROPN" and not c.ent_type_):
                out.append(c)
            elif c.dep_ == "compound":  # "US Predator attacks"
                out.extend(g for g in c.children if g.dep_ == "compound"
                           and g.ent_type_ in _RECIPIENT_ENTS)
        return out

    def actorish_within(self, tok: Token) -> list[Token]:
        """The actor a (possibly non-actor) noun phrase points to: itself, or its
        owner / ``of``/``for`` complement / national modifier ("positions of the X forces",
        "camp for Congolese refugees", "Palestinian homes")."""
        if self.is_actorish(tok):
            return [tok]
        if tok.pos_ not in ("NOUN", "PROPN", "NUM"):
            return []
        for c in tok.children:
            if c.dep_ == "poss" and self.is_actorish(c) and c.lower_ not in ("its", "their"):
                return [c]
        for p in _preps(tok):
            if p.lower_ in ("of", "for"):
                for o in _pobjs(p):
                    if self.is_actorish(o):
                        return [o]
        mods = self.entity_mods(tok)
        if mods:
            return mods[:1]
        return []

    # -- actor references -------------------------------------------------------------
    def refs(self, tok: Token) -> list[ActorRef]:
        out: list[ActorRef] = []
        seen: set[tuple[int, int, str | None, str | None]] = set()
        tok = _through_quantity(tok, self.cues.quantity_nouns)
        for t in _conjuncts(tok):
            for ref in self._refs_one(t):
                # one phrase may name several actors ("Hungarian and Romanian officials"):
                # refs of the same span differ by who they are
                key = (ref.start, ref.end, ref.country, ref.name)
                if key not in seen:
                    seen.add(key)
                    out.append(ref)
        return out

    def _refs_one(self, tok: Token) -> list[ActorRef]:
        index = self.ctx.actors
        if index is not None:
            try:
                found = list(index.refs_for(tok))
            except (AttributeError, TypeError, ValueError, KeyError, IndexError) as exc:
                log.warning("refs_for failed on %r: %s", tok.text, exc)
                found = []
            if found:
                return found
            place = index.place_ref(tok) if hasattr(index, "place_ref") else None
            if place is not None:
                return [place]  # "a curfew in Algiers": the place's country
        if self.is_actorish(tok) and not (tok.ent_type_ == "" and tok.pos_ == "PROPN"
                                          and _lemma(tok) in self.cues.instrument_nouns):
            if _lemma(tok) in self.cues.instrument_nouns:
                return self._mods_refs(tok)
            return [self._minimal_ref(tok)]
        if _lemma(tok) in self.cues.instrument_nouns:
            return self._mods_refs(tok)
        return []

    def _mods_refs(self, tok: Token) -> list[ActorRef]:
        out: list[ActorRef] = []
        index = self.ctx.actors
        for m0 in self.entity_mods(tok):
            for m in [m0] + [c for c in m0.children if c.dep_ == "conj"]:
                found = list(index.refs_for(m)) if index is not None else []
                out.extend(found or [self._minimal_ref(m)])
        return out

    def _minimal_ref(self, tok: Token) -> ActorRef:
        """Text and offsets only: the noun with its compounds/modifiers (country unknown)."""
        if tok.ent_type_ and tok.ent_iob_ != "O":
            ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
            if ent is not None:
                span = self.ctx.tspan(ent)
                kind = {"PERSON": "person", "ORG": "org", "GPE": "country", "NORP": "group",
                        "LOC": "country"}.get(ent.label_)
                return ActorRef(span.text, span.start, span.end, kind=kind)
        start = tok.i
        for c in tok.lefts:
            if c.dep_ in ("compound", "amod", "nmod", "poss", "case") or (
                    c.dep_ == "punct" and c.i > start - 3):
                start = min(start, c.left_edge.i)
        if start < tok.i and tok.doc[start].dep_ == "det":
            start += 1
        span = self.ctx.tspan(tok.doc[start:tok.i + 1])
        kind = "pronoun" if tok.pos_ == "PRON" else "group"
        return ActorRef(span.text, span.start, span.end, kind=kind)

    # -- clause structure -------------------------------------------------------------
    def subject(self, verb: Token, depth: int = 0) -> list[Token]:
        """The doer of a verb: subject, passive agent, or the controller it inherits."""
        if depth > 6:
            return []
        subs = _children(verb, _SUBJ)
        if subs:
            s = subs[0]
            if _is_verbal(s):  # "The Red Cross operating in Iraq said": a mis-attached subject
                inner = _children(s, _SUBJ)
                if not inner:
                    return []
                s = inner[0]
            if s.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return [verb.head]
            if s.lower_ in _RELATIVE:
                return []
            return [s]
        if _children(verb, _PASSIVE_SUBJ):
            for a in _children(verb, ["agent"]):
                return _pobjs(a)[:1]
            return []
        head = verb.head
        if head.i == verb.i:
            return []
        if verb.dep_ == "xcomp" or (verb.dep_ == "advcl" and not any(
                c.dep_ == "mark" and c.lower_ != "to" for c in verb.children)):
            if _lemma(head) in self.cues.object_control:
                objs = _children(head, _OBJ)
                if objs:
                    return objs[:1]
            if _is_verbal(head) or head.pos_ == "ADJ":
                return self.subject(head, depth + 1)
            if head.pos_ in ("NOUN", "PROPN") and verb.dep_ == "advcl":
                return []
        if verb.dep_ == "conj" and (_is_verbal(head) or head.pos_ == "ADJ"):
            return self.subject(head, depth + 1)
        if verb.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN"):
            if not self.is_actorish(head) and head.dep_ in ("dobj", "obj") and \
                    _is_verbal(head.head):
                return self.subject(head.head, depth + 1)  # "issued a declaration demanding"
            return [head]
        if verb.dep_ == "acomp" or (verb.dep_ == "pcomp" and head.dep_ == "prep"):
            h = head if verb.dep_ == "acomp" else head.head
            if _is_verbal(h) or h.pos_ == "ADJ":
                return self.subject(h, depth + 1)
        return []

    def governing_verb(self, tok: Token) -> Token | None:
        """The verb a nominal trigger belongs to (its clause)."""
        cur = tok
        for _ in range(8):
            if cur.dep_ in ("nsubj", "nsubjpass", "ROOT"):
                return None
            head = cur.head
            if head.i == cur.i:
                return None
            if _is_verbal(head) or (head.pos_ == "ADJ" and cur.dep_ == "prep"):
                return head
            cur = head
        return None

    def follow(self, tok: Token, path: str, ctx_speaker: list[Token]) -> list[Token]:
        cur = [tok]
        for step in path.split(">"):
            nxt: list[Token] = []
            for t in cur:
                nxt.extend(self._step(t, step, ctx_speaker))
            cur = nxt
            if not cur:
                return []
        return cur

    def _step(self, t: Token, step: str, speaker: list[Token]) -> list[Token]:
        if step.startswith("prep:"):
            want = step[5:]
            out: list[Token] = []
            for p in _preps(t):
                if want == "*" or p.lower_ == want or (want == "by" and p.dep_ == "agent"):
                    out.extend(_pobjs(p))
            return out
        if step == "dobj":
            objs = _children(t, _OBJ)
            if not objs and _is_verbal(t):
                objs = _children(t, _PASSIVE_SUBJ)
            out = []
            for o in objs:
                if o.lower_ in _RELATIVE and t.dep_ == "relcl":
                    o = t.head
                out.append(_through_quantity(o, self.cues.quantity_nouns))
            return out
        if step == "subjpass":
            return _children(t, _PASSIVE_SUBJ)
        if step == "verb":
            v = self.governing_verb(t)
            return [v] if v is not None else []
        if step == "dative":
            out = []
            for c in t.children:
                if c.dep_ in ("dative", "iobj"):
                    out.extend(_pobjs(c) if c.pos_ == "ADP" else [c])
            return out
        if step == "subj":
            return self.subject(t) if (_is_verbal(t) or t.pos_ == "ADJ") else []
        if step in ("ccomp", "xcomp", "advcl", "acl"):
            return _children(t, [step, "relcl"] if step == "acl" else [step])
        if step == "mod":
            return self.entity_mods(t)
        if step == "poss":
            return _children(t, ["poss"])
        if step == "head":
            return [t.head] if t.head.i != t.i else []
        if step == "speaker":
            return speaker
        return []

    # -- matching ---------------------------------------------------------------------
    def _obj_matches(self, objs: list[Token], wanted: tuple[str, ...]) -> bool:
        for o in objs:
            lem = _lemma(o)
            for w in wanted:
                if w == "@any":
                    return True
                if w == "@actor" and self.is_actorish(o) and o.ent_type_ not in _PLACE_ENTS - {"GPE"}:
                    return True
                if w == "@place" and o.ent_type_ in _PLACE_ENTS:
                    return True
                if w == "@media" and (o.ent_type_ == "ORG" and any(
                        _lemma(x) in _MEDIA_WORDS for x in o.subtree)):
                    return True
                if lem == w or o.lower_ == w:
                    return True
                if not w.startswith("@") and any(
                        c.dep_ == "compound" and _lemma(c) == w for c in o.children):
                    return True
            # "two of its nationals", "more than 100 Palestinians": look through quantities
            if o.pos_ == "NUM" or lem in self.cues.quantity_nouns:
                inner = [g for p in _preps(o) if p.lower_ == "of" for g in _pobjs(p)]
                if inner and self._obj_matches(inner, wanted):
                    return True
        return False

    def matches(self, e: TriggerEntry, tok: Token) -> bool:
        pos = tok.pos_
        if e.pos == "verb" and pos not in ("VERB", "AUX") and not (
                pos == "ADJ" and tok.tag_ in ("VBN", "JJ") and tok.dep_ == "acomp"):
            return False
        if e.pos == "noun" and pos not in ("NOUN", "PROPN"):
            return False
        if e.pos == "adj" and pos != "ADJ":
            return False
        if e.pos == "aux" and not (pos in ("AUX", "VERB") and tok.dep_ == "aux"):
            return False
        prts = {p.lower_ for p in _particles(tok)}
        if e.prt and not ((prts & set(e.prt)) or ("" in e.prt and not prts)):
            return False
        if e.not_prt and prts & set(e.not_prt):
            return False
        preps = _preps(tok)
        prep_words = {p.lower_ for p in preps}
        if e.prep and not prep_words & set(e.prep):
            return False
        if e.not_prep and prep_words & set(e.not_prep):
            return False
        if e.prep_obj:
            pobjs = [o for p in preps if not e.prep or p.lower_ in e.prep for o in _pobjs(p)]
            if not any(_lemma(o) in e.prep_obj for o in pobjs):
                return False
        objs = _children(tok, _OBJ)
        if tok.pos_ in ("VERB", "AUX") and not objs:
            objs = _children(tok, _PASSIVE_SUBJ)
        if e.obj and not self._obj_matches(objs, e.obj):
            return False
        if e.not_obj and self._obj_matches(objs, e.not_obj):
            return False
        mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod", "npadvmod")]
        mod_lemmas = {_lemma(m) for m in mods} | {m.lower_ for m in mods}
        if e.modifier and not mod_lemmas & set(e.modifier):
            return False
        if e.not_modifier and mod_lemmas & set(e.not_modifier):
            return False
        if e.complement or e.not_complement:
            comps = _complements(tok)
            comp_lemmas = {_lemma(x) for c in comps for x in c.subtree}
            if e.complement:
                if "*" in e.complement:
                    if not comps:
                        return False
                elif not comp_lemmas & set(e.complement):
                    return False
            if e.not_complement and comp_lemmas & set(e.not_complement):
                return False
        if e.subj or e.not_subj:
            subj_tokens = [x for s in self.subject(tok) for x in s.subtree] if _is_verbal(tok) else []
            subj_lemmas = {_lemma(x) for x in subj_tokens}
            if e.subj and not subj_lemmas & set(e.subj):
                return False
            if e.not_subj and subj_lemmas & set(e.not_subj):
                return False
        if e.under_speech and self.speech_governor(tok.head) is None:
            return False
        return not (e.pos == "noun" and not e.prep and not self.nominal_position(tok))

    def nominal_position(self, tok: Token) -> bool:
        """A bare nominal trigger is coded only as the object of a verb ("held talks",
        "launched ten days of war games") or the subject of an eventive verb ("riots
        erupted", "clashes are continuing")."""
        dep = tok.dep_
        if dep in ("dobj", "obj", "nsubjpass"):
            return any(v in self.cues.support_verbs for v in _lemma_variants(tok.head))
        if dep == "conj":
            return tok.head.dep_ in ("dobj", "obj") and self.nominal_position(tok.head)
        if dep == "nsubj":
            return _lemma(tok.head) in self.cues.eventive_verbs
        if dep == "pobj" and tok.head.lower_ == "of":
            q = tok.head.head
            return (q.dep_ in ("dobj", "obj") and (q.pos_ == "NUM" or _lemma(q) in
                    self.cues.quantity_nouns or q.lower_ in self.cues.quantity_nouns)
                    and _lemma(q.head) in self.cues.support_verbs)
        return False

    def match(self, tok: Token) -> TriggerEntry | None:
        for lemma in dict.fromkeys(_lemma_variants(tok)):
            for e in self.lex.entries_for(lemma):
                if self.matches(e, tok):
                    return e
        return None

    # -- speech, negation, modality ---------------------------------------------------
    def is_speech(self, tok: Token) -> bool:
        if not _is_verbal(tok):
            return False
        lem = _lemma(tok)
        for p in _particles(tok):
            if f"{lem} {p.lower_}" in self.cues.speech_verbs:
                return True
        return lem in self.cues.speech_verbs

    def speech_governor(self, tok: Token) -> Token | None:
        """The speech verb whose clausal complement contains ``tok``, if any."""
        cur = tok
        for _ in range(12):
            head = cur.head
            if head.i == cur.i:
                return None
            if cur.dep_ in ("ccomp", "xcomp", "parataxis", "advcl") and self.is_speech(head):
                return head
            if cur.dep_ == "conj" and self.is_speech(cur) is False and self.is_speech(head) and \
                    head.dep_ != "ROOT":
                pass
            if cur.dep_ in ("relcl",):
                return None
            cur = head
        return None

    def clause_verb(self, trigger: Token) -> Token:
        if _is_verbal(trigger) or trigger.pos_ == "ADJ":
            return trigger
        return self.governing_verb(trigger) or trigger

    def negated(self, trigger: Token, verb: Token) -> bool:
        for t in {trigger, verb}:
            for c in t.children:
                if c.dep_ == "neg" or (c.lower_ in self.cues.negators and c.dep_ in (
                        "neg", "advmod", "det", "preconj")):
                    return True
        cur = verb
        for _ in range(4):
            if cur.dep_ not in ("xcomp",) or cur.head.i == cur.i:
                break
            cur = cur.head
            if _lemma(cur) in self.cues.negating_verbs:
                return True
            if any(c.dep_ == "neg" for c in cur.children) and (
                    _lemma(cur) in self.cues.intended_verbs
                    or _lemma(cur) in self.cues.future_verbs):
                return True
        return False

    def modality(self, trigger: Token, verb: Token, sent: SpacySpan, attributed: bool) -> str:
        hedged = any(
            c.lower_ in self.cues.hedges for t in {trigger, verb} for c in t.children
            if c.dep_ in ("amod", "advmod", "acomp", "npadvmod"))
        if hedged:
            return "alleged"
        chain = [verb]
        cur = verb
        for _ in range(4):
            if cur.dep_ not in ("xcomp", "conj") or cur.head.i == cur.i:
                break
            cur = cur.head
            chain.append(cur)
        for v in chain:
            auxes = {_lemma(c) for c in v.children if c.dep_ in ("aux", "auxpass")} | {
                c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
            marks = {c.lower_ for c in v.children if c.dep_ == "mark"}
            if v.i != verb.i and _lemma(v) in self.cues.intended_verbs:
                return "intended"
            if v.i != verb.i and _lemma(v) in self.cues.future_verbs:
                return "future"
            if auxes & self.cues.future_aux:
                return "future"
            if auxes & self.cues.hypothetical_aux:
                # "said they would boycott": the future of reported speech
                if attributed and auxes & {"would", "'d"}:
                    return "future"
                return "hypothetical"
            if marks & self.cues.hypothetical_marks:
                return "hypothetical"
        if verb.dep_ == "advcl" and any(c.lower_ in self.cues.hypothetical_marks
                                        for c in verb.children if c.dep_ == "mark"):
            return "hypothetical"
        if sent.text.rstrip().endswith("?") and not attributed:
            return "question"
        return "asserted"

    # -- governance -------------------------------------------------------------------
    def governed(self, tok: Token, triggers: set[int]) -> bool:
        """True when ``tok`` sits in the object/complement of another trigger (or in the
        purpose clause of a nominal trigger's verb: "began a hunger strike to demand…")."""
        cur = tok
        for _ in range(14):
            head = cur.head
            if head.i == cur.i:
                return False
            dep = cur.dep_
            if dep in ("relcl", "parataxis", "nsubj", "nsubjpass", "csubj"):
                return False
            if dep == "advcl" and any(c.dep_ == "mark" and c.lower_ != "to" for c in cur.children):
                return False
            if head.i in triggers and dep != "conj":
                return True
            if dep in ("advcl", "xcomp", "ccomp", "conj", "prep") and head.i not in triggers and any(
                    c.dep_ in ("dobj", "obj") and c.i in triggers and c.i != cur.i
                    for c in head.children):
                return True
            if dep == "ccomp" and self.is_speech(head):
                return False
            cur = head
        return False

    def in_condition(self, tok: Token) -> bool:
        """Inside a condition or a subject clause ("unless Baghdad accepted…",
        "removing the sanctions is out of the question"): not an asserted event."""
        cur = tok
        for _ in range(14):
            head = cur.head
            if head.i == cur.i:
                return False
            if cur.dep_ in ("csubj", "csubjpass"):
                return True
            if cur.dep_ in ("advcl", "ccomp") and any(
                    c.dep_ == "mark" and c.lower_ in self.cues.condition_marks
                    for c in cur.children):
                return True
            if cur.dep_ == "pcomp" and head.lower_ in self.cues.condition_marks:
                return True
            cur = head
        return False

    def threat_condition(self, verb: Token) -> bool:
        """The event has an "unless …" clause: an announced action with a condition."""
        cur = verb
        for _ in range(3):
            for c in cur.children:
                if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in self.cues.threat_marks
                                             for m in c.children):
                    return True
            if cur.dep_ not in ("xcomp", "conj") or cur.head.i == cur.i:
                break
            cur = cur.head
        return False


# ------------------------------------------------------------------------------------ coding


def _event_id(doc_id: str, etype: str, trigger: Span, actor: Sequence[ActorRef],
              recipient: Sequence[ActorRef]) -> str:
    key = "|".join([doc_id, etype, str(trigger.start), str(trigger.end),
                    ",".join(f"{a.start}-{a.end}" for a in actor),
                    ",".join(f"{r.start}-{r.end}" for r in recipient)])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def _excluded_ranges(ctx: DocContext) -> list[tuple[int, int]]:
    """Doc-relative character ranges that are not content: a repeated headline."""
    out: list[tuple[int, int]] = []
    title = (ctx.article.title or "").strip()
    if len(title) >= 12:
        head = ctx.text[: len(title) + 200]
        norm = re.sub(r"\s+", " ", title).lower()
        pos = re.sub(r"\s+", " ", head).lower().find(norm)
        if pos >= 0:
            out.append((0, pos + len(norm)))
    return out


def _is_caption(lex: Lexicon, sent: SpacySpan) -> bool:
    return lex.caption_re is not None and bool(lex.caption_re.match(sent.text))


def _in_caption_parens(lex: Lexicon, tok: Token) -> bool:
    if lex.caption_re is None:
        return False
    doc = tok.doc
    depth = 0
    for i in range(tok.i - 1, max(tok.sent.start, tok.i - 40) - 1, -1):
        t = doc[i].text
        if t == ")":
            depth += 1
        elif t == "(":
            if depth == 0:
                rest = doc[i + 1: min(len(doc), i + 6)].text
                return bool(lex.caption_re.match(rest))
            depth -= 1
    return False


def _trigger_span(ctx: DocContext, tok: Token, e: TriggerEntry) -> Span:
    parts = [tok]
    parts += [p for p in _particles(tok) if not e.prt or p.lower_ in e.prt]
    if e.obj and not any(w.startswith("@") for w in e.obj):
        parts += [o for o in _children(tok, _OBJ) if _lemma(o) in e.obj]
    if e.modifier:
        parts += [m for m in tok.children if _lemma(m) in e.modifier]
    lo = min(p.i for p in parts)
    hi = max(p.i for p in parts)
    if hi - lo > 2:
        lo = hi = tok.i
    return ctx.tspan(tok.doc[lo:hi + 1])


def code_sentence(ctx: DocContext, lex: Lexicon, sent: SpacySpan,
                  excluded: Sequence[tuple[int, int]] = ()) -> list[Event]:
    """The events of one sentence of ``ctx.doc``."""
    coder = _Coder(ctx, lex)
    if _is_caption(lex, sent):
        return []
    found: list[tuple[Token, TriggerEntry]] = []
    for tok in sent:
        if tok.is_punct or tok.is_space:
            continue
        if any(a <= tok.idx < b for a, b in excluded):
            continue
        if coder.is_speech(tok) and not lex.entries_for(_lemma(tok)):
            continue
        entry = coder.match(tok)
        if entry is not None and not _in_caption_parens(lex, tok):
            found.append((tok, entry))
    if not found:
        return []
    trig_ids = {t.i for t, _ in found}
    aux_heads = {t.head.i for t, e in found if e.pos == "aux"}
    trig_ids |= aux_heads
    sref = ctx.sentence_ref(sent)
    events: list[Event] = []
    seen: set[tuple[str, tuple[int, ...], tuple[int, ...]]] = set()
    quotes = [(q.content.start, q.content.end, q.speaker) for q in ctx.quotes]
    for tok, e in found:
        if tok.i in aux_heads and e.pos != "aux":
            continue
        anchor = tok.head if e.pos == "aux" else tok
        if coder.governed(anchor, trig_ids) or coder.in_condition(anchor):
            continue
        ev = _code_one(ctx, lex, coder, sent, sref, tok, e, quotes)
        if ev is None:
            continue
        key = (ev.event_type, tuple(a.start for a in ev.actor), tuple(r.start for r in ev.recipient))
        if key in seen:
            continue
        seen.add(key)
        events.append(ev)
    return events


def _code_one(ctx: DocContext, lex: Lexicon, coder: _Coder, sent: SpacySpan, sref: Any,
              tok: Token, e: TriggerEntry,
              quotes: Sequence[tuple[int, int, ActorRef | None]]) -> Event | None:
    from . import dates as dates_mod
    from . import places as places_mod

    speech = coder.speech_governor(tok if e.pos != "aux" else tok.head)
    speaker_toks = coder.subject(speech) if speech is not None else []
    # -- actor
    actor_toks: list[Token] = []
    if e.actor:
        for p in e.actor:
            actor_toks = [a for a in coder.follow(tok, p, speaker_toks) if coder.is_actorish(a)]
            if actor_toks:
                break
    elif e.pos in ("verb", "adj", "any") and (_is_verbal(tok) or tok.pos_ == "ADJ"):
        actor_toks = coder.subject(tok)
    else:  # nominal trigger: owner, "by X", or the doer of the clause it belongs to
        poss = _children(tok, ["poss"])
        by = [o for p in _preps(tok) if p.lower_ == "by" for o in _pobjs(p)]
        if poss and not (poss[0].pos_ == "PRON" or not coder.refs(poss[0])
                         or _lemma(poss[0]) in ("country", "government", "nation", "side")):
            actor_toks = poss[:1]
        elif by and not any(r.startswith("prep:by") for r in e.recipient):
            actor_toks = by[:1]
        else:
            verb = coder.governing_verb(tok)
            if verb is not None:
                actor_toks = coder.subject(verb)
            if not actor_toks and poss:
                actor_toks = poss[:1]
            if not actor_toks:
                actor_toks = coder.entity_mods(tok)[:1]
    actor: list[ActorRef] = []
    for a in actor_toks:
        found = coder.refs(a)
        if not found and not coder.is_actorish(a):
            # "the first deployment of NATO troops arrived": the doer inside the subject
            for inner in coder.actorish_within(a):
                found.extend(coder.refs(inner))
        actor.extend(found)
    # -- recipient
    recipient: list[ActorRef] = []
    actor_idx = {a.i for t in actor_toks for a in _conjuncts(t)}
    index = ctx.actors
    civ_target = getattr(index, "is_civilian_target", None)
    for p in e.recipient:
        cands: list[Token] = []
        civilian: set[int] = set()  # candidates reached through "homes", "village"…
        reached = coder.follow(tok, p, speaker_toks)
        if not reached and "dobj>prep:" in p:
            # the parser hung the object's "to/against X" on the verb ("deliver blows to X")
            reached = coder.follow(tok, p.replace("dobj>prep:", "prep:", 1), speaker_toks)
        for c in reached:
            if c.i in actor_idx or c.i == tok.i:
                continue
            within = coder.actorish_within(c)
            if civ_target is not None and (civ_target(c) or (
                    c.dep_ in ("amod", "compound", "poss", "nmod") and civ_target(c.head))):
                # "demolished Palestinian homes", "retook a village in Cambodia": civilians
                if not within and index is not None and index.refs_for(c):
                    within = [c]
                civilian.update(t.i for t in within)
            cands.extend(within)
        cands = [c for c in cands if c.i not in actor_idx]
        for c in list(cands):
            # "blocked the bridge from France to Germany": a span from X to Y names both
            if c.dep_ != "pobj" or c.head.lower_ not in ("from", "to"):
                continue
            p0 = c.head.i
            near = range(max(sent.start, p0 - 4), p0) if c.head.lower_ == "to" else \
                range(p0 + 1, min(sent.end, p0 + 6))
            other = "from" if c.head.lower_ == "to" else "to"
            for j in near:
                f = c.doc[j]
                if f.lower_ == other and f.dep_ == "prep":
                    cands.extend(o for o in _pobjs(f) if coder.is_actorish(o)
                                 and o.i not in actor_idx and o not in cands)
        for c in cands:
            found = coder.refs(c)
            if c.i in civilian:
                found = [dataclasses.replace(r, sector="CVL") if r.sector is None else r
                         for r in found]
            recipient.extend(found)
        if recipient:
            break
    if not recipient and e.type == "REJECT":
        # "declined to resign despite pressure by the Commission": the party refused
        for v in [tok, *_children(tok, ["xcomp"])]:
            for dp in (c for c in v.children if c.lower_ == "despite" and c.dep_ == "prep"):
                for pn in _pobjs(dp):
                    for bp in (q for q in _preps(pn) if q.lower_ in ("by", "from")):
                        for o in _pobjs(bp):
                            for w in coder.actorish_within(o):
                                if w.i not in actor_idx:
                                    recipient.extend(coder.refs(w))
    akeys = {(a.start, a.end) for a in actor}
    seen_r: set[tuple[int, int, str | None, str | None]] = set()
    unique: list[ActorRef] = []
    for r in recipient:
        rkey = (r.start, r.end, r.country, r.name)
        if (r.start, r.end) not in akeys and rkey not in seen_r:
            seen_r.add(rkey)
            unique.append(r)
    recipient = unique
    if not actor and recipient and index is not None and hasattr(index, "place_ref"):
        # "a roadside bombing near the town of Samarra killed a soldier": nobody named;
        # the attack is by unidentified armed forces (UAF) of the place's country
        for a in actor_toks:
            if _lemma(a) not in coder.cues.instrument_nouns:
                continue
            place = next((r for r in (index.place_ref(t) for t in a.subtree if t.i != a.i)
                          if r is not None), None)
            if place is not None:
                actor.append(dataclasses.replace(place, sector="UAF", kind="group"))
                break
    elif recipient:
        # "a car bombing in Baghdad killed…": placed by its place, still nobody's doing
        inst = [ctx.abs(a.idx) for a in actor_toks if _lemma(a) in coder.cues.instrument_nouns]
        actor = [dataclasses.replace(r, sector="UAF") if r.kind == "group" and r.sector is None
                 and any(r.start <= x < r.end for x in inst) else r for r in actor]
    if not actor and not recipient:
        return None
    if e.pos == "noun" and e.prep and not recipient:
        return None  # "a press conference with …" / "a call for … by …" without the party
    # -- negation, modality, attribution
    verb = coder.clause_verb(tok if e.pos != "aux" else tok.head)
    negated = coder.negated(tok, verb)
    attributed: ActorRef | None = None
    abs_start = ctx.abs(tok.idx)
    for qs, qe, speaker in quotes:
        if qs <= abs_start < qe and speaker is not None:
            attributed = speaker
            break
    if attributed is None and speaker_toks and e.pos != "aux":
        refs = coder.refs(speaker_toks[0])
        attributed = refs[0] if refs else None
    modality = coder.modality(tok, verb, sent, attributed is not None or speech is not None)
    if e.pos == "aux":
        modality = "asserted"
    etype, mode = e.type, e.mode
    # -- intent (PLOVER/CAMEO): announced future actions are promises or threats
    intent = lex.intent
    conditional_threat = modality == "future" and coder.threat_condition(verb)
    if conditional_threat and etype in (intent.get("cooperative") or []) and not negated:
        etype, mode, modality = "THREATEN", None, "asserted"
    elif modality == "future" and etype in (intent.get("cooperative") or []):
        if negated:
            etype, mode, negated = "REJECT", None, False
        else:
            etype, mode = "AGREE", None
        modality = "asserted"
    elif modality == "future" and etype in (intent.get("conflictual") or []) and not negated:
        mode = (intent.get("threat_modes") or {}).get(f"{etype}/{mode}") or \
            (intent.get("threat_modes") or {}).get(etype)
        etype = "THREATEN"
        modality = "asserted"
    if mode is not None and mode not in lex.types[etype].modes:
        mode = None
    cameo, quad, goldstein = lex.types[etype].crosswalk(mode)
    trig = _trigger_span(ctx, tok, e)
    symmetric = e.symmetric and etype == e.type
    location = places_mod.event_location(ctx, sent, tok)
    date_value, date_basis = dates_mod.event_date(ctx, sent, tok)
    if (modality == "asserted" and date_basis == "text"
            and _long_before(date_value, ctx.published, HISTORICAL_DAYS)):
        modality = "historical"  # "In 2014, Russia annexed Crimea": background, not news
    confidence = e.confidence
    if actor and recipient:
        confidence += 0.1
    if not actor:
        confidence -= 0.15
    if e.pos == "noun":
        confidence -= 0.05
    if modality != "asserted":
        confidence -= 0.05
    confidence = round(max(0.05, min(0.99, confidence)), 2)
    actor_t = tuple(actor)
    recipient_t = tuple(recipient)
    return Event(
        id=_event_id(ctx.doc_id, etype, trig, actor_t, recipient_t),
        doc_id=ctx.doc_id,
        run_id=ctx.run_id,
        sentence=sref,
        event_type=etype,
        mode=mode,
        context=tuple(e.context),
        cameo=cameo,
        quad_class=quad,
        goldstein=goldstein,
        trigger=trig,
        actor=actor_t,
        recipient=recipient_t,
        negated=negated,
        modality=modality,
        attributed_to=attributed,
        location=location,
        date=date_value,
        date_basis=date_basis,
        confidence=confidence,
        extractor=EXTRACTOR,
        symmetric=symmetric,
    )


#: an asserted event whose own date (from its sentence) ends more than this many days before
#: the publication date is ``historical``: the story recalls it, it does not report it
HISTORICAL_DAYS = 180


def _long_before(value: str | None, published: dt.date | None, days: int) -> bool:
    """Whether the latest day ``value`` can mean lies more than ``days`` before
    ``published`` (False when either is unknown)."""
    from .dates import last_day

    last = last_day(value)
    return last is not None and published is not None and (published - last).days > days


def _lexicon_of(ctx: DocContext) -> Lexicon:
    lex = getattr(ctx.resources, "lexicon", None)
    if isinstance(lex, Lexicon) and lex.entries:
        return lex
    return _default_lexicon()


_DEFAULT: list[Lexicon] = []


def _default_lexicon() -> Lexicon:
    if not _DEFAULT:
        _DEFAULT.append(load_lexicon())
    return _DEFAULT[0]


def extract(ctx: DocContext) -> list[Event]:
    """Every event coded in the document's body, in text order."""
    lex = _lexicon_of(ctx)
    excluded = _excluded_ranges(ctx)
    out: list[Event] = []
    for sent in ctx.doc.sents:
        out.extend(code_sentence(ctx, lex, sent, excluded))
    return out


def replace_lexicon_entries(lex: Lexicon, entries: Sequence[TriggerEntry]) -> Lexicon:
    """A copy of ``lex`` with other entries (for tests and experiments)."""
    index: dict[str, list[TriggerEntry]] = {}
    for e in entries:
        for lemma in e.lemmas:
            index.setdefault(lemma, []).append(e)
    ordered = {k: tuple(sorted(v, key=lambda e: (-e.specificity, not e.user)))
               for k, v in index.items()}
    return dataclasses.replace(lex, entries=tuple(entries), index=ordered)
