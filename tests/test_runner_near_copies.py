"""Near-copies are extracted and linked (issue 15 point 1): only the same content skips
extraction; a syndicated copy whose toll differs keeps its own records and a
``duplicate_of``/``duplicate_kind="near"`` link. Real pipeline, real store."""

from __future__ import annotations

import json
from pathlib import Path

from dragoman import Config
from dragoman.query import api
from dragoman.runner import run
from dragoman.store import Store

WIRE = ("Syrian government air strikes killed at least {n} civilians in the town of Ariha in "
        "Idlib province on Monday, the Syrian Observatory for Human Rights said. The raids hit "
        "a crowded market in the centre of the town shortly after noon, and rescue workers "
        "were still searching the rubble for survivors late in the evening. The town was "
        "captured by opposition fighters in May and has been bombed almost daily since then. "
        "Residents said warplanes circled over the area for more than an hour before the "
        "first strike, and that most of the dead were shoppers and traders at the market.")


def test_near_copy_is_extracted_and_linked(tmp_path: Path) -> None:
    rows = [
        {"id": "orig", "published": "2015-08-03", "text": WIRE.format(n=27)},
        {"id": "copy", "published": "2015-08-03", "text": WIRE.format(n=31)},
        {"id": "same", "published": "2015-08-03", "text": WIRE.format(n=27)},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    summary = run([str(src)], tmp_path / "store", Config())
    assert summary.processed == 2 and summary.near_copies == 1 and summary.duplicates == 1
    store = Store.open(tmp_path / "store")
    docs = {d["doc_id"]: d for d in api.iter_table(store, "documents")}
    assert (docs["copy"]["duplicate_of"], docs["copy"]["duplicate_kind"]) == ("orig", "near")
    assert (docs["same"]["duplicate_of"], docs["same"]["duplicate_kind"]) == ("orig", "exact")
    events = list(api.iter_table(store, "events"))
    assert {e["doc_id"] for e in events} == {"orig", "copy"}  # the exact copy has none
    incidents = [i for i in api.iter_table(store, "incidents") if i["event_type"] == "ASSAULT"]
    killed = {i["doc_id"]: i["casualties"]["killed"]["civilians"]["low"] for i in incidents
              if i["casualties"]["killed"]["civilians"] is not None}
    assert killed == {"orig": 27, "copy": 31}  # the disagreement is kept
