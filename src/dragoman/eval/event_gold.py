"""Event gold for training and evaluation, in one shape whatever file it came from.

Three shapes are read (``../shared/eval/README.md`` and ``gold/README.md``):

- one-sentence documents with ``events`` whose ``actor``/``recipient`` are spans
  (``plv-train``) or texts only (PLOVER GSR, the project's ``tests/golden/events``);
- whole articles that refer to a corpus file (``gold/articles-*.jsonl``): the text is read
  from the corpus (``corpus_dir``), checked against ``text_sha256``, and each event's
  ``sentence`` and ``trigger`` spans are kept.

Every document comes out as ``{id, text, published, title, source, events}`` (and
``partial: true`` for plv-train, which annotates only one marked pair per sentence); every event
argument gets ``start``/``end`` offsets (found by searching the text when the gold gives
only a text), so the trainer and the scorer can compare spans.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from .gold import read_gold

__all__ = ["is_article_gold", "locate_args", "read_event_gold"]


def is_article_gold(first: dict[str, Any]) -> bool:
    """Whether a gold document refers to a corpus article instead of carrying its text."""
    return "corpus" in first and "text" not in first


def _corpus_texts(corpus_dir: Path, name: str, ids: set[str]) -> dict[str, dict[str, Any]]:
    path = corpus_dir / name
    out: dict[str, dict[str, Any]] = {}
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"cannot read corpus file {path} ({exc}); pass --corpus DIR, the folder "
            "holding the corpus files the gold refers to") from exc
    with fh:
        for line in fh:
            if not line.strip():
                continue
            d = json.loads(line)
            if d.get("id") in ids:
                out[d["id"]] = d
    return out


def _find(text: str, needle: str, lo: int, hi: int) -> tuple[int, int] | None:
    if not needle:
        return None
    for rx in (rf"(?<!\w){re.escape(needle)}(?!\w)", re.escape(needle)):
        m = re.compile(rx).search(text, lo, hi)
        if m is not None:
            return m.start(), m.end()
    words = needle.split()
    if len(words) > 1:  # "Indian negotiators" in "Indian and Pakistani negotiators"
        return _find(text, words[-1], lo, hi)
    return None


def locate_args(doc: dict[str, Any]) -> None:
    """Give every event argument of ``doc`` offsets (in place), searching the event's
    sentence (or the whole text) for arguments given by text only; unfound ones keep none."""
    text = doc["text"]
    for ev in doc.get("events") or []:
        sent = ev.get("sentence") or {}
        lo, hi = int(sent.get("start", 0)), int(sent.get("end", len(text)))
        for role in ("actor", "recipient"):
            for a in ev.get(role) or []:
                if "start" in a and "end" in a:
                    continue
                hit = _find(text, str(a.get("text") or ""), lo, hi)
                if hit is not None:
                    a["start"], a["end"] = hit


def _article_docs(lines: list[dict[str, Any]], corpus_dir: Path,
                  split: str | None) -> Iterator[dict[str, Any]]:
    by_corpus: dict[str, set[str]] = {}
    for g in lines:
        by_corpus.setdefault(str(g["corpus"]), set()).add(str(g["id"]))
    texts: dict[str, dict[str, Any]] = {}
    for name, ids in by_corpus.items():
        texts.update(_corpus_texts(corpus_dir, name, ids))
    for g in lines:
        if split is not None and g.get("split") != split:
            continue
        src = texts.get(str(g["id"]))
        if src is None:
            raise InputError(f"article {g['id']} is not in {corpus_dir / str(g['corpus'])}")
        text = src["text"]
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != g.get("text_sha256"):
            raise InputError(f"article {g['id']}: its corpus text changed (sha256 differs)")
        events = []
        for ev in g.get("events") or []:
            e = dict(ev)
            s = ev.get("sentence")
            if s:
                e["sentence"] = {"start": s["start"], "end": s["end"],
                                 "text": text[s["start"]:s["end"]]}
            events.append(e)
        yield {"id": g["id"], "text": text, "published": src.get("published"),
               "title": src.get("title"), "source": src.get("source"),
               "split": g.get("split"), "events": events}


def read_event_gold(path: str | Path, corpus_dir: str | Path | None = None,
                    split: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """The documents of an event gold file, each event's arguments located.

    ``split`` keeps only the articles of that split (``tune``/``test``) of an article gold.
    """
    docs = list(read_gold(path, limit))
    if docs and is_article_gold(docs[0]):
        base = Path(corpus_dir) if corpus_dir is not None else Path("../shared/corpus")
        docs = list(_article_docs(docs, base, split))
    for n, d in enumerate(docs):
        if not d.get("id"):
            d["id"] = f"gold-{n}"
        if any("plv_root" in e for e in d.get("events") or []):
            d["partial"] = True  # plv-train marks one source/target pair per sentence
        locate_args(d)
    return docs
