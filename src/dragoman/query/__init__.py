"""The typed query API (``api``) and exports (``export``) over a store."""

from __future__ import annotations

from .api import (
    MAX_LIMIT,
    ORDER_FIELDS,
    PLOVER_TYPES,
    EventQuery,
    count_events,
    get_document,
    get_event,
    iter_table,
    locations,
    network,
    query_events,
    query_page,
    query_quotes,
    summary,
    timeline,
)

__all__ = [
    "MAX_LIMIT",
    "ORDER_FIELDS",
    "PLOVER_TYPES",
    "EventQuery",
    "count_events",
    "get_document",
    "get_event",
    "iter_table",
    "locations",
    "network",
    "query_events",
    "query_page",
    "query_quotes",
    "summary",
    "timeline",
]
