"""What a run finds on a corpus with and without case restoration (issue 16 point 3).

Runs the pipeline over the first N articles of a corpus twice (``restore_case`` off, then
on) and prints, for each: events (and per type), places, actor mentions with a country,
quotes and dates; and how many articles were restored.

    .venv/bin/python bench/case_counts.py ../shared/corpus/india-police-events-docs.jsonl --limit 200
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from itertools import islice

from dragoman.config import Config
from dragoman.extract.casing import case_of
from dragoman.pipeline import Pipeline
from dragoman.types import Article


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--limit", type=int, default=200)
    args = ap.parse_args()
    with open(args.corpus, encoding="utf-8") as fh:
        docs = [json.loads(line) for line in islice(fh, args.limit)]
    articles = [Article(id=str(d["id"]), text=d["text"], published=d.get("published"))
                for d in docs]
    kinds = Counter(case_of(a.text) for a in articles)
    print(f"{len(articles)} articles; written: {dict(kinds)}")
    for restore in (False, True):
        pipe = Pipeline(Config(restore_case=restore))
        t0 = time.perf_counter()
        results = list(pipe.process(articles))
        secs = time.perf_counter() - t0
        types = Counter(e.event_type for r in results for e in r.events)
        print(f"restore_case={restore}: {secs:.1f} s")
        print(f"  events {sum(types.values())}  places {sum(len(r.places) for r in results)}"
              f"  actors with a country "
              f"{sum(1 for r in results for a in r.actors if a.country)}"
              f"  quotes {sum(len(r.quotes) for r in results)}"
              f"  dates {sum(len(r.dates) for r in results)}")
        print("  by type: " + ", ".join(f"{t} {n}" for t, n in types.most_common()))


if __name__ == "__main__":
    main()
