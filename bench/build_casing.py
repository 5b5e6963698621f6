"""Build ``src/dragoman/data/nlp/casing.tsv``: each word's usual written form, counted in
well-cased news text that is no dev gold set (the quotes train set polnear-train, the
dates corpus AQUAINT and the FA-KES corpus; never the dev sets the lower-cased runs are
scored on, never plv-train).

Only word forms and counts are written (no sentence). A word at a sentence start, after
a quote or colon, or in a line written in capitals does not count: there its case says
nothing. Kept: words seen at least ``--min-count`` times.

    .venv/bin/python bench/build_casing.py            # writes the package file
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["../shared/eval/quotes/polnear-train.jsonl", "../shared/eval/dates/aquaint.jsonl",
           "../shared/corpus/fakes.jsonl"]
WORD = re.compile(r"[^\W\d_]+(?:[.'’&-][^\W\d_]+)*\.?")
OUT = ROOT / "src/dragoman/data/nlp/casing.tsv"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-count", type=int, default=3)
    args = ap.parse_args()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for src in SOURCES:
        with open(ROOT / src, encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line).get("text") or ""
                for para in text.split("\n"):
                    letters = [c for c in para if c.isalpha()]
                    if letters and sum(c.isupper() for c in letters) > 0.5 * len(letters):
                        continue  # a headline or dateline in capitals
                    for m in WORD.finditer(para):
                        w = m.group()
                        if w.endswith(".") and not re.search(r"\w\.\w", w):
                            w = w[:-1]  # a sentence's full stop, not "U.S."
                        before = para[:m.start()].rstrip()
                        if not before or before[-1] in ".!?:;\"“‘'(—–-_`":
                            continue
                        if len(w) == len(w.lower()):
                            forms[w.lower()][w] += 1
    rows = []
    for low, c in forms.items():
        total = sum(c.values())
        if total < args.min_count:
            continue
        form, n = c.most_common(1)[0]
        rows.append((low, form, total, round(n / total, 2)))
    rows.sort()
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write("# Each word's usual written form in well-cased news text (bench/build_casing.py;\n"
                 "# sources: polnear-train, AQUAINT, FA-KES; no dev gold set). Used to restore\n"
                 "# the case of all-lower-case or all-capitals text (dragoman.extract.casing).\n"
                 "# word: lower case; form: the most frequent form; count: times seen (not at a\n"
                 "# sentence start); share: the form's share of them.\n")
        fh.write("word\tform\tcount\tshare\n")
        for low, form, total, share in rows:
            fh.write(f"{low}\t{form}\t{total}\t{share}\n")
    print(f"wrote {OUT} ({len(rows)} words)")


if __name__ == "__main__":
    main()
