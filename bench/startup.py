"""Startup: time from process start to the first record written to the store.

    .venv/bin/python bench/startup.py [--corpus ../shared/corpus/fakes.jsonl]

Starts ``python -m dragoman run ONE.jsonl --store TMP`` as a fresh process (one article,
so the first and only segment is committed as soon as that article is done) and watches
the store's ``segments/`` folder: the time from ``Popen`` to the first committed segment
folder is "startup to first record". The process's total wall time is reported too. Run
``--repeat`` times; the first run may pay cold file-cache costs and is reported apart.
Without ``--corpus`` the article is a built-in dispatch.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cpu_seconds, record

DISPATCH = {
    "id": "startup-1", "published": "2017-04-12",
    "text": "Moscow, SANA- Russian Foreign Minister Sergey Lavrov renewed on Wednesday the call "
            "on the Organization for the Prohibition of Chemical Weapons to send experts to "
            "Khan Sheikhoun in Idleb countryside to investigate the alleged chemical attack.",
}


def committed(store: Path) -> bool:
    seg = store / "segments"
    if not seg.is_dir():
        return False
    return any(p.is_dir() and not p.name.startswith((".", "_", "tmp")) for p in seg.iterdir())


def once(article: dict[str, object], python: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="dragoman-start-") as tmp:
        inp = Path(tmp) / "one.jsonl"
        inp.write_text(json.dumps(article) + "\n", encoding="utf-8")
        store = Path(tmp) / "store"
        c0 = cpu_seconds()
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [python, "-m", "dragoman", "run", str(inp), "--store", str(store), "--quiet"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy())
        first = None
        while proc.poll() is None:
            if first is None and committed(store):
                first = time.perf_counter() - t0
            time.sleep(0.01)
        total = time.perf_counter() - t0
        cpu = cpu_seconds() - c0  # the child's CPU time (reaped by poll)
        if first is None and committed(store):
            first = total
        err = proc.stderr.read().decode() if proc.stderr else ""
        if proc.returncode != 0 or first is None:
            raise SystemExit(f"dragoman run failed ({proc.returncode}): {err[-2000:]}")
    return {"first_record_s": round(first, 2), "process_s": round(total, 2),
            "process_cpu_s": round(cpu, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=None, help="JSONL corpus: its first article is used")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    article: dict[str, object] = DISPATCH
    if args.corpus:
        with open(args.corpus, encoding="utf-8") as fh:
            article = json.loads(fh.readline())
    runs = [once(article, sys.executable) for _ in range(max(1, args.repeat))]
    warm = runs[1:] or runs
    result = {
        "first_run": runs[0],
        "warm_runs": warm,
        "first_record_s_best": min(r["first_record_s"] for r in warm),
        "first_record_s_median": sorted(r["first_record_s"] for r in warm)[len(warm) // 2],
        "article": article.get("id"),
    }
    notes = [("target: startup to first record ≤ 5 s; the time includes Python start, "
             "imports, model and knowledge-base load, one article and the segment commit.")]
    record("startup", result, notes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
