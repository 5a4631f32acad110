"""What the news adds to the follows' digests (see maslikhat.core.digests): the news published in
the period, for every kind of follow: an area's by the area rule of `selectors.publication_list`,
a tag's, and the news of the maslikhats a body or a deputy follow covers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from maslikhat.core.digests import AREA, KINDS, TAG, DigestScope, DigestSource, counted, in_period

from . import selectors
from .models import Publication


def _news(scope: DigestScope) -> QuerySet[Publication]:
    if scope.kind == AREA and scope.area is not None:
        return selectors.publication_list(area=scope.area)
    if scope.kind == TAG and scope.tag_code:
        return selectors.publication_list(tag_code=scope.tag_code)
    return selectors.published().filter(body_id__in=scope.body_ids)


def read(scope: DigestScope, since: datetime, until: datetime) -> tuple[int, list[Any]]:
    if scope.kind != TAG and scope.kind != AREA and not scope.body_ids:
        return 0, []
    return counted(_news(scope).filter(**in_period("published_at", since, until)))


SOURCES = (
    DigestSource(
        name="news.published",
        label=_("News"),
        kinds=KINDS,
        read=read,
        template="news/digest/items.txt",
        order=10,
    ),
)
