"""Faster stand-ins for two rule components of a spaCy pipeline, same output.

spaCy's ``attribute_ruler`` runs its patterns through the token ``Matcher`` and its rule
``lemmatizer`` walks the tokens in Python; on news text the two took 14% of
``en_core_web_sm``'s time (``bench/spacy_components.py``). Both are pure functions of
columns that ``Doc.to_array`` reads at once, so they are recomputed here on arrays:

- ``ArrayAttributeRuler``: each of the ruler's own patterns (equality, ``IN``, ``NOT_IN``,
  ``REGEX`` on token attributes; fixed-length token sequences) becomes a boolean mask over
  the document's tokens, and the ruler's normalised attributes are applied in the ruler's
  order (a later pattern wins, as in ``AttributeRuler.match``), all matched against the
  tokens as they were before the ruler ran, as spaCy does;
- ``CachedLemmatizer``: the rule lemmatizer's answer depends only on the token's form, its
  part of speech and its morphology (spaCy's own cache key), so each distinct key is asked
  of spaCy's lemmatizer once per process and the rest is a dictionary lookup.

``speed_up`` swaps them in under the components' own names when the pipeline has them and
every pattern is of a supported kind; otherwise it leaves the component as it is. The
equality of their output with spaCy's is tested on real articles
(``tests/nlp/test_fast_components.py``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["ArrayAttributeRuler", "CachedLemmatizer", "speed_up"]

log = logging.getLogger(__name__)

#: the token attributes a pattern may test, in the column order of ``to_array``
_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_READ = [TAG, LOWER, DEP, IS_SPACE]
#: attributes written through ``Doc.from_array`` (the others, rare, token by token)
_BULK = (POS, MORPH, LEMMA)
#: the attributes a rule may set (another makes the module keep spaCy's ruler)
_SETS = frozenset((*_BULK, TAG, DEP))

_Mask = Callable[[np.ndarray], np.ndarray]


class _Unsupported(ValueError):
    """A pattern this module cannot evaluate (the spaCy component is kept)."""


def _hashes(nlp: Language, values: Iterable[Any]) -> np.ndarray:
    return np.array([nlp.vocab.strings.add(str(v)) if v != "" else 0 for v in values],
                    dtype=np.uint64)


def _predicate(nlp: Language, col: int, attr: str, value: Any) -> _Mask:
    """A mask function over the ``to_array`` columns for one attribute test."""
    if attr == "IS_SPACE":
        if not isinstance(value, bool):
            raise _Unsupported(f"IS_SPACE {value!r}")
        want = np.uint64(int(value))
        return lambda a: a[:, col] == want
    if isinstance(value, str):
        h = _hashes(nlp, [value])[0]
        return lambda a: a[:, col] == h
    if not isinstance(value, dict) or len(value) != 1:
        raise _Unsupported(f"{attr} {value!r}")
    op, arg = next(iter(value.items()))
    if op in ("IN", "NOT_IN") and isinstance(arg, list):
        hs = _hashes(nlp, arg)
        if op == "IN":
            return lambda a: np.isin(a[:, col], hs)
        return lambda a: ~np.isin(a[:, col], hs)
    if op == "REGEX" and isinstance(arg, str):
        rx = re.compile(arg)
        strings = nlp.vocab.strings
        known: dict[int, bool] = {}

        def search(a: np.ndarray) -> np.ndarray:
            distinct, back = np.unique(a[:, col], return_inverse=True)
            found = []
            for h in distinct.tolist():
                hit = known.get(h)
                if hit is None:
                    hit = known[h] = bool(rx.search(strings[h] if h else ""))
                found.append(hit)
            return np.array(found, dtype=bool)[back.reshape(-1)]

        return search
    raise _Unsupported(f"{attr} {op}")


class _Rule:
    """One pattern list of the ruler: its token tests, its index and attributes."""

    def __init__(self, nlp: Language, patterns: list[list[dict[str, Any]]], index: int,
                 attrs: dict[int, int]) -> None:
        self.sequences: list[list[list[_Mask]]] = []
        for pattern in patterns:
            seq: list[list[_Mask]] = []
            for spec in pattern:
                tests: list[_Mask] = []
                for attr, value in spec.items():
                    if attr not in _COLUMNS:
                        raise _Unsupported(attr)
                    tests.append(_predicate(nlp, _COLUMNS[attr], attr, value))
                seq.append(tests)
            if not seq:
                raise _Unsupported("empty pattern")
            self.sequences.append(seq)
        self.index = index
        if set(attrs) - _SETS:
            raise _Unsupported(f"sets attribute {sorted(set(attrs) - _SETS)}")
        self.attrs = sorted(attrs.items())

    def positions(self, a: np.ndarray, doc_of: np.ndarray) -> np.ndarray:
        """The tokens this rule sets (as ``AttributeRuler.set_annotations`` picks them) in
        the rows ``a`` of several documents (``doc_of``: each row's document; a match does
        not cross from one into the next)."""
        n = len(a)
        found = []
        for seq in self.sequences:
            k = len(seq)
            if n < k:
                continue
            hit = np.ones(n - k + 1, dtype=bool)
            for j, tests in enumerate(seq):
                for test in tests:
                    hit &= test(a)[j:n - k + 1 + j]
            if k > 1:
                hit &= doc_of[:n - k + 1] == doc_of[k - 1:]
            starts = np.flatnonzero(hit)
            if len(starts):
                if not -k <= self.index < k:
                    raise ValueError(f"attribute ruler index {self.index} outside a "
                                     f"{k}-token match")
                found.append(starts + (self.index if self.index >= 0 else k + self.index))
        if not found:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate(found))


class ArrayAttributeRuler:
    """spaCy's ``AttributeRuler`` evaluated on token arrays (same patterns, same output)."""

    def __init__(self, nlp: Language, ruler: Any) -> None:
        patterns = ruler.patterns
        self.rules = [_Rule(nlp, p["patterns"], int(p.get("index", 0)), dict(attrs))
                      for p, attrs in zip(patterns, ruler.attrs, strict=True)]
        self.name = getattr(ruler, "name", "attribute_ruler")

    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                self._annotate(batch)
                yield from batch
                batch = []
        if batch:
            self._annotate(batch)
            yield from batch

    def _annotate(self, docs: list[Doc]) -> None:
        """The rules matched on the documents' tokens all at once, then written back."""
        docs = [d for d in docs if len(d)]
        if not docs:
            return
        a = np.vstack([d.to_array(_READ).reshape(len(d), -1) for d in docs])
        sizes = [len(d) for d in docs]
        doc_of = np.repeat(np.arange(len(docs)), sizes)
        n = len(a)
        new: dict[int, np.ndarray] = {}  # attribute -> the values the rules set
        hit: dict[int, np.ndarray] = {}  # attribute -> which tokens they set
        for rule in self.rules:
            pos = rule.positions(a, doc_of)
            if not len(pos):
                continue
            for attr, value in rule.attrs:  # a later rule overwrites an earlier one
                if attr not in new:
                    new[attr] = np.zeros(n, dtype=np.uint64)
                    hit[attr] = np.zeros(n, dtype=bool)
                new[attr][pos] = value
                hit[attr][pos] = True
        bulk = [attr for attr in _BULK if attr in new]
        start = 0
        for doc, size in zip(docs, sizes, strict=True):
            end = start + size
            # the rare attributes (TAG, DEP of whitespace tokens) token by token, the
            # others (part of speech, morphology, lemma) in one call
            for attr, values in new.items():
                if attr not in _BULK:
                    for i in np.flatnonzero(hit[attr][start:end]).tolist():
                        _set(doc[i], attr, int(values[start + i]))
            if bulk:
                cur: Any = doc.to_array(bulk).reshape(size, -1)
                for j, attr in enumerate(bulk):
                    m = hit[attr][start:end]
                    cur[m, j] = new[attr][start:end][m]
                doc.from_array(bulk, cur)
            start = end


def _set(token: Any, attr: int, value: int) -> None:
    """A tag or dependency label (the attributes not in ``_BULK``) set on one token."""
    if attr == TAG:
        token.tag = value
    else:
        token.dep = value


class CachedLemmatizer:
    """spaCy's rule ``Lemmatizer`` (``overwrite`` off) with its answers kept per (form,
    part of speech, morphology): only the first token of each key is lemmatized by spaCy.
    The cache is emptied when it holds ``max_cache`` keys (a long run's vocabulary)."""

    #: keys kept at most (about 160 bytes each): FA-KES and IndiaPoliceEvents, 2,061
    #: articles, reach 33,431 keys, growing more slowly with every article
    max_cache = 100_000

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self.name = getattr(lemmatizer, "name", "lemmatizer")
        self.strings = lemmatizer.vocab.strings
        # the lemma as a string: a hash would outlive its string when the run's spaCy
        # memory zone that added it closes
        self.cache: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        a: Any = doc.to_array([ORTH, POS, MORPH, LEMMA]).reshape(n, -1)
        rows = a.tolist()
        lemmas = a[:, 3].copy()
        cache = self.cache
        here: dict[tuple[int, int, int], int] = {}  # this document's lemma hashes
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma:
                continue
            key = (orth, pos, morph)
            h = here.get(key)
            if h is None:
                text = cache.get(key)
                if text is None and len(cache) >= self.max_cache:
                    cache.clear()
                if text is None:
                    text = cache[key] = self.lemmatizer.lemmatize(doc[i])[0]
                h = here[key] = self.strings.add(text)
            lemmas[i] = h
            changed = True
        if changed:
            doc.from_array([LEMMA], lemmas.reshape(n, 1))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)


@Language.factory("dragoman_array_attribute_ruler")
def _make_ruler(nlp: Language, name: str, original: str) -> ArrayAttributeRuler:
    return ArrayAttributeRuler(nlp, nlp.get_pipe(original))


@Language.factory("dragoman_cached_lemmatizer")
def _make_lemmatizer(nlp: Language, name: str, original: str) -> CachedLemmatizer:
    return CachedLemmatizer(nlp.get_pipe(original))


def _usable_lemmatizer(component: Any) -> bool:
    return (getattr(component, "mode", None) == "rule"
            and not getattr(component, "overwrite", True)
            and callable(getattr(component, "lemmatize", None)))


def speed_up(nlp: Language) -> list[str]:
    """Swap the pipeline's attribute ruler and rule lemmatizer for the array versions
    (same names, same output); returns the names swapped."""
    swapped = []
    for name, factory, usable in (
            ("attribute_ruler", "dragoman_array_attribute_ruler",
             lambda c: hasattr(c, "patterns") and hasattr(c, "attrs")),
            ("lemmatizer", "dragoman_cached_lemmatizer", _usable_lemmatizer)):
        if name not in nlp.pipe_names or not usable(nlp.get_pipe(name)):
            continue
        temp = f"{name}__array"
        try:
            nlp.add_pipe(factory, name=temp, before=name, config={"original": name})
        except _Unsupported as exc:
            log.info("kept spaCy's %s: %s", name, exc)
            continue
        nlp.remove_pipe(name)
        nlp.rename_pipe(temp, name)
        swapped.append(name)
    return swapped
