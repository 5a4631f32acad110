"""Directory API: areas, bodies, people, "find my deputies" and the Popolo export. Adapters only:
parse (schemas), read (selectors, look-up), render (schemas); errors through ApiError."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router
from ninja.params.models import Query as QueryParam
from ninja.params.models import QueryModel

from maslikhat.directory import lookup, selectors
from maslikhat.directory.choices import AreaKind
from maslikhat.directory.models import Area

from .errors import ApiError, ErrorOut, ValidationErrorOut
from .schemas import (
    AreaDetailOut,
    AreaFilters,
    AreaOut,
    BodyDetailOut,
    BodyFilters,
    BodyPage,
    Code,
    Id,
    LookupQuery,
    Names,
    OnDate,
    Out,
    PeopleFilters,
    PersonDetailOut,
    PersonPage,
    area_out,
    body_out,
    body_ref,
    membership_out,
    names,
    person_out,
    representative_out,
)
from .schemas import (
    LookupOut as BaseLookupOut,
)

router = Router(tags=["directory"])


class AreaRef(Out):
    code: str
    kind: AreaKind
    kato_code: str
    name: Names


class AreaHitOut(AreaOut):
    parents: list[AreaRef] = Field(description="the areas it lies in, nearest first, up to its region")
    needs_review: bool = Field(description="the source marks something about it as unverified")
    boundary_pending: bool = Field(description="no boundary of its own yet")


class AreaHitPage(Out):
    items: list[AreaHitOut]
    count: int


class BodyListFilters(BodyFilters):
    parent: Id | None = Field(
        None, description="id of the parent body (a regional maslikhat: its district ones)"
    )


class LookupOut(BaseLookupOut):
    boundary_pending: list[AreaRef] = Field(
        description=(
            "units without a boundary of their own yet whose territory is drawn inside one of the areas: "
            "the point may lie in one of them"
        )
    )


def area_ref(a: Area) -> AreaRef:
    return AreaRef(code=a.code, kind=AreaKind(a.kind), kato_code=a.kato_code, name=names(a))


def area_hit(a: Area) -> AreaHitOut:
    """`a` comes from selectors.area_list, its parents loaded: no query."""
    return AreaHitOut(
        **area_out(a).model_dump(),
        parents=[area_ref(p) for p in selectors.area_parents(a)],
        needs_review=a.needs_review,
        boundary_pending=a.boundary_pending,
    )


LIST_ERRORS: dict[int, Any] = {422: ValidationErrorOut}
DETAIL_ERRORS: dict[int, Any] = {404: ErrorOut, 422: ValidationErrorOut}


@router.get(
    "/areas",
    response={200: AreaHitPage, **LIST_ERRORS},
    summary="Areas in force; q finds a settlement by any of its names (one letter off too)",
)
def areas(request: HttpRequest, f: Query[AreaFilters]) -> AreaHitPage:
    if f.q:
        found = selectors.area_search(
            q=f.q, kind=f.kind, parent_code=f.parent, offset=f.offset, limit=f.limit
        )
        return AreaHitPage(items=[area_hit(a) for a in found.items], count=found.count)
    qs = selectors.area_list(kind=f.kind, parent_code=f.parent)
    page = [area_hit(a) for a in qs[f.offset : f.offset + f.limit]]
    return AreaHitPage(items=page, count=qs.count())


@router.get("/areas/{code}", response={200: AreaDetailOut, **DETAIL_ERRORS}, summary="One area")
def area_detail(request: HttpRequest, code: Path[Code]) -> AreaDetailOut:
    a = selectors.area_get(code=code)
    if a is None:
        raise ApiError(404, "not_found", _("No area with this code."))
    children = list(selectors.area_children(area=a).values_list("code", flat=True))
    return AreaDetailOut(**area_out(a).model_dump(), children=children, boundary_web=a.boundary_web)


@router.get("/bodies", response={200: BodyPage, **LIST_ERRORS}, summary="Bodies")
def bodies(request: HttpRequest, f: Query[BodyListFilters]) -> BodyPage:
    qs = selectors.organization_list(
        kind=f.kind, area_code=f.area, include_dissolved=f.include_dissolved, parent_id=f.parent
    )
    page = [body_out(o) for o in qs[f.offset : f.offset + f.limit]]
    return BodyPage(items=page, count=qs.count())


@router.get(
    "/bodies/{body_id}",
    response={200: BodyDetailOut, **DETAIL_ERRORS},
    summary="One body and its composition on a day",
)
def body_detail(request: HttpRequest, body_id: Path[Id], q: Query[OnDate]) -> BodyDetailOut:
    org = selectors.organization_get(pk=body_id)
    if org is None:
        raise ApiError(404, "not_found", _("No body with this id."))
    d = selectors.body_detail(organization=org, on=q.on)
    return BodyDetailOut(
        **body_out(org).model_dump(),
        description=names(org, "description"),
        email=org.email,
        phone=org.phone,
        address=org.address,
        website=org.website,
        leaders=[membership_out(m, body=org) for m in d.leaders],
        constituency_deputies=[membership_out(m, body=org) for m in d.constituency_deputies],
        party_list_deputies=[membership_out(m, body=org) for m in d.party_list_deputies],
        other_members=[membership_out(m, body=org) for m in d.other_members],
        commissions=[body_ref(c) for c in d.commissions],
        apparatus=body_ref(d.apparatus) if d.apparatus is not None else None,
        children=[body_ref(c) for c in d.children],
    )


@router.get("/people", response={200: PersonPage, **LIST_ERRORS}, summary="People")
def people(request: HttpRequest, f: Query[PeopleFilters]) -> PersonPage:
    qs = selectors.person_list(q=f.q, organization_id=f.body, current_only=f.current)
    page = [person_out(p) for p in qs[f.offset : f.offset + f.limit]]
    return PersonPage(items=page, count=qs.count())


@router.get(
    "/people/{person_id}",
    response={200: PersonDetailOut, **DETAIL_ERRORS},
    summary="One person and their memberships over time",
)
def person_detail(request: HttpRequest, person_id: Path[Id]) -> PersonDetailOut:
    p = selectors.person_get(pk=person_id)
    if p is None:
        raise ApiError(404, "not_found", _("No person with this id."))
    return PersonDetailOut(
        **person_out(p).model_dump(),
        biography=names(p, "biography"),
        email=p.email,
        phone=p.phone,
        website=p.website,
        memberships=[membership_out(m) for m in p.memberships.all()],
    )


JSON_CONTENT_TYPE = "application/json; charset=utf-8"

# The look-up's query in its plain form, `lat=<decimal>&lon=<decimal>` (what a map sends), is read
# without pydantic: only these two keys, once each, as decimals whose float() is what pydantic
# reads, within LookupQuery's bounds. Anything else (a date, other keys, exponents, out of range,
# junk) goes through ninja's LookupQuery as before, with its 422s.
_PLAIN_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,2})(?:\.[0-9]{1,17})?")
_PLAIN_KEYS = {"lat", "lon"}


def plain_lookup_query(request: HttpRequest) -> LookupQuery | None:
    """LookupQuery for a plain `lat=..&lon=..` query, or None (then ninja validates it)."""
    query = request.GET
    if query.keys() != _PLAIN_KEYS:
        return None
    values = []
    for name in ("lat", "lon"):
        found = query.getlist(name)
        if len(found) != 1 or _PLAIN_DECIMAL.fullmatch(found[0]) is None:
            return None
        values.append(float(found[0]))
    lat, lon = values
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return LookupQuery.model_construct(lat=lat, lon=lon, on=None)


class _LookupQueryModel(QueryModel):
    """ninja's query parameters of the look-up (documented as LookupQuery's), a plain query read
    by `plain_lookup_query`."""

    @classmethod
    def resolve(cls, request: HttpRequest, api: Any, path_params: Any) -> Any:
        plain = plain_lookup_query(request)
        if plain is None:
            return super().resolve(request, api, path_params)
        return cls.model_construct(q=plain)


class _LookupQueryParam(QueryParam):  # type: ignore[misc]
    _model = _LookupQueryModel

    @classmethod
    def _param_source(cls) -> str:
        return "query"  # ninja names the source after the class


@router.get(
    "/lookup",
    response={200: LookupOut, **DETAIL_ERRORS},
    summary="Find my deputies: the areas, bodies and representatives of a point",
)
def lookup_endpoint(request: HttpRequest, q: Annotated[LookupQuery, _LookupQueryParam(...)]) -> HttpResponse:
    try:
        result = lookup.lookup_point(q.lat, q.lon, on=q.on)
    except lookup.InvalidCoordinates:
        # The schema bounds lat/lon already; this keeps the answer a 422 should the rules differ.
        raise ApiError(
            422,
            "validation_error",
            _("Some fields are not valid."),
            errors=[{"field": "lat", "code": "out_of_range", "message": _("Enter a valid value.")}],
        ) from None
    except lookup.OutsideCoverage:
        raise ApiError(
            404, "outside_coverage", _("This point is outside the territory the directory covers.")
        ) from None
    return HttpResponse(lookup_json(result), content_type=JSON_CONTENT_TYPE)


def _memo_json(memo: dict[Any, Any], key: tuple[Any, ...], build: Callable[[], Out]) -> bytes:
    """The JSON of one item of an answer, made once per snapshot (they are the same objects
    until the directory changes): a look-up then only joins bytes."""
    found: bytes | None = memo.get(key)
    if found is None:
        found = memo[key] = build().model_dump_json().encode()
    return found


def lookup_json(result: lookup.LookupResult) -> bytes:
    """The answer as LookupOut's JSON (the same fields in the same order), each area, body and
    representative serialized through its schema once per snapshot (`LookupResult.memo`)."""
    memo = result.memo
    # Every ancestor of a hit is in the answer, so parents are named without another query.
    codes = {a.pk: a.code for a in result.areas}
    areas = []
    for a in result.areas:
        parent = codes.get(a.parent_id) if a.parent_id is not None else None
        areas.append(_memo_json(memo, ("area", a.pk, parent), partial(area_out, a, codes=codes)))
    bodies = [_memo_json(memo, ("body", b.pk), partial(body_out, b)) for b in result.bodies]
    reps = [
        _memo_json(memo, ("rep", r.membership.pk, r.reason), partial(representative_out, r))
        for r in result.representatives
    ]
    pending = [_memo_json(memo, ("pending", a.pk), partial(area_ref, a)) for a in result.boundary_pending]
    head = json.dumps(
        {"lat": result.lat, "lon": result.lon, "date": result.on.isoformat()}, separators=(",", ":")
    )
    return b"".join(
        (
            head[:-1].encode(),
            b',"areas":[',
            b",".join(areas),
            b'],"bodies":[',
            b",".join(bodies),
            b'],"representatives":[',
            b",".join(reps),
            b'],"boundary_pending":[',
            b",".join(pending),
            b"]}",
        )
    )


@router.get("/export/popolo.json", response=dict[str, Any], summary="The whole directory as Popolo JSON")
def export_popolo(request: HttpRequest) -> StreamingHttpResponse:
    """Streamed: the whole country with its settlements is about 9 MB, read a chunk at a time
    in five queries."""
    # Imported here: the export module belongs to the directory and may grow heavy imports.
    from maslikhat.directory.exports import popolo_stream

    return StreamingHttpResponse(
        (piece.encode() for piece in popolo_stream()), content_type="application/json; charset=utf-8"
    )
