"""Dates: temporal expressions found in a document and resolved against its publication date.

One module per job:

- ``vocab``: the data model — ``Vocab`` (``data/dates/dates.yaml``) and ``Cues``
  (``data/dates/cues.yaml``), loaded once by ``load_vocab`` / ``load_cues``;
- ``resolve``: the pure-Python resolver, text → TIMEX3 value (``resolve``), an ordered
  table of (regex, handler) rules; no spaCy;
- ``values``: ``Resolved`` and the calendar arithmetic behind it (``last_day``);
- ``extract``: candidates in a parsed document, their clause's tense, the anchor
  (``extract``);
- ``event``: the date of an event trigger and its basis (``event_date``), its precision
  (``date_precision``); background statements take no date from the article.
"""

from __future__ import annotations

from .event import date_precision, event_date
from .extract import extract
from .resolve import Resolved, last_day, load_vocab, resolve
from .vocab import Vocab

__all__ = ["Resolved", "Vocab", "date_precision", "event_date", "extract", "last_day", "load_vocab", "resolve"]
