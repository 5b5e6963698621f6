"""The store: a directory of Parquet tables written in atomic segments, read with DuckDB.

See ``docs/store.md`` for the layout and the schema of every table.
"""

from __future__ import annotations

from .check import Problem, check_store
from .schema import SCHEMA_VERSION, TABLES, table_schema
from .segments import KnownDocuments, Store, StoreWriter, compact

__all__ = [
    "SCHEMA_VERSION",
    "TABLES",
    "KnownDocuments",
    "Problem",
    "Store",
    "StoreWriter",
    "check_store",
    "compact",
    "table_schema",
]
