"""Peak RSS of a run, and its growth between the 20 % and the 100 % mark of the input.

    .venv/bin/python bench/make_corpus.py 50000 /tmp/corpus-50k.jsonl \
        --source ../shared/corpus/fakes.jsonl
    .venv/bin/python bench/memory.py --corpus /tmp/corpus-50k.jsonl --n 50000 [--workers 2]

Runs ``dragoman.runner.run`` over the first ``--n`` articles of the corpus into a temporary
store while a thread samples the RSS of this process *and all its child processes* (worker
pool) from ``/proc`` every 0.5 s. Reported: peak RSS, RSS when the ``n/5``-th article was
written (the "10k" mark for n = 50k) and at the end, and the growth between the two
(target: peak ≤ 1.5 GB, growth ≤ 10 %). With a smaller ``--n`` the marks are n/5 and n;
growth is then only evidence for the 10k→50k target, not a measurement of it (said in the
notes). RSS counts shared pages once per process, so the sum over a pool overstates the
physical memory a little.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import RssSampler, record, tree_rss_mb


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True, help="JSONL corpus (see make_corpus.py)")
    ap.add_argument("--n", type=int, default=50_000, help="articles to process")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--engine", default="local", choices=["local", "ray"])
    ap.add_argument("--near-duplicates", action="store_true",
                    help="keep the runner's near-duplicate detection on (make_corpus copies "
                         "are near-duplicates of each other, so they are then not extracted)")
    ap.add_argument("--index-sample", type=int, default=5000,
                    help="distinct synthetic texts added to a NearDuplicateIndex to measure "
                         "its memory per article (0: skip)")
    args = ap.parse_args(argv)

    from dragoman import Config
    from dragoman.ingest import read_inputs
    from dragoman.runner import run

    mark = max(1, args.n // 5)
    marks: dict[str, float] = {}
    t0 = time.perf_counter()
    baseline = tree_rss_mb()

    points: list[tuple[int, float]] = []  # (articles done, tree RSS MB) every 100 articles

    def on_progress(summary: object) -> None:
        done = getattr(summary, "processed", 0) + getattr(summary, "duplicates", 0)
        if not points or done - points[-1][0] >= 100:
            points.append((done, round(tree_rss_mb(), 1)))
        if "mark" not in marks and done >= mark:
            marks["mark"] = round(tree_rss_mb(), 1)
            marks["mark_at"] = done
            marks["mark_seconds"] = round(time.perf_counter() - t0, 1)

    sampler = RssSampler(0.5)
    sampler.start()
    config = Config(workers=args.workers)
    with tempfile.TemporaryDirectory(prefix="dragoman-mem-") as tmp:
        articles = islice(read_inputs([args.corpus]), args.n)
        summary = run([args.corpus], Path(tmp) / "store", config, engine=args.engine
                      if args.engine == "local" else _ray(args.workers),
                      articles=articles, on_progress=on_progress,
                      detect_near_duplicates=args.near_duplicates)
    sampler.stop()
    end_at, end_rss = points[-1] if points else (0, 0.0)  # last point *during* the run
    wall = time.perf_counter() - t0
    growth = (end_rss - marks["mark"]) / marks["mark"] if marks.get("mark") else None
    # the RSS over the second half of the run, to see a trend rather than one point
    half = [mb for t, mb in sampler.samples if t >= wall / 2]
    result = {
        "articles": args.n, "processed": summary.processed, "duplicates": summary.duplicates,
        "workers": args.workers, "engine": args.engine, "seconds": round(wall, 1),
        "articles_per_s": round(args.n / wall, 2),
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_mb": round(sampler.peak_mb, 1),
        "peak_pss_mb": round(sampler.peak_pss_mb, 1),
        "peak_one_process_rss_mb": round(sampler.peak_process_mb, 1),
        f"rss_at_{marks.get('mark_at')}_mb": marks.get("mark"),
        f"rss_at_{end_at}_mb": round(end_rss, 1),
        "rss_points": points[:: max(1, len(points) // 12)],
        "growth_mark_to_end_pct": round(100 * growth, 2) if growth is not None else None,
        "second_half_min_max_mb": [min(half, default=0), max(half, default=0)],
    }
    if args.index_sample:
        result["near_dup_index_kb_per_article"] = _index_kb_per_article(
            args.corpus, args.index_sample)
    notes = [
        "near-duplicate detection of the runner: " + (
            "on" if args.near_duplicates else "off (every copy extracted)") + ".",
        ("near_dup_index_kb_per_article: RSS growth of a dragoman.ingest NearDuplicateIndex "
        "per distinct article added (synthetic distinct texts: corpus words shuffled); the "
        "runner keeps one for the whole run on the driver."),
        ("RSS = this process + all descendants (worker pool), sampled from /proc every 0.5 s; "
         "peak_pss_mb sums PSS instead (pages shared between processes counted once: the "
         "physical memory of the run); peak_one_process_rss_mb is the largest single process."),
        ("targets: peak ≤ 1.5 GB over 50k articles; growth ≤ 10 % between the 10k-th and "
        "50k-th article."),
    ]
    if args.n < 50_000:
        notes.append(
            f"run on {args.n} articles, not 50k (time box on a shared 2-core machine): the "
            f"marks are the {mark}-th and the {args.n}-th article. Flat RSS between them is "
            "evidence, not proof, for the 50k target; the extrapolation is stated as such.")
    record("memory", result, notes)
    return 0


def _index_kb_per_article(corpus: str, n: int) -> float:
    import random

    from dragoman.ingest import read_inputs
    from dragoman.ingest.dedup import NearDuplicateIndex

    texts = [a.text for a in islice(read_inputs([corpus]), 800)]
    rng = random.Random(7)
    docs = []
    for i in range(n):
        words = texts[i % len(texts)].split()
        rng.shuffle(words)
        docs.append(" ".join(words))
    index = NearDuplicateIndex()
    before = tree_rss_mb()
    for i, text in enumerate(docs):
        index.check_and_add(f"s{i}", text)
    after = tree_rss_mb()
    return round((after - before) * 1024 / n, 2)


def _ray(workers: int) -> object:
    from dragoman.engines.ray import RayEngine

    return RayEngine(workers=workers)


if __name__ == "__main__":
    raise SystemExit(main())
