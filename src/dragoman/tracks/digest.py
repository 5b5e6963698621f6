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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ..errors import QueryError
from .table import LINKS_SCHEMA, STANCES_SCHEMA, current_version, read_meta, tracks_dir

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

    The tables are read through DuckDB, the track's rows only: counts and first rows are
    computed there, and only the rows a section shows come back to Python.
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
    with _Tables(root, track, since) as db:
        dates = db.rows(f"SELECT max(date) AS d FROM {db.links} WHERE {db.period} "
                        "AND date IS NOT NULL")
        until = dates[0]["d"] if dates else None
        happened = _what_happened(db)
        met = _who_met(db)
        quotes = _key_quotes(db, list(info.get("participants", [])))
        columns, table, state, latest = _stance_table(db, info)
        changes = _changes(db, state, latest, prev)
        seen = set(prev.get("participants", [])) if prev else set()
        new_people = _new_participants(db, db.actors("NOT") | seen)
        everyone = sorted(db.actors(None))
    digest = Digest(
        track=track, title=info.get("title") or track, description=info.get("description", ""),
        since=since, until=until, created=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        sections=[happened, met, quotes, changes, new_people], columns=columns, table=table,
        state={"stances": state, "participants": everyone},
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


def _sql_path(path: Path) -> str:
    return "read_parquet('" + str(path).replace("'", "''") + "', file_row_number = true)"


class _Tables:
    """The current track tables in a private DuckDB connection, with the SQL of one
    track's rows (``links``, ``stances``) and of the period (``period``, ``params``)."""

    def __init__(self, root: Path, track: str, since: str | None) -> None:
        cur = current_version(root)
        self.con = duckdb.connect()
        self.con.execute("SET threads TO 2")
        self.track, self.since = track, since
        empty = {"links": LINKS_SCHEMA, "stances": STANCES_SCHEMA}
        for name, schema in empty.items():
            path = cur / f"{name}.parquet" if cur is not None else None
            if path is not None and path.exists():
                src = _sql_path(path)
            else:
                self.con.register(f"_empty_{name}", schema.empty_table())
                src = f"(SELECT *, NULL::BIGINT AS file_row_number FROM _empty_{name})"
            lit = "'" + track.replace("'", "''") + "'"
            self.con.execute(f"CREATE TEMP VIEW t_{name} AS SELECT * FROM {src} "
                             f"WHERE track = {lit}")
        self.links, self.stances = "t_links", "t_stances"
        self.period = ("($since::VARCHAR IS NULL OR coalesce(date, '') >= $since)")

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        named = {"since": self.since, **(params or {})}
        used = {k: v for k, v in named.items() if f"${k}" in sql}
        cur = self.con.execute(sql, used)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def actors(self, period: str | None) -> set[str]:
        """The actors and recipients of the track's record links: in the period
        (``period`` ''), before it ("NOT") or at any time (None)."""
        if period == "NOT" and self.since is None:
            return set()
        cond = "TRUE" if period is None else f"{period} {self.period}"
        rows = self.rows(
            f"SELECT DISTINCT trim(a) AS a FROM (SELECT unnest(string_split(coalesce(actor, "
            f"'') || ';' || coalesce(recipient, ''), ';')) AS a FROM {self.links} "
            f"WHERE kind <> 'document' AND {cond}) WHERE trim(a) <> ''")
        return {r["a"] for r in rows}

    def __enter__(self) -> _Tables:  # noqa: PYI034
        return self

    def __exit__(self, *exc: object) -> None:
        self.con.close()


def _day_after(date: str | None) -> str | None:
    if not date or len(date) < 10:
        return date
    import datetime as dt

    return (dt.date.fromisoformat(date[:10]) + dt.timedelta(days=1)).isoformat()


def _actors(r: dict[str, Any]) -> list[str]:
    return [a.strip() for f in ("actor", "recipient") if r.get(f)
            for a in r[f].split(";") if a.strip()]


#: a record's main link (the proposal-less one), best score first, then by date
_MAIN_ORDER = "score DESC, coalesce(date, ''), doc_id, evidence_start"


def _what_happened(db: _Tables) -> _Section:
    sec = _Section("What happened")
    for kind in ("event", "incident"):
        where = f"WHERE {db.period} AND kind = '{kind}' AND proposal IS NULL"
        by_type = db.rows(f"SELECT event_type AS t, count(*) AS n FROM {db.links} {where} "
                          "GROUP BY 1 ORDER BY n DESC, t")
        if not by_type:
            continue
        sec.lines.append(_Line(f"{kind}s by type: " + ", ".join(
            f"{r['t']} {r['n']}" for r in by_type)))
        rows = db.rows(f"SELECT * FROM {db.links} {where} ORDER BY {_MAIN_ORDER} "
                       f"LIMIT {_LIMIT}")
        for r in sorted(rows, key=lambda r: (r["date"] or "", r["doc_id"])):
            who = r["actor"] or "?"
            to = f" → {r['recipient']}" if r["recipient"] else ""
            where_ = f" in {r['place']}" if r["place"] else ""
            sec.lines.append(_Line(f"{r['date'] or 'undated'} {r['event_type']}: {who}{to}"
                                   f"{where_}", _ev(r)))
    n = db.rows(f"SELECT count(*) AS n FROM {db.links} WHERE {db.period} "
                "AND kind = 'document' AND proposal IS NULL")[0]["n"]
    sec.note = f"{n} document(s) about the track in this period."
    return sec


def _who_met(db: _Tables) -> _Section:
    sec = _Section("Who met whom")
    meetings = ", ".join(f"'{t}'" for t in _MEETINGS)
    rows = db.rows(
        f"""WITH m AS (SELECT * FROM {db.links} WHERE {db.period} AND kind = 'event'
                       AND proposal IS NULL AND event_type IN ({meetings})
                       AND coalesce(actor, '') <> '' AND coalesce(recipient, '') <> ''),
            a AS (SELECT *, unnest(string_split(actor, '; ')) AS x FROM m),
            p AS (SELECT *, unnest(string_split(recipient, '; ')) AS y FROM a)
        SELECT least(x, y) AS a, greatest(x, y) AS b, count(*) AS n,
               arg_min(struct_pack(doc_id, evidence_start, evidence_end, evidence, date,
                                   event_type), (coalesce(date, ''), doc_id)) AS first
        FROM p GROUP BY 1, 2 ORDER BY n DESC, a, b LIMIT {_LIMIT}""")
    for r in rows:
        first = r["first"]
        sec.lines.append(_Line(f"{r['a']} and {r['b']}: {r['n']} time(s), first "
                               f"{first['date'] or 'undated'} ({first['event_type']})",
                               _ev(first)))
    return sec


def _key_quotes(db: _Tables, principals: list[str]) -> _Section:
    sec = _Section("Key quotes", note="Quotes naming the track, principals' first.")
    order = f"np, {_MAIN_ORDER}"
    rows = db.rows(
        f"""SELECT * FROM (
              SELECT *, row_number() OVER (PARTITION BY doc_id, evidence_start
                                           ORDER BY {order}) AS k
              FROM (SELECT *, NOT coalesce(list_contains($p::VARCHAR[], actor), false) AS np
                    FROM {db.links} WHERE {db.period} AND kind = 'quote'
                    AND proposal IS NULL AND score >= 0.8))
            WHERE k = 1 ORDER BY {order} LIMIT {_LIMIT}""", {"p": principals})
    for r in rows:
        sec.lines.append(_Line(f"{r['date'] or 'undated'} {r['actor'] or 'unknown speaker'}",
                               _ev(r)))
    return sec


def _stance_table(
    db: _Tables, info: dict[str, Any]
) -> tuple[list[str], list[tuple[str, list[tuple[str, bool, Evidence] | None]]],
           dict[str, str], dict[tuple[str, str | None], dict[str, Any]]]:
    """Columns (the track, then its proposals), rows per actor with each cell's latest
    stance in the period, the state {actor|proposal: stance} saved for the next one, and
    the latest statement per (actor, proposal)."""
    props = [p for p, _ in info.get("proposals", [])]
    titles = {p: t for p, t in info.get("proposals", [])}
    # the latest statement per (actor, proposal) picked by row number, then read whole
    rows = db.rows(
        f"""WITH k AS (SELECT actor, proposal, count(*) AS n,
                          arg_max(file_row_number, (coalesce(date, ''), doc_id,
                                                    evidence_start, -score)) AS r
                   FROM {db.stances} WHERE {db.period} GROUP BY actor, proposal),
            a AS (SELECT actor, sum(n) AS n_actor FROM k GROUP BY actor)
        SELECT s.*, a.n_actor FROM {db.stances} s JOIN k ON s.file_row_number = k.r
        JOIN a ON a.actor = s.actor ORDER BY a.n_actor DESC, s.actor""")
    latest = {(r["actor"], r["proposal"]): r for r in rows}
    used = {r["proposal"] for r in rows}
    keys = [None, *[p for p in props if p in used]]
    columns = ["(whole track)", *[titles.get(p, p) for p in keys[1:] if p]]
    actors = list(dict.fromkeys(r["actor"] for r in rows))
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
    return columns, table, state, latest


def _changes(db: _Tables, state: dict[str, str],
             latest: dict[tuple[str, str | None], dict[str, Any]],
             prev: dict[str, Any] | None) -> _Section:
    sec = _Section("Stance changes")
    if prev is None:
        sec.note = "First digest of this track: changes within the period."
    else:
        sec.note = f"Since the previous digest (made {prev.get('created')})."
    rows = {(a, p or ""): r for (a, p), r in latest.items()}
    done: set[tuple[str, str]] = set()
    old = (prev or {}).get("stances", {})
    for key, stance in sorted(state.items()):
        a, p = key.split("|", 1)
        before = old.get(key)
        if before is not None and before != stance:
            r = rows[(a, p)]
            sec.lines.append(_Line(f"{a} on {p or 'the track'}: {before} → {stance}", _ev(r)))
            done.add((a, p))
    # the first change of each actor on each proposal (one line each)
    order = "coalesce(proposal, ''), actor, coalesce(date, ''), doc_id, evidence_start"
    changed = db.rows(f"SELECT * FROM {db.stances} WHERE {db.period} AND changed QUALIFY "
                      f"row_number() OVER (PARTITION BY actor, proposal ORDER BY {order}) = 1 "
                      f"ORDER BY {order}")
    for r in changed:
        k = (r["actor"], r["proposal"] or "")
        if k not in done:
            done.add(k)
            sec.lines.append(_Line(f"{r['actor']} on {r['proposal'] or 'the track'}: "
                                   f"{r['previous']} → {r['stance']} ({r['date'] or 'undated'})",
                                   _ev(r)))
    return sec


def _new_participants(db: _Tables, known: set[str]) -> _Section:
    sec = _Section("New participants", note="Actors in this period not seen before in the "
                   "track (nor in the previous digest).")
    rows = db.rows(
        f"""WITH l AS (SELECT file_row_number, date, doc_id, evidence_start,
                              string_split(coalesce(actor, '') || ';'
                                           || coalesce(recipient, ''), ';') AS names
                       FROM {db.links} WHERE {db.period} AND kind <> 'document'
                       AND score >= 0.8),
            u AS (SELECT *, trim(unnest(names)) AS a, unnest(range(len(names))) AS i FROM l),
            f AS (SELECT a, arg_min(file_row_number, (coalesce(date, ''), doc_id,
                                                      evidence_start, i)) AS n,
                         min((coalesce(date, ''), doc_id, evidence_start, i)) AS key
                  FROM u WHERE a <> '' GROUP BY a)
        SELECT f.a, struct_pack(doc_id := l.doc_id, evidence_start := l.evidence_start,
                                evidence_end := l.evidence_end, evidence := l.evidence,
                                date := l.date, kind := l.kind) AS r
        FROM f JOIN {db.links} l ON l.file_row_number = f.n ORDER BY f.key""")
    first = [(x["a"], x["r"]) for x in rows if x["a"] not in known]
    for a, r in first[: _LIMIT * 2]:
        sec.lines.append(_Line(f"{a} (first {r['date'] or 'undated'}, {r['kind']})", _ev(r)))
    return sec
