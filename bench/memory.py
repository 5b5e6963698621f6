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
    args = ap.parse_args(argv)

    from dragoman import Config
    from dragoman.ingest import read_inputs
    from dragoman.runner import run

    mark = max(1, args.n // 5)
    marks: dict[str, float] = {}
    t0 = time.perf_counter()
    baseline = tree_rss_mb()

    def on_progress(summary: object) -> None:
        done = getattr(summary, "processed", 0) + getattr(summary, "duplicates", 0)
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
                      articles=articles, on_progress=on_progress)
        end_rss = tree_rss_mb()
    sampler.stop()
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
        f"rss_at_{marks.get('mark_at')}_mb": marks.get("mark"),
        f"rss_at_{args.n}_mb": round(end_rss, 1),
        "growth_mark_to_end_pct": round(100 * growth, 2) if growth is not None else None,
        "second_half_min_max_mb": [min(half, default=0), max(half, default=0)],
    }
    notes = [
        "RSS = this process + all descendants (worker pool), sampled from /proc every 0.5 s.",
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


def _ray(workers: int) -> object:
    from dragoman.engines.ray import RayEngine

    return RayEngine(workers=workers)


if __name__ == "__main__":
    raise SystemExit(main())
