"""Plain-text rendering of a document with its annotations marked inline (``dragoman show``).

Each annotated stretch is written as ``[text]{label}``; where annotations overlap, the
outer one wins inline and every annotation is still listed below the text with offsets.
"""

from __future__ import annotations

from typing import Any

__all__ = ["annotations_of", "render_document_text"]


def _span(d: dict[str, Any] | None) -> tuple[int, int] | None:
    if not d or d.get("start") is None or d.get("end") is None:
        return None
    return int(d["start"]), int(d["end"])


def annotations_of(data: dict[str, Any]) -> list[tuple[int, int, str]]:
    """(start, end, label) for every annotation of a ``get_document`` result."""
    out: list[tuple[int, int, str]] = []
    for e in data.get("events") or []:
        s = _span(e.get("trigger"))
        if s:
            out.append((*s, f"EVENT {e.get('event_type')}"))
        for role in ("actor", "recipient"):
            for a in e.get(role) or []:
                s = _span(a)
                if s:
                    tag = "/".join(x for x in (a.get("country"), a.get("sector")) if x)
                    out.append((*s, f"{role.upper()} {a.get('name') or ''} {tag}".strip()))
    for q in data.get("quotes") or []:
        s = _span(q.get("content"))
        if s:
            sp = q.get("speaker") or {}
            out.append((*s, f"QUOTE({q.get('kind')}) by {sp.get('name') or sp.get('text')}"))
        s = _span(q.get("cue"))
        if s:
            out.append((*s, "CUE"))
    for p in data.get("places") or []:
        s = _span(p)
        if s:
            out.append((*s, f"PLACE {p.get('name')} {p.get('geonameid')} {p.get('role')}"))
    for d in data.get("dates") or []:
        s = _span(d)
        if s:
            out.append((*s, f"DATE {d.get('value')}"))
    for a in data.get("actors") or []:
        s = _span(a)
        if s:
            tag = "/".join(x for x in (a.get("country"), a.get("sector")) if x)
            out.append((*s, f"ACTOR {a.get('name') or ''} {tag}".strip()))
    for f in data.get("frames") or []:
        s = _span(f)
        if s:
            out.append((*s, f"FRAME {f.get('kind')}:{f.get('category')}"))
    return sorted(set(out), key=lambda t: (t[0], -t[1], t[2]))


def render_document_text(data: dict[str, Any]) -> str:
    doc = data["document"]
    text: str = doc["text"]
    anns = annotations_of(data)
    # inline: outermost non-overlapping annotations, first label wins
    pieces: list[str] = []
    pos = 0
    for start, end, label in anns:
        if start < pos or end > len(text):
            continue
        pieces.append(text[pos:start])
        pieces.append(f"[{text[start:end]}]{{{label}}}")
        pos = end
    pieces.append(text[pos:])
    head = [f"# {doc.get('doc_id')}  {doc.get('title') or ''}".rstrip(),
            f"published: {doc.get('published')}  source: {doc.get('source')}  url: {doc.get('url')}"]
    if doc.get("duplicate_of"):
        head.append(f"duplicate of: {doc['duplicate_of']}")
    lines = head + ["", "".join(pieces), "", "## annotations"]
    lines += [f"{s:>6}-{e:<6} {label}: {text[s:e]!r}" for s, e, label in anns]
    return "\n".join(lines)
