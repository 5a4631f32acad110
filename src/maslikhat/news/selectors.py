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
from maslikhat.directory.models import Area

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


def area_with_ancestors(area: Area) -> list[int]:
    """The area's id and those of every area above it (one query per level; at most five)."""
    ids = [area.pk]
    parent_id = area.parent_id
    seen = {area.pk}
    while parent_id is not None and parent_id not in seen:
        ids.append(parent_id)
        seen.add(parent_id)
        parent_id = Area.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return ids


def concerning_areas(area_ids: list[int]) -> Q:
    """Publications concerning one of these areas: tagged with one, or untagged from a body there."""
    through = Publication.areas.through
    tagged = Exists(through.objects.filter(publication_id=OuterRef("pk"), area_id__in=area_ids))
    untagged = ~Exists(through.objects.filter(publication_id=OuterRef("pk")))
    return Q(tagged) | (Q(untagged) & Q(body__area_id__in=area_ids))


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
        qs = qs.filter(concerning_areas(area_with_ancestors(area)))
    if tag_code:
        qs = qs.filter(
            Exists(Publication.tags.through.objects.filter(publication_id=OuterRef("pk"), tag__code=tag_code))
        )
    return qs


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
