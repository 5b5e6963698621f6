"""Framing markers: hedges on claims and loaded labels applied to actors.

- ``lexicon`` — the hedges and labels (data model; ``data/framing/framing.yaml``);
- ``markers`` — finding them in a parsed document (``extract(ctx) -> list[Frame]``).
"""

from __future__ import annotations

from .lexicon import FramingLexicon, Marker, load_framing, read_framing_file
from .markers import extract

__all__ = ["FramingLexicon", "Marker", "extract", "load_framing", "read_framing_file"]
