"""Find my deputies: a point → the areas containing it → their bodies → the representatives.

The geometric part runs in memory: a shapely STRtree over the prepared boundaries of every
area in force. Each process keeps one index and rebuilds it when the boundaries version in
DirectoryState changes (checked at most every LOOKUP_INDEX_CHECK_SECONDS).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date

import shapely
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from shapely.geometry.base import BaseGeometry

from . import geo
from .choices import ADMINISTRATIVE_LEVEL, MASLIKHAT_KINDS, AreaKind, OrganizationKind, PostRole
from .models import Area, DirectoryState, Membership, Organization


class OutsideCoverage(LookupError):
    """The point lies in no area the directory covers."""


class InvalidCoordinates(ValueError):
    """Latitude or longitude out of range."""


@dataclass
class LookupIndex:
    version: int
    tree: shapely.STRtree | None
    area_ids: list[int]
    geometries: list[BaseGeometry]
    parent_of: dict[int, int | None]
    # area id → the units without a boundary of their own whose territory it still holds
    pending_in: dict[int, list[int]] = field(default_factory=dict)
    built_at: float = field(default_factory=time.monotonic)

    def area_ids_at(self, lat: float, lon: float) -> list[int]:
        if self.tree is None:
            return []
        point = shapely.Point(lon, lat)
        hits = self.tree.query(point, predicate="intersects")
        return [self.area_ids[i] for i in hits.tolist()]

    def with_ancestors(self, ids: list[int]) -> list[int]:
        seen: dict[int, None] = {}
        for area_id in ids:
            current: int | None = area_id
            while current is not None and current not in seen:
                seen[current] = None
                current = self.parent_of.get(current)
        return list(seen)


def _boundaries_version() -> int:
    return DirectoryState.objects.filter(pk=1).values_list("boundaries_version", flat=True).first() or 0


def build_index(on: date | None = None) -> LookupIndex:
    version = _boundaries_version()
    ids: list[int] = []
    geometries: list[BaseGeometry] = []
    parent_of: dict[int, int | None] = {}
    pending_in: dict[int, list[int]] = {}
    rows = Area.objects.current(on).values_list("id", "parent_id", "boundary_within_id", "boundary")
    for area_id, parent_id, within_id, boundary in rows:
        parent_of[area_id] = parent_id
        if within_id is not None and not boundary:
            pending_in.setdefault(within_id, []).append(area_id)
        if boundary:
            geom = geo.to_shape(boundary)
            shapely.prepare(geom)
            ids.append(area_id)
            geometries.append(geom)
    tree = shapely.STRtree(geometries) if geometries else None
    return LookupIndex(
        version=version,
        tree=tree,
        area_ids=ids,
        geometries=geometries,
        parent_of=parent_of,
        pending_in=pending_in,
    )


_lock = threading.Lock()
_index: LookupIndex | None = None
_checked_at = 0.0


def get_index() -> LookupIndex:
    """The process's index, rebuilt when boundaries changed since it was built."""
    global _index, _checked_at
    now = time.monotonic()
    index = _index
    if index is not None and now - _checked_at < settings.LOOKUP_INDEX_CHECK_SECONDS:
        return index
    with _lock:
        if _index is None or _boundaries_version() != _index.version:
            _index = build_index()
        _checked_at = now
        return _index


def reset_index() -> None:
    """Forget the cached index and answers (tests, and after bulk changes in this process)."""
    global _index, _checked_at
    with _lock:
        _index = None
        _checked_at = 0.0
        _results.clear()


@dataclass
class Representative:
    membership: Membership
    reason: str  # "constituency", "chair", "national"


@dataclass
class LookupResult:
    lat: float
    lon: float
    on: date
    areas: list[Area]
    bodies: list[Organization]
    representatives: list[Representative]
    # Units without a boundary of their own yet whose territory is drawn inside one of `areas`:
    # the point may lie in one of them (a page says the boundary is pending).
    boundary_pending: list[Area] = field(default_factory=list)


def validate_coordinates(lat: float, lon: float) -> None:
    if not (-90.0 <= lat <= 90.0) or not (-180.0 <= lon <= 180.0):
        raise InvalidCoordinates("latitude must be within [-90, 90] and longitude within [-180, 180]")


def _area_sort_key(area: Area) -> tuple[int, int, str]:
    # Largest first: country, region, district ..., then constituencies of larger bodies first.
    level = ADMINISTRATIVE_LEVEL.get(AreaKind(area.kind), 5)
    return (level, area.number or 0, area.code)


REASON_ORDER = {"constituency": 0, "chair": 1, "national": 2}


# Points inside the same set of areas share one answer: keep it for a short while per process
# (membership changes show within RESULT_TTL_SECONDS; boundary changes at once via the version).
RESULT_TTL_SECONDS = 60.0
RESULT_CACHE_SIZE = 5000
_results: dict[
    tuple[int, tuple[int, ...], date],
    tuple[float, tuple[list[Area], list[Organization], list[Representative], list[Area]]],
] = {}


def _represent(
    index: LookupIndex, hit_ids: list[int], day: date, lat: float, lon: float
) -> tuple[list[Area], list[Organization], list[Representative], list[Area]]:
    all_ids = index.with_ancestors(hit_ids)
    pending_ids = {p for a in all_ids for p in index.pending_in.get(a, [])}
    loaded = list(
        Area.objects.current(day).filter(id__in=[*all_ids, *pending_ids]).defer("boundary", "boundary_web")
    )
    areas = sorted((a for a in loaded if a.id not in pending_ids), key=_area_sort_key)
    pending = sorted((a for a in loaded if a.id in pending_ids), key=lambda a: a.code)
    if not areas:
        raise OutsideCoverage(f"no area in force covers ({lat}, {lon}) on {day}")
    admin_ids = [a.id for a in areas if a.kind != AreaKind.CONSTITUENCY]
    constituency_ids = [a.id for a in areas if a.kind == AreaKind.CONSTITUENCY]
    region_ids = [a.id for a in areas if a.kind == AreaKind.REGION]
    elected_body_ids = [a.body_id for a in areas if a.body_id is not None]

    bodies = list(
        Organization.objects.current(day)
        .filter(
            Q(kind__in=MASLIKHAT_KINDS, area_id__in=admin_ids)
            | Q(id__in=elected_body_ids)
            | Q(
                kind__in=[OrganizationKind.PARLIAMENT_CHAMBER, OrganizationKind.NATIONAL_COUNCIL],
                area_id__in=admin_ids,
            )
        )
        .select_related("area")
        .defer("area__boundary", "area__boundary_web")
        .distinct()
    )
    level = {
        OrganizationKind.DISTRICT_MASLIKHAT: 0,
        OrganizationKind.CITY_MASLIKHAT: 0,
        OrganizationKind.REGIONAL_MASLIKHAT: 1,
        OrganizationKind.NATIONAL_COUNCIL: 2,
        OrganizationKind.PARLIAMENT_CHAMBER: 3,
    }
    bodies.sort(key=lambda o: (level.get(OrganizationKind(o.kind), 9), o.name_en))
    maslikhat_ids = [b.id for b in bodies if b.kind in MASLIKHAT_KINDS]

    memberships = (
        Membership.objects.current(day)
        .filter(
            Q(role=PostRole.CONSTITUENCY_DEPUTY, post__area_id__in=constituency_ids)
            | Q(role__in=[PostRole.CHAIR, PostRole.SECRETARY], organization_id__in=maslikhat_ids)
            | Q(
                role=PostRole.SENATOR,
                post__area_id__in=region_ids,
                organization__kind=OrganizationKind.PARLIAMENT_CHAMBER,
            )
        )
        .select_related("person", "organization", "post", "post__area", "on_behalf_of")
        .defer("post__area__boundary", "post__area__boundary_web")
    )
    body_rank = {b.id: i for i, b in enumerate(bodies)}
    reps = []
    for m in memberships:
        if m.role == PostRole.CONSTITUENCY_DEPUTY:
            reason = "constituency"
        elif m.role in (PostRole.CHAIR, PostRole.SECRETARY):
            reason = "chair"
        else:
            reason = "national"
        reps.append(Representative(membership=m, reason=reason))
    reps.sort(
        key=lambda r: (
            REASON_ORDER[r.reason],
            body_rank.get(r.membership.organization_id, 99),
            r.membership.person.sort_name,
        )
    )
    return areas, bodies, reps, pending


def lookup_point(lat: float, lon: float, on: date | None = None) -> LookupResult:
    """Everything that represents the place at (lat, lon) on day `on` (default today)."""
    validate_coordinates(lat, lon)
    day = on or timezone.localdate()
    index = get_index()
    hit_ids = index.area_ids_at(lat, lon)
    if not hit_ids:
        raise OutsideCoverage(f"no area covers ({lat}, {lon})")
    key = (index.version, tuple(sorted(hit_ids)), day)
    cached = _results.get(key)
    now = time.monotonic()
    if cached is None or cached[0] < now:
        cached = (now + RESULT_TTL_SECONDS, _represent(index, hit_ids, day, lat, lon))
        if len(_results) > RESULT_CACHE_SIZE:
            _results.clear()
        _results[key] = cached
    areas, bodies, reps, pending = cached[1]
    return LookupResult(
        lat=lat, lon=lon, on=day, areas=areas, bodies=bodies, representatives=reps, boundary_pending=pending
    )
