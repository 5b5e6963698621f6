"""Offline world outlines for the map page, drawn from the ``countryinfo`` package's GeoJSON.

Nothing is downloaded: the outlines ship inside the ``countryinfo`` wheel (a dependency).
They are projected once per process with a plain equirectangular projection into an SVG
``viewBox="0 0 360 180"`` (x = lon + 180, y = 90 - lat), rounded and thinned so the whole
world is a few hundred kilobytes of path data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["CountryShape", "project", "world_geojson", "world_shapes"]

log = logging.getLogger(__name__)

#: Degrees below which consecutive points are merged (outline thinning).
_STEP = 0.15


@dataclass(frozen=True, slots=True)
class CountryShape:
    iso3: str
    name: str
    path: str  # SVG path data in the 360x180 equirectangular frame


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular projection into the 360×180 SVG frame."""
    return lon + 180.0, 90.0 - lat


def _ring_path(ring: list[list[float]]) -> str:
    out: list[tuple[float, float]] = []
    for point in ring:
        if len(point) < 2:
            continue
        x, y = project(float(point[0]), float(point[1]))
        if out and abs(out[-1][0] - x) < _STEP and abs(out[-1][1] - y) < _STEP:
            continue
        out.append((x, y))
    if len(out) < 3:
        return ""
    head = f"M{out[0][0]:.2f} {out[0][1]:.2f}"
    return head + "".join(f"L{x:.2f} {y:.2f}" for x, y in out[1:]) + "Z"


def _geometry_path(geometry: dict[str, Any]) -> str:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    return "".join(_ring_path(ring) for polygon in polygons for ring in polygon)


@lru_cache(maxsize=1)
def world_shapes() -> tuple[CountryShape, ...]:
    """Every country outline the installed ``countryinfo`` ships, projected, sorted by ISO-3."""
    try:
        from countryinfo import CountryInfo
    except ImportError:  # pragma: no cover - it is a declared dependency
        log.warning("countryinfo is not installed; the map has no country outlines")
        return ()
    shapes: dict[str, CountryShape] = {}
    for info in CountryInfo.all().values():
        geo = info.get("geoJSON") or {}
        iso3 = ((info.get("ISO") or {}).get("alpha3") or "").upper()
        parts = [
            _geometry_path(feature.get("geometry") or {})
            for feature in geo.get("features", [])
        ]
        path = "".join(parts)
        if not path or not iso3 or iso3 in shapes:
            continue
        shapes[iso3] = CountryShape(iso3=iso3, name=str(info.get("name") or iso3), path=path)
    log.debug("loaded %d country outlines", len(shapes))
    return tuple(shapes[k] for k in sorted(shapes))


def _thin(ring: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for point in ring:
        if len(point) < 2:
            continue
        lon, lat = round(float(point[0]), 2), round(float(point[1]), 2)
        if out and abs(out[-1][0] - lon) < _STEP / 3 and abs(out[-1][1] - lat) < _STEP / 3:
            continue
        out.append([lon, lat])
    return out if len(out) >= 4 else []


@lru_cache(maxsize=1)
def world_geojson() -> dict[str, Any]:
    """Every country outline of ``countryinfo`` as one GeoJSON FeatureCollection (lon/lat,
    rounded to 0.01° and thinned), properties ``iso3`` and ``name``: the map's base layer."""
    try:
        from countryinfo import CountryInfo
    except ImportError:  # pragma: no cover - it is a declared dependency
        log.warning("countryinfo is not installed; the map has no country outlines")
        return {"type": "FeatureCollection", "features": []}
    features: dict[str, dict[str, Any]] = {}
    for info in CountryInfo.all().values():
        iso3 = ((info.get("ISO") or {}).get("alpha3") or "").upper()
        if not iso3 or iso3 in features:
            continue
        polygons: list[list[list[list[float]]]] = []
        for feature in (info.get("geoJSON") or {}).get("features", []):
            geometry = feature.get("geometry") or {}
            coords = geometry.get("coordinates") or []
            kind = geometry.get("type")
            for polygon in [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" \
                    else []:
                rings = [r for r in (_thin(ring) for ring in polygon) if r]
                if rings:
                    polygons.append(rings)
        if polygons:
            features[iso3] = {
                "type": "Feature",
                "properties": {"iso3": iso3, "name": str(info.get("name") or iso3)},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
    return {"type": "FeatureCollection", "features": [features[k] for k in sorted(features)]}
