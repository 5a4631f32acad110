"""Directory API: areas, bodies, people, the look-up, the working-day calculator, exports."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from maslikhat.core.calendar import MAX_WORKING_DAYS, add_working_days
from maslikhat.core.i18n import all_languages
from maslikhat.directory import lookup, selectors
from maslikhat.directory.choices import AreaKind, OrganizationKind
from maslikhat.directory.models import Area, Membership, Organization, Person

router = Router(tags=["directory"])


class Page(Schema):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


class AreaFilters(Page):
    kind: str | None = None
    parent: str | None = None
    q: str | None = Field(None, max_length=100)


class BodyFilters(Page):
    kind: str | None = None
    area: str | None = None
    include_dissolved: bool = False


class PeopleFilters(Page):
    q: str | None = Field(None, max_length=100)
    body: int | None = None
    current: bool = False


class LookupQuery(Schema):
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)
    on: date | None = Field(None, alias="date")


class WorkingDaysQuery(Schema):
    start: date
    days: int = Field(..., ge=0, le=MAX_WORKING_DAYS)


def error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


class Names(Schema):
    kk: str
    ru: str
    en: str


class AreaOut(Schema):
    code: str
    kind: str
    name: Names
    parent: str | None
    iso_code: str
    kato_code: str
    centre_lat: float | None
    centre_lon: float | None
    population: int | None
    number: int | None
    body_id: int | None
    is_demo: bool


class AreaDetail(AreaOut):
    children: list[str]
    boundary: dict[str, Any] | None = Field(None, description="simplified GeoJSON geometry for maps")


class AreaPage(Schema):
    items: list[AreaOut]
    count: int


class BodyOut(Schema):
    id: int
    slug: str
    kind: str
    name: Names
    parent_id: int | None
    area: str | None
    founding_date: date
    dissolution_date: date | None
    seats: int | None
    is_demo: bool


class BodyPage(Schema):
    items: list[BodyOut]
    count: int


class MembershipOut(Schema):
    person_id: int
    person: Names
    organization_id: int
    organization: Names
    role: str
    post: str | None
    constituency: str | None
    constituency_number: int | None
    party: str | None
    election_method: str
    start_date: date
    end_date: date | None
    is_demo: bool


class BodyDetail(BodyOut):
    email: str
    phone: str
    address: str
    website: str
    leaders: list[MembershipOut]
    constituency_deputies: list[MembershipOut]
    party_list_deputies: list[MembershipOut]
    commissions: list[BodyOut]
    apparatus: BodyOut | None


class PersonOut(Schema):
    id: int
    name: Names
    biography: Names
    email: str
    phone: str
    website: str
    is_demo: bool


class PersonPage(Schema):
    items: list[PersonOut]
    count: int


class PersonDetail(PersonOut):
    memberships: list[MembershipOut]


class Representative(MembershipOut):
    reason: str


class LookupOut(Schema):
    lat: float
    lon: float
    date: date
    areas: list[AreaOut]
    bodies: list[BodyOut]
    representatives: list[Representative]


class WorkingDaysOut(Schema):
    start: date
    days: int
    date: date


def area_out(a: Area) -> dict[str, Any]:
    return {
        "code": a.code,
        "kind": a.kind,
        "name": all_languages(a, "name"),
        "parent": a.parent.code if a.parent_id and a.parent else None,
        "iso_code": a.iso_code,
        "kato_code": a.kato_code,
        "centre_lat": a.centre_lat,
        "centre_lon": a.centre_lon,
        "population": a.population,
        "number": a.number,
        "body_id": a.body_id,
        "is_demo": a.is_demo,
    }


def body_out(o: Organization) -> dict[str, Any]:
    return {
        "id": o.pk,
        "slug": o.slug,
        "kind": o.kind,
        "name": all_languages(o, "name"),
        "parent_id": o.parent_id,
        "area": o.area.code if o.area_id and o.area else None,
        "founding_date": o.founding_date,
        "dissolution_date": o.dissolution_date,
        "seats": o.seats,
        "is_demo": o.is_demo,
    }


def membership_out(m: Membership) -> dict[str, Any]:
    area = m.post.area if m.post is not None else None
    return {
        "person_id": m.person_id,
        "person": all_languages(m.person, "name"),
        "organization_id": m.organization_id,
        "organization": all_languages(m.organization, "name"),
        "role": m.role,
        "post": m.post.label if m.post else None,
        "constituency": area.code if area is not None and area.kind == AreaKind.CONSTITUENCY else None,
        "constituency_number": area.number if area is not None else None,
        "party": m.on_behalf_of.slug if m.on_behalf_of else None,
        "election_method": m.election_method,
        "start_date": m.start_date,
        "end_date": m.end_date,
        "is_demo": m.is_demo,
    }


def person_out(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": all_languages(p, "name"),
        "biography": all_languages(p, "biography"),
        "email": p.email,
        "phone": p.phone,
        "website": p.website,
        "is_demo": p.is_demo,
    }


@router.get("/areas", response=AreaPage)
def areas(request: HttpRequest, f: Query[AreaFilters]) -> Any:
    if f.kind and f.kind not in AreaKind.values:
        return error(422, "invalid_kind", _("Unknown kind of area."))
    qs = selectors.area_list(kind=f.kind, parent_code=f.parent, q=f.q)
    return {"items": [area_out(a) for a in qs[f.offset : f.offset + f.limit]], "count": qs.count()}


@router.get("/areas/{code}", response=AreaDetail)
def area_detail(request: HttpRequest, code: str) -> Any:
    a = selectors.area_get(code=code)
    if a is None:
        return error(404, "not_found", _("No area with this code."))
    children = list(selectors.area_children(area=a).values_list("code", flat=True))
    boundary = Area.objects.filter(pk=a.pk).values_list("boundary_web", flat=True).first()
    return {**area_out(a), "children": children, "boundary": boundary}


@router.get("/bodies", response=BodyPage)
def bodies(request: HttpRequest, f: Query[BodyFilters]) -> Any:
    if f.kind and f.kind not in OrganizationKind.values:
        return error(422, "invalid_kind", _("Unknown kind of body."))
    qs = selectors.organization_list(kind=f.kind, area_code=f.area, include_dissolved=f.include_dissolved)
    return {"items": [body_out(o) for o in qs[f.offset : f.offset + f.limit]], "count": qs.count()}


@router.get("/bodies/{body_id}", response=BodyDetail)
def body_detail(request: HttpRequest, body_id: int) -> Any:
    org = selectors.organization_get(pk=body_id)
    if org is None:
        return error(404, "not_found", _("No body with this id."))
    d = selectors.body_detail(organization=org)
    return {
        **body_out(org),
        "email": org.email,
        "phone": org.phone,
        "address": org.address,
        "website": org.website,
        "leaders": [membership_out(m) for m in d.leaders],
        "constituency_deputies": [membership_out(m) for m in d.constituency_deputies],
        "party_list_deputies": [membership_out(m) for m in d.party_list_deputies],
        "commissions": [body_out(c) for c in d.commissions],
        "apparatus": body_out(d.apparatus) if d.apparatus else None,
    }


@router.get("/people", response=PersonPage)
def people(request: HttpRequest, f: Query[PeopleFilters]) -> Any:
    qs = selectors.person_list(q=f.q, organization_id=f.body, current_only=f.current)
    return {"items": [person_out(p) for p in qs[f.offset : f.offset + f.limit]], "count": qs.count()}


@router.get("/people/{person_id}", response=PersonDetail)
def person_detail(request: HttpRequest, person_id: int) -> Any:
    p = selectors.person_get(pk=person_id)
    if p is None:
        return error(404, "not_found", _("No person with this id."))
    return {**person_out(p), "memberships": [membership_out(m) for m in p.memberships.all()]}


@router.get("/lookup", response=LookupOut)
def lookup_endpoint(request: HttpRequest, q: Query[LookupQuery]) -> Any:
    lat, lon = q.lat, q.lon
    try:
        result = lookup.lookup_point(lat, lon, on=q.on)
    except lookup.OutsideCoverage:
        return error(404, "outside_coverage", _("This point is outside the territory the directory covers."))
    return {
        "lat": lat,
        "lon": lon,
        "date": result.on,
        "areas": [area_out(a) for a in result.areas],
        "bodies": [body_out(b) for b in result.bodies],
        "representatives": [
            {**membership_out(r.membership), "reason": r.reason} for r in result.representatives
        ],
    }


@router.get("/calendar/working-days", response=WorkingDaysOut)
def working_days(request: HttpRequest, q: Query[WorkingDaysQuery]) -> Any:
    return {"start": q.start, "days": q.days, "date": add_working_days(q.start, q.days)}


@router.get("/export/popolo.json")
def export_popolo(request: HttpRequest) -> Any:
    from maslikhat.directory.exports import popolo_document

    return popolo_document()
