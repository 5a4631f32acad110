"""Geometry helpers: GeoJSON in, shapely out; simplified copies for maps."""

from __future__ import annotations

import json
from typing import Any

from shapely import make_valid
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

# About 1 km at Kazakhstan's latitudes: enough for a country or region map drawn in a browser.
WEB_TOLERANCE_DEG = 0.01


class GeometryError(ValueError):
    """A boundary that is not a usable polygon."""


def to_shape(geojson: dict[str, Any]) -> BaseGeometry:
    """A valid (Multi)Polygon from a GeoJSON geometry; raises GeometryError otherwise."""
    try:
        geom = shape(geojson)
    except Exception as exc:  # shapely raises several types for malformed input
        raise GeometryError(f"not a GeoJSON geometry: {exc}") from None
    if geom.geom_type not in {"Polygon", "MultiPolygon"}:
        raise GeometryError(f"expected Polygon or MultiPolygon, got {geom.geom_type}")
    if geom.is_empty:
        raise GeometryError("empty geometry")
    if not geom.is_valid:
        geom = make_valid(geom)
        if geom.geom_type == "GeometryCollection":
            polys = [g for g in geom.geoms if g.geom_type in {"Polygon", "MultiPolygon"}]
            if not polys:
                raise GeometryError("geometry has no polygonal part")
            from shapely.ops import unary_union

            geom = unary_union(polys)
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise GeometryError("coordinates out of range for WGS84 lon/lat")
    return geom


def simplified(geojson: dict[str, Any], tolerance: float = WEB_TOLERANCE_DEG) -> dict[str, Any]:
    geom = to_shape(geojson).simplify(tolerance, preserve_topology=True)
    return _rounded(mapping(geom))


def _rounded(obj: Any, digits: int = 4) -> Any:
    if isinstance(obj, float):
        return round(obj, digits)
    if isinstance(obj, list | tuple):
        return [_rounded(x, digits) for x in obj]
    if isinstance(obj, dict):
        return {k: _rounded(v, digits) for k, v in obj.items()}
    return obj


def normalized(geojson: dict[str, Any]) -> dict[str, Any]:
    """The geometry as stored: valid, as a plain GeoJSON dict with lists (as JSON reads back),
    so a stored boundary compares equal to the same boundary normalized again."""
    return json.loads(json.dumps(mapping(to_shape(geojson))))
