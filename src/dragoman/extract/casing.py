"""Case restoration for text written all in lower case or all in capitals.

The spaCy model reads capitals: on "police shot two men in lucknow" its tagger and NER see
no names, and everything after them fails. ``CaseRestorer.restore(text)`` gives a copy of
such a text with case restored and **the same length and character positions**, so every
offset into the copy is an offset into the original (records keep the original's
spans; ``Pipeline.parse`` parses the copy). Text with normal case is returned as is.

Where the forms come from, strongest first:

1. names of several words from the actor knowledge base (countries, organisations,
   people: "united nations", "bashar al-assad") and the gazetteer (countries, first-order
   divisions, places of at least ``_MIN_POP_PHRASE`` people), matched longest first;
2. each word's usual written form in well-cased news text (``data/nlp/casing.tsv``,
   built by ``bench/build_casing.py`` from text that is no dev gold set);
3. one-word names of the knowledge base and the gazetteer that the casing table does not
   know as a common lower-case word ("lucknow", "idlib");
4. the first word of each sentence, paragraph and line is capitalised.

No truecasing library on PyPI fits: the maintained ones need torch or a downloaded model.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .._data import data_path, read_tsv
from ..errors import DataFileError
from .actors.kb import KnowledgeBase
from .places.gazetteer import BROAD, FEATURE_CAPITAL, Gazetteer

__all__ = ["CaseRestorer", "CasingTable", "case_of", "casing_of", "load_casing",
           "original_spans"]

_T = TypeVar("_T")

#: a text is "lower case" when fewer than this share of its letters are capitals (and
#: "capitals" when fewer than this share are lower case)
_CASE_SHARE = 0.01
_MIN_LETTERS = 40
_MIN_POP_PHRASE = 1_000
_MIN_POP_WORD = 5_000
#: a word the casing table saw this often, mostly in lower case, is a common word
_COMMON_COUNT = 3
_MAX_PHRASE = 5
_MIN_SHARE = 0.6
_WORD = re.compile(r"[^\W\d_]+(?:[.'’&-][^\W\d_]+)*\.?")
_SENT_END = frozenset(".!?")
_OPENERS = frozenset("\"“‘'([«")


def case_of(text: str) -> str:
    """``"lower"``, ``"upper"`` or ``"mixed"``: how a text is written (letters counted)."""
    up = low = 0
    for c in text:
        if c.isupper():
            up += 1
        elif c.islower():
            low += 1
    n = up + low
    if n < _MIN_LETTERS:
        return "mixed"
    if up <= _CASE_SHARE * n:
        return "lower"
    if low <= _CASE_SHARE * n:
        return "upper"
    return "mixed"


@dataclass(frozen=True)
class CasingTable:
    """``data/nlp/casing.tsv``: lower-case word → (usual form, times seen, its share)."""

    forms: dict[str, tuple[str, int, float]]


def _casing_file(path: Path, forms: dict[str, tuple[str, int, float]]) -> None:
    header, rows = read_tsv(path)
    if header != ("word", "form", "count", "share"):
        raise DataFileError(f"{path}: header must be word, form, count, share")
    for where, row in rows:
        word, form = row["word"], row["form"]
        if form.lower() != word or len(form) != len(word):
            raise DataFileError(f"{where}: form {form!r} is not word {word!r} in another case")
        try:
            count, share = int(row["count"]), float(row["share"])
        except ValueError:
            raise DataFileError(f"{where}: count must be a whole number and share a "
                                "number") from None
        forms[word] = (form, count, share)


@functools.lru_cache(maxsize=4)
def load_casing(extra: tuple[str | Path, ...] = ()) -> CasingTable:
    """The packaged casing table, with the rows of ``extra`` TSV files (same header) added
    or replacing its own, validated (errors name the file and line)."""
    forms: dict[str, tuple[str, int, float]] = {}
    for path in (data_path("nlp", "casing.tsv"), *(Path(p) for p in extra)):
        _casing_file(path, forms)
    return CasingTable(forms)


def casing_of(resources: object) -> CasingTable:
    """The casing table ``resources`` carries, else the packaged one."""
    found = getattr(resources, "casing", None)
    return found if isinstance(found, CasingTable) else load_casing()


def _words(text: str) -> list[str]:
    return [m.group() for m in _WORD.finditer(text)]


class CaseRestorer:
    """The forms case restoration uses, built once per process from the casing table, the
    actor knowledge base and the gazetteer."""

    def __init__(self, table: CasingTable, phrases: dict[tuple[str, ...], tuple[str, ...]],
                 names: dict[str, str]) -> None:
        self.table = table
        self.phrases = phrases  # lower-case words of a name → its written words
        self.names = names  # one-word names: lower case → written form
        self.first = frozenset(k[0] for k in phrases)

    @classmethod
    def build(cls, kb: KnowledgeBase | None, gaz: Gazetteer | None,
              table: CasingTable | None = None) -> CaseRestorer:
        table = table or load_casing()
        names: list[str] = []
        if kb is not None:
            for e in kb.entries.values():
                names += [e.name, *e.aliases, *e.demonyms, *e.capitals]
        if gaz is not None:
            for i, name in enumerate(gaz.names):
                broad = gaz.feature[i] in BROAD or gaz.feature[i] == FEATURE_CAPITAL
                # (a one-word place must be of some size: small places are named like words)
                if broad or gaz.pop[i] >= (_MIN_POP_WORD if " " not in name
                                           else _MIN_POP_PHRASE):
                    names.append(name)
        return cls(table, *cls._index(names, table))

    @staticmethod
    def _index(names: Iterable[str], table: CasingTable) -> tuple[dict[tuple[str, ...], tuple[str, ...]], dict[str, str]]:
        phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        single: dict[str, str] = {}
        for name in names:
            if not name or name.lower() == name or not name.isascii() and any(
                    len(c.lower()) != 1 for c in name):
                continue
            words = _words(name)
            if not words or any(len(w.lower()) != len(w) for w in words):
                continue
            if len(words) == 1:
                w = words[0]
                low = w.lower()
                known = table.forms.get(low)
                if known is not None and known[1] >= _COMMON_COUNT and known[0] == low:
                    continue  # a common word ("police", "reading")
                single.setdefault(low, w)
            elif len(words) <= _MAX_PHRASE:
                key = tuple(w.lower() for w in words)
                if all(_common(table, k) for k in key):
                    continue  # "the states", "high school": words, not a name
                phrases.setdefault(key, tuple(words))
        return phrases, single

    def restore(self, text: str) -> str | None:
        """``text`` with case restored (same length, same positions), or None when it is
        not written all in lower case or all in capitals."""
        kind = case_of(text)
        if kind == "mixed":
            return None
        base = text.lower() if kind == "upper" else text
        if len(base) != len(text):
            return None
        out = list(base)
        matches = list(_WORD.finditer(base))
        lows = [m.group().lower() for m in matches]
        i = 0
        while i < len(matches):
            m = matches[i]
            width = self._phrase_at(base, matches, lows, i)
            if width:
                forms = self.phrases[tuple(_strip(w) for w in lows[i:i + width])]
                for k in range(width):
                    _put(out, matches[i + k].start(), forms[k])
            else:
                width = 1
                form = self._form(_strip(lows[i]))
                if form is not None:
                    _put(out, m.start(), form)
            if _starts_sentence(base, m.start()):
                c = out[m.start()]
                if c.upper() != c and len(c.upper()) == 1:
                    out[m.start()] = c.upper()
            i += width
        restored = "".join(out)
        return restored if len(restored) == len(text) else None

    def _phrase_at(self, text: str, matches: list[re.Match[str]], lows: list[str],
                   i: int) -> int:
        if _strip(lows[i]) not in self.first:
            return 0
        for width in range(min(_MAX_PHRASE, len(matches) - i), 1, -1):
            # the words of a name are separated by single spaces or hyphens only
            if any(text[matches[k].end():matches[k + 1].start()] not in (" ", "-")
                   for k in range(i, i + width - 1)):
                continue
            if tuple(_strip(w) for w in lows[i:i + width]) in self.phrases:
                return width
        return 0

    def _form(self, word: str) -> str | None:
        known = self.table.forms.get(word)
        if known is None and word.endswith("."):
            known = self.table.forms.get(word[:-1])
        if known is not None and (known[0] != word or known[1] >= _COMMON_COUNT):
            # a form used only a little more often than the lower-case word says nothing
            return known[0] if known[0] != word and known[2] >= _MIN_SHARE else None
        return self.names.get(word) or self.names.get(word.rstrip("."))


def _common(table: CasingTable, word: str) -> bool:
    known = table.forms.get(word)
    return known is not None and known[0] == word and known[1] >= _COMMON_COUNT


def _strip(word: str) -> str:
    """A sentence's full stop is not part of the word ("syria." → "syria"; "u.s." stays)."""
    if word.endswith(".") and "." not in word[:-1]:
        return word[:-1]
    return word


def _put(out: list[str], start: int, form: str) -> None:
    for k, c in enumerate(form):
        if start + k < len(out) and out[start + k].lower() == c.lower():
            out[start + k] = c


def _starts_sentence(text: str, start: int) -> bool:
    j = start - 1
    while j >= 0 and text[j] in _OPENERS:
        j -= 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    if j < 0 or text[j] in "\n\r":
        return True
    if text[j] in _SENT_END or text[j] == ":":
        # not after an abbreviation's full stop ("u.s. troops"): the word before has no dot
        k = j - 1
        while k >= 0 and not text[k].isspace():
            k -= 1
        prev = text[k + 1:j]
        return "." not in prev
    return False


def original_spans(obj: _T, text: str) -> _T:
    """``obj`` (a record, or tuples and records of records) with every span's ``text``
    read from ``text``, the original, where the parsed copy differed only in case."""
    if isinstance(obj, tuple):
        return type(obj)(original_spans(x, text) for x in obj) if obj else obj  # type: ignore[return-value]
    if isinstance(obj, list):
        return [original_spans(x, text) for x in obj]  # type: ignore[return-value]
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return obj
    changes: dict[str, object] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        new = original_spans(value, text)
        if new is not value:
            changes[f.name] = new
    span_text = getattr(obj, "text", None)
    start, end = getattr(obj, "start", None), getattr(obj, "end", None)
    if isinstance(span_text, str) and isinstance(start, int) and isinstance(end, int) \
            and 0 <= start <= end <= len(text):
        orig = text[start:end]
        if orig != span_text and orig.lower() == span_text.lower():
            changes["text"] = orig
    return dataclasses.replace(obj, **changes) if changes else obj  # type: ignore[type-var]
