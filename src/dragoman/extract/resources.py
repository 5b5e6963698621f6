"""Data every extractor needs, loaded and validated once per process.

Each module owns its loader (``load_kb``, ``load_lexicon``, …); this only gathers them so
a worker process or a Ray actor builds them once and reuses them for every document.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ..config import Config

__all__ = ["Resources", "default_resources"]


@dataclass(frozen=True)
class Resources:
    kb: Any  # dragoman.extract.actors.KnowledgeBase
    lexicon: Any  # dragoman.extract.events.Lexicon
    gazetteer: Any  # dragoman.extract.places.Gazetteer
    cues: Any  # dragoman.extract.quotes.CueLexicon
    framing: Any  # dragoman.extract.framing.FramingLexicon

    @classmethod
    def load(cls, config: Config) -> Resources:
        from . import actors, events, framing, places, quotes

        return cls(
            kb=actors.load_kb(config.actors),
            lexicon=events.load_lexicon(config.lexicon),
            gazetteer=places.load_gazetteer(),
            cues=quotes.load_cues(config.cues),
            framing=framing.load_framing(config.framing),
        )


@functools.lru_cache(maxsize=1)
def default_resources() -> Resources:
    """The packaged data with the default settings, loaded once per process."""
    return Resources.load(Config())
