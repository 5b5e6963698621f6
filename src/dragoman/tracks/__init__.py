"""Following a process: track definitions, tagging a store, stances and digests.

``load_tracks`` reads a tracks file (docs/tracks.md); ``track_store`` links a store's
records to the tracks and writes the ``links`` and ``stances`` tables under
``<store>/tracks/``; ``make_digest`` writes a track's report in Markdown and HTML.
"""

from __future__ import annotations

from .definitions import Participant, Proposal, Term, Track, TrackSet, load_tracks
from .stances import load_stance_lexicon
from .table import read_table
from .tagging import TrackRun, track_store

__all__ = [
    "Participant",
    "Proposal",
    "Term",
    "Track",
    "TrackRun",
    "TrackSet",
    "load_stance_lexicon",
    "load_tracks",
    "read_table",
    "track_store",
]
