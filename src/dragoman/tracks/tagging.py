"""Tagging a store's records with tracks, without re-extraction (``dragoman track``).

``track_store(store, tracks)`` reads the store through DuckDB: one regular expression over
every track's phrases picks the documents worth reading; in those, each track's terms are
found (``match.TrackMatcher``), and a document with at least ``min_hits`` of them inside
the track's window is *about* the track. Its events, quotes and incidents are linked:

=========  =====  ==============================================================
basis      score  when
=========  =====  ==============================================================
sentence   1.0    a term is in the event's sentence / the quote / the incident's evidence
paragraph  0.8    a term is in the same paragraph
document   0.5    a participant (actor, recipient, speaker) and an event type of interest
                  in a document about the track (+0.1 when the place is one of the track's)
=========  =====  ==============================================================

A link carries the proposal whose terms are in its sentence (one row per proposal). The
events and quotes linked become stance rows (``stances``), and both tables are written as
a new version under ``<store>/tracks/`` (``table.write_tables``). The store's segments are
only read. A second run with the same tracks file over the same segments does nothing
unless forced.
"""

from __future__ import annotations

import bisect
import logging
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..store import Store
from ..store.duck import to_arrow
from .definitions import TrackSet, load_tracks
from .match import Hit, TrackMatcher, paragraph_of, paragraphs, track_gate_sql
from .stances import StanceLexicon, load_stance_lexicon, mark_changes
from .table import read_meta, write_tables

__all__ = ["TrackRun", "track_store"]

log = logging.getLogger(__name__)

_MEETING_TYPES = ("CONSULT", "AGREE", "COOPERATE")
# PLOVER sectors of the opposition: a group of these sectors is not the country coreference
# gave it ("the rebels" near "Moscow" are not Russia), and of the government: a ministry or
# delegation of a country is that country at the talks
_OPPOSITION_SECTORS = ("REB", "OPP")
_GOVERNMENT_SECTOR = "GOV"
# how far before a title-only mention ("the envoy") the person it stands for is looked for,
# and how far around that person's name the title word is looked for
_TITLE_REACH = 600
_TITLE_AROUND = (60, 40)
# a person in apposition after a mention: ", Name," or "'s chief coordinator, Name,"
_APPOSITION = re.compile(r"\s*(?:['\u2019]s(?:\s+[\w\-]+){1,4})?\s*,\s*")
_APPOSITION_GAP = 50
# the longest text between a quote's speaker and its content read as its reporting verb
_REPORTING_GAP = 80

# what the tagger reads of an actor, an event and a quote (not the whole records)
_REF = "struct_pack(name := {v}.name, text := {v}.text, kb_id := {v}.kb_id, " \
       "country := {v}.country, sector := {v}.sector, kind := {v}.kind, start := {v}.start, " \
       "\"end\" := {v}.\"end\")"
_EVENT_COLUMNS = (
    "id, doc_id, event_type, negated, modality, \"symmetric\", \"date\", "
    "struct_pack(start := sentence.start, \"end\" := sentence.\"end\") AS sentence, "
    "struct_pack(text := trigger.text, start := trigger.start) AS trigger, "
    "struct_pack(name := location.name) AS location, "
    f"[{_REF.format(v='x')} for x in actor] AS actor, "
    f"[{_REF.format(v='x')} for x in recipient] AS recipient")
_QUOTE_COLUMNS = (
    "id, doc_id, content, "
    f"CASE WHEN speaker IS NULL THEN NULL ELSE {_REF.format(v='speaker')} END AS speaker")


@dataclass
class TrackRun:
    """What ``track_store`` did: links per (track, kind), stance rows, seconds."""

    tracks_file: str
    fingerprint: str
    up_to_date: bool = False
    links: dict[str, dict[str, int]] = field(default_factory=dict)
    stances: int = 0
    documents_read: int = 0
    seconds: float = 0.0
    incidents: bool = False
    version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "tracks_file": self.tracks_file, "fingerprint": self.fingerprint,
            "up_to_date": self.up_to_date, "links": self.links, "stances": self.stances,
            "documents_read": self.documents_read, "seconds": round(self.seconds, 3),
            "incidents": self.incidents, "version": self.version,
        }


def _has_rows(con: Any, table: str) -> bool:
    names = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    if table not in names:
        return False
    return bool(con.execute(f'SELECT count(*) FROM (SELECT 1 FROM "{table}" LIMIT 1)')
                .fetchone()[0])


def _bare(name: str | None) -> str | None:
    """A mention without its leading article ("The main opposition body")."""
    if not name:
        return name
    return name[4:] if name[:4].casefold() == "the " else name


def _name(ref: dict[str, Any] | None) -> str | None:
    if not ref:
        return None
    return ref.get("name") or ref.get("text")


def _names(refs: list[dict[str, Any]] | None) -> str | None:
    out = [n for n in (_name(r) for r in refs or []) if n]
    return "; ".join(dict.fromkeys(out)) or None


class _Doc:
    """A candidate document: its text, paragraphs and each track's hits."""

    def __init__(self, doc_id: str, text: str, published: str | None,
                 gates: frozenset[str] = frozenset(),
                 proposal_gates: frozenset[str] = frozenset()) -> None:
        self.doc_id = doc_id
        self.text = text
        self.published = published
        self.pstarts = paragraphs(text)
        self.hits: dict[str, list[Hit]] = {}
        #: the tracks whose terms (resp. proposal terms) DuckDB found possible in the text
        self.gates = gates
        self.proposal_gates = proposal_gates
        # per track: the document's proposal hits by start, and their starts
        self.proposal_hits: dict[str, tuple[list[int], list[tuple[str, Hit]]]] = {}

    def hits_in(self, track: str, start: int, end: int) -> list[Hit]:
        return [h for h in self.hits.get(track, ()) if start <= h.start and h.end <= end]

    def basis(self, track: str, start: int, end: int) -> tuple[str, float, list[Hit]] | None:
        inside = self.hits_in(track, start, end)
        if inside:
            return "sentence", 1.0, inside
        ps, pe = paragraph_of(self.text, self.pstarts, start)
        around = self.hits_in(track, ps, max(pe, end))
        if around:
            return "paragraph", 0.8, around
        return None


def _link(track: str, kind: str, rec_id: str, doc: _Doc, score: float, basis: str,
          start: int, end: int, hits: list[Hit], **extra: Any) -> dict[str, Any]:
    return {
        "track": track, "proposal": None, "kind": kind, "record_id": rec_id,
        "doc_id": doc.doc_id, "score": score, "basis": basis, "evidence_start": start,
        "evidence_end": end, "evidence": doc.text[start:end],
        "terms": sorted({h.phrase for h in hits}), "date": extra.get("date"),
        "event_type": extra.get("event_type"), "actor": extra.get("actor"),
        "recipient": extra.get("recipient"), "place": extra.get("place"),
    }


def _with_proposals(m: TrackMatcher, row: dict[str, Any], doc: _Doc) -> list[dict[str, Any]]:
    """The link and one copy per proposal whose terms are inside its evidence. The
    document's proposal hits are found once (per track) and picked by offsets; a term with
    ``near`` phrases counts only when one of them is in the evidence too."""
    if m.track.name not in doc.proposal_gates:
        return [row]
    found = doc.proposal_hits.get(m.track.name)
    if found is None:
        hits = sorted(m.proposal_hits(doc.text, doc.published), key=lambda x: x[1].start)
        found = doc.proposal_hits[m.track.name] = ([h.start for _, h in hits], hits)
    starts, hits = found
    start, end = row["evidence_start"], row["evidence_end"]
    props = sorted({name for name, h in hits[bisect.bisect_left(starts, start):
                                             bisect.bisect_right(starts, end)]
                    if h.end <= end and m.proposal_near_ok(name, h, row["evidence"])})
    if not props:
        return [row]
    return [row, *({**row, "proposal": p} for p in props)]


def _fetch(con: Any, sql: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = to_arrow(con.execute(sql)).to_pylist()
    return rows


def _date(value: str | None, published: str | None) -> str | None:
    if value and len(value) >= 10 and value[4] == "-":
        return value[:10]
    return published


class _Tagger:
    def __init__(self, tracks: TrackSet, lexicon: StanceLexicon,
                 person_titles: frozenset[str] = frozenset()) -> None:
        self.tracks = tracks
        #: title words that stand for a person ("the envoy"; sectors.yaml person_titles)
        self.person_titles = person_titles
        #: per track: its participant of role "government" (an unplaced "government
        #: delegation" is that party): the only one, or the only country among them
        self.government: dict[str, str] = {}
        for t in tracks.tracks:
            gov = [p for p in t.participants if p.role == "government"]
            states = [p for p in gov if (p.kb or "").startswith("country:")]
            one = gov if len(gov) == 1 else states if len(states) == 1 else []
            if one:
                self.government[t.name] = one[0].name
        #: per document: its named mentions of people and organisations (start, end, ref),
        #: by start (pronouns aside)
        self.named: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}
        self.matchers = [TrackMatcher(t) for t in tracks.tracks]
        self.by_track = {m.track.name: m for m in self.matchers}
        #: per document: the mentions of quote speakers and named actors, (start, end, ref)
        self.mentions: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}
        self.lexicon = lexicon
        self.links: list[dict[str, Any]] = []
        self.stances: list[dict[str, Any]] = []
        self.hedges: dict[str, dict[tuple[int, int], str]] = {}
        self.refs: dict[tuple[str, str], dict[str, Any]] = {}
        self.partners: dict[tuple[str, str], set[str]] = {}

    def documents(self, docs: list[_Doc]) -> None:
        for doc in docs:
            for m in self.matchers:
                t = m.track
                if t.name not in doc.gates or not t.in_window(doc.published):
                    continue
                hits = m.hits(doc.text, doc.published)
                if len(hits) < t.min_hits:
                    continue
                doc.hits[t.name] = hits
                ps, pe = paragraph_of(doc.text, doc.pstarts, hits[0].start)
                self.links.append(_link(t.name, "document", doc.doc_id, doc,
                                        round(1 - 0.5 ** len(hits), 4), "paragraph", ps, pe,
                                        hits, date=doc.published))

    def _participant(self, m: TrackMatcher, refs: list[dict[str, Any]]) -> bool:
        return any(m.participant(r.get("kb_id"), r.get("name"), r.get("text"), r.get("country"))
                   for r in refs)

    def events(self, docs: dict[str, _Doc], rows: list[dict[str, Any]]) -> None:
        partners: dict[tuple[str, str], set[str]] = defaultdict(set)
        for e in rows:
            if e["event_type"] in _MEETING_TYPES:
                for a in e["actor"] or []:
                    for r in e["recipient"] or []:
                        if _name(a) and _name(r):
                            partners[(e["doc_id"], _name(a) or "")].add(_name(r) or "")
                            partners[(e["doc_id"], _name(r) or "")].add(_name(a) or "")
        self.partners = partners
        for e in rows:
            doc = docs[e["doc_id"]]
            s = e["sentence"]
            loc = (e.get("location") or {}).get("name")
            for m in self.matchers:
                t = m.track
                if t.name not in doc.hits or not t.in_window(e["date"]):
                    continue
                found = doc.basis(t.name, s["start"], s["end"])
                if found is None:
                    refs = [*(e["actor"] or []), *(e["recipient"] or [])]
                    if not ((self._participant(m, refs)
                             and (not m.types or e["event_type"] in m.types))
                            or self._takes_stance(e)):
                        continue
                    found = ("document", 0.6 if m.is_place(loc) else 0.5, [])
                basis, score, hits = found
                row = _link(t.name, "event", e["id"], doc, score, basis, s["start"], s["end"],
                            hits, date=_date(e["date"], doc.published),
                            event_type=e["event_type"], actor=_names(e["actor"]),
                            recipient=_names(e["recipient"]), place=loc)
                rows_p = _with_proposals(m, row, doc)
                self.links.extend(rows_p)
                self._event_stances(e, rows_p, doc)

    def _stance_row(self, link: dict[str, Any], ref: dict[str, Any], stance: str, source: str,
                    via: str, cue: str | None, hedge: str | None) -> dict[str, Any]:
        return {
            "track": link["track"], "proposal": link["proposal"],
            "actor": self._actor_name(link["track"], ref),
            "actor_kb": ref.get("kb_id"), "actor_country": ref.get("country"),
            "stance": stance, "source": source, "via": via, "record_id": link["record_id"],
            "doc_id": link["doc_id"], "date": link["date"],
            "evidence_start": link["evidence_start"], "evidence_end": link["evidence_end"],
            "evidence": link["evidence"], "cue": cue, "hedge": hedge, "score": link["score"],
            "previous": None, "changed": False,
        }

    def _actor_name(self, track: str, ref: dict[str, Any]) -> str:
        """The track participant the actor is, by kb id, mention text or name as a name or
        alias (a leading "the" aside; the text first: "opposition delegation" is the
        opposition whatever country coreference gave it); a government body (a ministry, the
        Kremlin, a delegation: an organisation or group of the government sector) is its
        country's participant, or when it is placed nowhere ("the government delegation")
        the track's one participant of role ``government``; not a person by country:
        Russia's minister keeps his name. Else the actor's own name."""
        m = self.by_track.get(track)
        if m is not None:
            p = m.participant(ref.get("kb_id"), _bare(ref.get("text")), _bare(ref.get("name")))
            if p:
                return p
            if ref.get("kind") in ("org", "group") and ref.get("sector") == _GOVERNMENT_SECTOR:
                p = (m.participant(None, None, None, ref.get("country")) if ref.get("country")
                     else None if ref.get("kb_id") else self.government.get(track))
                if p:
                    return p
        return _name(ref) or "?"

    def _resolve(self, doc: _Doc, ref: dict[str, Any]) -> dict[str, Any]:
        """The actor a mention stands for: an opposition group without a kb id loses the
        country coreference gave it; an unnamed one is read as the wider mention around it,
        or the person in apposition after it; a title-only mention ("the envoy") as the
        person it stands for."""
        if ref.get("kb_id") or (ref.get("name") and ref.get("kind") == "person"):
            return ref  # resolved already
        if (ref.get("kind") == "group" and ref.get("sector") in _OPPOSITION_SECTORS
                and ref.get("name")):
            ref = {**ref, "name": None, "country": None}
        ref = self._widest(doc.doc_id, ref)
        return self._apposition(doc, ref) or self._titled_person(doc, ref) or ref

    def _apposition(self, doc: _Doc, ref: dict[str, Any]) -> dict[str, Any] | None:
        """The named person in apposition right after an unnamed mention ("The
        organisation's director-general, Fernando Arias, said"), or after its possessive and
        a title ("The opposition's chief coordinator, Riyad Hijab, said"), or None."""
        if ref.get("kb_id") or (ref.get("name") and ref.get("kind") != "group"):
            return None
        e = ref.get("end")
        if not isinstance(e, int):
            return None
        for ps, pe, named in self.named.get(doc.doc_id, ()):
            if ps > e + _APPOSITION_GAP:
                break
            if (ps >= e and _APPOSITION.fullmatch(doc.text[e:ps])
                    and doc.text[pe:pe + 1] == ","):
                return {**named, "start": ref.get("start"), "end": e}
        return None

    def _titled_person(self, doc: _Doc, ref: dict[str, Any]) -> dict[str, Any] | None:
        """The person a definite title-only mention stands for ("The envoy said",
        "the Russian envoy", "the host country's minister"), when the coreference left it a
        group: the nearest named person before it whose country is the mention's, or whose
        title (the words just around the name) has the mention's title word, and whose
        country is not another one. None when there is no such person."""
        if ref.get("kb_id") or ref.get("kind") not in ("group", "person") or (
                ref.get("kind") == "person" and ref.get("name")):
            return None
        words = [w for w in re.split(r"[\s\-]+", ref.get("text") or "") if w]
        titles = [w for w in words if w.casefold() in self.person_titles]
        s = ref.get("start")
        if not titles or not isinstance(s, int):
            return None  # "secretary of state", "Secretary-General": their title word
        if not (words[0].casefold() == "the"
                or re.search(r"\bthe\s+$", doc.text[max(0, s - 6):s], re.IGNORECASE)):
            return None  # "a Turkish official" is someone else
        title = re.compile(rf"\b{re.escape(titles[-1])}\b", re.IGNORECASE)
        country = ref.get("country")
        for ps, pe, person in reversed(self.named.get(doc.doc_id, ())):
            if ps >= s or person["kind"] != "person":
                continue
            if s - ps > _TITLE_REACH:
                break
            pc = person.get("country")
            if country and pc and pc != country:
                continue
            before, after = _TITLE_AROUND
            hi = doc.text.find("\n", pe)
            around = doc.text[max(doc.text.rfind("\n", 0, ps) + 1, ps - before):
                              min(pe + after, len(doc.text) if hi < 0 else hi)]
            if (country and pc == country) or title.search(around):
                return {**person, "start": s, "end": ref.get("end")}
        return None

    def _widest(self, doc_id: str, ref: dict[str, Any]) -> dict[str, Any]:
        """An actor with no resolved name or kb id ("opposition") read as the widest
        mention of the document around it (the quote speaker "The main opposition body")."""
        if ref.get("name") or ref.get("kb_id") or not isinstance(ref.get("start"), int):
            return ref
        s, e = ref["start"], ref.get("end") or ref["start"]
        best, width = ref, e - s
        for ms, me, other in self.mentions.get(doc_id, ()):
            if ms <= s and e <= me and me - ms > width and other.get("kind") != "pronoun":
                best, width = other, me - ms
        return best

    def _takes_stance(self, e: dict[str, Any]) -> bool:
        """An event whose type is a stance (asserted): in a document about a track, it is
        linked by the document even when its actor is not a named participant."""
        return (self.lexicon.event_stance(e["event_type"], bool(e["negated"])) is not None
                and e.get("modality") not in ("hypothetical", "question"))

    def _event_stances(self, e: dict[str, Any], links: list[dict[str, Any]],
                       doc: _Doc) -> None:
        stance = self.lexicon.event_stance(e["event_type"], bool(e["negated"]))
        if stance is None or e.get("modality") in ("hypothetical", "question"):
            return
        cue = e["trigger"]["text"]
        at = e["trigger"].get("start")
        if not e["negated"] and isinstance(at, int):
            # the words the trigger starts decide when they are a stance phrase
            found = self.lexicon.cue_at(doc.text, at)
            if found is not None:
                stance, cue = found[0], doc.text[at:found[1]]
        hedge = self.hedges.get(e["doc_id"], {})
        h = next((txt for (hs, he), txt in hedge.items()
                  if e["sentence"]["start"] <= hs and he <= e["sentence"]["end"]), None)
        actors = [a for a in (self._resolve(doc, a) for a in e["actor"] or [])
                  if _name(a) and a.get("kind") != "pronoun"]
        for link in links:
            for a in actors:
                self.stances.append(self._stance_row(link, a, stance, "event", "actor", cue, h))
            if e.get("symmetric") and stance == "agree":
                for r in e["recipient"] or []:
                    if _name(r):
                        self.stances.append(self._stance_row(
                            link, r, stance, "event", "partner", cue, h))

    def quotes(self, docs: dict[str, _Doc], rows: list[dict[str, Any]]) -> None:
        for q in rows:
            doc = docs[q["doc_id"]]
            c = q["content"]
            speaker = q.get("speaker") or {}
            for m in self.matchers:
                t = m.track
                if t.name not in doc.hits:
                    continue
                found = doc.basis(t.name, c["start"], c["end"])
                if found is None:
                    if not (self._participant(m, [speaker] if speaker else [])
                            or (speaker and (self.lexicon.quote_stance(c["text"])
                                             or self._reporting_cue(doc, speaker, c)))):
                        continue
                    found = ("document", 0.5, [])
                basis, score, hits = found
                row = _link(t.name, "quote", q["id"], doc, score, basis, c["start"], c["end"],
                            hits, date=doc.published, actor=_name(speaker))
                rows_p = _with_proposals(m, row, doc)
                self.links.extend(rows_p)
                self._quote_stances(q, rows_p, doc)

    def _reporting_cue(self, doc: _Doc, speaker: dict[str, Any],
                       c: dict[str, Any]) -> tuple[str, str, str, bool] | None:
        """(stance, scope, cue, whether a comma comes before the cue) of the words between
        a speaker and the quote's content in one sentence: the reporting verb ("rejected its
        final statement", "welcomed the committee")."""
        se = speaker.get("end")
        if not isinstance(se, int) or not isinstance(speaker.get("start"), int):
            return None
        gap = doc.text[se:c["start"]]
        if not gap or se > c["start"] or len(gap) > _REPORTING_GAP or re.search(r"[.;\n]", gap):
            return None
        found = self.lexicon.quote_stance(gap)
        if found is None:
            return None
        return found[0], found[1], gap[found[2]:found[3]], "," in gap[:found[2]]

    def _quote_stances(self, q: dict[str, Any], links: list[dict[str, Any]],
                       doc: _Doc) -> None:
        speaker = q.get("speaker")
        if not speaker or (speaker.get("kind") == "pronoun" and not speaker.get("name")):
            return
        verb = self._reporting_cue(doc, speaker, q["content"])
        found = self.lexicon.quote_stance(q["content"]["text"])
        if verb is not None and (found is None or not verb[3]):
            # the speaker's own verb decides: "rejected the opposition's demands",
            # "refused to back the memorandum", "denied that it had violated the truce";
            # not a verb inside a clause ("X, who welcomed the deal, said Russia rejected")
            stance, scope, cue, _ = verb
        elif found is not None:
            stance, scope, cs, ce = found
            cue = q["content"]["text"][cs:ce]
        else:
            return
        speaker = self._resolve(doc, speaker)
        hedges = self.hedges.get(q["doc_id"], {})
        c = q["content"]
        h = next((txt for (hs, he), txt in hedges.items()
                  if c["start"] <= hs and he <= c["end"]), None)
        for link in links:
            self.stances.append(self._stance_row(link, speaker, stance, "quote", "speaker",
                                                 cue, h))
            if scope == "with_partners":
                for p in sorted(self.partners.get((q["doc_id"], _name(speaker) or ""), ())):
                    ref = self.refs.get((q["doc_id"], p), {"name": p})
                    self.stances.append(self._stance_row(link, ref, stance, "quote",
                                                         "partner", cue, h))

    def incidents(self, docs: dict[str, _Doc], rows: list[dict[str, Any]]) -> None:
        for i in rows:
            doc = docs[i["doc_id"]]
            spans = i.get("evidence") or []
            loc = (i.get("location") or {}).get("name")
            for m in self.matchers:
                t = m.track
                if t.name not in doc.hits or not t.in_window(i.get("date")):
                    continue
                found = None
                for sp in spans:
                    found = doc.basis(t.name, sp["start"], sp["end"])
                    if found:
                        start, end = sp["start"], sp["end"]
                        break
                if found is None:
                    if not (m.is_place(loc) or i["event_type"] in m.types) or not spans:
                        continue
                    found = ("document", 0.5, [])
                    start, end = spans[0]["start"], spans[0]["end"]
                basis, score, hits = found
                self.links.append(_link(
                    t.name, "incident", i["id"], doc, score, basis, start, end, hits,
                    date=_date(i.get("date"), doc.published), event_type=i["event_type"],
                    actor=_names(i.get("actor")), recipient=_names(i.get("target")),
                    place=loc))


def _drop_document_links(tagger: _Tagger) -> None:
    """A record whose sentence or paragraph names a track is about that track: its links
    (and stances) on the document's other tracks, by participants alone, are dropped. A
    sentence that names a track only by one of its places ("will be formed in Geneva")
    says where, not what: it keeps them."""
    def names_track(r: dict[str, Any]) -> bool:
        places = tagger.by_track[r["track"]].places
        return any(t.casefold() not in places for t in r["terms"])

    named = {(r["kind"], r["record_id"]) for r in tagger.links
             if r["basis"] != "document" and names_track(r)}
    tagger.links = [r for r in tagger.links if r["basis"] != "document"
                    or (r["kind"], r["record_id"]) not in named or r["kind"] == "document"]
    tagger.stances = [s for s in tagger.stances if s["score"] > 0.55
                      or (("event" if s["source"] == "event" else "quote"), s["record_id"])
                      not in named]


def track_store(store: Store | Path | str, tracks: TrackSet | Path | str | None = None, *,
                force: bool = False, stance_file: Path | str | None = None) -> TrackRun:
    """Link the store's documents, events, quotes and incidents to the tracks; write the
    ``links`` and ``stances`` tables as a new version under ``<store>/tracks/``.

    ``tracks``: a ``TrackSet`` or a tracks file (default: the packaged Syria example).
    Nothing is recomputed when the current tables were made from the same file over the
    same segments, unless ``force``.
    """
    t0 = time.perf_counter()
    st = store if isinstance(store, Store) else Store.open(store)
    ts = tracks if isinstance(tracks, TrackSet) else load_tracks(tracks)
    segments = sorted(s.id for s in st.segments())
    run = TrackRun(ts.path, ts.fingerprint)
    meta = read_meta(st.root)
    if (not force and meta and meta.get("fingerprint") == ts.fingerprint
            and meta.get("segments") == segments):
        run.up_to_date = True
        run.links = meta.get("links", {})
        run.stances = int(meta.get("stances", 0))
        run.version = meta.get("version")
        run.seconds = time.perf_counter() - t0
        return run
    from ..extract.actors.lexicons import load_sectors

    tagger = _Tagger(ts, load_stance_lexicon(stance_file), load_sectors().person_titles)
    con = st.connect()
    # DuckDB (RE2, every core) decides which tracks' terms each document may hold; the
    # Python matcher then reads only those documents, for only those tracks
    gates = [track_gate_sql(t.terms) for t in ts.tracks]
    pgates = [track_gate_sql(tuple(x for p in t.proposals for x in p.terms))
              for t in ts.tracks]
    names = [t.name for t in ts.tracks]
    cands = con.execute(
        f"SELECT doc_id, text, published, [{', '.join(gates)}], [{', '.join(pgates)}] "
        f"FROM documents WHERE {' OR '.join(gates)}").fetchall()
    docs = [_Doc(d, text, pub,
                 frozenset(n for n, g in zip(names, gs, strict=True) if g),
                 frozenset(n for n, g in zip(names, ps, strict=True) if g))
            for d, text, pub, gs, ps in cands]
    run.documents_read = len(docs)
    tagger.documents(docs)
    tagged = {d.doc_id: d for d in docs if d.hits}
    con.register("_track_docs", pa.table({"doc_id": list(tagged)}, schema=pa.schema(
        [pa.field("doc_id", pa.string())])))
    where = "doc_id IN (SELECT doc_id FROM _track_docs)"
    hedges: dict[str, dict[tuple[int, int], str]] = defaultdict(dict)
    for doc_id, s, e, txt in con.execute(
            f"SELECT doc_id, start, \"end\", text FROM frames WHERE kind = 'hedge' AND {where}"
    ).fetchall():
        hedges[doc_id][(s, e)] = txt
    tagger.hedges = hedges
    refs: dict[tuple[str, str], dict[str, Any]] = {}
    events = _fetch(con, f"SELECT {_EVENT_COLUMNS} FROM events WHERE {where} "
                    "ORDER BY doc_id, sentence.start, trigger.start, id")
    for e in events:
        for r in [*(e["actor"] or []), *(e["recipient"] or [])]:
            if _name(r):
                refs.setdefault((e["doc_id"], _name(r) or ""), r)
    tagger.refs = refs
    quotes = _fetch(con, f"SELECT {_QUOTE_COLUMNS} FROM quotes WHERE {where} "
                    "ORDER BY doc_id, content.start")
    mentions: dict[str, list[tuple[int, int, dict[str, Any]]]] = defaultdict(list)
    refs_of = [*((e["doc_id"], r) for e in events
                 for r in [*(e["actor"] or []), *(e["recipient"] or [])]),
               *((q["doc_id"], q["speaker"]) for q in quotes if q.get("speaker"))]
    for doc_id, ref in refs_of:
        if isinstance(ref.get("start"), int) and isinstance(ref.get("end"), int):
            mentions[doc_id].append((ref["start"], ref["end"], ref))
    tagger.mentions = mentions
    # the named people and organisations of the documents where an actor or speaker may be
    # read as one of them (a mention without a kb id that is unnamed or a group)
    unsure = sorted({doc_id for doc_id, ref in refs_of if not ref.get("kb_id") and (
        not ref.get("name") or ref.get("kind") in ("group", None))})
    named: dict[str, list[tuple[int, int, dict[str, Any]]]] = defaultdict(list)
    if unsure:
        con.register("_track_unsure", pa.table({"doc_id": unsure}, schema=pa.schema(
            [pa.field("doc_id", pa.string())])))
        for doc_id, s, e, name, kb_id, country, sector, kind, text in con.execute(
                "SELECT doc_id, start, \"end\", name, kb_id, country, sector, kind, text "
                "FROM actors WHERE kind IN ('person', 'org') AND name IS NOT NULL "
                "AND resolved_by <> 'pronoun' "
                "AND doc_id IN (SELECT doc_id FROM _track_unsure) "
                "ORDER BY doc_id, start").fetchall():
            named[doc_id].append((s, e, {"name": name, "kb_id": kb_id, "country": country,
                                         "sector": sector, "kind": kind, "text": text}))
    tagger.named = named
    tagger.events(tagged, events)
    tagger.quotes(tagged, quotes)
    if _has_rows(con, "incidents"):
        run.incidents = True
        tagger.incidents(tagged, _fetch(con, f"SELECT * FROM incidents WHERE {where}"))
    con.close()
    _drop_document_links(tagger)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in tagger.links:
        if row["proposal"] is None:
            counts[row["track"]][row["kind"]] += 1
    run.links = {t: dict(c) for t, c in sorted(counts.items())}
    stances = mark_changes(tagger.stances)
    run.stances = len(stances)
    meta_out = {
        "tracks_file": str(ts.path), "fingerprint": ts.fingerprint, "segments": segments,
        "tracks": [{"name": t.name, "title": t.title, "description": t.description,
                    "proposals": [[p.name, p.title] for p in t.proposals],
                    "participants": [p.name for p in t.participants]} for t in ts.tracks],
        "links": run.links, "stances": run.stances, "incidents": run.incidents,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    final = write_tables(st.root, {"links": tagger.links, "stances": stances}, meta_out)
    run.version = final.name
    run.seconds = time.perf_counter() - t0
    log.info("tracks: %s in %.2f s", run.links, run.seconds)
    return run
