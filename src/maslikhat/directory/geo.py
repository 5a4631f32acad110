"""Geometry helpers: GeoJSON in, shapely out; simplified copies for maps; server-side SVG maps.

SVG maps from stored GeoJSON: no tile server, no external script.

Projection: equirectangular with longitude scaled by cos(48°) (Kazakhstan's mid-latitude),
fitted to a viewBox `width` units wide:

    x = (lon - minx) * COS * scale        y = (maxy - lat) * scale

The <svg> carries minx, maxy, scale and cos in data- attributes so a small script can turn a
click back into longitude and latitude (lon = minx + x / (cos * scale), lat = maxy - y / scale).
Coordinates are rounded to 0.1 viewBox unit, written relative to the previous point, and points
closer than MIN_STEP to the previous one are dropped: the country map stays around 35 kB.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
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


COS = math.cos(math.radians(48))
# Points nearer than this (in viewBox units) to the previously drawn one add nothing visible.
MIN_STEP = 0.8

Polygon = list[list[list[float]]]


@dataclass(frozen=True)
class Shape:
    geometry: dict[str, Any]
    href: str
    title: str
    css_class: str = ""
    key: str = ""


@dataclass(frozen=True)
class Projection:
    minx: float
    maxy: float
    scale: float
    width: int
    height: int

    @classmethod
    def fit(cls, bounds: tuple[float, float, float, float], width: int) -> Projection:
        minx, miny, maxx, maxy = bounds
        span = (maxx - minx) * COS
        scale = width / span if span > 0 else 1.0
        return cls(
            minx=minx, maxy=maxy, scale=scale, width=width, height=max(1, round((maxy - miny) * scale))
        )

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (round((lon - self.minx) * COS * self.scale, 1), round((self.maxy - lat) * self.scale, 1))

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        """The inverse of `xy` (what the browser script does with a click)."""
        return (self.minx + x / (COS * self.scale), self.maxy - y / self.scale)


@dataclass(frozen=True)
class RenderedMap:
    """An SVG without its closing tag, and its projection: a marker can be added later."""

    head: str
    projection: Projection
    shapes: int = 0
    empty: bool = field(default=False)

    def svg(self, marker: tuple[float, float] | None = None) -> str:
        if self.empty:
            return ""
        if marker is None:
            return self.head + "</svg>"
        lat, lon = marker
        x, y = self.projection.xy(lon, lat)
        r = max(self.projection.width / 60, 6)
        return f'{self.head}<circle class="marker" cx="{x:g}" cy="{y:g}" r="{r:.0f}"/></svg>'


EMPTY = RenderedMap(head="", projection=Projection(0, 0, 1, 1, 1), empty=True)


def polygons(geometry: dict[str, Any] | None) -> Iterator[Polygon]:
    if not geometry:
        return
    if geometry.get("type") == "Polygon":
        yield geometry["coordinates"]
    elif geometry.get("type") == "MultiPolygon":
        yield from geometry["coordinates"]


def bounds(geometries: Iterable[dict[str, Any] | None]) -> tuple[float, float, float, float] | None:
    minx = miny = math.inf
    maxx = maxy = -math.inf
    for geometry in geometries:
        for polygon in polygons(geometry):
            for ring in polygon:
                for lon, lat, *_ in ring:
                    minx, maxx = min(minx, lon), max(maxx, lon)
                    miny, maxy = min(miny, lat), max(maxy, lat)
    if minx is math.inf:
        return None
    return minx, miny, maxx, maxy


def _tenths(value: int) -> str:
    """An integer number of tenths as the shortest SVG number: 15 → "1.5", -3 → "-.3", 20 → "2"."""
    sign = "-" if value < 0 else ""
    whole, tenth = divmod(abs(value), 10)
    if tenth == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{tenth}" if whole else f"{sign}.{tenth}"


def _pair(x: int, y: int) -> str:
    b = _tenths(y)
    return _tenths(x) + ("" if b.startswith("-") else ",") + b


def path_data(geometry: dict[str, Any] | None, projection: Projection) -> str:
    """SVG path data: one closed subpath per ring (holes are cut out by fill-rule evenodd).

    The first point of a ring is absolute, the rest relative ("l"), all in tenths of a unit
    computed from the rounded absolute positions, so rounding never accumulates."""
    min_step = round(MIN_STEP * 10)
    parts: list[str] = []
    for polygon in polygons(geometry):
        for ring in polygon:
            points: list[tuple[int, int]] = []
            for lon, lat, *_ in ring:
                x, y = projection.xy(lon, lat)
                p = (round(x * 10), round(y * 10))
                if points and abs(p[0] - points[-1][0]) < min_step and abs(p[1] - points[-1][1]) < min_step:
                    continue
                points.append(p)
            if len(points) > 1 and points[0] == points[-1]:
                points.pop()  # "z" closes the ring
            if len(points) < 3:
                continue
            steps = [_pair(b[0] - a[0], b[1] - a[1]) for a, b in zip(points, points[1:], strict=False)]
            moves = "".join(s if s.startswith("-") else " " + s for s in steps)
            parts.append(f"M{_pair(*points[0])}l{moves.lstrip()}z")
    return "".join(parts)


def render_map(
    shapes: list[Shape], *, width: int = 1000, label: str = "", outline: dict[str, Any] | None = None
) -> RenderedMap:
    """An accessible SVG of the shapes, each a link with a title, over an optional outline."""
    shapes = [s for s in shapes if s.geometry]
    box = bounds([outline, *(s.geometry for s in shapes)])
    if box is None:
        return EMPTY
    projection = Projection.fit(box, width)
    parts = [
        f'<svg class="map" viewBox="0 0 {projection.width} {projection.height}" role="group" '
        f'aria-label="{escape(label)}" data-minx="{projection.minx!r}" data-maxy="{projection.maxy!r}" '
        f'data-scale="{projection.scale!r}" data-cos="{COS!r}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>"
    ]
    if outline:
        d = path_data(outline, projection)
        if d:
            parts.append(f'<path class="outline" d="{d}" fill-rule="evenodd"/>')
    drawn = 0
    for s in shapes:
        d = path_data(s.geometry, projection)
        if not d:
            continue
        drawn += 1
        parts.append(
            f'<a href="{escape(s.href)}" class="{escape(s.css_class)}" data-key="{escape(s.key)}">'
            f'<title>{escape(s.title)}</title><path d="{d}" fill-rule="evenodd"/></a>'
        )
    return RenderedMap(head="".join(parts), projection=projection, shapes=drawn)


def render_svg(
    shapes: list[Shape],
    *,
    width: int = 1000,
    label: str = "",
    marker: tuple[float, float] | None = None,
    outline: dict[str, Any] | None = None,
) -> str:
    """The SVG as a string ("" when there is nothing to draw); marker is (lat, lon)."""
    return render_map(shapes, width=width, label=label, outline=outline).svg(marker)
