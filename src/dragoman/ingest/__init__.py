"""Ingest: read articles from files, folders and stdin; split datelines; detect duplicates.

Public API (the CLI and the engines use only these):

- ``read_inputs(inputs, options=ReadOptions(), on_error=None) -> Iterator[Article]``
- ``ReadOptions``, ``ReadIssue``, ``article_from_record`` (one mapping → Article, same rules)
- ``split_dateline(text) -> Dateline`` (and ``parse_dateline`` for the region and all bylines)
- ``content_hash(text) -> str``, ``article_id(text) -> str``
- ``NearDuplicateIndex`` (exact and near-duplicate lookup), ``DuplicateMatch``
- ``sample_paths() -> list[Path]``: the bundled sample inputs
"""

from .dateline import DatelineParts, parse_dateline, split_dateline
from .dedup import DuplicateMatch, NearDuplicateIndex, article_id, content_hash
from .readers import (
    ReadIssue,
    ReadOptions,
    article_from_record,
    normalize_published,
    read_inputs,
    sample_paths,
)

__all__ = [
    "DatelineParts",
    "DuplicateMatch",
    "NearDuplicateIndex",
    "ReadIssue",
    "ReadOptions",
    "article_from_record",
    "article_id",
    "content_hash",
    "normalize_published",
    "parse_dateline",
    "read_inputs",
    "sample_paths",
    "split_dateline",
]
