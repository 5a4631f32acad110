"""Reads of the directory. Selectors own select_related/prefetch_related: no N+1 queries.

Maps change only when boundaries do: each rendered map is cached per language and per
DirectoryState.boundaries_version, so a page with a map costs one small query once warm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from maslikhat.core.i18n import current_language

from .choices import ADMINISTRATIVE_LEVEL, MASLIKHAT_KINDS, AreaKind, OrganizationKind, PostRole
from .geo import EMPTY, RenderedMap, Shape, render_map
from .models import Area, DirectoryState, Membership, Organization, Person, SeatLimit
from .text import FUZZY_MIN_LENGTH, KEY_SEPARATOR, fuzzy_pattern, fuzzy_prefilter, normalise

MAP_CACHE_SECONDS = 6 * 3600


# A query one letter off is checked in Python over the areas that contain one half of it
# (directory.text.fuzzy_prefilter); at most this many, else only exact matches are looked for.
FUZZY_CANDIDATES = 20000
# Parents loaded with each hit: settlement → okrug → district → region.
PARENT_DEPTH = 3
_PARENTS = tuple("__".join(["parent"] * n) for n in range(1, PARENT_DEPTH + 1))
_AREA_BOUNDARIES = ("boundary", "boundary_web") + tuple(
    f"{p}__{f}" for p in _PARENTS for f in ("boundary", "boundary_web", "search_key")
)


def _in_force_areas(kind: str | Iterable[str] | None, parent_code: str | None) -> QuerySet[Area]:
    qs = Area.objects.current()
    if isinstance(kind, str) and kind:
        qs = qs.filter(kind=kind)
    elif kind:
        qs = qs.filter(kind__in=list(kind))
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    return qs


def area_list(*, kind: str | None = None, parent_code: str | None = None) -> QuerySet[Area]:
    """Areas in force by kind and code, with their parents up to the region loaded
    (`area_parents`). To find areas by name use `area_search`."""
    return (
        _in_force_areas(kind, parent_code)
        .select_related(*_PARENTS)
        .defer(*_AREA_BOUNDARIES)
        .order_by("kind", "code")
    )


@dataclass
class AreaSearchPage:
    items: list[Area]
    count: int


def area_search(
    *,
    q: str,
    kind: str | Iterable[str] | None = None,
    parent_code: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> AreaSearchPage:
    """Areas in force whose name in any language contains `q`, or is one letter off it, or
    whose code or KATO code is `q`; with their parents up to the region loaded. Names one
    letter off are offered only when nothing matches as typed.

    Names are compared through the stored search key (directory.text: case, Kazakh letters and
    "ё" folded), so SQLite finds "шымкент" too. Order: an exact code, then names that begin
    with the query, then names that contain it, then those one letter off; within each, larger
    units first, then by name. Two queries: one reads the candidates' keys, one the page."""
    text = q.strip()
    query = normalise(text)
    base = _in_force_areas(kind, parent_code)
    # Codes are upper-case ("KZ-71") or digits; no LOWER/UPPER over the table.
    by_code = Q(code__in={text, text.upper()}) | Q(kato_code=text)
    exact = by_code | Q(search_key__contains=query) if query else by_code
    columns = ("id", "search_key", "kind", "name_ru", "name_kk", "code", "kato_code")
    fuzzy = len(query) >= FUZZY_MIN_LENGTH and not text.isdigit()  # a KATO code is looked up exactly
    rows: list[tuple[Any, ...]] = []
    if fuzzy:
        left, right = fuzzy_prefilter(query)
        prefilter = by_code | Q(search_key__contains=left) | Q(search_key__contains=right)
        rows = list(base.filter(prefilter).order_by().values_list(*columns)[: FUZZY_CANDIDATES + 1])
        if len(rows) > FUZZY_CANDIDATES:
            fuzzy = False
    if not fuzzy:
        rows = list(base.filter(exact).order_by().values_list(*columns))
    pattern = fuzzy_pattern(query) if fuzzy else None
    starts = (KEY_SEPARATOR + query, " " + query)
    upper = text.upper()
    ranked: list[tuple[int, int, str, str, int]] = []
    for pk, key, area_kind, name_ru, name_kk, code, kato_code in rows:
        if code.upper() == upper or kato_code == text:
            rank = 0
        elif query and any(s in key for s in starts):
            rank = 1
        elif query and query in key:
            rank = 2
        elif pattern is not None and pattern.search(key):
            rank = 3
        else:
            continue
        level = ADMINISTRATIVE_LEVEL.get(area_kind, 9)
        ranked.append((rank, level, (name_ru or name_kk).casefold(), code, pk))
    if any(r[0] < 3 for r in ranked):
        # Names one letter off are offered only when nothing matches as typed.
        ranked = [r for r in ranked if r[0] < 3]
    ranked.sort()
    ids = [r[-1] for r in ranked[offset : offset + limit]]
    if not ids:
        return AreaSearchPage(items=[], count=len(ranked))
    found = Area.objects.select_related(*_PARENTS).defer(*_AREA_BOUNDARIES).in_bulk(ids)
    return AreaSearchPage(items=[found[pk] for pk in ids if pk in found], count=len(ranked))


def area_parents(area: Area) -> list[Area]:
    """The parents of an area from `area_list`, nearest first, without the country (no query)."""
    chain: list[Area] = []
    current = area
    for _ in range(PARENT_DEPTH):
        if current.parent_id is None:
            break
        parent = current.parent
        if parent is None or parent.kind == AreaKind.COUNTRY:
            break
        chain.append(parent)
        current = parent
    return chain


def area_get(*, code: str) -> Area | None:
    return (
        Area.objects.select_related("parent", "body")
        .defer("boundary", "parent__boundary", "parent__boundary_web")
        .filter(code=code)
        .first()
    )


def area_children(*, area: Area) -> QuerySet[Area]:
    return (
        Area.objects.current()
        .filter(parent=area)
        .defer("boundary", "boundary_web")
        .order_by("kind", "number", "code")
    )


def region_map_shapes() -> list[Area]:
    """Regions with their simplified boundaries, for drawing the country map."""
    return list(
        Area.objects.current()
        .filter(kind=AreaKind.REGION)
        .only("id", "code", "kind", "name_kk", "name_ru", "name_en", "boundary_web")
        .order_by("code")
    )


def constituency_map_shapes(*, body: Organization) -> list[Area]:
    return list(
        Area.objects.current()
        .filter(kind=AreaKind.CONSTITUENCY, body=body)
        .only("id", "code", "kind", "number", "name_kk", "name_ru", "name_en", "boundary_web", "body_id")
        .order_by("number")
    )


_NO_BOUNDARY = ("area__boundary", "area__boundary_web")


def organization_list(
    *,
    kind: str | None = None,
    area_code: str | None = None,
    include_dissolved: bool = False,
    parent_id: int | None = None,
) -> QuerySet[Organization]:
    qs = Organization.objects.select_related("area", "parent").defer(*_NO_BOUNDARY)
    if not include_dissolved:
        qs = qs.current()
    if kind:
        qs = qs.filter(kind=kind)
    if area_code:
        qs = qs.filter(area__code=area_code)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    return qs.order_by("kind", "area__code", "name_en")


def maslikhat_list(*, region: Area | None = None) -> QuerySet[Organization]:
    qs = (
        Organization.objects.current()
        .filter(kind__in=MASLIKHAT_KINDS)
        .select_related("area", "parent")
        .defer(*_NO_BOUNDARY)
    )
    if region is not None:
        qs = qs.filter(Q(area=region) | Q(area__parent=region))
    return qs.order_by("kind", "area__code", "name_en")


def organization_get(*, pk: int) -> Organization | None:
    return Organization.objects.select_related("area", "parent").defer(*_NO_BOUNDARY).filter(pk=pk).first()


@dataclass
class BodyDetail:
    organization: Organization
    leaders: list[Membership]
    constituency_deputies: list[Membership]
    party_list_deputies: list[Membership]
    other_members: list[Membership]
    commissions: list[Organization]
    apparatus: Organization | None
    children: list[Organization]


def body_detail(*, organization: Organization, on: date | None = None) -> BodyDetail:
    """A body's current composition in a constant number of queries."""
    day = on or timezone.localdate()
    memberships = list(
        Membership.objects.current(day)
        .filter(organization=organization)
        .select_related("person", "post", "post__area", "on_behalf_of")
        .defer("post__area__boundary", "post__area__boundary_web")
        .order_by("person__sort_name")
    )
    leaders = [
        m for m in memberships if m.role in (PostRole.CHAIR, PostRole.SECRETARY, PostRole.COUNCIL_CHAIR)
    ]
    constituency = sorted(
        (m for m in memberships if m.role == PostRole.CONSTITUENCY_DEPUTY),
        key=lambda m: m.post.area.number if m.post and m.post.area and m.post.area.number else 0,
    )
    party_list = sorted(
        (m for m in memberships if m.role == PostRole.PARTY_LIST_DEPUTY),
        key=lambda m: (m.on_behalf_of.name_en if m.on_behalf_of else "", m.person.sort_name),
    )
    shown = {
        PostRole.CHAIR,
        PostRole.SECRETARY,
        PostRole.COUNCIL_CHAIR,
        PostRole.CONSTITUENCY_DEPUTY,
        PostRole.PARTY_LIST_DEPUTY,
    }
    others = [m for m in memberships if m.role not in shown and m.role != PostRole.STAFF]
    children = list(
        Organization.objects.current(day)
        .filter(parent=organization)
        .select_related("area")
        .defer(*_NO_BOUNDARY)
        .order_by("kind", "name_en")
    )
    commissions = [c for c in children if c.kind == OrganizationKind.STANDING_COMMISSION]
    apparatus = next((c for c in children if c.kind == OrganizationKind.APPARATUS), None)
    rest = [
        c
        for c in children
        if c.kind not in (OrganizationKind.STANDING_COMMISSION, OrganizationKind.APPARATUS)
    ]
    return BodyDetail(
        organization=organization,
        leaders=leaders,
        constituency_deputies=constituency,
        party_list_deputies=party_list,
        other_members=others,
        commissions=commissions,
        apparatus=apparatus,
        children=rest,
    )


def person_list(
    *, q: str | None = None, organization_id: int | None = None, current_only: bool = False
) -> QuerySet[Person]:
    qs = Person.objects.all()
    if q:
        qs = qs.filter(Q(name_kk__icontains=q) | Q(name_ru__icontains=q) | Q(name_en__icontains=q))
    if organization_id is not None:
        ms = Membership.objects.filter(organization_id=organization_id)
        if current_only:
            ms = ms.current()
        qs = qs.filter(id__in=ms.values("person_id"))
    return qs.order_by("sort_name", "id")


def person_get(*, pk: int) -> Person | None:
    return (
        Person.objects.filter(pk=pk)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related(
                    "organization", "organization__area", "post", "post__area", "on_behalf_of"
                )
                .defer(
                    "organization__area__boundary",
                    "organization__area__boundary_web",
                    "post__area__boundary",
                    "post__area__boundary_web",
                )
                .order_by("-start_date", "id"),
            )
        )
        .first()
    )


def current_memberships_of_user(*, user: Any, on: date | None = None) -> list[Membership]:
    """The memberships in force of the person linked to an account (roles come from these)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.current(on)
        .filter(person__user=user)
        .select_related("organization", "organization__parent", "post")
    )


SETTLEMENT_CHOICE_KINDS = (
    AreaKind.REGION,
    AreaKind.DISTRICT,
    AreaKind.CITY,
    AreaKind.CITY_DISTRICT,
    AreaKind.RURAL_OKRUG,
    AreaKind.TOWN,
    AreaKind.SETTLEMENT,
)


def settlement_choices(*, q: str, limit: int = 20) -> list[Area]:
    """Areas to choose from when the browser cannot locate the citizen (the same search as
    `GET /api/v1/areas?q=`); each with its parents loaded (`area_parents`)."""
    return area_search(q=q, kind=SETTLEMENT_CHOICE_KINDS, limit=limit).items


def seat_limit(kind: str) -> int | None:
    """The most seats a maslikhat of `kind` may have (operators change it in the admin)."""
    return SeatLimit.objects.filter(kind=kind).values_list("max_seats", flat=True).first()


def maslikhat_for_area(*, area: Area, on: date | None = None) -> Organization | None:
    """The maslikhat of an area or of the nearest area above it that has one (a settlement's
    district maslikhat; for the districts of Astana, Almaty and Shymkent, the city's)."""
    ids: list[int] = []
    current: Area | None = area
    while current is not None:
        ids.append(current.pk)
        current = current.parent if current.parent_id is not None else None
    bodies = {
        o.area_id: o
        for o in Organization.objects.current(on)
        .filter(kind__in=MASLIKHAT_KINDS, area_id__in=ids)
        .select_related("area")
        .defer(*_NO_BOUNDARY)
    }
    return next((bodies[i] for i in ids if i in bodies), None)


def boundaries_version() -> int:
    return DirectoryState.objects.filter(pk=1).values_list("boundaries_version", flat=True).first() or 0


def _cached_map(name: str, build: Callable[[], RenderedMap]) -> RenderedMap:
    key = f"directory:map:{name}:{current_language()}:{boundaries_version()}"
    rendered = cache.get(key)
    if not isinstance(rendered, RenderedMap):
        rendered = build()
        cache.set(key, rendered, MAP_CACHE_SECONDS)
    return rendered


def _area_shape(area: Area, css_class: str) -> Shape:
    return Shape(
        geometry=area.boundary_web or {},
        href=reverse("directory:area", kwargs={"code": area.code}),
        title=area.name,
        css_class=css_class,
        key=area.code,
    )


def country_map_svg() -> str:
    """The map of the 20 regions, each a link to its region page."""

    def build() -> RenderedMap:
        shapes = [_area_shape(a, "region") for a in region_map_shapes()]
        return render_map(shapes, label=gettext("Regions of Kazakhstan"))

    return _cached_map("country", build).svg()


def _constituency_shapes(body: Organization) -> list[Shape]:
    return [
        _area_shape(a, f"constituency c{(a.number or 0) % 6}") for a in constituency_map_shapes(body=body)
    ]


def constituency_map_svg(body: Organization, marker: tuple[float, float] | None = None) -> str:
    """The constituencies of a maslikhat over the outline of its area ("" when none has a
    boundary); marker is (lat, lon)."""

    def build() -> RenderedMap:
        shapes = _constituency_shapes(body)
        if not any(s.geometry for s in shapes):
            return EMPTY
        # Only on a cache miss: the area's simplified outline (often deferred by the caller).
        outline = body.area.boundary_web if body.area_id is not None and body.area is not None else None
        return render_map(shapes, width=800, label=body.name, outline=outline)

    return _cached_map(f"body:{body.pk}", build).svg(marker)


def area_children_shapes(*, area: Area) -> list[Area]:
    """The administrative areas directly inside an area, with their simplified boundaries."""
    return list(
        Area.objects.current()
        .filter(parent=area, boundary_web__isnull=False)
        .exclude(kind=AreaKind.CONSTITUENCY)
        .only("id", "code", "kind", "name_kk", "name_ru", "name_en", "boundary_web", "parent_id")
        .order_by("code")
    )


def area_map_svg(area: Area) -> str:
    """The outline of an area with the areas inside it, each a link."""

    def build() -> RenderedMap:
        shapes = [_area_shape(c, "child") for c in area_children_shapes(area=area)]
        return render_map(shapes, width=800, label=area.name, outline=area.boundary_web)

    return _cached_map(f"area:{area.pk}", build).svg()


# ------------------------------------------------------------------ the find page and territories


@dataclass
class SettlementChoice:
    """One hit of "choose your settlement": the area, its parents (nearest first, up to the
    region) and the maslikhat a choice of it leads to (its own or the nearest one above)."""

    area: Area
    parents: list[Area]
    maslikhat: Organization | None


@dataclass
class SettlementChoicePage:
    items: list[SettlementChoice]
    count: int
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.count else None

    @property
    def previous_offset(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset > 0 else None


# With a region to narrow to, the search reads this many ranked hits and keeps those in it.
REGION_FILTER_WINDOW = 1000


def maslikhats_of_areas(areas: Iterable[Area], on: date | None = None) -> dict[int, Organization]:
    """For each area (its parents loaded, as `area_search` gives them), its maslikhat or that of
    the nearest area above it with one, by area id; one query for all of them."""
    chains = {a.pk: [a.pk, *(p.pk for p in area_parents(a))] for a in areas}
    ids = {pk for chain in chains.values() for pk in chain}
    if not ids:
        return {}
    bodies = {
        o.area_id: o
        for o in Organization.objects.current(on)
        .filter(kind__in=MASLIKHAT_KINDS, area_id__in=ids)
        .select_related("area")
        .defer(*_NO_BOUNDARY)
    }
    found: dict[int, Organization] = {}
    for pk, chain in chains.items():
        body = next((bodies[i] for i in chain if i in bodies), None)
        if body is not None:
            found[pk] = body
    return found


def settlement_choice_page(
    *, q: str, region_code: str | None = None, offset: int = 0, limit: int = 20
) -> SettlementChoicePage:
    """Choose your settlement, on the find page: the same search as `GET /api/v1/areas?q=`
    (`area_search` over SETTLEMENT_CHOICE_KINDS), optionally narrowed to the areas of one region,
    each hit with its parents and the maslikhat it leads to. Three queries."""
    offset = max(0, offset)
    if region_code:
        window = area_search(q=q, kind=SETTLEMENT_CHOICE_KINDS, limit=REGION_FILTER_WINDOW).items
        inside = [
            a for a in window if a.code == region_code or any(p.code == region_code for p in area_parents(a))
        ]
        count, hits = len(inside), inside[offset : offset + limit]
    else:
        page = area_search(q=q, kind=SETTLEMENT_CHOICE_KINDS, offset=offset, limit=limit)
        count, hits = page.count, page.items
    bodies = maslikhats_of_areas(hits)
    return SettlementChoicePage(
        items=[SettlementChoice(area=a, parents=area_parents(a), maslikhat=bodies.get(a.pk)) for a in hits],
        count=count,
        offset=offset,
        limit=limit,
    )


def region_list() -> list[Area]:
    """The regions in force, by name (for narrowing a settlement search)."""
    regions = list(
        Area.objects.current()
        .filter(kind=AreaKind.REGION)
        .only("id", "code", "kind", "name_kk", "name_ru", "name_en")
    )
    return sorted(regions, key=lambda a: a.name.casefold())


@dataclass
class TerritoryGroup:
    """A rural okrug or town of a district and the settlements in it (`unit` None: the
    settlements that lie directly in the district)."""

    unit: Area | None
    settlements: list[Area]


@dataclass
class Territory:
    area: Area
    groups: list[TerritoryGroup]
    units: int
    settlements: int
    boundary_within: Area | None
    flagged: list[Area]  # the area and the units in it the source does not vouch for


_TERRITORY_FIELDS = (
    "id",
    "code",
    "kind",
    "name_kk",
    "name_ru",
    "name_en",
    "parent_id",
    "kato_code",
    "is_demo",
    "needs_review",
    "review_note",
    "boundary_within_id",
)


def area_territory(*, area: Area) -> Territory:
    """What lies in a district or city: its rural okrugs and towns with their settlements, by
    name. One query (two when the area's boundary is pending: the unit still drawn around it)."""
    rows = list(
        Area.objects.current()
        .filter(Q(parent=area) | Q(parent__parent=area))
        .exclude(kind=AreaKind.CONSTITUENCY)
        .only(*_TERRITORY_FIELDS)
    )

    def by_name(a: Area) -> tuple[str, str]:
        return (a.name.casefold(), a.code)

    units = sorted((a for a in rows if a.parent_id == area.pk and a.kind != AreaKind.SETTLEMENT), key=by_name)
    unit_ids = {u.pk for u in units}
    inside: dict[int | None, list[Area]] = {}
    for a in rows:
        if a.kind == AreaKind.SETTLEMENT and (a.parent_id in unit_ids or a.parent_id == area.pk):
            inside.setdefault(a.parent_id if a.parent_id in unit_ids else None, []).append(a)
    groups = [TerritoryGroup(unit=None, settlements=sorted(inside.get(None, []), key=by_name))]
    groups = [g for g in groups if g.settlements]
    groups += [TerritoryGroup(unit=u, settlements=sorted(inside.get(u.pk, []), key=by_name)) for u in units]
    within = None
    if area.boundary_within_id is not None:
        within = (
            Area.objects.filter(pk=area.boundary_within_id)
            .only("id", "code", "kind", "name_kk", "name_ru", "name_en")
            .first()
        )
    flagged = [area] if area.needs_review else []
    flagged += sorted((a for a in rows if a.needs_review), key=by_name)
    return Territory(
        area=area,
        groups=groups,
        units=len(units),
        settlements=sum(len(g.settlements) for g in groups),
        boundary_within=within,
        flagged=flagged,
    )
