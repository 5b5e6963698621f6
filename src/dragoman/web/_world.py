"""Offline world outlines for the map page, from the ``countryinfo`` package's GeoJSON.

Nothing is downloaded: the outlines ship inside the ``countryinfo`` wheel (a dependency).
They are read once per process, rounded to 0.01° and thinned, and served as one GeoJSON
FeatureCollection (about 170 KB) that Leaflet draws under the event points.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

__all__ = ["world_geojson"]

log = logging.getLogger(__name__)

#: Degrees below which consecutive points are merged (outline thinning).
_STEP = 0.15


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
