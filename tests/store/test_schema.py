"""Schemas derived from the record dataclasses."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pyarrow as pa
import pytest

import dragoman.store as store_pkg
from dragoman.store.schema import RECORDS, TABLES, arrow_schema, arrow_type, table_schema
from dragoman.types import Event


@dataclass(frozen=True)
class _Inner:
    a: int
    b: str | None = None


@dataclass(frozen=True)
class _Outer:
    x: float
    flags: tuple[bool, ...]
    inner: _Inner | None
    inners: tuple[_Inner, ...] = ()


def test_generator_maps_annotations() -> None:
    s = arrow_schema(_Outer)
    assert s.field("x").type == pa.float64() and not s.field("x").nullable
    assert s.field("flags").type.value_type == pa.bool_()
    inner = s.field("inner")
    assert inner.nullable and pa.types.is_struct(inner.type)
    assert inner.type.field("a").type == pa.int64() and inner.type.field("b").nullable
    assert pa.types.is_struct(s.field("inners").type.value_type)
    with pytest.raises(TypeError):
        arrow_type(dict[str, int])
    with pytest.raises(TypeError):
        arrow_type(int | str)


def test_every_record_field_is_a_column() -> None:
    assert TABLES == (*RECORDS, "runs")
    for table, cls in RECORDS.items():
        assert table_schema(table).names == [f.name for f in dataclasses.fields(cls)]
    ev = table_schema("events")
    assert [f.name for f in ev.field("trigger").type] == ["start", "end", "text"]
    assert ev.field("context").type == pa.list_(pa.field("item", pa.string(), nullable=False))
    assert ev.field("date").nullable and not ev.field("id").nullable
    assert ev.names == [f.name for f in dataclasses.fields(Event)]
    assert table_schema("runs").names[:8] == [
        "run_id", "started", "ended", "dragoman_version", "model", "model_version", "config",
        "summary"]


def test_exports() -> None:
    assert set(store_pkg.__all__) >= {"Store", "StoreWriter", "KnownDocuments", "compact",
                                      "check_store", "Problem"}
    for name in store_pkg.__all__:
        assert hasattr(store_pkg, name)
