"""factory_boy factories for news and follows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

import factory

from maslikhat.news.choices import PublicationStatus
from maslikhat.news.models import Publication, Tag
from tests.factories import OrganizationFactory

TZ = ZoneInfo("Asia/Almaty")


class TagFactory(factory.django.DjangoModelFactory[Tag]):
    class Meta:
        model = Tag
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"tag-{n}")
    name_kk = factory.Sequence(lambda n: f"Тақырып {n}")
    name_ru = factory.Sequence(lambda n: f"Тема {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


class PublicationFactory(factory.django.DjangoModelFactory[Publication]):
    """A published publication in three languages (pass status="draft" for a draft)."""

    class Meta:
        model = Publication
        skip_postgeneration_save = True

    body = factory.SubFactory(OrganizationFactory)
    title_kk = factory.Sequence(lambda n: f"Жаңалық {n}")
    title_ru = factory.Sequence(lambda n: f"Новость {n}")
    title_en = factory.Sequence(lambda n: f"News item {n}")
    text_kk = "Мәтін."
    text_ru = "Текст."
    text_en = "Text."
    status = PublicationStatus.PUBLISHED
    published_on = date(2026, 3, 2)
    published_at = factory.LazyAttribute(
        lambda p: datetime(2026, 3, 2, 10, tzinfo=TZ) if p.status == PublicationStatus.PUBLISHED else None
    )

    @factory.post_generation
    def tags(self, create: bool, extracted: list[Tag] | None, **kwargs: object) -> None:
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def areas(self, create: bool, extracted: list[object] | None, **kwargs: object) -> None:
        if create and extracted:
            self.areas.set(extracted)


PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def make_publication(**kwargs: Any) -> Publication:
    """A publication from the factory, typed as the model."""
    return cast(Publication, PublicationFactory(**kwargs))


def make_tag(**kwargs: Any) -> Tag:
    return cast(Tag, TagFactory(**kwargs))
