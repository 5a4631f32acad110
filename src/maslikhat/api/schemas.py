"""Typed input and output schemas of the directory API, and the mapping from models to them.

The mapping functions (`area_out`, `body_out`, ...) only read what the selectors have already
loaded (select_related / prefetch_related): calling them never runs a query.
"""

from __future__ import annotations

import datetime
from datetime import date
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from maslikhat.core.calendar import MAX_WORKING_DAYS
from maslikhat.core.i18n import all_languages
from maslikhat.core.text import UnacceptableText, clean_text
from maslikhat.directory.choices import AreaKind, OrganizationKind, PostRole
from maslikhat.directory.lookup import Representative
from maslikhat.directory.models import Area, Membership, Organization, Person

# ------------------------------------------------------------------ input types

# Database ids are 64-bit: anything larger is refused before it reaches the database.
MAX_ID = 2**63 - 1
MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 100
MAX_OFFSET = 10_000_000
# Dates the API accepts: wide enough for any history and plan, narrow enough for date arithmetic.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)

INT64_MIN = -(2**63)

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Any other whole number the API reads: within 64 bits, so it never overflows a database column.
Int64 = Annotated[int, Field(ge=INT64_MIN, le=MAX_ID)]
ApiDate = Annotated[date, Field(ge=MIN_DATE, le=MAX_DATE)]


def clean_api_text(value: str) -> str:
    try:
        return clean_text(value)
    except UnacceptableText as exc:
        # The code is the field-level code of the 422 (api.errors); the message is ours, translated.
        raise PydanticCustomError(exc.code, str(exc.message)) from None


def _clean_verbatim(value: str) -> str:
    try:
        return clean_text(value, verbatim=True)
    except UnacceptableText as exc:
        raise PydanticCustomError(exc.code, str(exc.message)) from None


# Every string the API reads is one of these: user text through the project's one rule
# (core.text.clean_text: no NUL, no lone surrogate, not only invisible characters, bidi controls
# removed), bounded where it is a query or a code.
Text = Annotated[str, AfterValidator(clean_api_text)]
SearchText = Annotated[str, StringConstraints(max_length=100), AfterValidator(clean_api_text)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=40), AfterValidator(clean_api_text)]
# A user name, and a one-time code from an authenticator app.
Login = Annotated[str, StringConstraints(max_length=256), AfterValidator(clean_api_text)]
OneTimeCode = Annotated[str, StringConstraints(max_length=16), AfterValidator(clean_api_text)]
# A secret compared as typed (a password): refused with NUL or a lone surrogate, never altered.
# Published as format "password" (tests/hostile/test_hostile_text.py knows such a field by it).
Secret = Annotated[
    str,
    StringConstraints(max_length=256),
    AfterValidator(_clean_verbatim),
    WithJsonSchema({"type": "string", "maxLength": 256, "format": "password"}),
]


class PageQuery(Schema):
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="page size")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="items to skip")


class AreaFilters(PageQuery):
    kind: AreaKind | None = None
    parent: Code | None = Field(None, description="code of the parent area")
    q: SearchText | None = Field(None, description="part of a name in any language, or an exact code")


class BodyFilters(PageQuery):
    kind: OrganizationKind | None = None
    area: Code | None = Field(None, description="code of the body's area")
    include_dissolved: bool = False


class PeopleFilters(PageQuery):
    q: SearchText | None = Field(None, description="part of a name in any language")
    body: Id | None = Field(None, description="id of a body the person has been a member of")
    current: bool = Field(False, description="with `body`: only members in force today")


class OnDate(Schema):
    on: ApiDate | None = Field(None, alias="date", description="the day (default: today)")


class LookupQuery(OnDate):
    lat: float = Field(..., ge=-90, le=90, allow_inf_nan=False, description="latitude, WGS 84")
    lon: float = Field(..., ge=-180, le=180, allow_inf_nan=False, description="longitude, WGS 84")


class WorkingDaysQuery(Schema):
    start: ApiDate
    days: int = Field(..., ge=0, le=MAX_WORKING_DAYS, description="working days to add")


# ------------------------------------------------------------------ output schemas


class Out(BaseModel):
    """Base of the output schemas: plain pydantic models, built by the mapping functions below.

    Not ninja's Schema: its wrap validator (which reads ORM objects attribute by attribute) costs
    more than everything else in a look-up answer, and these models are always built from
    keyword arguments.
    """


class Names(Out):
    kk: str
    ru: str
    en: str


class AreaOut(Out):
    code: str
    kind: AreaKind
    name: Names
    parent: str | None = Field(description="code of the parent area")
    iso_code: str
    kato_code: str
    centre: Names = Field(description="administrative centre")
    centre_lat: float | None
    centre_lon: float | None
    population: int | None
    number: int | None = Field(description="constituency number")
    body_id: int | None = Field(description="for a constituency: the maslikhat elected in it")
    valid_from: date | None
    valid_until: date | None
    is_demo: bool


class AreaDetailOut(AreaOut):
    children: list[str] = Field(description="codes of the areas in force inside this one")
    boundary_web: dict[str, Any] | None = Field(description="simplified GeoJSON geometry for maps")


class AreaPage(Out):
    items: list[AreaOut]
    count: int


class BodyRef(Out):
    id: int
    slug: str
    kind: OrganizationKind
    name: Names


class BodyOut(BodyRef):
    parent_id: int | None
    area: str | None = Field(description="code of the body's area")
    founding_date: date
    dissolution_date: date | None
    seats: int | None
    is_demo: bool


class BodyPage(Out):
    items: list[BodyOut]
    count: int


class PersonRef(Out):
    id: int
    name: Names


class ConstituencyRef(Out):
    code: str
    number: int | None


class MembershipOut(Out):
    id: int
    person: PersonRef
    body: BodyRef
    role: PostRole
    post: Names | None = Field(description="label of the post held")
    constituency: ConstituencyRef | None
    party: BodyRef | None
    election_method: str
    start_date: date
    end_date: date | None
    is_demo: bool


class BodyDetailOut(BodyOut):
    description: Names
    email: str
    phone: str
    address: str
    website: str
    leaders: list[MembershipOut]
    constituency_deputies: list[MembershipOut]
    party_list_deputies: list[MembershipOut]
    other_members: list[MembershipOut]
    commissions: list[BodyRef]
    apparatus: BodyRef | None
    children: list[BodyRef] = Field(description="other bodies in force under this one")


class PersonOut(Out):
    id: int
    name: Names
    sort_name: str
    is_demo: bool


class PersonPage(Out):
    items: list[PersonOut]
    count: int


class PersonDetailOut(PersonOut):
    biography: Names
    email: str
    phone: str
    website: str
    memberships: list[MembershipOut] = Field(description="every membership, latest first")


class RepresentativeOut(MembershipOut):
    reason: str = Field(description="constituency, chair or national")


class LookupOut(Out):
    lat: float
    lon: float
    date: datetime.date
    areas: list[AreaOut] = Field(description="largest first")
    bodies: list[BodyOut] = Field(description="nearest first")
    representatives: list[RepresentativeOut]


class WorkingDaysOut(Out):
    date: datetime.date
    start: datetime.date
    days: int


# ------------------------------------------------------------------ mapping


def names(obj: Any, field: str = "name") -> Names:
    return Names(**all_languages(obj, field))


def area_out(a: Area, *, codes: dict[int, str] | None = None) -> AreaOut:
    """`codes` maps area ids to codes for the parents; without it the parent must be select_related."""
    if a.parent_id is None:
        parent = None
    elif codes is not None:
        parent = codes.get(a.parent_id)
    else:
        parent = a.parent.code if a.parent else None
    return AreaOut(
        code=a.code,
        kind=AreaKind(a.kind),
        name=names(a),
        parent=parent,
        iso_code=a.iso_code,
        kato_code=a.kato_code,
        centre=names(a, "centre"),
        centre_lat=a.centre_lat,
        centre_lon=a.centre_lon,
        population=a.population,
        number=a.number,
        body_id=a.body_id,
        valid_from=a.valid_from,
        valid_until=a.valid_until,
        is_demo=a.is_demo,
    )


def body_ref(o: Organization) -> BodyRef:
    return BodyRef(id=o.pk, slug=o.slug, kind=OrganizationKind(o.kind), name=names(o))


def body_out(o: Organization) -> BodyOut:
    """The area must be select_related (or absent)."""
    return BodyOut(
        id=o.pk,
        slug=o.slug,
        kind=OrganizationKind(o.kind),
        name=names(o),
        parent_id=o.parent_id,
        area=o.area.code if o.area_id is not None and o.area is not None else None,
        founding_date=o.founding_date,
        dissolution_date=o.dissolution_date,
        seats=o.seats,
        is_demo=o.is_demo,
    )


def _membership_fields(m: Membership, body: Organization | None) -> dict[str, Any]:
    post = m.post
    area = post.area if post is not None else None
    constituency = (
        ConstituencyRef(code=area.code, number=area.number)
        if area is not None and area.kind == AreaKind.CONSTITUENCY
        else None
    )
    return {
        "id": m.pk,
        "person": PersonRef(id=m.person_id, name=names(m.person)),
        "body": body_ref(body if body is not None else m.organization),
        "role": PostRole(m.role),
        "post": names(post, "label") if post is not None else None,
        "constituency": constituency,
        "party": body_ref(m.on_behalf_of) if m.on_behalf_of is not None else None,
        "election_method": m.election_method,
        "start_date": m.start_date,
        "end_date": m.end_date,
        "is_demo": m.is_demo,
    }


def membership_out(m: Membership, *, body: Organization | None = None) -> MembershipOut:
    """Person, post, post area and party must be select_related; so must the organization
    unless it is given as `body` (all memberships of one body)."""
    return MembershipOut(**_membership_fields(m, body))


def representative_out(r: Representative) -> RepresentativeOut:
    return RepresentativeOut(**_membership_fields(r.membership, None), reason=r.reason)


def person_out(p: Person) -> PersonOut:
    return PersonOut(id=p.pk, name=names(p), sort_name=p.sort_name, is_demo=p.is_demo)
