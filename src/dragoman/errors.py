"""dragoman's exceptions: one tree, every message says what was wrong and what to do.

::

    DragomanError
    ├── ConfigError            a setting, option or data file is invalid
    │   └── DataFileError      a lexicon / knowledge-base / gazetteer file failed validation
    ├── InputError             an input cannot be read at all (missing path, no text column)
    │   └── RecordError        one record of an input is bad (file:line); the rest go on
    ├── ModelError             the spaCy pipeline cannot be loaded
    ├── StoreError             the store cannot be opened or written
    │   ├── StoreLockedError   another writer holds the store's lock
    │   ├── SchemaVersionError the store was written by an incompatible dragoman
    │   └── CorruptSegmentError a segment is unreadable or fails its checksum
    ├── QueryError             a query parameter is invalid (bad date, unknown field…)
    └── EngineError            an engine cannot run (e.g. Ray not installed)
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "CorruptSegmentError",
    "DataFileError",
    "DragomanError",
    "EngineError",
    "InputError",
    "ModelError",
    "QueryError",
    "RecordError",
    "SchemaVersionError",
    "StoreError",
    "StoreLockedError",
]


class DragomanError(Exception):
    """Base of every error dragoman raises on purpose."""


class ConfigError(DragomanError):
    """A setting, option or data file is invalid."""


class DataFileError(ConfigError):
    """A package or user data file (lexicon, knowledge base…) failed validation."""


class InputError(DragomanError):
    """An input cannot be read at all."""


class RecordError(InputError):
    """One record of an input is bad; it is reported and skipped, the rest go on."""

    def __init__(self, message: str, origin: str | None = None) -> None:
        super().__init__(f"{origin}: {message}" if origin else message)
        self.origin = origin


class ModelError(DragomanError):
    """The spaCy pipeline cannot be loaded."""


class StoreError(DragomanError):
    """The store cannot be opened or written."""


class StoreLockedError(StoreError):
    """Another writer holds the store's lock."""


class SchemaVersionError(StoreError):
    """The store's schema version is not one this dragoman can read."""


class CorruptSegmentError(StoreError):
    """A segment of the store is unreadable or fails its checksum."""


class QueryError(DragomanError):
    """A query parameter is invalid."""


class EngineError(DragomanError):
    """An engine cannot run."""
