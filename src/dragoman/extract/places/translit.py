"""Place-name keys: the transliteration rules and the functions that fold names with them.

Owns ``TranslitRules`` and its loader ``load_translit`` (``data/places/translit.yaml``),
``fold_text``, ``name_key`` (the transliteration-insensitive key every gazetteer name and
every candidate span is looked up by: "Khan Sheikhoun" and "Khān Shaykhūn" share
"khan shaykhun") and ``plain`` (for exact-name comparisons). Pure data and string
functions: no spaCy, no document context.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..._data import data_path, read_yaml
from ...errors import DataFileError

__all__ = ["TranslitRules", "fold_text", "load_translit", "name_key", "plain", "str_list"]


def str_list(value: object, label: str, key: str) -> list[str]:
    """``value`` as a list of strings, or ``DataFileError`` naming ``label`` and ``key``."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(f"{label}: '{key}' must be a list of strings")
    return list(value)


@dataclass(frozen=True)
class TranslitRules:
    """Rules of the transliteration-insensitive name key (see translit.yaml)."""

    fold: tuple[tuple[str, str], ...]
    apostrophes: tuple[str, ...]
    separators: tuple[str, ...]
    tokens: tuple[tuple[str, str], ...]
    articles: frozenset[str]
    replace: tuple[tuple[str, str], ...]
    collapse_doubles: bool
    endings: tuple[tuple[str, str], ...] = ()
    #: keys already made ((kind, text) → key): the same names come back in every document
    memo: dict[tuple[str, str], str] = field(default_factory=dict, compare=False, hash=False,
                                             repr=False)

    def digest(self) -> str:
        parts = (self.fold, self.apostrophes, self.separators, self.tokens,
                 tuple(sorted(self.articles)), self.replace, self.collapse_doubles,
                 self.endings)
        return hashlib.sha1(repr(parts).encode()).hexdigest()[:12]


def load_translit(path: Path | None = None) -> TranslitRules:
    """The key rules from the packaged ``translit.yaml`` (or ``path``), validated."""
    source = path if path is not None else data_path("places", "translit.yaml")
    label = str(source)
    data = read_yaml(source)
    if not isinstance(data, dict):
        raise DataFileError(f"{label}: expected a mapping at the top level")
    fold = data.get("fold", {}) or {}
    tokens = data.get("tokens", {}) or {}
    if not isinstance(fold, dict) or not isinstance(tokens, dict):
        raise DataFileError(f"{label}: 'fold' and 'tokens' must be mappings")

    def pairs(key: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for i, pair in enumerate(data.get(key, []) or []):
            if (not isinstance(pair, list) or len(pair) != 2
                    or not all(isinstance(p, str) for p in pair) or not pair[0]):
                raise DataFileError(f"{label}: {key} item {i + 1} must be [from, to] strings")
            out.append((pair[0], pair[1]))
        return out

    replace = pairs("replace")
    endings = pairs("endings")
    return TranslitRules(
        fold=tuple((str(k), str(v)) for k, v in fold.items()),
        apostrophes=tuple(str_list(data.get("apostrophes", []), label, "apostrophes")),
        separators=tuple(str_list(data.get("separators", []), label, "separators")),
        tokens=tuple((str(k), str(v)) for k, v in tokens.items()),
        articles=frozenset(str_list(data.get("articles", []), label, "articles")),
        replace=tuple(replace),
        collapse_doubles=bool(data.get("collapse_doubles", True)),
        endings=tuple(endings),
    )


_DOUBLE = re.compile(r"([a-z])\1+")
_NONWORD = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


_MEMO_MAX = 200_000  # keys kept per rules object before the memo starts afresh


def _memo(rules: TranslitRules, kind: str, text: str,
          make: Callable[[str, TranslitRules], str]) -> str:
    memo = rules.memo
    key = (kind, text)
    hit = memo.get(key)
    if hit is None:
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        hit = memo[key] = make(text, rules)
    return hit


def fold_text(text: str, rules: TranslitRules) -> str:
    """Lower case, diacritics removed, special letters folded (the first key step)."""
    return _memo(rules, "f", text, _fold_text)


def _fold_text(text: str, rules: TranslitRules) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    for a, b in rules.fold:
        s = s.replace(a, b)
    return s


def name_key(text: str, rules: TranslitRules) -> str:
    """The transliteration-insensitive key of a place name ('' when nothing is left)."""
    return _memo(rules, "k", text, _name_key)


def _name_key(text: str, rules: TranslitRules) -> str:
    s = fold_text(text, rules)
    for a in rules.apostrophes:
        s = s.replace(a, "")
    for sep in rules.separators:
        s = s.replace(sep, " ")
    s = _NONWORD.sub(" ", s)
    words = s.split()
    tok = dict(rules.tokens)
    words = [tok.get(w, w) for w in words]
    if len(words) > 1:
        kept = [w for w in words if w not in rules.articles]
        words = kept or words
    out = []
    for w in words:
        for a, b in rules.replace:
            w = w.replace(a, b)
        if rules.collapse_doubles:
            w = _DOUBLE.sub(r"\1", w)
        for a, b in rules.endings:
            if w.endswith(a) and len(w) > len(a) + 2:
                w = w[: -len(a)] + b
                break
        out.append(w)
    return " ".join(out)


def plain(text: str, rules: TranslitRules) -> str:
    """Lower case, no diacritics, punctuation squeezed: for 'exact name' comparisons."""
    return _memo(rules, "p", text, _plain)


def _plain(text: str, rules: TranslitRules) -> str:
    s = fold_text(text, rules)
    s = _NONWORD.sub(" ", s.replace("'", "").replace("’", ""))
    return _SPACES.sub(" ", s).strip()
