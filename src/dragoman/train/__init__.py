"""Training the trained parts of the pipeline (``dragoman train``).

``train_files`` trains a whole event model folder: the type and role classifiers
(``events``) and, when the gold has whole articles with happening marks, the happening
model (``happenings``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path

from ..config import Config
from ..extract.events.model import EventModel, load_event_model
from .events import _pipeline, fit, prepare, read_golds
from .happenings import with_happenings

__all__ = ["train_files"]

log = logging.getLogger(__name__)


def train_files(paths: Sequence[Path], config: Config, out: Path, seed: int = 13,
                version: str | None = None, corpus: Path | None = None,
                split: str | None = "tune", classifiers_from: Path | None = None
                ) -> EventModel:
    """Train the event model on gold files and write it to ``out``; with
    ``classifiers_from`` (a model folder), keep that model's type and role classifiers and
    fit only the happening model."""
    docs = read_golds(paths, corpus, split)
    preps = list(prepare(_pipeline(config), docs))
    meta = {"version": version or dt.date.today().strftime("%Y%m%d"),
            "gold": [p.name for p in paths], "documents": len(preps),
            "split": split}
    if classifiers_from is not None:
        kept = load_event_model(classifiers_from)
        model = dataclasses.replace(
            kept, version=str(meta["version"]),
            meta={**kept.meta, "version": meta["version"],
                  "classifiers_from": kept.version, "happening_gold": meta["gold"]})
    else:
        model = fit(preps, seed, meta=meta)
    model = with_happenings(model, preps, seed)  # from the article gold's happening marks
    model.save(out)
    log.info("event model written to %s", out)
    return model
