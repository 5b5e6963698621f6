"""Data every extractor needs, loaded and validated once per process.

Each extractor package owns its data model and loader (``actors.kb.load_kb``,
``events.lexicon.load_lexicon``, ``places.gazetteer.load_gazetteer``, ``quotes.cues.load_cues``,
``framing.lexicon.load_framing``, ``events.model.load_event_model``, and the newer
vocabularies: ``ingest.boilerplate.load_boilerplate_lexicon``, ``places.words.load_spot_words``
and ``load_not_places``, ``casing.load_casing``); this only gathers them,
so a worker process or a Ray actor builds them once and reuses them for every document.
The data-model modules import nothing that works on a parsed document, so the import
direction stays one way: extractors → ``context`` → ``resources`` → data models.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from ..config import Config
from ..ingest.boilerplate import BoilerplateLexicon, load_boilerplate_lexicon
from .actors.kb import KnowledgeBase, load_kb
from .casing import CasingTable, load_casing
from .events.lexicon import Lexicon, load_lexicon
from .events.model import EventModel, default_model_path, load_event_model
from .framing.lexicon import FramingLexicon, load_framing
from .places.gazetteer import Gazetteer, load_gazetteer
from .places.words import NotPlaces, SpotWords, load_not_places, load_spot_words
from .quotes.cues import CueLexicon, load_cues

__all__ = ["Resources", "default_resources", "event_model_for"]

log = logging.getLogger(__name__)


def event_model_for(setting: str) -> EventModel | None:
    """The event model a setting names: ``rules`` → none (the rule coder alone),
    ``default`` → the packaged model (none when the package ships none), else a folder."""
    if setting == "rules":
        return None
    if setting in ("", "default"):
        if not (default_model_path() / "model.json").is_file():
            log.warning("no event model in the package: events are coded by the rules alone")
            return None
        return load_event_model(None)
    return load_event_model(setting)


@dataclass(frozen=True)
class Resources:
    kb: KnowledgeBase
    lexicon: Lexicon
    gazetteer: Gazetteer
    cues: CueLexicon
    framing: FramingLexicon
    event_model: EventModel | None = None
    # the newer vocabularies (None: the packaged ones, as their modules load them)
    boilerplate: BoilerplateLexicon | None = None
    spotting: SpotWords | None = None
    not_places: NotPlaces | None = None
    casing: CasingTable | None = None

    @classmethod
    def load(cls, config: Config) -> Resources:
        """Everything loaded and validated once; the user's extra files (settings
        ``boilerplate``, ``spotting``, ``not_places``, ``casing`` when the configuration
        declares them) extend the packaged vocabularies."""
        def extra(name: str) -> tuple[str, ...]:
            return tuple(str(p) for p in (getattr(config, name, None) or ()))

        lexicon = load_lexicon(config.lexicon)
        event_model = event_model_for(config.event_model)
        if event_model is not None and event_model.meta.get("word_clusters") not in (
                None, lexicon.clusters.digest):
            log.warning("the event model %s was trained with other word classes than "
                        "data/lexicon/word_clusters.tsv has now: its type decisions will be "
                        "worse until it is retrained (make model)", event_model.version)
        return cls(
            kb=load_kb(config.actors),
            lexicon=lexicon,
            gazetteer=load_gazetteer(),
            cues=load_cues(config.cues),
            framing=load_framing(config.framing),
            event_model=event_model,
            boilerplate=load_boilerplate_lexicon(extra("boilerplate")),
            spotting=load_spot_words(extra("spotting")),
            not_places=load_not_places(extra=extra("not_places")),
            casing=load_casing(extra("casing")),
        )


@functools.lru_cache(maxsize=1)
def default_resources() -> Resources:
    """The packaged data with the default settings, loaded once per process."""
    return Resources.load(Config())
