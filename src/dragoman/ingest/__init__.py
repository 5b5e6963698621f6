"""Ingest: read articles from files, folders and stdin; split datelines; detect duplicates."""

from .dateline import split_dateline
from .dedup import content_hash
from .readers import ReadOptions, read_inputs

__all__ = ["ReadOptions", "read_inputs", "split_dateline", "content_hash"]
