"""Framing markers: hedges on claims and loaded labels applied to actors.

Contract: ``load_framing(extra_files=()) -> FramingLexicon``; ``extract(ctx) -> list[Frame]``.

The words are data (``dragoman/data/framing/framing.yaml``, extendable by a user file):

- a **hedge** ("alleged", "reportedly", "so-called", "according to", …) is recorded with the
  claim it bears on as ``target``: the noun phrase it modifies ("the alleged chemical
  attack" → "alleged chemical attack"), the clause of the verb it modifies ("reportedly
  killed …"), the clause of a hedging verb ("claimed that …") or, for "according to X",
  the clause the phrase attaches to.
- a **label** ("regime", "terrorists", "militants", …) is recorded with the actor it labels
  as ``applies_to``: the actor resolver's answer for the labelled noun ("Saudi regime" →
  SAU GOV); when the label is a modifier ("terrorist organizations") the noun it modifies;
  "the regime of X" → X. When the resolver knows no actor there, ``applies_to`` is the
  labelled noun phrase with no name or country (never a guess).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from spacy.tokens import Doc, Token

from ..errors import DataFileError
from ..types import ActorRef, Frame, Span
from .context import DocContext, doc_text
from .quotes import packaged_file, read_yaml_file

__all__ = ["FramingLexicon", "Marker", "extract", "load_framing", "read_framing_file"]

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
    line = entry.get("__line__")
    where = f"{origin}:{line}" if line else origin
    unknown = set(entry) - _ENTRY_KEYS - {"__line__"}
    if unknown:
        raise DataFileError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))} in {kind} entry; "
            f"allowed: {', '.join(sorted(_ENTRY_KEYS))}"
        )
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
    data = read_yaml_file(path, text)
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
    markers = read_framing_file(packaged_file("framing", "framing.yaml"))
    for extra in extra_files:
        markers.extend(read_framing_file(extra))
    lexicon = FramingLexicon.build(markers)
    log.debug("loaded %d framing markers", len(lexicon))
    return lexicon


_DEFAULT: list[FramingLexicon] = []


def _lexicon(ctx: DocContext) -> FramingLexicon:
    lex = getattr(ctx.resources, "framing", None)
    if isinstance(lex, FramingLexicon) and len(lex):
        return lex
    if not _DEFAULT:
        _DEFAULT.append(load_framing())
    return _DEFAULT[0]


# --------------------------------------------------------------------------- extraction


def _trimmed(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].dep_ == "det"):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def _np_left(noun: Token) -> tuple[int, int]:
    """The noun phrase of ``noun`` up to the noun (its pre-modifiers), as a token range."""
    start = min([t.i for t in noun.lefts for t in t.subtree] + [noun.i])
    return _trimmed(noun.doc, start, noun.i + 1)


def _clause(verb: Token, skip: set[int]) -> tuple[int, int] | None:
    idx = [t.i for t in verb.subtree if t.i not in skip and t.sent == verb.sent]
    if not idx:
        return None
    return _trimmed(verb.doc, min(idx), max(idx) + 1)


def _hedge_target(tokens: list[Token]) -> tuple[int, int] | None:
    """Token range of the claim a hedge bears on."""
    first = tokens[0]
    doc = first.doc
    head = tokens[-1]
    if first.lower_ == "according":
        main = first.head
        while main.dep_ == "conj" and main.head is not main:
            main = main.head
        if main is first:
            return None
        return _clause(main, {t.i for t in first.subtree})
    for tok in tokens:
        if tok.head.i not in {t.i for t in tokens}:
            head = tok
            break
    gov = head.head
    if head.dep_ in ("amod", "compound", "nmod") and gov.pos_ in ("NOUN", "PROPN"):
        return _np_left(gov)
    if head.dep_ in ("advmod", "npadvmod") and gov.pos_ in ("VERB", "AUX", "ADJ"):
        return _clause(gov, set())
    if head.pos_ == "VERB":
        comps = [c for c in head.children if c.dep_ in ("ccomp", "xcomp", "dobj")]
        if comps:
            idx = [
                t.i for c in comps for t in c.subtree
                if not (t.dep_ == "mark" and t.head in comps)
            ]
            return _trimmed(doc, min(idx), max(idx) + 1)
        if head.dep_ == "acl" and gov.pos_ in ("NOUN", "PROPN"):  # "the victory claimed by …"
            return _np_left(gov)
    if head.dep_ in ("amod",) or gov.pos_ in ("NOUN", "PROPN"):
        return _np_left(gov)
    return None


_DISTANCING_VERBS = frozenset({"allege", "claim", "purport"})


def _reporting_verb(tokens: list[Token]) -> bool:
    """True for a plain reporting verb ("The Times reported that …"): not a hedge."""
    if len(tokens) != 1:
        return False
    tok = tokens[0]
    return (
        tok.pos_ in ("VERB", "AUX")
        and tok.dep_ not in ("amod", "acl", "advmod")
        and tok.lemma_.lower() not in _DISTANCING_VERBS
    )


def _ref(ctx: DocContext, token: Token) -> ActorRef | None:
    index = ctx.actors
    if index is None:
        return None
    refs = index.refs_for(token)
    return refs[0] if refs else None


def _bare_ref(ctx: DocContext, noun: Token) -> ActorRef:
    s, e = _np_left(noun)
    if e <= s:
        s, e = noun.i, noun.i + 1
    sp = ctx.tspan(ctx.doc[s:e])
    return ActorRef(text=sp.text, start=sp.start, end=sp.end)


def _label_target(ctx: DocContext, tokens: list[Token]) -> ActorRef:
    """The actor a loaded label is applied to."""
    head = tokens[-1]
    for tok in tokens:
        if tok.head.i not in {t.i for t in tokens}:
            head = tok
            break
    noun = head
    if head.dep_ in ("amod", "compound") and head.head.pos_ in ("NOUN", "PROPN"):
        noun = head.head  # "terrorist organizations": the organizations
    ref = _ref(ctx, noun)
    if ref is not None:
        return ref
    # "the regime of X", "the regime in Damascus": X
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "in"):
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    ref = _ref(ctx, pobj)
                    if ref is not None:
                        return ref
    # "Saudi regime", "Assad regime": the modifier
    for mod in noun.lefts:
        if mod.dep_ in ("amod", "compound", "poss", "nmod") and mod.i not in {t.i for t in tokens}:
            ref = _ref(ctx, mod)
            if ref is not None:
                return ref
    return _bare_ref(ctx, noun)


def extract(ctx: DocContext) -> list[Frame]:
    """Hedges and loaded labels of the document, in text order."""
    lex = _lexicon(ctx)
    doc = ctx.doc
    frames: list[Frame] = []
    for kind in ("hedge", "label"):
        for start, end, marker in lex.find(doc_text(doc), kind):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            tokens = list(span)
            sp = ctx.span(start, end)
            if kind == "hedge":
                if _reporting_verb(tokens):
                    continue
                rng = _hedge_target(tokens)
                target: Span | None = None
                if rng is not None and rng[1] > rng[0]:
                    target = ctx.tspan(doc[rng[0]:rng[1]])
                frames.append(Frame(ctx.doc_id, "hedge", sp.start, sp.end, sp.text,
                                    target=target, category=marker.category))
            else:
                if not any(t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB") for t in tokens):
                    continue
                frames.append(Frame(ctx.doc_id, "label", sp.start, sp.end, sp.text,
                                    applies_to=_label_target(ctx, tokens),
                                    category=marker.category))
    frames.sort(key=lambda f: (f.start, f.end, f.kind))
    return frames
