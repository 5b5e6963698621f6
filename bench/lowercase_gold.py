"""Write a lower-cased (or upper-cased) copy of a gold JSONL file with offsets kept.

Every ``text`` and ``title`` value (the document's text, and the text of each gold span)
is case-mapped character by character; a character whose case mapping would change the
length ("İ", "ß") is left as is, so every offset of the gold still points at the same
characters. Labels, ids, country codes and names are untouched.

    .venv/bin/python bench/lowercase_gold.py ../shared/eval/places/geowebnews.jsonl /tmp/gwn-lower.jsonl
    .venv/bin/python bench/lowercase_gold.py --upper IN OUT
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def case_map(text: str, upper: bool = False) -> str:
    """``text`` lower- (or upper-) cased with the same length and positions."""
    out = []
    for c in text:
        m = c.upper() if upper else c.lower()
        out.append(m if len(m) == 1 else c)
    return "".join(out)


def _walk(obj: Any, upper: bool) -> Any:
    if isinstance(obj, dict):
        return {k: (case_map(v, upper) if k in ("text", "title") and isinstance(v, str)
                    else _walk(v, upper)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_walk(v, upper) for v in obj]
    return obj


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold")
    ap.add_argument("out")
    ap.add_argument("--upper", action="store_true", help="upper-case instead")
    args = ap.parse_args()
    n = 0
    with open(args.gold, encoding="utf-8") as src, open(args.out, "w", encoding="utf-8") as dst:
        for line in src:
            if line.strip():
                doc = json.loads(line)
                dst.write(json.dumps(_walk(doc, args.upper), ensure_ascii=False) + "\n")
                n += 1
    print(f"wrote {args.out}: {n} documents")


if __name__ == "__main__":
    main()
