"""What the store's writer and its readers both need: the directory layout and manifests.

``StoreLayout`` knows where things are in a store directory and lists the committed
segments from their manifests; it neither reads Parquet nor writes. ``segments`` (the
writer, the ``Store`` object) and ``duck`` (the DuckDB readers) both build on it, so the
import direction is one way: ``segments → duck → manifest``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["FORMAT", "MANIFEST", "STORE_JSON", "SegmentInfo", "StoreLayout", "sha256_file"]

log = logging.getLogger(__name__)

FORMAT = "dragoman-store"
MANIFEST = "manifest.json"
STORE_JSON = "store.json"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class SegmentInfo:
    """A committed segment as its manifest describes it."""

    id: str
    path: Path
    manifest: dict[str, Any]

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        return self.manifest.get("files", {})

    @property
    def replaces(self) -> tuple[str, ...]:
        return tuple(self.manifest.get("replaces", ()))

    def rows(self, table: str) -> int:
        return int(self.files.get(table, {}).get("rows", 0))


class StoreLayout:
    """A store directory's layout and its committed segments (read-only, no locking)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def segments_dir(self) -> Path:
        return self.root / "segments"

    @property
    def tmp_dir(self) -> Path:
        return self.root / "tmp"

    @property
    def lock_path(self) -> Path:
        return self.root / "lock"

    def segment_names(self) -> tuple[str, ...]:
        """The committed segment folder names, sorted (oldest first)."""
        try:
            names = os.listdir(self.segments_dir)
        except FileNotFoundError:
            return ()
        return tuple(sorted(n for n in names if not n.startswith(".")))

    def segments(self, include_replaced: bool = False) -> list[SegmentInfo]:
        """The committed, visible segments (unreadable manifests are logged and skipped).

        A segment whose manifest says ``pending: P`` is part of a swap (``dragoman recode``)
        and stays hidden until the swap's last segment, whose manifest says ``commits: P``,
        is committed: then all of them become visible at once, and the segments the last
        one ``replaces`` disappear at the same moment. ``include_replaced`` lists
        uncommitted swap parts too."""
        for _ in range(3):
            out = self._list_segments()
            names = {s.id for s in out}
            # the swap's parts were renamed before its last segment: if this listing caught
            # the last one but missed a part still on disk, list again
            if not any(p not in names and (self.segments_dir / p).is_dir()
                       for s in out for p in s.manifest.get("parts", ())):
                break
        if include_replaced:
            return out
        commits = {s.manifest.get("commits") for s in out}
        out = [s for s in out if s.manifest.get("pending") in (None, *commits)]
        replaced = {r for s in out for r in s.replaces}
        return [s for s in out if s.id not in replaced]

    def _list_segments(self) -> list[SegmentInfo]:
        out: list[SegmentInfo] = []
        for name in self.segment_names():
            path = self.segments_dir / name
            try:
                manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
            except FileNotFoundError:
                log.warning("segment %s has no %s: skipped (run `dragoman check`)", path, MANIFEST)
                continue
            except (OSError, ValueError) as e:
                log.warning("segment %s: unreadable %s (%s): skipped", path, MANIFEST, e)
                continue
            out.append(SegmentInfo(name, path, manifest))
        return out
