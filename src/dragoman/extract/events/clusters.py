"""Word clusters: words of similar use share a class, so that the type model can carry
what it learnt of one trigger word to another it never saw in training ("lent" and
"loaned", "beefed up" and "reinforced").

The classes come from general English word vectors (GloVe 6B, 50 dimensions; PDDL public
domain), grouped by k-means at three granularities (``make clusters``,
``dragoman.train.clusters``): the package keeps only the table word → class numbers
(``data/lexicon/word_clusters.tsv``), no vectors. The type features name a class, never a
word: ``ct200=17`` (the candidate's own word is in class 17 of 200), ``cs50=3`` (a content
word of its sentence is in class 3 of 50), see ``features.trigger_features``.

File shape: ``#`` comment lines, then a header ``word`` and one column per clustering named
``c<k>`` (k classes), then one row per lower-case word with its class in each (0 ≤ class
< k). A malformed file raises ``DataFileError`` naming its line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..._data import data_path, read_text
from ...errors import DataFileError

__all__ = ["CLUSTERS_FILE", "WordClusters", "load_word_clusters", "parse_word_clusters"]

#: the packaged table, relative to ``dragoman/data``
CLUSTERS_FILE = ("lexicon", "word_clusters.tsv")


@dataclass(frozen=True)
class WordClusters:
    """Each known word's class in every clustering, as name suffixes ("200=17")."""

    sizes: tuple[int, ...] = ()
    classes: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    #: sha256 of the file's text (a model records the table it was trained with)
    digest: str = ""

    def of(self, word: str) -> tuple[str, ...]:
        """The class names of a word (lower-cased), empty when it is not in the table."""
        return self.classes.get(word.lower(), ())

    def __len__(self) -> int:
        return len(self.classes)


def parse_word_clusters(text: str, origin: str) -> WordClusters:
    """The table of a clusters file's ``text`` (``origin`` names it in errors)."""
    lines = text.splitlines()
    n = 0
    while n < len(lines) and (not lines[n].strip() or lines[n].startswith("#")):
        n += 1
    if n == len(lines):
        raise DataFileError(f"{origin}: empty word-cluster file (it needs a header line)")
    header = lines[n].split("\t")
    if header[0] != "word" or len(header) < 2 or not all(
            h.startswith("c") and h[1:].isdigit() and int(h[1:]) > 0 for h in header[1:]):
        raise DataFileError(f"{origin}:{n + 1}: the header must be 'word' and columns "
                            f"'c<number of classes>', not {lines[n]!r}")
    sizes = tuple(int(h[1:]) for h in header[1:])
    # one shared string per (clustering, class): the table holds references, not copies
    names = [{str(c): f"{k}={c}" for c in range(k)} for k in sizes]
    classes: dict[str, tuple[str, ...]] = {}
    width = len(header)
    for line_no, line in enumerate(lines[n + 1:], start=n + 2):
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != width:
            raise DataFileError(f"{origin}:{line_no}: {len(cells)} tab-separated fields, "
                                f"the header has {width}")
        word = cells[0]
        if not word or word != word.lower():
            raise DataFileError(f"{origin}:{line_no}: the word must be lower case and "
                                f"not empty, not {word!r}")
        if word in classes:
            raise DataFileError(f"{origin}:{line_no}: {word!r} is listed twice")
        try:
            classes[word] = tuple([table[cell] for cell, table in zip(cells[1:], names)])
        except KeyError as exc:
            k = sizes[next(j for j, t in enumerate(names) if cells[j + 1] not in t)]
            raise DataFileError(f"{origin}:{line_no}: class {exc.args[0]!r} of {word!r} is "
                                f"not a number from 0 to {k - 1}") from None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return WordClusters(sizes, classes, digest)


def load_word_clusters(path: Path | str | None = None) -> WordClusters:
    """The packaged word classes, or those of ``path``."""
    where = Path(path) if path is not None else data_path(*CLUSTERS_FILE)
    return parse_word_clusters(read_text(where), str(where))
