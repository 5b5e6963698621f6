"""Quotes: direct and indirect speech, with speaker, cue and content.

- ``cues`` — the cue lexicon (data model; ``data/quotes/speech_cues.yaml``);
- ``speech`` — finding quotes in a parsed document (``extract(ctx) -> list[Quote]``).
"""

from __future__ import annotations

from .cues import Cue, CueLexicon, load_cues, read_cue_file
from .speech import extract, find_quoted, quote_id, speaker_ref

__all__ = ["Cue", "CueLexicon", "extract", "find_quoted", "load_cues", "quote_id",
           "read_cue_file", "speaker_ref"]
