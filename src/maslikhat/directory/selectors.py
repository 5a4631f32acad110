"""Reads of the directory. Selectors own select_related/prefetch_related: no N+1 queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .choices import MASLIKHAT_KINDS, AreaKind, OrganizationKind, PostRole
from .models import Area, Membership, Organization, Person


def area_list(
    *, kind: str | None = None, parent_code: str | None = None, q: str | None = None
) -> QuerySet[Area]:
    qs = (
        Area.objects.current()
        .select_related("parent")
        .defer("boundary", "boundary_web", "parent__boundary", "parent__boundary_web")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    if q:
        qs = qs.filter(
            Q(name_kk__icontains=q) | Q(name_ru__icontains=q) | Q(name_en__icontains=q) | Q(code__iexact=q)
        )
    return qs.order_by("kind", "code")


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
    *, kind: str | None = None, area_code: str | None = None, include_dissolved: bool = False
) -> QuerySet[Organization]:
    qs = Organization.objects.select_related("area", "parent").defer(*_NO_BOUNDARY)
    if not include_dissolved:
        qs = qs.current()
    if kind:
        qs = qs.filter(kind=kind)
    if area_code:
        qs = qs.filter(area__code=area_code)
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


def settlement_choices(*, q: str, limit: int = 20) -> list[Area]:
    """Areas to choose from when the browser cannot locate the citizen."""
    kinds = [AreaKind.REGION, AreaKind.DISTRICT, AreaKind.CITY, AreaKind.RURAL_OKRUG, AreaKind.SETTLEMENT]
    return list(area_list(q=q).filter(kind__in=kinds).order_by("kind", "name_en")[:limit])
