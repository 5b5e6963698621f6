"""Training the trained parts of the pipeline (``dragoman train``).

``train_files`` trains a whole event model folder: the type and role classifiers
(``events``) and, when the gold has whole articles with happening marks, the happening
model (``happenings``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path

from ..config import Config
from ..extract.events.model import EventModel
from .events import _pipeline, fit, prepare, read_golds
from .happenings import with_happenings

__all__ = ["train_files"]

log = logging.getLogger(__name__)


def train_files(paths: Sequence[Path], config: Config, out: Path, seed: int = 13,
                version: str | None = None, corpus: Path | None = None,
                split: str | None = "tune") -> EventModel:
    """Train the event model on gold files and write it to ``out``."""
    docs = read_golds(paths, corpus, split)
    preps = list(prepare(_pipeline(config), docs))
    meta = {"version": version or dt.date.today().strftime("%Y%m%d"),
            "gold": [p.name for p in paths], "documents": len(preps),
            "split": split}
    model = fit(preps, seed, meta=meta)
    model = with_happenings(model, preps, seed)  # from the article gold's happening marks
    model.save(out)
    log.info("event model written to %s", out)
    return model
