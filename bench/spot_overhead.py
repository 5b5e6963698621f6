"""What gazetteer spotting and case restoration cost in a run (issue 16: ≤ 10 %).

Parses a corpus once through ``Pipeline.parse`` (timed: spaCy, plus case detection and
restoration, which ``parse`` does), runs every extractor on each document (timed), and
separately times, on the same documents, what the two additions do: ``spot_mentions``
(called once more per document) and the case check / restoration of each text.

    .venv/bin/python bench/spot_overhead.py --corpus ../shared/corpus/fakes.jsonl
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import read_articles

from dragoman.extract import DocContext, extract_document
from dragoman.extract.casing import CaseRestorer, case_of
from dragoman.extract.places.mentions import find_mentions, gazetteer_of
from dragoman.extract.places.spot import spot_mentions
from dragoman.pipeline import Pipeline, make_document


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--n", type=int, default=None)
    args = ap.parse_args()
    articles = list(read_articles(args.corpus, args.n))
    pipe = Pipeline()
    items = []
    for a in articles:
        d = make_document(a, "bench")
        assert d.dateline is not None
        b = d.dateline.body
        items.append((a.text[b.start:b.end], (a, d)))
    t_parse = t_extract = t_spot = 0.0
    it = pipe.parse(items)
    while True:
        t0 = time.perf_counter()
        try:
            doc, (a, d) = next(it)
        except StopIteration:
            break
        t1 = time.perf_counter()
        t_parse += t1 - t0
        ctx = DocContext(doc_id=a.id, run_id="bench", article=a, dateline=d.dateline, doc=doc,
                         base=d.dateline.body.start, resources=pipe.resources)
        extract_document(ctx)
        t2 = time.perf_counter()
        t_extract += t2 - t1
        gaz = gazetteer_of(ctx)
        found = find_mentions(ctx, gaz)
        t3 = time.perf_counter()
        spot_mentions(ctx, gaz, found)
        t_spot += time.perf_counter() - t3
    t0 = time.perf_counter()
    kinds = [case_of(a.text) for a in articles]
    t_check = time.perf_counter() - t0
    restorer = CaseRestorer.build(pipe.resources.kb, pipe.resources.gazetteer)
    t0 = time.perf_counter()
    for a in articles:
        restorer.restore(a.text.lower())
    t_restore_all = time.perf_counter() - t0
    total = t_parse + t_extract
    chars = sum(len(a.text) for a in articles)
    rows = {
        "articles": len(articles),
        "characters": chars,
        "parse_s": round(t_parse, 2),
        "extract_s": round(t_extract, 2),
        "spot_s": round(t_spot, 2),
        "spot_share_of_run": round(t_spot / total, 4),
        "case_check_s": round(t_check, 3),
        "texts_restored": sum(k != "mixed" for k in kinds),
        "restore_if_all_lower_s": round(t_restore_all, 2),
        "restore_if_all_lower_share": round(t_restore_all / total, 4),
    }
    for k, v in rows.items():
        print(f"{k:28} {v}")
    print("spot_s: spotting alone (run once more per document); shares are of parse + "
          "extract. restore_if_all_lower: restoring every text as if it were all lower case.")


if __name__ == "__main__":
    main()
