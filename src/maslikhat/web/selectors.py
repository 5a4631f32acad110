"""Page-specific reads for the web layout (the directory's selectors do the heavy lifting)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from maslikhat.directory import selectors as directory_selectors
from maslikhat.directory.choices import AreaKind
from maslikhat.directory.models import Area, Membership, Organization, Person

DEMO_FLAG_SECONDS = 60


def demo_data_present() -> bool:
    """Whether the directory holds synthetic records (checked at most once a minute)."""
    flag = cache.get("web:demo-present")
    if flag is None:
        flag = (
            Organization.objects.filter(is_demo=True).exists()
            or Person.objects.filter(is_demo=True).exists()
            or Area.objects.filter(is_demo=True).exists()
        )
        cache.set("web:demo-present", flag, DEMO_FLAG_SECONDS)
    return bool(flag)


@dataclass(frozen=True)
class VisitorBody:
    """A maslikhat of the visitor's remembered area, with its current leaders and deputies."""

    body: Organization
    leaders: list[Membership]
    deputies: list[Membership]


def visitor_bodies(*, area: Area) -> list[VisitorBody]:
    """The maslikhats that represent `area`, most local first: its own (district or city)
    maslikhat and its region's, each with its composition (directory.selectors.body_detail)."""
    found: list[Organization] = []
    local = directory_selectors.maslikhat_for_area(area=area)
    if local is not None:
        found.append(local)
    region = next(
        (a for a in [area, *directory_selectors.area_parents(area)] if a.kind == AreaKind.REGION), None
    )
    if region is not None and (local is None or local.area_id != region.pk):
        regional = directory_selectors.maslikhat_for_area(area=region)
        if regional is not None and all(b.pk != regional.pk for b in found):
            found.append(regional)
    result = []
    for body in found:
        detail = directory_selectors.body_detail(organization=body)
        result.append(
            VisitorBody(
                body=body,
                leaders=detail.leaders,
                deputies=[*detail.constituency_deputies, *detail.party_list_deputies],
            )
        )
    return result


@dataclass(frozen=True)
class BodyAppealsPage:
    body: Organization
    appeals: list[Any]
    number: int
    has_next: bool


def body_public_appeals_page(*, pk: int, page: int, per_page: int) -> BodyAppealsPage | None:
    """A maslikhat's public appeals, newest publication first, one page of them (what is public
    is decided by appeals.selectors.public_appeals alone); None for no such maslikhat."""
    from maslikhat.appeals.selectors import public_appeals
    from maslikhat.directory.choices import MASLIKHAT_KINDS

    body = directory_selectors.organization_get(pk=pk)
    if body is None or body.kind not in MASLIKHAT_KINDS:
        return None
    start = (page - 1) * per_page
    rows = list(public_appeals(body_id=body.pk)[start : start + per_page + 1])
    return BodyAppealsPage(body=body, appeals=rows[:per_page], number=page, has_next=len(rows) > per_page)
