"""Arrow schemas of the store's tables, derived from the record dataclasses in ``types.py``.

A field added to a record in ``types.py`` flows through to the store with no change here:
``arrow_type`` maps Python annotations to Arrow types —

=========================  ==========================================
annotation                 Arrow type
=========================  ==========================================
``str`` / ``Literal[str]``  ``string``
``int``                    ``int64``
``float``                  ``float64``
``bool``                   ``bool``
``X | None``               the type of ``X``, nullable
``tuple[X, ...]``          ``list<X>`` (never null: an empty list)
a dataclass                ``struct`` of its fields, recursively
=========================  ==========================================

Fields not ``Optional`` are declared non-nullable, so a record with a ``None`` where the
contract forbids one fails at write time instead of producing a silently different store.

``SCHEMA_VERSION`` is recorded in ``store.json``. Bump it only for changes an older reader
cannot read (a rename or a type change); adding a field does not need a bump, because
older segments are read with the new field as NULL (``union_by_name``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import types as pytypes
import typing
from typing import Any, Literal, Union

import pyarrow as pa

from ..types import (
    ActorMention,
    DateRef,
    Document,
    Event,
    Frame,
    Incident,
    Place,
    Quote,
    Result,
)

__all__ = [
    "LATER_TABLES",
    "RECORDS",
    "RECORD_TABLES",
    "RUNS_SCHEMA",
    "SCHEMA_VERSION",
    "TABLES",
    "arrow_schema",
    "arrow_type",
    "relaxed",
    "result_rows",
    "schema_fingerprint",
    "table_schema",
]

SCHEMA_VERSION = 1

#: table name → the record dataclass whose fields are its columns
RECORDS: dict[str, type] = {
    "documents": Document,
    "events": Event,
    "quotes": Quote,
    "places": Place,
    "dates": DateRef,
    "actors": ActorMention,
    "frames": Frame,
    "incidents": Incident,  # added after schema version 1: older segments have no file
}

#: tables added after the store's first version: a segment written before may lack them
LATER_TABLES: frozenset[str] = frozenset({"incidents"})

#: the tables filled from ``Result`` objects, in write order
RECORD_TABLES: tuple[str, ...] = tuple(RECORDS)

#: every table of the store
TABLES: tuple[str, ...] = (*RECORD_TABLES, "runs")

#: ``runs``: one row per run state written (``begin_run`` and ``finish_run``); the ``runs``
#: view keeps the latest row of each run. ``config`` and ``summary`` are JSON strings.
RUNS_SCHEMA = pa.schema(
    [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("started", pa.string()),
        pa.field("ended", pa.string()),
        pa.field("dragoman_version", pa.string()),
        pa.field("model", pa.string()),
        pa.field("model_version", pa.string()),
        pa.field("config", pa.string()),
        pa.field("summary", pa.string()),
        pa.field("status", pa.string()),  # running | finished
        pa.field("updated", pa.string()),  # when this row was written (ISO, UTC)
    ]
)

_SCALARS: dict[Any, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
}


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    """(inner type, nullable) for ``X | None`` / ``Optional[X]``; (tp, False) otherwise."""
    origin = typing.get_origin(tp)
    if origin in (Union, pytypes.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        nullable = len(args) < len(typing.get_args(tp))
        if len(args) != 1:
            raise TypeError(f"unions other than X | None are not storable: {tp!r}")
        return args[0], nullable
    return tp, False


def arrow_type(tp: Any) -> tuple[pa.DataType, bool]:
    """The Arrow type of a Python annotation and whether it is nullable."""
    inner, nullable = _unwrap_optional(tp)
    if inner in _SCALARS:
        return _SCALARS[inner], nullable
    origin = typing.get_origin(inner)
    if origin is Literal:
        kinds = {type(v) for v in typing.get_args(inner)}
        if len(kinds) != 1 or next(iter(kinds)) not in _SCALARS:
            raise TypeError(f"Literal of mixed or unsupported types: {inner!r}")
        return _SCALARS[next(iter(kinds))], nullable
    if origin is tuple:
        args = typing.get_args(inner)
        if len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(f"only tuple[X, ...] is storable, not {inner!r}")
        item, item_nullable = arrow_type(args[0])
        return pa.list_(pa.field("item", item, nullable=item_nullable)), nullable
    if dataclasses.is_dataclass(inner) and isinstance(inner, type):
        return pa.struct(list(arrow_schema(inner))), nullable
    raise TypeError(f"no Arrow type for annotation {inner!r}")


def arrow_schema(cls: type) -> pa.Schema:
    """One Arrow field per dataclass field, in declaration order."""
    hints = typing.get_type_hints(cls)
    fields = []
    for f in dataclasses.fields(cls):
        typ, nullable = arrow_type(hints[f.name])
        fields.append(pa.field(f.name, typ, nullable=nullable))
    return pa.schema(fields)


_SCHEMAS: dict[str, pa.Schema] = {name: arrow_schema(cls) for name, cls in RECORDS.items()}
_SCHEMAS["runs"] = RUNS_SCHEMA


def table_schema(table: str) -> pa.Schema:
    """The Arrow schema of one of ``TABLES``."""
    try:
        return _SCHEMAS[table]
    except KeyError:
        raise KeyError(f"unknown table {table!r}; the tables are {', '.join(TABLES)}") from None


def _relax_type(t: pa.DataType) -> pa.DataType:
    if pa.types.is_struct(t):
        return pa.struct([pa.field(f.name, _relax_type(f.type)) for f in t])
    if pa.types.is_list(t):
        return pa.list_(pa.field(t.value_field.name, _relax_type(t.value_type)))
    return t


def relaxed(schema: pa.Schema) -> pa.Schema:
    """The schema with every field, at every depth, nullable (for data read back by DuckDB,
    where a null struct has null children)."""
    return pa.schema([pa.field(f.name, _relax_type(f.type)) for f in schema])


def schema_fingerprint(table: str) -> str:
    """A short hash of a table's schema; equal fingerprints mean identical columns."""
    return hashlib.sha256(str(table_schema(table)).encode()).hexdigest()[:16]


def result_rows(result: Result) -> dict[str, list[dict[str, Any]]]:
    """The rows a result adds to each record table (plain data, contract field names)."""
    from ..types import to_dict

    return {
        "documents": [to_dict(result.document)],
        "events": [to_dict(e) for e in result.events],
        "quotes": [to_dict(q) for q in result.quotes],
        "places": [to_dict(p) for p in result.places],
        "dates": [to_dict(d) for d in result.dates],
        "actors": [to_dict(a) for a in result.actors],
        "frames": [to_dict(f) for f in result.frames],
        "incidents": [to_dict(i) for i in result.incidents],
    }
