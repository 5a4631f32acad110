"""The search tests' world: a region with a district and a village, two maslikhats, news (one
draft), a deputy; indexed by a full rebuild."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from maslikhat.directory.choices import AreaKind
from maslikhat.search import services
from tests.factories import AreaFactory, MembershipFactory, OrganizationFactory, PersonFactory
from tests.news.factories import PublicationFactory


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    region = AreaFactory(
        code="KZ-TST", kind=AreaKind.REGION, name_kk="Сынақ облысы", name_ru="Тестовая область"
    )
    district = AreaFactory(
        code="T-D1", parent=region, name_kk="Бәйтерек ауданы", name_ru="Байтерекский район"
    )
    village = AreaFactory(
        code="T-V1",
        kind=AreaKind.SETTLEMENT,
        parent=district,
        name_kk="Жаңаауыл",
        name_ru="Жанаауыл",
        name_en="",
    )
    other = AreaFactory(code="T-O1", name_kk="Басқа ауданы", name_ru="Другой район")
    body = OrganizationFactory(
        area=district, name_kk="Бәйтерек аудандық мәслихаты", name_ru="Байтерекский районный маслихат"
    )
    far = OrganizationFactory(area=other)
    news = PublicationFactory(
        body=body,
        title_kk="Мәслихаттың сессиясы өтті",
        title_ru="Прошла сессия маслихата",
        title_en="",
        text_kk="Депутаттарға азаматтардың өтініштері туралы есеп берілді.",
        text_ru="Депутатам представлен отчёт об обращениях граждан по дорогам.",
        text_en="",
        published_on=date(2026, 5, 4),
    )
    draft = PublicationFactory(
        body=body, status="draft", title_kk="Жасырын жоба", title_ru="Секретный черновик"
    )
    far_news = PublicationFactory(
        body=far, title_kk="Өтініштер қабылдау", title_ru="Приём обращений", published_on=date(2025, 1, 1)
    )
    deputy = MembershipFactory(
        organization=body, person=PersonFactory(name_kk="Серік Әбдірахманов", name_ru="Серик Абдрахманов")
    ).person
    n = services.index_rebuild()
    return {
        "region": region,
        "district": district,
        "village": village,
        "body": body,
        "news": news,
        "draft": draft,
        "far_news": far_news,
        "deputy": deputy,
        "rows": n,
    }
