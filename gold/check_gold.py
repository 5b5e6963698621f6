"""Check a hand-made gold file of events in real articles against its corpus, and count it.

Usage: python gold/check_gold.py [CORPUS_DIR] [GOLD_FILE ...]

CORPUS_DIR defaults to ../shared/corpus/ (relative to the repository root); GOLD_FILE
defaults to every gold/articles-*.jsonl. Every span (sentence, trigger, actor, recipient,
place, attributed_to) must equal the article text at its offsets, the text hash must
match, and every field must hold one of the values gold/README.md lists. Exits 1 and
prints each problem when a check fails; prints the counts either way.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / ".." / "shared" / "corpus"
DEFAULT_GOLD = sorted((ROOT / "gold").glob("articles-*.jsonl"))

TYPES = frozenset(
    ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
)
MODALITIES = frozenset(
    ["asserted", "future", "intended", "hypothetical", "question", "alleged", "historical"]
)
SECTORS = frozenset(
    ["GOV", "MIL", "REB", "PTY", "COP", "JUD", "LEG", "SPY", "BUS", "MED", "CVL", "REL", "NGO", "IGO"]
)


def load_corpus(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8") as f:
        rows = (json.loads(line) for line in f if line.strip())
        return {row["id"]: row for row in rows}


def check_span(text: str, span: object, where: str, problems: list[str]) -> None:
    if not isinstance(span, dict):
        problems.append(f"{where}: not a span: {span!r}")
        return
    start, end, got = span.get("start"), span.get("end"), span.get("text")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        problems.append(f"{where}: bad offsets {start!r}..{end!r}")
    elif got is not None and text[start:end] != got:
        problems.append(f"{where}: text[{start}:{end}] is {text[start:end]!r}, span says {got!r}")
    elif (start > 0 and text[start - 1].isalnum() and text[start].isalnum()) or (
        end < len(text) and text[end].isalnum() and text[end - 1].isalnum()
    ):
        problems.append(f"{where}: {text[start:end]!r} cuts a word ({text[max(0, start - 5):end + 5]!r})")


def check_actor(text: str, ref: dict, where: str, problems: list[str]) -> None:
    check_span(text, ref, where, problems)
    country = ref.get("country")
    if country is not None and not (
        country in ("IGO", "NGO") or (len(country) == 3 and country.isupper())
    ):
        problems.append(f"{where}: country {country!r} is not ISO-3, IGO, NGO or null")
    if ref.get("sector") is not None and ref["sector"] not in SECTORS:
        problems.append(f"{where}: sector {ref['sector']!r} is not one of {sorted(SECTORS)}")


def check_line(line: dict, corpora: dict[str, dict[str, dict]], problems: list[str]) -> None:
    doc_id = line.get("id")
    corpus = corpora.get(line.get("corpus", ""))
    if corpus is None or doc_id not in corpus:
        problems.append(f"{doc_id}: not found in corpus {line.get('corpus')!r}")
        return
    text = corpus[doc_id]["text"]
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != line.get("text_sha256"):
        problems.append(f"{doc_id}: text_sha256 does not match the corpus text")
    last = [c for c in doc_id if c.isdigit()][-1]
    split = "tune" if int(last) % 2 == 0 else "test"
    if line.get("split") == "heldout":
        split = "heldout"  # a second untouched set (gold/README.md): any id
    if line.get("split") != split:
        problems.append(f"{doc_id}: split is {line.get('split')!r}, the rule gives {split!r}")
    for k, event in enumerate(line.get("events", []), 1):
        where = f"{doc_id} event {k}"
        if event.get("n") != k:
            problems.append(f"{where}: n is {event.get('n')!r}")
        check_span(text, event["sentence"], f"{where} sentence", problems)
        check_span(text, event["trigger"], f"{where} trigger", problems)
        sent, trig = event["sentence"], event["trigger"]
        if not sent["start"] <= trig["start"] < trig["end"] <= sent["end"]:
            problems.append(f"{where}: trigger outside its sentence")
        if event.get("event_type") not in TYPES:
            problems.append(f"{where}: event_type {event.get('event_type')!r}")
        if event.get("modality") not in MODALITIES:
            problems.append(f"{where}: modality {event.get('modality')!r}")
        if not isinstance(event.get("negated"), bool):
            problems.append(f"{where}: negated is not a bool")
        if not event.get("happening"):
            problems.append(f"{where}: no happening label")
        for role in ("actor", "recipient"):
            for j, ref in enumerate(event.get(role, [])):
                check_actor(text, ref, f"{where} {role}[{j}]", problems)
        for role in ("place", "attributed_to"):
            if event.get(role) is not None:
                check_span(text, event[role], f"{where} {role}", problems)
        if "casualties" in event:
            cas = event["casualties"]
            if set(cas) != {"killed", "injured"} or not all(
                v is None or (isinstance(v, int) and v >= 0) for v in cas.values()
            ):
                problems.append(f"{where}: casualties {cas!r}")


def main(argv: list[str]) -> int:
    corpus_dir = Path(argv[0]) if argv else DEFAULT_CORPUS
    gold_files = [Path(p) for p in argv[1:]] or DEFAULT_GOLD
    corpora: dict[str, dict[str, dict]] = {}
    problems: list[str] = []
    lines: list[dict] = []
    for gold in gold_files:
        with gold.open(encoding="utf-8") as f:
            lines += [json.loads(line) for line in f if line.strip()]
    for name in sorted({line.get("corpus", "") for line in lines}):
        path = corpus_dir / name
        if path.is_file():
            corpora[name] = load_corpus(path)
        else:
            problems.append(f"corpus file {path} not found")
    ids = Counter(line.get("id") for line in lines)
    problems += [f"{doc_id}: listed {n} times" for doc_id, n in ids.items() if n > 1]
    for line in lines:
        check_line(line, corpora, problems)

    articles = Counter(line["split"] for line in lines)
    events = Counter()
    types: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    for line in lines:
        events[line["split"]] += len(line["events"])
        types.update(e["event_type"] for e in line["events"])
        row = corpora.get(line["corpus"], {}).get(line["id"])
        if row is not None:
            outlets[row.get("source", "?")] += 1
    print(f"articles: {len(lines)} ({', '.join(f'{k} {v}' for k, v in sorted(articles.items()))})")
    print(f"events: {sum(events.values())} ({', '.join(f'{k} {v}' for k, v in sorted(events.items()))})")
    print("types: " + ", ".join(f"{t} {n}" for t, n in types.most_common()))
    print("outlets: " + ", ".join(f"{o} {n}" for o, n in outlets.most_common()))
    for problem in problems:
        print("PROBLEM", problem)
    print("ok" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
