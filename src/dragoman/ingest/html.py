"""Main text and metadata of an HTML page, with trafilatura (boilerplate removed).

The text is what trafilatura extracts (paragraphs joined by newlines), except that a line equal
to the page title among the first three is dropped with the short lines above it
(trafilatura keeps the ``<h1>`` and a kicker such as "Middle East"), so that a dispatch's
dateline opens the text. Title, date (``YYYY-MM-DD``), canonical URL and site name
come from the page's metadata (``<title>``/``og:title``, ``article:published_time`` and other
date markup, ``<link rel=canonical>``/``og:url``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

__all__ = ["HtmlPage", "extract_html"]

log = logging.getLogger(__name__)

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class HtmlPage:
    """What ``extract_html`` found; ``text`` is empty when the page has no main text."""

    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    sitename: str | None = None
    author: str | None = None


def _clean(value: object) -> str | None:
    if value is None:
        return None
    out = _SPACES.sub(" ", str(value)).strip()
    return out or None


def _drop_title(text: str, title: str) -> str:
    """Drop the title line (and a short kicker line above it) from the top of the text."""
    lines = text.split("\n")
    for i, line in enumerate(lines[:3]):
        if _SPACES.sub(" ", line).strip() == title:
            if all(len(x) <= 60 for x in lines[:i]) and "\n".join(lines[i + 1:]).strip():
                return "\n".join(lines[i + 1:])
            break
    return text


def extract_html(content: bytes | str, url: str | None = None) -> HtmlPage:
    """Extract a page's main text and metadata. Raises whatever trafilatura raises on
    pages it cannot parse; ``read_inputs`` reports those as read issues."""
    import trafilatura  # imported here: loading it costs ~0.3 s, only HTML inputs need it

    doc = trafilatura.bare_extraction(
        content,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=False,
    )
    if doc is None:
        return HtmlPage(text="")
    if isinstance(doc, dict):  # older trafilatura
        get = doc.get
    else:
        def get(key: str, default: object = None) -> object:
            return getattr(doc, key, default)
    text = str(get("text") or "")
    title = _clean(get("title"))
    if title and text:
        text = _drop_title(text, title)
    date = _clean(get("date"))
    if date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        log.debug("ignoring non-ISO page date %r", date)
        date = None
    return HtmlPage(
        text=text,
        title=title,
        date=date,
        url=_clean(get("url")),
        sitename=_clean(get("sitename")),
        author=_clean(get("author")),
    )
