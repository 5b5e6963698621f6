"""A track's digest: what happened, who met whom, key quotes, stances and their changes.

``make_digest(store, track, since=...)`` reads the track tables ``dragoman track`` wrote
(``<store>/tracks/``; nothing is re-extracted) and returns a ``Digest``: sections of lines,
each line linked to its evidence (document id and offsets, and the words there), and the
"who stands where" table. ``Digest.markdown()`` and ``Digest.html()`` render it; the HTML
is one self-contained file (inline style, no script, no external resource) and escapes
every piece of article text.

Each digest saved (``save=True``) records the stances and participants it reported under
``<store>/tracks/digests/<track>/``, so the next one lists what changed since, and starts
where it ended when no ``since`` is given.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import QueryError
from .table import read_meta, read_table, tracks_dir

__all__ = ["Digest", "Evidence", "make_digest"]

_MEETINGS = ("CONSULT", "AGREE", "COOPERATE")
_LIMIT = 12


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a line comes from: a document and character offsets into its text."""

    doc_id: str
    start: int
    end: int
    text: str

    def ref(self) -> str:
        return f"{self.doc_id}:{self.start}-{self.end}"


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    evidence: Evidence | None = None


@dataclass
class _Section:
    title: str
    lines: list[_Line] = field(default_factory=list)
    note: str | None = None


@dataclass
class Digest:
    """One track's digest, ready to render."""

    track: str
    title: str
    description: str
    since: str | None
    until: str | None
    created: str
    sections: list[_Section]
    columns: list[str]
    table: list[tuple[str, list[tuple[str, bool, Evidence] | None]]]
    state: dict[str, Any]

    # ------------------------------------------------------------------ markdown
    def markdown(self) -> str:
        out = [f"# {_md(self.title)} — digest", ""]
        if self.description:
            out += [_md(self.description), ""]
        out += [(f"Period: {self.since or 'start'} to {self.until or 'now'} · made "
                 f"{self.created} · evidence as `document:start-end`"), ""]
        for sec in self.sections[:2]:
            out += self._md_section(sec)
        out += ["## Who stands where", ""]
        if not self.table:
            out += ["No stances in this period.", ""]
        else:
            out.append("| actor | " + " | ".join(_md(c) for c in self.columns) + " |")
            out.append("|---" * (len(self.columns) + 1) + "|")
            for actor, cells in self.table:
                shown = [
                    "" if c is None else
                    f"{'**' if c[1] else ''}{c[0]}{' (changed)**' if c[1] else ''} "
                    f"`{c[2].ref()}`" for c in cells]
                out.append(f"| {_md(actor)} | " + " | ".join(shown) + " |")
            out.append("")
        for sec in self.sections[2:]:
            out += self._md_section(sec)
        return "\n".join(out).rstrip() + "\n"

    def _md_section(self, sec: _Section) -> list[str]:
        out = [f"## {_md(sec.title)}", ""]
        if sec.note:
            out += [_md(sec.note), ""]
        if not sec.lines:
            out += ["Nothing in this period.", ""]
        for line in sec.lines:
            ev = line.evidence
            tail = f" — “{_md(_short(ev.text))}” `{ev.ref()}`" if ev else ""
            out.append(f"- {_md(line.text)}{tail}")
        return [*out, ""]

    # ---------------------------------------------------------------------- html
    def html(self) -> str:
        e = html.escape
        parts = [
            "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{e(self.title)} — digest</title>",
            ("<style>body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
             "padding:0 1rem;color:#222}table{border-collapse:collapse}td,th{border:1px solid "
             "#ccc;padding:.3rem .5rem;vertical-align:top}.ev{color:#666;font-size:.85em}"
             "code{font-size:.85em}.changed{background:#fff3c4;font-weight:600}"
             "blockquote{margin:.2rem 0 .2rem 1rem;color:#444}</style></head><body>"),
            f"<h1>{e(self.title)} — digest</h1>",
        ]
        if self.description:
            parts.append(f"<p>{e(self.description)}</p>")
        parts.append(f"<p>Period: {e(self.since or 'start')} to {e(self.until or 'now')} · "
                     f"made {e(self.created)}</p>")
        for sec in self.sections[:2]:
            parts.append(self._html_section(sec))
        parts.append("<h2>Who stands where</h2>")
        if not self.table:
            parts.append("<p>No stances in this period.</p>")
        else:
            parts.append('<table id="stances"><tr><th>actor</th>'
                         + "".join(f"<th>{e(c)}</th>" for c in self.columns) + "</tr>")
            for actor, cells in self.table:
                row = [f"<td>{e(actor)}</td>"]
                for c in cells:
                    if c is None:
                        row.append("<td></td>")
                        continue
                    cls = ' class="changed"' if c[1] else ""
                    row.append(f'<td{cls} title="{e(c[2].text)}">{e(c[0])}'
                               f'{" (changed)" if c[1] else ""}<br>'
                               f'<code class="ev">{e(c[2].ref())}</code></td>')
                parts.append("<tr>" + "".join(row) + "</tr>")
            parts.append("</table>")
        for sec in self.sections[2:]:
            parts.append(self._html_section(sec))
        parts.append("</body></html>")
        return "\n".join(parts) + "\n"

    def _html_section(self, sec: _Section) -> str:
        e = html.escape
        out = [f"<h2>{e(sec.title)}</h2>"]
        if sec.note:
            out.append(f"<p>{e(sec.note)}</p>")
        if not sec.lines:
            return "\n".join([*out, "<p>Nothing in this period.</p>"])
        out.append("<ul>")
        for line in sec.lines:
            ev = line.evidence
            tail = (f'<blockquote>{e(_short(ev.text))}</blockquote>'
                    f'<code class="ev">{e(ev.ref())}</code>' if ev else "")
            out.append(f"<li>{e(line.text)}{tail}</li>")
        out.append("</ul>")
        return "\n".join(out)


def _md(text: str) -> str:
    """Markdown-escaped text (no markup or raw HTML from an article survives)."""
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text).replace("&", "&amp;")


def _short(text: str, n: int = 300) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _ev(row: dict[str, Any]) -> Evidence:
    return Evidence(row["doc_id"], int(row["evidence_start"]), int(row["evidence_end"]),
                    row["evidence"])


def _digest_dir(store_root: Path, track: str) -> Path:
    return tracks_dir(store_root) / "digests" / track


def _previous(store_root: Path, track: str) -> dict[str, Any] | None:
    d = _digest_dir(store_root, track)
    if not d.is_dir():
        return None
    files = sorted(d.glob("*.json"))
    if not files:
        return None
    data: dict[str, Any] = json.loads(files[-1].read_text(encoding="utf-8"))
    return data


def make_digest(store_root: Path | str, track: str, since: str | None = None,
                save: bool = True) -> Digest:
    """The digest of one track from the store's track tables (``dragoman track`` first).

    ``since`` (YYYY-MM-DD): only records dated on or after it; by default, those after
    the previous saved digest's end (everything for the first digest).
    """
    root = Path(store_root)
    meta = read_meta(root)
    if meta is None:
        raise QueryError(f"{root}: no track tables yet; run `dragoman track --store {root}` "
                         "first")
    info = next((t for t in meta.get("tracks", []) if t["name"] == track), None)
    if info is None:
        names = ", ".join(t["name"] for t in meta.get("tracks", []))
        raise QueryError(f"no track {track!r} in the store's track tables (tracks: {names})")
    if since is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", since):
        raise QueryError(f"--since takes a date YYYY-MM-DD, not {since!r}")
    prev = _previous(root, track)
    if since is None and prev is not None:
        since = prev.get("until_exclusive")
    links = [r for r in read_table(root, "links").to_pylist() if r["track"] == track]
    stances = [r for r in read_table(root, "stances").to_pylist() if r["track"] == track]

    def in_period(r: dict[str, Any]) -> bool:
        return since is None or (r["date"] or "") >= since

    earlier_actors = {a for r in links if not in_period(r) and r["kind"] != "document"
                      for a in _actors(r)}
    links_p = [r for r in links if in_period(r)]
    stances_p = [r for r in stances if in_period(r)]
    dates = sorted(r["date"] for r in links_p if r["date"])
    until = dates[-1] if dates else None
    happened = _what_happened(links_p)
    met = _who_met(links_p)
    quotes = _key_quotes(links_p, set(info.get("participants", [])))
    columns, table, state = _stance_table(stances_p, stances, info)
    changes = _changes(stances_p, state, prev)
    seen = set(prev.get("participants", [])) if prev else set()
    new_people = _new_participants(links_p, earlier_actors | seen)
    digest = Digest(
        track=track, title=info.get("title") or track, description=info.get("description", ""),
        since=since, until=until, created=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        sections=[happened, met, quotes, changes, new_people], columns=columns, table=table,
        state={"stances": state, "participants": sorted(
            {a for r in links if r["kind"] != "document" for a in _actors(r)})},
    )
    if save:
        d = _digest_dir(root, track)
        d.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{time.time_ns() % 10**6:06d}"
        record = {"since": since, "until": until, "until_exclusive": _day_after(until),
                  "created": digest.created, **digest.state}
        tmp = d / f".{stamp}.json"
        tmp.write_text(json.dumps(record, indent=1), encoding="utf-8")
        tmp.replace(d / f"{stamp}.json")
    return digest


def _day_after(date: str | None) -> str | None:
    if not date or len(date) < 10:
        return date
    import datetime as dt

    return (dt.date.fromisoformat(date[:10]) + dt.timedelta(days=1)).isoformat()


def _actors(r: dict[str, Any]) -> list[str]:
    return [a.strip() for f in ("actor", "recipient") if r.get(f)
            for a in r[f].split(";") if a.strip()]


def _main_links(links: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """One link per record (the proposal-less one), best score first, then by date."""
    rows = [r for r in links if r["kind"] == kind and r["proposal"] is None]
    return sorted(rows, key=lambda r: (-r["score"], r["date"] or "", r["doc_id"],
                                       r["evidence_start"]))


def _what_happened(links: list[dict[str, Any]]) -> _Section:
    sec = _Section("What happened")
    for kind in ("event", "incident"):
        rows = _main_links(links, kind)
        by_type = Counter(r["event_type"] for r in rows)
        if not by_type:
            continue
        sec.lines.append(_Line(f"{kind}s by type: " + ", ".join(
            f"{t} {n}" for t, n in by_type.most_common())))
        for r in sorted(rows[:_LIMIT], key=lambda r: (r["date"] or "", r["doc_id"])):
            who = r["actor"] or "?"
            to = f" → {r['recipient']}" if r["recipient"] else ""
            where = f" in {r['place']}" if r["place"] else ""
            sec.lines.append(_Line(f"{r['date'] or 'undated'} {r['event_type']}: {who}{to}"
                                   f"{where}", _ev(r)))
    docs = _main_links(links, "document")
    sec.note = f"{len(docs)} document(s) about the track in this period."
    return sec


def _who_met(links: list[dict[str, Any]]) -> _Section:
    sec = _Section("Who met whom")
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in _main_links(links, "event"):
        if r["event_type"] in _MEETINGS and r["actor"] and r["recipient"]:
            for a in r["actor"].split("; "):
                for b in r["recipient"].split("; "):
                    pairs[tuple(sorted((a, b)))].append(r)  # type: ignore[arg-type]
    for (a, b), rows in sorted(pairs.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:_LIMIT]:
        first = min(rows, key=lambda r: (r["date"] or "", r["doc_id"]))
        sec.lines.append(_Line(f"{a} and {b}: {len(rows)} time(s), first "
                               f"{first['date'] or 'undated'} ({first['event_type']})",
                               _ev(first)))
    return sec


def _key_quotes(links: list[dict[str, Any]], principals: set[str]) -> _Section:
    sec = _Section("Key quotes", note="Quotes naming the track, principals' first.")
    rows = _main_links(links, "quote")
    rows.sort(key=lambda r: (r["actor"] not in principals, -r["score"], r["date"] or ""))
    seen: set[tuple[str, int]] = set()
    for r in rows:
        key = (r["doc_id"], r["evidence_start"])
        if key in seen or r["score"] < 0.8:
            continue
        seen.add(key)
        sec.lines.append(_Line(f"{r['date'] or 'undated'} {r['actor'] or 'unknown speaker'}",
                               _ev(r)))
        if len(sec.lines) >= _LIMIT:
            break
    return sec


def _stance_table(
    period: list[dict[str, Any]], everything: list[dict[str, Any]], info: dict[str, Any]
) -> tuple[list[str], list[tuple[str, list[tuple[str, bool, Evidence] | None]]],
           dict[str, str]]:
    """Columns (the track, then its proposals), rows per actor with each cell's latest
    stance in the period, and the state {actor|proposal: stance} saved for the next one."""
    props = [p for p, _ in info.get("proposals", [])]
    titles = {p: t for p, t in info.get("proposals", [])}
    used = {r["proposal"] for r in period}
    keys = [None, *[p for p in props if p in used]]
    columns = ["(whole track)", *[titles.get(p, p) for p in keys[1:] if p]]
    latest: dict[tuple[str, str | None], dict[str, Any]] = {}
    for r in sorted(period, key=lambda r: (r["date"] or "", r["doc_id"], r["evidence_start"],
                                           -r["score"])):
        latest[(r["actor"], r["proposal"])] = r
    actors = sorted({a for a, _ in latest}, key=lambda a: (
        -sum(1 for r in period if r["actor"] == a), a))
    table = []
    state: dict[str, str] = {}
    for a in actors:
        cells: list[tuple[str, bool, Evidence] | None] = []
        for p in keys:
            cell = latest.get((a, p))
            if cell is None:
                cells.append(None)
                continue
            cells.append((cell["stance"], bool(cell["changed"]), _ev(cell)))
            state[f"{a}|{p or ''}"] = cell["stance"]
        table.append((a, cells))
    return columns, table, state


def _changes(period: list[dict[str, Any]], state: dict[str, str],
             prev: dict[str, Any] | None) -> _Section:
    sec = _Section("Stance changes")
    if prev is None:
        sec.note = "First digest of this track: changes within the period."
    else:
        sec.note = f"Since the previous digest (made {prev.get('created')})."
    rows = {}
    for r in period:
        rows[(r["actor"], r["proposal"] or "")] = r
    done: set[tuple[str, str]] = set()
    old = (prev or {}).get("stances", {})
    for key, stance in sorted(state.items()):
        a, p = key.split("|", 1)
        before = old.get(key)
        if before is not None and before != stance:
            r = rows[(a, p)]
            sec.lines.append(_Line(f"{a} on {p or 'the track'}: {before} → {stance}", _ev(r)))
            done.add((a, p))
    for r in period:
        k = (r["actor"], r["proposal"] or "")
        if r["changed"] and k not in done:
            done.add(k)
            sec.lines.append(_Line(f"{r['actor']} on {r['proposal'] or 'the track'}: "
                                   f"{r['previous']} → {r['stance']} ({r['date'] or 'undated'})",
                                   _ev(r)))
    return sec


def _new_participants(links: list[dict[str, Any]], known: set[str]) -> _Section:
    sec = _Section("New participants", note="Actors in this period not seen before in the "
                   "track (nor in the previous digest).")
    first: dict[str, dict[str, Any]] = {}
    for r in sorted(links, key=lambda r: (r["date"] or "", r["doc_id"], r["evidence_start"])):
        if r["kind"] == "document" or r["score"] < 0.8:
            continue
        for a in _actors(r):
            if a not in known and a not in first:
                first[a] = r
    for a, r in list(first.items())[: _LIMIT * 2]:
        sec.lines.append(_Line(f"{a} (first {r['date'] or 'undated'}, {r['kind']})", _ev(r)))
    return sec
