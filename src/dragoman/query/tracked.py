"""The track filter of the query API: the records ``dragoman track`` linked to a track.

``EventQuery``, ``QuoteQuery`` and ``IncidentQuery`` have a ``track`` field; their WHERE
builders call ``track_clause`` for it, which reads the current track tables
(``<store>/tracks/CURRENT``; ``docs/tracks.md``). A record is tagged with a track when
``links`` has a row with that track, its kind and its id. Nothing here imports the rest
of the query API, so ``api``, ``incidents``, ``export`` and ``tracks`` can all use it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import QueryError
from ..store.segments import Store
from ..tracks.table import current_version, read_meta

__all__ = ["NO_TRACKS", "TRACK_RE", "check_track", "links_of", "table_sql", "track_clause",
           "track_names"]

#: the pattern of a track name (``tracks.definitions``: a lower-case id)
TRACK_RE = r"^[a-z0-9_-]{1,64}$"

#: what to say when a store has no track tables
NO_TRACKS = ("this store has no track tables yet: run `dragoman track --store {root}` "
             "(with `--tracks FILE` for your own tracks file; docs/tracks.md)")


def check_track(track: Any) -> None:
    """Raise QueryError unless ``track`` is None or a well-formed track name."""
    if track is not None and (not isinstance(track, str) or not re.match(TRACK_RE, track)):
        raise QueryError(f"track={track!r} must be a track name (lower-case letters, digits, "
                         "'-' and '_')")


def table_sql(store: Store, name: str) -> str | None:
    """SQL ``read_parquet('…')`` of a current track table, or None when there is none."""
    cur = current_version(store.root)
    path = cur / f"{name}.parquet" if cur is not None else None
    if path is None or not path.exists():
        return None
    return "read_parquet('" + str(path).replace("'", "''") + "')"


def track_names(store: Store) -> list[str]:
    """The names of the tracks in the store's track tables ([] without tables)."""
    return [t["name"] for t in (read_meta(store.root) or {}).get("tracks", [])]


def links_of(store: Store, track: str) -> str:
    """The SQL source of the links table after checking that ``track`` is the store's."""
    src = table_sql(store, "links")
    if src is None:
        raise QueryError(NO_TRACKS.format(root=Path(store.root)))
    names = track_names(store)
    if track not in names:
        raise QueryError(f"track: no track {track!r} in this store's track tables; the "
                         f"tracks are {', '.join(names) or 'none'}")
    return src


def track_clause(store: Store | None, track: str, kind: str,
                 col: str) -> tuple[str, list[Any]]:
    """SQL (and its parameters): the record id ``col`` is linked to ``track`` as ``kind``
    (event, quote or incident). QueryError when the store has no such track."""
    if store is None:
        raise QueryError("the track filter needs the store (its track tables)")
    src = links_of(store, track)
    return (f"{col} IN (SELECT record_id FROM {src} WHERE track = ? AND kind = ?)",
            [track, kind])
