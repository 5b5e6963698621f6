"""Throughput: dragoman end to end vs spaCy's raw ``nlp.pipe``, and 2 workers vs 1.

    .venv/bin/python bench/throughput.py --corpus ../shared/corpus/fakes.jsonl [--n 804]

Side by side in one process, on the same texts:

1. **raw spaCy**: ``spacy.load(model)`` then ``nlp.pipe(texts, batch_size)`` consumed to the
   end (the load is not timed: it is the floor any spaCy-based tool pays per run);
   also the same pipeline as dragoman loads it (``dragoman.nlp.load_nlp``: array rule
   components, numpy's gemm, one BLAS thread), whose ratio to dragoman is dragoman's own
   cost on top of its parse;
2. **dragoman, 1 worker**: ``dragoman run FILE --store TMP`` in a fresh process, timed as a
   whole (Python start, imports, reading, model and knowledge-base load, extraction, store
   writes); ``runner_seconds`` is the runner's own clock (from opening the store);
3. **dragoman, 2 workers** (``--workers 2`` of the local engine, a process pool).

Reported: articles/s (wall), CPU seconds (this process and its children), the ratio
dragoman/raw (target ≥ 0.75) and the 2-vs-1 worker speed-up (target ≥ 1.7). The machine's
cores are shared: the load average is recorded with the results, and the CPU-time ratio is
given as well because it does not depend on what else runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cpu_seconds, read_articles, record


def raw_spacy(model: str, texts: list[str], batch_size: int) -> dict[str, float]:
    import spacy

    nlp = spacy.load(model)
    t0, c0 = time.perf_counter(), cpu_seconds()
    n_tokens = 0
    for doc in nlp.pipe(texts, batch_size=batch_size):
        n_tokens += len(doc)
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    return {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
            "articles_per_s": round(len(texts) / wall, 2), "tokens": n_tokens}


def dragoman_spacy(model: str, texts: list[str], batch_size: int) -> dict[str, float]:
    """``raw_spacy`` with the pipeline as dragoman loads and runs it."""
    from dragoman.nlp import load_nlp
    from dragoman.nlp.matmul import one_blas_thread

    nlp = load_nlp(model)
    t0, c0 = time.perf_counter(), cpu_seconds()
    n_tokens = 0
    with one_blas_thread():
        for doc in nlp.pipe(texts, batch_size=batch_size):
            n_tokens += len(doc)
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    return {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
            "articles_per_s": round(len(texts) / wall, 2), "tokens": n_tokens}


def dragoman_run(path: str, workers: int, batch_size: int) -> dict[str, float]:
    """``dragoman run`` as a user runs it: a fresh process (CLI), into a fresh store.

    A fresh process per run also keeps runs independent: forking a pool from a process
    that already ran the store crashes the workers (see RESULTS.md, 2026-11-29).
    """
    with tempfile.TemporaryDirectory(prefix="dragoman-bench-") as tmp:
        cmd = [sys.executable, "-m", "dragoman", "run", path, "--store", str(Path(tmp) / "s"),
               "--workers", str(workers), "--batch-size", str(batch_size), "--quiet", "--json"]
        t0, c0 = time.perf_counter(), cpu_seconds()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    if proc.returncode != 0:
        raise SystemExit(f"dragoman run failed: {proc.stderr[-2000:]}")
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
            "runner_seconds": summary["seconds"],
            "processed": summary["processed"], "duplicates": summary["duplicates"],
            "read": summary["read"], "events": summary["events"], "quotes": summary["quotes"],
            "places": summary["places"],
            "articles_per_s": round(summary["read"] / wall, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True, help="JSONL corpus (e.g. fakes.jsonl)")
    ap.add_argument("--n", type=int, default=None, help="first N articles only")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--skip-workers", action="store_true", help="do not run the 2-worker run")
    args = ap.parse_args(argv)

    from dragoman import Config

    model = Config().model
    articles = read_articles(args.corpus, args.n)
    path = args.corpus
    tmpdir = None
    if args.n is not None:  # write the subset so dragoman reads exactly the same articles
        tmpdir = tempfile.TemporaryDirectory(prefix="dragoman-bench-in-")
        path = str(Path(tmpdir.name) / "subset.jsonl")
        with open(args.corpus, encoding="utf-8") as src, open(path, "w", encoding="utf-8") as out:
            for i, line in enumerate(src):
                if i >= args.n:
                    break
                out.write(line if line.endswith("\n") else line + "\n")
    texts = [a.text for a in articles]

    raw = raw_spacy(model, texts, args.batch_size)
    same = dragoman_spacy(model, texts, args.batch_size)
    one = dragoman_run(path, 1, args.batch_size)
    result: dict[str, object] = {
        "articles": len(texts), "model": model,
        "raw_spacy": raw, "spacy_as_dragoman_loads_it": same, "dragoman_1_worker": one,
        "ratio_wall": round(raw["seconds"] / one["seconds"], 3),
        "ratio_cpu": round(raw["cpu_seconds"] / one["cpu_seconds"], 3),
        "ratio_same_pipeline_cpu": round(same["cpu_seconds"] / one["cpu_seconds"], 3),
    }
    if not args.skip_workers:
        two = dragoman_run(path, 2, args.batch_size)
        result["dragoman_2_workers"] = two
        result["speedup_2_vs_1"] = round(one["seconds"] / two["seconds"], 3)
    notes = [
        ("ratio = raw spaCy time / dragoman end-to-end time on the same texts (target ≥ 0.75);"
        " ratio_cpu uses CPU seconds instead of wall time."),
        ("dragoman's time includes reading, model and knowledge-base load and store writes;"
        " raw spaCy's excludes spacy.load and Python start."),
        "speedup_2_vs_1 = 1-worker wall time / 2-worker wall time (target ≥ 1.7).",
        ("ratio_same_pipeline_cpu = CPU time of the pipeline as dragoman loads it (array rule"
         " components, numpy's gemm on one BLAS thread) / dragoman's: what extraction, I/O"
         " and start-up cost on top of the parse."),
    ]
    record("throughput", result, notes)
    if tmpdir is not None:
        tmpdir.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
