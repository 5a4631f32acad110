"""Synthetic demo news: about 40 publications of the national council and several maslikhats
(six regional ones, four district or city ones), tagged with the reforms and topics they
explain, spread over the last four months.

Deterministic for a seed and idempotent: when demo publications exist, nothing is created.
Publications go through the real services (events, audit log), then their publication time is
moved back to the date the demo gives them. Some have no English text, to show the fallback.
Everything is marked is_demo; the texts describe no real decision.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from maslikhat.directory.choices import OrganizationKind
from maslikhat.directory.models import Organization
from maslikhat.news import services
from maslikhat.news.models import Publication

TZ = ZoneInfo("Asia/Almaty")
LOCAL_PUBLISHERS = 4  # district and city maslikhats with demo news, two stories each

TAGS: list[tuple[str, str, str, str]] = [
    (
        "local-self-government-reform",
        "Жергілікті өзін-өзі басқару реформасы",
        "Реформа местного самоуправления",
        "Local self-government reform",
    ),
    ("budget", "Бюджет", "Бюджет", "Budget"),
    ("appeals", "Азаматтардың өтініштері", "Обращения граждан", "Citizens' appeals"),
    ("participatory-budget", "Қатысымдық бюджет", "Бюджет участия", "Participatory budget"),
    ("sessions", "Сессиялар", "Сессии", "Sessions"),
]

# (tags, kk title, ru title, en title or "", kk text, ru text, en text or "")
COUNCIL_STORIES: list[tuple[list[str], str, str, str, str, str, str]] = [
    (
        ["local-self-government-reform"],
        "Кеңес мәслихаттардың өкілеттіктерін кеңейту жөніндегі ұсынымдарды талқылады",
        "Совет обсудил рекомендации по расширению полномочий маслихатов",
        "The council discussed recommendations on wider powers for maslikhats",
        "Кеңес отырысында мәслихаттардың жергілікті бюджетті бақылаудағы рөлін күшейту туралы ұсынымдар "
        "қаралды. Бұл демо-жазба: нақты шешімді сипаттамайды.",
        "На заседании совета рассмотрены рекомендации об усилении роли маслихатов в контроле за местным "
        "бюджетом. Это демонстрационная запись: она не описывает реальное решение.",
        "At its meeting the council considered recommendations to strengthen the role of maslikhats in "
        "overseeing local budgets. This is a demo record: it describes no real decision.",
    ),
    (
        ["local-self-government-reform", "appeals"],
        "Азаматтардың өтініштеріне жауап беру мерзімдері: кеңестің түсіндірмесі",
        "Сроки ответа на обращения граждан: разъяснение совета",
        "",
        "Кеңес мәслихаттарға өтініштерді қарау мерзімдерін сақтау туралы түсіндірме жолдады (демо).",
        "Совет направил маслихатам разъяснение о соблюдении сроков рассмотрения обращений (демо).",
        "",
    ),
    (
        ["budget"],
        "Өңірлік бюджеттерді ашық талқылау: кеңестің ұсынымы",
        "Открытое обсуждение региональных бюджетов: рекомендация совета",
        "Open debate of regional budgets: a council recommendation",
        "Кеңес барлық мәслихаттарға бюджет жобаларын сессияға дейін жариялауды ұсынды (демо).",
        "Совет рекомендовал всем маслихатам публиковать проекты бюджетов до сессии (демо).",
        "The council recommended that every maslikhat publish draft budgets before the session (demo).",
    ),
    (
        ["participatory-budget", "local-self-government-reform"],
        "Қатысымдық бюджет: өңірлердің тәжірибесі",
        "Бюджет участия: опыт регионов",
        "",
        "Кеңес отырысында өңірлердің қатысымдық бюджет тәжірибесі ортаға салынды (демо).",
        "На заседании совета регионы поделились опытом бюджета участия (демо).",
        "",
    ),
    (
        ["sessions"],
        "Кеңестің кезекті отырысының күн тәртібі жарияланды",
        "Опубликована повестка очередного заседания совета",
        "The agenda of the council's next meeting is published",
        "Күн тәртібінде мәслихаттардың ұсыныстары мен бұрынғы ұсынымдардың орындалуы бар (демо).",
        "В повестке — предложения маслихатов и исполнение прежних рекомендаций (демо).",
        "The agenda covers proposals from maslikhats and progress on earlier recommendations (demo).",
    ),
    (
        ["local-self-government-reform"],
        "Жергілікті өзін-өзі басқару туралы заң жобасына ұсыныстар жинағы",
        "Сводка предложений к законопроекту о местном самоуправлении",
        "",
        "Мәслихаттардан келген ұсыныстар жинақталып, жұмыс тобына жіберілді (демо).",
        "Предложения маслихатов обобщены и направлены рабочей группе (демо).",
        "",
    ),
]

MASLIKHAT_STORIES: list[tuple[list[str], str, str, str, str, str, str]] = [
    (
        ["sessions", "budget"],
        "{name}: кезекті сессияда бюджет нақтыланды",
        "{name}: на очередной сессии уточнён бюджет",
        "{name}: the budget was revised at the regular session",
        "Депутаттар білім беру мен жол жөндеуге қосымша қаражат бөлуді мақұлдады (демо).",
        "Депутаты одобрили дополнительные средства на образование и ремонт дорог (демо).",
        "Deputies approved additional funds for schools and road repairs (demo).",
    ),
    (
        ["appeals"],
        "{name}: депутаттардың азаматтарды қабылдау кестесі",
        "{name}: график приёма граждан депутатами",
        "",
        "Депутаттар ай сайын сайлау округтерінде азаматтарды қабылдайды (демо).",
        "Депутаты ежемесячно принимают граждан в избирательных округах (демо).",
        "",
    ),
    (
        ["participatory-budget"],
        "{name}: қатысымдық бюджетке жобалар қабылдау басталды",
        "{name}: начат приём проектов в бюджет участия",
        "{name}: projects for the participatory budget are now accepted",
        "Тұрғындар аулаларды абаттандыру жобаларын ұсына алады (демо).",
        "Жители могут предложить проекты благоустройства дворов (демо).",
        "Residents can propose projects to improve their courtyards (demo).",
    ),
    (
        ["local-self-government-reform"],
        "{name}: реформа туралы тұрғындармен кездесу",
        "{name}: встреча с жителями о реформе",
        "",
        "Мәслихат депутаттары жергілікті өзін-өзі басқару реформасын тұрғындарға түсіндірді (демо).",
        "Депутаты маслихата разъяснили жителям реформу местного самоуправления (демо).",
        "",
    ),
]


def _ensure_tags() -> None:
    for code, kk, ru, en in TAGS:
        services.tag_upsert(actor=None, code=code, name_kk=kk, name_ru=ru, name_en=en, is_demo=True)


def _publish(
    body: Organization,
    story: tuple[list[str], str, str, str, str, str, str],
    *,
    when: datetime,
    name: dict[str, str],
    area_codes: list[str],
) -> None:
    tags, tkk, tru, ten, xkk, xru, xen = story
    publication = services.publication_create(
        actor=None,
        body=body,
        title_kk=tkk.format(name=name["kk"]),
        title_ru=tru.format(name=name["ru"]),
        title_en=ten.format(name=name["en"]) if ten else "",
        text_kk=xkk,
        text_ru=xru,
        text_en=xen,
        tag_codes=tags,
        area_codes=area_codes,
        is_demo=True,
    )
    services.publication_publish(actor=None, publication=publication, published_on=when.date())
    Publication.objects.filter(pk=publication.pk).update(published_at=when)


@transaction.atomic
def create_demo_news(*, seed: int) -> int:
    """Create the demo news once; returns how many publications were created (0 when present)."""
    if Publication.objects.filter(is_demo=True).exists():
        return 0
    rng = random.Random(seed)
    _ensure_tags()
    today = timezone.localdate()
    council = (
        Organization.objects.current()
        .filter(kind=OrganizationKind.NATIONAL_COUNCIL)
        .order_by("founding_date")
        .first()
        or Organization.objects.filter(kind=OrganizationKind.NATIONAL_COUNCIL)
        .order_by("founding_date")
        .first()
    )
    maslikhats = list(
        Organization.objects.current()
        .filter(kind=OrganizationKind.REGIONAL_MASLIKHAT)
        .select_related("area")
        .defer("area__boundary", "area__boundary_web")
        .order_by("slug")
    )
    chosen = rng.sample(maslikhats, k=min(6, len(maslikhats)))
    # A few district and city maslikhats publish too (their own stream: the regional stories
    # keep their dates whether or not the country's districts are loaded).
    local = list(
        Organization.objects.current()
        .filter(kind__in=[OrganizationKind.DISTRICT_MASLIKHAT, OrganizationKind.CITY_MASLIKHAT])
        .select_related("area")
        .defer("area__boundary", "area__boundary_web")
        .order_by("slug")
    )
    local_rng = random.Random(f"{seed}:local")  # noqa: S311 - demo data, not security
    local_chosen = local_rng.sample(local, k=min(LOCAL_PUBLISHERS, len(local)))
    created = 0

    def moment() -> datetime:
        day = today - timedelta(days=rng.randint(1, 120))
        return datetime.combine(day, time(rng.randint(9, 18), rng.choice([0, 15, 30, 45])), tzinfo=TZ)

    if council is not None:
        for story in COUNCIL_STORIES:
            _publish(council, story, when=moment(), name={"kk": "", "ru": "", "en": ""}, area_codes=[])
            created += 1
    for body in chosen:
        name = {"kk": body.area.name_kk if body.area else body.name_kk, "ru": "", "en": ""}
        name["ru"] = (body.area.name_ru if body.area else body.name_ru) or name["kk"]
        name["en"] = (body.area.name_en if body.area else body.name_en) or name["ru"]
        for story in MASLIKHAT_STORIES:
            _publish(body, story, when=moment(), name=name, area_codes=[])
            created += 1
    for body in local_chosen:
        name = _names_of(body)
        for story in local_rng.sample(MASLIKHAT_STORIES, k=2):
            day = today - timedelta(days=local_rng.randint(1, 120))
            when = datetime.combine(day, time(local_rng.randint(9, 18), 0), tzinfo=TZ)
            _publish(body, story, when=when, name=name, area_codes=[])
            created += 1
    return created


def _names_of(body: Organization) -> dict[str, str]:
    """The body's area names in the three languages (each falling back to the one before)."""
    name = {"kk": body.area.name_kk if body.area else body.name_kk, "ru": "", "en": ""}
    name["ru"] = (body.area.name_ru if body.area else body.name_ru) or name["kk"]
    name["en"] = (body.area.name_en if body.area else body.name_en) or name["ru"]
    return name
