"""Issue 16 points 4-6 on a store: events coded from boilerplate, events dated long before
their article, header dates that disagree with `published`, names that are not places.

    python bench/boilerplate_dates.py STORE [STORE ...]

Boilerplate is found the way the pipeline finds it (``find_boilerplate``; tag runs cut at
the first past-tense verb's subject, which needs the parse, so documents with a tag run are
parsed again with the configured model), and applied to every store the same way, so a
store written before the boilerplate rules is measured by the same yardstick.
"""

from __future__ import annotations

import json
import sys
from collections import Counter

import duckdb

from dragoman.config import Config
from dragoman.extract.boilerplate import boilerplate_ranges
from dragoman.ingest.boilerplate import days_apart, find_boilerplate, header_date
from dragoman.ingest.dateline import split_dateline
from dragoman.nlp import load_nlp

OLD = """
select count(*) from read_parquet('{seg}/events.parquet') e
join read_parquet('{seg}/documents.parquet') d using (doc_id)
-- (the first year of the value: a decade "198" is 1980, a century "19" 1900)
where try_cast(rpad(regexp_extract(e.date, '^([0-9]{{2,4}})', 1), 4, '0') as int)
      < try_cast(substr(d.published, 1, 4) as int) - 50
"""
TAGS_SENTENCE = """
select count(*) from read_parquet('{seg}/events.parquet') e
where regexp_matches(e.sentence.text, '^Tags ')
"""
NOT_PLACES = """
select
  count(*) filter (where e.location.text in ('SANA', 'Al-Horra', 'Khalil')) as media_or_names,
  count(*) filter (where regexp_matches(substr(d.text, e.location."end" + 1, 14),
                                        '^-(based|led|backed)')) as source_base
from read_parquet('{seg}/events.parquet') e
join read_parquet('{seg}/documents.parquet') d using (doc_id)
"""


def measure(store: str, nlp) -> dict[str, object]:  # type: ignore[no-untyped-def]
    seg = f"{store}/segments/*"
    con = duckdb.connect()
    docs = con.sql(f"select doc_id, text, published from read_parquet('{seg}/documents.parquet')"
                   " where duplicate_of is null").fetchall()
    events = con.sql(f"select doc_id, e.trigger.start from read_parquet('{seg}/events.parquet') e"
                     ).fetchall()
    by_doc: dict[str, list[int]] = {}
    for doc_id, start in events:
        by_doc.setdefault(doc_id, []).append(start)
    in_bp: Counter[str] = Counter()
    disagree = header = 0
    for doc_id, text, published in docs:
        items = find_boilerplate(text)
        found = header_date(items)
        if found is not None:
            header += 1
            apart = days_apart(published, found.value)
            disagree += apart is not None and apart > 2
        if not items or doc_id not in by_doc:
            continue
        body = split_dateline(text).body
        kinds = [(b.span.start, b.span.end, b.kind) for b in items]
        if any(b.kind == "tags" for b in items):
            doc = nlp(text[body.start:body.end])
            ranges = boilerplate_ranges(doc, text, body.start, body.end)
            kinds = [(a + body.start, b + body.start,
                      next((k for s, e, k in kinds if s <= a + body.start < e), "?"))
                     for a, b in ranges]
        for start in by_doc[doc_id]:
            for a, b, kind in kinds:
                if a <= start < b:
                    in_bp[kind] += 1
                    break
    media, base = con.sql(NOT_PLACES.format(seg=seg)).fetchall()[0]
    return {
        "store": store,
        "events": len(events),
        "events_in_boilerplate": sum(in_bp.values()),
        "by_kind": dict(in_bp.most_common()),
        "events_with_sentence_starting_Tags": con.sql(TAGS_SENTENCE.format(seg=seg)).fetchall()[0][0],
        "events_dated_over_50_years_before": con.sql(OLD.format(seg=seg)).fetchall()[0][0],
        "documents_with_header_date": header,
        "header_date_disagrees_over_2_days": disagree,
        "event_location_media_or_surname": media,
        "event_location_source_base": base,
    }


def main() -> None:
    nlp = load_nlp(Config().model)
    for store in sys.argv[1:]:
        print(json.dumps(measure(store, nlp)))


if __name__ == "__main__":
    main()
