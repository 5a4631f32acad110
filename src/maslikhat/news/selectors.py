"""Reads for news. Selectors own select_related/prefetch_related: a list costs a fixed number
of queries whatever its length.

An area's news (see models' docstring): published publications tagged with the area or any
area above it, plus the untagged publications of bodies whose area is one of those (the
national council's area is the country, so its untagged news reach every area).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from maslikhat.directory import permissions as directory_permissions
from maslikhat.directory.choices import OrganizationKind
from maslikhat.directory.models import Area, Organization

from . import permissions
from .choices import PublicationStatus
from .models import Publication, Tag

_NO_BOUNDARY = ("body__area__boundary", "body__area__boundary_web")
# Area columns enough to name and link an area.
_AREA_FIELDS = ("id", "code", "kind", "name_kk", "name_ru", "name_en", "parent_id")


def _with_relations(qs: QuerySet[Publication]) -> QuerySet[Publication]:
    return (
        qs.select_related("body", "body__area")
        .defer(*_NO_BOUNDARY)
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("position", "code")),
            Prefetch("areas", queryset=Area.objects.only(*_AREA_FIELDS).order_by("code")),
        )
    )


def published() -> QuerySet[Publication]:
    return _with_relations(Publication.objects.filter(status=PublicationStatus.PUBLISHED)).order_by(
        "-published_on", "-published_at", "-id"
    )


# Enough levels for the deepest administrative area (country > region > district > okrug >
# settlement) and for constituencies (under a region or a city).
MAX_AREA_DEPTH = 5


def area_and_ancestors(area: Area) -> QuerySet[Area, Any]:
    """The area and every area above it, as a subquery (no query of its own)."""
    q = Q(pk=area.pk)
    for depth in range(1, MAX_AREA_DEPTH):
        q |= Q(**{"__".join(["children"] * depth): area.pk})
    return Area.objects.filter(q).values("pk")


def concerning_areas(area: Area) -> Q:
    """Publications concerning the area: tagged with it or an area above it, or untagged and
    published by a body whose area is one of those."""
    ancestors = area_and_ancestors(area)
    through = Publication.areas.through
    tagged = Exists(through.objects.filter(publication_id=OuterRef("pk"), area_id__in=ancestors))
    untagged = ~Exists(through.objects.filter(publication_id=OuterRef("pk")))
    return Q(tagged) | (Q(untagged) & Q(body__area_id__in=ancestors))


def publication_list(
    *,
    body_id: int | None = None,
    area: Area | None = None,
    tag_code: str | None = None,
) -> QuerySet[Publication]:
    qs = published()
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    if area is not None:
        qs = qs.filter(concerning_areas(area))
    if tag_code:
        qs = qs.filter(
            Exists(Publication.tags.through.objects.filter(publication_id=OuterRef("pk"), tag__code=tag_code))
        )
    return qs


def latest(*, area: Area | None = None, body_id: int | None = None, limit: int = 5) -> list[Publication]:
    """A short list for other pages' news blocks: one query (no tags or areas loaded)."""
    qs = (
        Publication.objects.filter(status=PublicationStatus.PUBLISHED)
        .select_related("body")
        .defer("body__description_kk", "body__description_ru", "body__description_en")
    )
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    if area is not None:
        qs = qs.filter(concerning_areas(area))
    return list(qs.order_by("-published_on", "-published_at", "-id")[:limit])


def national(*, limit: int = 5) -> list[Publication]:
    """The latest news of the national council(s), for visitors whose area is unknown."""
    return list(
        Publication.objects.filter(
            status=PublicationStatus.PUBLISHED, body__kind=OrganizationKind.NATIONAL_COUNCIL
        )
        .select_related("body")
        .defer("body__description_kk", "body__description_ru", "body__description_en")
        .order_by("-published_on", "-published_at", "-id")[:limit]
    )


def publication_get(*, pk: int) -> Publication | None:
    return _with_relations(Publication.objects.filter(pk=pk)).select_related("author").first()


def tag_get(*, code: str) -> Tag | None:
    return Tag.objects.filter(code=code).first()


def tag_list() -> QuerySet[Tag]:
    return Tag.objects.order_by("position", "code")


def newsroom(*, user: Any) -> QuerySet[Publication]:
    """Every publication (any status) of the bodies the user publishes for; admins see all."""
    qs = _with_relations(Publication.objects.all()).order_by("-updated_at", "-id")
    if not user.is_superuser:
        qs = qs.filter(body_id__in=directory_permissions.managed_body_ids(user))
    return qs


def newsroom_bodies(user: Any) -> list[Organization]:
    """The bodies in force the user may publish for (all publishing bodies for a superuser)."""
    qs = Organization.objects.filter(kind__in=permissions.PUBLISHING_KINDS).defer(
        "area__boundary", "area__boundary_web"
    )
    if not user.is_superuser:
        from maslikhat.directory.permissions import managed_body_ids

        qs = qs.filter(pk__in=managed_body_ids(user))
    return list(qs.current().order_by("kind", "name_en"))
