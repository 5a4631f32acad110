"""What the news puts in the public search (see maslikhat.core.search): published publications
only (a draft or a withdrawn item yields nothing, so re-indexing removes it)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext_lazy as _

from maslikhat.core.search import Document, SearchProvider, localized_documents, url_for

from .choices import PublicationStatus
from .models import Publication


def news_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    qs = Publication.objects.filter(status=PublicationStatus.PUBLISHED).select_related("body")
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    through = Publication.areas.through
    first_area: dict[int, int] = {}
    areas = through.objects.order_by("publication_id", "area_id")
    if pks is not None:
        areas = areas.filter(publication_id__in=list(pks))
    for pub_id, area_id in areas.values_list("publication_id", "area_id"):
        first_area.setdefault(pub_id, area_id)
    for pub in qs.order_by("id").iterator(chunk_size=1000):
        yield from localized_documents(
            pub,
            title="title",
            body=("text",),
            url=url_for("news:detail", pub.pk),
            area_id=first_area.get(pub.pk, pub.body.area_id),
            body_id=pub.body_id,
            date=pub.published_on,
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
