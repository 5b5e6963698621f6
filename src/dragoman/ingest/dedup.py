"""Content hashes (ids, exact duplicates) and near-duplicate detection (syndicated copies).

Exact duplicates: ``content_hash`` hashes the text after ``normalize_for_hash`` — Unicode
NFKC, case folded, curly quotes and apostrophes made straight, dashes made ``-``, every run
of whitespace made one space — so two copies that differ only in those forms hash the same.

Near duplicates: ``NearDuplicateIndex`` keeps a MinHash signature (128 hash functions over
word 5-shingles of the normalised text, pure numpy) per document and an LSH band table, so
``find`` looks at a handful of candidates instead of every document. A syndicated copy whose
headline, dateline or last paragraph changed still shares most shingles (Jaccard ≳ 0.6);
two different stories on the same topic share almost none (≲ 0.1). The default threshold
is 0.5 (estimated Jaccard similarity of the shingle sets).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = [
    "DuplicateMatch",
    "NearDuplicateIndex",
    "article_id",
    "content_hash",
    "jaccard",
    "normalize_for_hash",
    "shingles",
]

_WS = re.compile(r"\s+")
_PUNCT_MAP = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u00b4": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u200b": "", "\ufeff": "",
    }
)
_TOKEN = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")


def normalize_for_hash(text: str) -> str:
    """The text with case, whitespace, quote and dash forms made uniform."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT_MAP).casefold()
    return _WS.sub(" ", text).strip()


def content_hash(text: str) -> str:
    """A stable SHA-256 hex digest of the normalised text (see ``normalize_for_hash``).

    >>> content_hash("He said “yes”.") == content_hash("  he SAID \\"yes\\". ")
    True
    """
    return hashlib.sha256(normalize_for_hash(text).encode("utf-8")).hexdigest()


def article_id(text: str) -> str:
    """The id of an article that has none: ``doc-`` and 16 hex digits of its content hash."""
    return "doc-" + content_hash(text)[:16]


def shingles(text: str, k: int = 5) -> set[str]:
    """The set of word k-grams of the normalised text (the whole text if shorter)."""
    words = _TOKEN.findall(normalize_for_hash(text))
    if not words:
        return set()
    if len(words) <= k:
        return {" ".join(words)}
    return {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}


def jaccard(a: str, b: str, k: int = 5) -> float:
    """Exact Jaccard similarity of two texts' shingle sets (0.0 when both are empty)."""
    sa, sb = shingles(a, k), shingles(b, k)
    if not sa and not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """The document a text duplicates, how, and how similar they are (1.0 when exact)."""

    doc_id: str
    kind: Literal["exact", "near"]
    similarity: float


_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


_TOKEN_CACHE: dict[str, int] = {}
_ROLL = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier for combining token hashes


def _token_hash(token: str) -> int:
    h = _TOKEN_CACHE.get(token)
    if h is None:
        h = int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")
        if len(_TOKEN_CACHE) < 500_000:
            _TOKEN_CACHE[token] = h
    return h


#: the near-duplicate fingerprint reads at most this many characters of a text: enough to
#: tell syndicated copies apart, and bounded memory for a pathological 50 MB article
SIGNATURE_CHARS = 200_000


def _shingle_hashes(text: str, k: int) -> np.ndarray:
    """64-bit hashes of the text's word k-shingles (stable across processes)."""
    words = _TOKEN.findall(normalize_for_hash(text[:SIGNATURE_CHARS]))
    if not words:
        return np.empty(0, dtype=np.uint64)
    tokens = np.array([_token_hash(w) for w in words], dtype=np.uint64)
    k = min(len(words), k)
    n = len(words) - k + 1
    out = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):
            out = out * _ROLL + tokens[i:i + n]
    return np.unique(out)


class NearDuplicateIndex:
    """Exact and near-duplicate lookup over the documents added so far.

    >>> index = NearDuplicateIndex()
    >>> index.add("a", "The army shelled the town on Tuesday, killing four people, residents said.")
    >>> index.find("the army shelled the town on tuesday, killing four people, residents said.")
    'a'
    >>> index.find("Talks between the two foreign ministers ended without an agreement.") is None
    True

    ``threshold`` is the estimated Jaccard similarity of word ``k``-shingles at which a text
    counts as a copy. ``num_perm`` hash functions are split into ``bands`` LSH bands; the
    defaults (128, 32 bands of 4) find candidates from a similarity of about 0.4 up.
    Not thread-safe; one index per writer.
    """

    def __init__(
        self,
        threshold: float = 0.5,
        num_perm: int = 128,
        bands: int = 32,
        k: int = 5,
        seed: int = 1,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        if num_perm % bands:
            raise ValueError(f"num_perm ({num_perm}) must be a multiple of bands ({bands})")
        self.threshold = threshold
        self.num_perm = num_perm
        self.bands = bands
        self.k = k
        rng = np.random.default_rng(seed)
        # h_i(x) = (a_i * x + b_i) mod 2**64, high 32 bits: a multiply-shift hash family.
        self._a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
        self._b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
        self._ids: set[str] = set()
        self._exact: dict[str, str] = {}
        self._sigs: dict[str, np.ndarray] = {}
        self._buckets: list[dict[bytes, list[str]]] = [defaultdict(list) for _ in range(bands)]

    def __len__(self) -> int:
        return len(self._ids)

    def signature(self, text: str) -> np.ndarray | None:
        """The MinHash signature of a text (None when it has no words)."""
        hashes = _shingle_hashes(text, self.k)
        if hashes.size == 0:
            return None
        with np.errstate(over="ignore"):
            mixed = (hashes[:, None] * self._a[None, :] + self._b[None, :]) & _MASK64
        return (mixed >> np.uint64(32)).min(axis=0).astype(np.uint32)

    def _band_keys(self, sig: np.ndarray) -> list[bytes]:
        rows = self.num_perm // self.bands
        return [sig[i * rows:(i + 1) * rows].tobytes() for i in range(self.bands)]

    def add(self, doc_id: str, text: str) -> None:
        """Remember a document (a second ``add`` of the same id is ignored)."""
        self._add(doc_id, content_hash(text), self.signature(text))

    def _add(self, doc_id: str, digest: str, sig: np.ndarray | None) -> None:
        if doc_id in self._ids:
            return
        self._ids.add(doc_id)
        self._exact.setdefault(digest, doc_id)
        if sig is None:
            return
        self._sigs[doc_id] = sig
        for band, key in zip(self._buckets, self._band_keys(sig), strict=True):
            band[key].append(doc_id)

    def match(self, text: str) -> DuplicateMatch | None:
        """The best earlier document this text duplicates (exact first), or None."""
        return self._match(content_hash(text), lambda: self.signature(text))[0]

    def _match(
        self, digest: str, make_sig: Callable[[], np.ndarray | None]
    ) -> tuple[DuplicateMatch | None, np.ndarray | None]:
        exact = self._exact.get(digest)
        if exact is not None:
            return DuplicateMatch(exact, "exact", 1.0), None
        sig = make_sig()
        if sig is None:
            return None, None
        candidates: dict[str, None] = {}
        for band, key in zip(self._buckets, self._band_keys(sig), strict=True):
            for doc_id in band.get(key, ()):
                candidates[doc_id] = None
        best: DuplicateMatch | None = None
        for doc_id in candidates:
            sim = float(np.mean(self._sigs[doc_id] == sig))
            if sim >= self.threshold and (best is None or sim > best.similarity):
                best = DuplicateMatch(doc_id, "near", sim)
        return best, sig

    def find(self, text: str) -> str | None:
        """The id of the earlier document this text duplicates, or None."""
        found = self.match(text)
        return found.doc_id if found else None

    def check_and_add(self, doc_id: str, text: str) -> DuplicateMatch | None:
        """``match`` the text; add it when it is new. What a reader loop wants."""
        digest = content_hash(text)
        found, sig = self._match(digest, lambda: self.signature(text))
        if found is None:
            self._add(doc_id, digest, sig)
        return found
