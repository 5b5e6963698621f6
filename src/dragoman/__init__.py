"""dragoman: news in, verifiable event data out."""

from __future__ import annotations

__version__ = "0.1.0"

from .config import Config, load_config
from .errors import DragomanError
from .pipeline import Pipeline
from .types import (
    ActorRef,
    Article,
    DateRef,
    Document,
    Event,
    Frame,
    Place,
    PlaceRef,
    Quote,
    Result,
    Span,
)

__all__ = [
    "ActorRef",
    "Article",
    "Config",
    "DateRef",
    "Document",
    "DragomanError",
    "Event",
    "Frame",
    "Pipeline",
    "Place",
    "PlaceRef",
    "Quote",
    "Result",
    "Span",
    "__version__",
    "load_config",
]
