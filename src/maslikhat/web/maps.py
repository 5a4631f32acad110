"""Server-side SVG maps from stored GeoJSON: no tile server, no external script.

Projection: equirectangular with longitude scaled by cos(48°) (Kazakhstan's mid-latitude),
fitted to a viewBox. The <svg> carries the projection in data- attributes so a small script can
turn a click back into longitude and latitude.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape

COS = math.cos(math.radians(48))


@dataclass(frozen=True)
class Shape:
    geometry: dict[str, Any]
    href: str
    title: str
    css_class: str = ""
    key: str = ""


def _rings(geometry: dict[str, Any]) -> Iterable[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        yield from geometry["coordinates"]


def _bounds(shapes: list[Shape]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for s in shapes:
        for polygon in _rings(s.geometry):
            for ring in polygon:
                for point in ring:
                    xs.append(point[0])
                    ys.append(point[1])
    return min(xs), min(ys), max(xs), max(ys)


def render_svg(
    shapes: list[Shape], *, width: int = 1000, label: str = "", marker: tuple[float, float] | None = None
) -> str:
    """An accessible SVG of the shapes, each a link with a title."""
    shapes = [s for s in shapes if s.geometry]
    if not shapes:
        return ""
    minx, miny, maxx, maxy = _bounds(shapes)
    scale = width / ((maxx - minx) * COS or 1)
    height = max(1, round((maxy - miny) * scale))

    def project(x: float, y: float) -> str:
        return f"{(x - minx) * COS * scale:.1f},{(maxy - y) * scale:.1f}"

    parts = [
        f'<svg class="map" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'data-minx="{minx}" data-maxy="{maxy}" data-scale="{scale}" data-cos="{COS}" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    for s in shapes:
        d = []
        for polygon in _rings(s.geometry):
            for ring in polygon:
                d.append("M" + "L".join(project(p[0], p[1]) for p in ring) + "Z")
        parts.append(
            f'<a href="{escape(s.href)}" class="{escape(s.css_class)}" data-key="{escape(s.key)}">'
            f'<title>{escape(s.title)}</title><path d="{"".join(d)}" fill-rule="evenodd"/></a>'
        )
    if marker is not None:
        lat, lon = marker
        cx, cy = project(lon, lat).split(",")
        parts.append(f'<circle class="marker" cx="{cx}" cy="{cy}" r="{max(width / 80, 6):.0f}"/>')
    parts.append("</svg>")
    return "".join(parts)
