"""Dev check: how well actor resolution lands on gold actors (not used at analysis time).

Usage::

    python -m dragoman.eval.actors GOLD.jsonl [GOLD.jsonl ...] [--errors]

For each gold actor it finds the mention in the text and asks ``ActorIndex.refs_for`` about
the head of its noun phrase, as the event coder does, then compares country and sector:

- files with an ``actors`` field (the seed): each ``{mention: span, country, sector}``;
  (counted apart as ``listed_*``, besides the event arguments below);
- files with ``events`` (the seed, PLOVER GSR): each actor/recipient ``{text, country, sector}``,
  found by its first occurrence in the text; a coordinated phrase counts as right when one
  of its refs has the gold country.

Sector is judged only where the gold gives one (``***`` and null are skipped), on its first
three letters (``CVLalb`` → ``CVL``), as ``dragoman.eval.events`` does.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

__all__ = ["check", "main"]

from spacy.tokens import Token


def _head(doc: Any, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    tok = span.root
    # a modifier (demonym, compound) stands for the phrase it modifies
    for _ in range(4):
        modifier = tok.dep_ in ("amod", "compound", "nmod") and tok.head.pos_ in ("NOUN", "PROPN")
        if modifier or (tok.dep_ == "conj" and tok.head.dep_ in ("amod", "compound")):
            tok = tok.head
        else:
            break
    return tok


def _sector(value: Any) -> str | None:
    if not value or value == "***":
        return None
    return str(value)[:3].upper()


def check(paths: list[str], show_errors: bool = False) -> dict[str, Any]:
    from dragoman import Config
    from dragoman.extract import DocContext, Resources
    from dragoman.extract import places as places_mod
    from dragoman.extract.actors import resolve
    from dragoman.nlp import load_nlp
    from dragoman.pipeline import make_document
    from dragoman.types import Article

    config = Config()
    nlp = load_nlp(config.model)
    res = Resources.load(config)
    totals = dict.fromkeys(
        ("actors", "country_ok", "sector_judged", "sector_ok", "found", "listed_actors",
         "listed_country_ok", "listed_sector_judged", "listed_sector_ok"), 0)
    errors: list[str] = []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            g = json.loads(line)
            art = Article(id=str(g.get("id")), text=g["text"], published=g.get("published"))
            document = make_document(art, "")
            assert document.dateline is not None
            body = document.dateline.body
            doc = nlp(g["text"][body.start:body.end])
            ctx = DocContext(art.id, "", art, document.dateline, doc, body.start, res)
            try:
                ctx.places = list(places_mod.extract(ctx))
            except Exception as exc:  # noqa: BLE001 - another stage's failure is not ours
                errors.append(f"{art.id}: places failed ({exc}); resolved without places")
            index = resolve(ctx)
            golds: list[tuple[int, int, str, str | None, str | None]] = []
            for a in g.get("actors") or []:
                m = a["mention"]
                golds.append((m["start"], m["end"], m["text"], a.get("country"), a.get("sector")))
            n_listed = len(golds)
            for ev in g.get("events") or []:
                for a in list(ev.get("actor") or []) + list(ev.get("recipient") or []):
                    if "start" in a:
                        golds.append((a["start"], a["end"], a["text"], a.get("country"),
                                      a.get("sector")))
                        continue
                    found = re.search(rf"(?<!\w){re.escape(a['text'])}(?!\w)", g["text"])
                    if found is None:
                        continue
                    pos = found.start()
                    golds.append((pos, pos + len(a["text"]), a["text"], a.get("country"),
                                  a.get("sector")))
            for k, (start, end, text, country, sector) in enumerate(golds):
                totals["actors"] += 1
                if k < n_listed:
                    totals["listed_actors"] += 1
                tok = _head(doc, start - body.start, end - body.start)
                refs = index.refs_for(tok) if tok is not None else []
                if refs:
                    totals["found"] += 1
                got_c = {r.country for r in refs}
                got_s = {r.sector for r in refs}
                ok_c = country in got_c
                totals["country_ok"] += ok_c
                if k < n_listed:
                    totals["listed_country_ok"] += ok_c
                gs = _sector(sector)
                ok_s = True
                if gs is not None:
                    totals["sector_judged"] += 1
                    ok_s = gs in got_s
                    totals["sector_ok"] += ok_s
                    if k < n_listed:
                        totals["listed_sector_judged"] += 1
                        totals["listed_sector_ok"] += ok_s
                if not (ok_c and ok_s):
                    errors.append(f"{art.id}: {text!r} gold {country}/{sector} got "
                                  f"{sorted(map(str, got_c))}/{sorted(map(str, got_s))}")
    n = totals["actors"] or 1
    report: dict[str, Any] = {
        **totals,
        "country_accuracy": round(totals["country_ok"] / n, 3),
        "sector_accuracy": round(totals["sector_ok"] / (totals["sector_judged"] or 1), 3),
    }
    if show_errors:
        report["errors"] = errors
    return report


def main(argv: list[str]) -> int:
    paths = [a for a in argv[1:] if not a.startswith("--")]
    if not paths:
        sys.stderr.write(__doc__ or "")
        return 2
    report = check(paths, show_errors="--errors" in argv)
    sys.stdout.write(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
