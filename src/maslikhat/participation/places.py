"""Where an initiative or a project is: a point (lat, lon) must lie inside its area's boundary
(or, for an area without one yet, inside the nearest area above that has one; without any,
inside Kazakhstan's box)."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy as _
from shapely.geometry import Point
from shapely.prepared import prep

from maslikhat.core.errors import ErrorCode
from maslikhat.directory.geo import GeometryError, to_shape
from maslikhat.directory.models import Area

from .error_codes import ParticipationErrorCode as E

# Kazakhstan's bounding box, with a margin (lat, lon).
KZ_LAT = (40.0, 56.0)
KZ_LON = (46.0, 88.0)
# The number of areas above an area looked at for a boundary.
MAX_LEVELS = 6


def parse_coordinate(raw: object, low: float, high: float) -> float | None:
    """A finite number between low and high from a form's text or a number, else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str) and 0 < len(raw) <= 30:
        try:
            value = float(raw.strip().replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return value if math.isfinite(value) and low <= value <= high else None


@lru_cache(maxsize=256)
def _prepared(area_id: int, updated: str) -> Any:
    """The prepared boundary of an area (cached per version of the row)."""
    boundary = Area.objects.filter(pk=area_id).values_list("boundary", flat=True).first()
    if not boundary:
        return None
    try:
        return prep(to_shape(boundary))
    except GeometryError:
        return None


def _boundary_area(area: Area) -> tuple[int, str] | None:
    """The area, or the nearest above it (or the one it is drawn within), that has a boundary."""
    current: int | None = area.pk
    seen: set[int] = set()
    while current is not None and current not in seen and len(seen) < MAX_LEVELS:
        seen.add(current)
        row = (
            Area.objects.filter(pk=current)
            .values("boundary_web", "parent_id", "boundary_within_id", "updated_at")
            .first()
        )
        if row is None:
            return None
        if row["boundary_web"]:
            return current, str(row["updated_at"])
        current = row["boundary_within_id"] or row["parent_id"]
    return None


def point_in_area(area: Area, lat: float, lon: float) -> bool:
    """Whether the point lies inside the area (see the module's docstring)."""
    if not (KZ_LAT[0] <= lat <= KZ_LAT[1] and KZ_LON[0] <= lon <= KZ_LON[1]):
        return False
    found = _boundary_area(area)
    if found is None:
        return True  # no boundary anywhere above: Kazakhstan's box is all we can check
    shape = _prepared(*found)
    return shape is None or bool(shape.covers(Point(lon, lat)))


def place_errors(
    area: Area, raw_lat: object, raw_lon: object
) -> tuple[float | None, float | None, list[Any]]:
    """(lat, lon, errors) from the form's values: both empty is no point; otherwise both must be
    numbers and the point inside the area."""
    empty_lat = raw_lat is None or (isinstance(raw_lat, str) and not raw_lat.strip())
    empty_lon = raw_lon is None or (isinstance(raw_lon, str) and not raw_lon.strip())
    if empty_lat and empty_lon:
        return None, None, []
    lat = parse_coordinate(raw_lat, -90, 90)
    lon = parse_coordinate(raw_lon, -180, 180)
    if lat is None or lon is None:
        return (
            None,
            None,
            [("lat", ErrorCode.VALIDATION_ERROR, _("Enter both a latitude and a longitude, as numbers."))],
        )
    if not point_in_area(area, lat, lon):
        return None, None, [("lat", E.OUTSIDE_AREA, _("The point is outside this area."))]
    return lat, lon, []
