"""Ray with N workers vs the local engine with N workers, on the same corpus.

    .venv/bin/python bench/ray_vs_local.py --corpus ../shared/corpus/fakes.jsonl \
        [--n 804] [--workers 2]

Both runs go through ``dragoman.runner.run`` from the same articles into fresh stores and are
timed as a whole (engine start included: the Ray run starts a local cluster with ``workers``
CPUs and an actor pool whose actors each load the model once). Reported: wall seconds,
articles/s and the ratio ray/local throughput.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import read_articles, record


def timed(engine: object, articles: list[object], workers: int) -> dict[str, float]:
    from dragoman import Config
    from dragoman.runner import run

    with tempfile.TemporaryDirectory(prefix="dragoman-rvl-") as tmp:
        t0 = time.perf_counter()
        summary = run([], Path(tmp) / "store", Config(workers=workers), engine=engine,
                      articles=articles)  # type: ignore[arg-type]
        wall = time.perf_counter() - t0
    return {"seconds": round(wall, 2), "processed": summary.processed,
            "events": summary.events, "articles_per_s": round(len(articles) / wall, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--n", type=int, default=None)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)

    from dragoman.engines.local import LocalEngine
    from dragoman.engines.ray import RayEngine

    articles = read_articles(args.corpus, args.n)
    local = timed(LocalEngine(args.workers), articles, args.workers)
    t0 = time.perf_counter()
    ray_engine = RayEngine(workers=args.workers)
    ray = timed(ray_engine, articles, args.workers)
    ray["seconds_incl_import"] = round(time.perf_counter() - t0, 2)
    result = {
        "articles": len(articles), "workers": args.workers,
        "local": local, "ray": ray,
        "ratio_ray_over_local": round(local["seconds"] / ray["seconds"], 3),
        "same_counts": local["processed"] == ray["processed"]
        and local["events"] == ray["events"],
    }
    notes = [("ratio = local wall time / Ray wall time (1.0 = Ray as fast as the local pool); "
             "both include engine start (process pool fork vs Ray cluster + actor start).")]
    record("ray_vs_local", result, notes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
