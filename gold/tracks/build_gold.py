"""Build gold/tracks/tracks.jsonl: documents labelled with their tracks, statements with stances.

    .venv/bin/python gold/tracks/build_gold.py

Corpus articles (../shared/corpus) and bundled samples are referenced by id, never copied;
the short dispatches of dispatches.txt (written for this gold) are stored with their text.
Labels (see README.md) were given by reading each document; the split (tune/test) is by a
hash of the id.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"

# FA-KES articles that mention a candidate word (astana, geneva, opcw, de mistura,
# de-escalation, sochi, khan sheikhoun, peace talks, negotiat, chemical weapons,
# investigation, guarantor, constitution), read and labelled; unlisted ones: no track.
FAKES = {
    "fakes-1915433685": "geneva", "fakes-1918150026": "opcw", "fakes-1918398776": "geneva",
    "fakes-1918398801": "geneva", "fakes-1919191745": "geneva", "fakes-1919191753": "opcw",
    "fakes-1919191759": "astana opcw", "fakes-1919191766": "opcw", "fakes-1923102847": "opcw",
    "fakes-1923102866": "opcw", "fakes-1923102872": "opcw", "fakes-1923102880": "opcw",
    "fakes-1923102962": "astana", "fakes-1923102968": "astana", "fakes-1923102970": "astana",
    "fakes-1923102974": "astana", "fakes-1923102976": "astana geneva",
    "fakes-1923848146": "opcw", "fakes-1923848251": "astana", "fakes-1923848252": "astana",
    "fakes-1923848256": "astana", "fakes-1923848257": "astana", "fakes-1923848264": "geneva",
    "fakes-1924058036": "opcw", "fakes-1924058059": "geneva", "fakes-1924058060": "geneva",
    "fakes-1924058065": "astana geneva", "fakes-1924058066": "astana",
    "fakes-1924058067": "astana", "fakes-1924058083": "geneva", "fakes-1924058093": "geneva",
    "fakes-1924058106": "astana", "fakes-1924058107": "astana",
    "fakes-1924058139": "astana geneva", "fakes-1924058153": "astana geneva",
    "fakes-1924058169": "geneva", "fakes-1924058200": "geneva", "fakes-1924058208": "astana",
    "fakes-1924058209": "astana", "fakes-1924058210": "astana", "fakes-1924058212": "astana",
    "fakes-1924058213": "astana", "fakes-1924058225": "geneva", "fakes-1926479006": "opcw",
    "fakes-1926479061": "geneva", "fakes-1926479106": "opcw", "fakes-1926479108": "geneva",
    "fakes-1926479099": "opcw",
    "fakes-1926479133": "geneva", "fakes-1926479150": "astana geneva",
    "fakes-1926479178": "opcw", "fakes-1926479215": "opcw", "fakes-1926479236": "opcw",
    "fakes-1926479260": "geneva", "fakes-1926479274": "opcw", "fakes-1926479281": "astana",
    "fakes-1926479298": "opcw", "fakes-1926479310": "opcw", "fakes-1926479326": "opcw",
    "fakes-1926479334": "opcw", "fakes-1926479352": "opcw", "fakes-1926479355": "geneva",
    "fakes-1926479363": "opcw", "fakes-1926479384": "opcw", "fakes-1926479389": "opcw",
    "fakes-1962495687": "geneva", "fakes-1965495324": "opcw", "fakes-1965495325": "opcw",
    "fakes-1965495387": "opcw",
}
CANDIDATE = re.compile(r"astana|geneva|opcw|de mistura|de-escalation|sochi|khan sheikhoun|"
                       r"peace talks|negotiat|chemical weapons|investigation|guarantor|"
                       r"constitution", re.IGNORECASE)
SAMPLES = {"sample-tass-0004": "opcw"}
SEED = "file:../../tests/golden/seed/sana-lavrov-2017.txt"
SEED_TEXT = (ROOT / "tests/golden/seed/sana-lavrov-2017.txt").read_text(encoding="utf-8")


def _span(text: str, words: str) -> tuple[int, int]:
    i = text.index(words)
    return i, i + len(words)


def seed_statements() -> list[dict]:
    out = []
    for actor, track, stance, words in [
        ("Sergey Lavrov", "astana", "support", "Russia seeks to develop the Astana and Geneva"),
        ("Sergey Lavrov", "geneva", "support", "Russia seeks to develop the Astana and Geneva"),
        ("Sergey Lavrov", "opcw", "demand", "Lavrov renewed his country’s call for a full"),
        ("Adel al-Jubeir", "geneva", "differ", "our approaches to this are not identical"),
        ("Adel al-Jubeir", "geneva", "agree", "we are unanimous that a settlement"),
    ]:
        s, e = _span(SEED_TEXT, words)
        out.append({"start": s, "end": e, "actor": actor, "track": track, "stance": stance})
    return out


def split_of(doc_id: str) -> str:
    return "tune" if int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def dispatches() -> list[dict]:
    raw = (HERE / "dispatches.txt").read_text(encoding="utf-8")
    out = []
    for block in raw.split("\n## ")[1:]:
        head, _, body = block.partition("\n")
        doc_id, published, tracks = (x.strip() for x in head.split("|"))
        text, statements, pos = "", [], 0
        for m in re.finditer(r"\{\{([^|]+)\|([^|]+)\|(\w+): (.*?)\}\}", body.strip()):
            text += body.strip()[pos:m.start()]
            start = len(text)
            text += m.group(4)
            statements.append({"start": start, "end": len(text), "actor": m.group(1),
                               "track": m.group(2), "stance": m.group(3)})
            pos = m.end()
        text += body.strip()[pos:]
        out.append({"id": doc_id, "source": "own", "text": text, "published": published,
                    "tracks": [] if tracks == "-" else [t.strip() for t in tracks.split(",")],
                    "statements": statements})
    return out


def main() -> None:
    rows = []
    for line in (CORPUS / "fakes.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        if CANDIDATE.search(d["text"]):
            rows.append({"id": d["id"], "source": "corpus:fakes.jsonl",
                         "tracks": FAKES.get(d["id"], "").split(), "statements": []})
    n = 0
    for line in (CORPUS / "india-police-events-docs.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        if n < 25 and "syria" not in d["text"].lower():
            rows.append({"id": d["id"], "source": "corpus:india-police-events-docs.jsonl",
                         "tracks": [], "statements": []})
            n += 1
    import sys
    sys.path.insert(0, str(ROOT / "src"))
    from dragoman.ingest import read_inputs, sample_paths

    for path in sample_paths():
        for art in read_inputs([str(path)]):
            rel = path.relative_to(ROOT / "src/dragoman/data/samples")
            rows.append({"id": art.id, "source": f"sample:{rel}",
                         "tracks": SAMPLES.get(art.id, "").split(), "statements": []})
    rows.append({"id": "seed-sana-lavrov-2017", "source": SEED,
                 "tracks": ["astana", "geneva", "opcw"], "statements": seed_statements()})
    rows.extend(dispatches())
    with (HERE / "tracks.jsonl").open("w", encoding="utf-8") as f:
        for r in rows:
            r["split"] = split_of(r["id"])
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    st = sum(len(r["statements"]) for r in rows)
    print(f"{len(rows)} documents, {sum(bool(r['tracks']) for r in rows)} with a track, "
          f"{st} statements")


if __name__ == "__main__":
    main()
