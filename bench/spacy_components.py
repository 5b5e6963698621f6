"""CPU time of each spaCy component, spaCy's own against dragoman's array versions.

    .venv/bin/python bench/spacy_components.py --corpus ../shared/corpus/fakes.jsonl [--n 400]

Loads the pipeline twice (``spacy.load``, and ``load_nlp``, which swaps in
``dragoman.nlp.fast``'s attribute ruler and lemmatizer, and gives the layers numpy's gemm,
``dragoman.nlp.matmul``), tokenizes the articles once, and
runs each component's ``pipe`` over copies of the same documents, timing the CPU seconds
per component. Then checks that the two pipelines' tokens agree (part of speech, tag,
dependency, head, lemma, morphology, entity) and records both tables.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import read_articles, record


def components(nlp: Any, texts: list[str]) -> tuple[dict[str, float], list[Any]]:
    docs = [nlp.make_doc(t) for t in texts]
    out: dict[str, float] = {}
    for name, proc in nlp.pipeline:
        t0 = time.process_time()
        docs = list(proc.pipe(docs))
        out[name] = round(time.process_time() - t0, 2)
    return out, docs


def main() -> None:
    import spacy

    from dragoman.config import Config
    from dragoman.nlp.matmul import one_blas_thread
    from dragoman.nlp.pipeline import load_nlp

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--n", type=int, default=400)
    args = ap.parse_args()
    texts = [a.text for a in read_articles(args.corpus, args.n)]
    model = Config().model
    plain, fast = spacy.load(model), load_nlp(model)
    spacy_times, want = components(plain, texts)
    with one_blas_thread():  # (as ``Pipeline.parse`` runs it)
        array_times, got = components(fast, texts)
    cols = ("pos", "tag", "dep", "lemma", "ent_iob", "ent_type")
    diff = sum(1 for a, b in zip(want, got, strict=True) for x, y in zip(a, b, strict=True)
               if [getattr(x, c) for c in cols] + [x.head.i, x.morph.key]
               != [getattr(y, c) for c in cols] + [y.head.i, y.morph.key])
    result = {"articles": len(texts), "tokens": sum(len(d) for d in want),
              "spacy_components": spacy_times, "spacy_total": round(sum(spacy_times.values()), 2),
              "dragoman_components": array_times,
              "dragoman_total": round(sum(array_times.values()), 2),
              "tokens_that_differ": diff}
    note = ("CPU seconds per component's `pipe` over the same tokenized documents, spaCy's "
            "pipeline first; dragoman's is `load_nlp`'s (attribute ruler and lemmatizer from "
            "`dragoman.nlp.fast`; its lemma cache starts empty, as in a new run; numpy's gemm "
            "in every layer, `dragoman.nlp.matmul`, on one BLAS thread).")
    record("spacy_components", result, [note])


if __name__ == "__main__":
    main()
