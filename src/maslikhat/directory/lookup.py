"""Find my deputies: a point → the areas containing it → their bodies → the representatives.

Everything runs in memory, per process: a shapely STRtree over the prepared boundaries of every
area in force (the index), and one *snapshot* of who represents which area (the areas an index
can return, their bodies, the current representatives) for the day. A look-up reads no database
and no time-limited cache.

When they are rebuilt: every committed write of a directory model bumps the "directory" family
of the page cache (`core.pagecache`, a new token in Redis, through the app's post_save /
post_delete / m2m_changed signals). Each process reads that token at most every
LOOKUP_INDEX_CHECK_SECONDS; when it changed, the process reads the boundaries version in
DirectoryState (rebuilding the index only if the boundaries changed) and builds a new snapshot,
in a background thread while requests keep reading the previous pair, then swaps both at once.
A new day (or a past `on=` date) builds its snapshot in the request that first asks for it.

Without a shared cache (the embedded default: the page cache is local memory, so a write in
another process never reaches this one; or Redis unreachable), the index is checked against the
boundaries version in the database at the same interval and the snapshot is read again after
SNAPSHOT_TTL_SECONDS, as before.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from shapely.geometry.base import BaseGeometry

from . import geo
from .choices import ADMINISTRATIVE_LEVEL, MASLIKHAT_KINDS, AreaKind, OrganizationKind, PostRole
from .models import Area, DirectoryState, Membership, Organization

logger = logging.getLogger(__name__)


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
    # the same as arrays, for the point test
    _geometry_array: np.ndarray = field(init=False, repr=False)
    _id_array: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._geometry_array = np.array(self.geometries, dtype=object)
        self._id_array = np.array(self.area_ids, dtype=np.int64)

    def area_ids_at(self, lat: float, lon: float) -> list[int]:
        if self.tree is None:
            return []
        # the tree gives the areas whose bounding box holds the point, then one vectorized test
        # against their prepared geometries (a fifth of the time of the tree's own predicate)
        candidates = self.tree.query(shapely.Point(lon, lat))
        if not len(candidates):
            return []
        inside = shapely.intersects_xy(self._geometry_array[candidates], lon, lat)
        return self._id_array[candidates[inside]].tolist()

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
# The directory's signal (core.pagecache "directory" version) the index and snapshots were built
# at; None until a shared signal was seen.
_signal: str | None = None
_refresh_running = False
# Rebuild after a directory change in a background thread (production); tests set False to
# rebuild inside the request, on their own database connection.
REFRESH_IN_BACKGROUND = True
# The page cache in local memory is a signal for this process only: trusted in tests (one
# process), not in a deployment without Redis (several server processes).
TRUST_LOCAL_SIGNAL = False


def _directory_signal() -> str | None:
    """The directory's version in the shared cache (a new token after every committed write of a
    directory model), or None when there is no shared cache to read it from."""
    from django.core.cache.backends.locmem import LocMemCache

    from maslikhat.core.pagecache import page_cache, versions

    if isinstance(page_cache(), LocMemCache) and not TRUST_LOCAL_SIGNAL:
        return None
    found = versions(("directory",))
    return found["directory"] if found is not None else None


def get_index() -> LookupIndex:
    """The process's index: built on first use, then checked at most every
    LOOKUP_INDEX_CHECK_SECONDS against the directory's signal (see the module docstring)."""
    global _index, _checked_at, _signal
    now = time.monotonic()
    index = _index
    if index is not None and now - _checked_at < settings.LOOKUP_INDEX_CHECK_SECONDS:
        return index
    signal = _directory_signal()
    with _lock:
        _checked_at = now
        if _index is None:
            _index = build_index()
            _signal = signal
            return _index
        if signal is None:
            # no shared signal: the boundaries version in the database, as before
            if _boundaries_version() != _index.version:
                _index = build_index()
            return _index
        if signal == _signal:
            return _index
        index = _index
    _refresh(signal)
    return _index if _index is not None else index


def _rebuild(signal: str) -> None:
    """A new index (when the boundaries changed) and today's snapshot, swapped in at once."""
    global _index, _signal
    current = _index
    version = _boundaries_version()
    index = current if current is not None and current.version == version else build_index()
    day = timezone.localdate()
    snapshot = _build_snapshot(index, day, signal)
    with _lock:
        _index = index
        _signal = signal
        _snapshots.clear()
        _snapshots[(index.version, day)] = snapshot


def _refresh(signal: str) -> None:
    global _refresh_running
    if not REFRESH_IN_BACKGROUND:
        _rebuild(signal)
        return
    from django.db import connections

    def run() -> None:
        global _refresh_running
        try:
            _rebuild(signal)
        finally:
            with _lock:
                _refresh_running = False
            connections.close_all()  # this thread's own connections

    with _lock:
        if _refresh_running:
            return
        _refresh_running = True
    threading.Thread(target=run, name="lookup-refresh", daemon=True).start()


def reset_index() -> None:
    """Forget the cached index and snapshots (tests, and after bulk changes in this process)."""
    global _index, _checked_at, _signal
    with _lock:
        _index = None
        _checked_at = 0.0
        _signal = None
        _snapshots.clear()
        _refreshing.clear()


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
    # the snapshot's memo (Snapshot.memo): what an adapter derives from these objects may be kept
    # there, for as long as the snapshot answers
    memo: dict[Any, Any] = field(default_factory=dict)


def validate_coordinates(lat: float, lon: float) -> None:
    if not (-90.0 <= lat <= 90.0) or not (-180.0 <= lon <= 180.0):
        raise InvalidCoordinates("latitude must be within [-90, 90] and longitude within [-180, 180]")


def _area_sort_key(area: Area) -> tuple[int, int, str]:
    # Largest first: country, region, district ..., then constituencies of larger bodies first.
    level = ADMINISTRATIVE_LEVEL.get(AreaKind(area.kind), 5)
    return (level, area.number or 0, area.code)


REASON_ORDER = {"constituency": 0, "chair": 1, "national": 2}
# what represents a set of areas: areas, bodies, representatives, pending units (shared lists:
# read, never changed)
Represented = tuple[list[Area], list[Organization], list[Representative], list[Area]]


# Who represents which area, read from the database at once for the whole country and kept per
# process until the directory changes: a look-up then runs no query. Without a shared signal
# (see the module docstring) it is read again after SNAPSHOT_TTL_SECONDS.
SNAPSHOT_TTL_SECONDS = 60.0
SNAPSHOTS_KEPT = 4  # today and a few past days asked for (`on=`)
REPRESENTED_ROLES = (PostRole.CONSTITUENCY_DEPUTY, PostRole.CHAIR, PostRole.SECRETARY, PostRole.SENATOR)
BODY_KINDS = (*MASLIKHAT_KINDS, OrganizationKind.PARLIAMENT_CHAMBER, OrganizationKind.NATIONAL_COUNCIL)


@dataclass
class Snapshot:
    """The areas an index can return, their bodies and representatives, on one day."""

    version: int
    day: date
    expires_at: float
    areas: dict[int, Area]
    # area id -> maslikhats, chambers and the national council seated for it
    bodies_at: dict[int, list[Organization]]
    bodies_by_id: dict[int, Organization]
    deputies_of_post_area: dict[int, list[Membership]]  # constituency id -> its deputies
    chairs_of: dict[int, list[Membership]]  # maslikhat id -> chair and secretary
    senators_of: dict[int, list[Membership]]  # region id -> its senators
    # the directory's signal it was built at (None: none shared, the snapshot expires instead)
    signal: str | None = None
    # what adapters derive from it (the API's JSON of each area, body, representative): kept
    # with the snapshot, so it goes when the snapshot does
    memo: dict[Any, Any] = field(default_factory=dict)
    # the sets of areas a point lay in -> what represents them (`_represent`), derived from the
    # above and kept with it: up to REPRESENTED_KEPT sets (about as many as the country's
    # constituencies and their overlaps; a few hundred bytes each, the objects are shared)
    represented: dict[tuple[int, ...], Represented] = field(default_factory=dict)


REPRESENTED_KEPT = 20_000


def _build_snapshot(index: LookupIndex, day: date, signal: str | None = None) -> Snapshot:
    wanted = set(index.with_ancestors(index.area_ids))
    wanted.update(p for pending in index.pending_in.values() for p in pending)
    areas = {
        a.id: a
        for a in Area.objects.current(day).filter(id__in=sorted(wanted)).defer("boundary", "boundary_web")
    }
    elected = {a.body_id for a in areas.values() if a.body_id is not None}
    bodies = list(
        Organization.objects.current(day)
        .filter(Q(kind__in=BODY_KINDS, area_id__in=list(areas)) | Q(id__in=sorted(elected)))
        .select_related("area")
        .defer("area__boundary", "area__boundary_web")
    )
    bodies_by_id = {b.id: b for b in bodies}
    bodies_at: dict[int, list[Organization]] = {}
    for b in bodies:
        if b.kind in BODY_KINDS and b.area_id is not None:
            bodies_at.setdefault(b.area_id, []).append(b)
    deputies: dict[int, list[Membership]] = {}
    chairs: dict[int, list[Membership]] = {}
    senators: dict[int, list[Membership]] = {}
    memberships = (
        Membership.objects.current(day)
        .filter(role__in=REPRESENTED_ROLES)
        .select_related("person", "organization", "post", "post__area", "on_behalf_of")
        .defer("post__area__boundary", "post__area__boundary_web")
    )
    for m in memberships:
        post_area = m.post.area_id if m.post is not None else None
        if m.role == PostRole.CONSTITUENCY_DEPUTY and post_area is not None:
            deputies.setdefault(post_area, []).append(m)
        elif m.role in (PostRole.CHAIR, PostRole.SECRETARY) and m.organization.kind in MASLIKHAT_KINDS:
            chairs.setdefault(m.organization_id, []).append(m)
        elif (
            m.role == PostRole.SENATOR
            and post_area is not None
            and m.organization.kind == OrganizationKind.PARLIAMENT_CHAMBER
        ):
            senators.setdefault(post_area, []).append(m)
    return Snapshot(
        version=index.version,
        day=day,
        expires_at=math.inf if signal is not None else time.monotonic() + SNAPSHOT_TTL_SECONDS,
        areas=areas,
        bodies_at=bodies_at,
        bodies_by_id=bodies_by_id,
        deputies_of_post_area=deputies,
        chairs_of=chairs,
        senators_of=senators,
        signal=signal,
    )


_snapshots: dict[tuple[int, date], Snapshot] = {}
_refreshing: set[tuple[int, date]] = set()


def _store(key: tuple[int, date], snapshot: Snapshot) -> None:
    with _lock:
        for old in [k for k in _snapshots if k[0] != key[0]]:
            del _snapshots[old]
        today = timezone.localdate()
        while len(_snapshots) >= SNAPSHOTS_KEPT and key not in _snapshots:
            # the oldest past day goes first: asking for past days never evicts today's
            others = [k for k in _snapshots if k[1] != today] or list(_snapshots)
            del _snapshots[others[0]]
        _snapshots[key] = snapshot


def _refresh_in_background(index: LookupIndex, day: date, key: tuple[int, date]) -> None:
    """Build a fresh snapshot in a thread while requests keep reading the expired one, so no
    request waits for the rebuild (the expired one is at most a rebuild's time older)."""
    from django.db import connections

    def run() -> None:
        try:
            _store(key, _build_snapshot(index, day, _signal))
        finally:
            with _lock:
                _refreshing.discard(key)
            connections.close_all()  # this thread's own connections

    with _lock:
        if key in _refreshing:
            return
        _refreshing.add(key)
    threading.Thread(target=run, name="lookup-snapshot", daemon=True).start()


def _snapshot(index: LookupIndex, day: date) -> Snapshot:
    key = (index.version, day)
    found = _snapshots.get(key)
    if found is None:
        found = _build_snapshot(index, day, _signal)
        _store(key, found)
    elif found.expires_at < time.monotonic():
        _refresh_in_background(index, day, key)
    return found


BODY_LEVEL = {
    OrganizationKind.DISTRICT_MASLIKHAT: 0,
    OrganizationKind.CITY_MASLIKHAT: 0,
    OrganizationKind.REGIONAL_MASLIKHAT: 1,
    OrganizationKind.NATIONAL_COUNCIL: 2,
    OrganizationKind.PARLIAMENT_CHAMBER: 3,
}


def _represent(snapshot: Snapshot, index: LookupIndex, hit_ids: list[int]) -> Represented | None:
    """The areas, bodies, representatives and pending units of a point in `hit_ids`; None when
    no area in force covers it. Kept per snapshot for each set of areas (`Snapshot.represented`)."""
    key = tuple(hit_ids)
    found = snapshot.represented.get(key)
    if found is None:
        found = _represent_now(snapshot, index, hit_ids)
        if found is not None and len(snapshot.represented) < REPRESENTED_KEPT:
            snapshot.represented[key] = found
    return found


def _represent_now(snapshot: Snapshot, index: LookupIndex, hit_ids: list[int]) -> Represented | None:
    all_ids = index.with_ancestors(hit_ids)
    pending_ids = {p for a in all_ids for p in index.pending_in.get(a, [])}
    areas = sorted(
        (snapshot.areas[i] for i in all_ids if i in snapshot.areas and i not in pending_ids),
        key=_area_sort_key,
    )
    pending = sorted((snapshot.areas[i] for i in pending_ids if i in snapshot.areas), key=lambda a: a.code)
    if not areas:
        return None
    found: dict[int, Organization] = {}
    for area in areas:
        if area.kind != AreaKind.CONSTITUENCY:
            for body in snapshot.bodies_at.get(area.id, []):
                found[body.id] = body
        if area.body_id is not None and area.body_id in snapshot.bodies_by_id:
            found[area.body_id] = snapshot.bodies_by_id[area.body_id]
    bodies = sorted(found.values(), key=lambda o: (BODY_LEVEL.get(OrganizationKind(o.kind), 9), o.name_en))
    body_rank = {b.id: i for i, b in enumerate(bodies)}
    reps: list[Representative] = []
    for area in areas:
        if area.kind == AreaKind.CONSTITUENCY:
            deputies = snapshot.deputies_of_post_area.get(area.id, [])
            reps.extend(Representative(m, "constituency") for m in deputies)
        elif area.kind == AreaKind.REGION:
            reps.extend(Representative(m, "national") for m in snapshot.senators_of.get(area.id, []))
    for body in bodies:
        if body.kind in MASLIKHAT_KINDS:
            reps.extend(Representative(m, "chair") for m in snapshot.chairs_of.get(body.id, []))
    reps.sort(
        key=lambda r: (
            REASON_ORDER[r.reason],
            body_rank.get(r.membership.organization_id, 99),
            r.membership.person.sort_name,
        )
    )
    return areas, bodies, reps, pending


def warm_up() -> bool:
    """Build the index and today's snapshot before a server process's first look-up (about
    1.3 s on the real country: config.gunicorn.post_worker_init), which the first villager of
    every worker waited for; True when built. Never raises (a worker that fails to start is
    restarted, and fails again): a database not reachable yet is the first request's to report,
    and the look-up builds them then."""
    try:
        _snapshot(get_index(), timezone.localdate())
    except Exception:  # noqa: BLE001 - logged; the first look-up builds them or reports why
        logger.exception("lookup: the index could not be built before the first request")
        return False
    return True


def lookup_point(lat: float, lon: float, on: date | None = None) -> LookupResult:
    """Everything that represents the place at (lat, lon) on day `on` (default today)."""
    validate_coordinates(lat, lon)
    day = on or timezone.localdate()
    index = get_index()
    hit_ids = index.area_ids_at(lat, lon)
    if not hit_ids:
        raise OutsideCoverage(f"no area covers ({lat}, {lon})")
    snapshot = _snapshot(index, day)
    found = _represent(snapshot, index, hit_ids)
    if found is None:
        raise OutsideCoverage(f"no area in force covers ({lat}, {lon}) on {day}")
    areas, bodies, reps, pending = found
    return LookupResult(
        lat=lat,
        lon=lon,
        on=day,
        areas=list(areas),  # copies: the kept lists are shared by every look-up of the set
        bodies=list(bodies),
        representatives=list(reps),
        boundary_pending=list(pending),
        memo=snapshot.memo,
    )
