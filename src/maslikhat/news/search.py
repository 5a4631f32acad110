"""What the news puts in the public search (see maslikhat.core.search): published publications
only (a draft or a withdrawn item yields nothing, so re-indexing removes it)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext_lazy as _

from maslikhat.core.search import Document, SearchProvider, each, localized_documents

from .choices import PublicationStatus
from .models import Publication


def news_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    pks = None if pks is None else list(pks)
    qs = Publication.objects.filter(status=PublicationStatus.PUBLISHED).select_related("body")
    first_area: dict[int, int] = {}
    areas = Publication.areas.through.objects.order_by("publication_id", "area_id")
    if pks is not None:
        areas = areas.filter(publication_id__in=pks)
    for pub_id, area_id in areas.values_list("publication_id", "area_id"):
        first_area.setdefault(pub_id, area_id)
    for pub in each(qs, pks):
        yield from localized_documents(
            pub,
            title="title",
            body=("text",),
            url="news:detail",
            area=first_area.get(pub.pk, pub.body.area_id),
            organization="body_id",
            date="published_on",
        )


PROVIDERS = [
    SearchProvider(
        kind="news",
        label=_("News"),
        documents=news_documents,
        watch={"news.Publication": None},
        order=40,
    ),
]
