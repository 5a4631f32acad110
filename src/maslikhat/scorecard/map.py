"""The scorecard's pictures: the choropleth map of the regions by one figure, and the monthly
trend charts of one maslikhat. Server-rendered SVG; the PDF briefing draws the same shapes.

The map reuses the country map's projection and path encoding (maslikhat.directory.geo). The region
outlines (path data) are cached per boundaries version, so colouring a map for another figure or
period costs no geometry work.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from maslikhat.core.i18n import current_language
from maslikhat.directory.geo import GeometryError, Projection, bounds, path_data, polygons, simplified
from maslikhat.directory.models import Area
from maslikhat.directory.selectors import boundaries_version, region_map_shapes

from .selectors import Figure, Scorecard, district_map_areas

# ColorBrewer YlGnBu, 5 classes: sequential and colour-blind safe; light = low, dark = high.
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA = "#e0e0e0"
CLASSES = len(PALETTE)
MAP_WIDTH = 1000
REGION_MAP_WIDTH = 800
CACHE_SECONDS = 6 * 3600
# The country by district is drawn from the districts' web boundaries simplified once more
# (about 3 km): at 1,000 units across the country a unit is about 2.7 km, so nothing visible is
# lost and the map stays light on a cheap phone (measured in tests/scorecard/test_country.py).
COUNTRY_TOLERANCE_DEG = 0.03


@dataclass(frozen=True)
class RegionOutline:
    code: str
    d: str  # SVG path data in the projection below
    rings: list[list[tuple[float, float]]]  # projected rings, for the PDF
    label_xy: tuple[float, float] = (0.0, 0.0)  # inside the region, where its label is drawn
    names: dict[str, str] | None = None  # short names per language, for the label
    small: bool = False  # too small to see on a phone (the three cities): drawn as a marker too


# A region narrower than this (map units, of MAP_WIDTH) is drawn with a marker: Astana, Almaty
# and Shymkent are a few units across, invisible on a phone.
SMALL_REGION = 25.0


def short_name(name: str, language: str) -> str:
    """A region's name as a map label: without "облысы" / "область" / "Region" / "город"."""
    if language == "kk":
        return name.removesuffix(" облысы")
    if language == "ru":
        name = name.removeprefix("город ").removeprefix("область ")
        return name.replace(" область", " обл.")
    return name.removesuffix(" Region")


def _label_point(boundary: dict[str, Any]) -> tuple[float, float] | None:
    """The pole of inaccessibility of the region's largest polygon (lon, lat): well inside it."""
    try:
        from shapely.geometry import shape
        from shapely.ops import polylabel

        geometry = shape(boundary)
        parts = list(getattr(geometry, "geoms", [geometry]))
        largest = max(parts, key=lambda g: g.area)
        point = polylabel(largest, tolerance=0.01)
        return (point.x, point.y)
    except Exception:  # noqa: BLE001 - a label is optional; the region is still drawn
        return None


@dataclass(frozen=True)
class Outlines:
    projection: Projection
    regions: list[RegionOutline]


def region_outlines() -> Outlines | None:
    """The 20 regions projected once per boundaries version (None when none has a boundary)."""
    key = f"scorecard:outlines:v2:{boundaries_version()}"
    found = cache.get(key)
    if isinstance(found, Outlines):
        return found
    areas = [a for a in region_map_shapes() if a.boundary_web]
    box = bounds(a.boundary_web for a in areas)
    if box is None:
        return None
    projection = Projection.fit(box, MAP_WIDTH)
    regions = []
    for a in areas:
        rings = [
            [projection.xy(lon, lat) for lon, lat, *_ in ring]
            for polygon in polygons(a.boundary_web)
            for ring in polygon
        ]
        xs = [x for ring in rings for x, _y in ring]
        point = _label_point(a.boundary_web) if a.boundary_web else None
        label_xy = projection.xy(*point) if point else (0.0, 0.0)
        regions.append(
            RegionOutline(
                code=a.code,
                d=path_data(a.boundary_web, projection),
                rings=rings,
                label_xy=label_xy,
                names={
                    lang: short_name(getattr(a, f"name_{lang}") or a.name_kk, lang)
                    for lang in ("kk", "ru", "en")
                },
                small=bool(xs) and max(xs) - min(xs) < SMALL_REGION,
            )
        )
    outlines = Outlines(projection=projection, regions=regions)
    cache.set(key, outlines, CACHE_SECONDS)
    return outlines


@dataclass(frozen=True)
class BodyOutline:
    """One maslikhat's territory on a district-level map."""

    code: str
    body_id: int
    d: str
    names: dict[str, str]


@dataclass(frozen=True)
class BodyOutlines:
    projection: Projection
    bodies: list[BodyOutline]


def _coarser(boundary: dict[str, Any], tolerance: float | None) -> dict[str, Any]:
    if tolerance is None:
        return boundary
    try:
        return simplified(boundary, tolerance)
    except GeometryError:
        return boundary


def district_outlines(*, region: Area | None = None) -> BodyOutlines | None:
    """The country (or a region) by district-level maslikhat, projected once per boundaries
    version (None when nothing has a boundary). The country map is simplified further."""
    scope = region.code if region is not None else "country"
    key = f"scorecard:district-outlines:{scope}:{boundaries_version()}"
    found = cache.get(key)
    if isinstance(found, BodyOutlines):
        return found
    areas = district_map_areas(region=region)
    tolerance = None if region is not None else COUNTRY_TOLERANCE_DEG
    shapes = [(a, _coarser(a.boundary, tolerance)) for a in areas]
    box = bounds(g for _a, g in shapes)
    if box is None:
        return None
    projection = Projection.fit(box, REGION_MAP_WIDTH if region is not None else MAP_WIDTH)
    bodies = []
    for a, geometry in shapes:
        d = path_data(geometry, projection)
        if d:
            bodies.append(BodyOutline(code=a.code, body_id=a.body_id, d=d, names=a.names))
    outlines = BodyOutlines(projection=projection, bodies=bodies)
    cache.set(key, outlines, CACHE_SECONDS)
    return outlines


@dataclass(frozen=True)
class LegendClass:
    index: int
    colour: str
    low: Any
    high: Any
    label: str


def breaks(values: Sequence[float]) -> list[float]:
    """Upper bounds of the first four of five quantile classes over the values."""
    ordered = sorted(values)
    if not ordered:
        return []
    n = len(ordered)
    return [ordered[math.ceil(n * k / CLASSES) - 1] for k in range(1, CLASSES)]


def class_of(value: Any, cuts: Sequence[float]) -> int | None:
    if value is None:
        return None
    for i, cut in enumerate(cuts):
        if value <= cut:
            return i
    return len(cuts)


def legend(figure: Figure, values: Sequence[float]) -> list[LegendClass]:
    """The classes in use, each with the range of the values it holds."""
    cuts = breaks(values)
    members: dict[int, list[float]] = {}
    for v in values:
        c = class_of(v, cuts)
        if c is not None:
            members.setdefault(c, []).append(v)
    out = []
    for i in sorted(members):
        lo, hi = min(members[i]), max(members[i])
        text = figure.format(lo) if lo == hi else f"{figure.format(lo)} – {figure.format(hi)}"
        out.append(LegendClass(index=i, colour=PALETTE[i], low=lo, high=hi, label=text))
    return out


@dataclass(frozen=True)
class Choropleth:
    svg: str
    legend: list[LegendClass]
    colours: dict[str, str]  # region code -> fill, for the PDF
    outlines: Outlines | None


def choropleth(table: Scorecard, figure: Figure, *, query: str = "") -> Choropleth:
    """The regions coloured by a figure of a regional table; each region a link to its
    drill-down page, with a title naming it and its value."""
    outlines = region_outlines()
    by_region = {r.body.area_code: r for r in table.rows}
    values = [r.values[figure.key] for r in table.rows if r.values.get(figure.key) is not None]
    cuts = breaks(values)
    classes = legend(figure, values)
    colours: dict[str, str] = {}
    if outlines is None:
        return Choropleth(svg="", legend=classes, colours=colours, outlines=None)
    p = outlines.projection
    label = _("%(figure)s by region, %(period)s") % {"figure": figure.label, "period": table.period.code}
    parts = [
        f'<svg class="map scorecard-map" viewBox="0 0 {p.width} {p.height}" role="group" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
    ]
    for region in outlines.regions:
        row = by_region.get(region.code)
        value = row.values.get(figure.key) if row else None
        c = class_of(value, cuts)
        colours[region.code] = PALETTE[c] if c is not None else NO_DATA
        css = f"q{c}" if c is not None else "qn"
        name = row.body.area_name if row else region.code
        title = f"{name}: {figure.format(value)}"
        href = reverse("scorecard:region", kwargs={"code": region.code}) + (f"?{query}" if query else "")
        x, y = region.label_xy
        marker = f'<circle class="city-marker" cx="{x}" cy="{y}" r="9"/>' if region.small else ""
        parts.append(
            f'<a href="{escape(href)}" class="{css}" data-key="{escape(region.code)}">'
            f'<title>{escape(title)}</title><path d="{region.d}" fill-rule="evenodd"/>{marker}</a>'
            # the fill comes from the class (scorecard.css): no style attribute under the CSP
        )
    language = current_language()
    for region in outlines.regions:  # labels above every shape, never under a neighbour
        if not region.names or region.label_xy == (0.0, 0.0):
            continue
        x, y = region.label_xy
        text = region.names.get(language) or region.names["kk"]
        anchor = "start" if region.small else "middle"
        dx = 12 if region.small else 0
        words = text.split(" ") if not region.small else [text]
        lines = "".join(
            f'<tspan x="{x + dx}" dy="{0 if i == 0 else 1.1}em">{escape(w)}</tspan>'
            for i, w in enumerate(words)
        )
        shift = -0.55 * (len(words) - 1)
        parts.append(
            f'<text class="map-label{" city" if region.small else ""}" x="{x + dx}" y="{y}" '
            f'text-anchor="{anchor}" dy="{shift:.2f}em" aria-hidden="true">{lines}</text>'
        )
    parts.append("</svg>")
    return Choropleth(svg="".join(parts), legend=classes, colours=colours, outlines=outlines)


def district_choropleth(table: Scorecard, figure: Figure, *, query: str = "") -> Choropleth:
    """The maslikhats of a district-level table (the whole country, or one region) coloured by
    a figure, each territory a link to its maslikhat's scorecard page with a title naming it and
    its value. A region with no district maslikhat (Astana, Almaty, Shymkent) is one piece, grey,
    linking to its own maslikhat's page."""
    outlines = district_outlines(region=table.region)
    by_body = {r.body.id: r for r in table.rows}
    language = current_language()
    values = [r.values[figure.key] for r in table.rows if r.values.get(figure.key) is not None]
    cuts = breaks(values)
    classes = legend(figure, values)
    if outlines is None:
        return Choropleth(svg="", legend=classes, colours={}, outlines=None)
    p = outlines.projection
    where = table.region.name if table.region is not None else _("Kazakhstan")
    label = _("%(figure)s by district, %(place)s, %(period)s") % {
        "figure": figure.label,
        "place": where,
        "period": table.period.code,
    }
    parts = [
        f'<svg class="map scorecard-map districts" viewBox="0 0 {p.width} {p.height}" role="group" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
    ]
    href_base = reverse("scorecard:body", kwargs={"pk": 0})[: -len("0/")]
    suffix = f"?{escape(query)}" if query else ""
    for body in outlines.bodies:
        row = by_body.get(body.body_id)
        if row is not None:
            value = row.values.get(figure.key)
            c = class_of(value, cuts)
            title = f"{row.body.name}: {figure.format(value)}"
        else:  # drawn whole, not in this table
            c = None
            title = body.names.get(language) or body.names["kk"] or body.code
        css = f"q{c}" if c is not None else "qn"
        parts.append(
            f'<a href="{href_base}{body.body_id}/{suffix}" class="{css}" data-key="{escape(body.code)}">'
            f'<title>{escape(title)}</title><path d="{body.d}" fill-rule="evenodd"/></a>'
        )
    parts.append("</svg>")
    return Choropleth(svg="".join(parts), legend=classes, colours={}, outlines=None)


# ------------------------------------------------------------------ trend charts

CHART_W = 640
CHART_H = 180
PAD_L = 48
PAD_R = 8
PAD_T = 10
PAD_B = 28


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 2.5, 5):
        magnitude = 10 ** (len(str(int(value))) - 1)
        top = step * magnitude
        if top >= value:
            return float(top)
    return float(10 ** len(str(int(value))))


def trend_chart(figure: Figure, months: Sequence[date], series: Sequence[Any]) -> str:
    """A bar chart (counts) or a line with points (rates) of one figure by month."""
    top = _nice_max(max((float(v) for v in series if v is not None), default=0.0))
    if figure.unit == "pct":
        top = 100.0
    elif figure.unit == "rating":
        top = 5.0
    inner_w = CHART_W - PAD_L - PAD_R
    inner_h = CHART_H - PAD_T - PAD_B
    n = max(len(months), 1)
    step = inner_w / n
    label = _("%(figure)s by month") % {"figure": figure.label}
    base = PAD_T + inner_h
    top_text = figure.format(top)
    parts = [
        f'<svg class="trend" viewBox="0 0 {CHART_W} {CHART_H}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>',
        f'<line class="axis" x1="{PAD_L}" y1="{base}" x2="{CHART_W - PAD_R}" y2="{base}"/>',
        f'<text class="tick" x="{PAD_L - 4}" y="{PAD_T + 4}" text-anchor="end">{escape(top_text)}</text>',
        f'<text class="tick" x="{PAD_L - 4}" y="{base}" text-anchor="end">0</text>',
    ]

    def y(v: float) -> float:
        return round(PAD_T + inner_h - inner_h * min(v, top) / top, 1)

    points: list[tuple[float, float]] = []
    for i, (month, v) in enumerate(zip(months, series, strict=True)):
        x = round(PAD_L + step * i + step / 2, 1)
        if i % 3 == 0:
            parts.append(
                f'<text class="tick" x="{x}" y="{CHART_H - 8}" text-anchor="middle">{month:%m.%y}</text>'
            )
        if v is None:
            continue
        tip = f"{month:%Y-%m}: {figure.format(v)}"
        if figure.unit in ("count", "per_10k"):
            h = round(PAD_T + inner_h - y(float(v)), 1)
            parts.append(
                f'<rect class="bar" x="{round(x - step * 0.35, 1)}" y="{y(float(v))}" '
                f'width="{round(step * 0.7, 1)}" height="{h}"><title>{escape(tip)}</title></rect>'
            )
        else:
            points.append((x, y(float(v))))
            parts.append(
                f'<circle class="dot" cx="{x}" cy="{y(float(v))}" r="3"><title>{escape(tip)}</title></circle>'
            )
    if len(points) > 1:
        d = " ".join(f"{x},{yy}" for x, yy in points)
        parts.insert(4, f'<polyline class="line" points="{d}"/>')
    parts.append("</svg>")
    return "".join(parts)
