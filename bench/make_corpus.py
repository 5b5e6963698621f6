"""Make a larger benchmark corpus by repeating a JSONL corpus with changed ids.

    .venv/bin/python bench/make_corpus.py 50000 /tmp/corpus-50k.jsonl \
        --source ../shared/corpus/fakes.jsonl

Copy ``k`` (k ≥ 1) of a record gets the id ``<id>~<k>`` and a short marker line appended to
its text (``\\n\\n[copy k]``): without it, every copy would have the content hash of the
original and dragoman would record it as a duplicate instead of extracting it. The marker
adds three tokens to an article of about 300 words, so the work per article stays the same.
"""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of articles to write")
    ap.add_argument("out", help="output JSONL path")
    ap.add_argument("--source", default="../shared/corpus/fakes.jsonl",
                    help="JSONL corpus to repeat (default: %(default)s)")
    args = ap.parse_args(argv)
    with open(args.source, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    if not records:
        print(f"{args.source}: no records", file=sys.stderr)
        return 1
    written = 0
    with open(args.out, "w", encoding="utf-8") as out:
        copy = 0
        while written < args.n:
            for rec in records:
                if written >= args.n:
                    break
                if copy:
                    rec = {**rec, "id": f"{rec['id']}~{copy}",
                           "text": f"{rec['text']}\n\n[copy {copy}]"}
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                written += 1
            copy += 1
    print(json.dumps({"written": written, "out": args.out, "source": args.source,
                      "copies": copy}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
